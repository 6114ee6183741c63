/**
 * The outbox drain against an in-memory IndexedDB (fake-indexeddb) and a scripted server: the
 * behaviours a user would notice when the network is bad (nothing lost, nothing sent twice in
 * a harmful way, changes elsewhere shown rather than overwritten).
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { VisitInput } from '#domain/visit.ts';
import { type Api, type ApiResult, NetworkError } from '../../../web/src/api/client.ts';
import type { PhotoOut, PhotoUploadOut, VisitDetailOut } from '../../../web/src/api/types.ts';
import {
  db,
  outboxOf,
  queueOp,
  type StoredOp,
  type StoredPhoto,
  type StoredVisit,
} from '../../../web/src/store/db.ts';
import { drainOutbox } from '../../../web/src/sync/engine.ts';
import { pullFromServer } from '../../../web/src/sync/pull.ts';

let sub = '';
let counter = 0;

beforeEach(() => {
  counter += 1;
  sub = `inspector-${counter}`;
});

const visitId = '0b9f3a52-6f0e-4d0e-9d59-3f5c4f5b1a01';
const photoId = '5d1c2e3f-0000-4a4a-8b8b-000000000001';

/** The phone's record of the photo of item B1 (4 bytes of JPEG), in `state`, with `changes`. */
function storedPhoto(state: StoredPhoto['state'], changes: Partial<StoredPhoto> = {}): StoredPhoto {
  return {
    sub,
    photoId,
    visitId,
    itemCode: 'B1',
    blob: null,
    thumb: null,
    contentType: 'image/jpeg',
    sizeBytes: 4,
    sha256: 'a'.repeat(64),
    width: 1,
    height: 1,
    capturedAt: '2026-03-02T01:05:00.000Z',
    state,
    reason: null,
    rejections: 0,
    createdAt: '2026-03-02T01:05:00.000Z',
    ...changes,
  };
}

function body(answers: VisitInput['answers']): VisitInput {
  return {
    unitId: 'vinh-phu',
    templateId: 'one-stop-counter',
    templateVersion: 1,
    startedAt: '2026-03-02T01:00:00.000Z',
    answers,
  };
}

/** The server's answer for a visit: test data built here, shaped as the contract says. */
function serverVisit(
  input: VisitInput,
  etag: string,
  status: VisitDetailOut['status'] = 'draft',
): VisitDetailOut {
  const visit = {
    ...input,
    visitId,
    inspectorId: sub,
    inspectorName: null,
    status,
    score: null,
    base: null,
    sections: null,
    submittedAt: null,
    review: null,
    revocation: null,
    pendingApproval: null,
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:00.000Z',
    etag,
    photos: [],
    evidence: { visitDistanceM: null, radiusM: 500, flags: [], photos: [] },
    history: [],
  };
  return visit as VisitDetailOut;
}

function ok<T>(value: T, etag: string | null = null, status = 200): ApiResult<T> {
  return { ok: true, status, body: value, etag };
}

function refused(
  status: number,
  code: string,
  extra: { current?: unknown; errors?: Array<{ path: string; message: string }>; retryAfter?: string } = {},
): ApiResult<never> {
  return {
    ok: false,
    status,
    problem: { status, code, detail: code, errors: extra.errors ?? [], current: extra.current },
    retryAfter: extra.retryAfter ?? null,
  };
}

/** A scripted API: each method answers from a queue of functions, and records its calls. */
function scriptedApi(script: Partial<Record<keyof Api, Array<(...args: never[]) => unknown>>>) {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const handler =
    (method: keyof Api) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      const next = script[method]?.shift();
      if (next === undefined) throw new Error(`unexpected ${method}`);
      return (next as (...a: unknown[]) => unknown)(...args);
    };
  const api = {
    listUnits: handler('listUnits'),
    listTemplates: handler('listTemplates'),
    getTemplateVersion: handler('getTemplateVersion'),
    listVisits: handler('listVisits'),
    getVisit: handler('getVisit'),
    putVisit: handler('putVisit'),
    submitVisit: handler('submitVisit'),
    createPhoto: handler('createPhoto'),
    getPhoto: handler('getPhoto'),
    deletePhoto: handler('deletePhoto'),
    deleteVisit: handler('deleteVisit'),
    uploadForm: handler('uploadForm'),
    parseVisit: (value: unknown) => (value as VisitDetailOut | null) ?? null,
  } as unknown as Api;
  return { api, calls };
}

