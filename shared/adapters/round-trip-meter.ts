/**
 * The round-trip meter: every DynamoDB and S3 call one process makes, one record per call (not
 * per retry of the SDK), with the capacity DynamoDB says it consumed. The round-trip test and
 * the benchmarks (issue 12) read it to count what each route costs: requests, read and write
 * capacity units, S3 requests by class.
 *
 * Off unless a meter is installed before the clients are built (as the call log): in AWS a
 * client carries no extra middleware and asks for no consumed capacity.
 */
import { currentInvoker } from '#config/invocation.ts';

export interface MeteredCall {
  service: 'dynamodb' | 's3';
  /** The SDK operation: `Query`, `TransactWriteItems`, `PutObject`. */
  operation: string;
  /** The route or worker that made the call, or null outside any (test setup). */
  invoker: string | null;
  /** Capacity units DynamoDB reported (ReturnConsumedCapacity TOTAL); 0 for S3. */
  readUnits: number;
  writeUnits: number;
  /** Items a Query or Scan returned, or items of a batch or transaction. */
  items: number;
  /** The command's input as the adapter gave it (the latency benchmark's floor replays it). */
  input: Record<string, unknown>;
  /** performance.now() at the call's start and end: calls that overlap ran concurrently. */
  startedAt: number;
  endedAt: number;
  /**
   * What a read returned (Item, Items, Responses), only when the meter was installed with
   * `{ outputs: true }`: the latency benchmark's floor carries values read (an etag, a unit ID)
   * into the writes that follow, as our code does.
   */
  output?: Record<string, unknown>;
}

export type MeterSink = (call: MeteredCall) => void;

let installedSink: MeterSink | null = null;
let keepOutputs = false;

/** Installs (or with null removes) the meter; clients built afterwards report to it. */
export function installRoundTripMeter(sink: MeterSink | null, options: { outputs?: boolean } = {}): void {
  installedSink = sink;
  keepOutputs = sink !== null && options.outputs === true;
}

/** The items a read answered, for the floor (see MeteredCall.output). */
function readOutput(output: unknown): Record<string, unknown> | undefined {
  if (!keepOutputs || !isRecord(output)) return undefined;
  const kept: Record<string, unknown> = {};
  for (const key of ['Item', 'Items', 'Responses']) if (output[key] !== undefined) kept[key] = output[key];
  return kept;
}

// The operations that accept ReturnConsumedCapacity; table management calls do not.
const capacityOperations = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

type Capacity = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// With TOTAL, DynamoDB reports CapacityUnits only: read or write follows from the operation.
const readOperations = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

function units(operation: string, consumed: unknown): { read: number; write: number } {
  const list: unknown[] = Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed];
  let read = 0;
  let write = 0;
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const capacity = entry as Capacity;
    const total = capacity.CapacityUnits ?? 0;
    if (readOperations.has(operation)) read += capacity.ReadCapacityUnits ?? total;
    else write += capacity.WriteCapacityUnits ?? total;
  }
  return { read, write };
}

function itemCount(operation: string, input: Record<string, unknown>, output: unknown): number {
  const out = isRecord(output) ? output : {};
  if (typeof out.Count === 'number') return out.Count;
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems')
    return Array.isArray(input.TransactItems) ? input.TransactItems.length : 0;
  if (operation === 'BatchGetItem' && isRecord(out.Responses))
    return Object.values(out.Responses).reduce<number>(
      (sum, items) => sum + (Array.isArray(items) ? items.length : 0),
      0,
    );
  if (operation === 'BatchWriteItem' && isRecord(input.RequestItems))
    return Object.values(input.RequestItems).reduce<number>(
      (sum, requests) => sum + (Array.isArray(requests) ? requests.length : 0),
      0,
    );
  return isRecord(out.Item) ? 1 : 0;
}

/** The minimal shape of an SDK client's middleware stack the meter needs. */
interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: { input: object }) => Promise<{ output?: unknown }>,
      context: { commandName?: string },
    ) => (args: { input: object }) => Promise<{ output?: unknown }>,
    options: { step: 'initialize'; name: string },
  ): void;
}

/**
 * Adds the metering middleware when a meter is installed; a no-op otherwise. DynamoDB calls ask
 * for their consumed capacity (TOTAL); a failed call (a cancelled transaction) is recorded too,
 * with no capacity, since it was a round trip all the same.
 */
export function attachRoundTripMeter(stack: MiddlewareStackLike, service: 'dynamodb' | 's3'): void {
  const sink = installedSink;
  if (!sink) return;
  stack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input: Record<string, unknown> = isRecord(args.input) ? args.input : {};
      const asks = service === 'dynamodb' && capacityOperations.has(operation);
      const invoker = currentInvoker();
      const startedAt = performance.now();
      try {
        const result = await next(
          asks ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args,
        );
        const output: unknown = result.output;
        const consumed = units(operation, isRecord(output) ? output.ConsumedCapacity : undefined);
        sink({
          service,
          operation,
          invoker,
          readUnits: consumed.read,
          writeUnits: consumed.write,
          items: itemCount(operation, input, output),
          input,
          startedAt,
          endedAt: performance.now(),
          ...(keepOutputs ? { output: readOutput(output) } : {}),
        });
        return result;
      } catch (error) {
        sink({
          service,
          operation,
          invoker,
          readUnits: 0,
          writeUnits: 0,
          items: 0,
          input,
          startedAt,
          endedAt: performance.now(),
        });
        throw error;
      }
    },
    { step: 'initialize', name: 'parInspectRoundTripMeter' },
  );
}
