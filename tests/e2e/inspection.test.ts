/**
 * A whole inspection over HTTP against `npm start`'s server, with plain fetch calls: an
 * inspector on a phone (visit, answers, photos posted to S3 with the presigned form, submit),
 * then a manager (approve, findings, ranking, a CSV export), then an admin publishing the
 * ranking, which the ranking system receives on its webhook and fetches with its own token.
 */
import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventSource, eventTypes } from '#routes/integration.ts';
import { client, eventually, type Reply, solidPng, tinyJpeg } from './support/http.ts';
import {
  type LocalServerChild,
  startLocalServerChild,
  startWebhookReceiver,
} from './support/local-server.ts';

const webhookApiKey = `e2e-key-${randomUUID()}`;

const templateId = 'one-stop-counter';
const unitId = 'vinh-phu';

let server: LocalServerChild;
let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let call: ReturnType<typeof client>;

beforeAll(async () => {
  webhook = await startWebhookReceiver();
  server = await startLocalServerChild({
    env: { PUBLICATION_WEBHOOK_URL: webhook.url, PUBLICATION_WEBHOOK_API_KEY: webhookApiKey },
  });
  call = client(server.url);
});

afterAll(async () => {
  await server?.stop();
  await webhook?.stop();
});

const tokenReply = z.object({ token: z.string() });
const page = z.object({ items: z.array(z.looseObject({})), nextCursor: z.string().nullable() });
const answerSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('yes_no') }),
  z.object({ type: z.literal('rating'), min: z.number(), max: z.number() }),
  z.object({ type: z.literal('percent') }).loose(),
  z.object({ type: z.literal('count') }).loose(),
]);
const template = z.looseObject({
  templateId: z.string(),
  version: z.number(),
  sections: z.array(
    z.looseObject({
      code: z.string(),
      items: z.array(z.looseObject({ code: z.string(), answer: answerSpec, photo: z.string() })),
    }),
  ),
});
const uploadReply = z.object({
  photoId: z.string(),
  status: z.literal('pending'),
  upload: z.object({ url: z.url(), fields: z.record(z.string(), z.string()) }),
});
const rankingRow = z.looseObject({
  unitId: z.string(),
  score: z.number().nullable(),
  rank: z.number().nullable(),
  band: z.object({ code: z.string() }).loose().nullable(),
});

async function tokenFor(body: Record<string, string>): Promise<string> {
  const reply = await call('POST', '/local/tokens', { body });
  expect(reply.status, reply.text).toBe(200);
  return tokenReply.parse(reply.body).token;
}

function expectStatus(reply: Reply, status: number) {
  expect(reply.status, `${reply.status} ${reply.text}`).toBe(status);
}

/** The calendar year in Asia/Ho_Chi_Minh, the period a visit started now belongs to. */
function localYear(instant: Date): string {
  return new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(instant);
}

