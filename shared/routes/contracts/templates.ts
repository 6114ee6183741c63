import * as z from 'zod/mini';
import { templateIdSchema } from '#domain/ids.ts';
import { templateDocumentSchema } from '#domain/template.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';

export const templateOut = z.extend(templateDocumentSchema, {
  templateId: z.string(),
  version: z.number().check(z.int()),
  publishedAt: z.string(),
  publishedBy: z.string(),
  /** The publisher's display name; null when the token had none or the version predates names. */
  publishedByName: z.nullable(z.string()),
});

export const templateContracts = {
  listTemplates: {
    query: z.strictObject({ ...pageQuery }),
    success: { status: 200, body: pageOf(templateOut) },
  },
  getTemplateVersion: {
    params: z.strictObject({
      templateId: templateIdSchema,
      version: z.union([z.literal('latest'), z.coerce.number().check(z.int(), z.gte(1), z.lte(999_999))]),
    }),
    success: { status: 200, body: templateOut },
  },
  publishTemplateVersion: {
    params: z.strictObject({ templateId: templateIdSchema }),
    body: templateDocumentSchema,
    success: { status: 201, body: templateOut },
    alsoStatus: [200],
  },
} satisfies Record<string, RouteContract>;
