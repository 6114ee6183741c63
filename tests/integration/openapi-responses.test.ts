/**
 * Holds real answers of the handlers to docs/openapi.json: a short flow over DynamoDB Local and
 * s3rver touches every route, successes and the error codes that are cheap to provoke, and each
 * answer must be documented (operation, status, media type), fit the schema documented for it,
 * and carry the headers documented for it. The last test fails if some route was never checked.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configureDeps } from '#adapters/wiring.ts';
import { handler as runExportWorker } from '#functions/exports/worker.ts';
import { handler as buildRecordWorker } from '#functions/records/worker.ts';
import type { DomainEvent } from '#ports/events.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';
import type { RouteName } from '#routes/table.ts';
import { routes } from '#routes/table.ts';
import {
  jpegBytes,
  people,
  referenceTemplate,
  seedProvince,
  seedStaff,
  sha256,
  startApi,
  submittedVisit,
  templateId,
  visitBody,
} from '#tests/support/api.ts';
import { type Caller, type InvokeOptions, type InvokeResult, invoke } from '#tests/support/invoke.ts';
import { findOperation, responseSchema, validateSchema } from '#tests/support/json-schema.ts';

/** The committed document: what clients read is what real answers must fit. */
const document: unknown = JSON.parse(
  readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'),
);

const ranking: Caller = { sub: 'ranking-client', roles: ['ranking'], unitId: null };

/** Route name -> the statuses whose real answers were validated. */
const checked = new Map<string, Set<number>>();

const responseObject = z.looseObject({
  $ref: z.string().optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  content: z.record(z.string(), z.unknown()).optional(),
});
const componentResponses = z
  .looseObject({ components: z.looseObject({ responses: z.record(z.string(), z.unknown()) }) })
  .parse(document).components.responses;

/** The response object the document gives for a status, following a shared response's $ref. */
function documentedResponse(routeName: string, status: number) {
  const operation = z
    .looseObject({ responses: z.record(z.string(), z.unknown()) })
    .parse(findOperation(document, routeName));
  const found = responseObject.parse(operation.responses[String(status)] ?? {});
  if (found.$ref === undefined) return found;
  return responseObject.parse(componentResponses[found.$ref.replace('#/components/responses/', '')]);
}

