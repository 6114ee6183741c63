/**
 * Cold start of every function (issue 12, target 2): each route's and worker's bundle, built the
 * way CDK builds it (infra/bundling.ts), beside its own floor, a bundle built the same way that
 * only creates the SDK clients the function's route-table access needs (the DynamoDB document
 * client for `table`, an S3 client for `bucket`, an EventBridge client for `events`, Cognito's for
 * `userPool`).
 *
 * - Bundle: bytes of the minified `.mjs` (source maps are separate files and not loaded).
 * - Module init: a fresh `node` process imports the bundle and reports the import's duration
 *   (what Lambda's init phase spends on our module) and its RSS; function and floor alternate in
 *   random order within each pair, and the ratio is judged on its 95 % interval's upper end.
 * - Powertools Tracer and Metrics, each added to the DynamoDB floor, weighed the same way.
 * - zod's forms on the visit PUT body: zod/mini as the schemas are written, the same rules in
 *   classic zod (as they were before), and a validator precompiled by Ajv (standalone code) from
 *   the schema's JSON Schema, each beside an empty handler: bundle, init and parses per second of
 *   a 43-answer body.
 *
 *   npx tsx bench/cold-start.ts                  # bundles of all; init (31 pairs) of each floor's largest
 *   npx tsx bench/cold-start.ts --init-all       # init of every function (about 25 min)
 *   npx tsx bench/cold-start.ts --pairs 11 --only getUnit,putVisit
 *   npx tsx bench/cold-start.ts --pairs 0        # bundles only
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { build } from 'esbuild';
import * as z from 'zod/mini';
import { visitInputSchema } from '#domain/visit.ts';
import { bundleDefine, bundleMainFields, bundleTarget, requireBanner } from '#infra/bundling.ts';
import { type Access, routes, workers } from '#routes/table.ts';
import { median, printTable } from './support/measure.ts';
import { pairedRatio, type RatioSummary } from './support/paired.ts';
import { writeSection } from './support/report.ts';
import { visitInputClassic } from './support/visit-input-classic.ts';

const run = promisify(execFile);
// Ajv's standalone generator is CommonJS with `module.exports = fn`: loaded as such.
const standaloneCode = createRequire(import.meta.url)('ajv/dist/standalone') as (
  ajv: Ajv2020,
  validate: ReturnType<Ajv2020['compile']>,
) => string;
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

const { values: args } = parseArgs({
  options: {
    pairs: { type: 'string', default: '31' },
    only: { type: 'string' },
    'parse-runs': { type: 'string', default: '20000' },
    'init-all': { type: 'boolean', default: false },
  },
});
const pairCount = Number(args.pairs);
const only = args.only ? new Set(args.only.split(',')) : null;

const work = mkdtempSync(join(tmpdir(), 'par-cold-start-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** What each built bundle holds: minified bytes by input file (esbuild's metafile). */
const inputsOf = new Map<string, Record<string, number>>();

