import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '#domain/period.ts';
import { type RankedScore, rankPeerGroup } from '#domain/ranking.ts';
import { inPeerGroup } from '#domain/unit.ts';
import { permutationArb } from './arbitraries.ts';
import { smallTemplate } from './fixtures.ts';

const latest = { sections: smallTemplate.sections, bands: smallTemplate.bands };
const scored = (score: number, sections: RankedScore['sections'] = [], visitCount = 1): RankedScore => ({
  score,
  sections,
  visitCount,
});

describe('rankPeerGroup', () => {
  it('shares ranks between ties: 91.00, 88.50, 88.50, 70.00 -> 1, 2, 2, 4', () => {
    const units = [
      { unitId: 'u4', name: 'Xã Bốn' },
      { unitId: 'u1', name: 'Xã Một' },
      { unitId: 'u3', name: 'Xã Ba' },
      { unitId: 'u2', name: 'Xã Hai' },
    ];
    const scores = new Map([
      ['u1', scored(91)],
      ['u2', scored(88.5)],
      ['u3', scored(88.5)],
      ['u4', scored(70)],
    ]);
    const rows = rankPeerGroup(units, scores, latest);
    expect(rows.map((r) => [r.unitId, r.rank, r.score, r.band?.code])).toEqual([
      ['u1', 1, 91, 'XS'],
      ['u3', 2, 88.5, 'T'], // Xã Ba before Xã Hai
      ['u2', 2, 88.5, 'T'],
      ['u4', 4, 70, 'K'],
    ]);
  });

  it('orders names by Vietnamese collation (a < ă < â, d < đ), then unit ID', () => {
    const names = ['Đông Hiếu', 'Diễn Châu', 'Ân Thi', 'Anh Sơn', 'Ăn Khê', 'Bắc Hà', 'Ba Đình'];
    const units = names.map((name, i) => ({ unitId: `u${i}`, name }));
    const scores = new Map(units.map((u) => [u.unitId, scored(80)]));
    expect(rankPeerGroup(units, scores, latest).map((r) => r.name)).toEqual([
      'Anh Sơn',
      'Ăn Khê',
      'Ân Thi',
      'Ba Đình',
      'Bắc Hà',
      'Diễn Châu',
      'Đông Hiếu',
    ]);
    // A plain code-point sort would put every accented initial after Z.
    expect([...names].sort()).not.toEqual(rankPeerGroup(units, scores, latest).map((r) => r.name));
    const twins = [
      { unitId: 'b', name: 'Phường Hà Huy Tập' },
      { unitId: 'a', name: 'Phường Hà Huy Tập' },
    ];
    expect(rankPeerGroup(twins, new Map(), latest).map((r) => r.unitId)).toEqual(['a', 'b']);
  });

  it('lists unscored units last, in name order, with nulls, and every section of the latest version', () => {
    const units = [
      { unitId: 'z', name: 'Xã Yên Hồ', code: '18100' },
      { unitId: 'c', name: 'Xã Cẩm Xuyên' },
      { unitId: 'b', name: 'Xã Bình Lộc' },
    ];
    const scores = new Map([
      [
        'c',
        scored(
          45.5,
          [
            { code: 'A', percent: 40 },
            { code: 'OLD', percent: 10 },
          ],
          2,
        ),
      ],
    ]);
    expect(rankPeerGroup(units, scores, latest)).toEqual([
      {
        unitId: 'c',
        code: null,
        name: 'Xã Cẩm Xuyên',
        score: 45.5,
        rank: 1,
        band: { code: 'Y', label: { vi: 'Yếu', en: 'Poor' } },
        visitCount: 2,
        sections: [
          { code: 'A', percent: 40 },
          { code: 'B', percent: null },
        ],
      },
      {
        unitId: 'b',
        code: null,
        name: 'Xã Bình Lộc',
        score: null,
        rank: null,
        band: null,
        visitCount: 0,
        sections: [
          { code: 'A', percent: null },
          { code: 'B', percent: null },
        ],
      },
      {
        unitId: 'z',
        code: '18100',
        name: 'Xã Yên Hồ',
        score: null,
        rank: null,
        band: null,
        visitCount: 0,
        sections: [
          { code: 'A', percent: null },
          { code: 'B', percent: null },
        ],
      },
    ]);
  });

  it('ranks only the peer group: units abolished before the period are left out', () => {
    const period = parsePeriod('2025-Q3');
    if (period === null) throw new Error('setup');
    const all = [
      { unitId: 'old', name: 'Xã Cũ', parentId: 'ht', kind: 'commune' as const, abolishedOn: '2025-06-30' },
      { unitId: 'new', name: 'Xã Mới', parentId: 'ht', kind: 'commune' as const },
      { unitId: 'ward', name: 'Phường Một', parentId: 'ht', kind: 'ward' as const },
    ];
    const peers = all.filter((u) => inPeerGroup(u, 'ht', 'commune', period));
    const rows = rankPeerGroup(peers, new Map([['old', scored(99)]]), latest);
    expect(rows.map((r) => r.unitId)).toEqual(['new']);
  });

  it('rank is 1 + the number of strictly higher scores, whatever the input order', () => {
    const unitArb = fc.uniqueArray(
      fc.record({
        unitId: fc.string({ minLength: 1, maxLength: 4 }),
        name: fc.constantFrom('Anh Sơn', 'Ân Thi', 'Đông Hiếu', 'Diễn Châu', 'Ba Đình'),
        score: fc.option(
          fc.integer({ min: 0, max: 40 }).map((n) => 60 + n / 4),
          { nil: undefined },
        ),
      }),
      { selector: (u) => u.unitId, maxLength: 15 },
    );
    fc.assert(
      fc.property(
        unitArb.chain((units) => fc.record({ units: fc.constant(units), shuffled: permutationArb(units) })),
        ({ units, shuffled }) => {
          const scores = new Map(
            units.flatMap((u) => (u.score === undefined ? [] : [[u.unitId, scored(u.score)]])),
          );
          const rows = rankPeerGroup(units, scores, latest);
          expect(rankPeerGroup(shuffled, scores, latest)).toEqual(rows);
          expect(rows).toHaveLength(units.length);
          for (const row of rows) {
            if (row.score === null) {
              expect(row.rank).toBeNull();
            } else {
              const own = row.score;
              expect(row.rank).toBe(1 + rows.filter((r) => r.score !== null && r.score > own).length);
            }
          }
          const firstUnscored = rows.findIndex((r) => r.score === null);
          if (firstUnscored >= 0) {
            expect(rows.slice(firstUnscored).every((r) => r.score === null)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
