/**
 * What the EventBridge rule with an API destination does in AWS, done by `npm start`: events the
 * local bus accepts (ScoresPublished) are delivered to the webhook, retried with exponential
 * backoff and jitter until delivered or too old, then kept as dead letters.
 *
 * The bus accepting an event is what clears the publication's outbox marker, as PutEvents does
 * in AWS, so accepting must be durable: each event is written to `<data-dir>/deliveries/pending`
 * (one JSON file per event, written to a temporary name, flushed, then renamed) before `accept`
 * returns. A pending file is the delivery's whole state (attempts so far, when the next one is
 * due, the last failure), so a restart resumes the backoff where it was, and the folder is
 * swept every minute for files no timer is waiting on. An event given up on moves to
 * `<data-dir>/deliveries/dead`, where `npm run dead-letters` lists and replays it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import {
  type AttemptOutcome,
  type EventEnvelope,
  eventEnvelope,
  eventEnvelopeSchema,
  WebhookTarget,
} from '#adapters/events/webhook.ts';
import type { DomainEvent } from '#ports/events.ts';
import type { DataLayout } from './data-dir.ts';
import { EmulatorSetupError } from './emulators.ts';
import type { RunnerLog } from './log.ts';

/** How long and how often a delivery is tried: the API destination target's retry policy. */
export interface DeliveryPolicy {
  /** Retries after the first attempt (AWS: MaximumRetryAttempts). */
  maxRetries: number;
  /** How long after the bus accepted an event it is still tried (AWS: MaximumEventAgeInSeconds). */
  maxAgeMs: number;
  /** The delay before the first retry; it doubles with each retry, up to `maxDelayMs`. */
  firstRetryMs: number;
  maxDelayMs: number;
  /** How long one answer may take (AWS: 5 s, fixed). */
  timeoutMs: number;
  /** How often the pending folder is swept for deliveries no timer waits on. */
  sweepEveryMs: number;
}

/**
 * AWS's defaults for the attempts and the age (the stack sets them explicitly too). The backoff
 * is AWS's shape (exponential, jittered) with local numbers: the first retry after 1 s, so a
 * receiver started a moment late gets the event at once, and no wait longer than 5 minutes, so
 * one that comes up after an hour gets it within minutes.
 */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxRetries: 185,
  maxAgeMs: 24 * 60 * 60_000,
  firstRetryMs: 1_000,
  maxDelayMs: 5 * 60_000,
  timeoutMs: 5_000,
  sweepEveryMs: 60_000,
};

/** The environment variables that override the policy (tests shrink it; see README). */
export const deliveryPolicyVariables = {
  maxRetries: 'LOCAL_DELIVERY_MAX_RETRIES',
  maxAgeSeconds: 'LOCAL_DELIVERY_MAX_AGE_SECONDS',
  firstRetryMs: 'LOCAL_DELIVERY_FIRST_RETRY_MS',
  maxDelayMs: 'LOCAL_DELIVERY_MAX_DELAY_MS',
  timeoutMs: 'LOCAL_DELIVERY_TIMEOUT_MS',
} as const;

const count = z.coerce.number().check(z.int(), z.gte(0), z.lte(1_000_000));
const positive = z.coerce.number().check(z.positive(), z.lte(365 * 24 * 3600 * 1000));

/** The policy from the environment; a bad value fails the start with one line. */
export function deliveryPolicyFromEnv(env: NodeJS.ProcessEnv): DeliveryPolicy {
  const read = <T>(name: string, schema: z.ZodMiniType<T>, fallback: T): T => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new EmulatorSetupError(`${name} must be a positive number, not "${raw}".`);
    return parsed.data;
  };
  const names = deliveryPolicyVariables;
  const policy: DeliveryPolicy = {
    ...defaultDeliveryPolicy,
    maxRetries: read(names.maxRetries, count, defaultDeliveryPolicy.maxRetries),
    maxAgeMs: read(names.maxAgeSeconds, positive, defaultDeliveryPolicy.maxAgeMs / 1000) * 1000,
    firstRetryMs: read(names.firstRetryMs, positive, defaultDeliveryPolicy.firstRetryMs),
    maxDelayMs: read(names.maxDelayMs, positive, defaultDeliveryPolicy.maxDelayMs),
    timeoutMs: read(names.timeoutMs, positive, defaultDeliveryPolicy.timeoutMs),
  };
  return { ...policy, maxDelayMs: Math.max(policy.maxDelayMs, policy.firstRetryMs) };
}

