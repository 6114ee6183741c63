import * as z from 'zod/mini';
import { templateIdSchema, unitIdSchema } from '#domain/ids.ts';
import { periodSchema } from '#domain/period.ts';
import { unitKindSchema } from '#domain/unit.ts';
import { localTextOut, type RouteContract } from './common.ts';

export const bandOut = z.object({ code: z.string(), label: localTextOut });
export const sectionPercentOut = z.object({ code: z.string(), percent: z.nullable(z.number()) });

/** One row of a ranking, as GET /v1/scores and publications carry it. */
export const rankingRowOut = z.object({
  unitId: z.string(),
  code: z.nullable(z.string()),
  name: z.string(),
  score: z.nullable(z.number()),
  rank: z.nullable(z.number().check(z.int())),
  band: z.nullable(bandOut),
  visitCount: z.number().check(z.int()),
  sections: z.array(sectionPercentOut),
});

/** A peer group for a template and period: all four are required. */
export const rankingQuerySchema = z.strictObject({
  templateId: templateIdSchema,
  period: periodSchema,
  parentId: unitIdSchema,
  kind: unitKindSchema,
});

export const unitScoresOut = z.object({
  unitId: z.string(),
  templateId: z.string(),
  period: z.string(),
  score: z.nullable(z.number()),
  band: z.nullable(bandOut),
  sections: z.array(sectionPercentOut),
  visits: z.array(
    z.object({
      visitId: z.string(),
      startedAt: z.string(),
      templateVersion: z.number().check(z.int()),
      score: z.number(),
      sections: z.array(sectionPercentOut),
    }),
  ),
});

export const scoreContracts = {
  getScores: {
    query: rankingQuerySchema,
    success: {
      status: 200,
      body: z.object({ items: z.array(rankingRowOut), nextCursor: z.null() }),
    },
  },
  getUnitScores: {
    params: z.strictObject({ unitId: unitIdSchema }),
    query: z.strictObject({ templateId: templateIdSchema, period: periodSchema }),
    success: { status: 200, body: unitScoresOut },
  },
} satisfies Record<string, RouteContract>;
