/**
 * Builds the OpenAPI 3.1 document from the sources of truth the handlers use: the route table
 * (paths, methods, operationIds, roles, tags), the route contracts (the zod schemas handlers
 * parse with and answer), the problem table (every error code with status and titles) and the
 * per-route error table. Pure and deterministic: the same code gives byte-identical JSON, which
 * is what lets tests compare docs/openapi.json with a fresh build.
 *
 * Schemas come from zod 4's own z.toJSONSchema (draft 2020-12, OpenAPI 3.1's dialect): request
 * bodies and parameters as `input` (what a client may send: defaults optional, coercions as
 * their input), responses as `output`. Named bodies become components, referenced by `$ref`.
 */
import * as z from 'zod/mini';
import type { ErrorCode } from '#domain/errors.ts';
import { findingPatchSchema } from '#domain/finding.ts';
import { reviewInputSchema, revokeInputSchema } from '#domain/lifecycle.ts';
import { templateDocumentSchema } from '#domain/template.ts';
import { unitInputSchema } from '#domain/unit.ts';
import { photoInputSchema, visitInputSchema } from '#domain/visit.ts';
import { problemTypes } from '#http/problem.ts';
import { localTextOut, type RouteContract } from '#routes/contracts/common.ts';
import { exportInputSchema, exportOut, exportStartedOut } from '#routes/contracts/exports.ts';
import { findingDetailOut, findingOut } from '#routes/contracts/findings.ts';
import { openApiDocumentOut } from '#routes/contracts/health.ts';
import { contracts } from '#routes/contracts/index.ts';
import { publicationOut, publicationSummaryOut } from '#routes/contracts/publications.ts';
import {
  bandOut,
  rankingQuerySchema,
  rankingRowOut,
  sectionPercentOut,
  unitScoresOut,
} from '#routes/contracts/scores.ts';
import { templateOut } from '#routes/contracts/templates.ts';
import { unitOut } from '#routes/contracts/units.ts';
import { historyOut, photoOut, visitOut } from '#routes/contracts/visits.ts';
import { rankingScope } from '#routes/integration.ts';
import { type RouteDefinition, type RouteName, route as routeNamed, routes } from '#routes/table.ts';
import {
  apiDescription,
  operationDescriptions,
  parameterDescriptions,
  successDescriptions,
  tagDescriptions,
} from './descriptions.ts';
import { type ErrorCause, operationErrors } from './errors.ts';
import { operationExamples, publicationCsvExample } from './examples.ts';

type Json = Record<string, unknown>;
/** A route of the table, with its name narrowed to the names the per-route tables are keyed by. */
type Route = RouteDefinition & { name: RouteName };

/** The API contract's version: `/v1` paths; bumped when the document changes incompatibly. */
const apiVersion = '1.0.0';
const target = 'draft-2020-12';
const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Readable component names for the schemas several routes share. A body not named here still
 * becomes a component, named after its route (`ListUnitsResponse`, `CreatePhotoResponse`), so a
 * contract added later needs no edit here.
 */
const responseNames: ReadonlyArray<readonly [z.ZodMiniType, string]> = [
  [localTextOut, 'LocalText'],
  [unitOut, 'Unit'],
  [templateOut, 'Template'],
  [historyOut, 'AuditEntry'],
  [visitOut, 'Visit'],
  [photoOut, 'Photo'],
  [findingOut, 'Finding'],
  [findingDetailOut, 'FindingDetail'],
  [exportStartedOut, 'ExportStarted'],
  [exportOut, 'Export'],
  [bandOut, 'Band'],
  [sectionPercentOut, 'SectionPercent'],
  [rankingRowOut, 'RankingRow'],
  [unitScoresOut, 'UnitScores'],
  [publicationSummaryOut, 'PublicationSummary'],
  [publicationOut, 'Publication'],
  [openApiDocumentOut, 'OpenApiDocument'],
];

