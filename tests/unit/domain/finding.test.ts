import { describe, expect, it } from 'vitest';
import { InvalidStateError, ValidationError } from '#domain/errors.ts';
import {
  applyFindingPatch,
  deriveFindings,
  dismissOnRevoke,
  type Finding,
  type FindingStatus,
  findingPatchSchema,
  isOverdue,
} from '#domain/finding.ts';
import { smallTemplate } from './fixtures.ts';

const visitId = '3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c';
const visit = {
  visitId,
  unitId: 'xa-thach-ha',
  unitPath: ['ha-tinh', 'xa-thach-ha'],
  templateId: 'one-stop-counter',
  startedAt: '2026-03-31T09:00:00+07:00',
  answers: [
    { itemCode: 'B1', value: 4, note: 'Thái độ chưa niềm nở' },
    { itemCode: 'A1', value: true },
    { itemCode: 'A2', value: 92 },
  ],
  manualFindings: [
    { title: 'Thiếu ghế chờ', severity: 'medium' as const, itemCode: 'A2', note: 'Chỉ có 3 ghế' },
    { title: 'Máy lấy số hỏng', severity: 'low' as const },
  ],
  photos: [
    { photoId: 'p2', itemCode: 'A2', status: 'verified' as const },
    { photoId: 'p1', itemCode: 'A2', status: 'verified' as const },
    { photoId: 'p3', itemCode: 'A2', status: 'pending' as const },
    { photoId: 'p4', itemCode: 'A2', status: 'rejected' as const },
    { photoId: 'p5', itemCode: 'A1', status: 'verified' as const },
  ],
};
// 18:00 UTC on 31 March is already 1 April in Viet Nam.
const approvedAt = '2026-03-31T18:00:00Z';

describe('deriveFindings', () => {
  const findings = deriveFindings(smallTemplate, visit, approvedAt);

  it('makes one finding per applicable item with r < 1, in template order, then the manual ones', () => {
    expect(findings.map((f) => [f.findingId, f.kind, f.itemCode, f.sectionCode, f.severity])).toEqual([
      [`${visitId}.A2`, 'item', 'A2', 'A', 'high'],
      [`${visitId}.B1`, 'item', 'B1', 'B', 'medium'],
      [`${visitId}.m1`, 'manual', 'A2', 'A', 'medium'],
      [`${visitId}.m2`, 'manual', null, null, 'low'],
    ]);
  });

  it('dates them from the local approval date plus the remediation days', () => {
    // A2 has 15 days, B1 the default 30, m1 its item's 15, m2 the default 30; 1 April + n.
    expect(findings.map((f) => f.dueDate)).toEqual(['2026-04-16', '2026-05-01', '2026-04-16', '2026-05-01']);
  });

  it('carries the answer, the notes, the verified photos and the period of the visit', () => {
    const [a2, b1, m1, m2] = findings;
    expect(a2).toMatchObject({
      title: { vi: 'Tỷ lệ hồ sơ đúng hạn', en: 'On-time rate' },
      answer: { value: 92, note: null },
      photoIds: ['p1', 'p2'],
      status: 'open',
      unitPath: ['ha-tinh', 'xa-thach-ha'],
      periodStartedAt: '2026-03-31T09:00:00+07:00',
      createdAt: approvedAt,
      note: null,
      reason: null,
    });
    expect(b1).toMatchObject({ answer: { value: 4, note: 'Thái độ chưa niềm nở' }, photoIds: [] });
    expect(m1).toMatchObject({ title: { vi: 'Thiếu ghế chờ' }, inspectorNote: 'Chỉ có 3 ghế', answer: null });
    expect(m2?.photoIds).toEqual([]);
  });

  it('is deterministic, so a retried approval writes the same findings', () => {
    const shuffled = { ...visit, answers: [...visit.answers].reverse(), photos: [...visit.photos].reverse() };
    expect(deriveFindings(smallTemplate, shuffled, approvedAt)).toEqual(findings);
  });

  it('skips not-applicable and perfect answers', () => {
    const clean = {
      ...visit,
      manualFindings: [],
      answers: [
        { itemCode: 'A1', value: true },
        { itemCode: 'A2', notApplicable: true },
        { itemCode: 'B1', value: 5 },
      ],
    };
    expect(deriveFindings(smallTemplate, clean, approvedAt)).toEqual([]);
  });
});

function finding(status: FindingStatus, dueDate = '2026-05-01'): Finding {
  const [first] = deriveFindings(smallTemplate, visit, approvedAt);
  if (first === undefined) throw new Error('setup');
  return { ...first, status, dueDate };
}

