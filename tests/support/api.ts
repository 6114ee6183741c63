/**
 * An API over fresh storage for one integration test file: env for the handlers, the photo
 * verifier subscribed to s3rver's events (the same wiring as local mode), a demo province and
 * the reference template, and the people who call it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import { resetDeps } from '#adapters/wiring.ts';
import { consoleLog } from '#local/log.ts';
import { listenForRelayedEvents, photoEventSink, subscribeToRelay } from '#local/photo-events.ts';
import { jpegBytes } from './images.ts';
import { type Caller, invoke } from './invoke.ts';
import { freshStorage } from './services.ts';

export const templateId = 'one-stop-counter';
export const referenceTemplate: unknown = JSON.parse(
  readFileSync(new URL('../../shared/seed/one-stop-counter.template.json', import.meta.url), 'utf8'),
);

export const people = {
  admin: { sub: 'admin-1', roles: ['admin'], unitId: 'NA', name: 'Quản trị viên' },
  manager: { sub: 'manager-1', roles: ['manager'], unitId: 'NA', name: 'Trần Thị Quản Lý' },
  inspector: { sub: 'inspector-1', roles: ['inspector'], unitId: 'NA', name: 'Nguyễn Văn Kiểm' },
  inspector2: { sub: 'inspector-2', roles: ['inspector'], unitId: 'NA', name: 'Lê Văn Hai' },
  /** A manager whose jurisdiction is one ward: everything else is out of scope. */
  wardManager: { sub: 'manager-2', roles: ['manager'], unitId: 'W1', name: 'Phạm Văn Phường' },
  /** Someone who both inspects and manages, to test reviewing one's own visit. */
  inspectorManager: { sub: 'im-1', roles: ['inspector', 'manager'], unitId: 'NA', name: 'Hoàng Văn Kiêm' },
} satisfies Record<string, Caller>;

/**
 * Fresh storage, the environment pointing at it, and s3rver's object-created events relayed to
 * the photo verifier as in local mode; with `photoEvents: false` nothing is relayed, and the
 * test runs the verifier itself (the fault proofs count its calls, so it must not run on its own).
 */
export async function startApi(prefix = 'api', options: { photoEvents?: boolean } = {}) {
  const storage = await freshStorage(prefix);
  process.env.TABLE_NAME = storage.tableName;
  process.env.BUCKET_NAME = storage.bucketName;
  process.env.DYNAMODB_ENDPOINT = storage.endpoints.dynamodb;
  process.env.S3_ENDPOINT = storage.endpoints.s3;
  process.env.AWS_REGION = 'ap-southeast-1';
  // Staff accounts: the local directory of local mode, one file per test file's storage.
  const directoryFile = join(tmpdir(), `par-inspect-directory-${storage.tableName}.json`);
  process.env.LOCAL_DIRECTORY_FILE = directoryFile;
  resetDeps();
  if (options.photoEvents === false) return { storage, directoryFile, close: async () => undefined };
  // The same wiring as local mode: s3rver's event relay -> a loopback listener -> the verifier.
  const sink = await photoEventSink(storage.bucketName, consoleLog({ quiet: true }));
  const listener = await listenForRelayedEvents(sink, consoleLog({ quiet: true }));
  await subscribeToRelay(storage.endpoints.s3Events, storage.bucketName, listener.url);
  return {
    storage,
    directoryFile,
    close: () =>
      new Promise<void>((resolve) => {
        listener.server.closeAllConnections();
        listener.server.close(() => resolve());
      }),
  };
}

