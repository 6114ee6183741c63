import * as z from 'zod/mini';
import { uuidSchema } from '#domain/ids.ts';
import type { RouteContract } from './common.ts';
import { findingFiltersBody } from './findings.ts';
import { rankingQuerySchema } from './scores.ts';

/** What an export is written as: CSV (UTF-8 with a BOM) or an Excel workbook. */
export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];
const formatSchema = z._default(z.enum(exportFormats), 'csv');

/**
 * Body of POST /v1/exports: findings (the GET /v1/findings filters) or a ranking (a peer group,
 * the four parameters of GET /v1/scores), each as CSV (the default) or XLSX.
 */
export const exportInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('findings'),
    format: formatSchema,
    filters: z._default(findingFiltersBody, {}),
  }),
  z.strictObject({
    kind: z.literal('ranking'),
    format: formatSchema,
    filters: rankingQuerySchema,
  }),
]);

export const exportStartedOut = z.object({ exportId: z.string(), status: z.literal('running') });

export const exportOut = z.object({
  exportId: z.string(),
  status: z.enum(['running', 'ready', 'failed']),
  rowCount: z.optional(z.number().check(z.int())),
  /** A presigned URL of the file, valid until `expiresAt` (at most 300 s). */
  downloadUrl: z.optional(z.string()),
  expiresAt: z.optional(z.string()),
});

export const exportContracts = {
  createExport: { body: exportInputSchema, success: { status: 202, body: exportStartedOut } },
  getExport: {
    params: z.strictObject({ exportId: uuidSchema }),
    success: { status: 200, body: exportOut },
  },
} satisfies Record<string, RouteContract>;
