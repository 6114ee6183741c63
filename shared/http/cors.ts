/** Request headers a browser may send: the ones API.md lists. */
const allowedHeaders = 'Authorization, Content-Type, If-Match, Idempotency-Key, Accept-Language';
const allowedMethods = 'GET, PUT, POST, PATCH, DELETE, OPTIONS';
/** Without this, browsers hide ETag (needed for If-Match) and Retry-After from scripts. */
const exposedHeaders = 'ETag, Retry-After';

let cached: { raw: string; matchers: Array<(origin: string) => boolean> } | undefined;

/**
 * Matchers for env `CORS_ALLOWED_ORIGINS` (comma-separated exact origins; an entry ending in
 * `:*`, like `http://localhost:*`, allows any port on that host). Read lazily and re-read when
 * the variable changes, so tests can set it; in Lambda it is parsed once per container.
 */
function originMatchers(): Array<(origin: string) => boolean> {
  const raw = process.env.CORS_ALLOWED_ORIGINS ?? '';
  if (cached?.raw !== raw) {
    const matchers = raw
      .split(',')
      .map((entry) => entry.trim().replace(/\/+$/, ''))
      .filter(Boolean)
      .map((entry) => {
        if (entry.endsWith(':*')) {
          const base = entry.slice(0, -2).toLowerCase();
          return (origin: string) => {
            const lower = origin.toLowerCase();
            return (
              lower === base ||
              (lower.startsWith(`${base}:`) && /^\d{1,5}$/.test(lower.slice(base.length + 1)))
            );
          };
        }
        const exact = entry.toLowerCase();
        return (origin: string) => origin.toLowerCase() === exact;
      });
    cached = { raw, matchers };
  }
  return cached.matchers;
}

/** Whether a browser on `origin` may read our responses. No configured origins allows none. */
export function isAllowedOrigin(origin: string | null | undefined): origin is string {
  return typeof origin === 'string' && origin !== '' && originMatchers().some((matches) => matches(origin));
}

/**
 * CORS headers for an actual (non-preflight) response, errors included. The Origin is echoed
 * only when allowed; `Vary: Origin` is always set because the answer depends on it and caches
 * must not hand one origin's answer to another.
 */
export function corsHeaders(origin: string | null | undefined): Record<string, string> {
  if (!isAllowedOrigin(origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': exposedHeaders,
    vary: 'Origin',
  };
}

/**
 * Headers for the answer to a preflight `OPTIONS` request (the local server answers these; in
 * AWS, API Gateway's CORS configuration does). Empty of grants when the origin is not allowed.
 */
export function corsPreflightHeaders(origin: string | null | undefined): Record<string, string> {
  if (!isAllowedOrigin(origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': allowedMethods,
    'access-control-allow-headers': allowedHeaders,
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}
