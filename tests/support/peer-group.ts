/**
 * Seeding for the findings, scores, publications and exports tests: state written through the
 * real store adapters (or as items shaped exactly like the adapters write them, for bulk), so the
 * tests do not depend on the visit review use cases.
 */
import { Documents } from '#adapters/dynamodb/documents.ts';
import { DynamoFindingStore, scoreItem } from '#adapters/dynamodb/findings.ts';
import { DynamoTemplateStore } from '#adapters/dynamodb/templates.ts';
import { DynamoUnitStore, unitItem } from '#adapters/dynamodb/units.ts';
import { DynamoVisitStore, visitItems } from '#adapters/dynamodb/visits.ts';
import { configureDeps, resetDeps } from '#adapters/wiring.ts';
import { withFindingEtag } from '#app/findings.ts';
import { withEtag } from '#app/visits.ts';
import type { DomainEvent, EventPublisher } from '#ports/events.ts';
import type {
  FindingRecord,
  TemplateRecord,
  UnitRecord,
  UnitScoreRecord,
  UnitScoreVisit,
  VisitRecord,
} from '#ports/records.ts';
import { batchWrite } from '#tests/support/batch-write.ts';
import type { Caller } from '#tests/support/invoke.ts';
import { freshStorage } from '#tests/support/services.ts';

/** Fresh table and bucket, the handlers' environment pointed at them, and the store adapters. */
export async function seededStorage(prefix: string) {
  const storage = await freshStorage(prefix);
  process.env.TABLE_NAME = storage.tableName;
  process.env.BUCKET_NAME = storage.bucketName;
  process.env.DYNAMODB_ENDPOINT = storage.endpoints.dynamodb;
  process.env.S3_ENDPOINT = storage.endpoints.s3;
  process.env.AWS_REGION = 'ap-southeast-1';
  resetDeps();
  const documents = new Documents(storage.documents, storage.tableName);
  const events = recordingPublisher();
  configureDeps({ events });
  return {
    ...storage,
    store: documents,
    events,
    units: new DynamoUnitStore(documents),
    visits: new DynamoVisitStore(documents),
    findings: new DynamoFindingStore(documents),
    templates: new DynamoTemplateStore(documents),
  };
}
export type Seeded = Awaited<ReturnType<typeof seededStorage>>;

/** An event publisher that keeps what it was given, and can be told to fail. */
export function recordingPublisher() {
  const published: DomainEvent[] = [];
  const state = { failing: false };
  const publisher: EventPublisher & { published: DomainEvent[]; state: typeof state } = {
    published,
    state,
    async publish(event) {
      if (state.failing) throw new Error('event bus down (test)');
      published.push(event);
    },
  };
  return publisher;
}

export { batchWrite };

/** When seeded records say they were made. */
export const seededAt = '2026-01-01T00:00:00.000Z';
const at = seededAt;

/** A unit record under `parent` (null: a root). */
export function unit(
  unitId: string,
  name: string,
  kind: UnitRecord['kind'],
  parent: Pick<UnitRecord, 'unitId' | 'path'> | null,
  extra: { code?: string; abolishedOn?: string } = {},
): UnitRecord {
  return {
    unitId,
    name,
    kind,
    parentId: parent?.unitId ?? null,
    path: [...(parent?.path ?? []), unitId],
    ...extra,
    createdAt: at,
    updatedAt: at,
    etag: `etag-${unitId}`,
  };
}

export { scoreItem, unitItem };

/**
 * A unit score record for `unit` from the visits behind it (score null when there are none).
 * The store derives the score from the visits, so a score given without visits gets one visit
 * with that score and those sections.
 */
export function unitScoreRecord(
  owner: Pick<UnitRecord, 'unitId' | 'parentId' | 'kind'>,
  templateId: string,
  period: string,
  score: number | null,
  sections: UnitScoreRecord['sections'],
  given: UnitScoreVisit[],
): UnitScoreRecord {
  const visits =
    given.length === 0 && score !== null
      ? [
          {
            visitId: `${owner.unitId}-${templateId}-${period}`,
            startedAt: at,
            templateVersion: 1,
            score,
            sections,
          },
        ]
      : given;
  return {
    unitId: owner.unitId,
    templateId,
    period,
    parentId: owner.parentId,
    kind: owner.kind,
    score,
    sections,
    visitCount: visits.length,
    visits,
    revision: 1,
    updatedAt: at,
  };
}