/**
 * The wait before retry number `retry` (1 for the first): exponential, capped, and jittered
 * between half and all of it, so that many events failing together do not retry in step.
 */
export function backoffDelay(retry: number, policy: DeliveryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.firstRetryMs * 2 ** Math.max(0, retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

const failureSchema = z.object({
  /** As EventBridge's dead-letter attribute ERROR_CODE. */
  errorCode: z.enum(['ERROR_FROM_TARGET', 'TIMEOUT', 'CONNECTION_FAILURE']),
  errorMessage: z.string(),
  status: z.optional(z.number().check(z.int())),
  at: z.iso.datetime(),
});
export type DeliveryFailure = z.infer<typeof failureSchema>;

const pendingSchema = z.object({
  event: eventEnvelopeSchema,
  attempts: z.number().check(z.int(), z.gte(0)),
  nextAttemptAt: z.iso.datetime(),
  lastFailure: z.nullable(failureSchema),
});
export type PendingDelivery = z.infer<typeof pendingSchema>;

const deadLetterSchema = z.object({
  event: eventEnvelopeSchema,
  attempts: z.number().check(z.int(), z.gte(1)),
  deadAt: z.iso.datetime(),
  lastFailure: failureSchema,
  /** Null when the receiver refused the event (no retry was worth it), as AWS does for a 400. */
  exhaustedRetryCondition: z.nullable(z.enum(['MaximumRetryAttempts', 'MaximumEventAge'])),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** An event ID usable as a file name (as the envelope schema requires). */
export const deliveryIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;
const fileName = /^([A-Za-z0-9][A-Za-z0-9-]{0,127})\.json$/;

/** A delivery file that is there but cannot be read as one (hand-edited, truncated). */
export class UnreadableDeliveryError extends Error {}

/** The two folders of the queue and every change to their files. */
export class DeliveryFolders {
  constructor(
    readonly pending: string,
    readonly dead: string,
  ) {}

  static of(layout: DataLayout): DeliveryFolders {
    return new DeliveryFolders(layout.deliveries.pending, layout.deliveries.dead);
  }

  async ensure(): Promise<void> {
    await mkdir(this.pending, { recursive: true });
    await mkdir(this.dead, { recursive: true });
  }

  /** The event IDs in one folder, in no particular order. */
  async ids(folder: 'pending' | 'dead'): Promise<string[]> {
    const names = await readdir(this[folder]).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw error;
    });
    return names.flatMap((name) => fileName.exec(name)?.[1] ?? []);
  }

  readPending(id: string): Promise<PendingDelivery | null> {
    return readRecord(this.file('pending', id), pendingSchema);
  }

  readDead(id: string): Promise<DeadLetter | null> {
    return readRecord(this.file('dead', id), deadLetterSchema);
  }

  async savePending(record: PendingDelivery): Promise<void> {
    await writeAtomically(this.pending, record.event.id, record);
  }

  /** Dead first, then no longer pending: a crash in between leaves both, and `tidy` keeps the dead one. */
  async bury(letter: DeadLetter): Promise<void> {
    await writeAtomically(this.dead, letter.event.id, letter);
    await rm(this.file('pending', letter.event.id), { force: true });
  }

  /** Moves a pending file that cannot be read to the dead letters as it is, for a person to look at. */
  async quarantine(id: string): Promise<void> {
    await rename(this.file('pending', id), this.file('dead', id));
  }

  async remove(folder: 'pending' | 'dead', id: string): Promise<void> {
    await rm(this.file(folder, id), { force: true });
  }

  /** After a crash: temporary files are dropped, and a delivery both pending and dead stays dead. */
  async tidy(): Promise<void> {
    for (const folder of [this.pending, this.dead]) {
      for (const name of await readdir(folder)) {
        if (name.endsWith('.tmp')) await rm(join(folder, name), { force: true });
      }
    }
    const dead = new Set(await this.ids('dead'));
    for (const id of await this.ids('pending')) if (dead.has(id)) await this.remove('pending', id);
  }

  file(folder: 'pending' | 'dead', id: string): string {
    if (!deliveryIdPattern.test(id)) throw new Error(`"${id}" is not a delivery ID`);
    return join(this[folder], `${id}.json`);
  }
}

async function readRecord<T>(path: string, schema: z.ZodMiniType<T>): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnreadableDeliveryError(`${path} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UnreadableDeliveryError(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Temporary file, flushed to disk, renamed over the final name (atomic within a folder), then
 * the folder flushed so the rename itself survives a power cut: a reader sees the old file or
 * the new one, never half of one.
 */
async function writeAtomically(folder: string, id: string, value: unknown): Promise<void> {
  const temporary = join(folder, `.${id}.${randomUUID()}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, join(folder, `${id}.json`));
  // Some platforms cannot open or flush a directory; the file itself is flushed either way.
  const directory = await open(folder, 'r').catch(() => null);
  if (directory) {
    await directory.sync().catch(() => undefined);
    await directory.close();
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** `publicationId=…` (or the event ID), for log lines and listings. */
export function describeEvent(envelope: EventEnvelope): string {
  const publicationId = envelope.detail.publicationId;
  return typeof publicationId === 'string'
    ? `${envelope['detail-type']} publicationId=${publicationId}`
    : `${envelope['detail-type']} ${envelope.id}`;
}

export interface WebhookDeliveriesOptions {
  folders: DeliveryFolders;
  target: WebhookTarget;
  policy: DeliveryPolicy;
  log: RunnerLog;
  /** For tests: the jitter's source. */
  random?: () => number;
}

/** The queue: accepts events durably and delivers them, one attempt at a time per event. */
export class WebhookDeliveries {
  private readonly folders: DeliveryFolders;
  private readonly target: WebhookTarget;
  private readonly policy: DeliveryPolicy;
  private readonly log: RunnerLog;
  private readonly random: () => number;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: WebhookDeliveriesOptions) {
    this.folders = options.folders;
    this.target = options.target;
    this.policy = options.policy;
    this.log = options.log;
    this.random = options.random ?? Math.random;
  }

  /**
   * Resumes what a previous run left pending (each at the time its backoff had reached, or now)
   * and starts the sweep. Returns how many deliveries are pending and dead.
   */
  async start(): Promise<{ pending: number; dead: number }> {
    await this.folders.ensure();
    await this.folders.tidy();
    await this.sweep();
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.log.error('sweeping the pending deliveries failed', error));
    }, this.policy.sweepEveryMs);
    // The timers alone must not keep the process alive: stopping is the server's decision.
    this.sweepTimer.unref();
    return {
      pending: (await this.folders.ids('pending')).length,
      dead: (await this.folders.ids('dead')).length,
    };
  }

  /**
   * The bus accepting an event (PutEvents): resolves once the event is on disk, so a crash
   * after it loses nothing; throws if it cannot be written, so the publication's outbox marker
   * stays and the sweeper announces it again.
   */
  async accept(event: DomainEvent): Promise<EventEnvelope> {
    const envelope = eventEnvelope(event, new Date());
    await this.folders.savePending({
      event: envelope,
      attempts: 0,
      nextAttemptAt: envelope.time,
      lastFailure: null,
    });
    this.schedule(envelope.id, 0);
    return envelope;
  }

  /** Schedules every pending delivery that no timer waits on and no attempt is working on. */
  async sweep(): Promise<void> {
    for (const id of await this.folders.ids('pending')) {
      if (this.stopped) return;
      if (this.timers.has(id) || this.inFlight.has(id)) continue;
      const record = await this.load(id);
      // Checked again: an attempt may have started or rescheduled it while the file was read.
      if (!record || this.stopped || this.timers.has(id) || this.inFlight.has(id)) continue;
      this.schedule(id, Date.parse(record.nextAttemptAt) - Date.now());
    }
  }

  /** Stops the timers and waits for the attempts under way (each bounded by the answer timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private schedule(id: string, delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(id));
    // setTimeout takes at most 2^31 - 1 ms; the sweep picks up anything due later than that.
    const timer = setTimeout(() => this.attempt(id), Math.min(Math.max(0, delayMs), 2 ** 31 - 1));
    timer.unref();
    this.timers.set(id, timer);
  }

  private attempt(id: string): void {
    this.timers.delete(id);
    if (this.stopped || this.inFlight.has(id)) return;
    const running = this.deliver(id)
      .catch((error: unknown) => {
        // The folder failed under us (disk full, removed): the sweep tries again later.
        this.log.error(`delivery ${id} failed in the local bus`, error);
      })
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, running);
  }

  private async deliver(id: string): Promise<void> {
    const record = await this.load(id);
    if (!record) return;
    const outcome = await this.target.send(record.event);
    const attempts = record.attempts + 1;
    const what = describeEvent(record.event);
    if (outcome.kind === 'delivered') {
      await this.folders.remove('pending', id);
      this.log.info(`${what} delivered to the webhook${attempts > 1 ? ` after ${attempts} attempts` : ''}`);
      return;
    }
    const failure = failureOf(outcome);
    const now = Date.now();
    const deadline = Date.parse(record.event.time) + this.policy.maxAgeMs;
    const exhausted = givenUp(outcome, attempts > this.policy.maxRetries, now >= deadline);
    if (exhausted !== undefined) {
      await this.folders.bury({
        event: record.event,
        attempts,
        deadAt: new Date(now).toISOString(),
        lastFailure: failure,
        exhaustedRetryCondition: exhausted,
      });
      const why = exhausted === null ? 'refused' : `out of retries (${exhausted})`;
      this.log.error(
        `${what} moved to the dead letters after ${attempts} attempt(s), ${why}: ${failure.errorMessage}. ` +
          'npm run dead-letters -- list shows it, and replay sends it again.',
      );
      return;
    }
    // The receiver's Retry-After is a floor; the event's age a ceiling: the last try falls on it.
    const floor = outcome.kind === 'retry' ? (outcome.retryAfterMs ?? 0) : 0;
    const delay = Math.max(backoffDelay(attempts, this.policy, this.random), floor);
    const nextAt = Math.min(now + delay, deadline);
    await this.folders.savePending({
      ...record,
      attempts,
      nextAttemptAt: new Date(nextAt).toISOString(),
      lastFailure: failure,
    });
    this.log.warn(
      `${what} not delivered (${failure.errorMessage}), attempt ${attempts}; next in ${seconds(nextAt - now)}`,
    );
    this.schedule(id, nextAt - now);
  }

  /** The pending record, or null when it is gone or was unreadable (then moved to the dead letters). */
  private async load(id: string): Promise<PendingDelivery | null> {
    try {
      return await this.folders.readPending(id);
    } catch (error) {
      if (!(error instanceof UnreadableDeliveryError)) throw error;
      await this.folders.quarantine(id);
      this.log.error(`an unreadable pending delivery was moved to the dead letters`, error);
      return null;
    }
  }
}