/** One esbuild build with CDK's options for NodejsFunction (infra/constructs/project-function.ts). */
async function bundle(name: string, source: { entry: string } | { code: string }): Promise<string> {
  const outfile = join(work, `${name}.mjs`);
  const result = await build({
    ...('entry' in source
      ? { entryPoints: [join(repoRoot, source.entry)] }
      : { stdin: { contents: source.code, resolveDir: join(repoRoot, 'bench'), loader: 'ts' } }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: bundleTarget,
    minify: true,
    // As ProjectFunction deploys them: a source map beside the bundle, without the sources, and
    // Node started with --enable-source-maps (lambdaEnv), which reads it at load.
    sourcemap: true,
    sourcesContent: false,
    mainFields: bundleMainFields,
    banner: { js: requireBanner },
    define: { ...bundleDefine },
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.mjs')) continue;
    inputsOf.set(
      outfile,
      Object.fromEntries(Object.entries(output.inputs).map(([i, v]) => [i, v.bytesInOutput])),
    );
  }
  return outfile;
}

/** Where a bundle's bytes come from: our code, zod, Powertools, or any other package. */
type Origin = 'ours' | 'zod' | 'powertools' | 'other';

function originOf(input: string): Origin {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
  if (pkg === undefined) return 'ours';
  if (pkg === 'zod') return 'zod';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'powertools';
  return 'other';
}

/**
 * The bytes a function carries beyond its floor, by origin: the floor holds only SDK code, so
 * everything of ours, zod's and Powertools' is beyond it, and `other` is what the function's
 * packages add over the floor's (middy, the SDK commands it sends, small helpers).
 */
function excessOf(file: string, floor: string): Record<Origin, number> {
  // Summed by package (our files each on their own), so that the floor's share of a package
  // both carry is taken off once.
  const byPackage = (inputs: Record<string, number>) => {
    const sums = new Map<string, { origin: Origin; bytes: number }>();
    for (const [input, bytes] of Object.entries(inputs)) {
      const key = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? input;
      const sum = sums.get(key) ?? { origin: originOf(input), bytes: 0 };
      sum.bytes += bytes;
      sums.set(key, sum);
    }
    return sums;
  };
  const mine = byPackage(inputsOf.get(file) ?? {});
  const theirs = byPackage(inputsOf.get(floor) ?? {});
  const excess: Record<Origin, number> = { ours: 0, zod: 0, powertools: 0, other: 0 };
  for (const [key, { origin, bytes }] of mine) {
    excess[origin] += Math.max(0, bytes - (theirs.get(key)?.bytes ?? 0));
  }
  return excess;
}

type Client = 'dynamodb' | 's3' | 'events' | 'cognito';

function clientsOf(access: Access): Client[] {
  const clients: Client[] = [];
  if ((access.table ?? []).length > 0) clients.push('dynamodb');
  if ((access.bucket ?? []).length > 0) clients.push('s3');
  if ((access.events ?? []).length > 0) clients.push('events');
  if ((access.userPool ?? []).length > 0) clients.push('cognito');
  return clients;
}

const clientCode: Record<Client, { imports: string; create: string }> = {
  dynamodb: {
    imports:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    create: 'DynamoDBDocumentClient.from(new DynamoDBClient({}))',
  },
  s3: { imports: "import { S3Client } from '@aws-sdk/client-s3';", create: 'new S3Client({})' },
  events: {
    imports: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';",
    create: 'new EventBridgeClient({})',
  },
  cognito: {
    imports: "import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';",
    create: 'new CognitoIdentityProviderClient({})',
  },
};

/** A handler that creates exactly these clients at module scope, as our functions do. */
function floorCode(
  clients: readonly Client[],
  extra: { imports: string; init: string } | null = null,
): string {
  return [
    ...clients.map((c) => clientCode[c].imports),
    extra?.imports ?? '',
    `const clients = [${clients.map((c) => clientCode[c].create).join(', ')}];`,
    extra?.init ?? '',
    'export const handler = async () => ({ statusCode: 200, body: String(clients.length) });',
  ].join('\n');
}

/** What Lambda gives every function, so module init reads the configuration it would read. */
const lambdaEnv = {
  ...process.env,
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
  TABLE_NAME: 'par-inspect',
  BUCKET_NAME: 'par-inspect-files',
  EVENT_BUS_NAME: 'par-inspect',
  POWERTOOLS_SERVICE_NAME: 'par-inspect',
  POWERTOOLS_METRICS_NAMESPACE: 'par-inspect',
  CORS_ALLOWED_ORIGINS: 'https://app.example',
  // What ProjectFunction sets in every function's environment.
  NODE_OPTIONS: '--enable-source-maps',
};

const importScript = `
const t0 = performance.now();
await import(process.argv[1]);
const initMs = performance.now() - t0;
process.stdout.write(JSON.stringify({ initMs, rss: process.memoryUsage().rss }));
`;

interface Init {
  initMs: number;
  rss: number;
}

async function initOnce(file: string): Promise<Init> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', importScript, pathToFileURL(file).href],
    {
      env: lambdaEnv,
    },
  );
  return JSON.parse(stdout) as Init;
}

