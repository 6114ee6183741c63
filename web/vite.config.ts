/**
 * The inspector's app. `npm run build:web` and the local server (Vite's JS API:
 * `build({ configFile: 'web/vite.config.ts', root: 'web' })`) both build it into web/dist, with
 * the service worker as a separate single file, `sw.js`, at the root of the site.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serviceWorker } from './build/service-worker.ts';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = fileURLToPath(new URL('..', import.meta.url));

/** Where the console's chunks go: outside the service worker's precache (see the plugin). */
export const consoleAssets = 'assets/console/';
/** The modules only the console uses: its screens, its route contracts, its chart library. */
const consoleModule =
  /web[\\/]src[\\/]console[\\/]|shared[\\/]routes[\\/]contracts[\\/](findings|scores|publications|exports)\.ts|node_modules[\\/]uplot[\\/]/;

/**
 * The package.json `imports` aliases the browser code may use: the domain and the route
 * contracts only (ARCHITECTURE.md: never app/, adapters/ or http/, which are simply not mapped,
 * so importing them fails the build).
 */
export const webAliases = [
  { find: /^#domain\/(.*)$/, replacement: `${repoDir}shared/domain/$1` },
  { find: /^#routes\/(.*)$/, replacement: `${repoDir}shared/routes/$1` },
];

export default defineConfig({
  root: webDir,
  base: '/',
  publicDir: 'public',
  resolve: { alias: webAliases },
  // Preact's automatic JSX runtime through Vite's own transformer (Oxc): no Babel toolchain.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The first screen's budget is measured in gzipped bytes; reported by build:web.
    reportCompressedSize: true,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The service worker's nested build runs in closeBundle and takes a second or two: expected,
      // not a slow plugin worth a warning in every `npm start`.
      checks: { bundlerTimings: false },
      output: {
        codeSplitting: {
          // zod arrives with the domain and the contracts: one chunk, loaded with the outbox and
          // the visit screen, never on the critical path of the first screen.
          // The console's own route contracts stay out of it (they go with the console's chunk).
          groups: [
            {
              name: 'domain',
              test: /node_modules[\\/]zod[\\/]|shared[\\/](domain|routes[\\/](?!contracts[\\/](findings|scores|publications|exports)\.ts))/,
            },
          ],
        },
        // The console's chunks (every module of them the console's own) go under assets/console/,
        // which the service worker never precaches: an inspector's phone never downloads them.
        chunkFileNames: (chunk) =>
          chunk.moduleIds.length > 0 && chunk.moduleIds.every((id) => consoleModule.test(id))
            ? `${consoleAssets}[name]-[hash].js`
            : 'assets/[name]-[hash].js',
        assetFileNames: (asset) =>
          asset.originalFileNames.length > 0 &&
          asset.originalFileNames.every((file) => consoleModule.test(file))
            ? `${consoleAssets}[name]-[hash][extname]`
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
  plugins: [
    serviceWorker({
      entry: `${webDir}src/sw.ts`,
      aliases: webAliases,
      exclude: (file) => file.startsWith(consoleAssets),
    }),
  ],
});
