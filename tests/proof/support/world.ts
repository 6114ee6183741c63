/**
 * A province with two districts, built through the real handlers, in which every route has an
 * object inside and an object outside the jurisdiction of the matrix's callers (district D1):
 *
 *   NA (province) ─┬─ D1 (district) ─┬─ C1 (commune)   the callers' jurisdiction
 *                  │                 └─ C2 (commune)
 *                  └─ D2 (district) ─── C3 (commune)   another subtree
 *
 * Visits, photos, findings, scores, exports, publications, plans and records exist on both
 * sides, plus another inspector's visits inside D1 (foreign to an inspector, in scope for a
 * manager).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { configureDeps } from '#adapters/wiring.ts';
import { handler as buildRecord } from '#functions/records/worker.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';
import { addPhoto, jpegBytes, sha256, startApi } from '#tests/support/api.ts';
import { type Caller, invoke } from '#tests/support/invoke.ts';
import { recordingPublisher } from '#tests/support/peer-group.ts';

export const matrixTemplateId = 'matrix-checklist';

/** A small checklist: A1 takes an optional photo, A3 answered "no" makes a finding. */
export const matrixTemplate = {
  title: { vi: 'Phiếu kiểm tra thử', en: 'Test checklist' },
  sections: [
    {
      code: 'A',
      title: { vi: 'Cơ sở vật chất', en: 'Facilities' },
      items: [
        {
          code: 'A1',
          text: { vi: 'Biển tên đúng quy định', en: 'Correct signage' },
          answer: { type: 'yes_no' },
          maxPoints: 4,
          severity: 'low',
          photo: 'optional',
        },
        {
          code: 'A2',
          text: { vi: 'Thái độ phục vụ', en: 'Service attitude' },
          answer: { type: 'rating', min: 1, max: 5 },
          maxPoints: 3,
          severity: 'medium',
          photo: 'none',
        },
        {
          code: 'A3',
          text: { vi: 'Niêm yết thủ tục', en: 'Procedures posted' },
          answer: { type: 'yes_no' },
          maxPoints: 3,
          severity: 'high',
          photo: 'none',
        },
      ],
    },
  ],
  bands: [{ minScore: 90, code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } }],
};

export const period = '2026';
const startedAt = '2026-05-12T08:30:00+07:00';

/** The province's own staff, who build the world (all of it is in their scope). */
export const province = {
  admin: { sub: 'na-admin', roles: ['admin'], unitId: 'NA', name: 'Quản trị tỉnh' },
  manager: { sub: 'na-manager', roles: ['manager'], unitId: 'NA', name: 'Lãnh đạo tỉnh' },
  inspector: { sub: 'na-inspector', roles: ['inspector'], unitId: 'NA', name: 'Kiểm tra viên tỉnh' },
} satisfies Record<string, Caller>;

/** The matrix's callers: every staff role with jurisdiction D1, and the ranking client. */
export const matrixCallers = {
  admin: { sub: 'd1-admin', roles: ['admin'], unitId: 'D1', name: 'Quản trị huyện' },
  manager: { sub: 'd1-manager', roles: ['manager'], unitId: 'D1', name: 'Lãnh đạo huyện' },
  inspector: { sub: 'd1-inspector', roles: ['inspector'], unitId: 'D1', name: 'Kiểm tra viên huyện' },
  ranking: { sub: 'ranking-system', roles: ['ranking'], unitId: null },
} satisfies Record<string, Caller>;

/** Another inspector of D1: their visits are foreign to the matrix's inspector. */
const colleague: Caller = { sub: 'd1-inspector-2', roles: ['inspector'], unitId: 'D1', name: 'Đồng nghiệp' };

const answers = [
  { itemCode: 'A1', value: true },
  { itemCode: 'A2', value: 4 },
  { itemCode: 'A3', value: false },
];

async function ok(
  what: string,
  response: Promise<{ status: number; body: unknown }>,
  status: number,
): Promise<unknown> {
  const answer = await response;
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(status);
  return answer.body;
}

export async function draft(unitId: string, as: Caller, withAnswers = answers): Promise<string> {
  const visitId = randomUUID();
  await ok(
    `draft in ${unitId}`,
    invoke('putVisit', {
      params: { visitId },
      body: { unitId, templateId: matrixTemplateId, templateVersion: 1, startedAt, answers: withAnswers },
      as,
    }),
    201,
  );
  return visitId;
}

