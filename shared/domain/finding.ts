import * as z from 'zod/mini';
import { InvalidStateError, ValidationError } from './errors.ts';
import { isoDateSchema, type LocalText, limits, nfcString } from './ids.ts';
import { addDays, localDate } from './period.ts';
import { problem } from './problems.ts';
import { itemRatio } from './scoring.ts';
import { type Severity, severities, type TemplateDocument, templateItems } from './template.ts';
import type { AnswerValue, PhotoRef, VisitInput } from './visit.ts';

export { type Severity, severities };

export const findingStatuses = ['open', 'in_progress', 'resolved', 'verified', 'dismissed'] as const;
export type FindingStatus = (typeof findingStatuses)[number];
export const findingStatusSchema = z.enum(findingStatuses);

/** Statuses in which a finding no longer needs work and can never be overdue. */
export const closedFindingStatuses: readonly FindingStatus[] = ['resolved', 'verified', 'dismissed'];

/** Days to fix a manual finding that names no item. */
export const defaultRemediationDays = 30;

/**
 * Something not in order at a unit, to be fixed (tồn tại, hạn chế).
 *
 * - `kind: 'item'`: an applicable answered item with r < 1; `title` is the item's text,
 *   `answer` the value and note the inspector recorded.
 * - `kind: 'manual'`: recorded by the inspector; `title` is `{ vi: <what they wrote> }`,
 *   `inspectorNote` their note, `itemCode`/`sectionCode` the item they linked, if any.
 *
 * `periodStartedAt` is the visit's `startedAt`: a finding belongs to the period of its visit.
 * `note` and `reason` are set through the finding lifecycle (the latest progress or resolution
 * note; the dismissal reason).
 */
export interface Finding {
  findingId: string;
  visitId: string;
  unitId: string;
  unitPath: string[];
  templateId: string;
  sectionCode: string | null;
  itemCode: string | null;
  kind: 'item' | 'manual';
  title: LocalText;
  severity: Severity;
  answer: { value: AnswerValue; note: string | null } | null;
  inspectorNote: string | null;
  photoIds: string[];
  status: FindingStatus;
  dueDate: string;
  periodStartedAt: string;
  createdAt: string;
  note: string | null;
  reason: string | null;
}

/** What finding derivation reads from an approved visit. */
export type ApprovedVisit = Pick<VisitInput, 'unitId' | 'templateId' | 'startedAt' | 'answers'> &
  Partial<Pick<VisitInput, 'manualFindings'>> & {
    visitId: string;
    unitPath: string[];
    photos: readonly PhotoRef[];
  };

/**
 * The findings an approval creates, in template order and then manual findings in their order:
 * one per applicable answered item with r < 1 (ID `${visitId}.${itemCode}`) and one per manual
 * finding (ID `${visitId}.m${n}`, n from 1). IDs and content depend only on the inputs, so a
 * retried approval writes the same findings. The due date is the local date of `approvedAt` plus
 * the item's `remediationDays` (for a manual finding, its linked item's, else 30). Only verified
 * photos of the item are attached, sorted by ID.
 */
export function deriveFindings(
  template: TemplateDocument,
  visit: ApprovedVisit,
  approvedAt: string,
): Finding[] {
  const approvedOn = localDate(approvedAt);
  const answers = new Map(visit.answers.map((answer) => [answer.itemCode, answer]));
  const items = templateItems(template);
  const itemByCode = new Map(items.map((item) => [item.code, item]));
  const verifiedPhotos = (itemCode: string): string[] =>
    visit.photos
      .filter((photo) => photo.itemCode === itemCode && photo.status === 'verified')
      .map((photo) => photo.photoId)
      .sort();
  const common = {
    visitId: visit.visitId,
    unitId: visit.unitId,
    unitPath: [...visit.unitPath],
    templateId: visit.templateId,
    status: 'open' as const,
    periodStartedAt: visit.startedAt,
    createdAt: approvedAt,
    note: null,
    reason: null,
  };

  const findings: Finding[] = [];
  for (const item of items) {
    const answer = answers.get(item.code);
    if (
      answer === undefined ||
      answer.notApplicable === true ||
      answer.value === undefined ||
      answer.value === null
    ) {
      continue;
    }
    const ratio = itemRatio(item, answer);
    if (ratio === null || ratio.num >= ratio.den) {
      continue;
    }
    findings.push({
      ...common,
      findingId: `${visit.visitId}.${item.code}`,
      sectionCode: item.sectionCode,
      itemCode: item.code,
      kind: 'item',
      title: item.text,
      severity: item.severity,
      answer: { value: answer.value, note: answer.note ?? null },
      inspectorNote: answer.note ?? null,
      photoIds: verifiedPhotos(item.code),
      dueDate: addDays(approvedOn, item.remediationDays),
    });
  }
  (visit.manualFindings ?? []).forEach((manual, index) => {
    const item = manual.itemCode === undefined ? undefined : itemByCode.get(manual.itemCode);
    findings.push({
      ...common,
      findingId: `${visit.visitId}.m${index + 1}`,
      sectionCode: item?.sectionCode ?? null,
      itemCode: item?.code ?? null,
      kind: 'manual',
      title: { vi: manual.title },
      severity: manual.severity,
      answer: null,
      inspectorNote: manual.note ?? null,
      photoIds: item === undefined ? [] : verifiedPhotos(item.code),
      dueDate: addDays(approvedOn, item?.remediationDays ?? defaultRemediationDays),
    });
  });
  return findings;
}

