import * as z from 'zod/mini';
import { evidenceFlags } from '#domain/evidence.ts';
import { templateIdSchema, unitIdSchema, uuidSchema } from '#domain/ids.ts';
import { reviewInputSchema, revokeInputSchema } from '#domain/lifecycle.ts';
import { periodSchema } from '#domain/period.ts';
import { photoInputSchema, photoStatuses, visitInputSchema, visitStatuses } from '#domain/visit.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';

const sectionPercent = z.object({ code: z.string(), percent: z.nullable(z.number()) });
const review = z.object({
  decision: z.enum(['approve', 'return']),
  comment: z.nullable(z.string()),
  requests: z.optional(z.array(z.string())),
  by: z.string(),
  /** The reviewer's display name when the review was made; null when the token had none or it predates names. */
  byName: z.nullable(z.string()),
  at: z.string(),
});

/** Proof of place and time (docs/evidence.md): flags derived when read, never a refusal. */
export const evidenceOut = z.object({
  /** Metres from the unit's office to the visit's declared location; null when either is unknown. */
  visitDistanceM: z.nullable(z.number()),
  radiusM: z.number(),
  flags: z.array(z.object({ flag: z.enum(evidenceFlags), photoIds: z.array(z.string()) })),
  photos: z.array(
    z.object({
      photoId: z.string(),
      itemCode: z.string(),
      distanceM: z.nullable(z.number()),
      offsetMinutes: z.number(),
      timeBasis: z.enum(['declared', 'exif', 'received']),
      flags: z.array(z.enum(evidenceFlags)),
    }),
  ),
});

export const visitOut = z.extend(visitInputSchema, {
  visitId: z.string(),
  inspectorId: z.string(),
  inspectorName: z.nullable(z.string()),
  status: z.enum(visitStatuses),
  score: z.nullable(z.number()),
  base: z.nullable(z.number()),
  sections: z.nullable(z.array(sectionPercent)),
  submittedAt: z.nullable(z.string()),
  review: z.nullable(review),
  revocation: z.nullable(
    z.object({ reason: z.string(), by: z.string(), byName: z.nullable(z.string()), at: z.string() }),
  ),
  /** An approval that began and has not committed yet: since when, by whom. */
  pendingApproval: z.nullable(
    z.object({ since: z.string(), by: z.string(), byName: z.nullable(z.string()) }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
  /** In a status list (the review queue), and always in the answer of one visit. */
  evidence: z.optional(evidenceOut),
});

export const photoOut = z.extend(photoInputSchema, {
  status: z.enum(photoStatuses),
  reason: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  downloadUrl: z.optional(z.string()),
  downloadExpiresAt: z.optional(z.string()),
});

export const historyOut = z.object({
  action: z.string(),
  by: z.string(),
  /** The actor's display name when the entry was written; null when the token had none or it predates names. */
  byName: z.nullable(z.string()),
  at: z.string(),
  from: z.nullable(z.string()),
  to: z.nullable(z.string()),
  reason: z.nullable(z.string()),
});

const photoUploadOut = z.object({
  photoId: z.string(),
  status: z.enum(photoStatuses),
  upload: z.optional(z.object({ url: z.string(), fields: z.record(z.string(), z.string()) })),
  expiresAt: z.optional(z.string()),
});

const visitParams = z.strictObject({ visitId: uuidSchema });
const photoParams = z.strictObject({ visitId: uuidSchema, photoId: uuidSchema });

/** Every route that answers one visit answers it whole: with its photos, evidence and audit history. */
export const visitDetailOut = z.extend(visitOut, {
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
      unitId: z.optional(unitIdSchema),
      period: z.optional(periodSchema),
      status: z.optional(z.enum(visitStatuses)),
      templateId: z.optional(templateIdSchema),
      inspectorId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
      order: z.optional(z.enum(['newest', 'oldest'])),
      pendingApproval: z.optional(z.enum(['true', 'false'])),
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
