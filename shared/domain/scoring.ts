import {
  compareDecimal,
  compareRational,
  fromHundredths,
  hasAtMostTwoDecimals,
  type Rational,
  rational,
  roundHalfUpDiv,
  toHundredthsBig,
  toRational,
} from './decimal.ts';
import { type Period, periodContains } from './period.ts';
import type { AnswerSpec, Band, TemplateDocument, TemplateItem } from './template.ts';
import { templateItems } from './template.ts';

/*
 * Scoring as DOMAIN.md defines it. Every quantity is an exact rational or a bigint count of
 * hundredths; round2 (half up) happens only at the four places the spec names: item points,
 * section percent, visit base and unit score (and unit section percents).
 */

/** What an answer carries for scoring. */
export interface ScoredAnswer {
  itemCode: string;
  value?: boolean | number | null | undefined;
  notApplicable?: boolean | undefined;
}

/** A deduction as recorded on a visit: which rule, how many times. */
export interface DeductionCount {
  code: string;
  count: number;
}

export interface SectionPercent {
  code: string;
  percent: number | null;
}

export interface ItemScore {
  itemCode: string;
  sectionCode: string;
  points: number;
  maxPoints: number;
  /** r as a float, for display only; `failed` is the exact r < 1. */
  ratio: number;
  failed: boolean;
}

/**
 * The score of one visit. `items` lists the applicable items only (not-applicable ones count in
 * neither earned nor maximum points); `sections` lists every section in template order.
 */
export interface VisitScore {
  base: number;
  score: number;
  deductionPoints: number;
  sections: SectionPercent[];
  items: ItemScore[];
}

const one: Rational = { num: 1n, den: 1n };
const zero: Rational = { num: 0n, den: 1n };

/**
 * Whether `value` is a valid answer for an item of this answer type: yes_no a boolean; rating
 * an integer in [min, max]; percent a number in [0, 100] with at most 2 decimals; count an
 * integer >= 0.
 */
export function valueFits(spec: AnswerSpec, value: unknown): value is boolean | number {
  switch (spec.type) {
    case 'yes_no':
      return typeof value === 'boolean';
    case 'rating':
      return (
        typeof value === 'number' && Number.isSafeInteger(value) && value >= spec.min && value <= spec.max
      );
    case 'percent':
      return typeof value === 'number' && value >= 0 && value <= 100 && hasAtMostTwoDecimals(value);
    case 'count':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  }
}

/**
 * The item's ratio r in [0, 1] as an exact rational, or null when the answer is not applicable.
 *
 * @throws RangeError when the item is unanswered or the value does not fit its answer type
 * (callers validate with answerProblems/completenessProblems first).
 */
export function itemRatio(
  item: Pick<TemplateItem, 'code' | 'answer'>,
  answer: Omit<ScoredAnswer, 'itemCode'> | undefined,
): Rational | null {
  if (answer?.notApplicable === true) {
    return null;
  }
  const value = answer?.value;
  if (value === undefined || value === null || !valueFits(item.answer, value)) {
    throw new RangeError(`item ${item.code} has no valid answer`);
  }
  const spec = item.answer;
  switch (spec.type) {
    case 'yes_no':
      return value === true ? one : zero;
    case 'rating':
      return rational(BigInt(Number(value) - spec.min), BigInt(spec.max - spec.min));
    case 'percent': {
      const v = toRational(Number(value));
      if (spec.bands !== undefined) {
        // Highest threshold first, whatever order the document used.
        const bands = [...spec.bands].sort((a, b) => compareDecimal(b.min, a.min));
        const band = bands.find((b) => compareRational(v, toRational(b.min)) >= 0);
        return band === undefined ? zero : toRational(band.ratio);
      }
      const target = toRational(spec.target ?? 100);
      const r = rational(v.num * target.den, v.den * target.num);
      return compareRational(r, one) > 0 ? one : r;
    }
    case 'count': {
      const bands = [...(spec.bands ?? [])].sort((a, b) => a.max - b.max);
      const band = bands.find((b) => Number(value) <= b.max);
      return band === undefined ? zero : toRational(band.ratio);
    }
  }
}

/** round2(maxPoints x r) in hundredths. */
function pointsHundredths(maxPointsH: bigint, r: Rational): bigint {
  return roundHalfUpDiv(maxPointsH * r.num, r.den);
}

/** round2(100 x earned / max) in hundredths, from sums in hundredths. */
function percentHundredths(earnedH: bigint, maxH: bigint): bigint {
  return roundHalfUpDiv(10_000n * earnedH, maxH);
}

/**
 * Scores a complete visit: item points, section percents, the base and the score after
 * deductions, exactly as DOMAIN.md defines them.
 *
 * @throws RangeError when an item is unanswered or invalid, an item is answered twice, a
 * deduction is unknown or over its maxCount, or every item is not applicable (such a visit cannot
 * be submitted).
 */
