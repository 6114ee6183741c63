/**
 * What a manager or an admin does in the console, as the tests drive it: sign in through local
 * mode's OIDC provider at a desk, land on the review queue, and the console's texts the tests
 * look for (web/src/console/messages.ts).
 */
import type { Page, Request } from 'playwright-core';
import { demoProvinceId, until } from './inspector.ts';

export const consoleTexts = {
  queue: 'Hàng chờ duyệt',
  notAllowed: 'Không có quyền truy cập',
  unitSubtree: 'Đơn vị (gồm các đơn vị trực thuộc)',
  apply: 'Lọc',
  approve: 'Phê duyệt',
  approveConfirmTitle: 'Phê duyệt buổi kiểm tra này?',
  approveConfirm: 'Xác nhận phê duyệt',
  returnComment: 'Ý kiến khi trả lại (bắt buộc)',
  returnVisit: 'Trả lại cho cán bộ kiểm tra',
  visitTitle: (unit: string) => `Duyệt buổi kiểm tra: ${unit}`,
  findings: 'Tồn tại',
  findingTitle: (unit: string) => `Tồn tại tại ${unit}`,
  moveTo: (status: string) => `Chuyển sang: ${status}`,
  rankings: 'Xếp hạng',
  showRanking: 'Xem xếp hạng',
  publish: 'Công bố xếp hạng này',
  publishNow: 'Công bố',
  openPublication: 'Xem công bố',
  exportStart: 'Xuất CSV',
  exportDownload: 'Tải tệp CSV',
  flagPhotos: (label: string, photos: number) => `${label} (${photos} ảnh)`,
  units: 'Đơn vị',
  unitPath: 'Đường dẫn đơn vị',
  noUnitsUnder: 'Không có đơn vị trực thuộc.',
  templates: 'Phiếu kiểm tra',
  versionLabel: (version: number) => `Phiên bản ${version}`,
  templateId: 'Mã phiếu kiểm tra',
  templateFile: 'Tệp JSON của phiếu kiểm tra',
  publishVersion: 'Công bố phiên bản mới',
  notJson: 'Tệp không phải JSON hợp lệ',
  fileProblems: (count: number) => `Tệp có ${count} vấn đề, chưa công bố:`,
  exports: 'Xuất dữ liệu',
  exportWhat: 'Dữ liệu cần xuất',
  parent: 'Đơn vị cấp trên',
  exportRanking: 'Xếp hạng',
  exportFindings: 'Tồn tại',
  exportFormat: 'Định dạng',
  severity: 'Mức độ',
  startExport: 'Bắt đầu xuất',
  recentEmpty: 'Chưa xuất lần nào trong phiên này.',
  downloadOf: 'Tải tệp của lần xuất',
} as const;

/** Signs in as a manager (or admin) of the demo province and waits for the review queue. */
export async function signInToConsole(
  page: Page,
  appUrl: string,
  who: { sub: string; name: string; role?: 'manager' | 'admin'; unitId?: string },
): Promise<void> {
  const query = new URLSearchParams({
    role: who.role ?? 'manager',
    unitId: who.unitId ?? demoProvinceId,
    sub: who.sub,
    name: who.name,
  });
  await page.goto(`${appUrl}/local/sign-in?${query}`);
  await page.getByRole('heading', { name: consoleTexts.queue, level: 1 }).waitFor();
  await until(
    'the signed-in name',
    () => page.getByText(who.name).count(),
    (n) => n > 0,
  );
}

/** Whether a request fetched one of the console's own files (its chunks live under assets/console/). */
export function isConsoleFile(request: Request): boolean {
  return new URL(request.url()).pathname.startsWith('/assets/console/');
}
