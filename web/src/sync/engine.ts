/**
 * Drains one user's outbox: runs each operation that may run now, in queue order, and records
 * what the server said on the visit or photo it concerns. Every operation is idempotent on the
 * server (client UUIDs, equal-body replays, fresh upload forms), so running one twice after a
 * lost answer is harmless. Runs in the page and in the service worker (Background Sync); a Web
 * Lock keeps two of them from draining the same outbox at once.
 */
import { deepEqual } from '#domain/template.ts';
import type { VisitInput } from '#domain/visit.ts';
import { type Api, type ApiProblem, NetworkError } from '../api/client.ts';
import type { VisitOut } from '../api/types.ts';
import { placeProblems } from '../lib/problems.ts';
import { draftFromServer, toVisitBody } from '../lib/visit-body.ts';
import {
  type AppDb,
  deleteVisitRecords,
  outboxOf,
  queueOp,
  type StoredOp,
  type StoredPhoto,
  type StoredVisit,
  visitRecordsTx,
} from '../store/db.ts';
import { backoffMs, retryAfterMs } from './backoff.ts';
import { runnable } from './queue.ts';

export type DrainOutcome = 'done' | 'offline' | 'unauthenticated' | 'busy';

export interface DrainDeps {
  database: AppDb;
  api: Api;
  sub: string;
  now?: () => number;
  /** Called after every change to the database, so the screen can re-read it. */
  onChange?: (running: StoredOp | null) => void;
}

/** How many times a rejected upload is sent again by itself before the user is asked. */
const autoReuploads = 2;
/** Uploads refused by storage (an expired form, say) are retried this often before blocking. */
const maxUploadAttempts = 6;

type Step =
  | { type: 'done' }
  | { type: 'retry'; delayMs?: number }
  | { type: 'block'; problem: ApiProblem }
  | { type: 'offline' }
  | { type: 'unauthenticated' };

/** The input fields of a server visit, as this phone would send them. */
export function inputOf(visit: VisitOut): VisitInput {
  return toVisitBody(draftFromServer(visit));
}