export async function submitted(
  unitId: string,
  as: Caller,
  photo = false,
): Promise<{ visitId: string; photoId?: string }> {
  const visitId = await draft(unitId, as);
  const photoId = photo ? (await verifiedPhoto(visitId, as)).photoId : undefined;
  await ok('submit', invoke('submitVisit', { params: { visitId }, as }), 200);
  return photoId ? { visitId, photoId } : { visitId };
}

async function verifiedPhoto(visitId: string, as: Caller) {
  const photo = await addPhoto(visitId, 'A1', jpegBytes(), { as });
  expect(photo.status).toBe('verified');
  return photo;
}

export async function approve(visitId: string): Promise<void> {
  await ok(
    'approve',
    invoke('reviewVisit', { params: { visitId }, body: { decision: 'approve' }, as: province.manager }),
    200,
  );
}

async function findingOf(visitId: string): Promise<{ findingId: string; etag: string }> {
  const listed = (await ok(
    'findings',
    invoke('listFindings', { query: { unitId: 'NA', limit: '100' }, as: province.admin }),
    200,
  )) as { items: Array<{ findingId: string; visitId: string; etag: string }> };
  const found = listed.items.find((item) => item.visitId === visitId);
  if (!found) throw new Error(`no finding of ${visitId}`);
  return found;
}

/** A registered photo (pending: nothing uploaded) on a draft. */
async function pendingPhoto(visitId: string, as: Caller): Promise<string> {
  const photoId = randomUUID();
  const bytes = jpegBytes();
  await ok(
    'photo',
    invoke('createPhoto', {
      params: { visitId },
      body: {
        photoId,
        itemCode: 'A1',
        contentType: 'image/jpeg',
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
      },
      as,
    }),
    201,
  );
  return photoId;
}

async function exportBy(as: Caller, unitId: string): Promise<string> {
  const body = (await ok(
    'export',
    invoke('createExport', { body: { kind: 'findings', filters: { unitId } }, as }),
    202,
  )) as { exportId: string };
  return body.exportId;
}

async function publicationOf(parentId: string): Promise<string> {
  const body = (await ok(
    'publication',
    invoke('createPublication', {
      body: { templateId: matrixTemplateId, period, parentId, kind: 'commune' },
      as: province.admin,
    }),
    201,
  )) as { publicationId: string };
  return body.publicationId;
}

/**
 * The inspection record of an approved visit, as the province's manager asks for it; built by
 * the record worker's handler as the bus would start it (so it takes its signed scan).
 */
async function recordOf(visitId: string): Promise<string> {
  const body = (await ok(
    'record',
    invoke('createRecord', { params: { visitId }, as: province.manager }),
    202,
  )) as { recordId: string };
  await buildRecord({
    source: eventSource,
    'detail-type': eventTypes.recordRequested,
    detail: { recordId: body.recordId },
  });
  return body.recordId;
}

/** The unit tree and the matrix's template, as the province's admin makes them. */
export async function seedTree(): Promise<void> {
  const units = [
    { unitId: 'NA', body: { name: 'Tỉnh Nghệ An', kind: 'province', parentId: null, code: '40' } },
    { unitId: 'D1', body: { name: 'Huyện Diễn Châu', kind: 'district', parentId: 'NA' } },
    { unitId: 'C1', body: { name: 'Xã Diễn Kỷ', kind: 'commune', parentId: 'D1', code: '17336' } },
    { unitId: 'C2', body: { name: 'Xã Diễn Hoa', kind: 'commune', parentId: 'D1', code: '17337' } },
    { unitId: 'D2', body: { name: 'Huyện Quỳnh Lưu', kind: 'district', parentId: 'NA' } },
    { unitId: 'C3', body: { name: 'Xã Quỳnh Lâm', kind: 'commune', parentId: 'D2', code: '17001' } },
  ];
  for (const unit of units) {
    await ok(
      `unit ${unit.unitId}`,
      invoke('putUnit', { params: { unitId: unit.unitId }, body: unit.body, as: province.admin }),
      201,
    );
  }
  await ok(
    'template',
    invoke('publishTemplateVersion', {
      params: { templateId: matrixTemplateId },
      body: matrixTemplate,
      as: province.admin,
    }),
    201,
  );
}

/** An inspection plan (no assignments) for the subtree of `scopeUnitId`. */
export function planBody(scopeUnitId: string, title = 'Kế hoạch kiểm tra CCHC năm 2026') {
  return { title, period, templateId: matrixTemplateId, scopeUnitId, assignments: [] };
}

