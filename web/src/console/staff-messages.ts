/**
 * The texts of the console's staff screen (Cán bộ), Vietnamese first and English beside it, kept
 * beside the screen so it stays one file of its own (the rest are in messages.ts).
 */
import { computed } from '@preact/signals';
import { language } from '../i18n/index.ts';
import type { Shape } from './messages.ts';

const vi = {
  navStaff: 'Cán bộ',
  staffTitle: 'Cán bộ',
  staffIntro:
    'Tài khoản đăng nhập của cán bộ trong phạm vi của bạn: vai trò, đơn vị, khoá và mở khoá, đặt lại ứng dụng xác thực (TOTP).',
  notAllowed: 'Chỉ quản trị viên quản lý cán bộ.',
  role: 'Vai trò',
  anyRole: 'Mọi vai trò',
  roles: { admin: 'Quản trị', manager: 'Lãnh đạo', inspector: 'Kiểm tra viên' },
  name: 'Họ và tên',
  email: 'E-mail',
  unit: 'Đơn vị',
  state: 'Trạng thái',
  enabled: 'Đang hoạt động',
  disabled: 'Đã khoá',
  actions: 'Thao tác',
  empty: 'Không có cán bộ nào khớp bộ lọc.',
  addTitle: 'Thêm cán bộ',
  addHint:
    'Hệ thống gửi mật khẩu tạm thời đến e-mail; lần đăng nhập đầu, cán bộ đặt mật khẩu mới và quét mã QR bằng ứng dụng xác thực.',
  add: 'Thêm cán bộ',
  added: (name: string) => `Đã thêm ${name}.`,
  existing: (name: string) => `${name} đã là cán bộ với đúng các thông tin này.`,
  edit: 'Sửa',
  save: 'Lưu',
  cancel: 'Huỷ',
  saved: (name: string) => `Đã lưu thay đổi của ${name}.`,
  disable: 'Khoá',
  enable: 'Mở khoá',
  confirmDisable: (name: string) => `Khoá tài khoản của ${name}? Người này sẽ không đăng nhập được nữa.`,
  disabledDone: (name: string) => `Đã khoá tài khoản của ${name}.`,
  enabledDone: (name: string) => `Đã mở khoá tài khoản của ${name}.`,
  resetTotp: 'Đặt lại TOTP',
  confirmReset: (name: string) =>
    `Đặt lại ứng dụng xác thực của ${name}? Lần đăng nhập sau, người này phải quét mã QR mới.`,
  resetDone: (name: string) => `Đã đặt lại ứng dụng xác thực của ${name}; người này đã bị đăng xuất.`,
  you: '(bạn)',
  stale: 'Cán bộ này vừa được người khác thay đổi; danh sách đã được tải lại, hãy thử lại.',
} as const satisfies Record<string, unknown>;

export type StaffMessages = Shape<typeof vi>;

const en: StaffMessages = {
  navStaff: 'Staff',
  staffTitle: 'Staff',
  staffIntro:
    'The sign-in accounts of the staff of your jurisdiction: roles, units, disabling and enabling, resetting the authenticator (TOTP).',
  notAllowed: 'Only administrators manage staff.',
  role: 'Role',
  anyRole: 'Any role',
  roles: { admin: 'Administrator', manager: 'Manager', inspector: 'Inspector' },
  name: 'Name',
  email: 'E-mail',
  unit: 'Unit',
  state: 'State',
  enabled: 'Enabled',
  disabled: 'Disabled',
  actions: 'Actions',
  empty: 'No staff member matches the filters.',
  addTitle: 'Add a staff member',
  addHint:
    'A temporary password is e-mailed to them; at their first sign-in they choose a password and scan a QR code with an authenticator app.',
  add: 'Add',
  added: (name) => `${name} was added.`,
  existing: (name) => `${name} is already a staff member with exactly these details.`,
  edit: 'Edit',
  save: 'Save',
  cancel: 'Cancel',
  saved: (name) => `The changes to ${name} were saved.`,
  disable: 'Disable',
  enable: 'Enable',
  confirmDisable: (name) => `Disable ${name}'s account? They will no longer be able to sign in.`,
  disabledDone: (name) => `${name}'s account was disabled.`,
  enabledDone: (name) => `${name}'s account was enabled.`,
  resetTotp: 'Reset TOTP',
  confirmReset: (name) =>
    `Reset ${name}'s authenticator? At their next sign-in they will scan a new QR code.`,
  resetDone: (name) => `${name}'s authenticator was reset and they were signed out.`,
  you: '(you)',
  stale: 'Someone else just changed this staff member; the list was reloaded: try again.',
};

export const sm = computed<StaffMessages>(() => (language.value === 'en' ? en : vi));
