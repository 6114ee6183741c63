import * as z from 'zod/mini';
import { compareDecimal, hasAtMostTwoDecimals } from './decimal.ts';
import { evidenceRules } from './evidence.ts';
import { itemCodeSchema, limits, textSchema } from './ids.ts';
import { type Problem, problem } from './problems.ts';

/*
 * The zod schemas check the shape of a template (types, enums, string lengths, unknown keys);
 * templateProblems() checks what needs the document as a whole (uniqueness, orderings, ranges,
 * counts) and reports every such problem at once, each with its path.
 */

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];
export const severitySchema = z.enum(severities);

export const photoRequirements = ['none', 'optional', 'required', 'required_if_failed'] as const;
export type PhotoRequirement = (typeof photoRequirements)[number];

const percentBandSchema = z.strictObject({ min: z.number(), ratio: z.number() });
const countBandSchema = z.strictObject({
  max: z.number().check(z.int(), z.gte(0), z.lte(1_000_000_000)),
  ratio: z.number(),
});

export const answerSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('yes_no') }),
  z.strictObject({
    type: z.literal('rating'),
    min: z.number().check(z.int(), z.gte(-1_000_000), z.lte(1_000_000)),
    max: z.number().check(z.int(), z.gte(-1_000_000), z.lte(1_000_000)),
  }),
  z.strictObject({
    type: z.literal('percent'),
    bands: z.optional(z.array(percentBandSchema)),
    target: z.optional(z.number()),
  }),
  // `bands` is optional here only so that a missing one is reported by templateProblems()
  // together with every other problem, rather than alone by the parser.
  z.strictObject({ type: z.literal('count'), bands: z.optional(z.array(countBandSchema)) }),
]);
export type AnswerSpec = z.output<typeof answerSpecSchema>;
export type AnswerType = AnswerSpec['type'];

export const templateItemSchema = z.strictObject({
  code: itemCodeSchema,
  text: textSchema(limits.itemText),
  answer: answerSpecSchema,
  maxPoints: z.number(),
  severity: severitySchema,
  photo: z.enum(photoRequirements),
  allowNotApplicable: z._default(z.boolean(), false),
  remediationDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(365)), 30),
});
export type TemplateItem = z.output<typeof templateItemSchema>;

export const templateSectionSchema = z.strictObject({
  code: itemCodeSchema,
  title: textSchema(limits.name),
  items: z.array(templateItemSchema),
});
export type TemplateSection = z.output<typeof templateSectionSchema>;

export const deductionRuleSchema = z.strictObject({
  code: itemCodeSchema,
  text: textSchema(limits.itemText),
  points: z.number(),
  maxCount: z.optional(z.number().check(z.int(), z.gte(1), z.lte(1_000))),
});
export type DeductionRule = z.output<typeof deductionRuleSchema>;

export const bandSchema = z.strictObject({
  minScore: z.number(),
  code: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/)),
  label: textSchema(limits.name),
});
export type Band = z.output<typeof bandSchema>;

/** Body of `POST /v1/templates/{templateId}/versions`: the template as its author writes it. */
export const templateDocumentSchema = z.strictObject({
  title: textSchema(limits.name),
  sections: z.array(templateSectionSchema).check(z.minLength(1)),
  deductions: z.optional(z.array(deductionRuleSchema)),
  bands: z.array(bandSchema),
  /**
   * How photos of its visits are checked for place (docs/evidence.md): the radius around the
   * unit's office beyond which a photo is `far` (500 m when absent), and whether every photo must
   * declare where it was taken (then one without a location is refused with 422).
   */
  evidence: z.optional(
    z.strictObject({
      radiusM: z.optional(z.number().check(z.int(), z.gte(10), z.lte(100_000))),
      requireLocation: z.optional(z.boolean()),
    }),
  ),
});
export type TemplateDocument = z.output<typeof templateDocumentSchema>;

/** A published version: the document plus what the server adds on publish. */
export type Template = TemplateDocument & {
  templateId: string;
  version: number;
  publishedAt: string;
  publishedBy: string;
  /** The publisher's display name from the token, null without one; absent on older versions. */
  publishedByName?: string | null;
};

/** An item together with the code of its section. */
export type TemplateItemInSection = TemplateItem & { sectionCode: string };

/** Every item of a template in document order, each with its section code. */
export function templateItems(template: Pick<TemplateDocument, 'sections'>): TemplateItemInSection[] {
  return template.sections.flatMap((section) =>
    section.items.map((item) => ({ ...item, sectionCode: section.code })),
  );
}

/** Items by code, for answer validation and scoring. */
export function itemsByCode(
  template: Pick<TemplateDocument, 'sections'>,
): Map<string, TemplateItemInSection> {
  return new Map(templateItems(template).map((item) => [item.code, item]));
}

// An item worth more than this is a typing mistake; the cap also keeps sums far from overflow.
const maxItemPoints = 10_000;
// Finding IDs are `${visitId}.${itemCode}` for items and `${visitId}.m<n>` for manual findings.
const reservedItemCode = /^m\d+$/;