/** `pairs` interleaved fresh-process pairs; the order within each pair is random. */
async function pairedInit(measured: string, floor: string, pairs: number) {
  const results: Array<{ measured: Init; floor: Init }> = [];
  for (let i = 0; i < pairs; i++) {
    if (Math.random() < 0.5) {
      const m = await initOnce(measured);
      const f = await initOnce(floor);
      results.push({ measured: m, floor: f });
    } else {
      const f = await initOnce(floor);
      const m = await initOnce(measured);
      results.push({ measured: m, floor: f });
    }
  }
  return {
    ratio: pairedRatio(results.map((r) => ({ measured: r.measured.initMs, floor: r.floor.initMs }))),
    medianMs: median(results.map((r) => r.measured.initMs)),
    floorMedianMs: median(results.map((r) => r.floor.initMs)),
    rssMiB: median(results.map((r) => r.measured.rss)) / 1024 / 1024,
    floorRssMiB: median(results.map((r) => r.floor.rss)) / 1024 / 1024,
  };
}

const size = (file: string) => statSync(file).size;
const kB = (bytes: number) => (bytes < 10_000 ? `${bytes} B` : `${(bytes / 1000).toFixed(0)} kB`);
const x = (ratio: number) => `${ratio.toFixed(2)}x`;
const interval = (r: RatioSummary) => `${x(r.ratio)} (${r.low.toFixed(2)}-${r.high.toFixed(2)})`;

const bundleTargetRatio = 1.3;
const initTargetRatio = 1.2;

