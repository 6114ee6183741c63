/**
 * Every text the app shows, in Vietnamese (the default). en.ts has the same keys (its type is
 * this object's), so a missing translation fails the typecheck. Terms follow DOMAIN.md's
 * glossary: buổi kiểm tra (visit), phiếu kiểm tra (template), tiêu chí (item), ảnh minh chứng
 * (photo), tồn tại (finding), điểm trừ (deduction), điểm (score), xếp loại (band).
 */
export const vi = {
  appName: 'Kiểm tra CCHC',
  appTitle: 'Kiểm tra cải cách hành chính',
  language: 'Ngôn ngữ',
  switchToOther: 'English',
  skipToContent: 'Bỏ qua đến nội dung chính',
  otherLanguageCode: 'en',
  loading: 'Đang tải…',
  back: 'Quay lại',

  signInTitle: 'Đăng nhập',
  signInIntro:
    'Ứng dụng ghi kết quả buổi kiểm tra tại Bộ phận Một cửa, kể cả khi không có mạng. Đăng nhập bằng tài khoản cán bộ kiểm tra.',
  signIn: 'Đăng nhập',
  signInAgain: 'Đăng nhập lại để gửi dữ liệu',
  signingIn: 'Đang đăng nhập…',
  signInFailed: (why: string) => `Không đăng nhập được: ${why}`,
  signInNeedsNetwork: 'Cần có mạng để đăng nhập lần đầu.',
  configMissing: 'Chưa tải được cấu hình ứng dụng. Hãy kết nối mạng rồi tải lại trang.',
  signOut: 'Đăng xuất',
  signOutUnsent: (count: number) =>
    `Còn ${count} thao tác chưa gửi lên máy chủ. Dữ liệu vẫn được giữ trên máy này và sẽ được gửi khi bạn đăng nhập lại, nhưng hãy xuất dữ liệu chưa gửi nếu máy có thể bị xoá.`,
  signOutAnyway: 'Vẫn đăng xuất',
  cancel: 'Huỷ',
  signedInAs: (name: string) => `Cán bộ: ${name}`,

  online: 'Có mạng',
  offline: 'Không có mạng: dữ liệu được lưu trên máy',
  pendingOps: (count: number) => (count === 0 ? 'Đã gửi hết' : `${count} thao tác chờ gửi`),
  syncNow: 'Gửi ngay',
  syncing: 'Đang gửi…',
  sessionExpired: 'Phiên đăng nhập đã hết hạn: dữ liệu vẫn được lưu, hãy đăng nhập lại khi có mạng để gửi.',

  myVisits: 'Buổi kiểm tra của tôi',
  noVisits: 'Chưa có buổi kiểm tra nào trên máy này.',
  newVisit: 'Buổi kiểm tra mới',
  openVisit: (unit: string) => `Mở buổi kiểm tra ${unit}`,
  startedAt: (when: string) => `Bắt đầu: ${when}`,
  refresh: 'Tải lại danh sách',

  pickUnit: 'Chọn đơn vị được kiểm tra',
  searchUnit: 'Tìm đơn vị (có thể gõ không dấu)',
  noUnits: 'Không tìm thấy đơn vị nào.',
  unitsNotLoaded: 'Chưa có danh sách đơn vị trên máy. Hãy kết nối mạng để tải.',
  pickTemplate: 'Phiếu kiểm tra',
  templateVersion: (version: number) => `phiên bản ${version}`,
  noTemplates: 'Chưa có phiếu kiểm tra trên máy. Hãy kết nối mạng để tải.',
  startVisit: 'Bắt đầu buổi kiểm tra',

  visitStatus: {
    draft: 'Nháp',
    submitted: 'Đã gửi duyệt',
    returned: 'Bị trả lại',
    approved: 'Đã phê duyệt',
    revoked: 'Đã thu hồi',
  },
  syncState: {
    local: 'Trên máy',
    sending: 'Đang gửi',
    sent: 'Đã gửi',
    verified: 'Đã xác minh',
    failed: 'Lỗi',
  },
  syncStateLabel: 'Đồng bộ',

  visitTitle: (unit: string) => `Buổi kiểm tra: ${unit}`,
  score: 'Điểm',
  scoreSoFar: (answered: number, total: number) => `Điểm tạm tính (${answered}/${total} tiêu chí)`,
  scoreFinal: 'Điểm (đủ tiêu chí)',
  noScoreYet: 'Chưa có điểm',
  base: 'Điểm trước điểm trừ',
  deductionPoints: 'Điểm trừ',
  band: 'Xếp loại',
  sectionPercents: 'Tỷ lệ từng phần',
  missing: (count: number) => (count === 0 ? 'Đã đủ để gửi' : `Còn thiếu ${count} mục`),
  missingList: 'Những mục còn thiếu',
  serverScore: (score: string) => `Điểm máy chủ tính: ${score}`,

  yes: 'Có',
  no: 'Không',
  notApplicable: 'Không áp dụng',
  note: 'Ghi chú',
  noteFor: (code: string) => `Ghi chú cho ${code}`,
  valueFor: (code: string) => `Kết quả ${code}`,
  percentHint: 'Từ 0 đến 100, tối đa 2 chữ số thập phân',
  decrease: (code: string) => `Giảm ${code}`,
  increase: (code: string) => `Tăng ${code}`,
  points: (points: string) => `${points} điểm`,
  photoRequired: 'Cần ảnh minh chứng',
  photoRequiredIfFailed: 'Cần ảnh minh chứng nếu không đạt',
  photoNeededNow: 'Cần ảnh minh chứng cho kết quả này',
  photoOptional: 'Có thể kèm ảnh',

  takePhoto: (code: string) => `Chụp ảnh cho ${code}`,
  pickPhoto: (code: string) => `Chọn ảnh có sẵn cho ${code}`,
  photoOf: (code: string, n: number) => `Ảnh ${n} của ${code}`,
  photoProcessing: 'Đang xử lý ảnh…',
  photoSpaceShort: (free: string) =>
    `Máy gần hết dung lượng (còn ${free}). Không thể lưu thêm ảnh: hãy gửi dữ liệu hoặc giải phóng dung lượng.`,
  photoFailed: (why: string) => `Không xử lý được ảnh: ${why}`,
  photoReason: {
    size_mismatch: 'kích thước tệp không khớp',
    checksum_mismatch: 'tệp bị hỏng khi tải lên',
    type_mismatch: 'không phải ảnh hợp lệ',
  } as Record<string, string>,
  photoCounts: (summary: string) => `Ảnh minh chứng: ${summary}`,
  retryPhoto: 'Gửi lại ảnh',
  removePhoto: 'Xoá ảnh',
  removePhotoOf: (code: string, n: number) => `Xoá ảnh ${n} của ${code}`,
  removePhotoTitle: 'Xoá ảnh minh chứng này?',
  removePhotoText: (code: string) =>
    `Ảnh sẽ bị xoá khỏi tiêu chí ${code}, trên máy này và trên máy chủ. Không hoàn tác được.`,
  removePhotoConfirm: 'Xoá ảnh',
  keep: 'Giữ lại',

  deductions: 'Điểm trừ',
  deductionCount: (code: string) => `Số lần vi phạm ${code}`,
  deductionMax: (max: number) => `tối đa ${max} lần`,
  deductionPointsEach: (points: string) => `trừ ${points} điểm mỗi lần`,

  findings: 'Tồn tại do cán bộ ghi',
  addFinding: 'Thêm tồn tại',
  findingTitle: 'Nội dung tồn tại',
  findingSeverity: 'Mức độ',
  findingItem: 'Tiêu chí liên quan',
  findingItemNone: '(không gắn tiêu chí)',
  removeFinding: 'Xoá tồn tại này',
  severity: { low: 'Thấp', medium: 'Trung bình', high: 'Cao', critical: 'Nghiêm trọng' },

  submit: 'Gửi duyệt',
  submitQueued: 'Đã lưu yêu cầu gửi duyệt: sẽ gửi khi có mạng.',
  submitSending: 'Đang gửi duyệt…',
  submitSent: 'Đã gửi duyệt.',
  submitBlocked: 'Chưa thể gửi duyệt: còn thiếu các mục dưới đây.',
  serverProblems: 'Máy chủ báo các vấn đề sau',
  returnedComment: 'Ý kiến của người duyệt',
  returnedBy: (who: string, when: string) => `Trả lại bởi ${who}, ${when}`,
  readOnly: 'Buổi kiểm tra đã gửi duyệt, không sửa được.',
  discardVisit: 'Xoá bản nháp này',
  discardTitle: 'Xoá buổi kiểm tra nháp này?',
  discardText: (unit: string) =>
    `Mọi kết quả và ảnh minh chứng của buổi kiểm tra tại ${unit} sẽ bị xoá, trên máy này và trên máy chủ. Không hoàn tác được.`,
  discardConfirm: 'Xoá bản nháp',
  discarding: 'Đang xoá',
  discardingNote: 'Buổi kiểm tra này đang được xoá: nó biến mất khi máy chủ xác nhận.',

  conflictTitle: 'Buổi kiểm tra đã bị thay đổi ở nơi khác',
  conflictIntro: 'Bản trên máy chủ khác với bản trên máy này. Hãy chọn bản giữ lại.',
  conflictMine: 'Bản trên máy này',
  conflictTheirs: 'Bản trên máy chủ',
  keepMine: 'Giữ bản trên máy này',
  keepTheirs: 'Dùng bản trên máy chủ',
  conflictNone: '(chưa trả lời)',

  opFailed: (why: string) => `Gửi không được: ${why}`,
  retry: 'Thử lại',
  networkError: 'mất kết nối',

  storage: 'Bộ nhớ trên máy',
  storageFree: (free: string) => `Còn trống khoảng ${free}`,
  storagePersisted: 'Dữ liệu được giữ lâu dài',
  storageNotPersisted: 'Trình duyệt có thể xoá dữ liệu khi máy thiếu bộ nhớ',
  exportUnsent: 'Xuất dữ liệu chưa gửi ra tệp',
  exportDone: (name: string) => `Đã tạo tệp ${name}`,
  install: 'Cài ứng dụng lên máy',
  installIos:
    'Trên iPhone/iPad: bấm nút Chia sẻ rồi chọn "Thêm vào MH chính". Nếu không cài, Safari có thể xoá dữ liệu sau 7 ngày không dùng.',
  updateReady: 'Có phiên bản mới của ứng dụng.',
  updateNow: 'Cập nhật (dữ liệu chưa gửi được giữ nguyên)',

  notAllowedTitle: 'Không có quyền truy cập',
  notAllowedText:
    'Trang này thuộc bảng điều hành dành cho lãnh đạo và quản trị viên của Sở Nội vụ. Tài khoản kiểm tra viên không dùng được trang này.',
  notAllowedHome: 'Về trang buổi kiểm tra',
} as const satisfies Record<string, unknown>;

/** The shape every language file has: the same keys, each a string or the same function. */
export type Messages = {
  readonly [K in keyof typeof vi]: (typeof vi)[K] extends (...args: infer A) => string
    ? (...args: A) => string
    : (typeof vi)[K] extends string
      ? string
      : { readonly [P in keyof (typeof vi)[K]]: string };
};