function isRatio(x: number): boolean {
  return x >= 0 && x <= 1;
}

/**
 * Every semantic problem of a parsed template document, all at once, with paths such as
 * `sections.0.items.2.maxPoints`. An empty list means the document can be published.
 */
export function templateProblems(doc: TemplateDocument): Problem[] {
  const problems: Problem[] = [];
  const sectionCodes = new Set<string>();
  const itemCodes = new Set<string>();
  let itemCount = 0;

  doc.sections.forEach((section, s) => {
    const at = ['sections', s];
    if (sectionCodes.has(section.code)) {
      problems.push(
        problem(
          [...at, 'code'],
          `Mã phần "${section.code}" bị trùng.`,
          `Section code "${section.code}" is used more than once.`,
        ),
      );
    }
    sectionCodes.add(section.code);
    if (section.items.length === 0) {
      problems.push(
        problem(
          [...at, 'items'],
          `Phần "${section.code}" phải có ít nhất một tiêu chí.`,
          `Section "${section.code}" must have at least one item.`,
        ),
      );
    }
    section.items.forEach((item, i) => {
      itemCount += 1;
      const itemAt = [...at, 'items', i];
      if (itemCodes.has(item.code)) {
        problems.push(
          problem(
            [...itemAt, 'code'],
            `Mã tiêu chí "${item.code}" bị trùng (mã tiêu chí phải duy nhất trong toàn bộ phiếu).`,
            `Item code "${item.code}" is used more than once (item codes are unique in the template).`,
          ),
        );
      }
      itemCodes.add(item.code);
      if (reservedItemCode.test(item.code)) {
        problems.push(
          problem(
            [...itemAt, 'code'],
            `Mã tiêu chí "${item.code}" có dạng m<số>, dạng này dành cho tồn tại do người kiểm tra ghi.`,
            `Item code "${item.code}" has the form m<number>, which is reserved for manual findings.`,
          ),
        );
      }
      if (!(item.maxPoints > 0 && item.maxPoints <= maxItemPoints) || !hasAtMostTwoDecimals(item.maxPoints)) {
        problems.push(
          problem(
            [...itemAt, 'maxPoints'],
            `Điểm tối đa phải lớn hơn 0, không quá ${maxItemPoints} và có tối đa 2 chữ số thập phân.`,
            `maxPoints must be greater than 0, at most ${maxItemPoints}, with at most 2 decimals.`,
          ),
        );
      }
      answerSpecProblems(item.answer, [...itemAt, 'answer'], problems);
    });
  });

  if (itemCount > limits.templateItems) {
    problems.push(
      problem(
        'sections',
        `Phiếu có ${itemCount} tiêu chí, vượt quá giới hạn ${limits.templateItems}.`,
        `The template has ${itemCount} items, more than the limit of ${limits.templateItems}.`,
      ),
    );
  }

  const deductionCodes = new Set<string>();
  (doc.deductions ?? []).forEach((rule, d) => {
    const at = ['deductions', d];
    if (deductionCodes.has(rule.code)) {
      problems.push(
        problem(
          [...at, 'code'],
          `Mã điểm trừ "${rule.code}" bị trùng.`,
          `Deduction code "${rule.code}" is used more than once.`,
        ),
      );
    }
    deductionCodes.add(rule.code);
    if (!(rule.points > 0 && rule.points <= 100) || !hasAtMostTwoDecimals(rule.points)) {
      problems.push(
        problem(
          [...at, 'points'],
          'Điểm trừ phải lớn hơn 0, không quá 100 và có tối đa 2 chữ số thập phân.',
          'Deduction points must be greater than 0, at most 100, with at most 2 decimals.',
        ),
      );
    }
  });

  const bandCodes = new Set<string>();
  doc.bands.forEach((band, b) => {
    const at = ['bands', b];
    if (bandCodes.has(band.code)) {
      problems.push(
        problem(
          [...at, 'code'],
          `Mã xếp loại "${band.code}" bị trùng.`,
          `Band code "${band.code}" is used more than once.`,
        ),
      );
    }
    bandCodes.add(band.code);
    if (!(band.minScore >= 0 && band.minScore <= 100) || !hasAtMostTwoDecimals(band.minScore)) {
      problems.push(
        problem(
          [...at, 'minScore'],
          'Điểm tối thiểu của xếp loại phải từ 0 đến 100, có tối đa 2 chữ số thập phân.',
          'A band minScore must be between 0 and 100, with at most 2 decimals.',
        ),
      );
    }
    const previous = doc.bands[b - 1];
    if (previous !== undefined && !(band.minScore < previous.minScore)) {
      problems.push(
        problem(
          [...at, 'minScore'],
          'Các xếp loại phải theo thứ tự điểm tối thiểu giảm dần.',
          'Bands must be in strictly descending order of minScore.',
        ),
      );
    }
  });

  return problems;
}