async function functions(): Promise<void> {
  const all = [
    ...routes.map((r) => ({ name: r.name, handler: r.handler, access: r.access as Access })),
    ...workers.map((w) => ({ name: w.name, handler: w.handler, access: w.access as Access })),
  ].filter((f) => only === null || only.has(f.name));
  const floors = new Map<string, string>();
  const built: Array<{ name: string; key: string; file: string; floor: string }> = [];
  for (const fn of all) {
    const clients = clientsOf(fn.access);
    const key = clients.join('+') || 'none';
    let floor = floors.get(key);
    if (floor === undefined) {
      floor = await bundle(`floor-${key}`, { code: floorCode(clients) });
      floors.set(key, floor);
    }
    built.push({ name: fn.name, key, file: await bundle(fn.name, { entry: fn.handler }), floor });
  }
  // Fresh-process pairs cost about a second each: by default init is judged on the largest
  // bundle of each floor (the worst case of the functions that share it), --init-all judges all.
  const largest = new Map<string, string>();
  for (const b of built) {
    const current = built.find((other) => other.name === largest.get(b.key));
    if (current === undefined || size(b.file) > size(current.file)) largest.set(b.key, b.name);
  }
  const judged = new Set(args['init-all'] ? built.map((b) => b.name) : largest.values());
  const rows: string[][] = [];
  let bundlesMet = 0;
  let initsMet = 0;
  let initsJudged = 0;
  const started = performance.now();
  for (const b of built) {
    const bundleRatio = size(b.file) / size(b.floor);
    if (bundleRatio <= bundleTargetRatio) bundlesMet++;
    const excess = excessOf(b.file, b.floor);
    const row = [
      b.name,
      b.key,
      kB(size(b.file)),
      kB(size(b.floor)),
      x(bundleRatio),
      kB(excess.ours),
      kB(excess.zod),
      kB(excess.powertools),
      kB(excess.other),
      x((size(b.file) - excess.zod - excess.powertools) / size(b.floor)),
    ];
    if (pairCount > 1 && judged.has(b.name)) {
      const init = await pairedInit(b.file, b.floor, pairCount);
      initsJudged++;
      if (init.ratio.high <= initTargetRatio) initsMet++;
      row.push(
        `${init.medianMs.toFixed(0)} ms`,
        `${init.floorMedianMs.toFixed(0)} ms`,
        interval(init.ratio),
        `${init.rssMiB.toFixed(0)} / ${init.floorRssMiB.toFixed(0)} MiB`,
      );
      process.stderr.write(`${b.name} `);
    } else if (pairCount > 1) row.push('', '', '', '');
    rows.push(row);
  }
  process.stderr.write('\n');
  console.log(
    `\n## Functions (${all.length}; ${pairCount > 1 ? `${pairCount} pairs each` : 'bundles only'})\n`,
  );
  printTable(
    [
      'function',
      'floor clients',
      'bundle',
      'floor',
      'ratio',
      'ours',
      'zod',
      'Powertools',
      'other pkgs',
      'ratio without zod and Logger',
      ...(pairCount > 1 ? ['init p50', 'floor init p50', 'init ratio (95 % CI)', 'RSS fn / floor'] : []),
    ],
    rows,
  );
  console.log(
    `\nBundle at most ${bundleTargetRatio}x its floor: ${bundlesMet} of ${all.length} met.` +
      (initsJudged > 0
        ? ` Init at most ${initTargetRatio}x (upper end of the 95 % interval): ${initsMet} of ${initsJudged} met.`
        : ''),
  );
  console.log(`Took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

async function powertools(): Promise<void> {
  const floor = await bundle('pt-floor', { code: floorCode(['dynamodb']) });
  const variants = [
    {
      name: 'Tracer (captureAWSv3Client on the document client)',
      file: await bundle('pt-tracer', {
        code: floorCode(['dynamodb'], {
          imports: "import { Tracer } from '@aws-lambda-powertools/tracer';",
          init: 'const tracer = new Tracer({ serviceName: "par-inspect" }); tracer.captureAWSv3Client(clients[0]);',
        }),
      }),
    },
    {
      name: 'Metrics',
      file: await bundle('pt-metrics', {
        code: floorCode(['dynamodb'], {
          imports: "import { Metrics } from '@aws-lambda-powertools/metrics';",
          init: 'const metrics = new Metrics({ namespace: "par-inspect", serviceName: "par-inspect" }); clients.push(metrics);',
        }),
      }),
    },
  ];
  const rows: string[][] = [];
  for (const variant of variants) {
    const init = await pairedInit(variant.file, floor, Math.max(pairCount, 2));
    rows.push([
      variant.name,
      kB(size(variant.file)),
      kB(size(floor)),
      `+${kB(size(variant.file) - size(floor))}`,
      `+${(init.medianMs - init.floorMedianMs).toFixed(0)} ms`,
      interval(init.ratio),
      `+${(init.rssMiB - init.floorRssMiB).toFixed(1)} MiB`,
    ]);
  }
  console.log('\n## Powertools Tracer and Metrics, each on the DynamoDB floor\n');
  printTable(
    ['added', 'bundle', 'floor', 'bundle cost', 'init cost (p50)', 'init ratio (95 % CI)', 'RSS cost'],
    rows,
  );
}

/** A PUT body of the reference checklist's size: 43 answers, notes in Vietnamese. */
function visitBody() {
  return {
    unitId: 'phuong-vinh-tan',
    templateId: 'one-stop-counter',
    templateVersion: 1,
    startedAt: '2026-11-20T08:30:00+07:00',
    location: { lat: 18.6796, lng: 105.6813, accuracyM: 12 },
    answers: Array.from({ length: 43 }, (_, i) => ({
      itemCode: `A${String(i + 1).padStart(2, '0')}`,
      value: i % 3 === 0 ? true : i % 3 === 1 ? 4 : null,
      ...(i % 5 === 0 ? { note: 'Niêm yết công khai thủ tục hành chính đầy đủ' } : {}),
    })),
    deductions: [{ code: 'D01', count: 2 }],
  };
}

async function zodForms(): Promise<void> {
  const body = visitBody();
  const bad = { ...body, answers: [{ itemCode: '../x', value: 'yes' }] };
  const lead = { name: 'Nguyễn Văn A', position: 'Trưởng phòng', role: 'lead' };
  const refused = [
    bad,
    { ...body, team: [lead, { ...lead, name: 'Trần Thị B' }] },
    { ...body, answers: [{ itemCode: 'A01', note: '' }] },
    { ...body, startedAt: '2026-02-30T08:30:00+07:00' },
    { ...body, assignmentId: 'not-an-assignment' },
  ];
  // The forms must agree before their figures mean anything.
  for (const [name, accepts] of [
    ['zod/mini', (v: unknown) => visitInputSchema.safeParse(v).success],
    ['classic zod', (v: unknown) => visitInputClassic.safeParse(v).success],
  ] as const) {
    if (!accepts(body) || !accepts({ ...body, team: [lead] }) || refused.some(accepts)) {
      throw new Error(`${name} disagrees with the visit body's rules`);
    }
  }
  const jsonSchema = z.toJSONSchema(visitInputSchema, { io: 'input', unrepresentable: 'any' });
  const ajv = new Ajv2020({ code: { source: true, esm: true }, allErrors: true, strict: false });
  // RFC 3339 with seconds and an offset, as instantSchema's first check (its calendar check is code).
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/);
  const validate = ajv.compile(jsonSchema);
  if (!validate(body) || validate(bad)) throw new Error('the precompiled validator disagrees with the rules');
  // Inside the repository, so that the generated code's imports of Ajv's runtime resolve.
  const cache = join(repoRoot, 'node_modules', '.cache', 'par-cold-start');
  mkdirSync(cache, { recursive: true });
  const precompiled = join(cache, 'visit-input.mjs');
  writeFileSync(precompiled, standaloneCode(ajv, validate));

  const empty = await bundle('zod-empty', { code: 'export const handler = async (e) => Boolean(e);' });
  const forms = [
    {
      name: 'zod/mini, as written (shared/domain/visit.ts)',
      file: await bundle('zod-mini', {
        code: "import { visitInputSchema } from '#domain/visit.ts';\nexport const handler = async (e) => visitInputSchema.safeParse(e).success;",
      }),
      parse: (v: unknown) => visitInputSchema.safeParse(v).success,
    },
    {
      name: 'classic zod, the same rules (bench/support/visit-input-classic.ts)',
      file: await bundle('zod-classic', {
        code: "import { visitInputClassic } from './support/visit-input-classic.ts';\nexport const handler = async (e) => visitInputClassic.safeParse(e).success;",
      }),
      parse: (v: unknown) => visitInputClassic.safeParse(v).success,
    },
    {
      name: 'Ajv standalone, precompiled from z.toJSONSchema',
      file: await bundle('zod-ajv', {
        code: `import validate from ${JSON.stringify(precompiled)};\nexport const handler = async (e) => validate(e);`,
      }),
      parse: (v: unknown) => validate(v),
    },
  ];
  const runs = Number(args['parse-runs']);
  const rows: string[][] = [];
  for (const form of forms) {
    const init = await pairedInit(form.file, empty, Math.max(pairCount, 2));
    for (let i = 0; i < 1000; i++) form.parse(body);
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) form.parse(body);
    const perSecond = runs / ((performance.now() - t0) / 1000);
    rows.push([
      form.name,
      kB(size(form.file)),
      `+${(init.medianMs - init.floorMedianMs).toFixed(1)} ms`,
      `${Math.round(perSecond).toLocaleString('en-US')}/s`,
    ]);
  }
  console.log(`\n## zod's forms on the visit PUT body (beside an empty handler of ${kB(size(empty))})\n`);
  printTable(['form', 'bundle', 'init cost (p50)', 'parses of a 43-answer body'], rows);
  console.log(
    '\nThe JSON Schema drops what JSON Schema cannot say (NFC normalisation, the calendar check of ' +
      'instants, lowercasing of UUIDs): a precompiled validator would need those as code beside it.',
  );
}

// What is printed is also the generated part of docs/benchmarks.md (section cold-start), written
// only by a full default run: a run of some functions or fewer pairs is not the figure of record.
const printed: string[] = [];
const print = console.log;
console.log = (...parts: unknown[]) => {
  printed.push(parts.map(String).join(' '));
  print(...parts);
};
console.log(
  `Run of ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores, ` +
    `load average ${loadavg()[0]?.toFixed(1)} at the start.`,
);
await functions();
await powertools();
await zodForms();
console.log = print;
if (only === null && pairCount >= 31 && !args['init-all']) {
  writeSection('cold-start', printed.join('\n').replaceAll('\n## ', '\n#### '));
}
