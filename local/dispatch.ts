/**
 * What API Gateway does in front of the Lambdas, for one request: CORS preflights, the JWT
 * authorizer, route matching, the API Gateway v2 event, and turning the Lambda's answer into an
 * HTTP response. Plus the local-only routes under `/local/`. Independent of node:http, so the
 * seed goes through exactly this path too.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  DomainError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '#domain/errors.ts';
import { problem } from '#domain/problems.ts';
import { corsHeaders, corsPreflightHeaders } from '#http/cors.ts';
import { languageFromHeader } from '#http/language.ts';
import { problemResponse } from '#http/problem.ts';
import { withSafetyHeaders } from '#http/safety-headers.ts';
import type { RouteDefinition } from '#routes/table.ts';
import { awsClaims, matchRoute, toApiGatewayEvent } from './apigw-event.ts';
import { type LambdaHandler, lambdaContext } from './lambda.ts';
import type { RunnerLog } from './log.ts';
import { type TokenAuthority, TokenRejectedError, tokenRequestSchema } from './tokens.ts';

export interface LocalRequest {
  method: string;
  /** Path and query, as in the request line (`/v1/units?parentId=nghe-an`). */
  url: string;
  /** Header names in any case; an array is one header sent several times. */
  headers: Record<string, string | readonly string[] | undefined>;
  body: Buffer | undefined;
  sourceIp?: string;
}

export interface LocalResponse {
  status: number;
  /** Lowercased names. */
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** API Gateway's own limit on a request payload; the handlers enforce the API's 256 KiB. */
export const maxPayloadBytes = 10 * 1024 * 1024;

export interface DispatcherOptions {
  tokens: TokenAuthority;
  /** Each route's handler by route name; null while the module does not exist. */
  handlers: ReadonlyMap<string, LambdaHandler | null>;
  /** The `$default` route's handler (unmatched method and path). */
  notFound: LambdaHandler;
  log: RunnerLog;
  /** More local-only routes under `/local/` (the OIDC provider, the TLS authority). */
  local?: readonly LocalHandler[];
  /** What answers when no API route matched, before the default route (the web app's files). */
  site?: LocalHandler;
}

/**
 * A local-only answer outside the route table; null passes the request on. A DomainError it
 * throws is answered as problem+json, like a handler's.
 */
export type LocalHandler = (request: LocalRequest, url: URL) => Promise<LocalResponse | null>;

const structuredResult = z.object({
  statusCode: z.optional(z.number().check(z.int(), z.gte(100), z.lte(599))),
  headers: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  body: z.optional(z.string()),
  isBase64Encoded: z.optional(z.boolean()),
  cookies: z.optional(z.array(z.string())),
});

export type Dispatch = (request: LocalRequest) => Promise<LocalResponse>;

export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { tokens, handlers, notFound, log } = options;