describe('an inspection from phone to published ranking, over HTTP', () => {
  it('runs end to end on the local server', async () => {
    // --- the inspector's phone: tokens, units, the checklist -----------------------------
    const inspector = await tokenFor({
      role: 'inspector',
      unitId: 'nghe-an',
      sub: 'e2e-inspector',
      name: 'Lê Thị Lan',
    });
    const manager = await tokenFor({ role: 'manager', unitId: 'nghe-an', sub: 'e2e-manager' });
    const admin = await tokenFor({ role: 'admin', unitId: 'nghe-an', sub: 'e2e-admin' });
    const ranking = await tokenFor({ role: 'ranking' });

    const units = await call('GET', '/v1/units?parentId=nghe-an&limit=100', { token: inspector });
    expectStatus(units, 200);
    const unitIds = page.parse(units.body).items.map((unit) => unit.unitId);
    expect(unitIds.length).toBeGreaterThanOrEqual(8);
    expect(unitIds).toContain(unitId);

    const templates = await call('GET', '/v1/templates', { token: inspector });
    expectStatus(templates, 200);
    expect(page.parse(templates.body).items.map((t) => t.templateId)).toContain(templateId);
    const latest = await call('GET', `/v1/templates/${templateId}/versions/latest`, { token: inspector });
    expectStatus(latest, 200);
    const checklist = template.parse(latest.body);

    // Everything passes except A1 (a photo is then required), B7, C2 and C3 (half marks):
    // 100 - 1.5 - 2 - 2 - 1.5 = 93, minus one X2 deduction (2 points) = 91.
    const failing = new Map<string, boolean | number>([
      ['A1', false],
      ['B7', false],
      ['C2', false],
      ['C3', 3],
    ]);
    const answers = checklist.sections.flatMap((section) =>
      section.items.map((item) => {
        const failed = failing.get(item.code);
        if (failed !== undefined) return { itemCode: item.code, value: failed, note: 'Ghi chú kiểm tra' };
        const spec = item.answer;
        const value =
          spec.type === 'yes_no'
            ? true
            : spec.type === 'rating'
              ? spec.max
              : spec.type === 'percent'
                ? 100
                : 0;
        return { itemCode: item.code, value };
      }),
    );

    const visitId = randomUUID();
    const startedAt = new Date();
    const put = await call('PUT', `/v1/visits/${visitId}`, {
      token: inspector,
      body: {
        unitId,
        templateId,
        templateVersion: checklist.version,
        startedAt: startedAt.toISOString(),
        location: { lat: 18.6796, lng: 105.6813, accuracyM: 12 },
        answers,
        deductions: [{ code: 'X2', count: 1, note: 'Yêu cầu nộp thêm bản sao giấy khai sinh' }],
      },
    });
    expectStatus(put, 201);

    // --- photos: metadata to the API, bytes straight to S3 with the presigned form -------
    const photoItems = [
      'A1',
      ...checklist.sections.flatMap((s) => s.items.filter((i) => i.photo === 'required').map((i) => i.code)),
    ];
    expect(photoItems).toEqual(['A1', 'B1', 'D1']);
    const photoIds: string[] = [];
    for (const [index, itemCode] of photoItems.entries()) {
      const isJpeg = index === 0;
      const bytes = isJpeg ? tinyJpeg : solidPng(4, [index * 40, 120, 200]);
      const contentType = isJpeg ? 'image/jpeg' : 'image/png';
      const photoId = randomUUID();
      const created = await call('POST', `/v1/visits/${visitId}/photos`, {
        token: inspector,
        body: {
          photoId,
          itemCode,
          contentType,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          capturedAt: new Date().toISOString(),
        },
      });
      expectStatus(created, 201);
      const { upload } = uploadReply.parse(created.body);
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      form.append('file', new Blob([bytes], { type: contentType }), `${itemCode}.${isJpeg ? 'jpg' : 'png'}`);
      const posted = await fetch(upload.url, { method: 'POST', body: form });
      expect(posted.ok, `upload ${posted.status} ${await posted.text()}`).toBe(true);
      photoIds.push(photoId);
    }

    for (const photoId of photoIds) {
      const photo = await eventually(`photo ${photoId} verified`, async () => {
        const reply = await call('GET', `/v1/visits/${visitId}/photos/${photoId}`, { token: inspector });
        expectStatus(reply, 200);
        const body = z
          .looseObject({ status: z.string(), downloadUrl: z.string().optional() })
          .parse(reply.body);
        expect(body.status).not.toBe('rejected');
        return body.status === 'verified' ? body : undefined;
      });
      expect(photo.downloadUrl).toBeDefined();
    }

    // --- submit: retried while verification is still catching up ------------------------
    const submitted = await eventually('the visit submitted', async () => {
      const reply = await call('POST', `/v1/visits/${visitId}/submit`, { token: inspector });
      if (
        reply.status === 409 &&
        z.object({ code: z.literal('photo_pending') }).safeParse(reply.body).success
      ) {
        return undefined;
      }
      return reply;
    });
    expectStatus(submitted, 200);
    expect(submitted.body).toMatchObject({ status: 'submitted', score: 91, base: 93 });

    // --- the manager: approve, findings, ranking ----------------------------------------
    const approved = await call('POST', `/v1/visits/${visitId}/review`, {
      token: manager,
      body: { decision: 'approve', comment: 'Đạt yêu cầu' },
    });
    expectStatus(approved, 200);
    expect(approved.body).toMatchObject({ status: 'approved' });

    const findings = await call('GET', `/v1/findings?unitId=${unitId}`, { token: manager });
    expectStatus(findings, 200);
    const findingItems = page.parse(findings.body).items;
    expect(findingItems.map((f) => f.itemCode).sort()).toEqual(['A1', 'B7', 'C2', 'C3']);
    expect(findingItems.every((f) => f.status === 'open' && f.visitId === visitId)).toBe(true);

    const period = localYear(startedAt);
    const rankingQuery = `templateId=${templateId}&period=${period}&parentId=nghe-an&kind=ward`;
    const scores = await call('GET', `/v1/scores?${rankingQuery}`, { token: manager });
    expectStatus(scores, 200);
    const rows = z.object({ items: z.array(rankingRow) }).parse(scores.body).items;
    expect(rows[0]).toMatchObject({ unitId, score: 91, rank: 1, band: { code: 'XS' } });
    // Every ward of the province is listed; the unscored ones follow with no rank.
    expect(rows.length).toBe(6);
    expect(rows.slice(1).every((row) => row.score === null && row.rank === null)).toBe(true);

    // --- an export, built in the background, downloaded and read ------------------------
    const started = await call('POST', '/v1/exports', {
      token: manager,
      body: { kind: 'findings', filters: { unitId } },
    });
    expectStatus(started, 202);
    const { exportId } = z.object({ exportId: z.string() }).parse(started.body);
    const ready = await eventually('the export ready', async () => {
      const reply = await call('GET', `/v1/exports/${exportId}`, { token: manager });
      expectStatus(reply, 200);
      const body = z
        .object({ status: z.string(), rowCount: z.number().optional(), downloadUrl: z.string().optional() })
        .parse(reply.body);
      expect(body.status).not.toBe('failed');
      return body.status === 'ready' ? body : undefined;
    });
    expect(ready.rowCount).toBe(4);
    const csvResponse = await fetch(z.string().parse(ready.downloadUrl));
    expect(csvResponse.status).toBe(200);
    const csv = Buffer.from(await csvResponse.arrayBuffer());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split(/\r?\n/);
    expect(lines).toHaveLength(5);
    for (const code of ['A1', 'B7', 'C2', 'C3']) expect(lines.some((line) => line.includes(code))).toBe(true);

    // --- the admin publishes; the ranking system hears of it and fetches it -------------
    const published = await call('POST', '/v1/publications', {
      token: admin,
      body: { templateId, period, parentId: 'nghe-an', kind: 'ward' },
    });
    expectStatus(published, 201);
    const publication = z
      .object({ publicationId: z.string(), hash: z.string(), rows: z.array(rankingRow) })
      .loose()
      .parse(published.body);

    const hook = await webhook.waitFor(
      (received) =>
        z
          .object({ detail: z.object({ publicationId: z.literal(publication.publicationId) }).loose() })
          .loose()
          .safeParse(received.body).success,
    );
    expect(hook.headers['x-api-key']).toBe(webhookApiKey);
    expect(hook.body).toMatchObject({
      'detail-type': eventTypes.scoresPublished,
      source: eventSource,
      detail: {
        publicationId: publication.publicationId,
        hash: publication.hash,
        rowCount: 6,
        templateId,
        period,
      },
    });

    expectStatus(await call('GET', `/v1/scores?${rankingQuery}`, { token: ranking }), 401);
    const fetched = await call('GET', `/v1/publications/${publication.publicationId}`, { token: ranking });
    expectStatus(fetched, 200);
    const fetchedRows = z
      .object({ rows: z.array(rankingRow) })
      .loose()
      .parse(fetched.body).rows;
    expect(fetchedRows).toEqual(rows);
    // The ranking system can check what it got against the hash in the event.
    const canonical = canonicalize(
      z
        .object({ rows: z.array(z.unknown()) })
        .loose()
        .parse(fetched.body).rows,
    );
    expect(createHash('sha256').update(z.string().parse(canonical)).digest('hex')).toBe(publication.hash);
  });
});
