/**
 * The ranking delivery's dead-letter queue in AWS (`RankingDeadLetters`, SQS): what the
 * ScoresPublished rule's API destination gave up on. Each message's body is the event as
 * EventBridge had it, and its attributes say why it failed (ERROR_CODE, ERROR_MESSAGE,
 * RETRY_ATTEMPTS, EXHAUSTED_RETRY_CONDITION). Replaying puts the event back on the bus with
 * PutEvents, where the rule delivers it again with its whole retry policy; a message is deleted
 * only once the bus has accepted its event, so a replay that fails half-way loses nothing.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type EventEnvelope, eventEnvelopeSchema } from './webhook.ts';

/** One message of the queue, with what could be read of its event. */
export interface QueuedDeadLetter {
  messageId: string;
  receiptHandle: string;
  /** Null when the body is not an EventBridge event (then `problem` says why). */
  event: EventEnvelope | null;
  problem: string | null;
  /** EventBridge's attributes: why the delivery failed. */
  errorCode: string | null;
  errorMessage: string | null;
  retryAttempts: string | null;
  exhaustedRetryCondition: string | null;
  /** When EventBridge put it in the queue. */
  sentAt: string | null;
}

export interface ReplayOutcome {
  letter: QueuedDeadLetter;
  replayed: boolean;
  /** Why it was not replayed (the bus refused it, the body is not an event). */
  reason: string | null;
}

export interface SqsDeadLetterOptions {
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  queueUrl: string;
  /** The project's bus, where replayed events go; needed only to replay. */
  busName: string | null;
  /** How long a received message stays hidden while this run works on it (default 60 s). */
  visibilitySeconds?: number;
  /** At most this many messages in one run (default 1,000). */
  limit?: number;
}

const receiveBatch = 10;

export class SqsDeadLetters {
  private readonly visibilitySeconds: number;
  private readonly limit: number;

  constructor(private readonly options: SqsDeadLetterOptions) {
    this.visibilitySeconds = options.visibilitySeconds ?? 60;
    this.limit = options.limit ?? 1_000;
  }

  /**
   * Every message, then each made visible again at once: listing takes nothing away. SQS hands
   * out at most 10 per call and may skip some on a short poll, so it long-polls (1 s) until a
   * call brings nothing new; messages already received stay hidden meanwhile, so each comes once.
   */
  async list(): Promise<QueuedDeadLetter[]> {
    const letters = await this.receiveAll();
    await this.release(letters);
    return letters;
  }

  /**
   * Replays the messages `selected` accepts (all of them with `--all`), one at a time: PutEvents,
   * then DeleteMessage. The others, and those that failed, are made visible again at once.
   */
  async replay(selected: (letter: QueuedDeadLetter) => boolean): Promise<ReplayOutcome[]> {
    const busName = this.options.busName;
    if (!busName) throw new Error('Replaying needs the event bus name (--bus NAME or EVENT_BUS_NAME)');
    const letters = await this.receiveAll();
    const outcomes: ReplayOutcome[] = [];
    const untouched: QueuedDeadLetter[] = [];
    for (const letter of letters) {
      if (!selected(letter)) {
        untouched.push(letter);
        continue;
      }
      const reason = await this.replayOne(letter, busName);
      if (reason !== null) untouched.push(letter);
      outcomes.push({ letter, replayed: reason === null, reason });
    }
    await this.release(untouched);
    return outcomes;
  }

  /** Null when replayed and deleted; otherwise why not. */
  private async replayOne(letter: QueuedDeadLetter, busName: string): Promise<string | null> {
    if (!letter.event) return letter.problem ?? 'the message is not an event';
    try {
      const result = await this.options.eventBridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: busName,
              Source: letter.event.source,
              DetailType: letter.event['detail-type'],
              Detail: JSON.stringify(letter.event.detail),
              Resources: letter.event.resources,
            },
          ],
        }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        const entry = result.Entries?.[0];
        return `the bus refused it: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim();
      }
    } catch (error) {
      return `PutEvents failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    try {
      await this.options.sqs.send(
        new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: letter.receiptHandle }),
      );
    } catch (error) {
      // The event is back on the bus; the message comes back after its visibility timeout and a
      // second replay would send it twice, which the ranking system absorbs (publicationId).
      return `replayed, but the message could not be deleted: ${error instanceof Error ? error.message : String(error)}`;
    }
    return null;
  }

  private async receiveAll(): Promise<QueuedDeadLetter[]> {
    const seen = new Map<string, QueuedDeadLetter>();
    while (seen.size < this.limit) {
      const answer = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: Math.min(receiveBatch, this.limit - seen.size),
          VisibilityTimeout: this.visibilitySeconds,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['SentTimestamp'],
        }),
      );
      const fresh = (answer.Messages ?? []).filter(
        (message) => message.MessageId && !seen.has(message.MessageId),
      );
      if (fresh.length === 0) break;
      for (const message of fresh) {
        const letter = readMessage(message);
        if (letter) seen.set(letter.messageId, letter);
      }
    }
    return [...seen.values()];
  }

  /** Visible again now, for the next run (best effort: otherwise they return after the timeout). */
  private async release(letters: readonly QueuedDeadLetter[]): Promise<void> {
    await Promise.allSettled(
      letters.map((letter) =>
        this.options.sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: this.options.queueUrl,
            ReceiptHandle: letter.receiptHandle,
            VisibilityTimeout: 0,
          }),
        ),
      ),
    );
  }
}

function readMessage(message: Message): QueuedDeadLetter | null {
  if (!message.MessageId || !message.ReceiptHandle) return null;
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue ?? null;
  let event: EventEnvelope | null = null;
  let problem: string | null = null;
  try {
    const parsed = eventEnvelopeSchema.safeParse(JSON.parse(message.Body ?? ''));
    if (parsed.success) event = parsed.data;
    else problem = 'the body is not an EventBridge event';
  } catch {
    problem = 'the body is not JSON';
  }
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    event,
    problem,
    errorCode: attribute('ERROR_CODE'),
    errorMessage: attribute('ERROR_MESSAGE'),
    retryAttempts: attribute('RETRY_ATTEMPTS'),
    exhaustedRetryCondition: attribute('EXHAUSTED_RETRY_CONDITION'),
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : null,
  };
}

/** The queue over real AWS clients (credentials and region from the usual AWS environment). */
export function sqsDeadLetters(options: {
  queueUrl: string;
  busName: string | null;
  region?: string;
}): SqsDeadLetters {
  const region = options.region ?? regionOfQueue(options.queueUrl) ?? process.env.AWS_REGION;
  const config = region ? { region } : {};
  return new SqsDeadLetters({
    sqs: new SQSClient(config),
    eventBridge: new EventBridgeClient(config),
    queueUrl: options.queueUrl,
    busName: options.busName,
  });
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` names its region. */
function regionOfQueue(queueUrl: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(queueUrl)?.[1];
}
