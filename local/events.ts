/**
 * What EventBridge does in AWS, done in this process: `ExportRequested` and `RecordRequested`
 * run the export and record workers in the background (the rules that target the worker
 * functions), `ScoresPublished` goes to the
 * ranking system's webhook (the rule with an API destination: local/deliveries.ts), and the
 * scheduled workers (the outbox sweeper) run on a timer (the schedule rules). Publishing returns
 * as soon as the bus has accepted the event, as PutEvents does; delivery happens after, and its
 * failures are retried and logged, never thrown at the request that published.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import type { DomainEvent, EventPublisher } from '#ports/events.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';
import { workers } from '#routes/table.ts';
import { describeEvent, type WebhookDeliveries } from './deliveries.ts';
import { type LambdaHandler, lambdaContext, loadHandler } from './lambda.ts';
import type { RunnerLog } from './log.ts';

/** The detail of a worker's event: the ID of the export or record to build. */
const requestedDetail = z.record(z.string(), z.unknown());

/** Background work (export runs, scheduled sweeps) that shutdown waits for. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: RunnerLog) {}

  run(task: () => Promise<void>): void {
    // Started on the next turn so the publishing request answers first, as with EventBridge.
    // A task's failure is logged: it must never bring the server down as an unhandled rejection.
    const promise = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) => this.log.error('a background task failed', error));
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }

  /** Waits for the tasks still running, at most `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
  }
}

export interface LocalEventsOptions {
  tasks: BackgroundTasks;
  log: RunnerLog;
  /**
   * The queue that delivers ScoresPublished to the ranking system's webhook; null (no
   * PUBLICATION_WEBHOOK_URL) logs the event instead.
   */
  deliveries: Pick<WebhookDeliveries, 'accept'> | null;
}

/** The EventBridge envelope a rule hands its Lambda target. */
export function eventBridgeEnvelope<T>(type: string, detail: T): EventBridgeEvent<string, T> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': type,
    source: eventSource,
    account: '123456789012',
    time: new Date().toISOString(),
    region: process.env.AWS_REGION ?? 'ap-southeast-1',
    resources: [],
    detail,
  };
}

/** The workers that run on an event of the bus, each as its rule's Lambda target does. */
const eventWorkers = [
  { type: eventTypes.exportRequested, trigger: 'export-requested', what: 'export', id: 'exportId' },
  { type: eventTypes.recordRequested, trigger: 'record-requested', what: 'record', id: 'recordId' },
] as const;

/** Builds the in-process publisher that configureDeps installs for the handlers. */
export async function localEventPublisher(options: LocalEventsOptions): Promise<EventPublisher> {
  const { tasks, log, deliveries } = options;
  const loaded = new Map<string, LambdaHandler | null>();

  return {
    async publish(event: DomainEvent) {
      const target = eventWorkers.find((candidate) => candidate.type === event.type);
      if (target) {
        const detail = requestedDetail.parse(event.detail);
        const subject = `${target.what} ${String(detail[target.id] ?? '?')}`;
        const worker = workers.find((candidate) => candidate.trigger === target.trigger);
        tasks.run(async () => {
          // Loaded on first use: the worker module is written by another issue and may lag.
          if (!loaded.has(target.trigger)) {
            loaded.set(target.trigger, worker ? await loadHandler(worker.handler) : null);
          }
          const run = loaded.get(target.trigger);
          if (!run) {
            log.warn(`${subject}: no ${target.what} worker (${worker?.handler}) to run it`);
            return;
          }
          try {
            await run(
              eventBridgeEnvelope(event.type, event.detail),
              lambdaContext(worker?.name ?? target.what),
            );
            log.info(`${subject} finished`);
          } catch (error) {
            log.error(`${subject} failed`, error);
          }
        });
        return;
      }
      if (event.type === eventTypes.scoresPublished && deliveries) {
        // Awaited: the event is on disk before the caller clears its outbox marker. A failure
        // here is PutEvents failing, so the marker stays and the sweeper announces it again.
        const envelope = await deliveries.accept(event);
        log.info(`${describeEvent(envelope)} accepted by the bus, delivering to the webhook`);
        return;
      }
      log.info(
        `event ${event.type} (${describe(event)})${
          event.type === eventTypes.scoresPublished ? ': set PUBLICATION_WEBHOOK_URL to deliver it' : ''
        }`,
      );
    },
  };
}

function describe(event: DomainEvent): string {
  return Object.entries(event.detail)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .slice(0, 4)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

/** How often `npm start` runs the scheduled workers: more often than AWS (5 minutes), for demos. */
export const localScheduleMs = 60_000;

/**
 * Runs each `schedule` worker of the route table every `everyMs` as a background task (so
 * shutdown waits for a sweep in progress), never two runs of one worker at once. Returns the
 * function that stops the timer.
 */
export async function startScheduledWorkers(options: {
  tasks: BackgroundTasks;
  log: RunnerLog;
  everyMs?: number;
}): Promise<() => void> {
  const { tasks, log, everyMs = localScheduleMs } = options;
  const scheduled = await Promise.all(
    workers
      .filter((worker) => worker.trigger === 'schedule')
      .map(async (worker) => ({ name: worker.name, handler: await loadHandler(worker.handler) })),
  );
  const running = new Set<string>();
  const timer = setInterval(() => {
    for (const { name, handler } of scheduled) {
      if (!handler || running.has(name)) continue;
      running.add(name);
      tasks.run(async () => {
        try {
          await handler(scheduledEvent(), lambdaContext(name));
        } catch (error) {
          log.error(`${name} (scheduled) failed`, error);
        } finally {
          running.delete(name);
        }
      });
    }
  }, everyMs);
  // The timer alone must not keep the process alive: stopping is the server's decision.
  timer.unref();
  return () => clearInterval(timer);
}

/** What an EventBridge schedule rule hands its Lambda target. */
function scheduledEvent(): EventBridgeEvent<string, Record<string, never>> {
  return { ...eventBridgeEnvelope('Scheduled Event', {}), source: 'aws.events' };
}
