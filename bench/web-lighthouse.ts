/**
 * Lighthouse 12.2.3 on `npm start`'s app, mobile form factor (its default: a mid-range phone's
 * screen, simulated slow 4G and a 4x slower CPU), with Debian's Chromium and the browser tests'
 * flags: performance, accessibility and best-practices scores, the median of a few runs
 * (issue 11's bars: at least 90, 95 and 95). Lighthouse 12 has no PWA category any more, so
 * installability is asked of Chromium itself through the DevTools protocol
 * (`Page.getInstallabilityErrors`, which should return none) once the service worker controls
 * the page.
 *
 *   npm run bench:web
 *   npx tsx bench/web-lighthouse.ts --runs 3
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { z } from 'zod';
import { chromiumFlags, chromiumPath } from '#tests/browser/support/browser.ts';
import { startApp, withCleanups } from '#tests/browser/support/start-app.ts';
import { intFlag, median, printTable } from './support/measure.ts';

const runs = intFlag('runs', 3);
const categories = ['performance', 'accessibility', 'best-practices'] as const;
const bars: Record<(typeof categories)[number], number> = {
  performance: 90,
  accessibility: 95,
  'best-practices': 95,
};

const installability = z.object({
  installabilityErrors: z.array(
    z.object({
      errorId: z.string(),
      errorArguments: z.array(z.object({ name: z.string(), value: z.string() })),
    }),
  ),
});

async function main(): Promise<void> {
  await withCleanups(async (cleanups) => {
    const app = await startApp();
    cleanups.push(() => app.stop());

    const chrome = await startChromeForLighthouse();
    cleanups.push(() => chrome.stop());

    const scores: Record<string, number[]> = Object.fromEntries(categories.map((c) => [c, []]));
    const metrics: Record<string, number[]> = {};
    const failing = new Map<string, string>();
    let version = 'unknown';
    for (let run = 0; run < runs; run += 1) {
      const result = await lighthouse(`${app.url}/`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...categories],
        formFactor: 'mobile',
      });
      if (!result) throw new Error('Lighthouse returned no result');
      const { lhr } = result;
      version = lhr.lighthouseVersion;
      if (lhr.runtimeError)
        throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      for (const category of categories) {
        const score = lhr.categories[category]?.score;
        if (typeof score === 'number') scores[category]?.push(Math.round(score * 100));
        for (const ref of lhr.categories[category]?.auditRefs ?? []) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit && typeof audit.score === 'number' && audit.score < 0.9) {
            failing.set(`${category}: ${ref.id}`, `${audit.title} (${audit.displayValue ?? audit.score})`);
          }
        }
      }
      for (const id of [
        'first-contentful-paint',
        'largest-contentful-paint',
        'total-blocking-time',
        'cumulative-layout-shift',
        'speed-index',
      ]) {
        const value = lhr.audits[id]?.numericValue;
        if (typeof value === 'number') metrics[id] = [...(metrics[id] ?? []), value];
      }
      console.log(
        `run ${run + 1}/${runs}: ${categories.map((c) => `${c} ${scores[c]?.at(-1) ?? 'n/a'}`).join(', ')}`,
      );
    }

    console.log(`\nLighthouse ${version} on ${app.url}/ (mobile), median of ${runs}\n`);
    printTable(
      ['category', 'median', 'runs', 'bar', 'met'],
      categories.map((category) => {
        const values = scores[category] ?? [];
        const value = median(values);
        return [
          category,
          String(value),
          values.join(', '),
          `>= ${bars[category]}`,
          value >= bars[category] ? 'yes' : `no (${bars[category] - value} short)`,
        ];
      }),
    );
    console.log('\nMetrics (median)\n');
    printTable(
      ['metric', 'median'],
      Object.entries(metrics).map(([id, values]) => [
        id,
        id === 'cumulative-layout-shift' ? median(values).toFixed(3) : `${Math.round(median(values))} ms`,
      ]),
    );
    if (failing.size > 0) {
      console.log('\nAudits scoring below 0.9 in some run\n');
      printTable(
        ['audit', 'what'],
        [...failing].map(([id, what]) => [id, what]),
      );
    }

    const errors = await installabilityErrors(app.url, chrome.port);
    console.log(
      `\nInstallability (Page.getInstallabilityErrors): ${
        errors.length === 0 ? 'none, installable' : errors.map((e) => e.errorId).join(', ')
      }`,
    );
  });
}

/** Chromium with a debugging port for Lighthouse, a fresh profile, the tests' flags. */
async function startChromeForLighthouse(): Promise<{ port: number; stop(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'par-inspect-lighthouse-'));
  const child: ChildProcess = spawn(
    chromiumPath,
    [...chromiumFlags, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools port:\n${stderr}`)), 30_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`Chromium exited (${code}):\n${stderr}`)));
    });
    return { port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Chromium's own verdict on installing the app, once its service worker controls the page. In
 * Lighthouse's Chromium (a real profile: Playwright's own contexts are off the record, and an
 * off-the-record page is never installable).
 */
async function installabilityErrors(url: string, port: number) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const context = browser.contexts()[0];
    if (!context) throw new Error('Chromium has no default context');
    const page = await context.newPage();
    await page.goto(`${url}/`, { waitUntil: 'networkidle' });
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await page.reload({ waitUntil: 'networkidle' });
    const cdp = await context.newCDPSession(page);
    const errors = installability.parse(await cdp.send('Page.getInstallabilityErrors')).installabilityErrors;
    await page.close();
    return errors;
  } finally {
    // Disconnects only: the Chromium is stopped by its own cleanup.
    await browser.close();
  }
}

await main();
