/**
 * Schemas are written with zod/mini (issue 12, docs/benchmarks.md: classic zod cost every bundle
 * about 440 kB and the phones 25 kB gzipped). Two checks keep it so:
 * - no file under shared/, functions/ or web/src imports classic zod (`zod`, `zod/v4`, `zod/v3`),
 *   and zod/mini is imported as a namespace (`import * as z`): `import { z } from 'zod/mini'`
 *   hands the bundler one object holding all of zod/mini, locales included, which it cannot
 *   tree-shake (getUnit's bundle was 1,147 kB that way, 758 kB as a namespace);
 * - every function's bundle, built with the options CDK uses, contains no classic zod and no
 *   locale but Vietnamese and English, whatever imports them (a dependency included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleMainFields, bundleTarget, requireBanner } from '#infra/bundling.ts';
import { routes, workers } from '#routes/table.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

// Static imports (type ones too), re-exports, dynamic import() and require() of classic zod.
const classicImport =
  /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"]zod(?:\/v4|\/v3|\/v4\/classic[^'"]*)?['"]/;
// `z` taken out of zod/mini by name rather than as the module's namespace.
const namedMiniImport = /import\s+(?:type\s+)?\{[^}]*\bz\b[^}]*\}\s*from\s*['"]zod\/(?:v4\/)?mini['"]/;

/** Where a bundled module comes from, if zod: `v4/classic/schemas.js`, `v4/locales/vi.js`... */
const zodModule = /node_modules\/zod\/(.*)$/;
const allowedLocales = new Set(['v4/locales/en.js', 'v4/locales/vi.js']);

describe('zod imports', () => {
  it('are zod/mini, as a namespace, in shared/, functions/ and web/src', () => {
    const files = [...sourceFiles('shared'), ...sourceFiles('functions'), ...sourceFiles(join('web', 'src'))];
    expect(files.length).toBeGreaterThan(100);
    const texts = files.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
    expect(texts.filter(({ text }) => /['"]zod\/mini['"]/.test(text)).length).toBeGreaterThan(20);
    expect(texts.filter(({ text }) => classicImport.test(text)).map(({ file }) => file)).toEqual([]);
    expect(texts.filter(({ text }) => namedMiniImport.test(text)).map(({ file }) => file)).toEqual([]);
  });

  it('are found by the patterns in every form an import can take', () => {
    for (const line of [
      "import { z } from 'zod';",
      "import type { z } from 'zod';",
      'import * as z from "zod";',
      "import { z } from 'zod/v4';",
      "import { z } from 'zod/v3';",
      "export { z } from 'zod';",
      "const { z } = await import('zod');",
      "import 'zod';",
    ]) {
      expect(classicImport.test(line), line).toBe(true);
    }
    for (const line of ["import * as z from 'zod/mini';", "import en from 'zod/v4/locales/en.js';"]) {
      expect(classicImport.test(line), line).toBe(false);
    }
    expect(namedMiniImport.test("import { z } from 'zod/mini';")).toBe(true);
    expect(namedMiniImport.test("import type { z } from 'zod/mini';")).toBe(true);
    expect(namedMiniImport.test("import * as z from 'zod/mini';")).toBe(false);
  });

  it("leave no classic zod and no other locale in any function's bundle", async () => {
    const entries = [...new Set([...routes, ...workers].map((fn) => fn.handler))];
    expect(entries.length).toBeGreaterThan(30);
    const result = await build({
      entryPoints: entries.map((entry) => join(root, entry)),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: bundleTarget,
      mainFields: bundleMainFields,
      banner: { js: requireBanner },
      outdir: join(root, 'cdk.out', 'zod-imports-check'),
      write: false,
      metafile: true,
      logLevel: 'error',
    });
    // Modules that put code into some bundle: the graph also lists the ones tree shaking dropped
    // (zod/mini re-exports every locale, which must weigh nothing).
    const zodModules = new Set(
      Object.values(result.metafile.outputs).flatMap((output) =>
        Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) =>
          bytesInOutput > 0 ? (zodModule.exec(input)?.[1] ?? []) : [],
        ),
      ),
    );
    expect(zodModules.size).toBeGreaterThan(10);
    const unwanted = [...zodModules].filter(
      (module) =>
        module.startsWith('v4/classic/') ||
        module.startsWith('v3/') ||
        (module.startsWith('v4/locales/') && !allowedLocales.has(module)),
    );
    expect(unwanted).toEqual([]);
    expect([...zodModules].filter((module) => module.startsWith('v4/mini/')).length).toBeGreaterThan(0);
  }, 120_000);
});
