/**
 * The visit PUT body (shared/domain/visit.ts `visitInputSchema` and what it uses from ids.ts and
 * plan.ts) in classic zod, as the schemas were written before they moved to zod/mini, kept only so
 * that bench/cold-start.ts can still weigh zod's two forms on the same schema. Kept rule for rule
 * with the zod/mini one; the benchmark checks that both accept and refuse the same bodies before
 * it reports anything. Nothing under shared/, functions/ or web/src may import classic zod
 * (tests/proof/zod-imports.test.ts).
 */
import { z } from 'zod';
import { parseInstant } from '#domain/calendar.ts';

const limits = { note: 2000, name: 200, templateItems: 150, manualFindings: 30 } as const;

const unitId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
const templateId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/);
const itemCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/);
const instant = z.iso
  .datetime({ offset: true })
  .refine((s) => parseInstant(s) !== null, { message: 'Not an RFC 3339 date-time with offset' });
const nfc = (max: number) => z.string().normalize('NFC').min(1).max(max);
const latLng = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracyM: z.number().min(0).max(100_000),
});
const answerValue = z.union([z.boolean(), z.number().min(-1_000_000_000).max(1_000_000_000), z.null()]);
const answer = z.strictObject({
  itemCode,
  value: answerValue.optional(),
  notApplicable: z.boolean().optional(),
  note: nfc(limits.note).optional(),
});
const deduction = z.strictObject({
  code: itemCode,
  count: z.number().int().min(1).max(1_000),
  note: nfc(limits.note).optional(),
});
const manualFinding = z.strictObject({
  title: nfc(limits.name),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  itemCode: itemCode.optional(),
  note: nfc(limits.note).optional(),
});
const teamMember = z.strictObject({
  name: nfc(limits.name),
  position: nfc(limits.name),
  role: z.enum(['lead', 'member']),
});
const unitRepresentative = z.strictObject({ name: nfc(limits.name), position: nfc(limits.name) });
const maxPeople = 20;
const assignmentId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[1-9][0-9]{0,3}$/);

export const visitInputClassic = z.strictObject({
  unitId,
  templateId,
  templateVersion: z.number().int().min(1).max(999_999),
  startedAt: instant,
  endedAt: instant.optional(),
  location: latLng.optional(),
  answers: z.array(answer).max(limits.templateItems),
  deductions: z.array(deduction).max(limits.templateItems).optional(),
  manualFindings: z.array(manualFinding).max(limits.manualFindings).optional(),
  team: z
    .array(teamMember)
    .max(maxPeople)
    .refine((team) => team.filter((member) => member.role === 'lead').length <= 1, {
      message: 'At most one member of the team is its lead.',
    })
    .optional(),
  unitRepresentatives: z.array(unitRepresentative).max(maxPeople).optional(),
  assignmentId: assignmentId.optional(),
});
