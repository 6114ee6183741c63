import { bundledFontDir, fontFileName, recordFontFiles, recordFontPackage } from '#config/record-fonts.ts';
import type { WorkerName } from '#routes/table.ts';

/**
 * How every function is bundled: read by ProjectFunction (through NodejsFunction's bundling
 * options) and by bench/cold-start.ts (through esbuild's API), so that the benchmark weighs and
 * starts the bundles that deploy, and floors built the same way.
 */

/** Lets the bundled ESM code load the few CommonJS dependencies that call `require`. */
export const requireBanner =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Lambda's runtime (Node 24), as esbuild names it. */
export const bundleTarget = 'node24';

/**
 * Build-time constants of every function's bundle: `process.env.PAR_TEST_HOOKS` is "off", so the
 * SDK clients' test middlewares (shared/adapters/clients.ts) are dead code esbuild removes. Only
 * the bundles see it; code run from source (tests, `npm start`) reads the real, unset variable.
 */
export const bundleDefine: Readonly<Record<string, string>> = {
  'process.env.PAR_TEST_HOOKS': JSON.stringify('off'),
};

/** Package entry fields in order: ESM builds first, so tree shaking can drop unused exports. */
export const bundleMainFields = ['module', 'main'];

/** A file a function reads at run time, copied into its bundle beside the handler. */
export interface BundledFile {
  /** Relative to the repository root. */
  readonly from: string;
  /** Relative to the bundle's folder (where the handler's `index.mjs` is). */
  readonly to: string;
}

/**
 * The files each function's bundle must carry besides its code: the record worker's Tinos faces
 * (pdfkit embeds them in every record; a bundle has no node_modules to read them from).
 */
export function bundledFilesOf(name: WorkerName | string): readonly BundledFile[] {
  if (name !== ('buildRecord' satisfies WorkerName)) return [];
  return Object.values(recordFontFiles).map((file) => ({
    from: `node_modules/${recordFontPackage}/${file}`,
    to: `${bundledFontDir}/${fontFileName(file)}`,
  }));
}

/** The shell commands that copy `files` from `inputDir` into the bundle at `outputDir` (CDK's afterBundling hook). */
export function copyCommands(inputDir: string, outputDir: string, files: readonly BundledFile[]): string[] {
  const folders = [...new Set(files.map((file) => file.to.slice(0, Math.max(0, file.to.lastIndexOf('/')))))];
  return [
    ...folders.filter(Boolean).map((folder) => `mkdir -p "${outputDir}/${folder}"`),
    ...files.map((file) => `cp "${inputDir}/${file.from}" "${outputDir}/${file.to}"`),
  ];
}
