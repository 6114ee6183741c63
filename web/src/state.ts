/**
 * What the screens read: signals filled from IndexedDB (the phone's copy is the truth the screen
 * shows) and refreshed after every change the outbox or an action makes.
 */
import { computed, signal } from '@preact/signals';
import type { TemplateOut, UnitOut } from './api/types.ts';
import { currentUser } from './auth.ts';
import type { AppConfig } from './config.ts';
import type { Messages } from './i18n/vi.ts';
import { keepNewerDrafts } from './lib/drafts.ts';
import {
  db,
  outboxOf,
  type PhotoSyncState,
  type StoredOp,
  type StoredPhoto,
  type StoredVisit,
} from './store/db.ts';
import { unsentCount } from './sync/queue.ts';

export type Route =
  | { name: 'home' }
  | { name: 'new' }
  | { name: 'visit'; visitId: string }
  | { name: 'callback' }
  /** Anything under `/console`: the managers' console routes the rest itself (its own chunk). */
  | { name: 'console'; path: string };

export type SyncState = 'local' | 'sending' | 'sent' | 'verified' | 'failed';

export const config = signal<AppConfig | null>(null);
export const route = signal<Route>({ name: 'home' });
export const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
export const visits = signal<StoredVisit[]>([]);
export const photos = signal<StoredPhoto[]>([]);
export const ops = signal<StoredOp[]>([]);
export const units = signal<UnitOut[]>([]);
export const templates = signal<TemplateOut[]>([]);
/** The operation being sent right now. */
export const running = signal<StoredOp | null>(null);
export const syncing = signal(false);
export const storage = signal<{ usage: number; quota: number; persisted: boolean } | null>(null);
/** A short message for the whole screen (an export made, a submit queued), in the current language. */
export const notice = signal<((m: Messages) => string) | null>(null);
export const loaded = signal(false);

export const unsent = computed(() => {
  const user = currentUser.value;
  return user === null ? 0 : unsentCount(ops.value, user.sub);
});

/** The latest version of each template. */
export const latestTemplates = computed(() => {
  const latest = new Map<string, TemplateOut>();
  for (const template of templates.value) {
    const seen = latest.get(template.templateId);
    if (seen === undefined || seen.version < template.version) latest.set(template.templateId, template);
  }
  return [...latest.values()];
});

export function templateOf(templateId: string, version: number): TemplateOut | undefined {
  return templates.value.find((t) => t.templateId === templateId && t.version === version);
}

export function unitName(unitId: string): string {
  return units.value.find((u) => u.unitId === unitId)?.name ?? unitId;
}

/** A visit's state for the list and `data-sync-state`. */
export function visitSyncState(visit: StoredVisit): SyncState {
  const mine = ops.value.filter((op) => op.visitId === visit.visitId && op.kind !== 'checkPhoto');
  if (visit.conflict !== null || mine.some((op) => op.blocked !== null)) return 'failed';
  if (running.value?.visitId === visit.visitId && running.value.kind !== 'checkPhoto') return 'sending';
  if (mine.length > 0) return 'local';
  return 'sent';
}

/** A photo's state: the stored one, shown as sending while its upload runs. */
export function photoSyncState(photo: StoredPhoto): PhotoSyncState {
  if (running.value?.photoId === photo.photoId && running.value.kind === 'uploadPhoto') return 'sending';
  return photo.state;
}

/** The blocked operation of a visit, if any (its problem is shown on the visit). */
export function blockedOp(visitId: string): StoredOp | undefined {
  return ops.value.find((op) => op.visitId === visitId && op.blocked !== null);
}

// Local edits show at once, before their transaction commits; a re-read that began before an
// edit committed must not put the older draft back on the screen (a checkbox would flip back).
let editGeneration = 0;
const editedAt = new Map<string, number>();

/** Called when a visit's draft changes on the screen and again once it is stored. */
export function markEdited(visitId: string): void {
  editGeneration += 1;
  editedAt.set(visitId, editGeneration);
}

/** Re-reads everything of the signed-in user from IndexedDB into the signals. */
export async function reload(): Promise<void> {
  const startedAt = editGeneration;
  const user = currentUser.value;
  const database = await db();
  if (user === null) {
    visits.value = [];
    photos.value = [];
    ops.value = [];
    units.value = [];
    loaded.value = true;
    return;
  }
  const [v, p, o, u, t] = await Promise.all([
    database.getAllFromIndex('visits', 'bySub', user.sub),
    database.getAllFromIndex('photos', 'bySub', user.sub),
    outboxOf(database, user.sub),
    database.getAllFromIndex('units', 'bySub', user.sub),
    database.getAll('templates'),
  ]);
  visits.value = keepNewerDrafts(v, visits.value, editedAt, startedAt).sort((a, b) =>
    b.draft.startedAt.localeCompare(a.draft.startedAt),
  );
  photos.value = p.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  ops.value = o;
  units.value = u.map((s) => s.unit);
  templates.value = t.map((s) => s.template);
  loaded.value = true;
}

let reloadQueued = false;
/** Coalesces bursts of changes (a drain touches many records) into one re-read per frame. */
export function reloadSoon(): void {
  if (reloadQueued) return;
  reloadQueued = true;
  setTimeout(() => {
    reloadQueued = false;
    void reload();
  }, 50);
}

export async function refreshStorage(): Promise<void> {
  if (!navigator.storage?.estimate) return;
  const estimate = await navigator.storage.estimate();
  const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : false;
  storage.value = { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}

/** The address of a route. */
export function pathOf(route: Route): string {
  switch (route.name) {
    case 'visit':
      return `/visits/${route.visitId}`;
    case 'new':
      return '/visits/new';
    case 'console':
      return route.path;
    default:
      return '/';
  }
}

export function navigate(next: Route, replace = false): void {
  const path = pathOf(next);
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route.value = next;
  // A notice is about the screen it was shown on (a submit queued, an export made).
  notice.value = null;
  window.scrollTo(0, 0);
}

/** The route of a path (the service worker serves index.html for every app path). */
export function routeOf(pathname: string, search = ''): Route {
  if (pathname === '/auth/callback') return { name: 'callback' };
  if (pathname === '/visits/new') return { name: 'new' };
  if (pathname === '/console' || pathname.startsWith('/console/')) {
    return { name: 'console', path: `${pathname}${search}` };
  }
  const match = /^\/visits\/([0-9a-fA-F-]{36})$/.exec(pathname);
  if (match?.[1] !== undefined) return { name: 'visit', visitId: match[1].toLowerCase() };
  return { name: 'home' };
}