async function planOf(scopeUnitId: string): Promise<string> {
  const body = (await ok(
    'plan',
    invoke('createPlan', { body: planBody(scopeUnitId), as: province.admin }),
    201,
  )) as { planId: string };
  return body.planId;
}

/** A staff member of `unitId`, added by the province's admin. */
async function staffOf(unitId: string): Promise<string> {
  const body = (await ok(
    'staff',
    invoke('createStaff', {
      body: { email: `${randomUUID()}@snv.nghean.gov.vn`, name: 'Cán bộ thử', role: 'inspector', unitId },
      as: province.admin,
    }),
    201,
  )) as { userId: string };
  return body.userId;
}

export async function buildWorld(prefix: string) {
  const api = await startApi(prefix);
  configureDeps({ events: recordingPublisher() });
  await seedTree();

  const inspector = matrixCallers.inspector;
  // Approved visits with a verified photo and a finding: the inspector's own, a colleague's, and
  // one in the other district.
  const own = await submitted('C1', inspector, true);
  const colleagues = await submitted('C1', colleague, true);
  const foreign = await submitted('C3', province.inspector, true);
  for (const visit of [own, colleagues, foreign]) await approve(visit.visitId);

  const world = {
    api,
    units: { inScope: 'C1', district: 'D1', foreign: 'C3', foreignDistrict: 'D2', ancestor: 'NA' },
    visits: {
      own: own.visitId,
      colleagues: colleagues.visitId,
      foreign: foreign.visitId,
      /** Submitted, waiting for review: outside D1, and two inside (one per reviewing role). */
      foreignSubmitted: (await submitted('C3', province.inspector)).visitId,
      forReview: {
        admin: (await submitted('C1', colleague)).visitId,
        manager: (await submitted('C1', colleague)).visitId,
      },
      /** Approved, for the admin's revoke. */
      forRevoke: (await submitted('C1', colleague)).visitId,
      /** The inspector's drafts: one to delete, one complete to submit, one with a photo. */
      toDelete: await draft('C1', inspector),
      toSubmit: await draft('C1', inspector),
      withPhoto: await draft('C1', inspector),
      colleaguesDraft: await draft('C1', colleague),
    },
    photos: {
      own: own.photoId ?? '',
      colleagues: colleagues.photoId ?? '',
      foreign: foreign.photoId ?? '',
      onDraft: '',
      onColleaguesDraft: '',
    },
    findings: {
      own: await findingOf(own.visitId),
      colleagues: await findingOf(colleagues.visitId),
      foreign: await findingOf(foreign.visitId),
    },
    exports: {
      admin: await exportBy(matrixCallers.admin, 'D1'),
      manager: await exportBy(matrixCallers.manager, 'D1'),
      foreign: await exportBy(province.manager, 'NA'),
    },
    publications: { inScope: await publicationOf('D1'), foreign: await publicationOf('D2') },
    plans: { inScope: await planOf('D1'), foreign: await planOf('D2') },
    records: { inScope: await recordOf(colleagues.visitId), foreign: await recordOf(foreign.visitId) },
    staff: { inScope: await staffOf('C1'), foreign: await staffOf('C3') },
  };
  await approve(world.visits.forRevoke);
  world.photos.onDraft = await pendingPhoto(world.visits.withPhoto, inspector);
  world.photos.onColleaguesDraft = await pendingPhoto(world.visits.colleaguesDraft, colleague);
  return world;
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/**
 * What must never appear in an answer to `role` (a D1 caller): IDs of everything outside D1,
 * and for the inspector also the colleague's visits, photos and findings.
 */
export function foreignIds(world: World, role: string): string[] {
  const outside = [
    world.units.foreign,
    world.units.foreignDistrict,
    world.visits.foreign,
    world.visits.foreignSubmitted,
    world.photos.foreign,
    world.findings.foreign.findingId,
    world.exports.foreign,
    world.publications.foreign,
    world.plans.foreign,
    world.records.foreign,
    world.staff.foreign,
  ];
  if (role === 'ranking') return [];
  if (role !== 'inspector') return outside;
  return [
    ...outside,
    world.visits.colleagues,
    world.visits.colleaguesDraft,
    world.visits.forReview.admin,
    world.visits.forReview.manager,
    world.visits.forRevoke,
    world.photos.colleagues,
    world.photos.onColleaguesDraft,
    world.findings.colleagues.findingId,
  ];
}
