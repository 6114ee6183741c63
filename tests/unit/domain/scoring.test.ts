import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHundredths } from '#domain/decimal.ts';
import { parsePeriod } from '#domain/period.ts';
import { bandFor, itemRatio, scoreVisit, unitScore } from '#domain/scoring.ts';
import { templateItems } from '#domain/template.ts';
import { permutationArb, scoredVisitArb } from './arbitraries.ts';
import { oneItemTemplate, smallTemplate } from './fixtures.ts';

const runs = { numRuns: 1000 };

function itemPoints(item: Record<string, unknown>, value: boolean | number): number {
  const result = scoreVisit(oneItemTemplate(item), [{ itemCode: 'I1', value }]);
  return result.items[0]?.points ?? Number.NaN;
}

describe('worked examples of DOMAIN.md', () => {
  it('maxPoints 3, percent without bands, target 98, v = 97: 3 x 97/98 = 2.9693... -> 2.97', () => {
    expect(itemPoints({ answer: { type: 'percent', target: 98 }, maxPoints: 3 }, 97)).toBe(2.97);
  });

  it('maxPoints 2, rating 1..5, v = 4: 2 x 3/4 = 1.50', () => {
    expect(itemPoints({ answer: { type: 'rating', min: 1, max: 5 }, maxPoints: 2 }, 4)).toBe(1.5);
  });

  it('visit scores 80.00, 85.55, 90.01 -> unit score 85.19', () => {
    const visits = [80, 85.55, 90.01].map((score) => ({
      score,
      sections: [],
      startedAt: '2026-05-01T08:00:00+07:00',
    }));
    expect(unitScore(visits)?.score).toBe(85.19);
  });

  it('the visit base is computed from the rounded item points', () => {
    // 2.97 of 3 -> 99.00; the unrounded 2.9693... would give 98.98.
    const result = scoreVisit(oneItemTemplate({ answer: { type: 'percent', target: 98 }, maxPoints: 3 }), [
      { itemCode: 'I1', value: 97 },
    ]);
    expect(result.base).toBe(99);
  });
});

describe('itemRatio, per answer type', () => {
  const ratio = (answer: Record<string, unknown>, value: boolean | number) => {
    const [item] = templateItems(oneItemTemplate({ answer, maxPoints: 1 }));
    if (item === undefined) throw new Error('setup');
    const r = itemRatio(item, { value });
    return r === null ? null : Number(r.num) / Number(r.den);
  };
  const bandsPercent = {
    type: 'percent',
    bands: [
      { min: 98, ratio: 1 },
      { min: 90, ratio: 0.5 },
    ],
  };
  const countBands = {
    type: 'count',
    bands: [
      { max: 0, ratio: 1 },
      { max: 2, ratio: 0.5 },
    ],
  };
  it.each([
    ['yes_no true', { type: 'yes_no' }, true, 1],
    ['yes_no false', { type: 'yes_no' }, false, 0],
    ['rating at min', { type: 'rating', min: 1, max: 5 }, 1, 0],
    ['rating in the middle', { type: 'rating', min: 1, max: 5 }, 3, 0.5],
    ['rating at max', { type: 'rating', min: 1, max: 5 }, 5, 1],
    ['rating with a negative min', { type: 'rating', min: -2, max: 2 }, 0, 0.5],
    ['percent band top', bandsPercent, 100, 1],
    ['percent on a band edge', bandsPercent, 98, 1],
    ['percent just below an edge', bandsPercent, 97.99, 0.5],
    ['percent on the lower edge', bandsPercent, 90, 0.5],
    ['percent below every band', bandsPercent, 89.99, 0],
    ['percent 0 with bands', bandsPercent, 0, 0],
    ['percent default target', { type: 'percent' }, 50, 0.5],
    ['percent 0 default target', { type: 'percent' }, 0, 0],
    ['percent at target 80', { type: 'percent', target: 80 }, 80, 1],
    ['percent above target is capped', { type: 'percent', target: 80 }, 100, 1],
    ['percent half of target', { type: 'percent', target: 80 }, 40, 0.5],
    ['count 0', countBands, 0, 1],
    ['count within the second band', countBands, 1, 0.5],
    ['count on the last edge', countBands, 2, 0.5],
    ['count over every band', countBands, 3, 0],
  ])('%s', (_name, answer, value, expected) => {
    expect(ratio(answer, value)).toBe(expected);
  });

  it('is null for a not-applicable answer and refuses missing or invalid values', () => {
    const [item] = templateItems(oneItemTemplate({ answer: { type: 'yes_no' }, maxPoints: 1 }));
    if (item === undefined) throw new Error('setup');
    expect(itemRatio(item, { notApplicable: true })).toBeNull();
    expect(() => itemRatio(item, undefined)).toThrow(RangeError);
    expect(() => itemRatio(item, { value: null })).toThrow(RangeError);
    expect(() => itemRatio(item, { value: 1 })).toThrow(RangeError);
  });
});

