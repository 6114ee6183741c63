import fc from 'fast-check';
import type { DeductionCount, ScoredAnswer } from '#domain/scoring.ts';
import { type TemplateDocument, templateDocumentSchema, templateItems } from '#domain/template.ts';

/*
 * Hand-written fast-check arbitraries for valid templates and complete visits (zod-fast-check
 * does not support zod 4).
 */

const ratio = fc.integer({ min: 0, max: 100 }).map((n) => n / 100);

const answerSpec = fc.oneof(
  fc.constant({ type: 'yes_no' as const }),
  fc
    .tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 10 }))
    .map(([min, span]) => ({ type: 'rating' as const, min, max: min + span })),
  fc.integer({ min: 1, max: 10_000 }).map((t) => ({ type: 'percent' as const, target: t / 100 })),
  fc.constant({ type: 'percent' as const }),
  fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 4 }).chain((mins) =>
    fc.array(ratio, { minLength: mins.length, maxLength: mins.length }).map((ratios) => ({
      type: 'percent' as const,
      bands: [...mins].sort((a, b) => b - a).map((min, i) => ({ min: min / 100, ratio: ratios[i] ?? 0 })),
    })),
  ),
  fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4 }).chain((maxes) =>
    fc.array(ratio, { minLength: maxes.length, maxLength: maxes.length }).map((ratios) => ({
      type: 'count' as const,
      bands: [...maxes].sort((a, b) => a - b).map((max, i) => ({ max, ratio: ratios[i] ?? 0 })),
    })),
  ),
);

const itemShape = fc.record({
  answer: answerSpec,
  maxPoints: fc.integer({ min: 1, max: 2_000 }).map((h) => h / 100),
  allowNotApplicable: fc.boolean(),
});

/** A valid template of 1-4 sections with 1-6 items each and up to 3 deduction rules. */
export const templateArb: fc.Arbitrary<TemplateDocument> = fc
  .record({
    sections: fc.array(fc.array(itemShape, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
    deductions: fc.array(
      fc.record({
        points: fc.integer({ min: 1, max: 3_000 }).map((h) => h / 100),
        maxCount: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ sections, deductions }) =>
    templateDocumentSchema.parse({
      title: { vi: 'Phiếu ngẫu nhiên' },
      sections: sections.map((items, s) => ({
        code: `S${s}`,
        title: { vi: `Phần ${s}` },
        items: items.map((item, i) => ({
          code: `S${s}I${i}`,
          text: { vi: `Tiêu chí ${s}.${i}` },
          severity: 'medium',
          photo: 'none',
          ...item,
        })),
      })),
      deductions: deductions.map((d, i) => ({
        code: `X${i}`,
        text: { vi: `Điểm trừ ${i}` },
        points: d.points,
        ...(d.maxCount === undefined ? {} : { maxCount: d.maxCount }),
      })),
      bands: [
        { minScore: 90, code: 'XS', label: { vi: 'Xuất sắc' } },
        { minScore: 50, code: 'TB', label: { vi: 'Trung bình' } },
      ],
    }),
  );

function valueArb(item: ReturnType<typeof templateItems>[number]): fc.Arbitrary<boolean | number> {
  switch (item.answer.type) {
    case 'yes_no':
      return fc.boolean();
    case 'rating':
      return fc.integer({ min: item.answer.min, max: item.answer.max });
    case 'percent':
      return fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100);
    case 'count':
      return fc.integer({ min: 0, max: 60 });
  }
}

/** A complete set of answers for a template, with at least one applicable item. */
export function answersArb(template: TemplateDocument): fc.Arbitrary<ScoredAnswer[]> {
  const items = templateItems(template);
  return fc
    .tuple(
      ...items.map((item, index) =>
        item.allowNotApplicable && index > 0
          ? fc.oneof(
              valueArb(item).map((value): ScoredAnswer => ({ itemCode: item.code, value })),
              fc.constant<ScoredAnswer>({ itemCode: item.code, notApplicable: true }),
            )
          : valueArb(item).map((value): ScoredAnswer => ({ itemCode: item.code, value })),
      ),
    )
    .map((answers) => answers);
}

/** Valid deductions for a template (each rule at most once, within maxCount). */
export function deductionsArb(template: TemplateDocument): fc.Arbitrary<DeductionCount[]> {
  const rules = template.deductions ?? [];
  return fc
    .tuple(
      ...rules.map((rule) => fc.option(fc.integer({ min: 1, max: rule.maxCount ?? 10 }), { nil: undefined })),
    )
    .map((counts) =>
      rules.flatMap((rule, i) => {
        const count = counts[i];
        return count === undefined ? [] : [{ code: rule.code, count }];
      }),
    );
}

/** A template with a complete visit and valid deductions. */
export const scoredVisitArb = templateArb.chain((template) =>
  fc.record({
    template: fc.constant(template),
    answers: answersArb(template),
    deductions: deductionsArb(template),
  }),
);

/** A permutation of an array. */
export function permutationArb<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}
