/**
 * The data of the export benchmark: one province with 100 communes, approved visits of 20
 * findings each, and a manager of the province who exports them all. Everything is generated
 * lazily from an index, so seeding 100,000 findings keeps only a batch in memory.
 */
import type { Item } from '#adapters/dynamodb/documents.ts';
import { findingItem } from '#adapters/dynamodb/findings.ts';
import { unitItem } from '#adapters/dynamodb/units.ts';
import { visitItem } from '#adapters/dynamodb/visits.ts';
import { withFindingEtag } from '#app/findings.ts';
import type { Caller } from '#app/support.ts';
import { withEtag } from '#app/visits.ts';
import { findingStatuses } from '#domain/finding.ts';
import { severities } from '#domain/template.ts';
import type { FindingRecord, UnitRecord, VisitRecord } from '#ports/records.ts';
import { unit } from '#tests/support/peer-group.ts';

export const findingsPerVisit = 20;
const communeCount = 100;

export const province = unit('P01', 'Tỉnh Thử Nghiệm', 'province', null, { code: '01' });

export const communes: UnitRecord[] = Array.from({ length: communeCount }, (_, n) =>
  unit(`P01-C${String(n).padStart(3, '0')}`, `Xã Thử Nghiệm Số ${n + 1}`, 'commune', province, {
    code: String(10_000 + n),
  }),
);

/** The export's creator: a manager whose jurisdiction is the whole province. */
export const manager: Caller = {
  sub: 'bench-manager',
  name: null,
  roles: ['manager'],
  unitId: province.unitId,
};

// Realistic cells, including the cases the CSV writer must quote or escape: commas, quotes,
// line breaks and a leading "=" (formula injection).
const titles = [
  'Không niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa',
  'Thiếu biển tên, chức danh của công chức tiếp nhận hồ sơ',
  'Hồ sơ trễ hạn không có văn bản xin lỗi người dân',
  'Sổ theo dõi hồ sơ ghi "không đầy đủ", thiếu chữ ký của người nhận',
  'Máy lấy số thứ tự hỏng, chưa được sửa chữa',
  '=Thu phí, lệ phí không đúng quy định',
  'Chưa bố trí ghế chờ và nước uống cho người dân',
  'Không có hòm thư góp ý hoặc hòm thư bị khóa',
];
const notes = [
  null,
  'Đã nhắc nhở trực tiếp công chức trực.',
  null,
  'Đã nhắc nhở trực tiếp.\r\nHẹn kiểm tra lại sau 30 ngày.',
  null,
];

const visitId = (v: number) => `bbbbbbbb-0000-4000-8000-${String(v).padStart(12, '0')}`;

/** Visit number `v`: approved, so the findings its approval wrote count (approvalCommitted). */
function approvedVisit(v: number): VisitRecord {
  const where = communes[v % communes.length] ?? province;
  const day = new Date(Date.UTC(2026, 0, 1 + (v % 360)));
  const date = day.toISOString().slice(0, 10);
  const startedAt = `${date}T08:30:00+07:00`;
  const approvedAt = `${date}T10:00:00.000Z`;
  return withEtag({
    visitId: visitId(v),
    unitId: where.unitId,
    unitPath: [...where.path],
    templateId: 'checklist',
    templateVersion: 1,
    startedAt,
    answers: [],
    inspectorId: `inspector-${v % 7}`,
    inspectorName: null,
    status: 'approved',
    score: 80,
    base: 80,
    sections: [],
    submittedAt: startedAt,
    review: { decision: 'approve', comment: null, by: manager.sub, at: approvedAt },
    pendingApproval: null,
    revocation: null,
    createdAt: startedAt,
    updatedAt: approvedAt,
  });
}

/** Finding `n` of `visit`, as its approval writes it: created at the approval instant. */
function approvedFinding(visit: VisitRecord, n: number, serial: number): FindingRecord {
  const createdAt = visit.review?.at ?? visit.updatedAt;
  const status = findingStatuses[serial % findingStatuses.length] ?? 'open';
  const manual = n % 5 === 4;
  const key = manual ? `m${n + 1}` : `A${n + 1}`;
  return withFindingEtag({
    findingId: `${visit.visitId}.${key}`,
    visitId: visit.visitId,
    unitId: visit.unitId,
    unitPath: [...visit.unitPath],
    templateId: visit.templateId,
    sectionCode: 'A',
    itemCode: manual ? null : key,
    kind: manual ? 'manual' : 'item',
    title: { vi: titles[serial % titles.length] ?? 'Tồn tại', en: `Finding ${serial}` },
    severity: severities[serial % severities.length] ?? 'medium',
    answer: null,
    inspectorNote: notes[serial % notes.length] ?? null,
    inspectorId: visit.inspectorId,
    photoIds: [],
    status,
    dueDate: serial % 2 === 0 ? '2026-03-01' : '2026-12-31',
    periodStartedAt: visit.startedAt,
    createdAt,
    note: status === 'resolved' || status === 'verified' ? 'Đã khắc phục, có biên bản kèm theo' : null,
    reason: status === 'dismissed' ? 'Trùng với tồn tại đã ghi nhận' : null,
    updatedAt: createdAt,
  });
}

/** Every item of a data set of `findingCount` findings: units, visits, findings. */
export function* exportItems(findingCount: number): Generator<Item> {
  yield unitItem(province);
  for (const commune of communes) yield unitItem(commune);
  const visitCount = Math.ceil(findingCount / findingsPerVisit);
  for (let v = 0; v < visitCount; v++) {
    const visit = approvedVisit(v);
    yield visitItem(visit);
    const count = Math.min(findingsPerVisit, findingCount - v * findingsPerVisit);
    for (let n = 0; n < count; n++) yield findingItem(approvedFinding(visit, n, v * findingsPerVisit + n));
  }
}
