/**
 * Calls a route's real Lambda handler the way API Gateway would: the handler module named in
 * the route table, an HTTP API payload 2.0 event, and claims shaped as AWS delivers them.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { HttpLambdaHandler } from '#http/handler.ts';
import { defaultRankingScope } from '#http/principal.ts';
import { awsClaims, toApiGatewayEvent } from '#local/apigw-event.ts';
import { lambdaContext } from '#local/lambda.ts';
import { type Role, type RouteName, route } from '#routes/table.ts';

/** Who calls: a staff member (roles from Cognito groups) or, with role `ranking`, the ranking client. */
export interface Caller {
  sub: string;
  roles: Role[];
  unitId: string | null;
  name?: string;
}

export interface InvokeOptions {
  /** Path parameters, filled into the route's path. */
  params?: Record<string, string>;
  query?: URLSearchParams | Record<string, string>;
  /** Sent as JSON (with `content-type: application/json`). */
  body?: unknown;
  /** Sent as is, instead of `body`. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** The caller; null or absent sends no token. */
  as?: Caller | null;
  /** Exact claims instead of those built from `as`, to test odd tokens (still passed through awsClaims). */
  claims?: Record<string, unknown>;
}

export interface InvokeResult {
  status: number;
  /** Header names lowercased. */
  headers: Record<string, string>;
  /** Parsed JSON for JSON and problem+json answers, the text otherwise, undefined when empty. */
  body: unknown;
  /** The ETag header without quotes, or null. */
  etag: string | null;
  /** The response exactly as the handler returned it. */
  raw: APIGatewayProxyStructuredResultV2;
}

const handlerModule = z.object({
  handler: z.custom<HttpLambdaHandler>((value) => typeof value === 'function'),
});

/** The claims a Cognito access token of this caller has, before API Gateway reshapes them. */
export function claimsFor(caller: Caller): Record<string, unknown> {
  if (caller.roles.includes('ranking')) {
    // A client-credentials token: sub is the client ID, no groups, no unit, a custom scope.
    return {
      sub: caller.sub,
      token_use: 'access',
      client_id: caller.sub,
      scope: process.env.RANKING_SCOPE || defaultRankingScope,
    };
  }
  return {
    sub: caller.sub,
    token_use: 'access',
    client_id: 'par-inspect-app',
    username: caller.sub,
    scope: 'aws.cognito.signin.user.admin',
    'cognito:groups': caller.roles,
    ...(caller.unitId === null ? {} : { 'custom:unitId': caller.unitId }),
    ...(caller.name === undefined ? {} : { name: caller.name }),
  };
}

/** Invokes the handler of route `routeName` (its module from the route table) and returns what a client would see. */
export async function invoke(routeName: RouteName, options: InvokeOptions = {}): Promise<InvokeResult> {
  const loaded: unknown = await import(new URL(`../../${route(routeName).handler}`, import.meta.url).href);
  return invokeHandler(handlerModule.parse(loaded).handler, routeName, options);
}

/** Like invoke, with a given handler: for handlers built in tests rather than the route's module. */
export async function invokeHandler(
  handler: HttpLambdaHandler,
  routeName: RouteName,
  options: InvokeOptions = {},
): Promise<InvokeResult> {
  const definition = route(routeName);
  const params = options.params ?? {};
  const path = definition.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`invoke(${routeName}): missing path parameter ${name}`);
    return encodeURIComponent(value);
  });

  const headers: Record<string, string> = { 'user-agent': 'vitest', ...options.headers };
  let body: string | Buffer | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  const rawClaims = options.claims ?? (options.as ? claimsFor(options.as) : null);

  const event = toApiGatewayEvent({
    method: definition.method,
    path,
    routePath: definition.path,
    pathParameters: params,
    query: options.query ?? {},
    headers,
    body,
    claims: rawClaims === null ? null : awsClaims(rawClaims),
  });
  const raw = await handler(event, fakeContext(definition.name));
  return toResult(raw);
}

function toResult(raw: APIGatewayProxyStructuredResultV2): InvokeResult {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const contentType = headers['content-type'] ?? '';
  let body: unknown = raw.body;
  if (raw.body !== undefined && raw.isBase64Encoded) body = Buffer.from(raw.body, 'base64');
  else if (raw.body !== undefined && /^application\/(problem\+)?json/i.test(contentType))
    body = JSON.parse(raw.body);
  if (body === '') body = undefined;
  const etag = headers.etag?.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') ?? null;
  return { status: raw.statusCode ?? 200, headers, body, etag, raw };
}

/** Enough of a Lambda context for the handlers and the logger: the same one local mode uses. */
export const fakeContext = lambdaContext;