const requestNames: ReadonlyArray<readonly [z.ZodMiniType, string]> = [
  [unitInputSchema, 'UnitInput'],
  [templateDocumentSchema, 'TemplateDocument'],
  [visitInputSchema, 'VisitInput'],
  [photoInputSchema, 'PhotoInput'],
  [reviewInputSchema, 'ReviewInput'],
  [revokeInputSchema, 'RevokeInput'],
  [findingPatchSchema, 'FindingPatch'],
  [exportInputSchema, 'ExportInput'],
  [rankingQuerySchema, 'PublicationInput'],
];

const errorCodes = Object.keys(problemTypes).filter((code): code is ErrorCode => code in problemTypes);

/** The RFC 9457 body every error carries (shared/http/problem.ts builds it). */
const problemSchema = z
  .object({
    type: z
      .string()
      .check(z.regex(/^urn:problem:[a-z_]+$/), z.meta({ description: '`urn:problem:<code>`.' })),
    code: z
      .enum(errorCodes)
      .check(z.meta({ description: 'Stable machine-readable code; see the table above.' })),
    title: z.string().check(z.meta({ description: "The code's title, in the response language." })),
    status: z.number().check(z.int(), z.gte(400), z.lte(599)),
    detail: z
      .string()
      .check(z.meta({ description: 'What went wrong, in the response language (Content-Language).' })),
    errors: z
      .optional(
        z.array(
          z.object({
            path: z
              .string()
              .check(z.meta({ description: 'Dotted path of the offending input, e.g. `answers.3.value`.' })),
            message: z.string(),
          }),
        ),
      )
      .check(
        z.meta({
          description: 'Every problem found, with `validation_failed`, `incomplete` and `photo_pending`.',
        }),
      ),
    current: z.optional(z.unknown()).check(
      z.meta({
        description: 'With `precondition_failed`: the resource as it is now (null when it is gone).',
      }),
    ),
  })
  .check(z.meta({ description: problemDescription() }));

/** The body API Gateway itself answers with (its authorizer's 401, throttling, timeouts). */
const gatewayMessageSchema = z.object({ message: z.string() }).check(
  z.meta({
    description: 'A body API Gateway makes itself, not the API: e.g. `{ "message": "Unauthorized" }`.',
  }),
);

const reasonPhrases: Readonly<Record<number, string>> = {
  200: 'OK.',
  201: 'Created.',
  202: 'Accepted.',
  204: 'No content.',
  401: 'Unauthenticated.',
  403: 'Forbidden.',
  404: 'Not found.',
  409: 'Conflict.',
  412: 'Precondition failed.',
  413: 'Payload too large.',
  422: 'Unprocessable content.',
  428: 'Precondition required.',
  429: 'Too many requests.',
  500: 'Internal error.',
  503: 'Service unavailable.',
};

export function buildOpenApiDocument(): Json {
  const names = componentNames();
  const schemas = {
    ...convertRegistry(names.responses, 'output'),
    ...convertRegistry(names.requests, 'input'),
  };
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route, contractOf(route), names);
    paths[route.path] = item;
  }
  const tags = [...new Set(routes.map((route) => route.tag))].map((name) => ({
    name,
    description: tagDescriptions[name] ?? name,
  }));

  return {
    openapi: '3.1.0',
    info: {
      title: 'par-inspect',
      version: apiVersion,
      summary: 'PAR inspection visits of one-stop counters: visits, findings, scores and rankings.',
      description: apiDescription,
    },
    servers: [
      { url: 'http://localhost:3000', description: 'Local mode (`npm start`; `PORT` overrides the port).' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: "AWS: the HTTP API's endpoint, an output of the CDK stack.",
        variables: {
          apiId: { default: 'abcde12345', description: 'The HTTP API ID.' },
          region: { default: 'ap-southeast-1', description: 'The AWS region.' },
        },
      },
    ],
    tags,
    paths,
    components: {
      schemas,
      parameters: headerParameters(),
      headers: responseHeaders(),
      responses: {
        ...sharedResponses(),
        TooManyRequests: {
          description:
            'Throttled by API Gateway, which answers with its own body; `rate_limited` is the problem code reserved for throttling the API does itself.',
          content: {
            'application/json': {
              schema: schemaRef('GatewayMessage'),
              example: { message: 'Too Many Requests' },
            },
          },
        },
      },
      securitySchemes: {
        bearerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito access token (`token_use: access`) with `cognito:groups` (admin, manager, inspector) and `custom:unitId`. In local mode, `POST /local/tokens` signs one.',
        },
        rankingClient: {
          type: 'oauth2',
          description:
            "The ranking system's machine client: client credentials at the Cognito user pool's domain (an output of the CDK stack; the URL below shows its default shape), sent as a bearer token.",
          flows: {
            clientCredentials: {
              tokenUrl: 'https://par-inspect-123456789012.auth.ap-southeast-1.amazoncognito.com/oauth2/token',
              scopes: { [rankingScope]: 'Read frozen publications.' },
            },
          },
        },
      },
    },
  };
}

