/**
 * What the screens can do. Each action writes to IndexedDB first (the visit and its outbox
 * entry in one transaction, so a crash leaves neither half), then asks the outbox to send.
 */
import type { Completeness, PhotoRef } from '#domain/visit.ts';
import type { TemplateOut } from './api/types.ts';
import { currentUser, signOut } from './auth.ts';
import { formatBytes, t } from './i18n/index.ts';
import { currentPosition } from './lib/geo.ts';
import { type DraftFinding, draftFromServer, toVisitBody, type VisitDraft } from './lib/visit-body.ts';
import { gpsOfFile, preparePhoto } from './photos/capture.ts';
import {
  markEdited,
  navigate,
  notice,
  online,
  photos,
  refreshStorage,
  reload,
  storage,
  visits,
} from './state.ts';
import {
  db,
  deleteVisitRecords,
  outboxOf,
  queueOp,
  type StoredOp,
  type StoredPhoto,
  type StoredVisit,
  visitRecordsTx,
} from './store/db.ts';
import { outboxLock } from './sync/queue.ts';
import { syncSoon } from './sync/trigger.ts';

function requireSub(): string {
  const user = currentUser.value;
  if (user === null) throw new Error('not signed in');
  return user.sub;
}

function op(sub: string, kind: StoredOp['kind'], visitId: string, extra: Partial<StoredOp> = {}): StoredOp {
  return { sub, kind, visitId, attempts: 0, notBefore: 0, blocked: null, createdAt: Date.now(), ...extra };
}

export function isEditable(visit: StoredVisit): boolean {
  return (
    (visit.status === 'draft' || visit.status === 'returned') &&
    !visit.submitRequested &&
    visit.discarding !== true
  );
}

/** Only a draft can be discarded (DELETE answers 409 for any other status, a returned visit too). */
export function isDiscardable(visit: StoredVisit): boolean {
  return visit.status === 'draft' && isEditable(visit);
}

/**
 * Runs `change` holding the outbox's lock when no drain holds it (`idle` true): then nothing is
 * being sent meanwhile, so what the records say about the server is what the server has. When
 * a drain is running (here or in the service worker) `idle` is false and the caller must assume
 * the server may have what is being sent.
 */
async function whileOutboxIdle(sub: string, change: (idle: boolean) => Promise<void>): Promise<void> {
  const locks = globalThis.navigator?.locks;
  if (locks === undefined) return change(false);
  await locks.request(outboxLock(sub), { ifAvailable: true }, (lock) => change(lock !== null));
}

/**
 * Removes a photo from its item (after the user confirmed). It disappears from the screen at
 * once. A photo never declared to the server is simply dropped with its queued upload; one the
 * server may hold (declared, uploaded, or its upload running now) is kept, hidden, with a
 * queued DELETE, and goes from the phone once the server confirms.
 */
export async function removePhoto(photoId: string): Promise<void> {
  const sub = requireSub();
  photos.value = photos.value.map((p) => (p.photoId === photoId ? { ...p, removing: true } : p));
  const database = await db();
  await whileOutboxIdle(sub, async (idle) => {
    const tx = visitRecordsTx(database);
    const photoStore = tx.objectStore('photos');
    const outbox = tx.objectStore('outbox');
    const photo = await photoStore.get([sub, photoId]);
    const visit = photo === undefined ? undefined : await tx.objectStore('visits').get([sub, photo.visitId]);
    if (photo === undefined || visit === undefined || !isEditable(visit) || photo.removing === true) {
      await tx.done;
      return;
    }
    const queued = (await outbox.index('bySub').getAll(sub)).filter((o) => o.photoId === photoId);
    const neverSent =
      idle &&
      photo.state === 'local' &&
      photo.declared !== true &&
      photo.rejections === 0 &&
      !queued.some((o) => o.kind === 'uploadPhoto' && o.attempts > 0);
    for (const o of queued) if (o.id !== undefined) await outbox.delete(o.id);
    if (neverSent) {
      await photoStore.delete([sub, photoId]);
    } else {
      await photoStore.put({ ...photo, removing: true });
      await queueOp(outbox, sub, op(sub, 'deletePhoto', photo.visitId, { photoId }));
    }
    await tx.done;
  });
  await reload();
  syncSoon(0);
}

/**
 * Discards a draft visit (after the user confirmed). One the server never had (no PUT ever
 * sent, none running) is deleted from the phone at once with its photos and queued operations;
 * one the server may have keeps only a queued DELETE (its unsent edits and uploads are dropped,
 * never sent) and is shown as being discarded until the server confirms.
 */