export function scoreVisit(
  template: Pick<TemplateDocument, 'sections' | 'deductions'>,
  answers: readonly ScoredAnswer[],
  deductions: readonly DeductionCount[] = [],
): VisitScore {
  const byCode = new Map<string, ScoredAnswer>();
  for (const answer of answers) {
    if (byCode.has(answer.itemCode)) {
      throw new RangeError(`item ${answer.itemCode} answered twice`);
    }
    byCode.set(answer.itemCode, answer);
  }

  const items: ItemScore[] = [];
  const sectionSums = new Map<string, { earned: bigint; max: bigint }>();
  let earned = 0n;
  let max = 0n;
  for (const item of templateItems(template)) {
    const sums = sectionSums.get(item.sectionCode) ?? { earned: 0n, max: 0n };
    sectionSums.set(item.sectionCode, sums);
    const r = itemRatio(item, byCode.get(item.code));
    if (r === null) {
      continue;
    }
    const maxH = toHundredthsBig(item.maxPoints);
    const pointsH = pointsHundredths(maxH, r);
    sums.earned += pointsH;
    sums.max += maxH;
    earned += pointsH;
    max += maxH;
    items.push({
      itemCode: item.code,
      sectionCode: item.sectionCode,
      points: fromHundredths(pointsH),
      maxPoints: item.maxPoints,
      ratio: Number(r.num) / Number(r.den),
      failed: r.num < r.den,
    });
  }
  if (max === 0n) {
    throw new RangeError('no applicable item: the visit cannot be scored');
  }

  const rules = new Map((template.deductions ?? []).map((rule) => [rule.code, rule]));
  let deductionH = 0n;
  for (const deduction of deductions) {
    const rule = rules.get(deduction.code);
    if (
      rule === undefined ||
      !Number.isSafeInteger(deduction.count) ||
      deduction.count < 0 ||
      (rule.maxCount !== undefined && deduction.count > rule.maxCount)
    ) {
      throw new RangeError(`invalid deduction ${deduction.code} x ${deduction.count}`);
    }
    deductionH += toHundredthsBig(rule.points) * BigInt(deduction.count);
  }

  const baseH = percentHundredths(earned, max);
  const scoreH = baseH > deductionH ? baseH - deductionH : 0n;
  return {
    base: fromHundredths(baseH),
    score: fromHundredths(scoreH),
    deductionPoints: fromHundredths(deductionH),
    sections: [...sectionSums].map(([code, sums]) => ({
      code,
      percent: sums.max === 0n ? null : fromHundredths(percentHundredths(sums.earned, sums.max)),
    })),
    items,
  };
}

/** What a unit score needs from each approved, unrevoked visit. */
export interface ScoredVisit {
  score: number;
  sections: readonly SectionPercent[];
  startedAt: string;
}

export interface UnitScore {
  score: number;
  sections: SectionPercent[];
  visitCount: number;
}

/**
 * A unit's score over its approved, unrevoked visits (those whose `startedAt` falls in `period`
 * when one is given): round2 of the exact mean of the visit scores, and per section round2 of
 * the mean over the visits where the section was not null. Sections are listed by code
 * (code-point order) so the result does not depend on the order of the visits; the ranking
 * re-lists them in the order of the template's latest version. Null when no visit counts.
 */
export function unitScore(visits: readonly ScoredVisit[], period?: Period): UnitScore | null {
  const counted = period === undefined ? visits : visits.filter((v) => periodContains(period, v.startedAt));
  if (counted.length === 0) {
    return null;
  }
  let total = 0n;
  const sections = new Map<string, { sum: bigint; count: bigint }>();
  for (const visit of counted) {
    total += toHundredthsBig(visit.score);
    for (const section of visit.sections) {
      const acc = sections.get(section.code) ?? { sum: 0n, count: 0n };
      sections.set(section.code, acc);
      if (section.percent !== null) {
        acc.sum += toHundredthsBig(section.percent);
        acc.count += 1n;
      }
    }
  }
  return {
    score: fromHundredths(roundHalfUpDiv(total, BigInt(counted.length))),
    sections: [...sections]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([code, acc]) => ({
        code,
        percent: acc.count === 0n ? null : fromHundredths(roundHalfUpDiv(acc.sum, acc.count)),
      })),
    visitCount: counted.length,
  };
}

/** A band as rows and visits carry it. */
export interface BandRef {
  code: string;
  label: Band['label'];
}

/**
 * The band of a score: among the bands sorted by minScore descending, the first with
 * score >= minScore; null when the score is below every band (or there are none).
 */
export function bandFor(score: number, bands: readonly Band[]): BandRef | null {
  const sorted = [...bands].sort((a, b) => compareDecimal(b.minScore, a.minScore));
  const band = sorted.find((b) => compareDecimal(score, b.minScore) >= 0);
  return band === undefined ? null : { code: band.code, label: band.label };
}