describe('isOverdue', () => {
  it.each<[FindingStatus, string, boolean]>([
    ['open', '2026-05-01T16:59:59Z', false], // 23:59:59 on the due date in Viet Nam
    ['open', '2026-05-01T17:00:00Z', true], // 2 May in Viet Nam
    ['in_progress', '2026-06-01T00:00:00Z', true],
    ['resolved', '2026-06-01T00:00:00Z', false],
    ['verified', '2026-06-01T00:00:00Z', false],
    ['dismissed', '2026-06-01T00:00:00Z', false],
  ])('%s finding due 2026-05-01 at %s: %s', (status, now, expected) => {
    expect(isOverdue(finding(status), now)).toBe(expected);
  });
});

describe('finding lifecycle', () => {
  it.each<[FindingStatus, Record<string, unknown>, FindingStatus]>([
    ['open', { status: 'in_progress' }, 'in_progress'],
    ['open', { status: 'in_progress', note: 'Đã đặt mua ghế' }, 'in_progress'],
    ['in_progress', { status: 'resolved', note: 'Đã bổ sung 10 ghế' }, 'resolved'],
    ['resolved', { status: 'verified' }, 'verified'],
    ['open', { status: 'dismissed', reason: 'Trùng tồn tại khác' }, 'dismissed'],
    ['in_progress', { status: 'dismissed', reason: 'Không còn áp dụng' }, 'dismissed'],
    ['open', { note: 'Đã nhắc đơn vị' }, 'open'],
    ['open', { dueDate: '2026-06-30' }, 'open'],
    ['in_progress', { status: 'in_progress' }, 'in_progress'],
  ])('%s + %j -> %s', (from, body, to) => {
    const patch = findingPatchSchema.parse(body);
    const result = applyFindingPatch(finding(from), patch);
    expect(result.status).toBe(to);
    if (patch.note !== undefined) expect(result.note).toBe(patch.note);
    if (patch.reason !== undefined) expect(result.reason).toBe(patch.reason);
    if (patch.dueDate !== undefined) expect(result.dueDate).toBe(patch.dueDate);
  });

  it.each<[string, FindingStatus, Record<string, unknown>, new (...args: never[]) => Error]>([
    ['skipping in_progress', 'open', { status: 'resolved', note: 'x' }, InvalidStateError],
    ['verifying an open finding', 'open', { status: 'verified' }, InvalidStateError],
    ['reopening a resolved finding', 'resolved', { status: 'open' }, InvalidStateError],
    ['dismissing a resolved finding', 'resolved', { status: 'dismissed', reason: 'x' }, InvalidStateError],
    ['reviving a dismissed finding', 'dismissed', { status: 'in_progress' }, InvalidStateError],
    ['noting a verified finding', 'verified', { note: 'x' }, InvalidStateError],
    ['moving the due date of a resolved finding', 'resolved', { dueDate: '2026-07-01' }, InvalidStateError],
    ['resolving without a note', 'in_progress', { status: 'resolved' }, ValidationError],
    ['resolving with a blank note', 'in_progress', { status: 'resolved', note: ' ' }, ValidationError],
    ['dismissing without a reason', 'open', { status: 'dismissed' }, ValidationError],
    ['a reason without dismissal', 'open', { reason: 'x' }, ValidationError],
    ['a due date before the finding', 'open', { dueDate: '2026-03-31' }, ValidationError],
  ])('refuses %s', (_name, from, body, errorClass) => {
    expect(() => applyFindingPatch(finding(from), findingPatchSchema.parse(body))).toThrow(errorClass);
  });

  it('names the missing field in both languages', () => {
    try {
      applyFindingPatch(finding('in_progress'), { status: 'resolved' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      if (error instanceof ValidationError) {
        expect(error.problems).toEqual([
          {
            path: 'note',
            message: {
              vi: 'Cần ghi chú kết quả khắc phục.',
              en: 'A note on how the finding was resolved is required.',
            },
          },
        ]);
      }
    }
  });

  it('refuses an empty or unknown patch', () => {
    expect(findingPatchSchema.safeParse({}).success).toBe(false);
    expect(findingPatchSchema.safeParse({ status: 'closed' }).success).toBe(false);
    expect(findingPatchSchema.safeParse({ severity: 'low' }).success).toBe(false);
    expect(findingPatchSchema.safeParse({ dueDate: '2026-02-30' }).success).toBe(false);
  });
});

describe('dismissOnRevoke', () => {
  it('dismisses open and in-progress findings with the reason and returns only those', () => {
    const findings = (['open', 'in_progress', 'resolved', 'verified', 'dismissed'] as const).map(
      (status, i) => ({
        ...finding(status),
        findingId: `f${i}`,
      }),
    );
    const changed = dismissOnRevoke(findings, 'Thu hồi do sai sót');
    expect(changed.map((f) => [f.findingId, f.status, f.reason])).toEqual([
      ['f0', 'dismissed', 'Thu hồi do sai sót'],
      ['f1', 'dismissed', 'Thu hồi do sai sót'],
    ]);
  });
});
