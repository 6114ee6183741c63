import { z } from 'zod';
import { evidenceFlags } from '#domain/evidence.ts';
import { templateIdSchema, unitIdSchema, uuidSchema } from '#domain/ids.ts';
import { reviewInputSchema, revokeInputSchema } from '#domain/lifecycle.ts';
import { periodSchema } from '#domain/period.ts';
import { photoInputSchema, photoStatuses, visitInputSchema, visitStatuses } from '#domain/visit.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';

const sectionPercent = z.object({ code: z.string(), percent: z.number().nullable() });
const review = z.object({
  decision: z.enum(['approve', 'return']),
  comment: z.string().nullable(),
  requests: z.array(z.string()).optional(),
  by: z.string(),
  at: z.string(),
});

/** Proof of place and time (docs/evidence.md): flags derived when read, never a refusal. */
export const evidenceOut = z.object({
  /** Metres from the unit's office to the visit's declared location; null when either is unknown. */
  visitDistanceM: z.number().nullable(),
  radiusM: z.number(),
  flags: z.array(z.object({ flag: z.enum(evidenceFlags), photoIds: z.array(z.string()) })),
  photos: z.array(
    z.object({
      photoId: z.string(),
      itemCode: z.string(),
      distanceM: z.number().nullable(),
      offsetMinutes: z.number(),
      timeBasis: z.enum(['declared', 'exif', 'received']),
      flags: z.array(z.enum(evidenceFlags)),
    }),
  ),
});

export const visitOut = visitInputSchema.extend({
  visitId: z.string(),
  inspectorId: z.string(),
  inspectorName: z.string().nullable(),
  status: z.enum(visitStatuses),
  score: z.number().nullable(),
  base: z.number().nullable(),
  sections: z.array(sectionPercent).nullable(),
  submittedAt: z.string().nullable(),
  review: review.nullable(),
  revocation: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  /** An approval that began and has not committed yet: since when, by whom. */
  pendingApproval: z.object({ since: z.string(), by: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
  /** In a status list (the review queue), and always in the answer of one visit. */
  evidence: evidenceOut.optional(),
});

export const photoOut = photoInputSchema.extend({
  status: z.enum(photoStatuses),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  downloadUrl: z.string().optional(),
  downloadExpiresAt: z.string().optional(),
});

export const historyOut = z.object({
  action: z.string(),
  by: z.string(),
  at: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string().nullable(),
});

const photoUploadOut = z.object({
  photoId: z.string(),
  status: z.enum(photoStatuses),
  upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }).optional(),
  expiresAt: z.string().optional(),
});

const visitParams = z.strictObject({ visitId: uuidSchema });
const photoParams = z.strictObject({ visitId: uuidSchema, photoId: uuidSchema });

/** Every route that answers one visit answers it whole: with its photos, evidence and audit history. */
export const visitDetailOut = visitOut.extend({
  photos: z.array(photoOut),
  evidence: evidenceOut,
  history: z.array(historyOut),
});

export const visitContracts = {
  putVisit: {
    params: visitParams,
    body: visitInputSchema,
    success: { status: 200, body: visitDetailOut },
    alsoStatus: [201],
  },
  deleteVisit: { params: visitParams, success: { status: 204 } },
  getVisit: { params: visitParams, success: { status: 200, body: visitDetailOut } },
  listVisits: {
    query: z.strictObject({
      unitId: unitIdSchema.optional(),
      period: periodSchema.optional(),
      status: z.enum(visitStatuses).optional(),
      templateId: templateIdSchema.optional(),
      inspectorId: z.string().min(1).max(128).optional(),
      order: z.enum(['newest', 'oldest']).optional(),
      pendingApproval: z.enum(['true', 'false']).optional(),
      ...pageQuery,
    }),
    // A status list (the review queue) shows each visit's evidence summary too.
    success: { status: 200, body: pageOf(visitOut) },
  },
  submitVisit: { params: visitParams, success: { status: 200, body: visitDetailOut } },
  reviewVisit: {
    params: visitParams,
    body: reviewInputSchema,
    success: { status: 200, body: visitDetailOut },
  },
  revokeVisit: {
    params: visitParams,
    body: revokeInputSchema,
    success: { status: 200, body: visitDetailOut },
  },
  createPhoto: {
    params: visitParams,
    body: photoInputSchema,
    success: { status: 201, body: photoUploadOut },
    alsoStatus: [200],
  },
  getPhoto: { params: photoParams, success: { status: 200, body: photoOut } },
  deletePhoto: { params: photoParams, success: { status: 204 } },
} satisfies Record<string, RouteContract>;
