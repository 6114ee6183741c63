/**
 * Round trips per route (issue 12, target 3), counted on the real handlers and DynamoDB Local
 * with ReturnConsumedCapacity: every route once, one call at a time, so each invocation's calls
 * are its own. Asserts the limits: submit is one transaction plus at most one read;
 * approve is one transaction when the visit fits; a list page is one Query plus at most one
 * BatchGet. With PAR_ROUND_TRIPS_OUT set, writes what it counted there as JSON: bench/round-trips.ts
 * turns it into the table in docs/benchmarks.md and the cost per 1,000 visits.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureDeps } from '#adapters/wiring.ts';
import { type RouteName, routes } from '#routes/table.ts';
import {
  jpegBytes,
  people,
  referenceTemplate,
  sha256,
  startApi,
  submittedVisit,
  templateId,
  uploadWithForm,
  visitBody,
  waitForPhoto,
} from '#tests/support/api.ts';
import { type InvokeOptions, invoke } from '#tests/support/invoke.ts';
import { type RouteTrips, startMeter, tripsOf } from '#tests/support/round-trips.ts';

// Before startApi, so the SDK clients the wirings build carry the meter.
const meter = startMeter();
const measured: RouteTrips[] = [];
let published = 0;
let api: Awaited<ReturnType<typeof startApi>>;

/** Invokes one route alone and keeps what it cost; `expected` is its success status. */
async function call(name: RouteName, scenario: string, options: InvokeOptions, expected: number) {
  meter.take();
  const events = published;
  const started = performance.now();
  const response = await invoke(name, options);
  const millis = performance.now() - started;
  expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(expected);
  measured.push({ ...tripsOf(name, scenario, meter.take(), millis), events: published - events });
  return response;
}

/** A photo registered, uploaded with its form and verified; the verifier's calls are kept. */
async function photo(visitId: string, itemCode: string, bytes: Buffer) {
  const photoId = randomUUID();
  const created = await call(
    'createPhoto',
    'register a photo (presigned form)',
    {
      params: { visitId },
      body: { photoId, itemCode, contentType: 'image/jpeg', sizeBytes: bytes.length, sha256: sha256(bytes) },
      as: people.inspector,
    },
    201,
  );
  const upload = (created.body as { upload: { url: string; fields: Record<string, string> } }).upload;
  meter.take();
  await uploadWithForm(upload, bytes, 'image/jpeg');
  const settled = await waitForPhoto(visitId, photoId);
  expect(settled.status).toBe('verified');
  const verifier = meter.take().filter((c) => c.invoker === 'verifyPhoto');
  measured.push({ ...tripsOf('verifyPhoto', 'verify one uploaded photo (worker)', verifier, 0), events: 0 });
  return photoId;
}

const find = (route: string, scenario?: string) => {
  const found = measured.filter(
    (m) => m.route === route && (scenario === undefined || m.scenario === scenario),
  );
  expect(found.length, `${route} ${scenario ?? ''} was measured`).toBeGreaterThan(0);
  return found;
};

// The photos of one visit in the cost model (issue 12: 10 photos): the two required ones, the
// two optional ones and six more on items that take a photo.
const photoItems = ['B1', 'D1', 'A5', 'B5', 'A1', 'A2', 'A3', 'A4', 'A6', 'B2'];