/**
 * Whether a finding is overdue at `now`: its due date is before today's local date in Viet Nam
 * (the due date itself is still in time) and it is not resolved, verified or dismissed.
 */
export function isOverdue(finding: Pick<Finding, 'dueDate' | 'status'>, now: string | Date): boolean {
  return finding.dueDate < localDate(now) && !closedFindingStatuses.includes(finding.status);
}

/** Body of `PATCH /v1/findings/{findingId}`: at least one field. */
export const findingPatchSchema = z
  .strictObject({
    status: z.optional(findingStatusSchema),
    note: z.optional(nfcString(limits.note)),
    reason: z.optional(nfcString(limits.note)),
    dueDate: z.optional(isoDateSchema),
  })
  .check(
    z.refine((patch) => Object.values(patch).some((value) => value !== undefined), {
      message: 'At least one of status, note, reason, dueDate',
    }),
  );
export type FindingPatch = z.output<typeof findingPatchSchema>;

/** The lifecycle: where a finding may go from each status (the console offers exactly these). */
export const nextStatuses: Record<FindingStatus, readonly FindingStatus[]> = {
  open: ['in_progress', 'dismissed'],
  in_progress: ['resolved', 'dismissed'],
  resolved: ['verified'],
  verified: [],
  dismissed: [],
};

const statusNames: Record<FindingStatus, { vi: string; en: string }> = {
  open: { vi: 'mới', en: 'open' },
  in_progress: { vi: 'đang khắc phục', en: 'in progress' },
  resolved: { vi: 'đã khắc phục', en: 'resolved' },
  verified: { vi: 'đã xác nhận khắc phục', en: 'verified' },
  dismissed: { vi: 'đã bỏ qua', en: 'dismissed' },
};

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim().length === 0;
}

/**
 * Applies a PATCH under the finding lifecycle: open -> in_progress -> resolved (needs a note)
 * -> verified; open or in_progress -> dismissed (needs a reason). Asking for the current status
 * again is no move. `note` may be added while the finding is not verified or dismissed;
 * `reason` only comes with dismissal; `dueDate` may move while open or in progress, never before
 * the finding's creation date.
 *
 * @throws InvalidStateError for a move the lifecycle does not allow, or a change to a
 * verified or dismissed finding.
 * @throws ValidationError for a missing note or reason, or a misplaced reason or due date.
 */
export function applyFindingPatch(finding: Finding, patch: FindingPatch): Finding {
  const from = finding.status;
  const to = patch.status ?? from;
  const moving = to !== from;
  const fromName = statusNames[from];
  const toName = statusNames[to];
  const terminal = from === 'verified' || from === 'dismissed';

  if (moving && !nextStatuses[from].includes(to)) {
    throw new InvalidStateError({
      vi: `Không thể chuyển tồn tại từ trạng thái "${fromName.vi}" sang "${toName.vi}".`,
      en: `A finding cannot move from ${fromName.en} to ${toName.en}.`,
    });
  }
  if (
    !moving &&
    terminal &&
    (patch.note !== undefined || patch.reason !== undefined || patch.dueDate !== undefined)
  ) {
    throw new InvalidStateError({
      vi: `Tồn tại ở trạng thái "${fromName.vi}" không thể thay đổi.`,
      en: `A ${fromName.en} finding cannot change.`,
    });
  }
  if (patch.dueDate !== undefined && !(from === 'open' || from === 'in_progress')) {
    throw new InvalidStateError({
      vi: `Không thể đổi hạn khắc phục của tồn tại ở trạng thái "${fromName.vi}".`,
      en: `The due date of a ${fromName.en} finding cannot change.`,
    });
  }
  const problems = [];
  if (moving && to === 'resolved' && isBlank(patch.note)) {
    problems.push(
      problem(
        'note',
        'Cần ghi chú kết quả khắc phục.',
        'A note on how the finding was resolved is required.',
      ),
    );
  }
  if (moving && to === 'dismissed' && isBlank(patch.reason)) {
    problems.push(problem('reason', 'Cần nêu lý do bỏ qua tồn tại.', 'A reason for dismissing is required.'));
  }
  if (patch.reason !== undefined && to !== 'dismissed') {
    problems.push(
      problem(
        'reason',
        'Lý do chỉ dùng khi bỏ qua tồn tại (status "dismissed").',
        'A reason only goes with status "dismissed".',
      ),
    );
  }
  if (patch.dueDate !== undefined && patch.dueDate < localDate(finding.createdAt)) {
    problems.push(
      problem(
        'dueDate',
        'Hạn khắc phục không được trước ngày phát sinh tồn tại.',
        'The due date cannot be before the finding was created.',
      ),
    );
  }
  if (problems.length > 0) {
    throw new ValidationError(
      { vi: 'Yêu cầu cập nhật tồn tại không hợp lệ.', en: 'The finding update is not valid.' },
      problems,
    );
  }
  return {
    ...finding,
    status: to,
    note: patch.note ?? finding.note,
    reason: moving && to === 'dismissed' ? (patch.reason ?? null) : finding.reason,
    dueDate: patch.dueDate ?? finding.dueDate,
  };
}

/**
 * The findings a revocation changes: each open or in-progress one becomes dismissed with the
 * revocation's reason. Others (resolved, verified, dismissed) are left as they are and not
 * returned.
 */
export function dismissOnRevoke(findings: readonly Finding[], reason: string): Finding[] {
  return findings
    .filter((finding) => finding.status === 'open' || finding.status === 'in_progress')
    .map((finding) => ({ ...finding, status: 'dismissed', reason }));
}