export async function discardVisit(visitId: string): Promise<void> {
  const sub = requireSub();
  const database = await db();
  await whileOutboxIdle(sub, async (idle) => {
    const tx = visitRecordsTx(database);
    const visit = await tx.objectStore('visits').get([sub, visitId]);
    if (visit === undefined || !isDiscardable(visit)) {
      await tx.done;
      return;
    }
    const neverSent = idle && visit.etag === null && visit.server === null && visit.attempted.length === 0;
    if (neverSent) {
      await deleteVisitRecords(tx, sub, visitId);
    } else {
      const outbox = tx.objectStore('outbox');
      for (const o of await outbox.index('bySub').getAll(sub)) {
        if (o.visitId === visitId && o.id !== undefined) await outbox.delete(o.id);
      }
      await tx.objectStore('visits').put({ ...visit, discarding: true });
      await queueOp(outbox, sub, op(sub, 'deleteVisit', visitId));
    }
    await tx.done;
  });
  navigate({ name: 'home' });
  await reload();
  syncSoon(0);
}

/** Starts a visit: a client UUID, now as `startedAt`, and the device's position when it comes. */
export async function createVisit(unitId: string, template: TemplateOut): Promise<void> {
  const sub = requireSub();
  const visitId = crypto.randomUUID();
  const draft: VisitDraft = {
    unitId,
    templateId: template.templateId,
    templateVersion: template.version,
    startedAt: new Date().toISOString(),
    answers: [],
    deductions: [],
    manualFindings: [],
  };
  const visit: StoredVisit = {
    sub,
    visitId,
    draft,
    status: 'draft',
    etag: null,
    server: null,
    attempted: [],
    problems: [],
    conflict: null,
    submitRequested: false,
    localUpdatedAt: new Date().toISOString(),
  };
  const database = await db();
  const tx = database.transaction(['visits', 'outbox'], 'readwrite');
  await tx.objectStore('visits').put(visit);
  await queueOp(tx.objectStore('outbox'), sub, op(sub, 'putVisit', visitId, { body: toVisitBody(draft) }));
  await tx.done;
  await reload();
  navigate({ name: 'visit', visitId });
  syncSoon();
  const location = await currentPosition();
  if (location !== undefined) await editVisit(visitId, (d) => ({ ...d, location }));
}

/**
 * Saves an edit of a visit's draft and queues it (merged with any unsent edit). The screen's
 * copy changes at once (inside the input's event, so a controlled checkbox or radio keeps the
 * state just chosen); the stored copy is changed by the same function inside the transaction.
 */
export async function editVisit(visitId: string, change: (draft: VisitDraft) => VisitDraft): Promise<void> {
  const sub = requireSub();
  const shown = visits.value.find((v) => v.visitId === visitId);
  if (shown !== undefined && isEditable(shown)) {
    const draft = change(shown.draft);
    markEdited(visitId);
    visits.value = visits.value.map((v) => (v.visitId === visitId ? { ...v, draft } : v));
  }
  const database = await db();
  const tx = database.transaction(['visits', 'outbox'], 'readwrite');
  const store = tx.objectStore('visits');
  const visit = await store.get([sub, visitId]);
  if (visit === undefined || !isEditable(visit)) {
    await tx.done;
    await reload();
    return;
  }
  const draft = change(visit.draft);
  await store.put({ ...visit, draft, localUpdatedAt: new Date().toISOString() });
  await queueOp(tx.objectStore('outbox'), sub, op(sub, 'putVisit', visitId, { body: toVisitBody(draft) }));
  await tx.done;
  markEdited(visitId);
  visits.value = visits.value.map((v) => (v.visitId === visitId ? { ...v, draft } : v));
  syncSoon();
}

export function addFinding(visitId: string): Promise<void> {
  const finding: DraftFinding = { title: '', severity: 'medium' };
  return editVisit(visitId, (d) => ({ ...d, manualFindings: [...d.manualFindings, finding] }));
}

/** The photos of a visit as completeness sees them: on the phone but unverified counts as pending. */
export function photoRefs(visitId: string): PhotoRef[] {
  return photos.value
    .filter((p) => p.visitId === visitId && p.removing !== true)
    .map((p) => ({
      photoId: p.photoId,
      itemCode: p.itemCode,
      status: p.state === 'verified' ? 'verified' : p.state === 'failed' ? 'rejected' : 'pending',
    }));
}

