import * as z from 'zod/mini';
import { templateIdSchema, unitIdSchema, uuidSchema } from '#domain/ids.ts';
import { periodSchema } from '#domain/period.ts';
import { unitKindSchema } from '#domain/unit.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';
import { rankingQuerySchema, rankingRowOut } from './scores.ts';

export const publicationSummaryOut = z.object({
  publicationId: z.string(),
  templateId: z.string(),
  period: z.string(),
  parentId: z.string(),
  kind: z.string(),
  rowCount: z.number().check(z.int()),
  /** Lowercase hex SHA-256 of the RFC 8785 canonical JSON of `rows`. */
  hash: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** The publisher's display name; null when the token had none or the publication predates names. */
  createdByName: z.nullable(z.string()),
  /** The previous publication of the same ranking, or null. */
  supersedes: z.nullable(z.string()),
});

export const publicationOut = z.extend(publicationSummaryOut, { rows: z.array(rankingRowOut) });

export const publicationContracts = {
  createPublication: { body: rankingQuerySchema, success: { status: 201, body: publicationOut } },
  listPublications: {
    query: z.strictObject({
      templateId: z.optional(templateIdSchema),
      period: z.optional(periodSchema),
      parentId: z.optional(unitIdSchema),
      kind: z.optional(unitKindSchema),
      ...pageQuery,
    }),
    success: { status: 200, body: pageOf(publicationSummaryOut) },
  },
  getPublication: {
    params: z.strictObject({ publicationId: uuidSchema }),
    success: { status: 200, body: publicationOut, contentTypes: ['application/json', 'text/csv'] },
  },
} satisfies Record<string, RouteContract>;
