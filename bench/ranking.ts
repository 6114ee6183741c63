/**
 * Ranking and publication of one large peer group: since the 2025 reform Vietnam has about
 * 3,300 communes and wards, and a national ranking puts them all in one peer group. Measures
 * computeRanking (what GET /v1/scores does), createPublication (rank, hash, store in chunks,
 * emit) and getPublication (read the chunks back), median of a few runs each, and the size of
 * the stored row chunks against DynamoDB's 400 KB item limit.
 *
 *   npm run bench                        (both benchmarks)
 *   npx tsx bench/ranking.ts --units 3300 --runs 7
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from '#adapters/dynamodb/documents.ts';
import { scoreItem } from '#adapters/dynamodb/findings.ts';
import { publicationKey, publicationRowsPrefix } from '#adapters/dynamodb/keys.ts';
import { DynamoTemplateStore } from '#adapters/dynamodb/templates.ts';
import { unitItem } from '#adapters/dynamodb/units.ts';
import { configureDeps, deps } from '#app/deps.ts';
import { createPublication, getPublication, publicationHash } from '#app/publications.ts';
import { computeRanking, type RankingQuery } from '#app/scores.ts';
import type { Caller } from '#app/support.ts';
import type { EventPublisher } from '#ports/events.ts';
import type { UnitRecord, UnitScoreRecord, UnitScoreVisit } from '#ports/records.ts';
import { batchWrite } from '#tests/support/batch-write.ts';
// The same record builders as the integration tests, so the benchmark measures the same shapes.
import {
  bands,
  template as checklistTemplate,
  seededAt,
  unit,
  unitScoreRecord,
} from '#tests/support/peer-group.ts';
import { intFlag, kb, median, ms, printTable, seconds, since } from './support/measure.ts';
import { createStorage, storageEnv, withEmulators } from './support/storage.ts';

const unitCount = intFlag('units', 3_300);
const runs = intFlag('runs', 7);
// As in the integration test: every 11th unit has no approved visit, hence no score.
const unscoredEvery = 11;
const sectionCodes = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const query: RankingQuery = { templateId: 'national', period: '2026', parentId: 'VN', kind: 'commune' };
const admin: Caller = { sub: 'bench-admin', name: null, roles: ['admin'], unitId: 'VN' };
// DynamoDB's item limit: 400 KB, counted in binary kilobytes.
const itemLimitBytes = 400 * 1024;
const noEvents: EventPublisher = { async publish() {} };

const template = { ...checklistTemplate(query.templateId, 1, sectionCodes, bands), publishedBy: admin.sub };

/** Scores with two decimals and many ties; one to three visits behind each, as approvals record. */
function scoreRecord(owner: UnitRecord, n: number): UnitScoreRecord {
  const score = 50 + ((n * 37) % 4_000) / 100;
  const sections = sectionCodes.map((code, i) => ({
    code,
    percent: (n + i) % 5 === 0 ? null : 60 + ((n * 7 + i * 13) % 400) / 10,
  }));
  const visits: UnitScoreVisit[] = Array.from({ length: 1 + (n % 3) }, (_, v) => ({
    visitId: `cccccccc-0000-4000-8000-${String(n * 3 + v).padStart(12, '0')}`,
    startedAt: `2026-${String(1 + ((n + v * 4) % 12)).padStart(2, '0')}-15T08:30:00+07:00`,
    templateVersion: 1,
    score,
    sections,
  }));
  return unitScoreRecord(owner, query.templateId, query.period, score, sections, visits);
}

function* rankingItems(): Generator<Item> {
  const country = unit('VN', 'Việt Nam', 'province', null);
  yield unitItem(country);
  for (let n = 0; n < unitCount; n++) {
    const commune = unit(`X${String(n).padStart(5, '0')}`, `Xã Thử Nghiệm Số ${n + 1}`, 'commune', country, {
      code: String(10_000 + n),
    });
    yield unitItem(commune);
    if (n % unscoredEvery !== 0) yield scoreItem(scoreRecord(commune, n));
  }
}

/**
 * An item's size as DynamoDB counts it against the 400 KB limit (AWS's documented rules:
 * names and strings by UTF-8 length, numbers about one byte per two digits plus one, three
 * bytes per list or map plus one per element). An estimate, but a close one.
 */
function dynamoSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element) => sum + 1 + dynamoSize(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value).reduce(
        (sum, [name, element]) => sum + Buffer.byteLength(name, 'utf8') + 1 + dynamoSize(element),
        0,
      )
    );
  }
  return 0;
}

