/**
 * The AWS dead-letter path of `npm run dead-letters -- --aws`, with the SDK stubbed at its
 * middleware stack (the real clients build every command; a stub answers it before anything is
 * signed or sent): there is no SQS or EventBridge emulator here, and the error paths (a bus that
 * refuses, a delete that fails) are the point.
 */
import { EventBridgeClient, type ServiceOutputTypes as EventBridgeOutput } from '@aws-sdk/client-eventbridge';
import { type Message, SQSClient, type ServiceOutputTypes as SqsOutput } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsDeadLetters } from '#adapters/events/sqs-dead-letters.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';

interface Call {
  command: string;
  input: unknown;
}

const clientConfig = {
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
};

/** Clients whose every call is recorded and answered by `answer` (which may throw, as AWS does). */
function stubbedClients(
  answerSqs: (command: string, input: unknown) => SqsOutput,
  answerEvents: (command: string, input: unknown) => EventBridgeOutput,
) {
  const calls: Call[] = [];
  const sqs = new SQSClient(clientConfig);
  sqs.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName ?? '?';
      calls.push({ command, input: args.input });
      return { output: answerSqs(command, args.input), response: {} };
    },
    { step: 'initialize', name: 'stub' },
  );
  const eventBridge = new EventBridgeClient(clientConfig);
  eventBridge.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName ?? '?';
      calls.push({ command, input: args.input });
      return { output: answerEvents(command, args.input), response: {} };
    },
    { step: 'initialize', name: 'stub' },
  );
  return { sqs, eventBridge, calls };
}

const metadata = { $metadata: {} };
const queueUrl = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/ParInspectApi-RankingDeadLetters';

function deadLetterMessage(n: number, body?: string): Message {
  return {
    MessageId: `message-${n}`,
    ReceiptHandle: `receipt-${n}`,
    Body:
      body ??
      JSON.stringify({
        version: '0',
        id: `event-${n}`,
        'detail-type': eventTypes.scoresPublished,
        source: eventSource,
        account: '123456789012',
        time: '2025-06-01T02:00:00Z',
        region: 'ap-southeast-1',
        resources: [],
        detail: { publicationId: `pub-${n}`, rowCount: 6 },
      }),
    Attributes: { SentTimestamp: String(Date.parse('2025-06-02T02:00:00Z')) },
    MessageAttributes: {
      ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
      ERROR_MESSAGE: { DataType: 'String', StringValue: 'Unable to invoke ApiDestination endpoint: 503' },
      RETRY_ATTEMPTS: { DataType: 'String', StringValue: '185' },
      EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumRetryAttempts' },
    },
  };
}

/** An SQS that hands out `messages` on the first receive and nothing after. */
function queueOf(
  messages: Message[],
  overrides: Partial<Record<string, (input: unknown) => SqsOutput>> = {},
) {
  let received = false;
  return (command: string, input: unknown): SqsOutput => {
    const override = overrides[command];
    if (override) return override(input);
    if (command === 'ReceiveMessageCommand') {
      const batch = received ? [] : messages;
      received = true;
      return { ...metadata, Messages: batch };
    }
    return metadata;
  };
}

const acceptingBus = (): EventBridgeOutput => ({
  ...metadata,
  FailedEntryCount: 0,
  Entries: [{ EventId: 'new' }],
});