/** A template version with the given sections (one yes/no item each) and bands. */
export function template(
  templateId: string,
  version: number,
  sectionCodes: readonly string[],
  bands: TemplateRecord['bands'],
): TemplateRecord {
  return {
    templateId,
    version,
    publishedAt: at,
    publishedBy: 'admin-1',
    title: { vi: 'Phiếu kiểm tra Bộ phận Một cửa', en: 'One-stop counter checklist' },
    sections: sectionCodes.map((code) => ({
      code,
      title: { vi: `Phần ${code}`, en: `Section ${code}` },
      items: [
        {
          code: `${code}1`,
          text: { vi: `Tiêu chí ${code}1`, en: `Item ${code}1` },
          answer: { type: 'yes_no' as const },
          maxPoints: 10,
          severity: 'medium' as const,
          photo: 'none' as const,
          allowNotApplicable: false,
          remediationDays: 30,
        },
      ],
    })),
    bands,
  };
}

export const bands: TemplateRecord['bands'] = [
  { minScore: 90, code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } },
  { minScore: 80, code: 'TOT', label: { vi: 'Tốt', en: 'Good' } },
  { minScore: 65, code: 'KHA', label: { vi: 'Khá' } },
];

export async function publishTemplate(seeded: Seeded, record: TemplateRecord): Promise<void> {
  await seeded.templates.publishTemplate(record, {
    entryId: `t-${record.templateId}-${record.version}`,
    subject: { type: 'template', id: record.templateId },
    action: 'publish',
    actor: 'admin-1',
    at,
    from: null,
    to: String(record.version),
    reason: null,
  });
}

/**
 * A visit whose approval committed (`approved`, or `revoked` afterwards) at `approvedAt`, or
 * with `status: 'submitted'` one whose approval began and never committed.
 */
export function visit(input: {
  visitId: string;
  unit: Pick<UnitRecord, 'unitId' | 'path'>;
  inspectorId: string;
  startedAt: string;
  approvedAt: string;
  status?: 'approved' | 'revoked' | 'submitted';
  templateId?: string;
  score?: number;
}): VisitRecord {
  const status = input.status ?? 'approved';
  const review = { decision: 'approve' as const, comment: null, by: 'manager-1', at: input.approvedAt };
  return withEtag({
    visitId: input.visitId,
    unitId: input.unit.unitId,
    unitPath: [...input.unit.path],
    templateId: input.templateId ?? 'checklist',
    templateVersion: 1,
    startedAt: input.startedAt,
    answers: [],
    inspectorId: input.inspectorId,
    inspectorName: null,
    status,
    score: input.score ?? 80,
    base: input.score ?? 80,
    sections: [],
    submittedAt: input.startedAt,
    review: status === 'submitted' ? null : review,
    pendingApproval: status === 'submitted' ? review : null,
    revocation:
      status === 'revoked' ? { reason: 'Sai quy trình', by: 'admin-1', at: input.approvedAt } : null,
    createdAt: input.startedAt,
    updatedAt: input.approvedAt,
  });
}

export { visitItems };

/** A finding of `visit`, as an approval at the visit's approval instant writes it. */
export function finding(
  of: VisitRecord,
  key: string,
  extra: Partial<Omit<FindingRecord, 'etag' | 'findingId'>> = {},
): FindingRecord {
  const createdAt = of.review?.at ?? of.pendingApproval?.at ?? at;
  return withFindingEtag({
    findingId: `${of.visitId}.${key}`,
    visitId: of.visitId,
    unitId: of.unitId,
    unitPath: [...of.unitPath],
    templateId: of.templateId,
    sectionCode: 'A',
    itemCode: key.startsWith('m') ? null : key,
    kind: key.startsWith('m') ? 'manual' : 'item',
    title: { vi: `Tồn tại ${key}`, en: `Finding ${key}` },
    severity: 'medium',
    answer: null,
    inspectorNote: null,
    inspectorId: of.inspectorId,
    photoIds: [],
    status: 'open',
    dueDate: '2026-03-01',
    periodStartedAt: of.startedAt,
    createdAt,
    note: null,
    reason: null,
    updatedAt: createdAt,
    ...extra,
  });
}

/** Callers of the tests, shaped as tests/support/invoke.ts sends them. */
export function staff(sub: string, role: 'admin' | 'manager' | 'inspector', unitId: string): Caller {
  return { sub, roles: [role], unitId, name: sub };
}

export const checklist = 'checklist';

/**
 * A province P with a commune peer group for 2026 exercising every ranking rule:
 * - scores 91.00, 88.50, 88.50 (a tie, ordered by Vietnamese collation), 82.78, 70.00, 60.00;
 * - C05 abolished before 2026 (left out, though it has a score), C06 abolished during 2026
 *   (kept for 2026, left out of 2026-Q2);
 * - C07 without a score record, C08 whose record's score is null (every visit revoked);
 * - C09 whose record was recomputed without its revoked visit (80.00 and 85.55 -> 82.78);
 * - a ward W1 with a score (another kind) and a commune X1 under another parent.
 * The template's latest version (2) has sections A, B, C; version 1 had only A and B.
 */
