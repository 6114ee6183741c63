/**
 * Findings export: time and memory at N findings and at N/10 (default 100,000 and 10,000), as
 * CSV and as XLSX (issue 17: the workbook within 3x the CSV's time, under a 64 MiB heap cap).
 *
 * The export must write its CSV page by page with flat memory: an HTTP API answer stops at 6 MB,
 * so a large export runs as a background worker, and a worker that held every row would need
 * memory growing with N. Flat means the export needs about the same memory at N as at N/10:
 * compare the peak heap of the samples, and whether it still completes under a small cap on
 * V8's old space (`--cap-mib`).
 *
 * For each size: a fresh table seeded with approved visits and their findings (parallel
 * BatchWriteItem of the adapters' own item shapes), then createExport + runExport in a child
 * process (bench/support/export-run.ts) sampling its memory every 50 ms, then the CSV read back
 * streaming and its rows counted.
 *
 *   npm run bench                        (both benchmarks)
 *   npx tsx bench/export-memory.ts --findings 50000 --cap-mib 32
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { batchWrite } from '#tests/support/batch-write.ts';
import { exportItems, findingsPerVisit } from './support/export-fixture.ts';
import type { ExportRunMessage, ExportRunResult } from './support/export-run.ts';
import { intFlag, mib, ms, perSecond, printTable, seconds, since } from './support/measure.ts';
import {
  type BenchStorage,
  createStorage,
  type Endpoints,
  storageEnv,
  withEmulators,
} from './support/storage.ts';

interface SizeResult {
  findings: number;
  itemsSeeded: number;
  seedMs: number;
  run: ExportRunResult;
  csvBytes: number;
  csvRows: number;
  /** The same export again with the old space capped: done, or why it died. */
  capped: ExportRunResult | { error: string };
  xlsx: {
    run: ExportRunResult;
    bytes: number;
    rows: number;
    capped: ExportRunResult | { error: string };
  };
}

/**
 * Runs the export in a fresh Node process with the GC exposed (and any extra V8 flags), and
 * returns what it measured.
 */
async function measureExport(
  storage: BenchStorage,
  v8Flags: readonly string[] = [],
  format: 'csv' | 'xlsx' = 'csv',
): Promise<ExportRunResult> {
  const child = fork(fileURLToPath(new URL('./support/export-run.ts', import.meta.url)), [], {
    execArgv: [...process.execArgv, '--expose-gc', ...v8Flags],
    env: { ...process.env, ...storageEnv(storage), EXPORT_FORMAT: format },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  // Only the end matters: a V8 out-of-memory report is a long native stack trace.
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const messages: ExportRunMessage[] = [];
  child.on('message', (message: ExportRunMessage) => messages.push(message));
  const [code, signal] = await once(child, 'exit');
  const message = messages[0];
  if (!message) {
    const outOfMemory = /heap out of memory|Reached heap limit/.test(stderr);
    throw new Error(
      outOfMemory
        ? 'out of memory (JavaScript heap)'
        : `export child exited (${String(code ?? signal)}) with no result: ${stderr.trim().slice(-500)}`,
    );
  }
  if (!message.ok) throw new Error(`export child failed:\n${message.error}`);
  return message.result;
}

/**
 * Streams the object and counts its CSV records: line ends outside quotes, since a quoted cell
 * may hold a line break. Also checks the BOM, so a count of a mangled file is not reported.
 */
async function countCsv(storage: BenchStorage, key: string): Promise<{ bytes: number; records: number }> {
  const object = await storage.s3.send(new GetObjectCommand({ Bucket: storage.bucketName, Key: key }));
  if (!object.Body) throw new Error(`${key} has no body`);
  let bytes = 0;
  let records = 0;
  let quoted = false;
  let first = true;
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) {
    if (first && !(chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)) {
      throw new Error(`${key} does not start with a UTF-8 BOM`);
    }
    first = false;
    bytes += chunk.length;
    for (const byte of chunk) {
      // 0x22 is '"' ("" inside a quoted cell toggles twice), 0x0a is '\n'.
      if (byte === 0x22) quoted = !quoted;
      else if (byte === 0x0a && !quoted) records++;
    }
  }
  return { bytes, records };
}

/**
 * Streams the workbook back through exceljs's reader and counts the rows of its findings sheet
 * (the second; the first is the cover), so a truncated or malformed file is not reported.
 */
async function countXlsx(storage: BenchStorage, key: string): Promise<{ bytes: number; rows: number }> {
  const object = await storage.s3.send(new GetObjectCommand({ Bucket: storage.bucketName, Key: key }));
  if (!object.Body) throw new Error(`${key} has no body`);
  const bytes = Number(object.ContentLength ?? 0);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from(object.Body as AsyncIterable<Uint8Array>),
    {
      sharedStrings: 'ignore',
      styles: 'ignore',
      hyperlinks: 'ignore',
      worksheets: 'emit',
    },
  );
  let sheets = 0;
  let rows = 0;
  for await (const sheet of reader) {
    sheets++;
    for await (const _row of sheet) if (sheets === 2) rows++;
  }
  if (sheets !== 2) throw new Error(`${key} has ${sheets} sheets, not a cover and the findings`);
  return { bytes, rows };
}

