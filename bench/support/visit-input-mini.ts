/**
 * The visit PUT body (shared/domain/visit.ts `visitInputSchema` and what it uses from ids.ts),
 * written in zod/mini, only so that bench/cold-start.ts can weigh zod's two forms on the same
 * schema. Kept rule for rule with the classic one; the benchmark checks that both accept and
 * refuse the same bodies before it reports anything.
 */
import * as z from 'zod/mini';
import { parseInstant } from '#domain/calendar.ts';

const limits = { note: 2000, name: 200, templateItems: 150, manualFindings: 30 } as const;

const unitId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/));
const templateId = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/));
const itemCode = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/));
const instant = z.iso
  .datetime({ offset: true })
  .check(z.refine((s) => parseInstant(s) !== null, { message: 'Not an RFC 3339 date-time with offset' }));
const nfc = (max: number) => z.string().check(z.normalize('NFC'), z.minLength(1), z.maxLength(max));
const latLng = z.strictObject({
  lat: z.number().check(z.gte(-90), z.lte(90)),
  lng: z.number().check(z.gte(-180), z.lte(180)),
  accuracyM: z.number().check(z.gte(0), z.lte(100_000)),
});
const answerValue = z.union([
  z.boolean(),
  z.number().check(z.gte(-1_000_000_000), z.lte(1_000_000_000)),
  z.null(),
]);
const answer = z.strictObject({
  itemCode,
  value: z.optional(answerValue),
  notApplicable: z.optional(z.boolean()),
  note: z.optional(nfc(limits.note)),
});
const deduction = z.strictObject({
  code: itemCode,
  count: z.int().check(z.gte(1), z.lte(1_000)),
  note: z.optional(nfc(limits.note)),
});
const manualFinding = z.strictObject({
  title: nfc(limits.name),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  itemCode: z.optional(itemCode),
  note: z.optional(nfc(limits.note)),
});

export const visitInputMini = z.strictObject({
  unitId,
  templateId,
  templateVersion: z.int().check(z.gte(1), z.lte(999_999)),
  startedAt: instant,
  endedAt: z.optional(instant),
  location: z.optional(latLng),
  answers: z.array(answer).check(z.maxLength(limits.templateItems)),
  deductions: z.optional(z.array(deduction).check(z.maxLength(limits.templateItems))),
  manualFindings: z.optional(z.array(manualFinding).check(z.maxLength(limits.manualFindings))),
});
