import * as z from 'zod/mini';
import { uuidSchema } from '#domain/ids.ts';
import type { RouteContract } from './common.ts';

export const recordStartedOut = z.object({
  recordId: z.string(),
  /** `running` (202) while the documents are built; `ready` (200) when this record already is. */
  status: z.enum(['running', 'ready']),
});

export const recordOut = z.object({
  recordId: z.string(),
  visitId: z.string(),
  /** Its number among the agency's records of `year`: 1, 2, ... with no gap and no repeat. */
  number: z.number().check(z.int()),
  /** The number and symbol as the record writes them: `Số: 12/BB-SNV`. */
  numberText: z.string(),
  year: z.number().check(z.int()),
  status: z.enum(['running', 'ready', 'failed']),
  createdAt: z.string(),
  /** Presigned links to the PDF (for signing and the archive) and the DOCX, valid until `expiresAt` (300 s). */
  pdfUrl: z.optional(z.string()),
  docxUrl: z.optional(z.string()),
  expiresAt: z.optional(z.string()),
});

export const recordContracts = {
  createRecord: {
    params: z.strictObject({ visitId: uuidSchema }),
    success: { status: 202, body: recordStartedOut },
    alsoStatus: [200],
  },
  getRecord: {
    params: z.strictObject({ recordId: uuidSchema }),
    success: { status: 200, body: recordOut },
  },
} satisfies Record<string, RouteContract>;