/**
 * Queues the submit when nothing but photo verification is missing (the server then answers
 * photo_pending until they are verified, and the outbox waits); else shows what is missing.
 * `completeness` is the domain's check of the draft with this phone's photos, as the screen shows it.
 */
export async function requestSubmit(visitId: string, completeness: Completeness): Promise<boolean> {
  const sub = requireSub();
  const database = await db();
  const visit = await database.get('visits', [sub, visitId]);
  if (visit === undefined || !isEditable(visit)) return false;
  // Photos still on their way count as pending: the server answers photo_pending until they are
  // verified and the outbox retries; anything else missing is shown instead of queued.
  const photosPendingOnly = completeness.problems.length === 0 || completeness.pendingOnly;
  // The screen then marks what is missing on each item.
  if (!photosPendingOnly) return false;
  const tx = database.transaction(['visits', 'outbox'], 'readwrite');
  await tx.objectStore('visits').put({
    ...visit,
    submitRequested: true,
    problems: visit.problems.filter((p) => p.source !== 'submit'),
    draft: { ...visit.draft, endedAt: visit.draft.endedAt ?? new Date().toISOString() },
  });
  const body = toVisitBody({ ...visit.draft, endedAt: visit.draft.endedAt ?? new Date().toISOString() });
  await queueOp(tx.objectStore('outbox'), sub, op(sub, 'putVisit', visitId, { body }));
  await queueOp(tx.objectStore('outbox'), sub, op(sub, 'submit', visitId));
  await tx.done;
  // Read when drawn, so it follows the connection and the server's answer: 'will send when
  // online' only while offline, then 'sending', then 'submitted' once the server has it.
  notice.value = (m) => {
    const stored = visits.value.find((v) => v.visitId === visitId);
    if (stored !== undefined && stored.status === 'submitted') return m.submitSent;
    return online.value ? m.submitSending : m.submitQueued;
  };
  await reload();
  syncSoon(0);
  return true;
}

/** After a 412: keep this phone's version (sent with the server's etag) or take the server's. */
export async function resolveConflict(visitId: string, keep: 'mine' | 'theirs'): Promise<void> {
  const sub = requireSub();
  const database = await db();
  const tx = database.transaction(['visits', 'outbox'], 'readwrite');
  const visitStore = tx.objectStore('visits');
  const outbox = tx.objectStore('outbox');
  const visit = await visitStore.get([sub, visitId]);
  const theirs = visit?.conflict;
  if (visit === undefined || theirs === null || theirs === undefined) {
    await tx.done;
    return;
  }
  const mine = (await outbox.index('bySub').getAll(sub)).filter(
    (o) => o.visitId === visitId && o.kind === 'putVisit',
  );
  if (keep === 'mine') {
    await visitStore.put({
      ...visit,
      conflict: null,
      etag: theirs.etag,
      status: theirs.status,
      server: theirs,
    });
    for (const o of mine) await outbox.put({ ...o, blocked: null, attempts: 0, notBefore: 0 });
  } else {
    await visitStore.put({
      ...visit,
      conflict: null,
      etag: theirs.etag,
      status: theirs.status,
      server: theirs,
      draft: draftFromServer(theirs),
      problems: [],
    });
    for (const o of mine) if (o.id !== undefined) await outbox.delete(o.id);
  }
  await tx.done;
  await reload();
  syncSoon(0);
}

/** Sends a blocked operation again (after the user read why it failed). */
export async function retryOp(id: number): Promise<void> {
  const database = await db();
  const existing = await database.get('outbox', id);
  if (existing !== undefined)
    await database.put('outbox', { ...existing, blocked: null, attempts: 0, notBefore: 0 });
  await reload();
  syncSoon(0);
}

/** Uploads a photo again after it failed (rejected twice, or refused). */
export async function retryPhoto(photoId: string): Promise<void> {
  const sub = requireSub();
  const database = await db();
  const tx = database.transaction(['photos', 'outbox'], 'readwrite');
  const photo = await tx.objectStore('photos').get([sub, photoId]);
  if (photo?.blob) {
    await tx.objectStore('photos').put({ ...photo, state: 'local', reason: null, rejections: 0 });
    const outbox = tx.objectStore('outbox');
    for (const o of await outbox.index('bySub').getAll(sub)) {
      if (o.photoId === photoId && o.id !== undefined) await outbox.delete(o.id);
    }
    await queueOp(tx.objectStore('outbox'), sub, op(sub, 'uploadPhoto', photo.visitId, { photoId }));
  }
  await tx.done;
  await reload();
  syncSoon(0);
}