async function seedVisit(draftBody: VisitInput, etag: string | null = null): Promise<void> {
  const database = await db();
  const visit: StoredVisit = {
    sub,
    visitId,
    draft: { ...draftBody, deductions: [], manualFindings: [] },
    status: 'draft',
    etag,
    server: null,
    attempted: [],
    problems: [],
    conflict: null,
    submitRequested: false,
    localUpdatedAt: '2026-03-02T01:00:00.000Z',
  };
  await database.put('visits', visit);
}

async function queue(
  op: Omit<StoredOp, 'sub' | 'attempts' | 'notBefore' | 'blocked' | 'createdAt'>,
): Promise<void> {
  const database = await db();
  const tx = database.transaction('outbox', 'readwrite');
  await queueOp(tx.store, sub, { sub, attempts: 0, notBefore: 0, blocked: null, createdAt: 0, ...op });
  await tx.done;
}

describe('outbox drain', () => {
  it('an edit merged while its PUT was in flight is sent next, with the etag the first PUT returned', async () => {
    const first = body([{ itemCode: 'A1', value: true }]);
    const second = body([
      { itemCode: 'A1', value: true },
      { itemCode: 'A2', value: 4 },
    ]);
    await seedVisit(first);
    await queue({ kind: 'putVisit', visitId, body: first });
    const { api, calls } = scriptedApi({
      putVisit: [
        async () => {
          // The inspector answers A2 while the first PUT is on the wire.
          await queue({ kind: 'putVisit', visitId, body: second });
          return ok(serverVisit(first, '"e1"'), '"e1"', 201);
        },
        () => ok(serverVisit(second, '"e2"'), '"e2"'),
      ],
    });

    const outcome = await drainOutbox({ database: await db(), api, sub, now: () => 0 });

    expect(outcome).toBe('done');
    expect(calls.map((c) => [c.method, c.args[1], c.args[2]])).toEqual([
      ['putVisit', first, null],
      ['putVisit', second, '"e1"'],
    ]);
    expect(await outboxOf(await db(), sub)).toEqual([]);
    expect((await (await db()).get('visits', [sub, visitId]))?.etag).toBe('"e2"');
  });

  it('a 412 keeps both versions and waits for the user instead of retrying', async () => {
    const mine = body([{ itemCode: 'A1', value: false }]);
    const theirs = serverVisit(body([{ itemCode: 'A1', value: true }]), '"e9"', 'returned');
    await seedVisit(mine, '"e1"');
    await queue({ kind: 'putVisit', visitId, body: mine });
    const { api, calls } = scriptedApi({
      putVisit: [() => refused(412, 'precondition_failed', { current: theirs })],
    });

    await drainOutbox({ database: await db(), api, sub, now: () => 0 });
    await drainOutbox({ database: await db(), api, sub, now: () => 10 * 60_000 });

    expect(calls).toHaveLength(1);
    const visit = await (await db()).get('visits', [sub, visitId]);
    expect(visit?.conflict?.etag).toBe('"e9"');
    expect(visit?.draft.answers).toEqual([{ itemCode: 'A1', value: false }]);
    const [op] = await outboxOf(await db(), sub);
    expect(op?.blocked?.code).toBe('precondition_failed');
    expect(op?.body).toEqual(mine);
  });

  it('after a lost answer, a 428 is settled by recognising our own earlier write', async () => {
    const first = body([{ itemCode: 'A1', value: true }]);
    const second = body([
      { itemCode: 'A1', value: true },
      { itemCode: 'A3', value: 5 },
    ]);
    await seedVisit(first);
    await queue({ kind: 'putVisit', visitId, body: first });
    const { api, calls } = scriptedApi({
      putVisit: [
        async () => {
          // Stored by the server, but the phone never hears back; meanwhile another edit.
          await queue({ kind: 'putVisit', visitId, body: second });
          throw new NetworkError('connection reset');
        },
        () => refused(428, 'precondition_required'),
        () => ok(serverVisit(second, '"e2"'), '"e2"'),
      ],
      getVisit: [() => ok(serverVisit(first, '"e1"'), '"e1"')],
    });

    expect(await drainOutbox({ database: await db(), api, sub, now: () => 0 })).toBe('offline');
    expect(await drainOutbox({ database: await db(), api, sub, now: () => 60 * 60_000 })).toBe('done');

    expect(calls.map((c) => `${c.method}:${String(c.args[2] ?? '')}`)).toEqual([
      'putVisit:',
      'putVisit:',
      'getVisit:',
      'putVisit:"e1"',
    ]);
    expect((await (await db()).get('visits', [sub, visitId]))?.conflict).toBeNull();
  });

  it('a photo cut off mid-upload is declared again for a fresh form, then verified, and only then its file is dropped', async () => {
    await seedVisit(body([]), '"e1"');
    const database = await db();
    await database.put(
      'photos',
      storedPhoto('local', {
        blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: 'image/jpeg' }),
      }),
    );
    await queue({ kind: 'uploadPhoto', visitId, photoId });
    const form = (n: number): PhotoUploadOut => ({
      photoId,
      status: 'pending',
      upload: { url: '/local/s3/bucket', fields: { key: `k${n}` } },
      expiresAt: '2026-03-02T01:10:00.000Z',
    });
    const photo = (status: PhotoOut['status']) =>
      ({
        photoId,
        itemCode: 'B1',
        contentType: 'image/jpeg',
        sizeBytes: 4,
        sha256: 'a'.repeat(64),
        status,
        reason: null,
        createdAt: '',
        updatedAt: '',
      }) as PhotoOut;
    const { api, calls } = scriptedApi({
      createPhoto: [() => ok(form(1), null, 201), () => ok(form(2))],
      uploadForm: [
        () => {
          throw new NetworkError('network cut');
        },
        () => ({ ok: true, status: 204 }),
      ],
      getPhoto: [() => ok(photo('pending')), () => ok(photo('verified'))],
    });

    expect(await drainOutbox({ database, api, sub, now: () => 0 })).toBe('offline');
    expect((await database.get('photos', [sub, photoId]))?.state).toBe('local');
    expect((await database.get('photos', [sub, photoId]))?.blob).not.toBeNull();

    await drainOutbox({ database, api, sub, now: () => 60 * 60_000 });
    expect((await database.get('photos', [sub, photoId]))?.state).toBe('sent');
    await drainOutbox({ database, api, sub, now: () => 2 * 60 * 60_000 });
    expect((await database.get('photos', [sub, photoId]))?.state).toBe('sent'); // still pending
    await drainOutbox({ database, api, sub, now: () => 3 * 60 * 60_000 });

    const uploads = calls.filter((c) => c.method === 'uploadForm').map((c) => c.args[0]);
    expect(uploads).toEqual([form(1).upload, form(2).upload]);
    const stored = await database.get('photos', [sub, photoId]);
    expect(stored?.state).toBe('verified');
    expect(stored?.blob).toBeNull();
    expect(await outboxOf(database, sub)).toEqual([]);
  });

  it('a 422 on submit is placed on its items and not retried; photo_pending waits for Retry-After', async () => {
    const sent = body([
      { itemCode: 'A1', value: true },
      { itemCode: 'C2', value: 'x' as unknown as number },
    ]);
    await seedVisit(sent, '"e1"');
    const database = await db();
    const seeded = await database.get('visits', [sub, visitId]);
    if (seeded === undefined) throw new Error('seedVisit failed');
    await database.put('visits', { ...seeded, server: serverVisit(sent, '"e1"') });
    await queue({ kind: 'submit', visitId });
    const { api, calls } = scriptedApi({
      submitVisit: [
        () => refused(409, 'photo_pending', { retryAfter: '7' }),
        () =>
          refused(422, 'incomplete', {
            errors: [
              { path: 'answers.1.value', message: 'C2: Giá trị phải là true (có) hoặc false (không).' },
              { path: 'items.B1.photos', message: 'B1: cần ảnh' },
            ],
          }),
      ],
    });

    await drainOutbox({ database, api, sub, now: () => 0 });
    const [waiting] = await outboxOf(database, sub);
    expect(waiting?.notBefore).toBe(7_000);
    expect(waiting?.blocked).toBeNull();

    await drainOutbox({ database, api, sub, now: () => 6_999 });
    expect(calls).toHaveLength(1);
    await drainOutbox({ database, api, sub, now: () => 7_000 });
    await drainOutbox({ database, api, sub, now: () => 60_000 });

    expect(calls).toHaveLength(2);
    expect(await outboxOf(database, sub)).toEqual([]);
    const visit = await database.get('visits', [sub, visitId]);
    expect(visit?.problems.map((p) => p.target)).toEqual([
      { kind: 'item', code: 'C2' },
      { kind: 'item', code: 'B1' },
    ]);
  });
});

