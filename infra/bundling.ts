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

/** Package entry fields in order: ESM builds first, so tree shaking can drop unused exports. */
export const bundleMainFields = ['module', 'main'];
