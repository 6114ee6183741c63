/**
 * The phone's one IndexedDB database. Everything the inspector does is written here first; the
 * outbox (also here, so it survives reloads, crashes and app updates) then sends it. Records of
 * users are keyed by `sub`, so two inspectors sharing a phone never send each other's work.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { PhotoContentType, VisitInput, VisitStatus } from '#domain/visit.ts';
import type { TemplateOut, UnitOut, VisitOut } from '../api/types.ts';
import type { PlacedProblem } from '../lib/problems.ts';
import type { VisitDraft } from '../lib/visit-body.ts';
import { enqueue, type OutboxOp } from '../sync/queue.ts';

export type PhotoSyncState = 'local' | 'sending' | 'sent' | 'verified' | 'failed';

export interface StoredUnit {
  sub: string;
  unitId: string;
  unit: UnitOut;
}

export interface StoredTemplate {
  templateId: string;
  version: number;
  template: TemplateOut;
}

export interface StoredVisit {
  sub: string;
  visitId: string;
  /** What the inspector has on the phone: always the latest. */
  draft: VisitDraft;
  /** The last status the server gave (`draft` before it has the visit). */
  status: VisitStatus;
  /** The etag of the server's copy this phone last saw: the next PUT's If-Match. */
  etag: string | null;
  server: VisitOut | null;
  /** Bodies sent whose answers may have been lost (a 428 checks the server against these). */
  attempted: VisitInput[];
  /** The server's problems, placed on their items, from the last refused PUT or submit. */
  problems: Array<PlacedProblem & { source: 'put' | 'submit' }>;
  /** After a 412: the server's copy, until the user chooses. */
  conflict: VisitOut | null;
  submitRequested: boolean;
  /** The inspector discarded this draft: kept (read-only) until the server confirms the DELETE. */
  discarding?: boolean | undefined;
  localUpdatedAt: string;
}

export interface StoredPhoto {
  sub: string;
  photoId: string;
  visitId: string;
  itemCode: string;
  /** The JPEG to upload; dropped once the server has verified it, to free space. */
  blob: Blob | null;
  thumb: Blob | null;
  /** JPEG for photos taken here (the phone re-encodes); what the server says for others. */
  contentType: PhotoContentType;
  sizeBytes: number;
  sha256: string;
  width: number;
  height: number;
  capturedAt: string;
  location?: { lat: number; lng: number; accuracyM: number } | undefined;
  state: PhotoSyncState;
  reason: string | null;
  rejections: number;
  createdAt: string;
  /**
   * Set by the outbox just before it first declares the photo to the server: from then on the
   * server may hold it, so removing it takes a DELETE (before, dropping it here is enough).
   */
  declared?: boolean | undefined;
  /** The inspector removed it: hidden from the item, kept here until the server confirms. */
  removing?: boolean | undefined;
}

export type StoredOp = OutboxOp<VisitInput>;

interface AppSchema extends DBSchema {
  meta: { key: string; value: unknown };
  units: { key: [string, string]; value: StoredUnit; indexes: { bySub: string } };
  templates: { key: [string, number]; value: StoredTemplate };
  visits: { key: [string, string]; value: StoredVisit; indexes: { bySub: string } };
  photos: {
    key: [string, string];
    value: StoredPhoto;
    indexes: { byVisit: [string, string]; bySub: string };
  };
  outbox: { key: number; value: StoredOp; indexes: { bySub: string } };
}

export type AppDb = IDBPDatabase<AppSchema>;

/** A read-write transaction over a visit's records: the visit, its photos and the outbox. */
export function visitRecordsTx(database: AppDb) {
  return database.transaction(['visits', 'photos', 'outbox'], 'readwrite');
}

export type VisitRecordsTx = ReturnType<typeof visitRecordsTx>;

/** Deletes a visit of `sub` from the phone with its photos and every queued operation of it. */
export async function deleteVisitRecords(tx: VisitRecordsTx, sub: string, visitId: string): Promise<void> {
  await tx.objectStore('visits').delete([sub, visitId]);
  const photoStore = tx.objectStore('photos');
  for (const key of await photoStore.index('byVisit').getAllKeys([sub, visitId]))
    await photoStore.delete(key);
  const outbox = tx.objectStore('outbox');
  for (const queued of await outbox.index('bySub').getAll(sub)) {
    if (queued.visitId === visitId && queued.id !== undefined) await outbox.delete(queued.id);
  }
}

let opening: Promise<AppDb> | null = null;

/** The database, opened once per page or worker. */
export function db(): Promise<AppDb> {
  opening ??= openDB<AppSchema>('par-inspect', 1, {
    upgrade(database) {
      database.createObjectStore('meta');
      database.createObjectStore('units', { keyPath: ['sub', 'unitId'] }).createIndex('bySub', 'sub');
      database.createObjectStore('templates', { keyPath: ['templateId', 'version'] });
      database.createObjectStore('visits', { keyPath: ['sub', 'visitId'] }).createIndex('bySub', 'sub');
      const photos = database.createObjectStore('photos', { keyPath: ['sub', 'photoId'] });
      photos.createIndex('byVisit', ['sub', 'visitId']);
      photos.createIndex('bySub', 'sub');
      database
        .createObjectStore('outbox', { keyPath: 'id', autoIncrement: true })
        .createIndex('bySub', 'sub');
    },
    // A newer version of the app opened the database elsewhere: let it upgrade; this page
    // reloads into the new version (queued work is in the database, so nothing is lost).
    blocking() {
      void opening?.then((database) => database.close());
      opening = null;
    },
  });
  return opening;
}

/** The outbox of `sub`, in queue order. */
export async function outboxOf(database: AppDb, sub: string): Promise<StoredOp[]> {
  const ops = await database.getAllFromIndex('outbox', 'bySub', sub);
  return ops.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
}

export async function getMeta<T>(key: string, guard: (value: unknown) => value is T): Promise<T | null> {
  const value = await (await db()).get('meta', key);
  return guard(value) ? value : null;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await (await db()).put('meta', value, key);
}

/** The part of an outbox object store (in any transaction) that queueing needs. */
export interface OutboxWriter {
  index(name: 'bySub'): { getAll(sub: string): Promise<StoredOp[]> };
  put(op: StoredOp): Promise<unknown>;
}

/** Adds `next` to the outbox of `sub` within the caller's transaction, merging as queue.ts says. */
export async function queueOp(store: OutboxWriter, sub: string, next: StoredOp): Promise<void> {
  const queue = (await store.index('bySub').getAll(sub)).sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  const joined = enqueue(queue, next);
  if (joined.type !== 'unchanged') await store.put(joined.op);
}
