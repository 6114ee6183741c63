import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ErrorCode } from '#domain/errors.ts';
import { problemTypes } from '#http/problem.ts';
import { buildOpenApiDocument } from '#openapi/document.ts';
import { operationExamples, visitInputExample } from '#openapi/examples.ts';
import { contracts } from '#routes/contracts/index.ts';
import { rankingScope } from '#routes/integration.ts';
import { routes } from '#routes/table.ts';
import { invoke } from '#tests/support/invoke.ts';
import { findOperation, responseSchema, validateSchema } from '#tests/support/json-schema.ts';

const document = buildOpenApiDocument();

/** The parts of the document these tests read, parsed rather than cast. */
const operationShape = z.looseObject({
  operationId: z.string(),
  tags: z.array(z.string()),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  'x-roles': z.array(z.string()),
  parameters: z.array(z.looseObject({ $ref: z.string().optional(), name: z.string().optional() })),
  requestBody: z
    .looseObject({ content: z.record(z.string(), z.looseObject({ schema: z.unknown() })) })
    .optional(),
  responses: z.record(z.string(), z.looseObject({ $ref: z.string().optional() })),
});
const documentShape = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.literal('par-inspect'), version: z.string(), description: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), operationShape)),
  components: z.looseObject({
    schemas: z.record(z.string(), z.unknown()),
    responses: z.record(z.string(), z.unknown()),
    securitySchemes: z.record(z.string(), z.unknown()),
  }),
});
const parsed = documentShape.parse(document);
const operations = Object.entries(parsed.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

const isErrorCode = (code: string): code is ErrorCode => code in problemTypes;

/** The problem codes an error response allows: its own narrowed enum, or a shared response's. */
function codesOf(response: unknown): { status: number; codes: string[] }[] {
  const responseObject = z.looseObject({ $ref: z.string().optional() }).parse(response);
  const resolved = responseObject.$ref
    ? parsed.components.responses[responseObject.$ref.replace('#/components/responses/', '')]
    : response;
  const problem = z
    .looseObject({
      content: z.looseObject({
        'application/problem+json': z.looseObject({
          schema: z.looseObject({
            allOf: z.tuple([
              z.unknown(),
              z.looseObject({
                properties: z.looseObject({
                  code: z.looseObject({ enum: z.array(z.string()) }),
                  status: z.looseObject({ const: z.number() }),
                }),
              }),
            ]),
          }),
        }),
      }),
    })
    .safeParse(resolved);
  if (!problem.success) return [];
  const narrowed = problem.data.content['application/problem+json'].schema.allOf[1].properties;
  return [{ status: narrowed.status.const, codes: narrowed.code.enum }];
}

describe('the OpenAPI document', () => {
  it('has every route of the table with its method, path and operationId, and nothing else', () => {
    const documented = operations.map((o) => `${o.method} ${o.path} ${o.operation.operationId}`).sort();
    const table = routes.map((route) => `${route.method} ${route.path} ${route.name}`).sort();
    expect(documented).toEqual(table);
    for (const route of routes) {
      expect(findOperation(document, route.name)?.tags, route.name).toEqual([route.tag]);
    }
  });

  it('secures each operation as the route table says: none, bearer JWT, or also the ranking client', () => {
    for (const route of routes) {
      const operation = operationShape.parse(findOperation(document, route.name));
      if (route.roles === 'public') {
        expect(operation.security, route.name).toEqual([]);
        expect(operation['x-roles'], route.name).toEqual([]);
        continue;
      }
      const expected: Array<Record<string, string[]>> = [{ bearerJwt: [] }];
      if (route.roles.some((role) => role === 'ranking')) {
        expected.push({ rankingClient: [rankingScope] });
      }
      expect(operation.security, route.name).toEqual(expected);
      expect(operation['x-roles'], route.name).toEqual([...route.roles]);
    }
    expect(Object.keys(parsed.components.securitySchemes).sort()).toEqual(['bearerJwt', 'rankingClient']);
  });

  it('documents every success status of the contracts, and 401 and 403 exactly on protected routes', () => {
    for (const route of routes) {
      const operation = operationShape.parse(findOperation(document, route.name));
      const contract = contracts[route.name];
      const statuses = [contract?.success.status, ...(contract?.alsoStatus ?? [])].map(String);
      for (const status of statuses) expect(Object.keys(operation.responses), route.name).toContain(status);
      const isPublic = route.roles === 'public';
      expect('401' in operation.responses, route.name).toBe(!isPublic);
      expect('403' in operation.responses, route.name).toBe(!isPublic);
      expect('500' in operation.responses, route.name).toBe(true);
      expect(operation.requestBody !== undefined, route.name).toBe(contract?.body !== undefined);
    }
  });

  it('lists per status only codes of that status, and every code the API can answer somewhere', () => {
    const seen = new Set<string>();
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const narrowed of codesOf(response)) {
          expect(narrowed.status, `${operation.operationId} ${status}`).toBe(Number(status));
          for (const code of narrowed.codes) {
            expect(isErrorCode(code), code).toBe(true);
            if (isErrorCode(code)) expect(problemTypes[code].status, code).toBe(Number(status));
            seen.add(code);
          }
        }
      }
    }
    // rate_limited is API Gateway's throttling, documented as the shared 429 with its own body.
    expect([...seen].sort()).toEqual(
      Object.keys(problemTypes)
        .filter((code) => code !== 'rate_limited')
        .sort(),
    );
    const problem = z
      .looseObject({ properties: z.looseObject({ code: z.looseObject({ enum: z.array(z.string()) }) }) })
      .parse(parsed.components.schemas.Problem);
    expect(problem.properties.code.enum.sort()).toEqual(Object.keys(problemTypes).sort());
  });

  it('carries examples that the routes’ own zod schemas and the generated JSON Schemas both accept', () => {
    for (const [name, examples] of Object.entries(operationExamples)) {
      if (examples === undefined) continue;
      // Object.entries widens the keys to string; look the contract up without a cast.
      const contract = Object.entries(contracts).find(([route]) => route === name)?.[1];
      if (examples.request !== undefined) {
        expect(contract?.body?.safeParse(examples.request).error, `${name} request`).toBeUndefined();
        const operation = operationShape.parse(findOperation(document, name));
        const schema = operation.requestBody?.content['application/json']?.schema;
        expect(validateSchema(schema, examples.request, document), `${name} request`).toEqual([]);
      }
      if (examples.response !== undefined) {
        expect(
          contract?.success.body?.safeParse(examples.response).error,
          `${name} response`,
        ).toBeUndefined();
        const schema = responseSchema(document, name, contract?.success.status ?? 0, 'application/json');
        expect(validateSchema(schema, examples.response, document), `${name} response`).toEqual([]);
      }
    }
  });

  it('writes the visit example with codes of the reference template', () => {
    const template = z
      .object({
        sections: z.array(z.object({ items: z.array(z.object({ code: z.string() })) })),
        deductions: z.array(z.object({ code: z.string() })),
      })
      .parse(
        JSON.parse(
          readFileSync(
            new URL('../../../shared/seed/one-stop-counter.template.json', import.meta.url),
            'utf8',
          ),
        ),
      );
    const items = new Set(template.sections.flatMap((section) => section.items.map((item) => item.code)));
    const deductions = new Set(template.deductions.map((rule) => rule.code));
    for (const answer of visitInputExample.answers) expect(items, answer.itemCode).toContain(answer.itemCode);
    for (const finding of visitInputExample.manualFindings) expect(items).toContain(finding.itemCode);
    for (const deduction of visitInputExample.deductions) expect(deductions).toContain(deduction.code);
  });

  it('is the same on every build', () => {
    expect(JSON.stringify(buildOpenApiDocument())).toBe(JSON.stringify(document));
  });

  const apiMd = new URL('../../../../shared/spec/API.md', import.meta.url);
  it.skipIf(!existsSync(apiMd))('has every route of API.md (../shared/spec/API.md)', () => {
    const listed = [
      ...readFileSync(apiMd, 'utf8').matchAll(/^\| `(GET|PUT|POST|PATCH|DELETE) (\/v1\/[^`?]*)/gm),
    ].map((match) => `${match[1]} ${match[2]}`);
    expect(listed.length).toBeGreaterThan(20);
    const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
    expect(listed.filter((route) => !documented.has(route))).toEqual([]);
  });
});

describe('GET /v1/openapi.json', () => {
  it('answers the generated document without a token', async () => {
    const response = await invoke('getOpenApi');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
