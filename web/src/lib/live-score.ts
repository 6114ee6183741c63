/**
 * The score the phone shows while the visit is filled in, computed by the same domain code the
 * server runs at submit. While items are missing it scores the answered ones only ("so far");
 * once every item is answered it is exactly the score the server will compute.
 */
import { bandFor, type SectionPercent, scoreVisit, type VisitScore, valueFits } from '#domain/scoring.ts';
import type { TemplateDocument } from '#domain/template.ts';
import { templateItems } from '#domain/template.ts';
import type { VisitInput } from '#domain/visit.ts';

export interface LiveScore {
  /** Null until at least one applicable item has a valid answer. */
  score: VisitScore | null;
  band: { code: string; label: { vi: string; en?: string | undefined } } | null;
  /** Every section of the template in order, null where nothing applicable is answered yet. */
  sections: SectionPercent[];
  answered: number;
  total: number;
  complete: boolean;
}

export function liveScore(
  template: TemplateDocument,
  body: Pick<VisitInput, 'answers' | 'deductions'>,
): LiveScore {
  const items = templateItems(template);
  const byCode = new Map(items.map((item) => [item.code, item]));
  const answered = new Set<string>();
  const answers = body.answers.filter((answer) => {
    const item = byCode.get(answer.itemCode);
    if (item === undefined || answered.has(answer.itemCode)) return false;
    const ok =
      answer.notApplicable === true
        ? item.allowNotApplicable && (answer.value === undefined || answer.value === null)
        : answer.value !== undefined && answer.value !== null && valueFits(item.answer, answer.value);
    if (ok) answered.add(answer.itemCode);
    return ok;
  });
  const rules = new Map((template.deductions ?? []).map((rule) => [rule.code, rule]));
  const seenRules = new Set<string>();
  const deductions = (body.deductions ?? []).filter((d) => {
    const rule = rules.get(d.code);
    const ok =
      rule !== undefined &&
      !seenRules.has(d.code) &&
      Number.isSafeInteger(d.count) &&
      d.count >= 1 &&
      (rule.maxCount === undefined || d.count <= rule.maxCount);
    seenRules.add(d.code);
    return ok;
  });
  const partial = {
    sections: template.sections.map((section) => ({
      ...section,
      items: section.items.filter((item) => answered.has(item.code)),
    })),
    deductions: template.deductions,
  };
  let score: VisitScore | null = null;
  try {
    score = scoreVisit(partial, answers, deductions);
  } catch {
    // Nothing applicable answered yet: no score to show.
  }
  const percents = new Map(score?.sections.map((s) => [s.code, s.percent]) ?? []);
  return {
    score,
    band: score === null ? null : bandFor(score.score, template.bands),
    sections: template.sections.map((s) => ({ code: s.code, percent: percents.get(s.code) ?? null })),
    answered: answered.size,
    total: items.length,
    complete: answered.size === items.length,
  };
}
