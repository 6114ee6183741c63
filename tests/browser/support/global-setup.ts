/**
 * Global setup of the browser project: the web app built once for the run, and one `npm start`
 * server for all the test files (they run one after another, each as its own inspector on its
 * own ward), stopped at the end, also when the run fails or is interrupted.
 *
 * The server serves a snapshot of the build, not web/dist itself: a developer's `npm start` or
 * Vite build rewriting web/dist in the middle of the run would otherwise hand the phone chunks
 * of two different builds (an index whose lazy chunks the service worker never precached).
 * The snapshot is a web folder of its own (LOCAL_WEB_ROOT) whose dist/ carries the hash the
 * runner expects, so the runner reuses it instead of building.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { consoleLog } from '#local/log.ts';
import { describeWebBuild, hashFileName, prepareWebApp, sourceHash } from '#local/web-build.ts';
import { repositoryRoot, startApp } from './start-app.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server's `http://localhost:PORT`. */
    appUrl: string;
    /** A file the server's output is appended to (its request log). */
    appLog: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = Date.now();
  const build = await prepareWebApp({
    webRoot: join(repositoryRoot, 'web'),
    repositoryRoot,
    log: consoleLog(),
  });
  if (build.dist === null) throw new Error(`the browser tests need the web app: ${describeWebBuild(build)}`);

  const folder = mkdtempSync(join(tmpdir(), 'par-inspect-browser-'));
  const webRoot = join(folder, 'web');
  cpSync(build.dist, join(webRoot, 'dist'), { recursive: true });
  // Never used to build: the hash below says the snapshot is up to date. If the shared sources
  // change before the server checks, its build fails loudly here instead of mixing builds.
  writeFileSync(
    join(webRoot, 'vite.config.ts'),
    "throw new Error('a snapshot of the web build for the browser tests: not buildable');\n",
  );
  writeFileSync(join(webRoot, 'dist', hashFileName), `${sourceHash(webRoot, repositoryRoot)}\n`);

  const logFile = join(folder, 'server.log');
  writeFileSync(logFile, '');
  const stopAll = async () => {
    await app?.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
  try {
    app = await startApp({ logFile, env: { LOCAL_WEB_ROOT: webRoot } });
  } catch (error) {
    await stopAll();
    throw error;
  }
  console.log(
    `browser tests: ${describeWebBuild(build)}; npm start's server at ${app.url} (${Date.now() - t0} ms in all)`,
  );
  project.provide('appUrl', app.url);
  project.provide('appLog', logFile);
  return stopAll;
}