describe('item points rounding', () => {
  it.each([
    [{ type: 'rating', min: 1, max: 5 }, 1.25, 2, 0.31], // 0.3125
    [{ type: 'rating', min: 1, max: 5 }, 1.25, 3, 0.63], // 0.625, half up
    [{ type: 'rating', min: 0, max: 3 }, 1, 1, 0.33],
    [{ type: 'rating', min: 0, max: 3 }, 1, 2, 0.67],
    [{ type: 'percent' }, 0.01, 50, 0.01], // 0.005, half up
    [{ type: 'percent' }, 7.77, 33.33, 2.59], // 2.589741
    [{ type: 'yes_no' }, 0.01, true, 0.01],
  ])('%j worth %s with %s -> %s', (answer, maxPoints, value, expected) => {
    expect(itemPoints({ answer, maxPoints }, value)).toBe(expected);
  });
});

describe('scoreVisit', () => {
  it('scores the small template', () => {
    const result = scoreVisit(smallTemplate, [
      { itemCode: 'A1', value: true },
      { itemCode: 'A2', value: 97 },
      { itemCode: 'B1', value: 4 },
    ]);
    // Points 2 + 2.5 + 1.5 = 6 of 9 -> 66.67; A: 4.5 / 7 -> 64.29; B: 1.5 / 2 -> 75.
    expect(result).toEqual({
      base: 66.67,
      score: 66.67,
      deductionPoints: 0,
      sections: [
        { code: 'A', percent: 64.29 },
        { code: 'B', percent: 75 },
      ],
      items: [
        { itemCode: 'A1', sectionCode: 'A', points: 2, maxPoints: 2, ratio: 1, failed: false },
        { itemCode: 'A2', sectionCode: 'A', points: 2.5, maxPoints: 5, ratio: 0.5, failed: true },
        { itemCode: 'B1', sectionCode: 'B', points: 1.5, maxPoints: 2, ratio: 0.75, failed: true },
      ],
    });
  });

  it('leaves not-applicable items out of both earned and maximum points', () => {
    const result = scoreVisit(smallTemplate, [
      { itemCode: 'A1', value: false },
      { itemCode: 'A2', notApplicable: true },
      { itemCode: 'B1', value: 5 },
    ]);
    expect(result.base).toBe(50); // 0 + 2 of 2 + 2
    expect(result.sections).toEqual([
      { code: 'A', percent: 0 },
      { code: 'B', percent: 100 },
    ]);
    expect(result.items.map((i) => i.itemCode)).toEqual(['A1', 'B1']);
  });

  it('gives a section with nothing applicable a null percent', () => {
    const result = scoreVisit(smallTemplate, [
      { itemCode: 'A1', value: true },
      { itemCode: 'A2', value: 100 },
      { itemCode: 'B1', notApplicable: true },
    ]);
    expect(result.sections).toEqual([
      { code: 'A', percent: 100 },
      { code: 'B', percent: null },
    ]);
    expect(result.base).toBe(100);
  });

  it.each([
    ['0 everywhere', [false, 0, 1], [], 0, 0],
    ['the maximum', [true, 100, 5], [], 100, 100],
    ['one deduction', [true, 100, 5], [{ code: 'X1', count: 2 }], 100, 90],
    [
      'deductions flooring at 0',
      [true, 97, 4],
      [
        { code: 'X2', count: 1 },
        { code: 'X1', count: 3 },
      ],
      66.67,
      0,
    ],
    [
      'two rules together',
      [true, 100, 5],
      [
        { code: 'X2', count: 1 },
        { code: 'X1', count: 3 },
      ],
      100,
      25,
    ],
  ])('%s', (_name, [a1, a2, b1], deductions, base, score) => {
    const result = scoreVisit(
      smallTemplate,
      [
        { itemCode: 'A1', value: a1 },
        { itemCode: 'A2', value: a2 },
        { itemCode: 'B1', value: b1 },
      ],
      deductions,
    );
    expect(result.base).toBe(base);
    expect(result.score).toBe(score);
  });

  it('refuses to score what cannot be submitted', () => {
    const allNa = [
      { itemCode: 'A1', notApplicable: true },
      { itemCode: 'A2', notApplicable: true },
      { itemCode: 'B1', notApplicable: true },
    ];
    const withA1 = [{ itemCode: 'A1', value: true }, ...allNa.slice(1)];
    expect(() => scoreVisit(smallTemplate, allNa)).toThrow(RangeError);
    expect(() => scoreVisit(smallTemplate, withA1.slice(0, 2))).toThrow(RangeError); // B1 missing
    expect(() => scoreVisit(smallTemplate, [...withA1, { itemCode: 'A1', value: true }])).toThrow(RangeError);
    expect(() => scoreVisit(smallTemplate, withA1, [{ code: 'X1', count: 4 }])).toThrow(RangeError);
    expect(() => scoreVisit(smallTemplate, withA1, [{ code: 'NOPE', count: 1 }])).toThrow(RangeError);
  });
});