function transient(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Drains the outbox of `deps.sub` until nothing can run now. */
export async function drainOutbox(deps: DrainDeps): Promise<DrainOutcome> {
  const run = () => drainUnlocked(deps);
  const locks = globalThis.navigator?.locks;
  if (locks === undefined) return run();
  const outcome = await locks.request(`par-inspect-outbox:${deps.sub}`, { ifAvailable: true }, (lock) =>
    lock === null ? 'busy' : run(),
  );
  return outcome;
}

async function drainUnlocked(deps: DrainDeps): Promise<DrainOutcome> {
  const now = deps.now ?? Date.now;
  const { database, sub } = deps;
  // Bounded: a queue of a few hundred operations drains in one call; the rest waits for the next.
  for (let round = 0; round < 500; round += 1) {
    const queue = await outboxOf(database, sub);
    const op = runnable(queue, sub, now())[0];
    if (op?.id === undefined) return 'done';
    deps.onChange?.(op);
    let step: Step;
    try {
      step = await execute(deps, op);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      step = { type: 'offline' };
    }
    await settle(deps, op, step, now());
    deps.onChange?.(null);
    if (step.type === 'offline') return 'offline';
    if (step.type === 'unauthenticated') return 'unauthenticated';
  }
  return 'done';
}

/** Records the outcome on the operation: gone, waiting with backoff, or blocked for the user. */
async function settle(deps: DrainDeps, op: StoredOp, step: Step, at: number): Promise<void> {
  if (op.id === undefined || step.type === 'done') return;
  const tx = deps.database.transaction('outbox', 'readwrite');
  const current = await tx.store.get(op.id);
  if (current !== undefined) {
    if (step.type === 'block') {
      current.blocked = {
        code: step.problem.code,
        status: step.problem.status,
        message: step.problem.detail,
      };
    } else if (step.type !== 'unauthenticated') {
      current.attempts += 1;
      current.notBefore =
        at +
        (step.type === 'retry' && step.delayMs !== undefined ? step.delayMs : backoffMs(current.attempts));
    }
    await tx.store.put(current);
  }
  await tx.done;
}

async function execute(deps: DrainDeps, op: StoredOp): Promise<Step> {
  switch (op.kind) {
    case 'putVisit':
      return putVisit(deps, op);
    case 'uploadPhoto':
      return uploadPhoto(deps, op);
    case 'checkPhoto':
      return checkPhoto(deps, op);
    case 'deletePhoto':
      return deletePhoto(deps, op);
    case 'submit':
      return submit(deps, op);
    case 'deleteVisit':
      return deleteVisit(deps, op);
  }
}

function statusStep(problem: ApiProblem, retryAfter: string | null, at: number): Step {
  if (problem.status === 401) return { type: 'unauthenticated' };
  if (transient(problem.status)) {
    return {
      type: 'retry',
      ...(retryAfter !== null ? { delayMs: retryAfterMs(retryAfter, at, 5_000) } : {}),
    };
  }
  return { type: 'block', problem };
}

async function updateVisit(
  deps: DrainDeps,
  visitId: string,
  change: (visit: StoredVisit) => void,
): Promise<void> {
  const tx = deps.database.transaction('visits', 'readwrite');
  const visit = await tx.store.get([deps.sub, visitId]);
  if (visit !== undefined) {
    change(visit);
    await tx.store.put(visit);
  }
  await tx.done;
}

/** Removes an operation, and in the same transaction adds its follow-up (upload -> check). */
async function finish(deps: DrainDeps, op: StoredOp, next?: StoredOp): Promise<void> {
  const tx = deps.database.transaction('outbox', 'readwrite');
  if (op.id !== undefined) await tx.store.delete(op.id);
  if (next !== undefined) await queueOp(tx.store, deps.sub, next);
  await tx.done;
}

function newOp(
  sub: string,
  kind: StoredOp['kind'],
  visitId: string,
  photoId: string,
  notBefore: number,
): StoredOp {
  return { sub, kind, visitId, photoId, attempts: 0, notBefore, blocked: null, createdAt: Date.now() };
}

async function putVisit(deps: DrainDeps, op: StoredOp): Promise<Step> {
  const now = deps.now ?? Date.now;
  const visit = await deps.database.get('visits', [deps.sub, op.visitId]);
  const body = op.body;
  if (visit === undefined || body === undefined) {
    await finish(deps, op);
    return { type: 'done' };
  }
  // Remembered before sending: if the answer is lost, a later 428 can tell our own write apart.
  await updateVisit(deps, op.visitId, (v) => {
    v.attempted = [...v.attempted.filter((b) => !deepEqual(b, body)), body].slice(-3);
  });
  const result = await deps.api.putVisit(op.visitId, body, visit.etag);
  if (result.ok) {
    await acceptPut(deps, op, body, result.body, result.etag);
    return { type: 'done' };
  }
  const { problem } = result;
  if (problem.status === 412) {
    const current = deps.api.parseVisit(problem.current);
    if (current !== null) await recordConflict(deps, op.visitId, current);
    return { type: 'block', problem };
  }
  if (problem.status === 428) {
    // The server has the visit but this phone never got its etag (a lost answer to the first
    // PUT). If what the server holds is something this phone sent, carry on from it; else it
    // was changed elsewhere, which is a conflict for the user to settle.
    const fetched = await deps.api.getVisit(op.visitId);
    if (!fetched.ok) return statusStep(fetched.problem, fetched.retryAfter, now());
    const server = fetched.body;
    const ours = visit.attempted.some((b) => deepEqual(b, inputOf(server)));
    await updateVisit(deps, op.visitId, (v) => {
      if (ours) v.etag = fetched.etag ?? server.etag;
      else v.conflict = server;
      v.server = server;
      v.status = server.status;
    });
    return ours
      ? { type: 'retry', delayMs: 0 }
      : { type: 'block', problem: { ...problem, code: 'precondition_failed', status: 412 } };
  }
  if (problem.status === 422) {
    await updateVisit(deps, op.visitId, (v) => {
      v.problems = [
        ...v.problems.filter((p) => p.source === 'submit'),
        ...placeProblems(problem.errors, body).map((p) => ({ ...p, source: 'put' as const })),
      ];
    });
  }
  if (problem.status === 409 && problem.code === 'invalid_state') {
    // Submitted or approved meanwhile (elsewhere): show the server's status.
    const fetched = await deps.api.getVisit(op.visitId);
    if (fetched.ok) {
      await updateVisit(deps, op.visitId, (v) => {
        v.server = fetched.body;
        v.status = fetched.body.status;
        v.etag = fetched.etag ?? fetched.body.etag;
      });
    }
  }
  return statusStep(problem, result.retryAfter, now());
}

async function acceptPut(
  deps: DrainDeps,
  op: StoredOp,
  body: VisitInput,
  server: VisitOut,
  etag: string | null,
): Promise<void> {
  const tx = deps.database.transaction(['visits', 'outbox'], 'readwrite');
  const visits = tx.objectStore('visits');
  const outbox = tx.objectStore('outbox');
  const visit = await visits.get([deps.sub, op.visitId]);
  if (visit !== undefined) {
    visit.etag = etag ?? server.etag;
    visit.server = server;
    visit.status = server.status;
    visit.attempted = [];
    visit.problems = visit.problems.filter((p) => p.source === 'submit');
    await visits.put(visit);
  }
  // An edit merged into this operation while it was in flight is sent next, with the new etag.
  const current = op.id === undefined ? undefined : await outbox.get(op.id);
  if (current !== undefined && op.id !== undefined) {
    if (deepEqual(current.body, body)) await outbox.delete(op.id);
    else await outbox.put({ ...current, attempts: 0, notBefore: 0 });
  }
  await tx.done;
}

async function recordConflict(deps: DrainDeps, visitId: string, current: VisitOut): Promise<void> {
  await updateVisit(deps, visitId, (v) => {
    v.conflict = current;
    v.server = current;
    v.status = current.status;
  });
}

async function setPhoto(
  deps: DrainDeps,
  photoId: string,
  change: Partial<Pick<StoredPhoto, 'state' | 'reason' | 'rejections' | 'blob' | 'declared'>>,
): Promise<void> {
  const tx = deps.database.transaction('photos', 'readwrite');
  const photo = await tx.store.get([deps.sub, photoId]);
  if (photo !== undefined) await tx.store.put({ ...photo, ...change });
  await tx.done;
}

async function uploadPhoto(deps: DrainDeps, op: StoredOp): Promise<Step> {
  const now = deps.now ?? Date.now;
  const photoId = op.photoId ?? '';
  const photo = await deps.database.get('photos', [deps.sub, photoId]);
  if (photo === undefined || photo.blob === null) {
    await finish(deps, op);
    return { type: 'done' };
  }
  // From here the server may hold the photo: removing it then needs a DELETE.
  await setPhoto(deps, photoId, { state: 'sending', reason: null, declared: true });
  // Declared again before every attempt: a form is never reused, as it expires in minutes.
  let declared: Awaited<ReturnType<Api['createPhoto']>>;
  try {
    declared = await deps.api.createPhoto(op.visitId, {
      photoId,
      itemCode: photo.itemCode,
      contentType: photo.contentType,
      sizeBytes: photo.sizeBytes,
      sha256: photo.sha256,
      capturedAt: photo.capturedAt,
      ...(photo.location !== undefined ? { location: photo.location } : {}),
    });
  } catch (error) {
    await setPhoto(deps, photoId, { state: 'local' });
    throw error;
  }
  if (!declared.ok) {
    const step = statusStep(declared.problem, declared.retryAfter, now());
    await setPhoto(
      deps,
      photoId,
      step.type === 'block' ? { state: 'failed', reason: declared.problem.detail } : { state: 'local' },
    );
    return step;
  }
  const { upload } = declared.body;
  if (upload === undefined) {
    // Already verified (a retry after a lost answer): nothing to send.
    const verified = declared.body.status === 'verified';
    await setPhoto(deps, photoId, verified ? { state: 'verified', blob: null } : { state: 'sent' });
    await finish(
      deps,
      op,
      verified ? undefined : newOp(deps.sub, 'checkPhoto', op.visitId, photoId, now() + 2_000),
    );
    return { type: 'done' };
  }
  let posted: { ok: boolean; status: number };
  try {
    posted = await deps.api.uploadForm(upload, photo.blob, `${photoId}.jpg`);
  } catch (error) {
    await setPhoto(deps, photoId, { state: 'local' });
    throw error;
  }
  if (!posted.ok) {
    const tooMany = op.attempts + 1 >= maxUploadAttempts;
    const reason = `HTTP ${posted.status}`;
    await setPhoto(deps, photoId, tooMany ? { state: 'failed', reason } : { state: 'local' });
    return tooMany
      ? {
          type: 'block',
          problem: { status: posted.status, code: 'upload_refused', detail: reason, errors: [] },
        }
      : { type: 'retry' };
  }
  await setPhoto(deps, photoId, { state: 'sent' });
  await finish(deps, op, newOp(deps.sub, 'checkPhoto', op.visitId, photoId, now() + 1_500));
  return { type: 'done' };
}

async function checkPhoto(deps: DrainDeps, op: StoredOp): Promise<Step> {
  const now = deps.now ?? Date.now;
  const photoId = op.photoId ?? '';
  const photo = await deps.database.get('photos', [deps.sub, photoId]);
  if (photo === undefined) {
    await finish(deps, op);
    return { type: 'done' };
  }
  const result = await deps.api.getPhoto(op.visitId, photoId);
  if (!result.ok) {
    if (result.problem.status === 404 && photo.blob !== null) {
      await setPhoto(deps, photoId, { state: 'local' });
      await finish(deps, op, newOp(deps.sub, 'uploadPhoto', op.visitId, photoId, 0));
      return { type: 'done' };
    }
    return statusStep(result.problem, result.retryAfter, now());
  }
  const status = result.body.status;
  if (status === 'verified') {
    // Confirmed by the server: only now is the full-size file removed from the phone.
    await setPhoto(deps, photoId, { state: 'verified', reason: null, blob: null });
    await finish(deps, op);
    return { type: 'done' };
  }
  if (status === 'rejected') {
    const rejections = photo.rejections + 1;
    const again = rejections <= autoReuploads && photo.blob !== null;
    await setPhoto(deps, photoId, {
      state: again ? 'local' : 'failed',
      reason: result.body.reason,
      rejections,
    });
    await finish(deps, op, again ? newOp(deps.sub, 'uploadPhoto', op.visitId, photoId, 0) : undefined);
    return { type: 'done' };
  }
  // Still pending: poll a little slower each time, up to every 30 s.
  return { type: 'retry', delayMs: Math.min(30_000, 1_500 * 1.5 ** op.attempts) };
}

/**
 * Removes a photo the server has. The phone keeps the photo (hidden from its item) until the
 * server confirms; a 404 means it is gone already (a lost answer to an earlier attempt). A 409
 * `invalid_state` means the visit is no longer editable there (submitted from another device):
 * the photo stays evidence of it, so it comes back on the phone and the visit takes the
 * server's status, rather than staying hidden behind a refusal no retry can change.
 */
async function deletePhoto(deps: DrainDeps, op: StoredOp): Promise<Step> {
  const now = deps.now ?? Date.now;
  const photoId = op.photoId ?? '';
  const result = await deps.api.deletePhoto(op.visitId, photoId);
  if (!result.ok && result.problem.status === 409 && result.problem.code === 'invalid_state') {
    const fetched = await deps.api.getVisit(op.visitId);
    if (!fetched.ok) return statusStep(fetched.problem, fetched.retryAfter, now());
    const tx = deps.database.transaction(['visits', 'photos', 'outbox'], 'readwrite');
    const photo = await tx.objectStore('photos').get([deps.sub, photoId]);
    if (photo !== undefined) await tx.objectStore('photos').put({ ...photo, removing: false });
    const visit = await tx.objectStore('visits').get([deps.sub, op.visitId]);
    if (visit !== undefined) {
      await tx.objectStore('visits').put({
        ...visit,
        server: fetched.body,
        status: fetched.body.status,
        etag: fetched.etag ?? fetched.body.etag,
      });
    }
    if (op.id !== undefined) await tx.objectStore('outbox').delete(op.id);
    await tx.done;
    return { type: 'done' };
  }
  if (!result.ok && result.problem.status !== 404) {
    return statusStep(result.problem, result.retryAfter, now());
  }
  const tx = deps.database.transaction(['photos', 'outbox'], 'readwrite');
  await tx.objectStore('photos').delete([deps.sub, photoId]);
  if (op.id !== undefined) await tx.objectStore('outbox').delete(op.id);
  await tx.done;
  return { type: 'done' };
}

/**
 * Deletes a discarded draft on the server. The phone keeps the visit, its photos and nothing
 * else queued of it until the server answers 204 (or 404: gone already, or never created because
 * the first PUT's answer was lost before it got there); then all of it goes in one transaction.
 * A 409 means the visit is no longer a draft there (submitted from another device): it cannot be
 * discarded, so the phone takes the server's copy back and shows it as it is.
 */
async function deleteVisit(deps: DrainDeps, op: StoredOp): Promise<Step> {
  const now = deps.now ?? Date.now;
  const result = await deps.api.deleteVisit(op.visitId);
  const fetched = result.ok || result.problem.status !== 409 ? null : await deps.api.getVisit(op.visitId);
  if (
    result.ok ||
    result.problem.status === 404 ||
    (fetched?.ok === false && fetched.problem.status === 404)
  ) {
    const tx = visitRecordsTx(deps.database);
    await deleteVisitRecords(tx, deps.sub, op.visitId);
    await tx.done;
    return { type: 'done' };
  }
  if (fetched !== null && result.problem.code === 'invalid_state') {
    if (!fetched.ok) return statusStep(fetched.problem, fetched.retryAfter, now());
    const server = fetched.body;
    const tx = deps.database.transaction(['visits', 'outbox'], 'readwrite');
    const visit = await tx.objectStore('visits').get([deps.sub, op.visitId]);
    if (visit !== undefined) {
      await tx.objectStore('visits').put({
        ...visit,
        discarding: false,
        draft: draftFromServer(server),
        server,
        status: server.status,
        etag: fetched.etag ?? server.etag,
        conflict: null,
        attempted: [],
      });
    }
    if (op.id !== undefined) await tx.objectStore('outbox').delete(op.id);
    await tx.done;
    return { type: 'done' };
  }
  return statusStep(result.problem, result.retryAfter, now());
}

async function submit(deps: DrainDeps, op: StoredOp): Promise<Step> {
  const now = deps.now ?? Date.now;
  const result = await deps.api.submitVisit(op.visitId);
  if (result.ok) {
    await updateVisit(deps, op.visitId, (v) => {
      v.server = result.body;
      v.status = result.body.status;
      v.etag = result.etag ?? result.body.etag;
      v.submitRequested = false;
      v.problems = [];
    });
    await finish(deps, op);
    return { type: 'done' };
  }
  const { problem } = result;
  if (problem.code === 'photo_pending') {
    return { type: 'retry', delayMs: retryAfterMs(result.retryAfter, now(), 5_000) };
  }
  if (problem.status === 422) {
    // Shown on the items; not retried until the inspector fixes them and submits again.
    const visit = await deps.database.get('visits', [deps.sub, op.visitId]);
    const body = visit?.server ? inputOf(visit.server) : visit ? toVisitBody(visit.draft) : { answers: [] };
    await updateVisit(deps, op.visitId, (v) => {
      v.submitRequested = false;
      v.problems = [
        ...placeProblems(
          problem.errors.length > 0 ? problem.errors : [{ path: '', message: problem.detail }],
          body,
        ).map((p) => ({ ...p, source: 'submit' as const })),
      ];
    });
    await finish(deps, op);
    return { type: 'done' };
  }
  if (problem.status === 409 && problem.code === 'invalid_state') {
    const fetched = await deps.api.getVisit(op.visitId);
    if (fetched.ok && fetched.body.status === 'submitted') {
      await updateVisit(deps, op.visitId, (v) => {
        v.server = fetched.body;
        v.status = 'submitted';
        v.submitRequested = false;
      });
      await finish(deps, op);
      return { type: 'done' };
    }
  }
  return statusStep(problem, result.retryAfter, now());
}
