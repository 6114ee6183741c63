import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import { runAs } from '#config/invocation.ts';
import { ForbiddenError, PreconditionRequiredError, ValidationError } from '#domain/errors.ts';
import { type Problem, problem } from '#domain/problems.ts';
import type { Route, RouteDefinition } from '#routes/table.ts';
import { checkBodySize, parseJsonBody, rawBodyBytes } from './body.ts';
import { corsHeaders } from './cors.ts';
import { headerOf, parseIfMatch } from './headers.ts';
import { type Language, languageFromHeader } from './language.ts';
import { logger } from './logger.ts';
import { anonymousPrincipal, type Principal, principalFromClaims } from './principal.ts';
import { problemResponse } from './problem.ts';
import { withSafetyHeaders } from './safety-headers.ts';
import { parseBilingual } from './validation.ts';

export type { Language } from './language.ts';

/** What API Gateway (HTTP API, payload 2.0) hands a function: with JWT claims on protected routes. */
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2;

/** A request after the middy stack has authenticated, authorised and parsed it. */
export interface HttpRequest<P, Q, B> {
  /** The caller; on public routes a synthetic anonymous principal with no roles. */
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  /** The If-Match entity tag with quotes and `W/` stripped, or null when absent. */
  ifMatch: string | null;
  idempotencyKey: string | null;
  accept: string | null;
  language: Language;
  /** API Gateway's request ID (the Lambda request ID outside API Gateway). */
  requestId: string;
}

/** What a handler answers; the stack turns it into an API Gateway response. */
export interface HttpResult {
  status: number;
  /** Serialised as JSON, except a string, which is sent as is (CSV, for instance). */
  body?: unknown;
  /** Sent as the `ETag` header, quoted. */
  etag?: string;
  headers?: Record<string, string>;
  /** Defaults to `application/json; charset=utf-8`. */
  contentType?: string;
}

/** The Lambda entry point httpHandler builds. */
export type HttpLambdaHandler = (
  event: HttpEvent,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Options of httpHandler: the route (its roles come from the route table) and its schemas. */
export interface HttpHandlerOptions<P, Q, B> {
  /**
   * The route's entry of shared/routes/table.ts (its `…Route` constant, not a lookup by name, so
   * the bundle carries this one entry and not the whole table).
   */
  route: Route;
  /** Schemas should be strict objects: unknown properties must answer 422, never be dropped. */
  params?: z.core.$ZodType<P>;
  query?: z.core.$ZodType<Q>;
  /** Without a body schema, any body is ignored. */
  body?: z.core.$ZodType<B>;
  handle: (request: HttpRequest<P, Q, B>) => Promise<HttpResult>;
}

type Stack = middy.MiddlewareObj<HttpEvent, APIGatewayProxyStructuredResultV2>;

/**
 * Builds the Lambda handler of one HTTP route on the one middy stack, in this order:
 * logging (request ID on every line) -> CORS headers -> problem+json errors -> authentication
 * and role check (from the route table) -> body size limit -> zod parsing of path, query and
 * body -> `handle`. Every error, wherever thrown, becomes problem+json in one place.
 */
export function httpHandler<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  options: HttpHandlerOptions<P, Q, B>,
): HttpLambdaHandler {
  const definition: RouteDefinition = options.route;
  // The parsed request travels from the middlewares to the handler keyed by its event, which
  // keeps concurrent invocations (the local server) apart without mutating the event.
  const requests = new WeakMap<HttpEvent, HttpRequest<P, Q, B>>();

  const stack = middy<HttpEvent, APIGatewayProxyStructuredResultV2>()
    .use(logging(definition))
    .use(cors())
    .use(problems())
    .use(parseRequest(definition, options, requests))
    .handler(async (event) => {
      const request = requests.get(event);
      if (!request) throw new Error('The middy stack did not parse the request');
      return toResponse(await options.handle(request));
    });

  // The route's name travels with the invocation so the SDK call log (tests) can attribute calls.
  return (event, context) => runAs(options.route.name, () => stack(event, context));
}

/** For PUT of an existing resource and PATCH: the If-Match value, or 428 when missing. */
export function requireIfMatch(ifMatch: string | null): string {
  if (ifMatch === null) {
    throw new PreconditionRequiredError({
      vi: 'Cần header If-Match chứa ETag hiện tại của tài nguyên.',
      en: "An If-Match header with the resource's current ETag is required.",
    });
  }
  return ifMatch;
}

function languageOf(event: HttpEvent): Language {
  return languageFromHeader(headerOf(event.headers, 'accept-language'));
}

function logging(definition: RouteDefinition): Stack {
  // Keyed by event, not a closure variable: the local server runs invocations concurrently.
  const startedAt = new WeakMap<HttpEvent, number>();
  const done: Stack['after'] = ({ event, response }) => {
    const started = startedAt.get(event);
    logger.info('Request handled', {
      status: response?.statusCode,
      durationMs: started === undefined ? undefined : Date.now() - started,
    });
    logger.resetKeys();
  };
  return {
    before: ({ event, context }) => {
      startedAt.set(event, Date.now());
      logger.addContext(context);
      logger.appendKeys({
        requestId: event.requestContext.requestId,
        route: definition.name,
        method: event.requestContext.http.method,
        path: event.rawPath,
      });
    },
    after: done,
    onError: done,
  };
}