describe('pulling from the server', () => {
  it("a returned visit made on another device comes with its photos' states, so the phone does not think them missing", async () => {
    const theirs = serverVisit(body([{ itemCode: 'B1', value: 5 }]), '"e7"', 'returned');
    const verified = {
      photoId,
      itemCode: 'B1',
      contentType: 'image/png',
      sizeBytes: 10,
      sha256: 'b'.repeat(64),
      status: 'verified',
      reason: null,
      createdAt: '2026-03-02T01:06:00.000Z',
      updatedAt: '2026-03-02T01:07:00.000Z',
    } as PhotoOut;
    const { api } = scriptedApi({
      listUnits: [() => ok({ items: [], nextCursor: null })],
      listTemplates: [() => ok({ items: [], nextCursor: null })],
      listVisits: [() => ok({ items: [theirs], nextCursor: null })],
      getTemplateVersion: [() => refused(404, 'not_found')],
      getVisit: [() => ok({ ...theirs, photos: [verified] }, '"e7"')],
    });
    const database = await db();

    expect(await pullFromServer(database, api, sub)).toBe('done');

    const visit = await database.get('visits', [sub, visitId]);
    expect(visit).toMatchObject({
      status: 'returned',
      etag: '"e7"',
      draft: { answers: [{ itemCode: 'B1', value: 5 }] },
    });
    const photos = await database.getAllFromIndex('photos', 'byVisit', [sub, visitId]);
    expect(photos.map((p) => [p.photoId, p.itemCode, p.state, p.blob])).toEqual([
      [photoId, 'B1', 'verified', null],
    ]);
  });
});

