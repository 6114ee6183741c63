/**
 * Request schemas shared by routes. Each route's contract (params, query, body, and the success
 * body's schema) lives in shared/routes/contracts/<tag>.ts: handlers parse with them and the
 * OpenAPI document is generated from them, so the two cannot disagree.
 */
import { z } from 'zod';

/** `?limit=` (1-100, default 25) and the opaque `?cursor=` of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
};

/** A list answer: `{ items, nextCursor }`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Query flags arrive as text. */
export const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const localTextOut = z.object({ vi: z.string(), en: z.string().optional() });

export interface RouteContract {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Status of success and the schema of its body (none for 204). */
  success: { status: number; body?: z.ZodType; contentTypes?: string[] };
  /** Other success statuses with the same body (e.g. 200 for a replayed create). */
  alsoStatus?: number[];
}
