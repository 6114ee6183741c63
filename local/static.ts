/**
 * The built web app (`web/dist`) at `/` of the API's port, and `/app-config.json` telling it
 * where the API and the OIDC provider are. Only what no API route matched comes here: a file of
 * the build, else, for a navigation outside `/v1/` and `/local/`, the app's `index.html` (the
 * app routes in the browser). Everything else keeps the default route's problem+json 404.
 */
import { type Stats, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '#infra/web-csp.ts';
import type { LocalHandler, LocalRequest, LocalResponse } from './dispatch.ts';

export interface SiteOptions {
  /** The build output folder; null when the app is not built (`--no-web`, no vite config). */
  dist: string | null;
  /** The API's public URL (`http://localhost:3000`). */
  publicUrl: string;
  /** The OIDC issuer, `${publicUrl}/local`. */
  issuer: string;
  clientId: string;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The app's policy, built like the one CloudFront sends (infra/web-csp.ts) but with every
 * source on the app's own origin: locally the API, the OIDC provider and s3rver (/local/s3) are
 * all served from it. Photos are previewed from blob: and data: URLs.
 */
export const appContentSecurityPolicy = contentSecurityPolicy();

/** Paths the app never owns: the API and the local-only routes answer there, files or not. */
export function isApiPath(pathname: string): boolean {
  return (
    pathname === '/v1' ||
    pathname.startsWith('/v1/') ||
    pathname === '/local' ||
    pathname.startsWith('/local/')
  );
}

/** Whether the request is a browser navigation (a page load), which the app's shell answers. */
export function isNavigation(request: LocalRequest): boolean {
  const accept = headerOf(request, 'accept') ?? '';
  return accept.toLowerCase().includes('text/html');
}

export function createSiteHandler(options: SiteOptions): LocalHandler {
  const config = Buffer.from(
    JSON.stringify({
      apiBaseUrl: options.publicUrl,
      oidc: { authority: options.issuer, clientId: options.clientId, scope: 'openid profile' },
      mode: 'local',
    }),
  );
  return async (request, url) => {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return null;
    if (url.pathname === '/app-config.json') {
      // Read at every start of the app, so a restart with another address is seen at once.
      return answer(
        200,
        { 'content-type': contentTypes['.json'] ?? '', 'cache-control': 'no-cache' },
        config,
      );
    }
    if (options.dist === null || isApiPath(url.pathname)) return null;
    const file = resolveFile(options.dist, url.pathname);
    if (file) return serveFile(request, file.path, file.stats, url.pathname);
    if (!isNavigation(request)) return null;
    const index = resolveFile(options.dist, '/index.html');
    return index ? serveFile(request, index.path, index.stats, '/index.html') : null;
  };
}

/**
 * The file of the build that `pathname` names, or null: never outside the folder, never a
 * dotfile (such as the build's `.source-hash`), `/` meaning `index.html`.
 */
export function resolveFile(root: string, pathname: string): { path: string; stats: Stats } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  const relative = normalize(segments.join(sep));
  const path = join(root, relative === '.' || relative === '' ? 'index.html' : relative);
  if (!(path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`))) return null;
  try {
    const stats = statSync(path);
    if (stats.isFile()) return { path, stats };
    if (stats.isDirectory()) {
      const index = join(path, 'index.html');
      const indexStats = statSync(index);
      return indexStats.isFile() ? { path: index, stats: indexStats } : null;
    }
  } catch {
    // absent
  }
  return null;
}

/**
 * Hashed build assets never change under their name: cached for a year. Everything else
 * (index.html, sw.js, the manifest, icons) is revalidated on each use, so a new build is picked
 * up at once and the service worker can see that it changed.
 */
export function cacheControlFor(pathname: string): string {
  return pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

async function serveFile(
  request: LocalRequest,
  path: string,
  stats: Stats,
  pathname: string,
): Promise<LocalResponse> {
  const type = contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'content-type': type,
    'cache-control': cacheControlFor(pathname),
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (type.startsWith('text/html')) {
    headers['content-security-policy'] = appContentSecurityPolicy;
    headers['referrer-policy'] = 'same-origin';
  }
  const tags = headerOf(request, 'if-none-match')
    ?.split(',')
    .map((tag) => tag.trim());
  if (tags?.includes(etag) || tags?.includes('*')) return answer(304, headers, Buffer.alloc(0));
  return answer(200, headers, await readFile(path));
}

function answer(status: number, headers: Record<string, string>, body: Buffer): LocalResponse {
  return { status, headers, cookies: [], body };
}

function headerOf(request: LocalRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : value?.join(',');
  }
  return undefined;
}