function cors(): Stack {
  const addHeaders: Stack['after'] = (request) => {
    const { response, event } = request;
    if (!response) return;
    const existing = response.headers ?? {};
    const added = corsHeaders(headerOf(event.headers, 'origin'));
    // Merge Vary: a route's own (Accept, Accept-Language for the CSV or JSON of a publication)
    // must survive, or caches would serve one representation for the other.
    const vary = [
      ...new Set(
        [existing.vary, existing.Vary, added.vary]
          .flatMap((v) => (v ? String(v).split(',') : []))
          .map((v) => v.trim()),
      ),
    ]
      .filter((v) => v.length > 0)
      .join(', ');
    const { Vary: _upper, ...rest } = existing;
    response.headers = { ...rest, ...added, ...(vary ? { vary } : {}) };
  };
  return { after: addHeaders, onError: addHeaders };
}

function problems(): Stack {
  return {
    onError: (request) => {
      request.response = problemResponse(request.error, languageOf(request.event), logger);
    },
  };
}

function parseRequest<P, Q, B>(
  definition: RouteDefinition,
  options: HttpHandlerOptions<P, Q, B>,
  requests: WeakMap<HttpEvent, HttpRequest<P, Q, B>>,
): Stack {
  return {
    before: ({ event }) => {
      const principal = authorize(definition, event);

      const bytes = rawBodyBytes(event.body, event.isBase64Encoded);
      checkBodySize(bytes);

      const found: Problem[] = [];
      const idempotencyKey = headerOf(event.headers, 'idempotency-key')?.trim() || null;
      // The key becomes part of a stored record's key: printable ASCII, 1-255 characters.
      if (idempotencyKey !== null && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
        found.push(
          problem(
            'Idempotency-Key',
            'Idempotency-Key phải gồm 1-255 ký tự ASCII in được, không có dấu cách.',
            'Idempotency-Key must be 1-255 printable ASCII characters without spaces.',
          ),
        );
      }
      const params = parseOrCollect(options.params, event.pathParameters ?? {}, found);
      const query = parseOrCollect(options.query, normalizeQuery(event.queryStringParameters), found);
      const body = options.body ? parseBody(options.body, parseJsonBody(bytes), found) : undefined;
      if (found.length > 0) {
        throw new ValidationError(
          { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request is not valid.' },
          found,
        );
      }

      const headers = event.headers;
      requests.set(event, {
        principal,
        // Without a schema the value is the type parameter's default (an empty record or
        // undefined): the route declared it takes no such input, so nothing of it is passed on.
        params: params as P,
        query: query as Q,
        body: body as B,
        ifMatch: parseIfMatch(headerOf(headers, 'if-match')),
        idempotencyKey,
        accept: headerOf(headers, 'accept'),
        language: languageOf(event),
        requestId: event.requestContext.requestId,
      });
    },
  };
}

/** 401 without a usable token, 403 when none of the caller's roles is allowed on the route. */
function authorize(definition: RouteDefinition, event: HttpEvent): Principal {
  if (definition.roles === 'public') return anonymousPrincipal();
  const claims =
    'authorizer' in event.requestContext ? event.requestContext.authorizer?.jwt?.claims : undefined;
  const principal = principalFromClaims(claims);
  const allowed = definition.roles;
  if (!principal.roles.some((role) => allowed.includes(role))) {
    throw new ForbiddenError({
      vi: 'Vai trò của bạn không được phép thực hiện thao tác này.',
      en: 'Your role is not allowed to do this.',
    });
  }
  return principal;
}

/** Parsed value, or `{}` when the route has no schema for this input (the input is ignored). */
function parseOrCollect<T>(
  schema: z.core.$ZodType<T> | undefined,
  input: unknown,
  found: Problem[],
): T | object {
  if (!schema) return {};
  const parsed = parseBilingual(schema, input);
  if (parsed.success) return parsed.data;
  found.push(...parsed.problems);
  return {};
}

function parseBody<B>(schema: z.core.$ZodType<B>, input: unknown, found: Problem[]): B | undefined {
  const parsed = parseBilingual(schema, input);
  if (parsed.success) return parsed.data;
  if (input === undefined) {
    // Zod would say "expected object, received undefined"; say what the client has to do.
    found.push(problem('', 'Cần có thân yêu cầu dạng JSON.', 'A JSON request body is required.'));
  } else {
    found.push(...parsed.problems);
  }
  return undefined;
}

function normalizeQuery(query: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) result[key] = value.normalize('NFC');
  }
  return result;
}

function toResponse(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = {};
  if (result.body !== undefined)
    headers['content-type'] = result.contentType ?? 'application/json; charset=utf-8';
  if (result.etag !== undefined) headers.etag = `"${result.etag}"`;
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
  const response: APIGatewayProxyStructuredResultV2 = {
    statusCode: result.status,
    headers: withSafetyHeaders(headers),
  };
  if (result.body !== undefined) {
    response.body = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  }
  return response;
}
