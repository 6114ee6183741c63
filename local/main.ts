/**
 * `npm start`: the whole API on this machine. Prints the URL, demo tokens ready to paste and
 * where the data lives; Ctrl-C stops the server and the emulators. A machine problem ends it
 * with one line saying what to do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { HelpRequested, type LocalOptions, parseOptions } from './cli.ts';
import { EmulatorSetupError } from './emulators.ts';
import { repositoryRoot } from './lambda.ts';
import { consoleLog } from './log.ts';

// The handlers' logger reads its level when first imported (below, through the server): the
// terminal gets their warnings and errors, not a JSON line per request.
process.env.POWERTOOLS_LOG_LEVEL ||= 'WARN';

const startedAt = performance.now();
const log = consoleLog();

let options: LocalOptions;
try {
  options = parseOptions(process.argv.slice(2), process.env, repositoryRoot);
} catch (error) {
  if (error instanceof HelpRequested) {
    console.log(error.message);
    process.exit(0);
  }
  exitWith(error);
}

const { startLocalServer } = await import('./server.ts');
const { demoProvinceId, demoTemplateId, demoUnits } = await import('./demo-data.ts');
const { describeWebBuild } = await import('./web-build.ts');

let server: Awaited<ReturnType<typeof startLocalServer>>;
try {
  server = await startLocalServer(options, log);
} catch (error) {
  exitWith(error);
}

let stopping = false;
const stop = (reason: string) => {
  if (stopping) process.exit(130);
  stopping = true;
  console.log(`\n${reason}`);
  void server.stop().then(
    () => {
      console.log('Stopped: the API, s3rver and DynamoDB Local are down.');
      process.exit(0);
    },
    (error: unknown) => exitWith(error),
  );
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => stop('Stopping (Ctrl-C again to force)...'));
}
watchLaunchers(() => stop('Stopping: the command that started npm start has ended...'));

/**
 * `npm start` runs npm -> tsx -> this process. A signal sent to npm alone (an IDE's stop
 * button, `kill` of a background job) ends npm without passing it on, which would leave the API
 * and DynamoDB Local running. So the server also stops when any process that launched it ends.
 * Linux only (it reads /proc); elsewhere only signals stop it.
 */
function watchLaunchers(onGone: () => void): void {
  const parentOf = (pid: number): number | null => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[1]);
    } catch {
      return null;
    }
  };
  const launchers: number[] = [];
  for (let pid = process.ppid; pid > 1 && launchers.length < 3; pid = parentOf(pid) ?? 0) {
    launchers.push(pid);
  }
  if (launchers.length === 0 || parentOf(process.pid) === null) return;
  const timer = setInterval(() => {
    if (launchers.some((pid) => parentOf(pid) === null)) {
      clearInterval(timer);
      onGone();
    }
  }, 1_000);
  timer.unref();
}

const sign = (role: 'admin' | 'manager' | 'inspector') =>
  server.tokens.sign({ role, unitId: demoProvinceId });
const exports = [
  `export API=${server.url}`,
  `export ADMIN_TOKEN=${await sign('admin')}`,
  `export MANAGER_TOKEN=${await sign('manager')}`,
  `export INSPECTOR_TOKEN=${await sign('inspector')}`,
  `export RANKING_TOKEN=${await server.tokens.sign({ role: 'ranking' })}`,
];
writeFileSync(server.layout.tokensEnv, `${exports.join('\n')}\n`, { mode: 0o600 });

const shown = (path: string) => {
  const inRepo = relative(process.cwd(), path);
  return inRepo.startsWith('..') ? path : inRepo || '.';
};
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
const seedLine =
  server.seed === 'skipped'
    ? 'no demo data (--no-seed)'
    : `demo data ${server.seed === 'seeded' ? 'created' : 'already there'}: province ${demoProvinceId} (Tỉnh Nghệ An) with ${
        demoUnits.length - 1
      } wards and communes, template ${demoTemplateId}`;
const appLines = server.web.dist
  ? [
      `par-inspect app: ${server.appUrl}`,
      `  sign in there as a demo user, or at once: ${server.url}/local/sign-in?role=inspector&unitId=${demoProvinceId}`,
    ]
  : [`par-inspect app: not served (${describeWebBuild(server.web).replace(/^web app not served: /, '')})`];
const tlsLines = server.tls
  ? [
      `  HTTPS on every network interface: open ${server.appUrl} on a phone on the same network`,
      `  certificate for ${server.tls.hosts.join(', ')}; to trust it, install its authority from ${server.url}/local/tls/ca.crt (${shown(server.tls.caFile)})`,
    ]
  : [];
console.log(
  [
    '',
    ...appLines,
    ...tlsLines,
    `par-inspect local API ready at ${server.url} (started in ${seconds} s)`,
    `  ${describeWebBuild(server.web)}`,
    `  ${seedLine}`,
    `  DynamoDB ${server.dynamodb.endpoint} (${server.dynamodb.startedHere ? `DynamoDB Local, data in ${shown(server.layout.dynamodb)}` : 'already running'}), table ${server.tableName}`,
    `  S3       ${server.s3.endpoint} (${server.s3.startedHere ? `s3rver, data in ${shown(server.layout.s3)}` : 'already running'}), bucket ${server.bucketName}`,
    `  data folder ${shown(server.layout.root)} (npm start -- --reset empties it)`,
    `  ScoresPublished events: ${options.webhookUrl ? `delivered to ${options.webhookUrl}` : 'logged here (set PUBLICATION_WEBHOOK_URL to deliver them)'}`,
    ...deliveryLines(),
    '',
    `Tokens valid 12 h (admin, manager and inspector of ${demoProvinceId}, and the ranking client). Paste into a shell,`,
    `or run: source ${shown(server.layout.tokensEnv)}`,
    '',
    ...exports,
    '',
    'More tokens: POST /local/tokens {"role":"inspector","unitId":"vinh-phu","sub":"another-inspector"}. Ctrl-C stops.',
    '',
  ].join('\n'),
);

/** What waits in the data folder's delivery queue, when anything does. */
function deliveryLines(): string[] {
  const { pending, dead } = server.deliveries;
  const lines: string[] = [];
  if (pending > 0)
    lines.push(
      `    ${pending} delivery(ies) pending from an earlier run, in ${shown(server.layout.deliveries.pending)}`,
    );
  if (dead > 0)
    lines.push(
      `    ${dead} dead letter(s) in ${shown(server.layout.deliveries.dead)}: npm run dead-letters -- list`,
    );
  return lines;
}

function exitWith(error: unknown): never {
  if (error instanceof EmulatorSetupError) {
    console.error(`npm start: ${error.message}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`npm start failed: ${message} (POWERTOOLS_LOG_LEVEL=DEBUG shows the stack)`);
    if (process.env.POWERTOOLS_LOG_LEVEL?.toUpperCase() === 'DEBUG' && error instanceof Error) {
      console.error(error.stack);
    }
  }
  process.exit(1);
}
