/**
 * One measured export, run in a child process of bench/export-memory.ts: the parent hosts
 * s3rver (which buffers uploaded parts) and the seeding, and both would blur the memory figures
 * if they shared this process. The table and bucket come from the environment, as in a Lambda.
 *
 * Started with --expose-gc so the baseline and the retained heap are read after a full
 * collection; the peak is whatever the 50 ms samples saw, garbage included, as a Lambda's
 * memory limit would.
 */
import { allDeps } from '#adapters/all-parts.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { createExport, runExport } from '#app/exports.ts';
import type { EventPublisher } from '#ports/events.ts';
import { manager, province } from './export-fixture.ts';
import { type MemoryPeak, type MemoryPoint, memoryNow, sampleMemory, since } from './measure.ts';

export interface ExportRunResult {
  exportId: string;
  objectKey: string;
  rowCount: number;
  createMs: number;
  runMs: number;
  baseline: MemoryPoint;
  peak: MemoryPeak;
  retained: MemoryPoint;
}

export type ExportRunMessage = { ok: true; result: ExportRunResult } | { ok: false; error: string };

/** CSV unless the parent asks for a workbook. */
const format = process.env.EXPORT_FORMAT === 'xlsx' ? 'xlsx' : 'csv';

// The worker is started here directly, so the event that would start it goes nowhere.
const noEvents: EventPublisher = { async publish() {} };

function collect(): void {
  if (!globalThis.gc) throw new Error('export-run needs --expose-gc');
  globalThis.gc();
  globalThis.gc();
}

async function main(): Promise<ExportRunResult> {
  configureDeps({ events: noEvents });
  const app = allDeps();
  // Warm up: SDK clients, credentials and lazily loaded modules are paid for before the baseline.
  await app.units.getUnit(province.unitId);
  await app.files.inspect('exports/warm-up.csv');
  collect();
  const baseline = memoryNow();

  const sampler = sampleMemory(50);
  const started = performance.now();
  const created = await createExport(app, manager, { kind: 'findings', format, filters: {} }, 'vi', null);
  const createMs = since(started);
  const run = await runExport(app, created.body.exportId);
  const runMs = since(started) - createMs;
  const peak = sampler.stop();

  if (run.outcome !== 'ready') {
    const reason = run.outcome === 'skipped' ? run.reason : String(run.error);
    throw new Error(`export ${run.outcome}: ${reason}`);
  }
  collect();
  return {
    exportId: created.body.exportId,
    objectKey: `exports/${created.body.exportId}.${format}`,
    rowCount: run.rowCount,
    createMs,
    runMs,
    baseline,
    peak,
    retained: memoryNow(),
  };
}

function reply(message: ExportRunMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send) process.send(message, () => resolve());
    else {
      console.log(JSON.stringify(message));
      resolve();
    }
  });
}

main().then(
  (result) => reply({ ok: true, result }).then(() => process.exit(0)),
  (error: unknown) =>
    reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }).then(
      () => process.exit(1),
    ),
);
