import * as z from 'zod/mini';
import { parseInstant } from './calendar.ts';
import {
  instantSchema,
  itemCodeSchema,
  latLngSchema,
  limits,
  nfcString,
  templateIdSchema,
  unitIdSchema,
  uuidSchema,
} from './ids.ts';
import { assignmentIdSchema } from './plan.ts';
import { type Problem, problem, type Text } from './problems.ts';
import { itemRatio, valueFits } from './scoring.ts';
import {
  type AnswerSpec,
  itemsByCode,
  severitySchema,
  type TemplateDocument,
  templateItems,
} from './template.ts';

export const visitStatuses = ['draft', 'submitted', 'returned', 'approved', 'revoked'] as const;
export type VisitStatus = (typeof visitStatuses)[number];
export const visitStatusSchema = z.enum(visitStatuses);

// Bounded so that no answer can exceed what DynamoDB stores exactly; each type's own range is
// checked against the template by answerProblems.
export const answerValueSchema = z.union([
  z.boolean(),
  z.number().check(z.gte(-1_000_000_000), z.lte(1_000_000_000)),
  z.null(),
]);
export type AnswerValue = z.output<typeof answerValueSchema>;

export const answerInputSchema = z.strictObject({
  itemCode: itemCodeSchema,
  value: z.optional(answerValueSchema),
  notApplicable: z.optional(z.boolean()),
  note: z.optional(nfcString(limits.note)),
});
export type AnswerInput = z.output<typeof answerInputSchema>;

export const deductionInputSchema = z.strictObject({
  code: itemCodeSchema,
  count: z.number().check(z.int(), z.gte(1), z.lte(1_000)),
  note: z.optional(nfcString(limits.note)),
});
export type DeductionInput = z.output<typeof deductionInputSchema>;

export const manualFindingInputSchema = z.strictObject({
  title: nfcString(limits.name),
  severity: severitySchema,
  itemCode: z.optional(itemCodeSchema),
  note: z.optional(nfcString(limits.note)),
});
export type ManualFindingInput = z.output<typeof manualFindingInputSchema>;

/** A member of the inspection team (đoàn kiểm tra), as the record lists and signs it. */
export const teamMemberSchema = z.strictObject({
  name: nfcString(limits.name),
  position: nfcString(limits.name),
  role: z.enum(['lead', 'member']),
});
export type TeamMember = z.output<typeof teamMemberSchema>;

/** A representative of the inspected unit who attends and signs the record. */
export const unitRepresentativeSchema = z.strictObject({
  name: nfcString(limits.name),
  position: nfcString(limits.name),
});
export type UnitRepresentative = z.output<typeof unitRepresentativeSchema>;

/** People on a record's signature page: a team and a unit's side are a handful each. */
const maxPeople = 20;

/** Body of `PUT /v1/visits/{visitId}`: partial answers are fine until submit. */
export const visitInputSchema = z.strictObject({
  unitId: unitIdSchema,
  templateId: templateIdSchema,
  templateVersion: z.number().check(z.int(), z.gte(1), z.lte(999_999)),
  startedAt: instantSchema,
  endedAt: z.optional(instantSchema),
  location: z.optional(latLngSchema),
  answers: z.array(answerInputSchema).check(z.maxLength(limits.templateItems)),
  // No template has more deduction rules than items; duplicates are reported by answerProblems.
  deductions: z.optional(z.array(deductionInputSchema).check(z.maxLength(limits.templateItems))),
  manualFindings: z.optional(z.array(manualFindingInputSchema).check(z.maxLength(limits.manualFindings))),
  /** The inspection team, its lead (trưởng đoàn) first to sign; at most one lead. */
  team: z.optional(
    z.array(teamMemberSchema).check(
      z.maxLength(maxPeople),
      z.refine((team) => team.filter((member) => member.role === 'lead').length <= 1, {
        message: 'At most one member of the team is its lead.',
      }),
    ),
  ),
  unitRepresentatives: z.optional(z.array(unitRepresentativeSchema).check(z.maxLength(maxPeople))),
  /** The plan's assignment this visit carries out (`<planId>.<n>`); its unit, template and inspectors must match. */
  assignmentId: z.optional(assignmentIdSchema),
});
export type VisitInput = z.output<typeof visitInputSchema>;

/** What answer validation reads from a visit. */
export type VisitAnswers = Pick<VisitInput, 'answers'> &
  Partial<Pick<VisitInput, 'deductions' | 'manualFindings' | 'startedAt' | 'endedAt'>>;

export const photoStatuses = ['pending', 'verified', 'rejected'] as const;
export type PhotoStatus = (typeof photoStatuses)[number];
export const photoContentTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type PhotoContentType = (typeof photoContentTypes)[number];

