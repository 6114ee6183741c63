/**
 * When the outbox drains: at start, on the `online` event, when the app comes back to the
 * foreground, on a timer while work waits, shortly after each change, when the service worker
 * relays a Background Sync, and when the user asks. The server's side is pulled after a drain
 * (at most every few minutes unless asked).
 */
import { createApi, NetworkError } from '../api/client.ts';
import { currentUser, freshToken, sessionExpired } from '../auth.ts';
import { language } from '../i18n/index.ts';
import { config, online, ops, reload, reloadSoon, running, syncing } from '../state.ts';
import { db } from '../store/db.ts';
import { drainOutbox } from './engine.ts';
import { pullFromServer } from './pull.ts';
import { nextDue } from './queue.ts';

const timerMs = 30_000;
const pullEveryMs = 5 * 60_000;

let lastPull = 0;
let soonTimer: ReturnType<typeof setTimeout> | undefined;
let again = false;

function api() {
  const base = config.value?.apiBaseUrl ?? window.location.origin;
  return createApi({ baseUrl: base, token: freshToken, language: () => language.value });
}

/** One drain (and a pull when due). Overlapping calls run one more cycle, never two at once. */
export async function syncNow(options: { pull?: boolean } = {}): Promise<void> {
  const user = currentUser.value;
  if (user === null || !navigator.onLine) return;
  if (syncing.value) {
    again = true;
    return;
  }
  syncing.value = true;
  try {
    const database = await db();
    const client = api();
    const outcome = await drainOutbox({
      database,
      api: client,
      sub: user.sub,
      onChange: (op) => {
        running.value = op;
        reloadSoon();
      },
    });
    if (outcome === 'unauthenticated') {
      sessionExpired.value = true;
    } else if (outcome !== 'offline' && (options.pull === true || Date.now() - lastPull > pullEveryMs)) {
      lastPull = Date.now();
      const pulled = await pullFromServer(database, client, user.sub);
      if (pulled === 'unauthenticated') sessionExpired.value = true;
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) console.warn('sync failed', error);
  } finally {
    running.value = null;
    syncing.value = false;
    await reload();
  }
  if (again) {
    again = false;
    void syncNow();
    return;
  }
  wakeAtNextDue();
}

let dueTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Drains again when the earliest waiting operation is due (a backoff, a Retry-After, the next
 * look at a photo being verified), when that comes before the 30 s timer would.
 */
function wakeAtNextDue(): void {
  const user = currentUser.value;
  clearTimeout(dueTimer);
  if (user === null) return;
  const due = nextDue(ops.value, user.sub, Date.now());
  if (due === null) return;
  const wait = Math.max(due - Date.now(), 250);
  if (wait < timerMs) dueTimer = setTimeout(() => void syncNow(), wait);
}

/** A drain shortly after a change, so a burst of edits goes out as one merged PUT. */
export function syncSoon(delayMs = 1_500): void {
  clearTimeout(soonTimer);
  soonTimer = setTimeout(() => void syncNow(), delayMs);
  void requestBackgroundSync();
}

interface SyncRegistration {
  sync: { register(tag: string): Promise<void> };
}

function hasSync(
  registration: ServiceWorkerRegistration,
): registration is ServiceWorkerRegistration & SyncRegistration {
  return 'sync' in registration;
}

/** Asks the browser to wake the service worker when connectivity returns (where supported). */
async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration !== undefined && hasSync(registration)) await registration.sync.register('outbox');
  } catch {
    // Not allowed here (e.g. no permission): the page's own triggers still drain.
  }
}

/** Wires every trigger; called once the user is known. */
export function startScheduler(): void {
  window.addEventListener('online', () => {
    online.value = true;
    void syncNow({ pull: true });
  });
  window.addEventListener('offline', () => {
    online.value = false;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void syncNow();
  });
  navigator.serviceWorker?.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'drain') void syncNow();
  });
  setInterval(() => void syncNow(), timerMs);
  lastPull = 0;
  void syncNow({ pull: true });
}
