/**
 * The demo data of local mode: Nghệ An province with wards and communes as they are since the
 * 2025 reform (two-tier local government), and the reference checklist. Names are the official
 * ones; codes marked `verified: false` are placeholders in the right range, to be replaced by
 * those of Decision 19/2025/QĐ-TTg (see the README walkthrough notes).
 */
import type { UnitInput } from '#domain/unit.ts';

export interface DemoUnit {
  unitId: string;
  body: UnitInput;
  /** Whether `code` was checked against a published list of the new codes. */
  verified: boolean;
}

export const demoProvinceId = 'nghe-an';
export const demoTemplateId = 'one-stop-counter';

const province: DemoUnit = {
  unitId: demoProvinceId,
  body: { name: 'Tỉnh Nghệ An', kind: 'province', parentId: null, code: '40' },
  verified: true,
};

function child(
  unitId: string,
  name: string,
  kind: 'ward' | 'commune',
  code: string,
  verified: boolean,
): DemoUnit {
  return { unitId, body: { name, kind, parentId: demoProvinceId, code }, verified };
}

/** Province first: children need their parent. */
export const demoUnits: readonly DemoUnit[] = [
  province,
  child('truong-vinh', 'Phường Trường Vinh', 'ward', '16690', true),
  child('thanh-vinh', 'Phường Thành Vinh', 'ward', '16681', true),
  child('vinh-hung', 'Phường Vinh Hưng', 'ward', '16678', false),
  child('vinh-phu', 'Phường Vinh Phú', 'ward', '16702', true),
  child('vinh-loc', 'Phường Vinh Lộc', 'ward', '16708', true),
  child('cua-lo', 'Phường Cửa Lò', 'ward', '16732', true),
  child('dien-chau', 'Xã Diễn Châu', 'commune', '17335', false),
  child('quynh-luu', 'Xã Quỳnh Lưu', 'commune', '16909', false),
  child('do-luong', 'Xã Đô Lương', 'commune', '17665', false),
  child('nam-dan', 'Xã Nam Đàn', 'commune', '17920', false),
];

/** The reference template file, published as version 1 of `one-stop-counter`. */
export const referenceTemplateUrl = new URL('../shared/seed/one-stop-counter.template.json', import.meta.url);
