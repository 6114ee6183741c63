/**
 * Each function bundles only the SDK clients and heavy libraries its use case calls (issue 12,
 * target 2): every route and worker is built the way CDK builds it (infra/bundling.ts), in one
 * esbuild run, and the packages in each bundle are checked against what its route-table access
 * grants. A handler that wires a part it does not need (or a use case that imports an adapter
 * directly) brings its client back into the bundle, and this fails.
 */
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleDefine, bundleMainFields, bundleTarget, requireBanner } from '#infra/bundling.ts';
import { type Access, routes, workers } from '#routes/table.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const functions = [
  ...routes.map((r) => ({ name: r.name, handler: r.handler, access: r.access as Access })),
  ...workers.map((w) => ({ name: w.name, handler: w.handler, access: w.access as Access })),
];

interface BundleContents {
  /** Packages with code in the bundle. */
  packages: Set<string>;
  /** The project's own files with code in the bundle, with their minified bytes. */
  files: Map<string, number>;
}

/** What each function's bundle holds, by function name; `define` as deployed unless told. */
async function bundleContents(
  define: Record<string, string> = { ...bundleDefine },
): Promise<Map<string, BundleContents>> {
  const result = await build({
    entryPoints: Object.fromEntries(functions.map((f) => [f.name, `${repoRoot}${f.handler}`])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: bundleTarget,
    minify: true,
    mainFields: bundleMainFields,
    banner: { js: requireBanner },
    define,
    outdir: '/bundles',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const byName = new Map<string, BundleContents>();
  for (const [file, output] of Object.entries((result.metafile as Metafile).outputs)) {
    const name = file.replace(/^.*\//, '').replace(/\.js$/, '');
    const packages = new Set<string>();
    const files = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match?.[1]) packages.add(match[1]);
      else if (!input.includes('node_modules'))
        files.set(input.replace(/^.*?(shared|functions)\//, '$1/'), bytesInOutput);
    }
    byName.set(name, { packages, files });
  }
  return byName;
}

/** The SDK middlewares only tests and benchmarks install (shared/adapters/clients.ts). */
const testHooks = [
  'shared/adapters/call-log.ts',
  'shared/adapters/round-trip-meter.ts',
  'shared/adapters/fault-injector.ts',
];

/** A package that only some functions may carry, and which access (or function) allows it. */
const guarded: Array<{ pkg: string; allowed: (f: (typeof functions)[number]) => boolean }> = [
  { pkg: '@aws-sdk/client-dynamodb', allowed: (f) => (f.access.table ?? []).length > 0 },
  { pkg: '@aws-sdk/lib-dynamodb', allowed: (f) => (f.access.table ?? []).length > 0 },
  { pkg: '@aws-sdk/client-s3', allowed: (f) => (f.access.bucket ?? []).length > 0 },
  { pkg: '@aws-sdk/lib-storage', allowed: (f) => (f.access.bucket ?? []).length > 0 },
  { pkg: '@aws-sdk/client-eventbridge', allowed: (f) => (f.access.events ?? []).length > 0 },
  { pkg: '@aws-sdk/client-cognito-identity-provider', allowed: (f) => (f.access.userPool ?? []).length > 0 },
  { pkg: 'exifr', allowed: (f) => f.name === 'verifyPhoto' },
  { pkg: 'jpeg-js', allowed: (f) => f.name === 'verifyPhoto' || f.name === 'buildRecord' },
  { pkg: 'exceljs', allowed: (f) => f.name === 'runExport' },
  { pkg: 'pdfkit', allowed: (f) => f.name === 'buildRecord' },
  { pkg: 'docx', allowed: (f) => f.name === 'buildRecord' },
  { pkg: 'pngjs', allowed: (f) => f.name === 'buildRecord' },
];

describe('function bundles', () => {
  it('carry only the SDK clients and libraries their access and use case need', async () => {
    const bundles = new Map(
      [...(await bundleContents())].map(([name, contents]) => [name, contents.packages]),
    );
    expect(bundles.size).toBe(functions.length);
    const misplaced: string[] = [];
    for (const f of functions) {
      const packages = bundles.get(f.name);
      expect(packages, f.name).toBeDefined();
      for (const { pkg, allowed } of guarded) {
        if (packages?.has(pkg) && !allowed(f)) misplaced.push(`${f.name} bundles ${pkg}`);
      }
    }
    expect(misplaced).toEqual([]);
    // The check can fail: the functions that need the clients do carry them.
    expect(bundles.get('getUnit')).toContain('@aws-sdk/client-dynamodb');
    expect(bundles.get('getPhoto')).toContain('@aws-sdk/client-s3');
    expect(bundles.get('createPublication')).toContain('@aws-sdk/client-eventbridge');
    expect(bundles.get('patchStaff')).toContain('@aws-sdk/client-cognito-identity-provider');
    expect(bundles.get('verifyPhoto')).toContain('exifr');
    expect(bundles.get('buildRecord')).toContain('pdfkit');
    expect(bundles.get('getHealth')).not.toContain('@aws-sdk/client-dynamodb');
  });

  it('leave out the test hooks and every other route of the table', async () => {
    const deployed = await bundleContents();
    const carried: string[] = [];
    for (const [name, { files }] of deployed) {
      for (const hook of testHooks) if (files.has(hook)) carried.push(`${name} carries ${hook}`);
      // One route's entry is a few hundred bytes; the whole table is about 7 kB, which only the
      // OpenAPI document needs.
      const table = files.get('shared/routes/table.ts') ?? 0;
      if (table > 1_000 && name !== 'getOpenApi')
        carried.push(`${name} carries ${table} B of the route table`);
    }
    expect(carried).toEqual([]);
    // The check can fail: built without the define, the hooks are back (as tests run them).
    const undefinedHooks = await bundleContents({});
    expect([...(undefinedHooks.get('getUnit')?.files.keys() ?? [])]).toEqual(
      expect.arrayContaining(testHooks),
    );
  });
});
