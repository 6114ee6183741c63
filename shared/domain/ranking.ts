import { compareDecimal } from './decimal.ts';
import { type BandRef, bandFor, type SectionPercent } from './scoring.ts';
import type { Band } from './template.ts';

/** One row of a peer group's ranking, as `GET /v1/scores` and publications carry it. */
export interface RankingRow {
  unitId: string;
  code: string | null;
  name: string;
  score: number | null;
  rank: number | null;
  band: BandRef | null;
  visitCount: number;
  sections: SectionPercent[];
}

/** A unit of the peer group. */
export interface RankedUnit {
  unitId: string;
  name: string;
  code?: string | undefined;
}

/** A unit's score for the template and period (see unitScore). */
export interface RankedScore {
  score: number;
  sections: readonly SectionPercent[];
  visitCount: number;
}

// Vietnamese collation: đ after d, ă and â after a, tones as secondary differences.
const vietnamese = new Intl.Collator('vi');

/** Names by Vietnamese collation, then unit IDs by plain code points so the order is total. */
export function compareUnitsForDisplay(a: RankedUnit, b: RankedUnit): number {
  return vietnamese.compare(a.name, b.name) || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0);
}

/**
 * Ranks a peer group: units with a score by score descending, rank = 1 + the number of peers
 * with a strictly higher score (1, 2, 2, 4), equal scores in display order (name by Vietnamese
 * collation, then unit ID); then the unscored units in display order with rank, score and band
 * null. Every row lists the sections of the template's latest version, in its order (percent
 * null where the unit has none), and takes its band from that version's bands.
 */
export function rankPeerGroup(
  units: readonly RankedUnit[],
  scores: ReadonlyMap<string, RankedScore>,
  latest: { sections: readonly { code: string }[]; bands: readonly Band[] },
): RankingRow[] {
  const sectionsOf = (score: RankedScore | undefined): SectionPercent[] => {
    const percents = new Map((score?.sections ?? []).map((s) => [s.code, s.percent]));
    return latest.sections.map((s) => ({ code: s.code, percent: percents.get(s.code) ?? null }));
  };
  const scored = units
    .flatMap((unit) => {
      const score = scores.get(unit.unitId);
      return score === undefined ? [] : [{ unit, score }];
    })
    .sort((a, b) => compareDecimal(b.score.score, a.score.score) || compareUnitsForDisplay(a.unit, b.unit));
  const unscored = units.filter((unit) => !scores.has(unit.unitId)).sort(compareUnitsForDisplay);

  const rows: RankingRow[] = [];
  scored.forEach(({ unit, score }, index) => {
    const previous = rows[index - 1];
    // Sorted descending, so the peers strictly above are exactly those before the first equal one.
    const rank =
      previous !== undefined && previous.score !== null && compareDecimal(previous.score, score.score) === 0
        ? previous.rank
        : index + 1;
    rows.push({
      unitId: unit.unitId,
      code: unit.code ?? null,
      name: unit.name,
      score: score.score,
      rank,
      band: bandFor(score.score, latest.bands),
      visitCount: score.visitCount,
      sections: sectionsOf(score),
    });
  });
  for (const unit of unscored) {
    rows.push({
      unitId: unit.unitId,
      code: unit.code ?? null,
      name: unit.name,
      score: null,
      rank: null,
      band: null,
      visitCount: 0,
      sections: sectionsOf(undefined),
    });
  }
  return rows;
}