  return async (request) => {
    const url = new URL(request.url, 'http://localhost');
    const method = request.method.toUpperCase();
    const origin = header(request.headers, 'origin');
    const language = languageFromHeader(header(request.headers, 'accept-language'));
    const requestId = randomBytes(10).toString('base64');
    // With CORS configured, API Gateway sets the CORS headers of every answer itself. The safety
    // headers come from the functions; here the runner's own answers (/local/...) get them too.
    const withCors = (response: LocalResponse): LocalResponse => ({
      ...response,
      headers: withSafetyHeaders({
        ...response.headers,
        ...corsHeaders(origin),
        'apigw-requestid': requestId,
      }),
    });
    const problemOf = (error: unknown) => withCors(fromLambda(problemResponse(error, language)));

    // API Gateway's CORS configuration answers every preflight itself, before any route.
    if (method === 'OPTIONS' && header(request.headers, 'access-control-request-method')) {
      return { status: 204, headers: corsPreflightHeaders(origin), cookies: [], body: Buffer.alloc(0) };
    }
    if ((request.body?.length ?? 0) > maxPayloadBytes) {
      return problemOf(
        new PayloadTooLargeError({ vi: 'Thân yêu cầu quá lớn.', en: 'The request body is too large.' }),
      );
    }

    if (url.pathname.startsWith('/local/')) {
      const local = await localRoute(method, url.pathname, request, tokens);
      if (local === 'invalid') {
        return problemOf(
          new ValidationError({ vi: 'Yêu cầu token không hợp lệ.', en: 'The token request is not valid.' }, [
            problem(
              '',
              'Cần { role: admin|manager|inspector|ranking, unitId (trừ ranking), sub?, name? }.',
              'Send { role: admin|manager|inspector|ranking, unitId (except for ranking), sub?, name? }.',
            ),
          ]),
        );
      }
      if (local) return withCors(local);
      for (const handle of options.local ?? []) {
        const answer = await answerOrProblem(handle, request, url, problemOf);
        if (answer) return withCors(answer);
      }
    }

    const match = matchRoute(method, url.pathname);
    const site = match ? null : await answerOrProblem(options.site, request, url, problemOf);
    if (site) return withCors(site);
    if (!match) {
      const event = toApiGatewayEvent({
        method,
        path: url.pathname,
        routePath: '$default',
        query: url.searchParams,
        headers: request.headers,
        body: request.body,
        claims: null,
        ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
      });
      const defaultRoute = {
        ...event,
        routeKey: '$default',
        requestContext: { ...event.requestContext, routeKey: '$default' },
      };
      return withCors(await invoke(notFound, defaultRoute, 'notFound'));
    }

    let claims: Record<string, unknown> | null = null;
    if (match.route.roles !== 'public') {
      try {
        claims = await tokens.verify(header(request.headers, 'authorization'), {
          acceptRanking: match.route.roles.includes('ranking'),
        });
      } catch (error) {
        if (!(error instanceof TokenRejectedError)) throw error;
        const response = problemOf(
          new UnauthenticatedError({
            vi: 'Access token thiếu, hết hạn hoặc không hợp lệ.',
            en: 'The access token is missing, expired or not valid.',
          }),
        );
        return { ...response, headers: { ...response.headers, 'www-authenticate': 'Bearer' } };
      }
    }

    const handler = handlers.get(match.route.name);
    if (!handler) {
      log.warn(`${match.route.name}: ${match.route.handler} does not exist yet`);
      return problemOf(new Error(`no handler module for ${match.route.name}`));
    }
    const event = toApiGatewayEvent({
      method,
      path: url.pathname,
      routePath: match.route.path,
      pathParameters: match.pathParameters,
      query: url.searchParams,
      headers: request.headers,
      body: request.body,
      claims: claims === null ? null : awsClaims(claims),
      ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
    });
    return withCors(await invoke(handler, event, match.route.name, match.route));
  };

  async function invoke(
    handler: LambdaHandler,
    event: unknown,
    name: string,
    route?: RouteDefinition,
  ): Promise<LocalResponse> {
    try {
      const result = structuredResult.safeParse(await handler(event, lambdaContext(name)));
      if (result.success) return fromLambda(result.data);
      log.error(`${route?.handler ?? name} answered something that is not an API Gateway response`);
    } catch (error) {
      // In AWS a function error becomes API Gateway's bare 500; the stack goes to the log.
      log.error(`${route?.handler ?? name} threw`, error);
    }
    return fromLambda(problemResponse(new Error('handler failed'), 'vi'));
  }
}

/** The answer while the runner is still starting (emulators, seed): 503 with Retry-After. */
export function startingUp(request: LocalRequest): LocalResponse {
  const language = languageFromHeader(header(request.headers, 'accept-language'));
  const error = new UnavailableError(
    {
      vi: 'Máy chủ cục bộ đang khởi động; vui lòng thử lại sau giây lát.',
      en: 'The local server is starting; retry in a moment.',
    },
    1,
  );
  const response = fromLambda(problemResponse(error, language));
  return { ...response, headers: { ...response.headers, ...corsHeaders(header(request.headers, 'origin')) } };
}

/** The HTTP response API Gateway makes of a payload 2.0 result. */
export function fromLambda(result: APIGatewayProxyStructuredResultV2): LocalResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  return { status: result.statusCode ?? 200, headers, cookies: result.cookies ?? [], body };
}

function json(status: number, value: unknown): LocalResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    cookies: [],
    body: Buffer.from(JSON.stringify(value)),
  };
}

/** The routes that exist only in local mode; null when the path is not one of them. */
async function localRoute(
  method: string,
  path: string,
  request: LocalRequest,
  tokens: TokenAuthority,
): Promise<LocalResponse | 'invalid' | null> {
  if (method === 'POST' && path === '/local/tokens') {
    const parsed = tokenRequestSchema.safeParse(parseJson(request.body));
    if (!parsed.success) return 'invalid';
    return json(200, { token: await tokens.sign(parsed.data) });
  }
  if (method === 'GET' && path === '/local/.well-known/jwks.json') return json(200, tokens.jwks);
  // The discovery document is the OIDC provider's (local/oidc.ts).
  return null;
}

async function answerOrProblem(
  handle: LocalHandler | undefined,
  request: LocalRequest,
  url: URL,
  problemOf: (error: unknown) => LocalResponse,
): Promise<LocalResponse | null> {
  if (!handle) return null;
  try {
    return await handle(request, url);
  } catch (error) {
    if (error instanceof DomainError) return problemOf(error);
    throw error;
  }
}

function parseJson(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function header(headers: LocalRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.join(',');
  }
  return undefined;
}
