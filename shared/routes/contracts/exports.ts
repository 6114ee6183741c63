import { z } from 'zod';
import { uuidSchema } from '#domain/ids.ts';
import type { RouteContract } from './common.ts';
import { findingFiltersBody } from './findings.ts';

/** Body of POST /v1/exports. */
export const exportInputSchema = z.strictObject({
  kind: z.literal('findings'),
  filters: findingFiltersBody.default({}),
});

export const exportStartedOut = z.object({ exportId: z.string(), status: z.literal('running') });

export const exportOut = z.object({
  exportId: z.string(),
  status: z.enum(['running', 'ready', 'failed']),
  rowCount: z.number().int().optional(),
  /** A presigned URL of the CSV, valid until `expiresAt` (at most 300 s). */
  downloadUrl: z.string().optional(),
  expiresAt: z.string().optional(),
});

export const exportContracts = {
  createExport: { body: exportInputSchema, success: { status: 202, body: exportStartedOut } },
  getExport: {
    params: z.strictObject({ exportId: uuidSchema }),
    success: { status: 200, body: exportOut },
  },
} satisfies Record<string, RouteContract>;
