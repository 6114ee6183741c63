/**
 * Builds the events API Gateway HTTP APIs (payload format 2.0) hand to Lambda, so the local
 * server and the tests drive the real handlers with exactly what they get in AWS.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type RouteDefinition, routes } from '#routes/table.ts';

/** A claim value as the JWT authorizer passes it on. */
export type AwsClaimValue = string | number | boolean | string[];

/** What toApiGatewayEvent needs to know about one request. */
export interface ApiGatewayRequest {
  method: string;
  /** The actual path, e.g. `/v1/visits/abc`. */
  path: string;
  /** The matched route's path, e.g. `/v1/visits/{visitId}`. */
  routePath: string;
  pathParameters?: Record<string, string>;
  query?: URLSearchParams | Record<string, string>;
  /** Names in any case; an array is one header sent several times. */
  headers?: Record<string, string | readonly string[] | undefined>;
  body?: string | Buffer | undefined;
  /** Verified token claims (pass them through awsClaims for AWS's shapes); null on public routes. */
  claims: Record<string, unknown> | null;
  sourceIp?: string;
}

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
const textualType = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/**
 * The event API Gateway gives Lambda for this request: lowercased headers (repeats joined by
 * commas), `cookies` split out, query parameters with repeats joined by commas, a `$default`
 * stage, and the JWT authorizer's claims. A binary body is base64 with `isBase64Encoded`.
 */
export function toApiGatewayEvent(
  request: ApiGatewayRequest,
): APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2 {
  const method = request.method.toUpperCase();
  const routeKey = `${method} ${request.routePath}`;
  const sourceIp = request.sourceIp ?? '127.0.0.1';

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const joined = typeof value === 'string' ? value : value.join(',');
    if (lower === 'cookie') {
      cookies = joined.split(/;\s*/).filter(Boolean);
      continue;
    }
    headers[lower] = headers[lower] === undefined ? joined : `${headers[lower]},${joined}`;
  }
  headers['x-forwarded-for'] ??= sourceIp;

  const search =
    request.query instanceof URLSearchParams ? request.query : new URLSearchParams(request.query ?? {});
  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of search) {
    const previous = queryStringParameters[key];
    queryStringParameters[key] = previous === undefined ? value : `${previous},${value}`;
  }

  const { body, isBase64Encoded } = encodeBody(request.body, headers['content-type']);
  const now = new Date();
  const requestContext = {
    accountId: '123456789012',
    apiId: 'local',
    domainName: headers.host ?? 'localhost',
    domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
    http: {
      method,
      path: request.path,
      protocol: 'HTTP/1.1',
      sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    // API Gateway's request IDs look like `JDnYqjS0IAMEa1Q=`.
    requestId: randomBytes(10).toString('base64'),
    routeKey,
    stage: '$default',
    time: formatClf(now),
    timeEpoch: now.getTime(),
  };

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: search.toString(),
    headers,
    requestContext,
    isBase64Encoded,
  };
  if (cookies) event.cookies = cookies;
  if (Object.keys(queryStringParameters).length > 0) event.queryStringParameters = queryStringParameters;
  if (request.pathParameters && Object.keys(request.pathParameters).length > 0) {
    event.pathParameters = { ...request.pathParameters };
  }
  if (body !== undefined) event.body = body;

  if (request.claims === null) return event;
  return {
    ...event,
    requestContext: {
      ...requestContext,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: claimValues(request.claims), scopes: null },
      },
    },
  };
}

/**
 * Claims the way API Gateway's JWT authorizer passes them on: arrays become the string
 * `[admin manager]`, numbers and booleans become strings, objects become JSON text.
 */
export function awsClaims(claims: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) result[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') result[name] = JSON.stringify(value);
    else result[name] = String(value);
  }
  return result;
}

/** A route of the table matched against an actual request, with its path parameters. */
export interface RouteMatch {
  route: RouteDefinition;
  pathParameters: Record<string, string>;
}

/**
 * Finds the route for a method and actual path, as API Gateway does: `{name}` matches one
 * non-empty segment (URL-decoded), and literal segments win over parameters when two match.
 * Null when nothing matches (API Gateway's default route then answers 404).
 */
export function matchRoute(method: string, path: string): RouteMatch | null {
  const segments = path.split('?')[0]?.split('/') ?? [];
  const wanted = method.toUpperCase();
  let best: (RouteMatch & { literals: number }) | null = null;
  for (const candidate of routes as readonly RouteDefinition[]) {
    if (candidate.method !== wanted) continue;
    const pattern = candidate.path.split('/');
    if (pattern.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    let literals = 0;
    const matches = pattern.every((part, index) => {
      const actual = segments[index] ?? '';
      const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
      if (parameter === undefined) {
        literals += 1;
        return part === actual;
      }
      if (actual === '') return false;
      pathParameters[parameter] = safeDecode(actual);
      return true;
    });
    if (matches && (best === null || literals > best.literals)) {
      best = { route: candidate, pathParameters, literals };
    }
  }
  return best && { route: best.route, pathParameters: best.pathParameters };
}

function encodeBody(
  body: string | Buffer | undefined,
  contentType: string | undefined,
): { body: string | undefined; isBase64Encoded: boolean } {
  if (body === undefined || body.length === 0) return { body: undefined, isBase64Encoded: false };
  if (typeof body === 'string') return { body, isBase64Encoded: false };
  if (contentType !== undefined && textualType.test(contentType) && isUtf8(body)) {
    return { body: body.toString('utf8'), isBase64Encoded: false };
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function claimValues(claims: Record<string, unknown>): Record<string, AwsClaimValue> {
  const result: Record<string, AwsClaimValue> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      result[name] = value;
    } else if (Array.isArray(value)) {
      result[name] = value.map(String);
    } else if (value !== undefined && value !== null) {
      result[name] = JSON.stringify(value);
    }
  }
  return result;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function formatClf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(
    date.getUTCHours(),
  )}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