function answerSpecProblems(spec: AnswerSpec, at: (string | number)[], problems: Problem[]): void {
  switch (spec.type) {
    case 'yes_no':
      return;
    case 'rating':
      if (spec.min >= spec.max) {
        problems.push(
          problem(
            [...at, 'max'],
            'Thang đánh giá phải có min nhỏ hơn max.',
            'A rating scale needs min less than max.',
          ),
        );
      }
      return;
    case 'percent': {
      if (spec.bands !== undefined && spec.target !== undefined) {
        problems.push(
          problem(
            [...at, 'target'],
            'Chỉ tiêu (target) chỉ dùng khi không có các mức (bands).',
            'target applies only to a percent item without bands.',
          ),
        );
      }
      if (spec.target !== undefined && !(spec.target > 0 && spec.target <= 100)) {
        problems.push(
          problem(
            [...at, 'target'],
            'Chỉ tiêu phải lớn hơn 0 và không quá 100.',
            'target must be greater than 0 and at most 100.',
          ),
        );
      }
      if (spec.bands !== undefined) {
        if (spec.bands.length === 0) {
          problems.push(
            problem(
              [...at, 'bands'],
              'Khi có các mức (bands) thì phải có ít nhất một mức.',
              'bands, when given, must have at least one band.',
            ),
          );
        }
        spec.bands.forEach((band, b) => {
          const previous = spec.bands?.[b - 1];
          if (!(band.min >= 0 && band.min <= 100)) {
            problems.push(
              problem(
                [...at, 'bands', b, 'min'],
                'Mức min phải từ 0 đến 100.',
                'A band min must be between 0 and 100.',
              ),
            );
          }
          if (previous !== undefined && !(compareDecimal(band.min, previous.min) < 0)) {
            problems.push(
              problem(
                [...at, 'bands', b, 'min'],
                'Các mức phải theo thứ tự min giảm dần.',
                'Percent bands must be in strictly descending order of min.',
              ),
            );
          }
          if (!isRatio(band.ratio)) {
            problems.push(
              problem(
                [...at, 'bands', b, 'ratio'],
                'Tỷ lệ (ratio) phải từ 0 đến 1.',
                'A band ratio must be between 0 and 1.',
              ),
            );
          }
        });
      }
      return;
    }
    case 'count': {
      if (spec.bands === undefined || spec.bands.length === 0) {
        problems.push(
          problem(
            [...at, 'bands'],
            'Tiêu chí dạng đếm phải có ít nhất một mức (bands).',
            'A count item needs at least one band.',
          ),
        );
        return;
      }
      spec.bands.forEach((band, b) => {
        const previous = spec.bands?.[b - 1];
        if (previous !== undefined && !(band.max > previous.max)) {
          problems.push(
            problem(
              [...at, 'bands', b, 'max'],
              'Các mức phải theo thứ tự max tăng dần.',
              'Count bands must be in strictly ascending order of max.',
            ),
          );
        }
        if (!isRatio(band.ratio)) {
          problems.push(
            problem(
              [...at, 'bands', b, 'ratio'],
              'Tỷ lệ (ratio) phải từ 0 đến 1.',
              'A band ratio must be between 0 and 1.',
            ),
          );
        }
      });
      return;
    }
  }
}

/** The author's document of a stored version, without what the server added. */
export function templateDocumentOf(template: TemplateDocument): TemplateDocument {
  const { title, sections, deductions, bands, evidence } = template;
  return {
    title,
    sections,
    ...(deductions === undefined ? {} : { deductions }),
    bands,
    ...(evidence === undefined ? {} : { evidence }),
  };
}

/**
 * Whether two parsed documents say the same thing, field by field: key order does not matter,
 * defaults count as given (`allowNotApplicable: false` equals leaving it out, a 500 m radius
 * equals no evidence settings), and no deductions equals an empty list. Server fields of a stored {@link Template} are ignored.
 */
export function sameTemplateDocument(a: TemplateDocument, b: TemplateDocument): boolean {
  const normalise = (doc: TemplateDocument) => ({
    ...templateDocumentOf(doc),
    deductions: doc.deductions ?? [],
    // The evidence settings count too (a new radius is a new version), their defaults as given.
    evidence: {
      radiusM: doc.evidence?.radiusM ?? evidenceRules.defaultRadiusM,
      requireLocation: doc.evidence?.requireLocation ?? false,
    },
  });
  return deepEqual(normalise(a), normalise(b));
}

/** Structural equality of JSON-like values; object key order is irrelevant, array order is not. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((value, index) => deepEqual(value, b[index]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  const entriesA = Object.entries(a).filter(([, value]) => value !== undefined);
  const entriesB = new Map(Object.entries(b).filter(([, value]) => value !== undefined));
  return (
    entriesA.length === entriesB.size &&
    entriesA.every(([key, value]) => entriesB.has(key) && deepEqual(value, entriesB.get(key)))
  );
}
