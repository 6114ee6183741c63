/**
 * Round trips per route (issue 12, target 3): the round-trip meter's records of one invocation
 * grouped by operation, the limits the issue sets, and the figures the benchmark writes to
 * docs/benchmarks.md. Shared by tests/integration/round-trips.test.ts (which asserts the limits)
 * and bench/round-trips.ts (which writes the table and the cost per 1,000 visits from it).
 */
import { installRoundTripMeter, type MeteredCall } from '#adapters/round-trip-meter.ts';

/** What one invocation of a route did, and the calls its workers made because of it. */
export interface RouteTrips {
  /** The route name, and what the call was (`approve, fits one transaction`). */
  route: string;
  scenario: string;
  /** Calls the route made itself, by operation: `{ Query: 1, BatchGetItem: 1 }`. */
  calls: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Calls of workers this invocation set off (the photo verifier after an upload), by worker. */
  workers: Record<string, Record<string, number>>;
  workerReadUnits: number;
  workerWriteUnits: number;
  /** Domain events published (EventBridge PutEvents entries). */
  events: number;
  /** Wall time of the handler in this process, warm (for the cost's Lambda duration). */
  millis: number;
}

/** Records every metered call of this process from now on. Call before the first SDK client is built. */
export function startMeter(): { take(): MeteredCall[] } {
  let calls: MeteredCall[] = [];
  installRoundTripMeter((call) => calls.push(call));
  return {
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
  };
}

const count = (calls: readonly MeteredCall[]) => {
  const byOperation: Record<string, number> = {};
  for (const call of calls) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
  return byOperation;
};
const sum = (calls: readonly MeteredCall[], field: 'readUnits' | 'writeUnits') =>
  calls.reduce((total, call) => total + call[field], 0);

/** Groups one invocation's calls: the route's own, and those of the workers it set off. */
export function tripsOf(
  route: string,
  scenario: string,
  calls: readonly MeteredCall[],
  millis: number,
): Omit<RouteTrips, 'events'> {
  const own = calls.filter((call) => call.invoker === route);
  const others = calls.filter((call) => call.invoker !== route && call.invoker !== null);
  const workers: Record<string, Record<string, number>> = {};
  for (const name of new Set(others.map((call) => call.invoker ?? '')))
    workers[name] = count(others.filter((call) => call.invoker === name));
  return {
    route,
    scenario,
    calls: count(own),
    readUnits: sum(own, 'readUnits'),
    writeUnits: sum(own, 'writeUnits'),
    workers,
    workerReadUnits: sum(others, 'readUnits'),
    workerWriteUnits: sum(others, 'writeUnits'),
    millis,
  };
}

export const totalCalls = (calls: Record<string, number>) =>
  Object.values(calls).reduce((total, n) => total + n, 0);

const readOperations = new Set(['GetItem', 'Query', 'BatchGetItem', 'TransactGetItems', 'Scan']);

/** Reads of one kind or another (GetItem, Query, BatchGet, TransactGet). */
export const reads = (calls: Record<string, number>) =>
  Object.entries(calls)
    .filter(([operation]) => readOperations.has(operation))
    .reduce((total, [, n]) => total + n, 0);

/** The calls of a route in the docs' form: `TransactWriteItems 1, GetItem 1`. */
export const describeCalls = (calls: Record<string, number>) =>
  Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, n]) => `${operation} ${n}`)
    .join(', ') || 'none';