describe('scoring properties', () => {
  const hasTwoDecimals = (x: number) => Number.isSafeInteger(toHundredths(x));

  it('scores, bases and section percents stay in [0, 100] with at most 2 decimals', () => {
    fc.assert(
      fc.property(scoredVisitArb, ({ template, answers, deductions }) => {
        const result = scoreVisit(template, answers, deductions);
        for (const value of [result.score, result.base, ...result.sections.map((s) => s.percent ?? 0)]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(100);
          expect(hasTwoDecimals(value)).toBe(true);
        }
        expect(result.score).toBeLessThanOrEqual(result.base);
        for (const item of result.items) {
          expect(item.points).toBeGreaterThanOrEqual(0);
          expect(item.points).toBeLessThanOrEqual(item.maxPoints);
        }
      }),
      runs,
    );
  });

  it('the order of the answers and of the deductions changes nothing, and recomputing is idempotent', () => {
    fc.assert(
      fc.property(
        scoredVisitArb.chain((visit) =>
          fc.record({
            visit: fc.constant(visit),
            answers: permutationArb(visit.answers),
            deductions: permutationArb(visit.deductions),
          }),
        ),
        ({ visit, answers, deductions }) => {
          const first = scoreVisit(visit.template, visit.answers, visit.deductions);
          expect(scoreVisit(visit.template, answers, deductions)).toEqual(first);
          // The stored, JSON round-tripped visit scores the same again.
          const stored = JSON.parse(JSON.stringify({ answers: visit.answers, deductions: visit.deductions }));
          expect(scoreVisit(visit.template, stored.answers, stored.deductions)).toEqual(first);
        },
      ),
      runs,
    );
  });
});