function topLevelSize(item: Item): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + dynamoSize(value),
    0,
  );
}

/** Runs `action` `runs` times, one after the other, and returns each wall time and the last result. */
async function timed<T>(action: () => Promise<T>): Promise<{ times: number[]; last: T }> {
  const times: number[] = [];
  let last: T | undefined;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    last = await action();
    times.push(since(started));
  }
  if (last === undefined) throw new Error('--runs must be at least 1');
  return { times, last };
}

const timeCells = (times: readonly number[]) => [
  ms(median(times)),
  ms(Math.min(...times)),
  ms(Math.max(...times)),
];

console.log(`# Ranking and publication (${new Date().toISOString()}, Node ${process.version})\n`);
await withEmulators(async (endpoints) => {
  const storage = await createStorage(endpoints, 'bench-ranking', 'bench-ranking');
  Object.assign(process.env, storageEnv(storage));
  configureDeps({ events: noEvents });
  const app = deps();

  const seedStart = performance.now();
  const seeded = await batchWrite(storage.documents, rankingItems(), 12);
  await new DynamoTemplateStore(storage.documents).publishTemplate(template, {
    entryId: `t-${template.templateId}-1`,
    subject: { type: 'template', id: template.templateId },
    action: 'publish',
    actor: admin.sub,
    at: seededAt,
    from: null,
    to: '1',
    reason: null,
  });
  console.error(`seeded ${seeded} items in ${seconds(since(seedStart))}`);

  // Unmeasured runs: JIT warm-up (of Node and of DynamoDB Local's JVM) would otherwise make the
  // first runs the slowest.
  for (let warmUp = 0; warmUp < 2; warmUp++) await computeRanking(app, admin, query);

  const ranking = await timed(() => computeRanking(app, admin, query));
  const rows = ranking.last.rows;
  if (rows.length !== unitCount) throw new Error(`ranked ${rows.length} units, expected ${unitCount}`);
  const scoresBody = Buffer.byteLength(JSON.stringify({ items: rows, nextCursor: null }), 'utf8');

  // Pure CPU: canonical JSON (RFC 8785) of every row, then SHA-256.
  const hashing = await timed(async () => publicationHash(rows));

  const publishing = await timed(() => createPublication(app, admin, query, null));
  const publication = publishing.last.body;
  if (publication.rowCount !== unitCount) throw new Error(`published ${publication.rowCount} rows`);

  const reading = await timed(() => getPublication(app, admin, publication.publicationId));
  if (reading.last.rows.length !== unitCount) throw new Error(`read ${reading.last.rows.length} rows back`);

  const stored = await storage.client.send(
    new QueryCommand({
      TableName: storage.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rows)',
      ExpressionAttributeValues: {
        ':pk': publicationKey(publication.publicationId).pk,
        ':rows': publicationRowsPrefix,
      },
      ConsistentRead: true,
    }),
  );
  const chunks = stored.Items ?? [];

  console.log(
    `${unitCount.toLocaleString('en-US')} units in one peer group (${rows.filter((r) => r.score !== null).length} scored), ${runs} runs each:\n`,
  );
  printTable(
    ['Operation', 'Median', 'Min', 'Max'],
    [
      ['computeRanking (GET /v1/scores)', ...timeCells(ranking.times)],
      ['publicationHash (canonical JSON + SHA-256)', ...timeCells(hashing.times)],
      ['createPublication (POST /v1/publications)', ...timeCells(publishing.times)],
      ['getPublication (GET /v1/publications/{id})', ...timeCells(reading.times)],
    ],
  );
  console.log(
    `\nRows as JSON: ${kb(Buffer.byteLength(JSON.stringify(rows), 'utf8'))}; GET /v1/scores body ${kb(scoresBody)}.\n`,
  );
  printTable(
    ['Chunk', 'Rows', 'JSON', 'DynamoDB size (est.)', 'Of the 400 KB limit'],
    chunks.map((chunk) => {
      const chunkRows = Array.isArray(chunk.rows) ? chunk.rows.length : 0;
      const size = topLevelSize(chunk);
      return [
        String(chunk.sk),
        String(chunkRows),
        kb(Buffer.byteLength(JSON.stringify(chunk), 'utf8')),
        kb(size),
        `${((size / itemLimitBytes) * 100).toFixed(0)}%`,
      ];
    }),
  );
});
