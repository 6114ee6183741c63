/**
 * Injected faults for the proof suites (tests/proof/faults): an SDK middleware that can fail a
 * DynamoDB or S3 call before it reaches the store, or after the store has done it (the answer
 * lost on the way back, as in a timeout), so every step of a multi-step operation can be made
 * to fail in turn and the end state checked after a retry or the repair.
 *
 * Off unless asked: clients.ts adds the middleware only when an injector is installed before the
 * clients are built (as the call log and the round-trip meter), so in AWS a client carries none.
 */
import { currentInvoker } from '#config/invocation.ts';

/** One call as the injector sees it. */
export interface InjectedCall {
  service: 'dynamodb' | 's3';
  /** The SDK command, `TransactWriteItemsCommand`. */
  command: string;
  /** The route or worker that made it, or null outside any (test setup). */
  invoker: string | null;
}

/**
 * What to do with a call: let it through, fail it before it is sent (`before`), or send it and
 * fail on the way back (`after`: it took effect, the caller does not know).
 */
export type FaultDecision = 'pass' | 'before' | 'after';

export type FaultInjector = (call: InjectedCall) => { decision: FaultDecision; error?: Error };

let installed: FaultInjector | null = null;

/** Installs (or with null removes) the injector; clients built afterwards consult it. */
export function installFaultInjector(injector: FaultInjector | null): void {
  installed = injector;
}

/** The minimal shape of an SDK client's middleware stack the injector needs. */
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
 * An error as the SDK raises it when the service does not answer in time: the HTTP layer maps it
 * to 503 with Retry-After, as it does for a throttled or unreachable store.
 */
export function timeoutError(): Error {
  const error = new Error('Injected fault: the store did not answer in time');
  error.name = 'TimeoutError';
  return error;
}

/** Adds the injecting middleware to a client when an injector is installed; a no-op otherwise. */
export function attachFaultInjector(stack: MiddlewareStackLike, service: 'dynamodb' | 's3'): void {
  if (!installed) return;
  stack.add(
    (next, context) => async (args) => {
      const injector = installed;
      if (!injector) return next(args);
      const { decision, error } = injector({
        service,
        command: context.commandName ?? 'UnknownCommand',
        invoker: currentInvoker(),
      });
      if (decision === 'before') throw error ?? timeoutError();
      const result = await next(args);
      if (decision === 'after') throw error ?? timeoutError();
      return result;
    },
    // `initialize` runs once per call, outside the SDK's own retries: an injected fault is final.
    { step: 'initialize', name: 'parInspectFaultInjector' },
  );
}