/** Room kept free on the phone beyond the photo itself. */
const reserveBytes = 25 * 1024 * 1024;

function spaceShort(extra: number): string | null {
  const s = storage.value;
  if (s === null || s.quota === 0) return null;
  const free = s.quota - s.usage;
  return free < extra + reserveBytes ? t.value.photoSpaceShort(formatBytes(Math.max(free, 0))) : null;
}

/**
 * Stores a photo for an item: downscaled, hashed, with the time and place of the shot (a
 * gallery pick keeps the file's time and declares no place, since the phone was not there then;
 * the file's own EXIF GPS, when it has one, stays in the JPEG as the file's evidence).
 * Refuses clearly when the phone is short of space. Returns an error text or null.
 */
export async function addPhoto(
  visitId: string,
  itemCode: string,
  file: File,
  source: 'camera' | 'gallery',
): Promise<string | null> {
  const sub = requireSub();
  const shotAt = new Date();
  const where = source === 'camera' ? currentPosition() : Promise.resolve(undefined);
  await refreshStorage();
  const short = spaceShort(Math.max(file.size, 2 * 1024 * 1024));
  if (short !== null) return short;
  let prepared: Awaited<ReturnType<typeof preparePhoto>>;
  try {
    prepared = await preparePhoto(file, source === 'gallery' ? await gpsOfFile(file) : null);
  } catch (error) {
    return t.value.photoFailed(error instanceof Error ? error.message : String(error));
  }
  const shortAfter = spaceShort(prepared.blob.size + prepared.thumb.size);
  if (shortAfter !== null) return shortAfter;
  const capturedAt =
    source === 'gallery' && file.lastModified > 0 && file.lastModified <= Date.now()
      ? new Date(file.lastModified).toISOString()
      : shotAt.toISOString();
  const location = await where;
  const photoId = crypto.randomUUID();
  const photo: StoredPhoto = {
    sub,
    photoId,
    visitId,
    itemCode,
    blob: prepared.blob,
    thumb: prepared.thumb,
    contentType: 'image/jpeg',
    sizeBytes: prepared.blob.size,
    sha256: prepared.sha256,
    width: prepared.width,
    height: prepared.height,
    capturedAt,
    ...(location !== undefined ? { location } : {}),
    state: 'local',
    reason: null,
    rejections: 0,
    createdAt: new Date().toISOString(),
  };
  const database = await db();
  const tx = database.transaction(['photos', 'outbox'], 'readwrite');
  await tx.objectStore('photos').put(photo);
  await queueOp(tx.objectStore('outbox'), sub, op(sub, 'uploadPhoto', visitId, { photoId }));
  await tx.done;
  if (navigator.storage?.persist) void navigator.storage.persist().then(() => refreshStorage());
  await reload();
  syncSoon(0);
  return null;
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** Everything not yet confirmed by the server, as one JSON file the user keeps (last resort). */
export async function exportUnsent(): Promise<void> {
  const sub = requireSub();
  const database = await db();
  const queue = await outboxOf(database, sub);
  const pendingVisits = new Set(queue.map((o) => o.visitId));
  const allVisits = await database.getAllFromIndex('visits', 'bySub', sub);
  const allPhotos = await database.getAllFromIndex('photos', 'bySub', sub);
  const unsentPhotos = allPhotos.filter(
    (p) => p.state !== 'verified' && p.blob !== null && p.removing !== true,
  );
  for (const p of unsentPhotos) pendingVisits.add(p.visitId);
  const exported = {
    exportedAt: new Date().toISOString(),
    inspector: sub,
    visits: allVisits
      .filter((v) => v.discarding !== true && (pendingVisits.has(v.visitId) || v.server === null))
      .map((v) => ({ visitId: v.visitId, status: v.status, body: toVisitBody(v.draft) })),
    photos: await Promise.all(
      unsentPhotos.map(async (p) => ({
        photoId: p.photoId,
        visitId: p.visitId,
        itemCode: p.itemCode,
        capturedAt: p.capturedAt,
        location: p.location ?? null,
        sha256: p.sha256,
        dataUrl: p.blob === null ? null : await dataUrl(p.blob),
      })),
    ),
  };
  const name = `par-inspect-unsent-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`;
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(exported, null, 2)], { type: 'application/json' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  notice.value = (m) => m.exportDone(name);
}

export async function signOutNow(): Promise<void> {
  await signOut();
  await reload();
}