/** Invokes the real handler and checks its answer against the document before returning it. */
async function call(routeName: RouteName, options: InvokeOptions = {}): Promise<InvokeResult> {
  const response = await invoke(routeName, options);
  const label = `${routeName} ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
  const documented = documentedResponse(routeName, response.status);
  const contentType = response.headers['content-type'];

  if (contentType === undefined) {
    expect(documented.content, `${label}: answered no body, the document promises one`).toBeUndefined();
    expect(Object.keys(documented), `${label}: status not documented`).toContain('description');
  } else {
    const schema = responseSchema(document, routeName, response.status, contentType);
    const body = /^text\/csv/.test(contentType) ? response.raw.body : response.body;
    expect(validateSchema(schema, body, document), label).toEqual([]);
  }

  const headers = Object.keys(documented.headers ?? {}).map((name) => name.toLowerCase());
  if (response.status < 300) {
    // ETag is documented exactly where handlers send it.
    expect(response.headers.etag !== undefined, `${label}: ETag`).toBe(headers.includes('etag'));
  } else {
    expect(headers, `${label}: documented headers`).toContain('content-language');
    expect(response.headers['content-language'], label).toMatch(/^(vi|en)$/);
    if (response.headers['retry-after'] !== undefined) expect(headers, label).toContain('retry-after');
  }

  const statuses = checked.get(routeName) ?? new Set<number>();
  statuses.add(response.status);
  checked.set(routeName, statuses);
  return response;
}

function expectStatus(response: InvokeResult, status: number, code?: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  if (code !== undefined) expect(z.object({ code: z.string() }).parse(response.body).code).toBe(code);
}

const etagOf = (response: InvokeResult) => response.etag ?? '';

let api: Awaited<ReturnType<typeof startApi>>;

/** Events the use cases emit; without a bus they would answer 503 (exports, publications). */
const emitted: DomainEvent[] = [];

beforeAll(async () => {
  api = await startApi('openapi');
  configureDeps({
    events: {
      async publish(event) {
        emitted.push(event);
      },
    },
  });
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});

describe('real answers, held to docs/openapi.json', () => {
  it('public routes and the refusals every protected route shares', async () => {
    expectStatus(await call('getHealth'), 200);
    expectStatus(await call('getOpenApi'), 200);
    expectStatus(await call('getUnit', { params: { unitId: 'NA' } }), 401, 'unauthenticated');
    expectStatus(
      await call('putUnit', {
        params: { unitId: 'X1' },
        body: { name: 'X', kind: 'ward', parentId: 'NA' },
        as: people.inspector,
      }),
      403,
      'forbidden',
    );
    expectStatus(
      await call('listUnits', { query: { limit: '0' }, as: people.admin }),
      422,
      'validation_failed',
    );
    expectStatus(
      await call('putUnit', {
        params: { unitId: 'X1' },
        rawBody: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
        headers: { 'content-type': 'application/json' },
        as: people.admin,
      }),
      413,
      'payload_too_large',
    );
  });

  it('units', async () => {
    expectStatus(await call('listUnits', { as: people.admin }), 200);
    expectStatus(
      await call('listUnits', { query: { parentId: 'NA', kind: 'ward' }, as: people.manager }),
      200,
    );
    expectStatus(await call('getUnit', { params: { unitId: 'W1' }, as: people.inspector }), 200);
    expectStatus(await call('getUnit', { params: { unitId: 'ZZ' }, as: people.admin }), 404, 'not_found');

    const body = { name: 'Xã Diễn Kim', kind: 'commune', parentId: 'NA', code: '17200' };
    const created = await call('putUnit', { params: { unitId: 'C2' }, body, as: people.admin });
    expectStatus(created, 201);
    const renamed = { ...body, name: 'Xã Diễn Kim (mới)' };
    expectStatus(
      await call('putUnit', { params: { unitId: 'C2' }, body: renamed, as: people.admin }),
      428,
      'precondition_required',
    );
    expectStatus(
      await call('putUnit', {
        params: { unitId: 'C2' },
        body: renamed,
        headers: { 'if-match': '"stale"' },
        as: people.admin,
      }),
      412,
      'precondition_failed',
    );
    expectStatus(
      await call('putUnit', {
        params: { unitId: 'C2' },
        body: renamed,
        headers: { 'if-match': `"${etagOf(created)}"` },
        as: people.admin,
      }),
      200,
    );
    expectStatus(
      await call('putUnit', {
        params: { unitId: 'C3' },
        body: { ...body, parentId: 'NOPE' },
        as: people.admin,
      }),
      422,
      'unknown_reference',
    );
  });

  it('templates', async () => {
    expectStatus(await call('listTemplates', { as: people.inspector }), 200);
    expectStatus(
      await call('getTemplateVersion', { params: { templateId, version: 'latest' }, as: people.manager }),
      200,
    );
    expectStatus(
      await call('getTemplateVersion', { params: { templateId, version: '99' }, as: people.manager }),
      404,
      'not_found',
    );
    expectStatus(
      await call('publishTemplateVersion', {
        params: { templateId },
        body: referenceTemplate,
        as: people.admin,
      }),
      200,
    );
  });

  it('visits and photos up to submit', async () => {
    const visitId = randomUUID();
    const created = await call('putVisit', { params: { visitId }, body: visitBody(), as: people.inspector });
    expectStatus(created, 201);
    expectStatus(
      await call('putVisit', { params: { visitId }, body: visitBody(), as: people.inspector }),
      200,
    );
    expectStatus(
      await call('putVisit', {
        params: { visitId },
        body: visitBody({ unitId: 'W2' }),
        as: people.inspector,
      }),
      409,
      'conflict',
    );
    expectStatus(await call('getVisit', { params: { visitId }, as: people.manager }), 200);
    expectStatus(
      await call('listVisits', { query: { unitId: 'NA', period: '2026' }, as: people.manager }),
      200,
    );

    // Required photos (B1, D1) registered but never uploaded: submit says "retry later".
    const bytes = jpegBytes();
    const photos = [];
    for (const itemCode of ['B1', 'D1']) {
      const photo = {
        photoId: randomUUID(),
        itemCode,
        contentType: 'image/jpeg',
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
      };
      expectStatus(
        await call('createPhoto', { params: { visitId }, body: photo, as: people.inspector }),
        201,
      );
      photos.push(photo);
    }
    const [first] = photos;
    if (first === undefined) throw new Error('no photo registered');
    expectStatus(await call('createPhoto', { params: { visitId }, body: first, as: people.inspector }), 200);
    expectStatus(
      await call('getPhoto', { params: { visitId, photoId: first.photoId }, as: people.manager }),
      200,
    );
    const pending = await call('submitVisit', { params: { visitId }, as: people.inspector });
    expectStatus(pending, 409, 'photo_pending');
    expect(pending.headers['retry-after']).toMatch(/^\d+$/);

    // Without the B1 photo the visit is plainly incomplete.
    expectStatus(
      await call('deletePhoto', { params: { visitId, photoId: first.photoId }, as: people.inspector }),
      204,
    );
    expectStatus(await call('submitVisit', { params: { visitId }, as: people.inspector }), 422, 'incomplete');
    expectStatus(await call('deleteVisit', { params: { visitId }, as: people.inspector }), 204);
  });

  it('submit, review, findings, exports, records, scores, publications and revoke', async () => {
    const { visitId } = await submittedVisit();
    expectStatus(await call('submitVisit', { params: { visitId }, as: people.inspector }), 200);
    const own = await submittedVisit({ unitId: 'W2', as: people.inspectorManager });
    expectStatus(
      await call('reviewVisit', {
        params: { visitId: own.visitId },
        body: { decision: 'approve' },
        as: people.inspectorManager,
      }),
      403,
      'own_visit',
    );
    expectStatus(
      await call('reviewVisit', { params: { visitId }, body: { decision: 'approve' }, as: people.manager }),
      200,
    );
    expectStatus(
      await call('deleteVisit', { params: { visitId }, as: people.inspector }),
      409,
      'invalid_state',
    );

    const findings = await call('listFindings', {
      query: { unitId: 'NA', period: '2026-Q2' },
      as: people.manager,
    });
    expectStatus(findings, 200);
    const [finding] = z
      .object({ items: z.array(z.object({ findingId: z.string() })) })
      .parse(findings.body).items;
    if (finding === undefined) throw new Error('the approved visit made no findings');
    const params = { findingId: finding.findingId };
    const read = await call('getFinding', { params, as: people.inspector });
    expectStatus(read, 200);
    expectStatus(
      await call('patchFinding', { params, body: { status: 'in_progress' }, as: people.manager }),
      428,
      'precondition_required',
    );
    expectStatus(
      await call('patchFinding', {
        params,
        body: { status: 'in_progress' },
        headers: { 'if-match': `"${etagOf(read)}"` },
        as: people.manager,
      }),
      200,
    );

    const started = await call('createExport', {
      body: { kind: 'findings', filters: { unitId: 'NA' } },
      as: people.manager,
    });
    expectStatus(started, 202);
    const { exportId } = z.object({ exportId: z.string() }).parse(started.body);
    expectStatus(await call('getExport', { params: { exportId }, as: people.manager }), 200);
    // The worker the event would start in AWS, so the `ready` answer is checked too.
    expect(emitted.map((event) => event.type)).toContain(eventTypes.exportRequested);
    await runExportWorker({
      source: eventSource,
      'detail-type': eventTypes.exportRequested,
      detail: { exportId },
    });
    const ready = await call('getExport', { params: { exportId }, as: people.manager });
    expect(ready.body).toMatchObject({ status: 'ready' });
    expectStatus(
      await call('getExport', { params: { exportId: randomUUID() }, as: people.manager }),
      404,
      'not_found',
    );

    const record = await call('createRecord', { params: { visitId }, as: people.manager });
    expectStatus(record, 202);
    const { recordId } = z.object({ recordId: z.string() }).parse(record.body);
    expectStatus(await call('getRecord', { params: { recordId }, as: people.manager }), 200);
    expectStatus(
      await call('createRecord', { params: { visitId: own.visitId }, as: people.manager }),
      409,
      'invalid_state',
    );
    expect(emitted.map((event) => event.type)).toContain(eventTypes.recordRequested);
    await buildRecordWorker({
      source: eventSource,
      'detail-type': eventTypes.recordRequested,
      detail: { recordId },
    });
    const built = await call('getRecord', { params: { recordId }, as: people.manager });
    expect(built.body).toMatchObject({ status: 'ready' });
    expectStatus(await call('createRecord', { params: { visitId }, as: people.admin }), 200);
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const scan = {
      fileId: randomUUID(),
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: sha256(pdf),
    };
    expectStatus(
      await call('createRecordScan', { params: { recordId }, body: scan, as: people.manager }),
      201,
    );
    expectStatus(
      await call('createRecordScan', { params: { recordId }, body: scan, as: people.manager }),
      200,
    );
    expectStatus(
      await call('createRecordScan', {
        params: { recordId },
        body: { ...scan, sizeBytes: pdf.length + 1 },
        as: people.manager,
      }),
      409,
      'conflict',
    );
    expectStatus(
      await call('getRecord', { params: { recordId: randomUUID() }, as: people.manager }),
      404,
      'not_found',
    );

    const peerGroup = { templateId, period: '2026-Q2', parentId: 'NA', kind: 'ward' };
    expectStatus(await call('getScores', { query: peerGroup, as: people.manager }), 200);
    expectStatus(
      await call('getUnitScores', {
        params: { unitId: 'W1' },
        query: { templateId, period: '2026-Q2' },
        as: people.admin,
      }),
      200,
    );

    const publication = await call('createPublication', { body: peerGroup, as: people.admin });
    expectStatus(publication, 201);
    const { publicationId } = z.object({ publicationId: z.string() }).parse(publication.body);
    expectStatus(await call('listPublications', { query: { templateId }, as: ranking }), 200);
    expectStatus(await call('getPublication', { params: { publicationId }, as: ranking }), 200);
    const csv = await call('getPublication', {
      params: { publicationId },
      headers: { accept: 'text/csv' },
      as: people.manager,
    });
    expectStatus(csv, 200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);

    expectStatus(
      await call('revokeVisit', {
        params: { visitId },
        body: { reason: 'Kiểm tra nhầm đơn vị.' },
        as: people.admin,
      }),
      200,
    );
  });

  it('plans and assignments', async () => {
    await seedStaff([people.inspector]);
    const lead = { userId: people.inspector.sub, name: 'Nguyễn Văn Kiểm' };
    const body = {
      title: 'Kế hoạch kiểm tra CCHC năm 2026',
      period: '2026',
      templateId,
      scopeUnitId: 'NA',
      assignments: [
        { unitId: 'W1', window: { from: '2026-05-01', to: '2099-12-31' }, kind: 'planned', lead },
      ],
    };
    expectStatus(await call('createPlan', { body, as: people.admin }), 422, 'validation_failed');
    const thisYear = {
      ...body,
      assignments: [{ ...body.assignments[0], window: { from: '2026-05-01', to: '2026-12-31' } }],
    };
    const created = await call('createPlan', { body: thisYear, as: people.admin });
    expectStatus(created, 201);
    const plan = created.body as {
      planId: string;
      etag: string;
      assignments: Array<{ assignmentId: string }>;
    };
    const params = { planId: plan.planId };
    expectStatus(
      await call('putPlan', { params, body: { ...thisYear, title: 'Kế hoạch mới' }, as: people.manager }),
      428,
      'precondition_required',
    );
    expectStatus(
      await call('putPlan', {
        params,
        body: {
          ...thisYear,
          title: 'Kế hoạch mới',
          assignments: [{ ...thisYear.assignments[0], assignmentId: plan.assignments[0]?.assignmentId }],
        },
        headers: { 'if-match': `"${plan.etag}"` },
        as: people.manager,
      }),
      200,
    );
    expectStatus(await call('getPlan', { params, as: people.manager }), 200);
    expectStatus(
      await call('getPlan', { params: { planId: randomUUID() }, as: people.manager }),
      404,
      'not_found',
    );
    expectStatus(await call('listPlans', { query: { period: '2026' }, as: people.manager }), 200);
    expectStatus(await call('listAssignments', { query: { mine: 'true' }, as: people.inspector }), 200);
  });

  it('staff management', async () => {
    const body = { email: 'pham.thu@snv.nghean.gov.vn', name: 'Phạm Thu', role: 'inspector', unitId: 'W1' };
    const created = await call('createStaff', { body, as: people.admin });
    expectStatus(created, 201);
    expectStatus(await call('createStaff', { body, as: people.admin }), 200);
    expectStatus(
      await call('createStaff', { body: { ...body, role: 'manager' }, as: people.admin }),
      409,
      'conflict',
    );
    expectStatus(
      await call('createStaff', { body: { ...body, unitId: 'ZZ9' }, as: people.admin }),
      404,
      'not_found',
    );
    const person = created.body as { userId: string; etag: string };
    const params = { userId: person.userId };
    expectStatus(await call('listStaff', { query: { role: 'inspector' }, as: people.admin }), 200);
    expectStatus(await call('getStaff', { params, as: people.admin }), 200);
    expectStatus(
      await call('patchStaff', { params, body: { role: 'manager' }, as: people.admin }),
      428,
      'precondition_required',
    );
    const patched = await call('patchStaff', {
      params,
      body: { role: 'manager' },
      headers: { 'if-match': `"${person.etag}"` },
      as: people.admin,
    });
    expectStatus(patched, 200);
    expectStatus(
      await call('patchStaff', {
        params,
        body: { role: 'inspector' },
        headers: { 'if-match': `"${person.etag}"` },
        as: people.admin,
      }),
      412,
      'precondition_failed',
    );
    expectStatus(await call('disableStaff', { params, as: people.admin }), 200);
    expectStatus(await call('enableStaff', { params, as: people.admin }), 200);
    expectStatus(await call('resetStaffTotp', { params, as: people.admin }), 200);
    expectStatus(
      await call('getStaff', { params: { userId: 'nobody' }, as: people.admin }),
      404,
      'not_found',
    );
  });

  it('checked a real answer of every route', () => {
    const missing = routes.map((route) => route.name).filter((name) => !checked.has(name));
    expect(missing).toEqual([]);
  });
});
