import * as z from 'zod/mini';
import {
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  OwnVisitError,
  ValidationError,
} from './errors.ts';
import { limits, nfcString } from './ids.ts';
import { problem } from './problems.ts';
import type { VisitStatus } from './visit.ts';

/** Body of `POST /v1/visits/{visitId}/review`; a missing comment on return is refused by transitionVisit. */
export const reviewInputSchema = z.strictObject({
  decision: z.enum(['approve', 'return']),
  comment: z.optional(nfcString(limits.note)),
  /**
   * On approval: the requests (kiến nghị) to the unit that the record lists beside those that
   * follow from the findings.
   */
  requests: z.optional(z.array(nfcString(limits.note)).check(z.maxLength(limits.manualFindings))),
});
export type ReviewInput = z.output<typeof reviewInputSchema>;

/** Body of `POST /v1/visits/{visitId}/revoke`. */
export const revokeInputSchema = z.strictObject({ reason: nfcString(limits.note) });
export type RevokeInput = z.output<typeof revokeInputSchema>;

export type VisitAction =
  | { type: 'edit' }
  | { type: 'delete' }
  | { type: 'submit' }
  | { type: 'approve'; comment?: string | undefined }
  | { type: 'return'; comment?: string | undefined }
  | { type: 'revoke'; reason?: string | undefined };

export interface Actor {
  sub: string;
  roles: readonly string[];
}

/** The part of a visit the lifecycle looks at. */
export interface VisitLifecycleState {
  status: VisitStatus;
  inspectorId: string;
}

const actionNames: Record<VisitAction['type'], { vi: string; en: string }> = {
  edit: { vi: 'sửa', en: 'edit' },
  delete: { vi: 'xoá', en: 'delete' },
  submit: { vi: 'gửi', en: 'submit' },
  approve: { vi: 'phê duyệt', en: 'approve' },
  return: { vi: 'trả lại', en: 'return' },
  revoke: { vi: 'thu hồi phê duyệt', en: 'revoke' },
};

const statusNames: Record<VisitStatus, { vi: string; en: string }> = {
  draft: { vi: 'nháp', en: 'draft' },
  submitted: { vi: 'đã gửi', en: 'submitted' },
  returned: { vi: 'bị trả lại', en: 'returned' },
  approved: { vi: 'đã phê duyệt', en: 'approved' },
  revoked: { vi: 'đã thu hồi', en: 'revoked' },
};

// From which statuses each action may start, and where it leads (null: the visit is deleted).
const moves: Record<VisitAction['type'], { from: readonly VisitStatus[]; to: VisitStatus | null }> = {
  edit: { from: ['draft', 'returned'], to: null },
  delete: { from: ['draft'], to: null },
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted'], to: 'returned' },
  revoke: { from: ['approved'], to: 'revoked' },
};

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim().length === 0;
}

/**
 * The visit lifecycle as one pure function: the status a visit moves to when `actor` performs
 * `action` (`edit` keeps the status; `delete` answers `'deleted'`). Checks run in this order, so
 * that nothing leaks to a caller who may not see the visit:
 * 1. role: edit, delete and submit need `inspector`; approve and return `manager` or `admin`;
 *    revoke `admin` (ForbiddenError);
 * 2. scope: an inspector acts only on their own visits, others do not exist for them
 *    (NotFoundError);
 * 3. state: the action must be legal from the current status (InvalidStateError);
 * 4. reviewing one's own visit (OwnVisitError);
 * 5. input: return needs a comment, revoke a reason (ValidationError).
 */
export function transitionVisit(
  visit: VisitLifecycleState,
  action: { type: 'delete' },
  actor: Actor,
): 'deleted';
export function transitionVisit(
  visit: VisitLifecycleState,
  action: Exclude<VisitAction, { type: 'delete' }>,
  actor: Actor,
): VisitStatus;
export function transitionVisit(
  visit: VisitLifecycleState,
  action: VisitAction,
  actor: Actor,
): VisitStatus | 'deleted';
export function transitionVisit(
  visit: VisitLifecycleState,
  action: VisitAction,
  actor: Actor,
): VisitStatus | 'deleted' {
  const name = actionNames[action.type];
  const has = (role: string) => actor.roles.includes(role);
  const byInspector = action.type === 'edit' || action.type === 'delete' || action.type === 'submit';
  const allowed = byInspector
    ? has('inspector')
    : action.type === 'revoke'
      ? has('admin')
      : has('manager') || has('admin');
  if (!allowed) {
    throw new ForbiddenError({
      vi: `Vai trò của bạn không được ${name.vi} buổi kiểm tra.`,
      en: `Your role may not ${name.en} visits.`,
    });
  }
  if (byInspector && actor.sub !== visit.inspectorId) {
    throw new NotFoundError({ vi: 'Không tìm thấy buổi kiểm tra.', en: 'Visit not found.' });
  }
  const move = moves[action.type];
  if (!move.from.includes(visit.status)) {
    const status = statusNames[visit.status];
    throw new InvalidStateError({
      vi: `Không thể ${name.vi} buổi kiểm tra đang ở trạng thái "${status.vi}".`,
      en: `Cannot ${name.en} a visit that is ${status.en}.`,
    });
  }
  if ((action.type === 'approve' || action.type === 'return') && actor.sub === visit.inspectorId) {
    throw new OwnVisitError({
      vi: 'Không được tự duyệt buổi kiểm tra do chính mình thực hiện.',
      en: 'You cannot review a visit you carried out yourself.',
    });
  }
  if (action.type === 'return' && isBlank(action.comment)) {
    throw new ValidationError(
      { vi: 'Trả lại buổi kiểm tra phải kèm ý kiến.', en: 'Returning a visit needs a comment.' },
      [problem('comment', 'Cần nhập ý kiến khi trả lại.', 'A comment is required to return a visit.')],
    );
  }
  if (action.type === 'revoke' && isBlank(action.reason)) {
    throw new ValidationError(
      { vi: 'Thu hồi phê duyệt phải nêu lý do.', en: 'Revoking an approval needs a reason.' },
      [problem('reason', 'Cần nhập lý do thu hồi.', 'A reason is required to revoke.')],
    );
  }
  if (action.type === 'delete') {
    return 'deleted';
  }
  return move.to ?? visit.status;
}