export async function seedPeerGroup(seeded: Seeded) {
  const province = unit('P', 'Tỉnh Mẫu', 'province', null, { code: '99' });
  const other = unit('D9', 'Huyện Khác', 'district', province);
  const communes = {
    C01: unit('C01', 'Xã Đông Hòa', 'commune', province, { code: '30001' }),
    C02: unit('C02', 'Xã An Phú', 'commune', province, { code: '30002' }),
    C03: unit('C03', 'Xã Ấp Bắc', 'commune', province, { code: '30003' }),
    C04: unit('C04', 'Xã Bình Thạnh', 'commune', province, { code: '30004' }),
    C05: unit('C05', 'Xã Cũ', 'commune', province, { abolishedOn: '2025-06-30' }),
    C06: unit('C06', 'Xã Mới Sáp Nhập', 'commune', province, { abolishedOn: '2026-03-31' }),
    C07: unit('C07', 'Xã Đá Bạc', 'commune', province),
    C08: unit('C08', 'Xã Ba Vì', 'commune', province),
    C09: unit('C09', 'Xã Cầu Ngang', 'commune', province, { code: '30009' }),
  };
  const ward = unit('W1', 'Phường Một', 'ward', province);
  const elsewhere = unit('X1', 'Xã Xa', 'commune', other);
  await batchWrite(
    seeded.store,
    [province, other, ward, elsewhere, ...Object.values(communes)].map(unitItem),
  );
  await publishTemplate(seeded, template(checklist, 1, ['A', 'B'], bands));
  await publishTemplate(seeded, template(checklist, 2, ['A', 'B', 'C'], bands));

  const scoreVisit = (n: number, startedAt: string, score: number, a: number | null, b: number | null) => ({
    visitId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    startedAt,
    templateVersion: n % 2 === 0 ? 2 : 1,
    score,
    sections: [
      { code: 'A', percent: a },
      { code: 'B', percent: b },
    ],
  });
  const year = (
    u: UnitRecord,
    score: number | null,
    visits: UnitScoreVisit[],
    sections?: UnitScoreRecord['sections'],
  ) => unitScoreRecord(u, checklist, '2026', score, sections ?? visits[0]?.sections ?? [], visits);
  const c = communes;
  const records = [
    year(c.C01, 91, [scoreVisit(1, '2026-02-01T08:00:00+07:00', 91, 95, 87)]),
    year(c.C02, 88.5, [scoreVisit(2, '2026-05-01T08:00:00+07:00', 88.5, 90, null)]),
    year(c.C03, 88.5, [scoreVisit(3, '2026-06-01T08:00:00+07:00', 88.5, 80, 97)]),
    year(c.C04, 70, [scoreVisit(4, '2026-07-01T08:00:00+07:00', 70, 70, 70)]),
    year(c.C05, 99, [scoreVisit(5, '2026-01-02T08:00:00+07:00', 99, 99, 99)]),
    year(c.C06, 60, [scoreVisit(6, '2026-02-15T08:00:00+07:00', 60, 60, 60)]),
    year(c.C08, null, [], []),
    year(
      c.C09,
      82.78,
      [
        scoreVisit(9, '2026-03-10T08:00:00+07:00', 80, 80, 80),
        scoreVisit(10, '2026-08-20T08:00:00+07:00', 85.55, 85.5, null),
      ],
      [
        { code: 'A', percent: 82.75 },
        { code: 'B', percent: 80 },
      ],
    ),
    year(ward, 100, [scoreVisit(11, '2026-02-01T08:00:00+07:00', 100, 100, 100)]),
    year(elsewhere, 95, [scoreVisit(12, '2026-02-01T08:00:00+07:00', 95, 95, 95)]),
    // 2026-Q2: only C02 and C03 have visits in it.
    unitScoreRecord(c.C02, checklist, '2026-Q2', 88.5, [{ code: 'A', percent: 90 }], []),
    unitScoreRecord(c.C03, checklist, '2026-Q2', 88.5, [{ code: 'A', percent: 80 }], []),
  ];
  await batchWrite(seeded.store, records.map(scoreItem));
  return { province, communes, ward, elsewhere };
}

/** The 2026 commune ranking of seedPeerGroup: unit, rank, score, band code, in order. */
export const expectedRanking: Array<[string, number | null, number | null, string | null]> = [
  ['C01', 1, 91, 'XS'],
  ['C02', 2, 88.5, 'TOT'],
  ['C03', 2, 88.5, 'TOT'],
  ['C09', 4, 82.78, 'TOT'],
  ['C04', 5, 70, 'KHA'],
  ['C06', 6, 60, null],
  ['C08', null, null, null],
  ['C07', null, null, null],
];
