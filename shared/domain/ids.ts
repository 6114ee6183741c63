import { z } from 'zod';
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

export const unitIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
export const templateIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/);
export const itemCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/);

/**
 * Visit and photo IDs come from phones, in whatever case their UUID library writes; any
 * 8-4-4-4-12 hex UUID is accepted (not only RFC 9562 versions) and stored lowercase so that a
 * retry with different casing addresses the same object.
 */
export const uuidSchema = z
  .string()
  .regex(/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/)
  .toLowerCase();

/** `YYYY-MM-DD`, a day that exists (2026-02-29 does not). */
export const isoDateSchema = z.iso
  .date()
  .refine((s) => parseDateParts(s) !== null, { message: 'Not a calendar date' });

/** RFC 3339 date-time with seconds and `Z` or an explicit offset. */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .refine((s) => parseInstant(s) !== null, { message: 'Not an RFC 3339 date-time with offset' });

/**
 * Text as people type it: stored NFC-normalised (a phone keyboard may send decomposed
 * Vietnamese diacritics), not trimmed (what was written is kept), 1 to `max` characters after
 * normalisation.
 */
export function nfcString(max: number) {
  return z.string().normalize('NFC').min(1).max(max);
}

/** A Vietnamese text with an optional English one: `{ vi, en? }`. */
export function textSchema(max: number) {
  return z.strictObject({ vi: nfcString(max), en: nfcString(max).optional() });
}

/** Text as templates carry it: Vietnamese always, English when the author gave it. */
export interface LocalText {
  vi: string;
  en?: string | undefined;
}

export const latLngSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  // Bounded like every number we store: DynamoDB's document client refuses unsafe integers.
  accuracyM: z.number().min(0).max(100_000),
});
export type LatLng = z.output<typeof latLngSchema>;
