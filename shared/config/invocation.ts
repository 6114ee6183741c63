/**
 * Which route or worker the current code runs for. The HTTP middy stack and the worker entry
 * points set it around each invocation; the SDK call log (shared/adapters/clients.ts, on only
 * when tests ask for it) reads it to attribute each AWS call to its issuer, so the proof suites
 * can check every call against that issuer's access declaration in the route table.
 *
 * AsyncLocalStorage rather than an argument: the name must reach the adapters through every use
 * case without widening their signatures, and concurrent invocations (the local server) must not
 * see each other's names.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RouteName, WorkerName } from '#routes/table.ts';

export type InvokerName = RouteName | WorkerName;

const current = new AsyncLocalStorage<InvokerName>();

/** Runs `work` as route or worker `name`. */
export function runAs<T>(name: InvokerName, work: () => Promise<T>): Promise<T> {
  return current.run(name, work);
}

/** The route or worker the caller runs for, or null outside any (test setup, seeding). */
export function currentInvoker(): InvokerName | null {
  return current.getStore() ?? null;
}

/** A worker's entry point that runs as worker `name`: `export const handler = asWorker(...)`. */
export function asWorker<E>(
  name: WorkerName,
  work: (event: E) => Promise<void>,
): (event: E) => Promise<void> {
  return (event) => runAs(name, () => work(event));
}
