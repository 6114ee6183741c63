import { z } from 'zod';
import { templateIdSchema } from '#domain/ids.ts';
import { templateDocumentSchema } from '#domain/template.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';

export const templateOut = templateDocumentSchema.extend({
  templateId: z.string(),
  version: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string(),
});

export const templateContracts = {
  listTemplates: {
    query: z.strictObject({ ...pageQuery }),
    success: { status: 200, body: pageOf(templateOut) },
  },
  getTemplateVersion: {
    params: z.strictObject({
      templateId: templateIdSchema,
      version: z.union([z.literal('latest'), z.coerce.number().int().min(1).max(999_999)]),
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
