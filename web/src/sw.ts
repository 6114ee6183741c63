/**
 * The service worker: precaches the app shell of this build, answers navigations outside
 * `/v1/` and `/local/` with the cached index.html (the app then routes itself), and never
 * touches `/v1/` or `/local/` (API answers, tokens and uploads go to the network as they are, so
 * an unmatched API route still answers its problem+json 404). A new version installs beside the
 * old one and waits until the user applies it; queued work lives in IndexedDB, not here, so an
 * update never drops it. Background Sync (`outbox`) wakes an open page to drain, or drains here
 * with the session the page left in IndexedDB.
 */
import './zod-jitless.ts';
import { createApi } from './api/client.ts';
import { isAppConfig } from './config.ts';
import { db, getMeta } from './store/db.ts';
import { drainOutbox } from './sync/engine.ts';

declare const self: ServiceWorkerGlobalScope;
declare const __PRECACHE__: string[];
declare const __SHELL_VERSION__: string;

const shellCache = `shell-${__SHELL_VERSION__}`;
const configCache = 'app-config';

interface SyncEvent extends ExtendableEvent {
  tag: string;
}

function isSyncEvent(event: Event): event is SyncEvent {
  return 'tag' in event && typeof event.tag === 'string' && 'waitUntil' in event;
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(shellCache).then((cache) => cache.addAll(__PRECACHE__)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('shell-') && name !== shellCache) await caches.delete(name);
      }
      // The first install takes the open page at once, so a reload offline already works.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'skipWaiting') {
    void self.skipWaiting();
  }
});

function bypassed(url: URL): boolean {
  return (
    url.pathname.startsWith('/v1/') ||
    url.pathname === '/v1' ||
    url.pathname.startsWith('/local/') ||
    url.pathname === '/local'
  );
}

async function configFirstFromNetwork(request: Request): Promise<Response> {
  const cache = await caches.open(configCache);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put('/app-config.json', response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match('/app-config.json', { ignoreVary: true });
    if (cached !== undefined) return cached;
    throw error;
  }
}

async function shell(request: Request): Promise<Response> {
  const cache = await caches.open(shellCache);
  const cached = await cache.match('/index.html', { ignoreVary: true, ignoreSearch: true });
  return cached ?? fetch(request);
}

async function asset(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(shellCache);
  // ignoreVary: the server varies on Origin, which module scripts send and the precache did not.
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached !== undefined) return cached;
  const response = await fetch(request);
  // Hashed build files never change: keep any the precache missed (a page loaded from the
  // network just before a new build replaced the files) so that it still works offline.
  if (response.ok && url.pathname.startsWith('/assets/')) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || bypassed(url)) return;
  // The managers' console is not part of the offline shell: left to the network and the HTTP
  // cache, so that neither the precache nor this cache ever holds it.
  if (url.pathname.startsWith('/assets/console/')) return;
  if (url.pathname === '/app-config.json') {
    event.respondWith(configFirstFromNetwork(request));
  } else if (request.mode === 'navigate') {
    event.respondWith(shell(request));
  } else {
    event.respondWith(asset(request, url));
  }
});

function isSession(value: unknown): value is { accessToken: string; expiresAt: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'accessToken' in value &&
    typeof value.accessToken === 'string' &&
    'expiresAt' in value &&
    typeof value.expiresAt === 'number'
  );
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

async function backgroundDrain(): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window' });
  if (windows.length > 0) {
    // An open page has the user's live session (and can refresh it): let it send.
    for (const client of windows) client.postMessage({ type: 'drain' });
    return;
  }
  const sub = await getMeta('activeSub', isString);
  const config = await getMeta('app-config', isAppConfig);
  if (sub === null || config === null) return;
  const session = await getMeta(`session:${sub}`, isSession);
  const token = session !== null && session.expiresAt - 60 > Date.now() / 1000 ? session.accessToken : null;
  if (token === null) return; // expired: the page sends after the next sign-in
  const lang = await getMeta('lang', isString);
  const api = createApi({
    baseUrl: config.apiBaseUrl,
    token: async () => token,
    language: () => (lang === 'en' ? 'en' : 'vi'),
  });
  const outcome = await drainOutbox({ database: await db(), api, sub });
  // Rejecting asks the browser to try this sync again later.
  if (outcome === 'offline') throw new Error('still offline');
}

self.addEventListener('sync', (event) => {
  if (isSyncEvent(event) && event.tag === 'outbox') event.waitUntil(backgroundDrain());
});
