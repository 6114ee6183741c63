/**
 * The SDK call log: which IAM action each DynamoDB and S3 call needs, on which table, index or
 * bucket, and the route or worker that issued it. The emulators enforce no IAM, so the proof
 * suites (tests/proof/calls) read this log to check every call against the issuer's `access`
 * declaration in the route table, and every declared action against the calls.
 *
 * Off unless asked: clients.ts adds the middleware only when `PAR_SDK_CALL_LOG_DIR` is set (each
 * process appends to its own JSONL file there) or a test installs a sink, so in AWS a client
 * carries no extra middleware at all.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { currentInvoker } from '#config/invocation.ts';

/** One IAM request an SDK call makes: a transaction or a batch makes one per item. */
export interface CallRequest {
  /** The IAM action, as `dynamodb:PutItem` or `s3:GetObjectVersion`. */
  action: string;
  /** `table/<name>`, `table/<name>/index/<index>`, `bucket/<name>/object` or `bucket/<name>`. */
  resource: string;
}

/** One recorded call, attributed to its issuer (null outside any route or worker: test setup). */
export interface CallRecord extends CallRequest {
  invoker: string | null;
  /** The SDK command, for messages (`TransactWriteItemsCommand`). */
  command: string;
  /** True when the call only signed a URL or form that a client uses later. */
  presigned: boolean;
}

export type CallSink = (record: CallRecord) => void;

let installedSink: CallSink | null = null;

/** Installs (or with null removes) an in-process sink; clients built afterwards report to it. */
export function installCallSink(sink: CallSink | null): void {
  installedSink = sink;
}

/** The sink calls go to now, or null when nobody asked for the log. */
export function activeCallSink(): CallSink | null {
  if (installedSink) return installedSink;
  const directory = process.env.PAR_SDK_CALL_LOG_DIR;
  return directory ? fileSink(directory) : null;
}

const fileSinks = new Map<string, CallSink>();

/**
 * Appends each distinct record once to `<directory>/calls-<pid>-<thread>.jsonl`: a run makes tens
 * of thousands of calls but only a few hundred distinct ones, and appending synchronously means
 * nothing is lost when a test worker is torn down without an exit hook.
 */
function fileSink(directory: string): CallSink {
  const existing = fileSinks.get(directory);
  if (existing) return existing;
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `calls-${process.pid}-${threadId}.jsonl`);
  const seen = new Set<string>();
  const sink: CallSink = (record) => {
    const line = JSON.stringify(record);
    if (seen.has(line)) return;
    seen.add(line);
    appendFileSync(file, `${line}\n`);
  };
  fileSinks.set(directory, sink);
  return sink;
}

type Input = Record<string, unknown>;

const isRecord = (value: unknown): value is Input =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '?');
const table = (name: unknown, index?: unknown) =>
  index === undefined ? `table/${text(name)}` : `table/${text(name)}/index/${text(index)}`;

const transactActions: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

/**
 * The IAM requests of one DynamoDB command, as AWS authorises them: transactions and batches item
 * by item (there is no TransactWriteItems action), a Query on an index against the index's ARN.
 */
export function dynamoDbRequests(commandName: string, input: Input): CallRequest[] {
  const operation = commandName.replace(/Command$/, '');
  switch (operation) {
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      const items = Array.isArray(input.TransactItems) ? input.TransactItems : [];
      return items.flatMap((item: unknown) =>
        isRecord(item)
          ? Object.entries(item).flatMap(([kind, part]) =>
              isRecord(part)
                ? [{ action: transactActions[kind] ?? `dynamodb:?${kind}`, resource: table(part.TableName) }]
                : [],
            )
          : [],
      );
    }
    case 'BatchWriteItem': {
      const byTable = isRecord(input.RequestItems) ? input.RequestItems : {};
      return Object.entries(byTable).flatMap(([name, requests]) =>
        (Array.isArray(requests) ? requests : []).flatMap((request: unknown) => {
          if (!isRecord(request)) return [];
          if ('PutRequest' in request) return [{ action: 'dynamodb:PutItem', resource: table(name) }];
          return [{ action: 'dynamodb:DeleteItem', resource: table(name) }];
        }),
      );
    }
    case 'BatchGetItem': {
      const byTable = isRecord(input.RequestItems) ? input.RequestItems : {};
      return Object.keys(byTable).map((name) => ({ action: 'dynamodb:BatchGetItem', resource: table(name) }));
    }
    case 'Query':
    case 'Scan':
      return [{ action: `dynamodb:${operation}`, resource: table(input.TableName, input.IndexName) }];
    default:
      return [{ action: `dynamodb:${operation}`, resource: table(input.TableName) }];
  }
}

/** The IAM requests of one S3 command: an exact version needs the `...Version` action. */
export function s3Requests(commandName: string, input: Input): CallRequest[] {
  const operation = commandName.replace(/Command$/, '');
  const object = `bucket/${text(input.Bucket)}/object`;
  const versioned = typeof input.VersionId === 'string' && input.VersionId.length > 0;
  switch (operation) {
    case 'GetObject':
    case 'HeadObject':
      return [{ action: versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: object }];
    case 'DeleteObject':
      return [{ action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: object }];
    // Multipart uploads are authorised as PutObject, part by part.
    case 'PutObject':
    case 'CreateMultipartUpload':
    case 'UploadPart':
    case 'CompleteMultipartUpload':
      return [{ action: 's3:PutObject', resource: object }];
    case 'AbortMultipartUpload':
      return [{ action: 's3:AbortMultipartUpload', resource: object }];
    default:
      // Bucket-level operations (ListObjectsV2, CreateBucket, ...) target the bucket itself.
      return [{ action: `s3:${operation}`, resource: `bucket/${text(input.Bucket)}` }];
  }
}

/** The minimal shape of an SDK client's middleware stack that the log needs. */
interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: { input: object }) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: { input: object }) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}

/**
 * Adds the recording middleware to a client when the log is on; a no-op otherwise. `initialize`
 * runs once per call (not per retry) and also for presigned URLs, which are built on the same
 * stack: a signed download counts as the GetObject it signs.
 */
export function attachCallLog(stack: MiddlewareStackLike, service: 'dynamodb' | 's3'): void {
  const sink = activeCallSink();
  if (!sink) return;
  const requestsOf = service === 'dynamodb' ? dynamoDbRequests : s3Requests;
  stack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'UnknownCommand';
      const input: Input = isRecord(args.input) ? args.input : {};
      const invoker = currentInvoker();
      for (const request of requestsOf(command, input))
        sink({ ...request, invoker, command, presigned: false });
      return next(args);
    },
    { step: 'initialize', name: 'parInspectCallLog' },
  );
}

/**
 * Records a presigned POST form (which the SDK builds without its middleware stack): the form is
 * a PutObject made later by the phone with this function's signature.
 */
export function recordPresignedPost(bucket: string): void {
  const sink = activeCallSink();
  if (!sink) return;
  sink({
    action: 's3:PutObject',
    resource: `bucket/${bucket}/object`,
    invoker: currentInvoker(),
    command: 'createPresignedPost',
    presigned: true,
  });
}