interface ComponentNames {
  responses: z.core.$ZodRegistry<{ id: string }>;
  requests: z.core.$ZodRegistry<{ id: string }>;
  /** The component a contract schema is registered as, among requests or responses. */
  nameOf: (schema: z.ZodMiniType, as: 'request' | 'response') => string;
}

/**
 * Registers every body schema under a component name, in two registries as requests and
 * responses convert differently (`input` and `output`). Names must be unique across both.
 */
function componentNames(): ComponentNames {
  const responses = z.registry<{ id: string }>();
  const requests = z.registry<{ id: string }>();
  const byId = new Map<string, z.ZodMiniType>();
  const add = (registry: z.core.$ZodRegistry<{ id: string }>, schema: z.ZodMiniType, id: string) => {
    if (registry.has(schema)) return;
    const taken = byId.get(id);
    if (taken !== undefined && taken !== schema) throw new Error(`Two schemas want the component name ${id}`);
    byId.set(id, schema);
    registry.add(schema, { id });
  };

  add(responses, problemSchema, 'Problem');
  add(responses, gatewayMessageSchema, 'GatewayMessage');
  for (const [schema, id] of responseNames) add(responses, schema, id);
  for (const [schema, id] of requestNames) add(requests, schema, id);
  for (const route of routes) {
    const contract = contractOf(route);
    if (contract.success.body) add(responses, contract.success.body, `${pascal(route.name)}Response`);
    if (contract.body) add(requests, contract.body, `${pascal(route.name)}Request`);
  }
  // Looked up in the registry of its role: a schema used both ways has two components.
  const nameOf = (schema: z.ZodMiniType, as: 'request' | 'response') => {
    const id = (as === 'request' ? requests : responses).get(schema)?.id;
    if (id === undefined) throw new Error('A contract schema was not registered as a component');
    return id;
  };
  return { responses, requests, nameOf };
}