const failure = (error: unknown) => ({
  error: error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error),
});

async function measureSize(endpoints: Endpoints, findings: number, warmUp = false): Promise<SizeResult> {
  const table = warmUp ? 'bench-export-warm-up' : `bench-export-${findings}`;
  const storage = await createStorage(endpoints, table, 'bench-exports');
  console.error(`seeding ${findings.toLocaleString('en-US')} findings...`);
  const seedStart = performance.now();
  const itemsSeeded = await batchWrite(storage.documents, exportItems(findings), 12);
  const seedMs = since(seedStart);
  console.error(`  ${itemsSeeded} items in ${seconds(seedMs)}; exporting...`);
  const run = await measureExport(storage);
  const csv = await countCsv(storage, run.objectKey);
  // The header is one record; every other record is one finding.
  const csvRows = csv.records - 1;
  console.error(`  ${csvRows} rows in ${seconds(run.createMs + run.runMs)}, CSV ${mib(csv.bytes)}`);
  // A peak of samples shows how much V8 chose to use, not how much the export needs: V8 lets
  // garbage pile up longer in a longer run. Running again under a small old-space cap tells the
  // two apart: memory that grew with the rows would not fit at 100,000 findings.
  const capped = warmUp
    ? run
    : await measureExport(storage, [`--max-old-space-size=${capMib}`]).catch(failure);
  console.error('  the same as XLSX...');
  const xlsxRun = await measureExport(storage, [], 'xlsx');
  const xlsx = await countXlsx(storage, xlsxRun.objectKey);
  // The header row is one row of the sheet.
  const xlsxRows = xlsx.rows - 1;
  console.error(
    `  ${xlsxRows} rows in ${seconds(xlsxRun.createMs + xlsxRun.runMs)}, XLSX ${mib(xlsx.bytes)}`,
  );
  const xlsxCapped = warmUp
    ? xlsxRun
    : await measureExport(storage, [`--max-old-space-size=${xlsxCapMib}`], 'xlsx').catch(failure);
  return {
    findings,
    itemsSeeded,
    seedMs,
    run,
    csvBytes: csv.bytes,
    csvRows,
    capped,
    xlsx: { run: xlsxRun, bytes: xlsx.bytes, rows: xlsxRows, capped: xlsxCapped },
  };
}