describe('removing a photo the server has', () => {
  async function seedVerifiedPhoto(): Promise<void> {
    await seedVisit(body([]), '"e1"');
    await (await db()).put('photos', storedPhoto('verified'));
    await queue({ kind: 'deletePhoto', visitId, photoId });
  }

  it('offline or a 5xx keeps the photo and the operation; the 204 removes both', async () => {
    await seedVerifiedPhoto();
    const { api, calls } = scriptedApi({
      deletePhoto: [
        () => {
          throw new NetworkError('offline');
        },
        () => refused(503, 'unavailable'),
        () => ok(null, null, 204),
      ],
    });
    const database = await db();
    expect(await drainOutbox({ database, api, sub })).toBe('offline');
    expect(await database.get('photos', [sub, photoId])).toBeDefined();
    expect(await drainOutbox({ database, api, sub, now: () => Date.now() + 3_600_000 })).toBe('done');
    expect(await database.get('photos', [sub, photoId])).toBeDefined();
    expect((await outboxOf(database, sub)).map((op) => [op.kind, op.attempts])).toEqual([['deletePhoto', 2]]);
    expect(await drainOutbox({ database, api, sub, now: () => Date.now() + 7_200_000 })).toBe('done');
    expect(await database.get('photos', [sub, photoId])).toBeUndefined();
    expect(await outboxOf(database, sub)).toEqual([]);
    expect(calls.map((c) => c.args)).toEqual([
      [visitId, photoId],
      [visitId, photoId],
      [visitId, photoId],
    ]);
  });

  it('a 404 (gone already, a lost answer) counts as done; another 4xx blocks and keeps the photo', async () => {
    await seedVerifiedPhoto();
    const database = await db();
    const gone = scriptedApi({ deletePhoto: [() => refused(404, 'not_found')] });
    expect(await drainOutbox({ database, api: gone.api, sub })).toBe('done');
    expect(await database.get('photos', [sub, photoId])).toBeUndefined();
    expect(await outboxOf(database, sub)).toEqual([]);

    await seedVerifiedPhoto();
    const refusedOne = scriptedApi({ deletePhoto: [() => refused(403, 'forbidden')] });
    expect(await drainOutbox({ database, api: refusedOne.api, sub })).toBe('done');
    expect(await database.get('photos', [sub, photoId])).toBeDefined();
    expect((await outboxOf(database, sub)).map((op) => op.blocked?.code)).toEqual(['forbidden']);
  });

  it('a 409 (the visit was submitted elsewhere) gives the photo back and the visit its status', async () => {
    await seedVerifiedPhoto();
    const database = await db();
    const photo = await database.get('photos', [sub, photoId]);
    if (photo === undefined) throw new Error('no photo seeded');
    await database.put('photos', { ...photo, removing: true });
    const submitted = serverVisit(body([]), '"e9"', 'submitted');
    const { api, calls } = scriptedApi({
      deletePhoto: [() => refused(409, 'invalid_state')],
      getVisit: [() => ok(submitted, '"e9"')],
    });
    expect(await drainOutbox({ database, api, sub })).toBe('done');
    expect((await database.get('photos', [sub, photoId]))?.removing).toBe(false);
    expect((await database.get('visits', [sub, visitId]))?.status).toBe('submitted');
    expect(await outboxOf(database, sub)).toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(['deletePhoto', 'getVisit']);
  });
});

