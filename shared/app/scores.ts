/**
 * Scores and rankings as managers read them, and the ranking rows a publication freezes. Unit
 * scores are written by approvals and revocations (one record per unit, template and period,
 * with the visits behind it); here they are only read and put in order.
 */
import { ValidationError } from '#domain/errors.ts';
import { parsePeriod } from '#domain/period.ts';
import { problem } from '#domain/problems.ts';
import { type RankedScore, type RankingRow, rankPeerGroup } from '#domain/ranking.ts';
import { bandFor, type SectionPercent } from '#domain/scoring.ts';
import { inPeerGroup, type UnitKind } from '#domain/unit.ts';
import type { TemplateRecord, UnitRecord } from '#ports/records.ts';
import type { Deps } from './deps.ts';
import { type Caller, inJurisdiction, notFound } from './support.ts';

/** A peer group for one template and period: the four parameters of `GET /v1/scores`. */
export interface RankingQuery {
  templateId: string;
  period: string;
  parentId: string;
  kind: UnitKind;
}

const unitNotFound = () => notFound({ vi: 'Không tìm thấy đơn vị.', en: 'Unit not found.' });
const templateNotFound = () => notFound({ vi: 'Không tìm thấy phiếu kiểm tra.', en: 'Template not found.' });

function periodOf(label: string) {
  const period = parsePeriod(label);
  // The route's schema accepts only valid labels; this guards callers that skip it.
  if (!period) {
    throw new ValidationError({ vi: 'Kỳ đánh giá không hợp lệ.', en: 'The period is not valid.' }, [
      problem('period', 'Kỳ phải có dạng YYYY hoặc YYYY-Qn.', 'A period is YYYY or YYYY-Qn.'),
    ]);
  }
  return period;
}

/** A unit in the caller's jurisdiction, else 404 (missing and out of scope look the same). */
async function unitInScope(deps: Pick<Deps, 'units'>, caller: Caller, unitId: string): Promise<UnitRecord> {
  const unit = await deps.units.getUnit(unitId);
  if (!unit || !inJurisdiction(caller, unit.path)) throw unitNotFound();
  return unit;
}

/** The template's latest published version: it names the sections and bands rows show. */
async function latestTemplate(deps: Pick<Deps, 'templates'>, templateId: string): Promise<TemplateRecord> {
  const template = await deps.templates.getLatestTemplate(templateId);
  if (!template) throw templateNotFound();
  return template;
}

/** Sections in the order of the latest version, percent null where the unit has none. */
function sectionsIn(template: TemplateRecord, sections: readonly SectionPercent[]): SectionPercent[] {
  const percents = new Map(sections.map((s) => [s.code, s.percent]));
  return template.sections.map((s) => ({ code: s.code, percent: percents.get(s.code) ?? null }));
}

/**
 * Checks a peer group's query without computing it: a valid period, the parent in the caller's
 * jurisdiction and the template published (404 otherwise, as computeRanking would answer).
 * Answers the template's latest version, which names the ranking's sections.
 */
export async function rankingQueryInScope(
  deps: Pick<Deps, 'templates' | 'units'>,
  caller: Caller,
  query: RankingQuery,
): Promise<{ parent: UnitRecord; template: TemplateRecord }> {
  periodOf(query.period);
  const [parent, template] = await Promise.all([
    unitInScope(deps, caller, query.parentId),
    latestTemplate(deps, query.templateId),
  ]);
  return { parent, template };
}

/** A ranking as computed now, with the parent unit it hangs under. */
export interface Ranking {
  parent: UnitRecord;
  rows: RankingRow[];
}

/**
 * The ranking rows of a peer group, exactly as `GET /v1/scores` lists them: every unit with that
 * parent and kind not abolished before the period began, ranked by unit score (ties share a
 * rank), then the unscored ones; sections and bands from the template's latest version. A score
 * record whose score is null (every visit behind it revoked) leaves its unit unscored. The parent
 * must be in the caller's jurisdiction (404 otherwise), and so must the template exist.
 */
export async function computeRanking(
  deps: Pick<Deps, 'scores' | 'templates' | 'units'>,
  caller: Caller,
  query: RankingQuery,
): Promise<Ranking> {
  const period = periodOf(query.period);
  const parent = await unitInScope(deps, caller, query.parentId);
  const [template, children, records] = await Promise.all([
    latestTemplate(deps, query.templateId),
    deps.units.allChildren(query.parentId, query.kind),
    deps.scores.peerScores(query.templateId, query.period, query.parentId, query.kind),
  ]);
  const units = children.filter((unit) => inPeerGroup(unit, query.parentId, query.kind, period));
  const members = new Set(units.map((unit) => unit.unitId));
  const scores = new Map<string, RankedScore>();
  for (const record of records) {
    if (record.score === null || !members.has(record.unitId)) continue;
    scores.set(record.unitId, {
      score: record.score,
      sections: record.sections,
      visitCount: record.visitCount,
    });
  }
  return { parent, rows: rankPeerGroup(units, scores, template) };
}

/** GET /v1/scores: every unit of the peer group in ranking order (one page, no cursor). */
export async function getScores(
  deps: Pick<Deps, 'scores' | 'templates' | 'units'>,
  caller: Caller,
  query: RankingQuery,
): Promise<{ items: RankingRow[]; nextCursor: null }> {
  const { rows } = await computeRanking(deps, caller, query);
  return { items: rows, nextCursor: null };
}

/**
 * GET /v1/units/{unitId}/scores: the unit's score for a template and period with its band, its
 * section percents and each visit behind it (date, template version, score, section percents),
 * so every number can be traced to its evidence. Without an approved, unrevoked visit in the
 * period: score and band null, every section null, no visits.
 */
export async function getUnitScores(
  deps: Pick<Deps, 'scores' | 'templates' | 'units'>,
  caller: Caller,
  unitId: string,
  query: { templateId: string; period: string },
) {
  periodOf(query.period);
  await unitInScope(deps, caller, unitId);
  const [template, record] = await Promise.all([
    latestTemplate(deps, query.templateId),
    deps.scores.getUnitScore(unitId, query.templateId, query.period),
  ]);
  const base = { unitId, templateId: query.templateId, period: query.period };
  if (!record || record.score === null) {
    return { ...base, score: null, band: null, sections: sectionsIn(template, []), visits: [] };
  }
  const visits = [...record.visits]
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0))
    .map((visit) => ({
      visitId: visit.visitId,
      startedAt: visit.startedAt,
      templateVersion: visit.templateVersion,
      score: visit.score,
      sections: visit.sections,
    }));
  return {
    ...base,
    score: record.score,
    band: bandFor(record.score, template.bands),
    sections: sectionsIn(template, record.sections),
    visits,
  };
}
export type UnitScoresView = Awaited<ReturnType<typeof getUnitScores>>;