/** The province Nghệ An with two wards and a commune, and the reference template, as an admin makes them. */
export async function seedProvince(): Promise<void> {
  const units = [
    { unitId: 'NA', body: { name: 'Tỉnh Nghệ An', kind: 'province', parentId: null, code: '40' } },
    { unitId: 'W1', body: { name: 'Phường Trường Vinh', kind: 'ward', parentId: 'NA', code: '16690' } },
    { unitId: 'W2', body: { name: 'Phường Thành Vinh', kind: 'ward', parentId: 'NA', code: '16681' } },
    { unitId: 'C1', body: { name: 'Xã Diễn Châu', kind: 'commune', parentId: 'NA', code: '17335' } },
  ];
  for (const unit of units) {
    const response = await invoke('putUnit', {
      params: { unitId: unit.unitId },
      body: unit.body,
      as: people.admin,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
  const published = await invoke('publishTemplateVersion', {
    params: { templateId },
    body: referenceTemplate,
    as: people.admin,
  });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}

/**
 * Staff records for callers the tests sign in as by `sub` (as the staff routes would make them
 * for accounts with those IDs): what plans check the people on their assignments against.
 */
export async function seedStaff(callers: readonly Caller[]): Promise<void> {
  const deps = allDeps();
  for (const caller of callers) {
    const unit = caller.unitId === null ? null : await deps.units.getUnit(caller.unitId);
    if (!unit) throw new Error(`seedStaff: no unit ${caller.unitId}`);
    const role = caller.roles.find((r) => r === 'admin' || r === 'manager' || r === 'inspector');
    if (!role) throw new Error(`seedStaff: ${caller.sub} has no staff role`);
    const at = '2026-01-01T00:00:00.000Z';
    await deps.staff.saveStaff(
      {
        userId: caller.sub,
        email: `${caller.sub}@tests.invalid`,
        name: caller.name ?? caller.sub,
        role,
        unitId: unit.unitId,
        unitPath: unit.path,
        enabled: true,
        createdAt: at,
        createdBy: 'tests',
        updatedAt: at,
        etag: `seed-${caller.sub}`,
      },
      null,
      [],
    );
  }
}

type Answer = { itemCode: string; value?: boolean | number | null; notApplicable?: boolean; note?: string };

/**
 * Answers for every item of the reference template: all in order, except C2 (no), C3 (3 of 5),
 * E1 (92%) and F1 (60%), which fail and need no photo, so the visit has four findings.
 */
export function referenceAnswers(overrides: Record<string, Answer['value']> = {}): Answer[] {
  const failing: Record<string, Answer['value']> = { C2: false, C3: 3, E1: 92, F1: 60, ...overrides };
  const template = referenceTemplate as {
    sections: Array<{ items: Array<{ code: string; answer: { type: string; max?: number } }> }>;
  };
  return template.sections.flatMap((section) =>
    section.items.map((item) => {
      const value = item.code in failing ? failing[item.code] : perfect(item.answer);
      return { itemCode: item.code, value: value ?? null };
    }),
  );
}

function perfect(answer: { type: string; max?: number }): boolean | number {
  switch (answer.type) {
    case 'yes_no':
      return true;
    case 'rating':
      return answer.max ?? 5;
    case 'percent':
      return 100;
    default:
      return 0;
  }
}

export function visitBody(overrides: Record<string, unknown> = {}) {
  return {
    unitId: 'W1',
    templateId,
    templateVersion: 1,
    startedAt: '2026-05-12T08:30:00+07:00',
    endedAt: '2026-05-12T10:00:00+07:00',
    answers: referenceAnswers(),
    ...overrides,
  };
}

// A real JPEG of a given size: the verifier checks the whole structure, not only magic numbers.
export { jpegBytes };

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Posts a file with the presigned form, as a phone's browser would (fields first, then the file). */
export async function uploadWithForm(
  upload: { url: string; fields: Record<string, string> },
  bytes: Buffer,
  contentType: string,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'photo');
  const response = await fetch(upload.url, { method: 'POST', body: form });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/** Registers a photo, uploads its bytes and waits until the verifier has settled it. */
export async function addPhoto(
  visitId: string,
  itemCode: string,
  bytes: Buffer,
  options: { as?: Caller; declaredType?: string } = {},
): Promise<{ photoId: string; status: string; reason: string | null }> {
  const photoId = randomUUID();
  const contentType = options.declaredType ?? 'image/jpeg';
  const created = await invoke('createPhoto', {
    params: { visitId },
    body: { photoId, itemCode, contentType, sizeBytes: bytes.length, sha256: sha256(bytes) },
    as: options.as ?? people.inspector,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const body = created.body as { upload: { url: string; fields: Record<string, string> } };
  await uploadWithForm(body.upload, bytes, contentType);
  return waitForPhoto(visitId, photoId);
}

export async function waitForPhoto(visitId: string, photoId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const photo = await invoke('getPhoto', { params: { visitId, photoId }, as: people.manager });
    const body = photo.body as { photoId: string; status: string; reason: string | null };
    if (body.status !== 'pending' || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A complete visit of `unitId`, submitted, with its two required photos verified. */
export async function submittedVisit(
  options: {
    unitId?: string;
    as?: Caller;
    startedAt?: string;
    answers?: Answer[];
    /** More fields of the visit's body (an `assignmentId`, a `location`). */
    extra?: Record<string, unknown>;
  } = {},
) {
  const visitId = randomUUID();
  const inspector = options.as ?? people.inspector;
  const put = await invoke('putVisit', {
    params: { visitId },
    body: visitBody({
      unitId: options.unitId ?? 'W1',
      ...(options.startedAt ? { startedAt: options.startedAt, endedAt: undefined } : {}),
      ...(options.answers ? { answers: options.answers } : {}),
      ...options.extra,
    }),
    as: inspector,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  for (const itemCode of ['B1', 'D1']) {
    const photo = await addPhoto(visitId, itemCode, jpegBytes(), { as: inspector });
    expect(photo.status).toBe('verified');
  }
  const submit = await invoke('submitVisit', { params: { visitId }, as: inspector });
  expect(submit.status, JSON.stringify(submit.body)).toBe(200);
  return { visitId, visit: submit.body as { score: number; etag: string; status: string } };
}
