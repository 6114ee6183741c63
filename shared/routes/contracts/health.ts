import * as z from 'zod/mini';
import type { RouteContract } from './common.ts';

/**
 * What the OpenAPI route answers, as far as clients can rely on it: the document's own schema
 * is the OpenAPI 3.1 specification, which is not repeated here.
 */
export const openApiDocumentOut = z.looseObject({
  openapi: z.string().check(z.regex(/^3\.1\.\d+$/)),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export const healthContracts = {
  getHealth: { success: { status: 200, body: z.object({ status: z.literal('ok') }) } },
  getOpenApi: { success: { status: 200, body: openApiDocumentOut } },
} satisfies Record<string, RouteContract>;