beforeAll(async () => {
  // Every handler loaded first, as in a warm function: the times measured are of the calls alone.
  for (const { handler } of routes) await import(new URL(`../../${handler}`, import.meta.url).href);
  api = await startApi('trips');
  // EventBridge has no emulator: events are counted here, per invocation, as PutEvents calls.
  configureDeps({
    events: {
      async publish() {
        published++;
      },
    },
  });
  const units = [
    { unitId: 'NA', body: { name: 'Tỉnh Nghệ An', kind: 'province', parentId: null, code: '40' } },
    { unitId: 'W1', body: { name: 'Phường Trường Vinh', kind: 'ward', parentId: 'NA', code: '16690' } },
    { unitId: 'W2', body: { name: 'Phường Thành Vinh', kind: 'ward', parentId: 'NA', code: '16681' } },
  ];
  for (const unit of units)
    await call(
      'putUnit',
      'create a unit',
      { params: { unitId: unit.unitId }, body: unit.body, as: people.admin },
      201,
    );
  await call(
    'publishTemplateVersion',
    'publish the 43-item reference template',
    { params: { templateId }, body: referenceTemplate, as: people.admin },
    201,
  );

  // The visit of the cost model: 43 answers, 10 photos, saved three times, submitted, approved.
  const visitId = randomUUID();
  const created = await call(
    'putVisit',
    'create a draft (43 answers)',
    { params: { visitId }, body: visitBody(), as: people.inspector },
    201,
  );
  const saved = await call(
    'putVisit',
    'save the draft again (If-Match)',
    {
      params: { visitId },
      body: visitBody({ endedAt: '2026-05-12T10:15:00+07:00' }),
      headers: { 'if-match': `"${created.etag}"` },
      as: people.inspector,
    },
    200,
  );
  await call(
    'putVisit',
    'save the draft again (If-Match)',
    {
      params: { visitId },
      body: visitBody({ endedAt: '2026-05-12T10:20:00+07:00' }),
      headers: { 'if-match': `"${saved.etag}"` },
      as: people.inspector,
    },
    200,
  );
  for (const itemCode of photoItems) await photo(visitId, itemCode, jpegBytes(8192));
  await call(
    'submitVisit',
    'submit (10 photos verified)',
    { params: { visitId }, as: people.inspector },
    200,
  );
  await call(
    'getVisit',
    'one visit with photos and history',
    { params: { visitId }, as: people.manager },
    200,
  );
  await call(
    'listVisits',
    'review queue page (submitted, oldest first)',
    { query: { status: 'submitted', order: 'oldest' }, as: people.manager },
    200,
  );
  await call(
    'reviewVisit',
    'approve (fits one transaction)',
    { params: { visitId }, body: { decision: 'approve' }, as: people.manager },
    200,
  );

  // More approved visits (without photos of their own beyond the required two) so that a page
  // of 25 findings is full.
  for (let n = 0; n < 7; n++) {
    const other = await submittedVisit({
      unitId: n % 2 === 0 ? 'W1' : 'W2',
      startedAt: `2026-06-${String(n + 1).padStart(2, '0')}T08:30:00+07:00`,
    });
    const approved = await invoke('reviewVisit', {
      params: { visitId: other.visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  }
  const returned = await submittedVisit({ unitId: 'W2', startedAt: '2026-07-01T08:30:00+07:00' });
  await call(
    'reviewVisit',
    'return to the inspector',
    {
      params: { visitId: returned.visitId },
      body: { decision: 'return', comment: 'Thiếu ảnh' },
      as: people.manager,
    },
    200,
  );

  await call('listUnits', 'page of units in scope', { as: people.manager }, 200);
  await call('getUnit', 'one unit with its path', { params: { unitId: 'W1' }, as: people.manager }, 200);
  await call('listTemplates', 'latest version of each template', { as: people.inspector }, 200);
  await call('listStaff', "a subtree's inspectors", { query: { role: 'inspector' }, as: people.admin }, 200);
  await call(
    'getTemplateVersion',
    'one template version',
    { params: { templateId, version: '1' }, as: people.inspector },
    200,
  );
  await call('listVisits', "an inspector's own visits (page)", { as: people.inspector }, 200);
  const page = await call(
    'listFindings',
    'page of 25 findings',
    { query: { limit: '25' }, as: people.manager },
    200,
  );
  const findings = page.body as { items: Array<{ findingId: string }>; nextCursor: string | null };
  expect(findings.items).toHaveLength(25);
  expect(findings.nextCursor).not.toBeNull();
  await call(
    'listFindings',
    'next page (cursor)',
    { query: { limit: '25', cursor: findings.nextCursor ?? '' }, as: people.manager },
    200,
  );
  await call(
    'listFindings',
    "a subtree's overdue findings",
    { query: { overdue: 'true' }, as: people.manager },
    200,
  );
  const findingId = findings.items[0]?.findingId ?? '';
  const finding = await call(
    'getFinding',
    'one finding with its history',
    { params: { findingId }, as: people.manager },
    200,
  );
  await call(
    'patchFinding',
    'start work on a finding (If-Match)',
    {
      params: { findingId },
      body: { status: 'in_progress', note: 'Đang khắc phục' },
      headers: { 'if-match': `"${finding.etag}"` },
      as: people.manager,
    },
    200,
  );
  const ranking = { templateId, period: '2026', parentId: 'NA', kind: 'ward' };
  await call('getScores', 'ranking of a peer group (2 wards)', { query: ranking, as: people.manager }, 200);
  await call(
    'getUnitScores',
    "one unit's score",
    { params: { unitId: 'W1' }, query: { templateId, period: '2026' }, as: people.manager },
    200,
  );
  const publication = await call(
    'createPublication',
    'publish a ranking',
    { body: ranking, as: people.admin },
    201,
  );
  await call(
    'listPublications',
    'page of publications',
    { query: { parentId: 'NA' }, as: people.manager },
    200,
  );
  await call(
    'getPublication',
    'one publication with its rows',
    {
      params: { publicationId: (publication.body as { publicationId: string }).publicationId },
      as: people.manager,
    },
    200,
  );
  const started = await call(
    'createExport',
    'start a findings export',
    { body: { kind: 'findings' }, as: people.manager },
    202,
  );
  await call(
    'getExport',
    "an export's state",
    { params: { exportId: (started.body as { exportId: string }).exportId }, as: people.manager },
    200,
  );
  await call(
    'revokeVisit',
    'revoke an approved visit',
    { params: { visitId }, body: { reason: 'Sai đơn vị' }, as: people.admin },
    200,
  );

  const draftId = randomUUID();
  await invoke('putVisit', { params: { visitId: draftId }, body: visitBody(), as: people.inspector });
  const photoId = await photo(draftId, 'B1', jpegBytes(4096));
  await call(
    'getPhoto',
    'one photo (signed URL)',
    { params: { visitId: draftId, photoId }, as: people.inspector },
    200,
  );
  await call(
    'deletePhoto',
    'delete a photo',
    { params: { visitId: draftId, photoId }, as: people.inspector },
    204,
  );
  await call('deleteVisit', 'delete a draft', { params: { visitId: draftId }, as: people.inspector }, 204);
}, 180_000);

afterAll(async () => {
  await api.close();
  const out = process.env.PAR_ROUND_TRIPS_OUT;
  if (out) writeFileSync(out, `${JSON.stringify(measured, null, 2)}\n`);
});

const writeOperations = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'];
const writes = (calls: Record<string, number>) =>
  writeOperations.reduce((total, operation) => total + (calls[operation] ?? 0), 0);

describe('round trips per route', () => {
  it('submits with one transaction and one read (warm: the template version is in memory)', () => {
    const [submit] = find('submitVisit');
    // The visit's partition; the unit's office, which `far` is measured by, travels with the visit.
    expect(submit?.calls).toEqual({ Query: 1, TransactWriteItems: 1 });
  });

  it('reads one visit with one Query: its evidence context travels with it', () => {
    for (const read of find('getVisit')) expect(read.calls).toEqual({ Query: 1 });
  });

  it('approves a visit that fits in one transaction, and writes nothing else', () => {
    for (const approve of find('reviewVisit', 'approve (fits one transaction)')) {
      expect(approve.calls.TransactWriteItems, JSON.stringify(approve.calls)).toBe(1);
      expect(writes(approve.calls), JSON.stringify(approve.calls)).toBe(1);
    }
  });

  it("reads a list page with one Query, at most one BatchGet and at most the caller's unit", () => {
    const lists = measured.filter((m) => m.route.startsWith('list') && m.route !== 'listUnits');
    expect(new Set(lists.map((m) => m.route))).toEqual(
      new Set(['listVisits', 'listFindings', 'listPublications', 'listTemplates', 'listStaff']),
    );
    for (const list of lists) {
      const { Query, BatchGetItem = 0, GetItem = 0, ...others } = list.calls;
      const label = `${list.route} (${list.scenario}): ${JSON.stringify(list.calls)}`;
      expect(Query, label).toBe(1);
      // The review queue reads its visits and their evidence items in the same BatchGet.
      expect(BatchGetItem, label).toBeLessThanOrEqual(1);
      // The caller's unit, whose path places the page's key in the tree (docs/benchmarks.md).
      expect(GetItem, label).toBeLessThanOrEqual(1);
      expect(others, label).toEqual({});
    }
  });

  it('asks DynamoDB for consumed capacity and gets it: every read and write is counted', () => {
    const approve = find('reviewVisit', 'approve (fits one transaction)')[0];
    expect(approve?.readUnits).toBeGreaterThan(0);
    // Transactions cost two write units per item written: at least the visit and its audit entry.
    expect(approve?.writeUnits).toBeGreaterThanOrEqual(4);
  });
});