describe('unitScore', () => {
  const visit = (
    score: number,
    startedAt: string,
    sections: { code: string; percent: number | null }[] = [],
  ) => ({
    score,
    startedAt,
    sections,
  });

  it('means section percents over the visits where they are not null', () => {
    const result = unitScore([
      visit(80, '2026-02-01T08:00:00+07:00', [
        { code: 'B', percent: 50 },
        { code: 'A', percent: 100 },
      ]),
      visit(85.55, '2026-03-01T08:00:00+07:00', [
        { code: 'A', percent: 33.33 },
        { code: 'B', percent: null },
      ]),
      visit(90.01, '2026-03-02T08:00:00+07:00', [
        { code: 'A', percent: null },
        { code: 'B', percent: null },
        { code: 'C', percent: null },
      ]),
    ]);
    expect(result).toEqual({
      score: 85.19,
      sections: [
        { code: 'A', percent: 66.67 }, // 133.33 / 2 = 66.665 -> 66.67
        { code: 'B', percent: 50 },
        { code: 'C', percent: null },
      ],
      visitCount: 3,
    });
  });

  it('counts only visits whose local start date falls in the period', () => {
    const q1 = parsePeriod('2027-Q1');
    if (q1 === null) throw new Error('setup');
    const visits = [
      visit(60, '2026-12-31T16:59:59Z'),
      visit(70, '2026-12-31T17:00:00Z'),
      visit(90, '2027-03-31T23:00:00+07:00'),
    ];
    expect(unitScore(visits, q1)).toEqual({ score: 80, sections: [], visitCount: 2 });
    const q4 = parsePeriod('2026-Q4');
    if (q4 === null) throw new Error('setup');
    expect(unitScore(visits, q4)?.score).toBe(60);
    const q2 = parsePeriod('2027-Q2');
    if (q2 === null) throw new Error('setup');
    expect(unitScore(visits, q2)).toBeNull();
  });

  it('lies between the lowest and highest visit score, whatever the order of the visits', () => {
    const score = fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100);
    const percent = fc.option(score, { nil: null });
    const visitArb = fc.record({
      score,
      startedAt: fc.constant('2026-05-01T08:00:00+07:00'),
      sections: fc.tuple(percent, percent).map(([a, b]) => [
        { code: 'A', percent: a },
        { code: 'B', percent: b },
      ]),
    });
    fc.assert(
      fc.property(
        fc
          .array(visitArb, { minLength: 1, maxLength: 12 })
          .chain((visits) => fc.record({ visits: fc.constant(visits), shuffled: permutationArb(visits) })),
        ({ visits, shuffled }) => {
          const result = unitScore(visits);
          if (result === null) throw new Error('a unit with visits has a score');
          const scores = visits.map((v) => v.score);
          expect(result.score).toBeGreaterThanOrEqual(Math.min(...scores));
          expect(result.score).toBeLessThanOrEqual(Math.max(...scores));
          expect(result.visitCount).toBe(visits.length);
          expect(unitScore(shuffled)).toEqual(result);
          expect(unitScore(visits)).toEqual(result);
        },
      ),
      runs,
    );
  });
});

describe('bandFor', () => {
  it.each([
    [100, 'XS'],
    [90, 'XS'],
    [89.99, 'T'],
    [80, 'T'],
    [70, 'K'],
    [69.99, 'TB'],
    [50, 'TB'],
    [49.99, 'Y'],
    [0, 'Y'],
  ])('%s -> %s', (score, code) => {
    expect(bandFor(score, smallTemplate.bands)?.code).toBe(code);
  });

  it('sorts the bands itself and answers null below every band', () => {
    const bands = smallTemplate.bands.slice(0, 4); // no Yếu band
    expect(bandFor(49.99, bands)).toBeNull();
    expect(bandFor(95, [...bands].reverse())).toEqual({
      code: 'XS',
      label: { vi: 'Xuất sắc', en: 'Excellent' },
    });
    expect(bandFor(95, [])).toBeNull();
  });
});
