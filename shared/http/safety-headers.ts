/**
 * The headers every API answer carries (handlers, problems, the `$default` route, local mode).
 * `nosniff`: a browser never second-guesses the declared type, so no answer is ever run as a
 * page or a script. `no-store`: answers hold personal data and the state of evidence, so no
 * browser or proxy keeps a copy, unless a route states its own Cache-Control (an immutable
 * publication, the OpenAPI document). Neither needs exposing through CORS.
 */
export const safetyHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** `headers` (lowercase names) with the safety headers: a route's own Cache-Control stays. */
export function withSafetyHeaders(headers: Record<string, string>): Record<string, string> {
  return { ...safetyHeaders, ...headers, 'x-content-type-options': 'nosniff' };
}
