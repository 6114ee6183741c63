/**
 * Request schemas shared by routes. Each route's contract (params, query, body, and the success
 * body's schema) lives in shared/routes/contracts/<tag>.ts: handlers parse with them and the
 * OpenAPI document is generated from them, so the two cannot disagree.
 */
import * as z from 'zod/mini';

/**
 * `?limit=`: exactly a decimal integer from 1 to 100, written without sign, spaces, leading
 * zeros, decimal point, exponent or hex. `Number()` (what z.coerce does) also reads `0x10`,
 * `1e1`, `10.0` and ` 10 `; a client sending those has a bug it should hear about, not a page
 * whose size it did not mean.
 */
const pageLimit = z
  ._default(
    z.pipe(
      z.string().check(
        z.refine((text) => /^(?:[1-9][0-9]?|100)$/.test(text), {
          params: {
            vi: 'limit phải là số nguyên thập phân từ 1 đến 100, không có dấu + hay -, khoảng trắng hay số 0 ở đầu.',
            en: 'limit must be a decimal integer from 1 to 100, written without sign, spaces or leading zeros.',
          },
        }),
      ),
      // A pipe into a coercion rather than a transform: the text is already known to be an integer
      // in range, and the OpenAPI generator keeps the default of a non-transforming schema.
      z.coerce.number(),
    ),
    25,
  )
  // The wire carries text; documented as the integer it denotes, as the parameter always was.
  .check(z.meta({ type: 'integer', minimum: 1, maximum: 100 }));

/** `?limit=` (1-100, default 25) and the opaque `?cursor=` of every list. */
export const pageQuery = {
  limit: pageLimit,
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

/** A list answer: `{ items, nextCursor }`. */
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
}

/** Query flags arrive as text. */
export const booleanFlag = z.pipe(
  z.enum(['true', 'false']),
  z.transform((value) => value === 'true'),
);

export const localTextOut = z.object({ vi: z.string(), en: z.optional(z.string()) });

export interface RouteContract {
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /** Status of success and the schema of its body (none for 204). */
  success: { status: number; body?: z.ZodMiniType; contentTypes?: string[] };
  /** Other success statuses with the same body (e.g. 200 for a replayed create). */
  alsoStatus?: number[];
}