describe('the ranking dead-letter queue in AWS', () => {
  it('lists every message with why it failed, and leaves them all in the queue, visible at once', async () => {
    const { sqs, eventBridge, calls } = stubbedClients(
      queueOf([deadLetterMessage(1), deadLetterMessage(2)]),
      acceptingBus,
    );
    const letters = await new SqsDeadLetters({ sqs, eventBridge, queueUrl, busName: null }).list();

    expect(letters).toEqual([
      expect.objectContaining({
        messageId: 'message-1',
        event: expect.objectContaining({ id: 'event-1', detail: { publicationId: 'pub-1', rowCount: 6 } }),
        errorCode: 'SDK_CLIENT_ERROR',
        errorMessage: 'Unable to invoke ApiDestination endpoint: 503',
        retryAttempts: '185',
        exhaustedRetryCondition: 'MaximumRetryAttempts',
        sentAt: '2025-06-02T02:00:00.000Z',
      }),
      expect.objectContaining({ messageId: 'message-2' }),
    ]);
    const commands = calls.map((call) => call.command);
    expect(commands.filter((c) => c === 'ReceiveMessageCommand')).toHaveLength(2);
    expect(commands).not.toContain('DeleteMessageCommand');
    expect(commands).not.toContain('PutEventsCommand');
    expect(
      calls.filter((call) => call.command === 'ChangeMessageVisibilityCommand').map((call) => call.input),
    ).toEqual([
      { QueueUrl: queueUrl, ReceiptHandle: 'receipt-1', VisibilityTimeout: 0 },
      { QueueUrl: queueUrl, ReceiptHandle: 'receipt-2', VisibilityTimeout: 0 },
    ]);
    expect(calls[0]?.input).toMatchObject({
      QueueUrl: queueUrl,
      MessageAttributeNames: ['All'],
      WaitTimeSeconds: 1,
    });
  });

  it('replays each event onto the bus and deletes its message only after the bus accepted it', async () => {
    const { sqs, eventBridge, calls } = stubbedClients(
      queueOf([deadLetterMessage(1), deadLetterMessage(2, 'not json')]),
      acceptingBus,
    );
    const outcomes = await new SqsDeadLetters({
      sqs,
      eventBridge,
      queueUrl,
      busName: 'par-inspect-bus',
    }).replay(() => true);

    expect(outcomes.map(({ letter, replayed, reason }) => [letter.messageId, replayed, reason])).toEqual([
      ['message-1', true, null],
      ['message-2', false, 'the body is not JSON'],
    ]);
    const sequence = calls.map((call) => call.command).filter((c) => c !== 'ReceiveMessageCommand');
    expect(sequence).toEqual(['PutEventsCommand', 'DeleteMessageCommand', 'ChangeMessageVisibilityCommand']);
    expect(calls.find((call) => call.command === 'PutEventsCommand')?.input).toEqual({
      Entries: [
        {
          EventBusName: 'par-inspect-bus',
          Source: eventSource,
          DetailType: eventTypes.scoresPublished,
          Detail: JSON.stringify({ publicationId: 'pub-1', rowCount: 6 }),
          Resources: [],
        },
      ],
    });
    expect(calls.find((call) => call.command === 'DeleteMessageCommand')?.input).toEqual({
      QueueUrl: queueUrl,
      ReceiptHandle: 'receipt-1',
    });
    // The unreadable one is left for a person, visible again at once.
    expect(calls.find((call) => call.command === 'ChangeMessageVisibilityCommand')?.input).toMatchObject({
      ReceiptHandle: 'receipt-2',
    });
  });

  it('keeps the message when the bus refuses the event or cannot be reached', async () => {
    let calls = 0;
    const {
      sqs,
      eventBridge,
      calls: recorded,
    } = stubbedClients(queueOf([deadLetterMessage(1), deadLetterMessage(2)]), (): EventBridgeOutput => {
      calls += 1;
      if (calls === 1) {
        return {
          ...metadata,
          FailedEntryCount: 1,
          Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
        };
      }
      throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
    });
    const outcomes = await new SqsDeadLetters({ sqs, eventBridge, queueUrl, busName: 'bus' }).replay(
      () => true,
    );

    expect(outcomes.map(({ replayed, reason }) => [replayed, reason])).toEqual([
      [false, 'the bus refused it: ThrottlingException Rate exceeded'],
      [false, 'PutEvents failed: connect ETIMEDOUT'],
    ]);
    expect(recorded.map((call) => call.command)).not.toContain('DeleteMessageCommand');
    expect(recorded.filter((call) => call.command === 'ChangeMessageVisibilityCommand')).toHaveLength(2);
  });

  it('says so when the event went back on the bus but its message could not be deleted', async () => {
    const { sqs, eventBridge } = stubbedClients(
      queueOf([deadLetterMessage(1)], {
        DeleteMessageCommand: () => {
          throw new Error('Access to the resource is denied');
        },
      }),
      acceptingBus,
    );
    const [outcome] = await new SqsDeadLetters({ sqs, eventBridge, queueUrl, busName: 'bus' }).replay(
      () => true,
    );
    expect(outcome).toMatchObject({
      replayed: false,
      reason: 'replayed, but the message could not be deleted: Access to the resource is denied',
    });
  });

  it('replays only the chosen message, leaves the others untouched, and needs the bus name', async () => {
    const { sqs, eventBridge, calls } = stubbedClients(
      queueOf([deadLetterMessage(1), deadLetterMessage(2), deadLetterMessage(2)]),
      acceptingBus,
    );
    const queue = new SqsDeadLetters({ sqs, eventBridge, queueUrl, busName: 'bus' });
    const outcomes = await queue.replay((letter) => letter.event?.id === 'event-2');

    // SQS may hand the same message out twice in one pass: it is replayed once.
    expect(outcomes.map(({ letter, replayed }) => [letter.messageId, replayed])).toEqual([
      ['message-2', true],
    ]);
    expect(calls.filter((call) => call.command === 'PutEventsCommand')).toHaveLength(1);
    expect(calls.find((call) => call.command === 'ChangeMessageVisibilityCommand')?.input).toMatchObject({
      ReceiptHandle: 'receipt-1',
    });

    await expect(
      new SqsDeadLetters({ sqs, eventBridge, queueUrl, busName: null }).replay(() => true),
    ).rejects.toThrow(/event bus name/);
  });
});