/**
 * Why the delivery ends here: null for a refusal (not worth retrying), the retry policy's limit
 * that was reached, or undefined when it is tried again.
 */
function givenUp(
  outcome: Exclude<AttemptOutcome, { kind: 'delivered' }>,
  outOfRetries: boolean,
  tooOld: boolean,
): DeadLetter['exhaustedRetryCondition'] | undefined {
  if (outcome.kind === 'rejected') return null;
  if (outOfRetries) return 'MaximumRetryAttempts';
  if (tooOld) return 'MaximumEventAge';
  return undefined;
}

function failureOf(outcome: Exclude<AttemptOutcome, { kind: 'delivered' }>): DeliveryFailure {
  return {
    errorCode: outcome.errorCode,
    errorMessage: outcome.message,
    ...(outcome.status === undefined ? {} : { status: outcome.status }),
    at: new Date().toISOString(),
  };
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** What `npm start` runs: the queue (null without a webhook URL) and what waits in its folders. */
export interface LocalDeliveries {
  queue: WebhookDeliveries | null;
  pending: number;
  dead: number;
  stop(): Promise<void>;
}

/**
 * Starts the delivery queue over the data folder, with the policy from the environment. Without
 * a webhook URL there is no queue (events are logged), and what an earlier run left pending
 * waits for a start with one.
 */
export async function startLocalDeliveries(options: {
  layout: DataLayout;
  webhookUrl: string | undefined;
  webhookApiKey: string | undefined;
  env: NodeJS.ProcessEnv;
  log: RunnerLog;
}): Promise<LocalDeliveries> {
  const { layout, webhookUrl, log } = options;
  const policy = deliveryPolicyFromEnv(options.env);
  const folders = DeliveryFolders.of(layout);
  if (!webhookUrl) {
    await folders.ensure();
    const pending = (await folders.ids('pending')).length;
    const dead = (await folders.ids('dead')).length;
    if (pending > 0) {
      log.warn(
        `${pending} ScoresPublished delivery(ies) wait in ${folders.pending}: start with PUBLICATION_WEBHOOK_URL to deliver them`,
      );
    }
    return { queue: null, pending, dead, stop: async () => undefined };
  }
  const target = new WebhookTarget({
    url: webhookUrl,
    apiKey: options.webhookApiKey ?? '',
    timeoutMs: policy.timeoutMs,
  });
  const queue = new WebhookDeliveries({ folders, target, policy, log });
  const { pending, dead } = await queue.start();
  if (pending > 0) log.info(`resuming ${pending} pending ScoresPublished delivery(ies) to the webhook`);
  return { queue, pending, dead, stop: () => queue.stop() };
}

/** What became of one dead letter a replay took. */
export interface LocalReplayOutcome {
  id: string;
  event: EventEnvelope | null;
  replayed: boolean;
  /** Why not (the webhook's answer, an unreadable file). */
  reason: string | null;
}

/**
 * `npm run dead-letters -- replay`: POSTs each chosen dead letter's event to the webhook once,
 * with the same envelope (so the same event ID), and removes the dead letter only when the
 * webhook answered 2xx; one that fails again stays, with nothing changed.
 */
export async function replayDeadLetters(
  folders: DeliveryFolders,
  target: WebhookTarget,
  ids: readonly string[],
): Promise<LocalReplayOutcome[]> {
  const outcomes: LocalReplayOutcome[] = [];
  for (const id of ids) {
    let letter: DeadLetter | null;
    try {
      letter = await folders.readDead(id);
    } catch (error) {
      outcomes.push({
        id,
        event: null,
        replayed: false,
        reason: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    if (!letter) {
      outcomes.push({ id, event: null, replayed: false, reason: 'no such dead letter' });
      continue;
    }
    const outcome = await target.send(letter.event);
    if (outcome.kind === 'delivered') await folders.remove('dead', id);
    outcomes.push({
      id,
      event: letter.event,
      replayed: outcome.kind === 'delivered',
      reason: outcome.kind === 'delivered' ? null : outcome.message,
    });
  }
  return outcomes;
}
