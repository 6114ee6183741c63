/**
 * No Chromium outlives the run: a worker whose vitest main process dies (SIGKILL, or a SIGTERM
 * that vitest does not pass on to its workers) closes its browsers and exits, instead of living
 * on as an orphan with a Chromium per test file.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const parentScript = fileURLToPath(new URL('./fixtures/orphan-parent.ts', import.meta.url));
let parent: ChildProcess | undefined;
let workerPid = 0;

afterEach(() => {
  parent?.kill('SIGKILL');
  // If the worker outlived the test (the defect), end it and its browser here.
  if (workerPid > 0 && alive(workerPid)) process.kill(workerPid, 'SIGTERM');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes whose parent is `pid` (pgrep -P). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

it("closes an orphaned worker's Chromium when the test run's main process is killed", async () => {
  parent = spawn(process.execPath, ['--import', 'tsx', parentScript], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workerPid = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no worker within 30 s: ${out}`)), 30_000);
    parent?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /worker (\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  const browsers = childrenOf(workerPid).filter((pid) => {
    try {
      return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).includes(
        'chromium',
      );
    } catch {
      return false;
    }
  });
  expect(browsers.length, 'the worker launched Chromium').toBeGreaterThan(0);

  parent.kill('SIGKILL');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && (alive(workerPid) || browsers.some(alive))) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(alive(workerPid), 'the orphaned worker exited').toBe(false);
  expect(browsers.filter(alive), 'its Chromium is gone').toEqual([]);
});
