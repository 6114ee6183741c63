/**
 * Warm latency (issue 12, target 4): p50 and p99 of GET visit, GET findings (25), GET scores and
 * PUT visit (a new draft each request) through the local server (`local/main.ts`, what `npm start`
 * runs, the real handlers behind its API Gateway stand-in) at 20 connections with autocannon,
 * each beside its floor: bench/support/floor-server.ts, a bare node:http server that checks the
 * same token the same way and makes the same DynamoDB calls, recorded from our route for the same
 * request. Both servers are child processes over the same DynamoDB Local; runs alternate
 * (ours, floor, floor, ours, ...) and the ratio is the median of the pairs' p50 ratios.
 * Writes the `warm-latency` section of docs/benchmarks.md.
 *
 *   npx tsx bench/latency.ts --seconds 5 --rounds 2
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { scoreItem } from '#adapters/dynamodb/findings.ts';
import { DynamoTemplateStore } from '#adapters/dynamodb/templates.ts';
import { installRoundTripMeter, type MeteredCall } from '#adapters/round-trip-meter.ts';
import { configureDeps, resetDeps } from '#adapters/wiring.ts';
import { freePort } from '#local/emulators.ts';
import type { RouteName } from '#routes/table.ts';
import { batchWrite } from '#tests/support/batch-write.ts';
import { type Caller, invoke } from '#tests/support/invoke.ts';
import {
  bands,
  template as checklistTemplate,
  seededAt,
  unitScoreRecord,
} from '#tests/support/peer-group.ts';
import { communes, exportItems, province } from './support/export-fixture.ts';
import { carriedValues } from './support/floor-carry.ts';
import type { FloorCall, FloorRoute, FloorSpec } from './support/floor-server.ts';
import { intFlag, median } from './support/measure.ts';
import { machineLine, table, writeSection } from './support/report.ts';
import { createStorage, storageEnv, withEmulators } from './support/storage.ts';

const seconds = intFlag('seconds', 5);
const rounds = intFlag('rounds', 2);
const connections = 20;
const target = 1.5;
const root = fileURLToPath(new URL('..', import.meta.url));
const sectionCodes = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const templateId = 'checklist';

const manager: Caller = { sub: 'bench-manager', roles: ['manager'], unitId: province.unitId };
const inspector: Caller = { sub: 'bench-inspector', roles: ['inspector'], unitId: province.unitId };
const visitOf = (v: number) => `bbbbbbbb-0000-4000-8000-${String(v).padStart(12, '0')}`;
const draftBody = (unit = 0) => ({
  unitId: communes[unit % communes.length]?.unitId ?? province.unitId,
  templateId,
  templateVersion: 1,
  startedAt: '2026-08-03T09:00:00+07:00',
  answers: sectionCodes.map((code) => ({ itemCode: `${code}1`, value: code !== 'C' })),
});

/** Spawns a TypeScript entry point with this Node and tsx; resolves with the child and the line that says it is up. */
function start(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve({ child, line: found[0] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}):\n${output}`)));
  });
}

/** The calls of one invocation, grouped: a call that started before the previous one ended ran beside it. */
function groupsOf(calls: readonly MeteredCall[]): (FloorCall & { output?: unknown })[][] {
  const groups: (FloorCall & { output?: unknown })[][] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.startedAt - b.startedAt)) {
    const entry = { operation: call.operation, input: call.input, output: call.output };
    const last = groups.at(-1);
    if (last && call.startedAt < groupEnd) {
      last.push(entry);
      groupEnd = Math.max(groupEnd, call.endedAt);
    } else {
      groups.push([entry]);
      groupEnd = call.endedAt;
    }
  }
  return groups;
}

interface Endpoint {
  name: string;
  route: RouteName;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  /** A fresh ID per request replaces `{id}`. */
  fresh?: boolean;
  /**
   * Each request takes the next visit of a pool seeded for it (in the state the route needs),
   * with that visit's etag as If-Match; a run is a fixed number of requests, not a duration.
   */
  pool?: 'draft' | 'submitted';
  body?: unknown;
  query?: Record<string, string>;
  as: Caller;
  status: number;
}

const endpoints: Endpoint[] = [
  {
    name: 'GET visit',
    route: 'getVisit',
    method: 'GET',
    path: `/v1/visits/${visitOf(0)}`,
    as: manager,
    status: 200,
  },
  {
    name: 'GET findings (25)',
    route: 'listFindings',
    method: 'GET',
    path: '/v1/findings',
    query: { limit: '25' },
    as: manager,
    status: 200,
  },
  {
    name: 'GET scores (100 communes)',
    route: 'getScores',
    method: 'GET',
    path: '/v1/scores',
    query: { templateId, period: '2026', parentId: province.unitId, kind: 'commune' },
    as: manager,
    status: 200,
  },
  {
    name: 'POST submit',
    route: 'submitVisit',
    method: 'POST',
    path: '/v1/visits/{id}/submit',
    pool: 'draft',
    as: inspector,
    status: 200,
  },
  {
    name: 'POST review (approve)',
    route: 'reviewVisit',
    method: 'POST',
    path: '/v1/visits/{id}/review',
    pool: 'submitted',
    body: { decision: 'approve' },
    as: manager,
    status: 200,
  },
  {
    name: 'PUT visit (new draft)',
    route: 'putVisit',
    method: 'PUT',
    path: '/v1/visits/{id}',
    fresh: true,
    as: inspector,
    status: 201,
  },
];

/** The seeded visits of each pool, taken in order (each once) by the runs of both servers. */
const pools = { draft: [] as PoolVisit[], submitted: [] as PoolVisit[] };
interface PoolVisit {
  visitId: string;
  etag: string;
}
/** Requests per run of a pooled endpoint, and how many visits each pool needs for all runs. */
const perRun = intFlag('pool-run', 150);
const poolSize = perRun * (rounds * 2 + 1) * 2 + 4;

function takeFrom(pool: PoolVisit[]): PoolVisit {
  const visit = pool.shift();
  if (!visit) throw new Error('the pool of seeded visits ran out: raise poolSize');
  return visit;
}

async function load(url: string, endpoint: Endpoint, token: string) {
  const search = endpoint.query ? `?${new URLSearchParams(endpoint.query)}` : '';
  const body =
    endpoint.body !== undefined
      ? JSON.stringify(endpoint.body)
      : endpoint.method === 'PUT'
        ? JSON.stringify(draftBody())
        : undefined;
  const pool = endpoint.pool ? pools[endpoint.pool] : null;
  const result = await autocannon({
    url,
    connections,
    ...(pool ? { amount: perRun } : { duration: seconds }),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        method: endpoint.method,
        ...(body ? { body } : {}),
        setupRequest: (request) => {
          if (!pool)
            return { ...request, path: `${endpoint.path.replace('{id}', () => randomUUID())}${search}` };
          const visit = takeFrom(pool);
          return {
            ...request,
            path: endpoint.path.replace('{id}', visit.visitId),
            headers: { ...request.headers, 'if-match': visit.etag },
          };
        },
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    perSecond: result.requests.total / (pool ? result.duration : seconds),
    errors: result.non2xx + result.errors,
  };
}

/**
 * The pools: drafts for submit, submitted visits for approval, through the real use cases (so
 * each is what a phone and a submit leave), spread over the communes so that concurrent
 * approvals rarely meet on one unit's score.
 */
async function seedPools(): Promise<void> {
  const seedOne = async (n: number, submit: boolean) => {
    const visitId = `eeeeeeee-${submit ? '1' : '0'}000-4000-8000-${String(n).padStart(12, '0')}`;
    const put = await invoke('putVisit', { params: { visitId }, body: draftBody(n), as: inspector });
    if (put.status !== 201) throw new Error(`seeding: putVisit answered ${put.status}`);
    let etag = put.headers.etag ?? '';
    if (submit) {
      const sent = await invoke('submitVisit', {
        params: { visitId },
        headers: { 'if-match': etag },
        as: inspector,
      });
      if (sent.status !== 200) throw new Error(`seeding: submitVisit answered ${sent.status}`);
      etag = sent.headers.etag ?? '';
    }
    (submit ? pools.submitted : pools.draft).push({ visitId, etag });
  };
  for (const submit of [false, true]) {
    for (let n = 0; n < poolSize; n += 25) {
      await Promise.all(Array.from({ length: Math.min(25, poolSize - n) }, (_, i) => seedOne(n + i, submit)));
    }
  }
  // In seeding order, so that consecutive requests (the concurrent ones) are of other units.
  pools.draft.sort((a, b) => a.visitId.localeCompare(b.visitId));
  pools.submitted.sort((a, b) => a.visitId.localeCompare(b.visitId));
}

await withEmulators(async (emulators) => {
  const storage = await createStorage(emulators, 'bench-latency', 'bench-latency');
  Object.assign(process.env, storageEnv(storage));
  configureDeps({ events: { async publish() {} } });

  // Seed: a province of 100 communes, 100 approved visits of 20 findings, a template, scores.
  await batchWrite(storage.documents, exportItems(2_000), 12);
  const template = { ...checklistTemplate(templateId, 1, sectionCodes, bands), publishedBy: 'bench-admin' };
  await new DynamoTemplateStore(storage.documents).publishTemplate(template, {
    entryId: `t-${templateId}-1`,
    subject: { type: 'template', id: templateId },
    action: 'publish',
    actor: 'bench-admin',
    at: seededAt,
    from: null,
    to: '1',
    reason: null,
  });
  await batchWrite(
    storage.documents,
    communes.map((commune, n) => {
      const score = (6_000 + ((n * 37) % 4_000)) / 100;
      const sections = sectionCodes.map((code) => ({
        code,
        percent: (700 + ((n + code.charCodeAt(0)) % 300)) / 10,
      }));
      const visits = Array.from({ length: 4 }, (_, v) => ({
        visitId: `dddddddd-0000-4000-8000-${String(n * 4 + v).padStart(12, '0')}`,
        startedAt: `2026-0${1 + v * 2}-15T08:30:00+07:00`,
        templateVersion: 1,
        score,
        sections,
      }));
      return scoreItem(unitScoreRecord(commune, templateId, '2026', score, sections, visits));
    }),
  );

  // Our server: local/main.ts over these emulators and this table.
  const dataDir = mkdtempSync(join(tmpdir(), 'par-inspect-latency-'));
  const port = await freePort();
  const ours = await start(
    ['local/main.ts', '--port', String(port), '--data-dir', dataDir, '--no-web', '--no-seed'],
    {
      ...process.env,
      DYNAMODB_ENDPOINT: emulators.dynamodb,
      S3_ENDPOINT: emulators.s3,
      LOCAL_TABLE_NAME: storage.tableName,
      LOCAL_BUCKET_NAME: storage.bucketName,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    /Ctrl-C stops/,
  );
  let floor: ChildProcess | null = null;
  try {
    const api = `http://localhost:${port}`;
    const sign = async (caller: Caller) => {
      const response = await fetch(`${api}/local/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: caller.roles[0], unitId: caller.unitId, sub: caller.sub }),
      });
      const body = (await response.json()) as { token?: string };
      const token = body.token;
      if (!token) throw new Error(`POST /local/tokens answered ${response.status}: ${JSON.stringify(body)}`);
      return token;
    };
    const tokens = new Map([
      [manager, await sign(manager)],
      [inspector, await sign(inspector)],
    ]);
    const jwks = (await (await fetch(`${api}/local/.well-known/jwks.json`)).json()) as FloorSpec['jwks'];
    const managerToken = tokens.get(manager) ?? '';
    const issuer = String(
      JSON.parse(Buffer.from(managerToken.split('.')[1] ?? '', 'base64url').toString('utf8')).iss,
    );

    // The pools of visits for submit and approval, through the use cases in this process.
    const seedStart = performance.now();
    await seedPools();
    console.error(
      `seeded ${poolSize} drafts and ${poolSize} submitted visits in ${Math.round((performance.now() - seedStart) / 1000)} s`,
    );

    // Record each route's calls for the same request, in this process, with the meter (and what
    // its reads returned, for the values the floor must carry into its writes).
    let recorded: MeteredCall[] = [];
    installRoundTripMeter((call) => recorded.push(call), { outputs: true });
    // Clients built again, with the meter (seeding built them without it).
    resetDeps();
    configureDeps({ events: { async publish() {} } });
    const routes: FloorRoute[] = [];
    for (const endpoint of endpoints) {
      // Twice, the second recorded: a warm function's calls (template versions in memory).
      let id = '';
      for (let call = 0; call < 2; call++) {
        const pooled = endpoint.pool ? takeFrom(pools[endpoint.pool]) : null;
        id = pooled?.visitId ?? randomUUID();
        recorded = [];
        const response = await invoke(endpoint.route, {
          params:
            endpoint.route === 'getVisit'
              ? { visitId: visitOf(0) }
              : endpoint.fresh || pooled
                ? { visitId: id }
                : {},
          ...(endpoint.query ? { query: endpoint.query } : {}),
          ...(endpoint.body !== undefined
            ? { body: endpoint.body }
            : endpoint.method === 'PUT'
              ? { body: draftBody() }
              : {}),
          ...(pooled ? { headers: { 'if-match': pooled.etag } } : {}),
          as: endpoint.as,
        });
        if (response.status !== endpoint.status)
          throw new Error(`${endpoint.route} answered ${response.status}: ${JSON.stringify(response.body)}`);
      }
      const own = recorded.filter((call) => call.invoker === endpoint.route);
      const grouped = groupsOf(own);
      const replaced = endpoint.fresh || endpoint.pool ? id : undefined;
      routes.push({
        method: endpoint.method,
        path: endpoint.path,
        groups: grouped.map((group) => group.map(({ operation, input }) => ({ operation, input }))),
        ...(replaced ? { recordedId: replaced } : {}),
        carried: carriedValues(grouped, replaced),
        status: endpoint.status,
      });
      console.error(`${endpoint.name}: ${own.map((call) => call.operation).join(', ')}`);
    }
    installRoundTripMeter(null);

    const spec: FloorSpec = {
      issuer,
      jwks,
      audience: 'par-inspect-local-app',
      dynamodbEndpoint: emulators.dynamodb,
      routes,
    };
    const specFile = join(dataDir, 'floor.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const floorStarted = await start(
      ['bench/support/floor-server.ts', specFile],
      process.env,
      /floor listening on \d+/,
    );
    floor = floorStarted.child;
    const floorUrl = `http://127.0.0.1:${/\d+$/.exec(floorStarted.line)?.[0]}`;

    const results: string[][] = [];
    for (const endpoint of endpoints) {
      const token = tokens.get(endpoint.as) ?? '';
      // Unmeasured warm-up of both (JIT, connection pools, DynamoDB Local's JVM).
      await load(api, { ...endpoint }, token);
      await load(floorUrl, endpoint, token);
      const pairs: Array<{
        ours: Awaited<ReturnType<typeof load>>;
        floor: Awaited<ReturnType<typeof load>>;
      }> = [];
      for (let round = 0; round < rounds * 2; round++) {
        if (round % 2 === 0) {
          const o = await load(api, endpoint, token);
          pairs.push({ ours: o, floor: await load(floorUrl, endpoint, token) });
        } else {
          const f = await load(floorUrl, endpoint, token);
          pairs.push({ ours: await load(api, endpoint, token), floor: f });
        }
      }
      const ratio = median(pairs.map((p) => p.ours.p50 / p.floor.p50));
      const errors = pairs.reduce((n, p) => n + p.ours.errors + p.floor.errors, 0);
      results.push([
        endpoint.name,
        `${median(pairs.map((p) => p.ours.p50))} ms`,
        `${median(pairs.map((p) => p.ours.p99))} ms`,
        `${median(pairs.map((p) => p.floor.p50))} ms`,
        `${median(pairs.map((p) => p.floor.p99))} ms`,
        `${ratio.toFixed(2)}x`,
        `${median(pairs.map((p) => p.ours.p99 / p.floor.p99)).toFixed(2)}x`,
        String(Math.round(median(pairs.map((p) => p.ours.perSecond)))),
        String(Math.round(median(pairs.map((p) => p.floor.perSecond)))),
        String(errors),
        ratio <= target ? 'met' : '**not met**',
      ]);
      console.error(results.at(-1)?.join(' | '));
    }
    const floorCalls = routes
      .map(
        (route, i) =>
          `${endpoints[i]?.name}: ${route.groups.map((g) => g.map((c) => c.operation).join(' + ')).join(', then ')}`,
      )
      .join('; ');
    const summary = table(
      [
        'Request',
        'p50',
        'p99',
        'floor p50',
        'floor p99',
        'p50 ratio',
        'p99 ratio',
        'req/s',
        'floor req/s',
        'non-2xx',
        `p50 <= ${target}x`,
      ],
      results,
    );
    console.log(summary);
    writeSection(
      'warm-latency',
      `## Warm latency through the local server (issue 12, target 4)

Generated by \`npx tsx bench/latency.ts\` (part of \`npm run bench\`; \`--seconds N --rounds N\`).
autocannon 9.0.0, ${connections} connections, ${seconds} s per run, ${rounds * 2} runs per side alternating (ours,
floor, floor, ours, ...) after one unmeasured run of each; figures are medians over the runs, the
ratio the median of the pairs' ratios. Ours: \`local/main.ts\` (the real handlers behind the local
API Gateway stand-in, which verifies the RS256 token). Floor: \`bench/support/floor-server.ts\`, a
bare node:http server with the same token check and the same DynamoDB calls, recorded from our
route for the same request (concurrent calls kept concurrent): ${floorCalls}. Both are single
Node processes over the same DynamoDB Local; autocannon runs in a third.
Data: one province of 100 communes, 100 approved visits with 20 findings each, 4 approved visits
behind each commune's score.

${machineLine()}

${summary}

Submit and approve take each request's visit from a pool seeded before the runs through the real
use cases (${poolSize} drafts for submit; as many visits put and submitted, for approval), spread
over the 100 communes so that concurrent approvals rarely meet on one unit's score; each request
sends its visit's etag as If-Match, and a run of theirs is ${perRun} requests rather than a
duration. Their floor makes the calls recorded for one visit with the request's visit ID, and
carries what its reads return into its writes as our code does (bench/support/floor-carry.ts: the
visit's etag into the transaction's condition, its unit's ID and path into the score's key and the
findings): a floor transaction whose condition did not hold would answer 500 and count in non-2xx.
`,
    );
  } finally {
    floor?.kill('SIGTERM');
    ours.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
