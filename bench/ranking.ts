/**
 * National scale (issue 12, target 5): since the 2025 reform Vietnam has about 3,300 communes and
 * wards, and a national ranking puts them all in one peer group, each with 4 approved visits.
 * Each operation is measured beside its floor, in interleaved pairs (ours, floor; floor, ours):
 * - GET /v1/scores through its real handler against a bare Query of the same two key ranges
 *   (units, scores) plus the pure domain functions that rank them (unitScore, rankPeerGroup) and
 *   the JSON of the answer: target at most 1.3x;
 * - POST /v1/publications (createPublication) against the bare transaction that writes the same
 *   header and row chunks: target at most 1.5x;
 * - GET /v1/publications/{id} against a bare Query of the publication's partition.
 * Also the size of the stored chunks against DynamoDB's 400 KB item limit. Writes the
 * `national-scale` section of docs/benchmarks.md.
 *
 *   npm run bench
 *   npx tsx bench/ranking.ts --units 3300 --visits 4 --runs 9
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { allDeps } from '#adapters/all-parts.ts';
import type { Item } from '#adapters/dynamodb/documents.ts';
import { scoreItem } from '#adapters/dynamodb/findings.ts';
import {
  childrenPartition,
  peerScorePartition,
  publicationKey,
  publicationRowsPrefix,
} from '#adapters/dynamodb/keys.ts';
import { DynamoTemplateStore } from '#adapters/dynamodb/templates.ts';
import { unitItem } from '#adapters/dynamodb/units.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { createPublication, publicationHash } from '#app/publications.ts';
import { computeRanking, type RankingQuery } from '#app/scores.ts';
import type { Caller } from '#app/support.ts';
import { type RankedScore, type RankedUnit, rankPeerGroup } from '#domain/ranking.ts';
import { unitScore } from '#domain/scoring.ts';
import type { EventPublisher } from '#ports/events.ts';
import type { UnitRecord, UnitScoreRecord, UnitScoreVisit } from '#ports/records.ts';
import { batchWrite } from '#tests/support/batch-write.ts';
import { invoke } from '#tests/support/invoke.ts';
// The same record builders as the integration tests, so the benchmark measures the same shapes.
import {
  bands,
  template as checklistTemplate,
  seededAt,
  unit,
  unitScoreRecord,
} from '#tests/support/peer-group.ts';
import { intFlag, kb, median, ms, seconds, since } from './support/measure.ts';
import { machineLine, table, writeSection } from './support/report.ts';
import { createStorage, storageEnv, withEmulators } from './support/storage.ts';

const unitCount = intFlag('units', 3_300);
const runs = intFlag('runs', 9);
const visitsPerUnit = intFlag('visits', 4);
const sectionCodes = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const query: RankingQuery = { templateId: 'national', period: '2026', parentId: 'VN', kind: 'commune' };
const admin: Caller = { sub: 'bench-admin', name: null, roles: ['admin'], unitId: 'VN' };
const adminCaller = { sub: 'bench-admin', roles: ['admin' as const], unitId: 'VN' };
// DynamoDB's item limit: 400 KB, counted in binary kilobytes.
const itemLimitBytes = 400 * 1024;
const noEvents: EventPublisher = { async publish() {} };

const template = { ...checklistTemplate(query.templateId, 1, sectionCodes, bands), publishedBy: admin.sub };

/** Scores with two decimals and many ties; `visitsPerUnit` visits behind each, as approvals record. */
function scoreRecord(owner: UnitRecord, n: number): UnitScoreRecord {
  const score = (5_000 + ((n * 37) % 4_000)) / 100;
  const sections = sectionCodes.map((code, i) => ({
    code,
    percent: (n + i) % 5 === 0 ? null : (600 + ((n * 7 + i * 13) % 400)) / 10,
  }));
  const visits: UnitScoreVisit[] = Array.from({ length: visitsPerUnit }, (_, v) => ({
    visitId: `cccccccc-0000-4000-8000-${String(n * visitsPerUnit + v).padStart(12, '0')}`,
    startedAt: `2026-${String(1 + ((n + v * 3) % 12)).padStart(2, '0')}-15T08:30:00+07:00`,
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
    yield scoreItem(scoreRecord(commune, n));
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

/** One operation beside its floor: `runs` pairs, the order alternating so drift hits both. */
async function paired(ours: () => Promise<unknown>, floor: () => Promise<unknown>) {
  const pairs: Array<{ ours: number; floor: number }> = [];
  const time = async (action: () => Promise<unknown>) => {
    const started = performance.now();
    await action();
    return since(started);
  };
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      const o = await time(ours);
      pairs.push({ ours: o, floor: await time(floor) });
    } else {
      const f = await time(floor);
      pairs.push({ ours: await time(ours), floor: f });
    }
  }
  return {
    ours: median(pairs.map((p) => p.ours)),
    floor: median(pairs.map((p) => p.floor)),
    ratio: median(pairs.map((p) => p.ours / p.floor)),
    ratios: pairs.map((p) => p.ours / p.floor).sort((a, b) => a - b),
  };
}

console.log(`# National scale (${new Date().toISOString()}, Node ${process.version})\n`);
await withEmulators(async (endpoints) => {
  const storage = await createStorage(endpoints, 'bench-ranking', 'bench-ranking');
  Object.assign(process.env, storageEnv(storage));
  configureDeps({ events: noEvents });
  const app = allDeps();

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

  const queryAll = async (input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) => {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await storage.client.send(
        new QueryCommand({ ...input, TableName: storage.tableName, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };

  // The floor of GET /v1/scores: the same two key ranges read bare, the pure ranking, the JSON.
  const bareRanking = async () => {
    const [unitItems, scoreItems] = await Promise.all([
      queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :k)',
        ExpressionAttributeValues: { ':p': childrenPartition(query.parentId), ':k': `${query.kind}#` },
      }),
      queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: {
          ':p': peerScorePartition(query.templateId, query.period, query.parentId, query.kind),
        },
      }),
    ]);
    const scores = new Map<string, RankedScore>();
    for (const item of scoreItems) {
      const visits = Object.entries(item)
        .filter(([name]) => name.startsWith('visit#'))
        .map(([, value]) => value as UnitScoreVisit);
      const score = unitScore(visits);
      if (score) scores.set(String(item.unitId), score);
    }
    const rows = rankPeerGroup(unitItems as unknown as RankedUnit[], scores, template);
    return JSON.stringify({ items: rows, nextCursor: null }).length;
  };
  const getScores = async () => {
    const answer = await invoke('getScores', { query: { ...query }, as: adminCaller });
    if (answer.status !== 200) throw new Error(`GET /v1/scores answered ${answer.status}`);
    return answer;
  };

  // Unmeasured runs: JIT warm-up (of Node and of DynamoDB Local's JVM) would otherwise make the
  // first runs the slowest.
  for (let warmUp = 0; warmUp < 2; warmUp++) {
    await getScores();
    await bareRanking();
  }
  const answer = await getScores();
  const rows = (answer.body as { items: unknown[] }).items;
  if (rows.length !== unitCount) throw new Error(`ranked ${rows.length} units, expected ${unitCount}`);
  const scoresBody = Buffer.byteLength(answer.raw.body ?? '', 'utf8');
  const scoresPair = await paired(getScores, bareRanking);
  const useCase = await paired(
    () => computeRanking(app, admin, query),
    () => computeRanking(app, admin, query),
  );

  // Pure CPU: canonical JSON (RFC 8785) of every row, then SHA-256.
  const ranking = await computeRanking(app, admin, query);
  const hashStart = performance.now();
  publicationHash(ranking.rows);
  const hashMillis = since(hashStart);

  // The floor of POST /v1/publications: the same header and row chunks, written bare in one
  // transaction under a partition of their own.
  const first = await createPublication(app, admin, query, null);
  const publicationId = first.body.publicationId;
  const stored = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': publicationKey(publicationId).pk },
    ConsistentRead: true,
  });
  let floorRun = 0;
  const bareWrite = async () => {
    floorRun++;
    await storage.client.send(
      new TransactWriteCommand({
        TransactItems: stored.map((item) => ({
          Put: {
            TableName: storage.tableName,
            Item: { ...item, pk: `FLOOR#${floorRun}` },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
      }),
    );
  };
  const publishPair = await paired(async () => {
    const created = await invoke('createPublication', { body: { ...query }, as: adminCaller });
    if (created.status !== 201) throw new Error(`POST /v1/publications answered ${created.status}`);
  }, bareWrite);

  const readPair = await paired(
    async () => {
      const read = await invoke('getPublication', { params: { publicationId }, as: adminCaller });
      if (read.status !== 200) throw new Error(`GET /v1/publications/{id} answered ${read.status}`);
    },
    async () => {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': publicationKey(publicationId).pk },
      });
      return JSON.stringify(items.flatMap((item) => (Array.isArray(item.rows) ? item.rows : []))).length;
    },
  );

  const chunks = stored.filter((item) => String(item.sk).startsWith(publicationRowsPrefix));
  const ratioCell = (ratio: number) => `${ratio.toFixed(2)}x`;
  const verdict = (ratio: number, target: number | null) =>
    target === null ? 'no target' : ratio <= target ? 'met' : '**not met**';
  const rowsOf = [
    [
      'GET /v1/scores (handler)',
      'bare Query of units and scores + unitScore + rankPeerGroup + JSON',
      scoresPair,
      1.3,
    ],
    ['POST /v1/publications (handler)', 'bare transaction of the same header and chunks', publishPair, 1.5],
    [
      'GET /v1/publications/{id} (handler)',
      "bare Query of the publication's partition + JSON",
      readPair,
      null,
    ],
  ] as const;
  const summary = table(
    [
      'Operation',
      'Median',
      'Floor',
      'Floor median',
      'Ratio (median of pairs)',
      'Pair ratios (min-max)',
      'Target',
      'Result',
    ],
    rowsOf.map(([name, floor, pair, target]) => [
      name,
      ms(pair.ours),
      floor,
      ms(pair.floor),
      ratioCell(pair.ratio),
      `${ratioCell(pair.ratios[0] ?? 0)}-${ratioCell(pair.ratios.at(-1) ?? 0)}`,
      target === null ? '-' : `<= ${target}x`,
      verdict(pair.ratio, target),
    ]),
  );
  const chunkTable = table(
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
  console.log(summary);
  console.log(`\ncomputeRanking alone: ${ms(useCase.ours)}; publicationHash ${ms(hashMillis)}\n`);
  console.log(chunkTable);

  writeSection(
    'national-scale',
    `## National scale: one peer group of ${unitCount.toLocaleString('en-US')} units (issue 12, target 5)

Generated by \`npx tsx bench/ranking.ts\` (part of \`npm run bench\`; \`--units N --visits N --runs N\`).
${unitCount.toLocaleString('en-US')} communes under one parent, each with ${visitsPerUnit} approved visits in the
year (each visit an attribute of the unit's score item, with 7 section percents), as approvals
write them. Each operation runs ${runs} times beside its floor in interleaved pairs (ours then floor,
floor then ours), after 2 unmeasured warm-up runs; the ratio is the median of the pairs' ratios.
Ours goes through the route's real handler (the middy stack, token principal, zod output check,
JSON) in this process; the floor does the same DynamoDB operations with the SDK's document client
and nothing else.

${machineLine()}

${summary}

The GET /v1/scores body is ${kb(scoresBody)} (one answer, under the 6 MB limit). The use case
alone (\`computeRanking\`, without the HTTP stack) takes ${ms(useCase.ours)}; hashing the rows
(canonical JSON and SHA-256, part of a publication) ${ms(hashMillis)}.

Stored publication (sizes in kB of 1,000 bytes; the limit is 400 KB = 409,600 bytes; "DynamoDB
size" follows AWS's documented sizing rules and is an estimate):

${chunkTable}
`,
  );
});