describe('discarding a draft the server has', () => {
  async function seedDiscarding(): Promise<void> {
    await seedVisit(body([{ itemCode: 'A1', value: true }]), '"e1"');
    const database = await db();
    const visit = await database.get('visits', [sub, visitId]);
    if (visit === undefined) throw new Error('no visit seeded');
    await database.put('visits', { ...visit, discarding: true });
    await database.put('photos', storedPhoto('sent', { blob: new Blob(['jpeg']), declared: true }));
    await queue({ kind: 'deleteVisit', visitId });
  }

  it('offline keeps the visit, its photo and the operation; the 204 removes all of them at once', async () => {
    await seedDiscarding();
    const { api, calls } = scriptedApi({
      deleteVisit: [
        () => {
          throw new NetworkError('offline');
        },
        () => ok(null, null, 204),
      ],
    });
    const database = await db();
    expect(await drainOutbox({ database, api, sub })).toBe('offline');
    expect((await database.get('visits', [sub, visitId]))?.discarding).toBe(true);
    expect(await database.get('photos', [sub, photoId])).toBeDefined();
    expect((await outboxOf(database, sub)).map((op) => op.kind)).toEqual(['deleteVisit']);
    expect(await drainOutbox({ database, api, sub, now: () => Date.now() + 3_600_000 })).toBe('done');
    expect(await database.get('visits', [sub, visitId])).toBeUndefined();
    expect(await database.get('photos', [sub, photoId])).toBeUndefined();
    expect(await outboxOf(database, sub)).toEqual([]);
    expect(calls.map((c) => [c.method, ...c.args])).toEqual([
      ['deleteVisit', visitId],
      ['deleteVisit', visitId],
    ]);
  });

  it('a 404 (gone already, or never created) counts as done', async () => {
    await seedDiscarding();
    const database = await db();
    const { api } = scriptedApi({ deleteVisit: [() => refused(404, 'not_found')] });
    expect(await drainOutbox({ database, api, sub })).toBe('done');
    expect(await database.get('visits', [sub, visitId])).toBeUndefined();
    expect(await database.get('photos', [sub, photoId])).toBeUndefined();
    expect(await outboxOf(database, sub)).toEqual([]);
  });

  it('a 409 (submitted from another device) gives the visit back as the server holds it', async () => {
    await seedDiscarding();
    const database = await db();
    const submitted = serverVisit(body([{ itemCode: 'A1', value: false }]), '"e7"', 'submitted');
    const { api, calls } = scriptedApi({
      deleteVisit: [() => refused(409, 'invalid_state')],
      getVisit: [() => ok(submitted, '"e7"')],
    });
    expect(await drainOutbox({ database, api, sub })).toBe('done');
    const visit = await database.get('visits', [sub, visitId]);
    expect(visit?.discarding).toBe(false);
    expect(visit?.status).toBe('submitted');
    expect(visit?.etag).toBe('"e7"');
    expect(visit?.draft.answers).toEqual([{ itemCode: 'A1', value: false }]);
    expect(await database.get('photos', [sub, photoId])).toBeDefined();
    expect(await outboxOf(database, sub)).toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(['deleteVisit', 'getVisit']);
  });
});
