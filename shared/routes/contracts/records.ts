import * as z from 'zod/mini';
import { uuidSchema } from '#domain/ids.ts';
import { scanContentTypes, scanInputSchema } from '#domain/scan.ts';
import type { RouteContract } from './common.ts';

export const recordStartedOut = z.object({
  recordId: z.string(),
  /** `running` (202) while the documents are built; `ready` or `signed` (200) when this record already is. */
  status: z.enum(['running', 'ready', 'signed']),
});

export const recordOut = z.object({
  recordId: z.string(),
  visitId: z.string(),
  /** Its number among the agency's records of `year`: 1, 2, ... with no gap and no repeat. */
  number: z.number().check(z.int()),
  /** The number and symbol as the record writes them: `Số: 12/BB-SNV`. */
  numberText: z.string(),
  year: z.number().check(z.int()),
  /** `signed` once a file of its signed scan is verified (its documents stay downloadable). */
  status: z.enum(['running', 'ready', 'failed', 'signed']),
  createdAt: z.string(),
  /** When the first file of its signed scan was verified. */
  signedAt: z.nullable(z.string()),
  /** Presigned links to the PDF (for signing and the archive) and the DOCX, valid until `expiresAt` (300 s). */
  pdfUrl: z.optional(z.string()),
  docxUrl: z.optional(z.string()),
  expiresAt: z.optional(z.string()),
  /** The files of its signed scan; a verified one with a presigned `downloadUrl` of that version. */
  scans: z.array(
    z.object({
      fileId: z.string(),
      contentType: z.enum(scanContentTypes),
      sizeBytes: z.number().check(z.int()),
      status: z.enum(['pending', 'verified', 'rejected']),
      reason: z.nullable(z.string()),
      downloadUrl: z.optional(z.string()),
    }),
  ),
});

export const scanRegisteredOut = z.object({
  fileId: z.string(),
  status: z.enum(['pending', 'verified', 'rejected']),
  /** The presigned form to POST the file with (its fields first, then `file`); none once verified. */
  upload: z.optional(z.object({ url: z.string(), fields: z.record(z.string(), z.string()) })),
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
  createRecordScan: {
    params: z.strictObject({ recordId: uuidSchema }),
    body: scanInputSchema,
    success: { status: 201, body: scanRegisteredOut },
    alsoStatus: [200],
  },
} satisfies Record<string, RouteContract>;
