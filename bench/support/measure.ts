/** Timing, memory sampling and formatting shared by the benchmarks. */

export interface MemoryPoint {
  rss: number;
  heapUsed: number;
  /** Buffers outside the JS heap (an upload's parts); part of rss. */
  arrayBuffers: number;
}

export interface MemoryPeak extends MemoryPoint {
  samples: number;
  /**
   * The peak of each tenth of the run, in time order: memory that grows with the rows written
   * keeps climbing to the last tenth, while flat memory levels off early. Null: no sample fell
   * in that tenth (a run of a few samples).
   */
  tenths: Array<MemoryPoint | null>;
}

const peakOf = (points: readonly MemoryPoint[]): MemoryPoint => ({
  rss: Math.max(0, ...points.map((p) => p.rss)),
  heapUsed: Math.max(0, ...points.map((p) => p.heapUsed)),
  arrayBuffers: Math.max(0, ...points.map((p) => p.arrayBuffers)),
});

/**
 * Samples `process.memoryUsage()` every `intervalMs` until stopped. The timer runs on the same
 * event loop as the work measured, which awaits I/O every page, so samples keep coming; the
 * last sample is taken at stop, so a peak at the very end is not missed.
 */
export function sampleMemory(intervalMs = 50): { stop(): MemoryPeak } {
  const samples: Array<MemoryPoint & { at: number }> = [];
  const sample = () => samples.push({ ...memoryNow(), at: performance.now() });
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const first = samples[0]?.at ?? 0;
      const span = Math.max(1, (samples.at(-1)?.at ?? first) - first);
      const tenths = Array.from({ length: 10 }, (_, tenth) => {
        const inTenth = samples.filter(
          (p) => Math.min(9, Math.floor(((p.at - first) / span) * 10)) === tenth,
        );
        return inTenth.length > 0 ? peakOf(inTenth) : null;
      });
      return { ...peakOf(samples), samples: samples.length, tenths };
    },
  };
}

export function memoryNow(): MemoryPoint {
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, arrayBuffers };
}

/** Milliseconds since `start` (a performance.now() reading). */
export function since(start: number): number {
  return performance.now() - start;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const ms = (millis: number) => `${Math.round(millis)} ms`;
export const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;
export const perSecond = (count: number, millis: number) =>
  `${Math.round(count / (millis / 1000)).toLocaleString('en-US')}/s`;

/** Prints a Markdown table, so the figures can go into docs/benchmarks.md as they are. */
export function printTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => ' --- ').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** `--name value` from the command line, as a positive integer, or the fallback. */
export function intFlag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`--${name} wants a positive integer, got ${process.argv[index + 1] ?? 'nothing'}`);
  }
  return value;
}
