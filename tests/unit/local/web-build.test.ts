/**
 * The web app's build cache and file serving rules, on a scratch folder: what changes the source
 * hash and what does not, build once then reuse, and which paths map to which files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerLog } from '#local/log.ts';
import { cacheControlFor, isApiPath, resolveFile } from '#local/static.ts';
import { prepareWebApp, sourceHash } from '#local/web-build.ts';

let repo: string;
let web: string;
const quiet: RunnerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'par-inspect-build-unit-'));
  web = join(repo, 'web');
  for (const folder of ['web/src', 'web/dist/assets', 'shared/domain', 'shared/routes', 'shared/app']) {
    mkdirSync(join(repo, folder), { recursive: true });
  }
  writeFileSync(join(web, 'vite.config.ts'), 'export default {};\n');
  writeFileSync(join(web, 'src', 'main.ts'), 'console.log(1);\n');
  writeFileSync(join(repo, 'shared', 'domain', 'score.ts'), 'export const a = 1;\n');
  writeFileSync(join(repo, 'shared', 'routes', 'table.ts'), 'export const r = 1;\n');
  writeFileSync(join(repo, 'package-lock.json'), '{}\n');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('the source hash', () => {
  it('changes with web/ sources, the shared domain and routes, the lock file, and file names', () => {
    const base = sourceHash(web, repo);
    expect(sourceHash(web, repo)).toBe(base);
    for (const [path, text] of [
      ['web/src/main.ts', 'console.log(2);\n'],
      ['shared/domain/score.ts', 'export const a = 2;\n'],
      ['shared/routes/table.ts', 'export const r = 2;\n'],
      ['package-lock.json', '{"x":1}\n'],
      ['web/src/new.ts', ''],
    ] as const) {
      const before = sourceHash(web, repo);
      writeFileSync(join(repo, path), text);
      expect(sourceHash(web, repo), path).not.toBe(before);
    }
    const before = sourceHash(web, repo);
    rmSync(join(web, 'src', 'new.ts'));
    writeFileSync(join(web, 'src', 'renamed.ts'), '');
    expect(sourceHash(web, repo)).not.toBe(before);
  });

  it('ignores the build output, dependencies, Vite temp files and the rest of shared/', () => {
    const base = sourceHash(web, repo);
    writeFileSync(join(web, 'dist', 'index.html'), '<html>');
    mkdirSync(join(web, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(web, 'node_modules', 'x', 'index.js'), '');
    writeFileSync(join(web, 'vite.config.ts.timestamp-1700000000000-abc.mjs'), '');
    writeFileSync(join(repo, 'shared', 'app', 'visits.ts'), 'export {};\n');
    expect(sourceHash(web, repo)).toBe(base);
  });
});

describe('prepareWebApp', () => {
  const building = () => {
    let builds = 0;
    const build = async (root: string) => {
      builds++;
      writeFileSync(join(root, 'dist', 'index.html'), `<html>${builds}</html>`);
    };
    return { build, count: () => builds };
  };

  it('builds when there is no recorded hash, then reuses the build until a source changes', async () => {
    const { build, count } = building();
    expect(await prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet, build })).toMatchObject({
      status: 'built',
      dist: join(web, 'dist'),
    });
    expect(await prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet, build })).toMatchObject({
      status: 'reused',
    });
    expect(count()).toBe(1);
    writeFileSync(join(web, 'src', 'main.ts'), 'console.log(3);\n');
    expect((await prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet, build })).status).toBe(
      'built',
    );
    expect(count()).toBe(2);
  });

  it('skips without a vite config, and does not reuse a build that failed', async () => {
    rmSync(join(web, 'vite.config.ts'));
    expect(await prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet })).toMatchObject({
      status: 'skipped',
      dist: null,
    });
    writeFileSync(join(web, 'vite.config.ts'), 'export default {};\n');
    const failing = async () => {
      throw new Error('Transform failed\nwith details');
    };
    expect(
      await prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet, build: failing }),
    ).toMatchObject({ status: 'failed', dist: null, reason: 'Transform failed' });
    const { build, count } = building();
    expect((await prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet, build })).status).toBe(
      'built',
    );
    expect(count()).toBe(1);
  });

  it('lets concurrent starts take turns: the second one reuses what the first one built', async () => {
    const { build, count } = building();
    const slow = async (root: string) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await build(root);
    };
    const outcomes = await Promise.all([
      prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet, build: slow }),
      prepareWebApp({ webRoot: web, repositoryRoot: repo, log: quiet, build: slow }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['built', 'reused']);
    expect(count()).toBe(1);
  });
});

describe('which file a path serves', () => {
  beforeEach(() => {
    writeFileSync(join(web, 'dist', 'index.html'), '<html>');
    writeFileSync(join(web, 'dist', 'assets', 'app-1a2b.js'), '');
    writeFileSync(join(web, 'dist', '.source-hash'), 'abc');
    writeFileSync(join(repo, 'secret.txt'), 'no');
  });

  it('maps / to index.html and files to themselves, never outside dist or to a dotfile', () => {
    const dist = join(web, 'dist');
    expect(resolveFile(dist, '/')?.path).toBe(join(dist, 'index.html'));
    expect(resolveFile(dist, '/assets/app-1a2b.js')?.path).toBe(join(dist, 'assets', 'app-1a2b.js'));
    expect(resolveFile(dist, '/assets/')).toBeNull();
    for (const path of [
      '/../../secret.txt',
      '/%2e%2e/%2e%2e/secret.txt',
      '/..%2f..%2fsecret.txt',
      '/.source-hash',
      '/%E0%A4%A',
      '/assets\\..\\..\\secret.txt',
    ]) {
      expect(resolveFile(dist, path), path).toBeNull();
    }
  });

  it('caches hashed assets for a year and revalidates everything else', () => {
    expect(cacheControlFor('/assets/app-1a2b.js')).toBe('public, max-age=31536000, immutable');
    for (const path of ['/index.html', '/sw.js', '/manifest.webmanifest', '/icons/192.png']) {
      expect(cacheControlFor(path)).toBe('no-cache');
    }
  });

  it('leaves /v1 and /local to the API', () => {
    expect(['/v1', '/v1/units', '/local', '/local/nope'].every(isApiPath)).toBe(true);
    expect(['/', '/visits/1', '/v1x', '/localhost'].some(isApiPath)).toBe(false);
  });
});