/** Body of `POST /v1/visits/{visitId}/photos`. */
export const photoInputSchema = z.strictObject({
  photoId: uuidSchema,
  itemCode: itemCodeSchema,
  contentType: z.enum(photoContentTypes),
  sizeBytes: z.number().check(z.int(), z.gte(1), z.lte(limits.photoBytes)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  capturedAt: z.optional(instantSchema),
  location: z.optional(latLngSchema),
});
export type PhotoInput = z.output<typeof photoInputSchema>;

/** A photo as completeness checks and findings see it. */
export interface PhotoRef {
  photoId: string;
  itemCode: string;
  status: PhotoStatus;
}

/**
 * A problem about one coded thing (an item, a deduction): its message starts with the code
 * ("C2: ..."), since inspectors find items on the form by code and a path such as
 * `answers.3.value` only counts positions in the request.
 */
function codedProblem(path: ReadonlyArray<string | number> | string, code: string, text: Text): Problem {
  return problem(path, `${code}: ${text.vi}`, `${code}: ${text.en}`);
}

const unknownItem = (path: ReadonlyArray<string | number> | string, code: string) =>
  codedProblem(path, code, {
    vi: 'Phiếu kiểm tra không có tiêu chí mã này.',
    en: 'The template has no item with this code.',
  });

function valueMessage(spec: AnswerSpec): Text {
  switch (spec.type) {
    case 'yes_no':
      return { vi: 'Giá trị phải là true (có) hoặc false (không).', en: 'The value must be true or false.' };
    case 'rating':
      return {
        vi: `Giá trị phải là số nguyên từ ${spec.min} đến ${spec.max}.`,
        en: `The value must be an integer from ${spec.min} to ${spec.max}.`,
      };
    case 'percent':
      return {
        vi: 'Giá trị phải là số từ 0 đến 100, có tối đa 2 chữ số thập phân.',
        en: 'The value must be a number from 0 to 100 with at most 2 decimals.',
      };
    case 'count':
      return {
        vi: 'Giá trị phải là số nguyên không âm.',
        en: 'The value must be a whole number, 0 or more.',
      };
  }
}

/**
 * Every problem of a visit's answers, deductions and manual findings against its template
 * version, all at once, with paths such as `answers.3.value`: unknown or duplicate item codes,
 * values of the wrong type or range, not-applicable where the item does not allow it or together
 * with a value, unknown or duplicate deduction codes, counts over maxCount, manual findings that
 * name an unknown item, and an `endedAt` before `startedAt`. Unanswered items are not problems
 * here (a draft may be partial); see {@link completenessProblems}. A message about an item or a
 * deduction starts with its code ("C2: ...").
 */
export function answerProblems(template: TemplateDocument, input: VisitAnswers): Problem[] {
  const problems: Problem[] = [];
  const items = itemsByCode(template);
  const seen = new Set<string>();

  input.answers.forEach((answer, i) => {
    const at = ['answers', i];
    const item = items.get(answer.itemCode);
    if (item === undefined) {
      problems.push(unknownItem([...at, 'itemCode'], answer.itemCode));
      return;
    }
    if (seen.has(answer.itemCode)) {
      problems.push(
        codedProblem([...at, 'itemCode'], item.code, {
          vi: 'Tiêu chí được trả lời nhiều lần.',
          en: 'The item is answered more than once.',
        }),
      );
    }
    seen.add(answer.itemCode);
    const hasValue = answer.value !== undefined && answer.value !== null;
    if (answer.notApplicable === true) {
      if (!item.allowNotApplicable) {
        problems.push(
          codedProblem([...at, 'notApplicable'], item.code, {
            vi: 'Tiêu chí này không được đánh dấu là không áp dụng.',
            en: 'The item cannot be marked not applicable.',
          }),
        );
      }
      if (hasValue) {
        problems.push(
          codedProblem([...at, 'value'], item.code, {
            vi: 'Tiêu chí đã đánh dấu không áp dụng thì không được có giá trị.',
            en: 'An item marked not applicable cannot also have a value.',
          }),
        );
      }
      return;
    }
    if (hasValue && !valueFits(item.answer, answer.value)) {
      problems.push(codedProblem([...at, 'value'], item.code, valueMessage(item.answer)));
    }
  });

  const rules = new Map((template.deductions ?? []).map((rule) => [rule.code, rule]));
  const seenDeductions = new Set<string>();
  (input.deductions ?? []).forEach((deduction, d) => {
    const at = ['deductions', d];
    const rule = rules.get(deduction.code);
    if (rule === undefined) {
      problems.push(
        codedProblem([...at, 'code'], deduction.code, {
          vi: 'Phiếu kiểm tra không có điểm trừ mã này.',
          en: 'The template has no deduction with this code.',
        }),
      );
      return;
    }
    if (seenDeductions.has(deduction.code)) {
      problems.push(
        codedProblem([...at, 'code'], rule.code, {
          vi: 'Điểm trừ được ghi nhiều lần; hãy ghi một lần với số lần vi phạm.',
          en: 'The deduction is listed more than once; list it once with its count.',
        }),
      );
    }
    seenDeductions.add(deduction.code);
    if (rule.maxCount !== undefined && deduction.count > rule.maxCount) {
      problems.push(
        codedProblem([...at, 'count'], rule.code, {
          vi: `Điểm trừ chỉ được tính tối đa ${rule.maxCount} lần.`,
          en: `The deduction counts at most ${rule.maxCount} times.`,
        }),
      );
    }
  });

  (input.manualFindings ?? []).forEach((finding, f) => {
    if (finding.itemCode !== undefined && !items.has(finding.itemCode)) {
      problems.push(unknownItem(['manualFindings', f, 'itemCode'], finding.itemCode));
    }
  });

  if (input.startedAt !== undefined && input.endedAt !== undefined) {
    const started = parseInstant(input.startedAt);
    const ended = parseInstant(input.endedAt);
    if (started !== null && ended !== null && ended < started) {
      problems.push(
        problem(
          'endedAt',
          'Thời điểm kết thúc không được trước thời điểm bắt đầu.',
          'endedAt cannot be before startedAt.',
        ),
      );
    }
  }
  return problems;
}

/** Whether a photo's item exists in the template (a photo always belongs to one item). */
export function photoProblems(
  template: TemplateDocument,
  photo: Pick<PhotoInput, 'itemCode' | 'location'>,
): Problem[] {
  const problems = itemsByCode(template).has(photo.itemCode) ? [] : [unknownItem('itemCode', photo.itemCode)];
  if (template.evidence?.requireLocation === true && photo.location === undefined) {
    problems.push(
      problem(
        'location',
        'Phiếu kiểm tra này yêu cầu mỗi ảnh phải có vị trí chụp (location).',
        'This template requires every photo to declare where it was taken (location).',
      ),
    );
  }
  return problems;
}

/** The result of the submit checks. */
export interface Completeness {
  problems: Problem[];
  /** True when the only problems are photo requirements that pending photos would meet. */
  pendingOnly: boolean;
}

/**
 * The checks `submit` runs, every problem at once: the answer problems of
 * {@link answerProblems}; every item answered with a value or marked not applicable (path
 * `items.<code>.value`); photo requirements met by at least one verified photo of the item
 * (`required` when answered, `required_if_failed` when r < 1; path `items.<code>.photos`); and at
 * least one applicable item (path `answers`). `pendingOnly` tells the caller to answer
 * `photo_pending` (retry later) rather than `incomplete`.
 */
export function completenessProblems(
  template: TemplateDocument,
  input: VisitAnswers,
  photos: readonly PhotoRef[],
): Completeness {
  const problems = answerProblems(template, input);
  const answerIsValid = problems.length === 0;
  const answers = new Map(input.answers.map((answer) => [answer.itemCode, answer]));
  let applicableItems = 0;
  let photoProblemsCount = 0;
  let photoProblemsPending = 0;

  for (const item of templateItems(template)) {
    const answer = answers.get(item.code);
    if (answer?.notApplicable === true) {
      continue;
    }
    applicableItems += 1;
    if (answer?.value === undefined || answer.value === null) {
      problems.push(
        codedProblem(['items', item.code, 'value'], item.code, {
          vi: 'Tiêu chí chưa có kết quả kiểm tra.',
          en: 'The item has no answer yet.',
        }),
      );
      continue;
    }
    if (!valueFits(item.answer, answer.value)) {
      continue; // already reported by answerProblems
    }
    const ratio = itemRatio(item, answer);
    const needsPhoto =
      item.photo === 'required' ||
      (item.photo === 'required_if_failed' && ratio !== null && ratio.num < ratio.den);
    if (!needsPhoto) {
      continue;
    }
    const own = photos.filter((photo) => photo.itemCode === item.code);
    if (own.some((photo) => photo.status === 'verified')) {
      continue;
    }
    const pending = own.some((photo) => photo.status === 'pending');
    photoProblemsCount += 1;
    if (pending) {
      photoProblemsPending += 1;
    }
    problems.push(
      codedProblem(
        ['items', item.code, 'photos'],
        item.code,
        pending
          ? {
              vi: 'Ảnh minh chứng của tiêu chí đang chờ xác minh.',
              en: 'The photo for the item is still waiting for verification.',
            }
          : {
              vi: 'Tiêu chí cần ít nhất một ảnh minh chứng đã được xác minh.',
              en: 'The item needs at least one verified photo.',
            },
      ),
    );
  }

  if (applicableItems === 0) {
    problems.push(
      problem(
        'answers',
        'Mọi tiêu chí đều không áp dụng: tổng điểm tối đa bằng 0 nên không thể chấm điểm buổi kiểm tra.',
        'Every item is not applicable: the applicable maximum points sum to 0, so the visit cannot be scored.',
      ),
    );
  }

  const pendingOnly =
    answerIsValid &&
    problems.length > 0 &&
    problems.length === photoProblemsCount &&
    photoProblemsPending === photoProblemsCount;
  return { problems, pendingOnly };
}
