import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const domainDir = join(root, 'shared/domain');

// Pure means no cloud SDK, no framework, and no I/O: nothing that reaches outside the process.
const forbiddenPackages = [
  /^@aws-sdk\//,
  /^aws-cdk-lib(\/|$)/,
  /^constructs$/,
  /^@middy\//,
  /^@aws-lambda-powertools\//,
];
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(c|m)?[jt]sx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file imports, re-exports, requires or imports dynamically. */
function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1] ?? ''));
}

describe('shared/domain stays pure', () => {
  const files = sourceFiles(domainDir);

  it('finds the domain sources', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('the import scanner sees every form of import', () => {
    const sample = [
      "import { S3Client } from '@aws-sdk/client-s3';",
      "import type { X } from 'node:fs';",
      "export * from 'aws-cdk-lib/aws-s3';",
      "import 'node:http';",
      "const m = await import('child_process');",
    ].join('\n');
    expect(specifiers(sample)).toEqual([
      '@aws-sdk/client-s3',
      'node:fs',
      'aws-cdk-lib/aws-s3',
      'node:http',
      'child_process',
    ]);
  });

  it.each(files.map((file) => [relative(root, file), file]))(
    '%s imports no AWS, middy or node module',
    (_name, file) => {
      const offending = specifiers(readFileSync(file, 'utf8')).filter(
        (specifier) =>
          builtins.has(specifier) || forbiddenPackages.some((pattern) => pattern.test(specifier)),
      );
      expect(offending).toEqual([]);
    },
  );
});
