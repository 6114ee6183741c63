/**
 * Loading and invoking the project's Lambda handler modules in this process, with the context
 * object Lambda gives them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';

/** The repository root: handler paths in the route table are relative to it. */
export const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

/**
 * A loaded Lambda handler. What it returns is unknown here: callers that use the result (the
 * HTTP server) parse it, so a handler answering an odd shape is caught, not trusted.
 */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const handlerModule = z.object({
  handler: z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function'),
});

/**
 * Imports `handler` from a module given relative to the repository root. Null when the file does
 * not exist (yet): the caller decides how to answer.
 */
export async function loadHandler(modulePath: string): Promise<LambdaHandler | null> {
  const url = new URL(modulePath, new URL('../', import.meta.url));
  if (!existsSync(fileURLToPath(url))) return null;
  const loaded: unknown = await import(url.href);
  const parsed = handlerModule.safeParse(loaded);
  if (!parsed.success) throw new Error(`${modulePath} does not export a handler function`);
  const handler = parsed.data.handler;
  // Callers build the event the handler's trigger gives it in AWS (API Gateway, S3, EventBridge).
  return async (event, context): Promise<unknown> => Reflect.apply(handler, undefined, [event, context]);
}

/** Enough of a Lambda context for the handlers and the Powertools logger. */
export function lambdaContext(functionName: string): Context {
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${awsRequestId}`,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
