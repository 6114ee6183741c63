/**
 * `npm run dead-letters -- list|replay [--all | ID]`: the ScoresPublished events that could not
 * be delivered to the ranking system, locally (the dead letters of `npm start`'s data folder) or
 * in AWS (`--aws`: the RankingDeadLetters SQS queue). Listing changes nothing; replaying sends
 * each chosen event again and removes its dead letter only once that worked.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type QueuedDeadLetter, sqsDeadLetters } from '#adapters/events/sqs-dead-letters.ts';
import type { EventEnvelope } from '#adapters/events/webhook.ts';
import { WebhookTarget } from '#adapters/events/webhook.ts';
import { dataLayout } from '#local/data-dir.ts';
import {
  type DeadLetter,
  DeliveryFolders,
  deliveryIdPattern,
  describeEvent,
  replayDeadLetters,
  UnreadableDeliveryError,
} from '#local/deliveries.ts';
import { repositoryRoot } from '#local/lambda.ts';

const usage = `Usage: npm run dead-letters -- list|replay [--all | ID] [options]

Locally (the default), the dead letters of npm start's data folder:
  list            each dead letter: its ID, event, when and why its delivery failed
  replay ID       POSTs that event once more to PUBLICATION_WEBHOOK_URL (with
  replay --all    PUBLICATION_WEBHOOK_API_KEY in x-api-key); removed once the webhook answers 2xx
  --data-dir DIR  the data folder (default: LOCAL_DATA_DIR or .local-data, as for npm start)

In AWS (--aws), the RankingDeadLetters SQS queue (AWS credentials from the usual environment):
  --queue-url URL the queue (default: RANKING_DEAD_LETTERS_URL; stack output RankingDeadLettersUrl)
  --bus NAME      the project's event bus, where replay puts the events back for the rule to
                  deliver again (default: EVENT_BUS_NAME; stack output EventBusName)
  list            the messages, left in the queue
  replay ID|--all PutEvents for each, then deletes its message (only once the bus accepted it)

ID is a dead letter's event ID as list shows it (in AWS the SQS message ID works too).`;

class UsageError extends Error {}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      all: { type: 'boolean' },
      aws: { type: 'boolean' },
      'queue-url': { type: 'string' },
      bus: { type: 'string' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [command, id, ...extra] = positionals;
  if (command !== 'list' && command !== 'replay') throw new UsageError('Say list or replay.');
  if (extra.length > 0) throw new UsageError(`Unexpected ${extra.join(' ')}.`);
  if (command === 'list' && (id !== undefined || values.all)) throw new UsageError('list takes no ID.');
  if (command === 'replay' && (id === undefined) === (values.all !== true)) {
    throw new UsageError('replay takes one ID or --all.');
  }
  if (id !== undefined && !deliveryIdPattern.test(id))
    throw new UsageError(`"${id}" is not a dead letter ID.`);

  if (values.aws) {
    const queueUrl = values['queue-url'] ?? env.RANKING_DEAD_LETTERS_URL;
    if (!queueUrl) throw new UsageError('--aws needs --queue-url URL (or RANKING_DEAD_LETTERS_URL).');
    const queue = sqsDeadLetters({
      queueUrl,
      busName: values.bus ?? env.EVENT_BUS_NAME ?? null,
      ...(values.region ? { region: values.region } : {}),
    });
    return command === 'list'
      ? printAwsList(await queue.list(), queueUrl)
      : printAwsReplay(
          await queue.replay(
            (letter) => values.all === true || letter.event?.id === id || letter.messageId === id,
          ),
          id,
        );
  }

  const dataDir = values['data-dir'] ?? env.LOCAL_DATA_DIR ?? '.local-data';
  const folders = DeliveryFolders.of(
    dataLayout(isAbsolute(dataDir) ? dataDir : resolve(repositoryRoot, dataDir)),
  );
  if (command === 'list') return printLocalList(folders);
  const url = env.PUBLICATION_WEBHOOK_URL?.trim();
  if (!url)
    throw new UsageError(
      'replay needs PUBLICATION_WEBHOOK_URL (and PUBLICATION_WEBHOOK_API_KEY), as for npm start.',
    );
  const target = new WebhookTarget({ url, apiKey: env.PUBLICATION_WEBHOOK_API_KEY ?? '' });
  const ids = values.all ? await folders.ids('dead') : [id ?? ''];
  const outcomes = await replayDeadLetters(folders, target, ids);
  for (const outcome of outcomes) {
    const what = outcome.event ? describeEvent(outcome.event) : '';
    console.log(
      outcome.replayed
        ? `${outcome.id}  ${what}: delivered to ${url}, dead letter removed`
        : `${outcome.id}  ${what}: not delivered (${outcome.reason}), dead letter kept`,
    );
  }
  const failed = outcomes.filter((outcome) => !outcome.replayed).length;
  console.log(summary(outcomes.length, failed, 'dead letters'));
  return failed > 0 ? 1 : 0;
}

async function printLocalList(folders: DeliveryFolders): Promise<number> {
  const ids = await folders.ids('dead');
  const rows: Array<{ at: string; line: string }> = [];
  for (const id of ids) {
    let letter: DeadLetter | null;
    try {
      letter = await folders.readDead(id);
    } catch (error) {
      if (!(error instanceof UnreadableDeliveryError)) throw error;
      rows.push({ at: '', line: `${id}  unreadable: ${folders.file('dead', id)} (${error.message})` });
      continue;
    }
    if (!letter) continue;
    const failure = letter.lastFailure;
    const why = letter.exhaustedRetryCondition ?? 'refused';
    rows.push({
      at: letter.event.time,
      line: [
        `${id}  ${describeEvent(letter.event)}`,
        `    accepted ${letter.event.time}, dead since ${letter.deadAt} after ${letter.attempts} attempt(s) (${why})`,
        `    ${failure.errorCode}: ${failure.errorMessage}`,
      ].join('\n'),
    });
  }
  rows.sort((a, b) => a.at.localeCompare(b.at));
  for (const row of rows) console.log(row.line);
  const pending = (await folders.ids('pending')).length;
  console.log(
    `${rows.length === 0 ? 'No dead letters' : `${rows.length} dead letter(s)`} in ${folders.dead}` +
      (pending > 0 ? `; ${pending} delivery(ies) still pending (npm start retries them)` : ''),
  );
  return 0;
}

function printAwsList(letters: QueuedDeadLetter[], queueUrl: string): number {
  for (const letter of letters) console.log(awsLine(letter));
  console.log(`${letters.length === 0 ? 'No messages' : `${letters.length} message(s)`} in ${queueUrl}`);
  return 0;
}

function printAwsReplay(
  outcomes: Array<{ letter: QueuedDeadLetter; replayed: boolean; reason: string | null }>,
  id: string | undefined,
): number {
  if (id !== undefined && outcomes.length === 0) {
    console.error(`No message with the ID ${id} in the queue.`);
    return 1;
  }
  for (const { letter, replayed, reason } of outcomes) {
    const name = letter.event?.id ?? letter.messageId;
    console.log(
      replayed
        ? `${name}  ${what(letter.event)}: back on the bus, message deleted`
        : `${name}  ${what(letter.event)}: not replayed (${reason}), message kept`,
    );
  }
  const failed = outcomes.filter((outcome) => !outcome.replayed).length;
  console.log(summary(outcomes.length, failed, 'messages'));
  return failed > 0 ? 1 : 0;
}

function awsLine(letter: QueuedDeadLetter): string {
  const name = letter.event?.id ?? letter.messageId;
  return [
    `${name}  ${what(letter.event)}${letter.problem ? ` (${letter.problem})` : ''}`,
    `    message ${letter.messageId}, event time ${letter.event?.time ?? '?'}, dead since ${letter.sentAt ?? '?'}` +
      `${letter.retryAttempts ? ` after ${letter.retryAttempts} retries` : ''}` +
      `${letter.exhaustedRetryCondition ? ` (${letter.exhaustedRetryCondition})` : ''}`,
    `    ${letter.errorCode ?? '?'}: ${letter.errorMessage ?? ''}`,
  ].join('\n');
}

function what(event: EventEnvelope | null): string {
  return event ? describeEvent(event) : 'not an event';
}

function summary(total: number, failed: number, noun: string): string {
  if (total === 0) return `No ${noun} to replay.`;
  return `${total - failed} of ${total} ${noun} replayed${failed > 0 ? `, ${failed} kept` : ''}.`;
}

try {
  process.exitCode = await main(process.argv.slice(2), process.env);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    error instanceof UsageError ||
    (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  console.error(`dead-letters: ${message}${hint ? ' Run npm run dead-letters -- --help.' : ''}`);
  process.exitCode = 1;
}
