/**
 * Builds the web app for `npm start` once, and reuses the build while its sources are
 * unchanged: `web/dist/.source-hash` records the hash of what it was built from (web/ without
 * its output, the shared domain and route contracts the app imports, and the lock file).
 * Several runners starting at once (test workers) take turns through a lock folder, so the
 * second one finds the first one's build instead of writing over it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RunnerLog } from './log.ts';

export type WebBuild =
  | { status: 'built' | 'reused'; dist: string; ms: number }
  | { status: 'skipped' | 'failed'; dist: null; ms: number; reason: string };

export interface WebBuildOptions {
  /** The app's folder, with `vite.config.ts` (web/ of the repository). */
  webRoot: string;
  repositoryRoot: string;
  log: RunnerLog;
  /** Builds the app into `<webRoot>/dist`; by default Vite's JS API with the app's config. */
  build?: (webRoot: string) => Promise<void>;
}

/** Folders and files of web/ that are not sources: the output, dependencies, Vite's temp files. */
function ignored(name: string): boolean {
  return (
    name === 'dist' ||
    name === 'node_modules' ||
    name === '.git' ||
    name === '.build-lock' ||
    name.includes('.timestamp-')
  );
}

/**
 * The hash of everything the build depends on. Paths are part of it, so renaming or moving a
 * file changes it too; the order is fixed, so the same tree hashes the same on any machine.
 */
export function sourceHash(webRoot: string, repositoryRoot: string): string {
  const hash = createHash('sha256');
  const add = (label: string, path: string) => {
    hash.update(`${label}\0`);
    hash.update(readFileSync(path));
    hash.update('\0');
  };
  const walk = (folder: string, label: string) => {
    let entries: string[];
    try {
      entries = readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (ignored(name)) continue;
      const path = join(folder, name);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats?.isDirectory()) walk(path, `${label}/${name}`);
      else if (stats?.isFile()) add(`${label}/${name}`, path);
    }
  };
  walk(webRoot, 'web');
  walk(join(repositoryRoot, 'shared', 'domain'), 'shared/domain');
  walk(join(repositoryRoot, 'shared', 'routes'), 'shared/routes');
  const lock = join(repositoryRoot, 'package-lock.json');
  if (existsSync(lock)) add('package-lock.json', lock);
  return hash.digest('hex');
}

export const hashFileName = '.source-hash';

/** Builds when needed and says what it did; never throws (the API runs without the app). */
export async function prepareWebApp(options: WebBuildOptions): Promise<WebBuild> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { webRoot, repositoryRoot, log } = options;
  const dist = join(webRoot, 'dist');
  if (!existsSync(join(webRoot, 'vite.config.ts'))) {
    return {
      status: 'skipped',
      dist: null,
      ms: elapsed(),
      reason: `${shown(webRoot, repositoryRoot)}/vite.config.ts does not exist yet`,
    };
  }
  const upToDate = (hash: string) =>
    readText(join(dist, hashFileName)) === hash && existsSync(join(dist, 'index.html'));
  try {
    if (upToDate(sourceHash(webRoot, repositoryRoot))) return { status: 'reused', dist, ms: elapsed() };
    const release = await takeLock(join(webRoot, '.build-lock'));
    try {
      // Hashed again under the lock: another runner may have built it while we waited.
      const hash = sourceHash(webRoot, repositoryRoot);
      if (upToDate(hash)) return { status: 'reused', dist, ms: elapsed() };
      rmSync(join(dist, hashFileName), { force: true });
      await (options.build ?? viteBuild)(webRoot);
      if (!existsSync(join(dist, 'index.html'))) throw new Error('the build wrote no dist/index.html');
      writeFileSync(join(dist, hashFileName), `${hash}\n`);
      return { status: 'built', dist, ms: elapsed() };
    } finally {
      release();
    }
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
    log.error('the web app did not build', error);
    return { status: 'failed', dist: null, ms: elapsed(), reason };
  }
}

async function viteBuild(webRoot: string): Promise<void> {
  // Imported only when a build is needed: Vite takes a second to load.
  const { build } = await import('vite');
  await build({ configFile: join(webRoot, 'vite.config.ts'), root: webRoot, logLevel: 'warn' });
}

/** What a start line says about the app's build. */
export function describeWebBuild(outcome: WebBuild): string {
  const seconds = (outcome.ms / 1000).toFixed(1);
  switch (outcome.status) {
    case 'built':
      return `web app built in ${seconds} s (reused while web/ is unchanged)`;
    case 'reused':
      return `web app build reused (sources unchanged, checked in ${seconds} s)`;
    case 'skipped':
      return `web app not served: ${outcome.reason}`;
    case 'failed':
      return `web app not served: its build failed (${outcome.reason})`;
  }
}

const lockWaitMs = 180_000;

/**
 * A folder as a lock (mkdir is atomic), with the owner's pid inside so that a lock left by a
 * crashed runner is taken over instead of waited on.
 */
async function takeLock(folder: string): Promise<() => void> {
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      mkdirSync(folder);
      writeFileSync(join(folder, 'pid'), String(process.pid));
      return () => rmSync(folder, { recursive: true, force: true });
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
    const owner = Number(readText(join(folder, 'pid')));
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      rmSync(folder, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another npm start holds ${folder}: remove it if none runs`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function shown(path: string, root: string): string {
  const inside = relative(root, path);
  return inside.startsWith('..') ? path : inside.split(sep).join('/');
}