function convertRegistry(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Json {
  const { schemas } = z.toJSONSchema(registry, {
    target,
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const result: Json = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // `$schema` and `$id` are noise inside an OpenAPI document: the dialect is the document's.
    const { $schema: _schema, $id: _id, ...rest } = schema;
    result[id] = rest;
  }
  return result;
}

function operation(route: Route, contract: RouteContract, names: ComponentNames): Json {
  const name = route.name;
  const isPublic = route.roles === 'public';
  const examples = operationExamples[name];
  const causes = errorCauses(route, contract);

  const result: Json = {
    operationId: route.name,
    summary: route.summary,
    description: `${operationDescriptions[name] ?? route.summary}\n\n${rolesSentence(route)}`,
    tags: [route.tag],
    'x-roles': isPublic ? [] : [...route.roles],
    security: security(route),
    parameters: parameters(route, contract, causes),
  };
  if (contract.body) {
    result.requestBody = {
      required: true,
      content: {
        'application/json': {
          schema: schemaRef(names.nameOf(contract.body, 'request')),
          ...(examples?.request === undefined ? {} : { example: examples.request }),
        },
      },
    };
  }
  const responses: Json = {};
  const successStatuses = [contract.success.status, ...(contract.alsoStatus ?? [])].sort((a, b) => a - b);
  for (const status of successStatuses) {
    responses[String(status)] = successResponse(name, contract, status, names);
  }
  for (const [status, list] of [...causes].sort(([a], [b]) => a - b)) {
    responses[String(status)] = errorResponse(name, status, list, isPublic);
  }
  responses['429'] = { $ref: '#/components/responses/TooManyRequests' };
  result.responses = responses;
  return result;
}

/** The contracts' record is keyed by RouteName; this still fails clearly if a module lags behind. */
function contractOf(route: Route): RouteContract {
  const contract = contracts[route.name];
  if (contract === undefined)
    throw new Error(`No contract for route ${route.name} in shared/routes/contracts`);
  return contract;
}

function rolesSentence(route: RouteDefinition): string {
  if (route.roles === 'public') return 'Public: no token needed.';
  const machine = route.roles.includes('ranking')
    ? ` The \`ranking\` machine client may call it with a client-credentials token (scope \`${rankingScope}\`).`
    : '';
  const staff = route.roles.filter((role) => role !== 'ranking');
  return `Roles: ${staff.map((role) => `\`${role}\``).join(', ')}.${machine}`;
}

function security(route: RouteDefinition): Json[] {
  if (route.roles === 'public') return [];
  const schemes: Json[] = [{ bearerJwt: [] }];
  if (route.roles.includes('ranking')) schemes.push({ rankingClient: [rankingScope] });
  return schemes;
}

/** Path and query parameters from the contract's schemas, then the headers the route reads. */
function parameters(
  route: Route,
  contract: RouteContract,
  causes: ReadonlyMap<number, readonly ErrorCause[]>,
): Json[] {
  const result: Json[] = [];
  const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  const declared = new Set<string>();
  for (const [location, schema] of [
    ['path', contract.params],
    ['query', contract.query],
  ] as const) {
    if (schema === undefined) continue;
    const json = z.toJSONSchema(schema, { target, io: 'input', unrepresentable: 'any' });
    const required = new Set(json.required ?? []);
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      if (location === 'path') {
        if (!inPath.includes(name))
          throw new Error(`${route.name}: path parameter ${name} is not in ${route.path}`);
        declared.add(name);
      }
      const description = parameterDescriptions[`${route.name}.${name}`] ?? parameterDescriptions[name];
      result.push({
        name,
        in: location,
        required: location === 'path' || required.has(name),
        ...(description === undefined ? {} : { description }),
        schema: property,
      });
    }
  }
  const undeclared = inPath.filter((name) => name !== undefined && !declared.has(name));
  if (undeclared.length > 0)
    throw new Error(`${route.name}: no schema for path parameters ${undeclared.join(', ')}`);

  const codes = new Set([...causes.values()].flat().map(([code]) => code));
  if (codes.has('precondition_failed')) {
    // PATCH always needs it; PUT only when the resource exists; actions take it optionally.
    const header = route.method === 'PATCH' ? 'IfMatchRequired' : 'IfMatch';
    result.push({ $ref: `#/components/parameters/${header}` });
  }
  if (route.idempotent === true) {
    result.push({ $ref: '#/components/parameters/IdempotencyKey' });
  }
  result.push({ $ref: '#/components/parameters/AcceptLanguage' });
  return result;
}

function successResponse(
  name: RouteName,
  contract: RouteContract,
  status: number,
  names: ComponentNames,
): Json {
  const description = successDescriptions[name]?.[status] ?? reasonPhrases[status] ?? 'Success.';
  const response: Json = { description };
  if (routeNamed(name).etag === true) response.headers = { ETag: { $ref: '#/components/headers/ETag' } };
  const body = contract.success.body;
  if (body === undefined) return response;
  const example = operationExamples[name]?.response;
  const content: Json = {};
  for (const mediaType of contract.success.contentTypes ?? ['application/json']) {
    if (mediaType === 'text/csv') {
      content[mediaType] = {
        schema: {
          type: 'string',
          description:
            'CSV with a UTF-8 BOM and CRLF line ends: rank, unitId, code, name, score, bandCode, bandLabel, visitCount, then one column per section.',
        },
        example: publicationCsvExample,
      };
    } else {
      content[mediaType] = {
        schema: schemaRef(names.nameOf(body, 'response')),
        ...(example === undefined ? {} : { example }),
      };
    }
  }
  response.content = content;
  return response;
}

