/**
 * Builds web/src/sw.ts into one classic script, `sw.js` at the site root, after the app itself
 * is written: the service worker then knows every file of this build (its precache list) and a
 * version derived from their bytes, so any change to the app installs a new service worker and
 * an unchanged build reinstalls nothing. A classic script (IIFE) rather than a module worker,
 * because module service workers are missing from some Safari versions still in use.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { type Alias, build, type Plugin, type ResolvedConfig } from 'vite';

export interface ServiceWorkerOptions {
  /** Absolute path of the service worker's source. */
  entry: string;
  aliases: Alias[];
  /**
   * Build files left out of the precache (and of the version): the managers' console, which an
   * inspector's phone must never download.
   */
  exclude?: (file: string) => boolean;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The Vite plugin; it does nothing under `vite dev` (no service worker while developing). */
export function serviceWorker(options: ServiceWorkerOptions): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'par-inspect:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const files = (await filesUnder(outDir)).filter(
        (file) => file !== 'sw.js' && options.exclude?.(file) !== true,
      );
      const hash = createHash('sha256');
      for (const file of files) {
        hash.update(file);
        hash.update(await readFile(join(outDir, file)));
      }
      const version = hash.digest('hex').slice(0, 16);
      const precache = files.map((file) => `/${file}`);
      await build({
        configFile: false,
        root: config.root,
        publicDir: false,
        logLevel: 'warn',
        resolve: { alias: options.aliases },
        define: {
          __PRECACHE__: JSON.stringify(precache),
          __SHELL_VERSION__: JSON.stringify(version),
        },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: 'es2022',
          reportCompressedSize: false,
          lib: {
            entry: options.entry,
            formats: ['iife'],
            name: 'parInspectServiceWorker',
            fileName: () => 'sw.js',
          },
        },
      });
      config.logger.info(`service worker sw.js: ${precache.length} files precached, version ${version}`);
    },
  };
}
