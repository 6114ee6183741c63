/**
 * The screens' door to the outbox. The sending machinery (API client, contract schemas and
 * zod, the drain) is a chunk of its own, loaded once the first screen is up, so the first
 * screen's JavaScript stays small; asking for a sync before then simply waits for it.
 */
type Scheduler = typeof import('./scheduler.ts');

let loading: Promise<Scheduler> | null = null;

function scheduler(): Promise<Scheduler> {
  loading ??= import('./scheduler.ts');
  return loading;
}

export function syncSoon(delayMs?: number): void {
  void scheduler().then((s) => s.syncSoon(delayMs));
}

export async function syncNow(options: { pull?: boolean } = {}): Promise<void> {
  await (await scheduler()).syncNow(options);
}

/** Starts every trigger of the outbox after the first paint (idle time where the browser has it). */
export function startSync(): void {
  const start = () => void scheduler().then((s) => s.startScheduler());
  if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 2_000 });
  else setTimeout(start, 200);
}