/**
 * What every protected route (or every route with inputs, or a body) can answer. A status whose
 * causes are exactly one of these refers to the shared response in components.responses; a
 * route with reasons of its own for that status gets its own response listing them all.
 */
const sharedCauses = {
  unauthenticated: 'a missing, expired or invalid access token, or a staff token naming no unit',
  forbidden: 'none of your roles may call this route (see the roles above and `x-roles`)',
  payload_too_large: 'the body is over 256 KiB',
  validation_failed:
    'the path, query or body does not match its schema (unknown and server-owned properties too); `errors` lists every problem',
  internal: 'an unexpected error; the body never carries internals',
  unavailable: 'the store is throttled or down; nothing was changed: retry after `Retry-After`',
} as const satisfies Partial<Record<ErrorCode, string>>;

type SharedCode = keyof typeof sharedCauses;

const sharedResponseNames: ReadonlyArray<readonly [SharedCode, string]> = [
  ['unauthenticated', 'Unauthenticated'],
  ['forbidden', 'Forbidden'],
  ['payload_too_large', 'PayloadTooLarge'],
  ['validation_failed', 'ValidationFailed'],
  ['internal', 'Internal'],
  ['unavailable', 'Unavailable'],
];

/** Every code a route can answer, by status: the shared ones, then the route's own (errors.ts). */
function errorCauses(route: Route, contract: RouteContract): Map<number, ErrorCause[]> {
  const isPublic = route.roles === 'public';
  const hasInput =
    contract.params !== undefined || contract.query !== undefined || contract.body !== undefined;
  const shared = (code: SharedCode): ErrorCause => [code, sharedCauses[code]];
  const list: ErrorCause[] = [];
  if (!isPublic) list.push(shared('unauthenticated'), shared('forbidden'));
  if (hasInput) list.push(shared('validation_failed'));
  if (contract.body !== undefined) list.push(shared('payload_too_large'));
  const own = operationErrors[route.name];
  if (own === undefined) throw new Error(`shared/openapi/errors.ts has no entry for route ${route.name}`);
  list.push(...own);
  if (!isPublic) list.push(shared('unavailable'));
  list.push(shared('internal'));

  // A code listed twice (shared and the route's own) keeps both reasons.
  const merged = new Map<ErrorCode, string[]>();
  for (const [code, why] of list) merged.set(code, [...(merged.get(code) ?? []), why]);
  const byStatus = new Map<number, ErrorCause[]>();
  for (const [code, reasons] of merged) {
    const status = problemTypes[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, reasons.join('; ')]]);
  }
  return byStatus;
}

/** The shared response a status's causes amount to, if they are exactly one shared cause. */
function sharedResponseOf(causes: readonly ErrorCause[]): string | undefined {
  const [only, ...others] = causes;
  if (only === undefined || others.length > 0) return undefined;
  const found = sharedResponseNames.find(([code]) => code === only[0] && sharedCauses[code] === only[1]);
  return found?.[1];
}

function sharedResponses(): Json {
  return Object.fromEntries(
    sharedResponseNames.map(([code, name]) => [
      name,
      errorResponse(undefined, problemTypes[code].status, [[code, sharedCauses[code]]], code === 'internal'),
    ]),
  );
}

function errorResponse(
  name: RouteName | undefined,
  status: number,
  causes: readonly ErrorCause[],
  isPublic: boolean,
): Json {
  const shared = sharedResponseOf(causes);
  if (shared !== undefined && name !== undefined) return { $ref: `#/components/responses/${shared}` };
  const codes = causes.map(([code]) => code);
  const lines = causes.map(([code, why]) => `- \`${code}\`: ${why}.`);
  const headers: Json = { 'Content-Language': { $ref: '#/components/headers/ContentLanguage' } };
  if (status === 503 || codes.includes('photo_pending')) {
    headers['Retry-After'] = { $ref: '#/components/headers/RetryAfter' };
  }
  const content: Json = {
    'application/problem+json': {
      // The shared Problem schema, narrowed to the codes this operation answers with this status.
      schema: {
        allOf: [schemaRef('Problem'), { properties: { code: { enum: codes }, status: { const: status } } }],
      },
      examples: Object.fromEntries(
        causes.map(([code, why]) => [
          code,
          { summary: `${code}: ${why}`, value: problemExample(name, code) },
        ]),
      ),
    },
  };
  // In AWS the JWT authorizer and API Gateway's timeouts answer before any function runs.
  if (!isPublic && (status === 401 || status === 503)) {
    content['application/json'] = {
      schema: schemaRef('GatewayMessage'),
      example: { message: status === 401 ? 'Unauthorized' : 'Service Unavailable' },
    };
  }
  const intro = reasonPhrases[status] ?? 'Error.';
  return { description: `${intro}\n\n${lines.join('\n')}`, headers, content };
}