function report(results: readonly SizeResult[]): void {
  console.log('Time:\n');
  printTable(
    ['Findings', 'Items seeded', 'Seed time', 'Export wall', 'Rows/s', 'CSV rows', 'CSV size'],
    results.map(({ findings, itemsSeeded, seedMs, run, csvBytes, csvRows }) => {
      const wall = run.createMs + run.runMs;
      return [
        findings.toLocaleString('en-US'),
        itemsSeeded.toLocaleString('en-US'),
        `${seconds(seedMs)} (${perSecond(itemsSeeded, seedMs)})`,
        seconds(wall),
        perSecond(run.rowCount, wall),
        csvRows === findings ? csvRows.toLocaleString('en-US') : `**${csvRows.toLocaleString('en-US')}**`,
        mib(csvBytes),
      ];
    }),
  );
  console.log('\nMemory of the export process (baseline after a full GC; peak of 50 ms samples):\n');
  printTable(
    [
      'Findings',
      'Heap base',
      'Heap peak',
      'Heap growth',
      'RSS base',
      'RSS peak',
      'RSS growth',
      'Buffers peak',
      'Heap after GC',
    ],
    results.map(({ findings, run }) => [
      findings.toLocaleString('en-US'),
      mib(run.baseline.heapUsed),
      mib(run.peak.heapUsed),
      mib(run.peak.heapUsed - run.baseline.heapUsed),
      mib(run.baseline.rss),
      mib(run.peak.rss),
      mib(run.peak.rss - run.baseline.rss),
      mib(run.peak.arrayBuffers),
      mib(run.retained.heapUsed),
    ]),
  );
  console.log('\nPeak heap / RSS (MiB) in each tenth of the export, in time order:\n');
  printTable(
    ['Findings', ...Array.from({ length: 10 }, (_, tenth) => `${tenth + 1}/10`)],
    results.map(({ findings, run }) => [
      findings.toLocaleString('en-US'),
      ...run.peak.tenths.map((point) =>
        point ? `${Math.round(point.heapUsed / 2 ** 20)} / ${Math.round(point.rss / 2 ** 20)}` : '-',
      ),
    ]),
  );
  console.log(`\nThe same export again with the old space capped (--max-old-space-size=${capMib}):\n`);
  printTable(
    ['Findings', 'Outcome', 'Export wall', 'Heap peak', 'RSS peak', 'Buffers peak'],
    results.map(({ findings, capped }) =>
      'error' in capped
        ? [findings.toLocaleString('en-US'), `failed: ${capped.error}`, '-', '-', '-', '-']
        : [
            findings.toLocaleString('en-US'),
            `${capped.rowCount.toLocaleString('en-US')} rows`,
            seconds(capped.createMs + capped.runMs),
            mib(capped.peak.heapUsed),
            mib(capped.peak.rss),
            mib(capped.peak.arrayBuffers),
          ],
    ),
  );
  console.log(
    `\nThe same findings as XLSX (exceljs WorkbookWriter, shared strings off); capped: --max-old-space-size=${xlsxCapMib}:\n`,
  );
  printTable(
    [
      'Findings',
      'XLSX wall',
      'CSV wall',
      'XLSX / CSV',
      'XLSX rows',
      'XLSX size',
      'Heap peak',
      'RSS peak',
      'Capped outcome',
      'Capped wall',
      'Capped heap peak',
    ],
    results.map(({ findings, run, xlsx }) => {
      const wall = xlsx.run.createMs + xlsx.run.runMs;
      const csvWall = run.createMs + run.runMs;
      const capped = xlsx.capped;
      return [
        findings.toLocaleString('en-US'),
        seconds(wall),
        seconds(csvWall),
        `${(wall / csvWall).toFixed(2)}x`,
        xlsx.rows === findings
          ? xlsx.rows.toLocaleString('en-US')
          : `**${xlsx.rows.toLocaleString('en-US')}**`,
        mib(xlsx.bytes),
        mib(xlsx.run.peak.heapUsed),
        mib(xlsx.run.peak.rss),
        ...('error' in capped
          ? [`failed: ${capped.error}`, '-', '-']
          : [
              `${capped.rowCount.toLocaleString('en-US')} rows`,
              seconds(capped.createMs + capped.runMs),
              mib(capped.peak.heapUsed),
            ]),
      ];
    }),
  );
  const [small, large] = results;
  if (small && large) {
    const heapGrowth = (r: SizeResult) => r.run.peak.heapUsed - r.run.baseline.heapUsed;
    const rssGrowth = (r: SizeResult) => r.run.peak.rss - r.run.baseline.rss;
    console.log(
      `\n${large.findings / small.findings}x the findings: peak heap growth x${(heapGrowth(large) / heapGrowth(small)).toFixed(2)}, ` +
        `peak RSS growth x${(rssGrowth(large) / rssGrowth(small)).toFixed(2)}; ` +
        `createExport ${ms(small.run.createMs)} / ${ms(large.run.createMs)}; ` +
        `${small.run.peak.samples} / ${large.run.peak.samples} memory samples; ${findingsPerVisit} findings per visit.`,
    );
  }
}

const findings = intFlag('findings', 100_000);
const warmUpFindings = 2_000;
const capMib = intFlag('cap-mib', 32);
const xlsxCapMib = intFlag('xlsx-cap-mib', 64);
const sizes = [Math.max(1, Math.round(findings / 10)), findings];
console.log(`# Findings export (${new Date().toISOString()}, Node ${process.version})\n`);
await withEmulators(async (endpoints) => {
  // Unmeasured: DynamoDB Local's JVM is several times slower until it has warmed up, which
  // would otherwise make the first size look slow for reasons that are not the export's.
  console.error('warming up...');
  await measureSize(endpoints, warmUpFindings, true);
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await measureSize(endpoints, size));
  report(results);
  // Figures first, then the verdict: a wrong row count fails the run, but its timings still show.
  const wrong = results.filter(
    (r) =>
      r.csvRows !== r.findings ||
      r.run.rowCount !== r.findings ||
      ('rowCount' in r.capped && r.capped.rowCount !== r.findings) ||
      r.xlsx.rows !== r.findings ||
      r.xlsx.run.rowCount !== r.findings ||
      ('rowCount' in r.xlsx.capped && r.xlsx.capped.rowCount !== r.findings),
  );
  for (const r of wrong) {
    const capped = 'rowCount' in r.capped ? `, the capped run's job ${r.capped.rowCount}` : '';
    console.error(
      `\nFAILED: seeded ${r.findings} committed findings, the CSV has ${r.csvRows} rows, the job says ${r.run.rowCount}${capped}; the XLSX has ${r.xlsx.rows} rows.`,
    );
  }
  if (wrong.length > 0) process.exitCode = 1;
});
