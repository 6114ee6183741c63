/**
 * The visit as the phone keeps it (a draft, possibly half-typed) and the body its PUT sends.
 * The phone saves every keystroke; the body leaves out what the API would refuse only because
 * it is not finished yet (an empty note, a finding without a title, a deduction counted 0), so a
 * half-typed field never blocks the rest of the visit from reaching the server. Pure.
 */
import type { Severity } from '#domain/template.ts';
import type { VisitInput } from '#domain/visit.ts';

export interface DraftAnswer {
  itemCode: string;
  value?: boolean | number | null | undefined;
  notApplicable?: boolean | undefined;
  note?: string | undefined;
}

export interface DraftDeduction {
  code: string;
  count: number;
  note?: string | undefined;
}

export interface DraftFinding {
  title: string;
  severity: Severity;
  itemCode?: string | undefined;
  note?: string | undefined;
}

export interface VisitDraft {
  unitId: string;
  templateId: string;
  templateVersion: number;
  startedAt: string;
  endedAt?: string | undefined;
  location?: { lat: number; lng: number; accuracyM: number } | undefined;
  answers: DraftAnswer[];
  deductions: DraftDeduction[];
  manualFindings: DraftFinding[];
}

/**
 * Typed text, or undefined when blank. NFC as the server stores it (a phone keyboard may send
 * decomposed diacritics), so a body the phone sent compares equal to what the server returns.
 */
function text(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.normalize('NFC');
}

/** The PUT body for a draft: empty parts left out, keys in a stable order. */
export function toVisitBody(draft: VisitDraft): VisitInput {
  const answers = draft.answers.flatMap((answer) => {
    const note = text(answer.note);
    const notApplicable = answer.notApplicable === true;
    const hasValue = !notApplicable && answer.value !== undefined && answer.value !== null;
    if (!notApplicable && !hasValue && note === undefined) return [];
    return [
      {
        itemCode: answer.itemCode,
        ...(hasValue ? { value: answer.value } : {}),
        ...(notApplicable ? { notApplicable: true } : {}),
        ...(note !== undefined ? { note } : {}),
      },
    ];
  });
  const deductions = draft.deductions.flatMap((deduction) => {
    const note = text(deduction.note);
    return Number.isInteger(deduction.count) && deduction.count >= 1
      ? [{ code: deduction.code, count: deduction.count, ...(note !== undefined ? { note } : {}) }]
      : [];
  });
  const manualFindings = draft.manualFindings.flatMap((finding) => {
    const title = text(finding.title);
    const note = text(finding.note);
    if (title === undefined) return [];
    return [
      {
        title,
        severity: finding.severity,
        ...(finding.itemCode !== undefined && finding.itemCode !== '' ? { itemCode: finding.itemCode } : {}),
        ...(note !== undefined ? { note } : {}),
      },
    ];
  });
  return {
    unitId: draft.unitId,
    templateId: draft.templateId,
    templateVersion: draft.templateVersion,
    startedAt: draft.startedAt,
    ...(draft.endedAt !== undefined ? { endedAt: draft.endedAt } : {}),
    ...(draft.location !== undefined ? { location: draft.location } : {}),
    answers,
    ...(deductions.length > 0 ? { deductions } : {}),
    ...(manualFindings.length > 0 ? { manualFindings } : {}),
  };
}

/** A draft from what the server holds (a returned visit, or the server's side of a 412). */
export function draftFromServer(visit: VisitInput): VisitDraft {
  return {
    unitId: visit.unitId,
    templateId: visit.templateId,
    templateVersion: visit.templateVersion,
    startedAt: visit.startedAt,
    endedAt: visit.endedAt,
    location: visit.location,
    answers: visit.answers.map((a) => ({ ...a })),
    deductions: (visit.deductions ?? []).map((d) => ({ ...d })),
    manualFindings: (visit.manualFindings ?? []).map((f) => ({ ...f })),
  };
}

/** Sets one answer's fields (merging), keeping the list in the order items were first touched. */
export function withAnswer(draft: VisitDraft, itemCode: string, change: Partial<DraftAnswer>): VisitDraft {
  const existing = draft.answers.find((a) => a.itemCode === itemCode);
  const next: DraftAnswer = { ...(existing ?? { itemCode }), ...change, itemCode };
  if (change.notApplicable === true) next.value = undefined;
  if (change.value !== undefined && change.value !== null) next.notApplicable = undefined;
  return {
    ...draft,
    answers: existing
      ? draft.answers.map((a) => (a.itemCode === itemCode ? next : a))
      : [...draft.answers, next],
  };
}