/** A problem body as the API writes it, in Vietnamese (the default language). */
function problemExample(name: RouteName | undefined, code: ErrorCode): Json {
  const type = problemTypes[code];
  const body: Json = {
    type: `urn:problem:${code}`,
    code,
    title: type.title.vi,
    status: type.status,
    detail: type.detail.vi,
  };
  if (code === 'validation_failed') {
    body.errors = [
      {
        path: 'answers.3.value',
        message: 'C2: Giá trị phải là số từ 0 đến 100, có tối đa 2 chữ số thập phân.',
      },
    ];
  } else if (code === 'incomplete') {
    body.errors = [
      { path: 'items.G6.value', message: 'G6: Tiêu chí chưa có kết quả kiểm tra.' },
      { path: 'items.B1.photos', message: 'B1: Tiêu chí cần ít nhất một ảnh minh chứng đã được xác minh.' },
    ];
  } else if (code === 'photo_pending') {
    body.errors = [
      { path: 'items.D1.photos', message: 'D1: Ảnh minh chứng của tiêu chí đang chờ xác minh.' },
    ];
  } else if (code === 'precondition_failed') {
    body.current = (name === undefined ? undefined : operationExamples[name]?.response) ?? null;
  }
  return body;
}

function headerParameters(): Json {
  const ifMatch = {
    name: 'If-Match',
    in: 'header',
    schema: { type: 'string', minLength: 1 },
    example: '"Hq3vX0bYt8w1nq2ZcJ4Lrg"',
  };
  return {
    IfMatch: {
      ...ifMatch,
      required: false,
      description:
        'The etag the client last read (quoted or not, `W/` ignored). Needed to replace an existing resource (428 without it); optional on actions; a stale one answers 412 with `current`, except when the request repeats what already took effect.',
    },
    IfMatchRequired: {
      ...ifMatch,
      required: true,
      description: 'The etag the client last read; missing 428, stale 412 with `current`.',
    },
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'The same key with the same body within 24 hours answers the first result again; with another body 409 `conflict`.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
      example: '5d0b7c1e-2f4a-4b8e-9c3d-1a6e8f0b2c47',
    },
    AcceptLanguage: {
      name: 'Accept-Language',
      in: 'header',
      required: false,
      description: 'Messages and CSV headers are Vietnamese unless the header prefers `en`.',
      schema: { type: 'string' },
      example: 'en',
    },
  };
}

function responseHeaders(): Json {
  return {
    ETag: {
      description: 'The resource’s etag, quoted; send it back in `If-Match`.',
      schema: { type: 'string' },
      example: '"Hq3vX0bYt8w1nq2ZcJ4Lrg"',
    },
    RetryAfter: {
      description: 'Seconds to wait before retrying.',
      schema: { type: 'string', pattern: '^[0-9]+$' },
      example: '5',
    },
    ContentLanguage: {
      description: 'The language of `title`, `detail` and messages: `vi` or `en`.',
      schema: { type: 'string', enum: ['vi', 'en'] },
    },
  };
}

/** The Problem component's description: every code with its status and titles. */
function problemDescription(): string {
  const rows = Object.entries(problemTypes).map(
    ([code, type]) => `| \`${code}\` | ${type.status} | ${type.title.en} | ${type.title.vi} |`,
  );
  return [
    'RFC 9457 problem details (`application/problem+json`). Error codes:',
    '',
    '| code | status | title | title (vi) |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
