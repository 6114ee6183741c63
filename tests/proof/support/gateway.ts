/**
 * The API as a client meets it, in this process: the local dispatcher (API Gateway's JWT
 * authorizer and route matching, local/dispatch.ts) in front of every route's real handler
 * module, with tokens signed by a token authority of its own. The proof suites send every
 * request through it, so a refusal by the authorizer and one by the handler are both seen.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, type Dispatch } from '#local/dispatch.ts';
import { type LambdaHandler, loadHandler } from '#local/lambda.ts';
import { consoleLog } from '#local/log.ts';
import { loadTokenAuthority, type TokenAuthority } from '#local/tokens.ts';
import { type Role, type RouteDefinition, routes } from '#routes/table.ts';

/** A request of one route: path parameters, query, JSON body and extra headers. */
export interface Probe {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is instead of `body`. */
  rawBody?: Buffer;
  headers?: Record<string, string>;
  /** The path exactly as sent (already encoded), instead of the route's path with `params`. */
  rawPath?: string;
  /** The query exactly as sent (already encoded, without `?`), instead of `query`. */
  rawQuery?: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON for JSON answers, the text otherwise. */
  body: unknown;
  text: string;
}

export interface Gateway {
  tokens: TokenAuthority;
  /** The authority's signing key (JSON: kid, privateJwk), to forge tokens with. */
  keyFile: string;
  /** A token of `role` whose jurisdiction is `unitId` (none for ranking). */
  token(role: Role, unitId: string | null, sub: string): Promise<string>;
  /** Sends `probe` to `route` with `authorization` (a whole header value) or none. */
  send(route: RouteDefinition, probe: Probe, authorization: string | null): Promise<Answer>;
  dispatch: Dispatch;
}

/** The path of `route` with `params` filled in, exactly as given (already encoded or not). */
export function pathOf(route: Pick<RouteDefinition, 'path'>, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
}

export async function startGateway(): Promise<Gateway> {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'par-inspect-proof-key-')), 'key.json');
  const tokens = await loadTokenAuthority(keyFile, 'http://localhost:3999/local');
  const handlers = new Map<string, LambdaHandler | null>(
    await Promise.all(routes.map(async (route) => [route.name, await loadHandler(route.handler)] as const)),
  );
  const notFound = await loadHandler('functions/fallback/not-found.ts');
  if (!notFound) throw new Error('functions/fallback/not-found.ts is missing');
  const dispatch = createDispatcher({ tokens, handlers, notFound, log: consoleLog({ quiet: true }) });

  return {
    tokens,
    keyFile,
    dispatch,
    token: (role, unitId, sub) =>
      tokens.sign(role === 'ranking' ? { role, sub } : { role, unitId: unitId ?? undefined, sub }),
    async send(route, probe, authorization) {
      const query = probe.rawQuery ?? new URLSearchParams(probe.query ?? {}).toString();
      const url = `${probe.rawPath ?? pathOf(route, probe.params)}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = { 'user-agent': 'proof', ...probe.headers };
      if (authorization !== null) headers.authorization = authorization;
      let body = probe.rawBody;
      if (body === undefined && probe.body !== undefined) {
        body = Buffer.from(JSON.stringify(probe.body));
        headers['content-type'] ??= 'application/json';
      }
      const response = await dispatch({ method: route.method, url, headers, body });
      const text = response.body.toString('utf8');
      const contentType = response.headers['content-type'] ?? '';
      let parsed: unknown = text;
      if (/json/i.test(contentType) && text.length > 0) parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
  };
}
