import * as z from 'zod/mini';
import { parseDateParts, parseInstant } from './calendar.ts';

/** Length limits of API.md, counted in UTF-16 code units after NFC normalisation. */
export const limits = {
  name: 200,
  itemText: 1000,
  note: 2000,
  templateItems: 150,
  manualFindings: 30,
  photosPerVisit: 60,
  photoBytes: 10 * 1024 * 1024,
} as const;

export const unitIdSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/));
export const templateIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/));
export const itemCodeSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/));

/**
 * Visit and photo IDs come from phones, in whatever case their UUID library writes; any
 * 8-4-4-4-12 hex UUID is accepted (not only RFC 9562 versions) and stored lowercase so that a
 * retry with different casing addresses the same object.
 */
export const uuidSchema = z
  .string()
  .check(
    z.regex(/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/),
    z.toLowerCase(),
  );

/** `YYYY-MM-DD`, a day that exists (2026-02-29 does not). */
export const isoDateSchema = z.iso
  .date()
  .check(z.refine((s) => parseDateParts(s) !== null, { message: 'Not a calendar date' }));

/** RFC 3339 date-time with seconds and `Z` or an explicit offset. */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .check(z.refine((s) => parseInstant(s) !== null, { message: 'Not an RFC 3339 date-time with offset' }));

/**
 * Text as people type it: stored NFC-normalised (a phone keyboard may send decomposed
 * Vietnamese diacritics), not trimmed (what was written is kept), 1 to `max` characters after
 * normalisation.
 */
export function nfcString(max: number) {
  return z.string().check(z.normalize('NFC'), z.minLength(1), z.maxLength(max));
}

/** A Vietnamese text with an optional English one: `{ vi, en? }`. */
export function textSchema(max: number) {
  return z.strictObject({ vi: nfcString(max), en: z.optional(nfcString(max)) });
}

/** Text as templates carry it: Vietnamese always, English when the author gave it. */
export interface LocalText {
  vi: string;
  en?: string | undefined;
}

export const latLngSchema = z.strictObject({
  lat: z.number().check(z.gte(-90), z.lte(90)),
  lng: z.number().check(z.gte(-180), z.lte(180)),
  // Bounded like every number we store: DynamoDB's document client refuses unsafe integers.
  accuracyM: z.number().check(z.gte(0), z.lte(100_000)),
});
export type LatLng = z.output<typeof latLngSchema>;
