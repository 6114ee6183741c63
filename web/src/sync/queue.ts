/**
 * The outbox's rules as pure functions over a list of operations, so they can be tested without
 * IndexedDB: how a new operation joins the queue (queued edits of one visit merge into one PUT)
 * and which operations may run now (a photo waits for its visit to exist on the server, a
 * submit waits for every edit and upload of its visit before it).
 */

export type OpKind = 'putVisit' | 'uploadPhoto' | 'checkPhoto' | 'deletePhoto' | 'submit' | 'deleteVisit';

/** The Web Lock a drain holds while it sends the outbox of `sub` (actions test it to know none runs). */
export function outboxLock(sub: string): string {
  return `par-inspect-outbox:${sub}`;
}

/** Why an operation stopped and waits for the user: a 4xx the phone cannot fix by retrying. */
export interface OpBlock {
  code: string;
  status: number;
  message: string;
}

export interface OutboxOp<Body = unknown> {
  /** IndexedDB's key (auto-increment): also the order of the queue. */
  id?: number;
  /** The user who made the change: only their token ever sends it. */
  sub: string;
  kind: OpKind;
  visitId: string;
  photoId?: string | undefined;
  /** putVisit only: the visit body to send (the latest edit, after merging). */
  body?: Body | undefined;
  attempts: number;
  /** Not before this time (ms since the epoch): backoff, Retry-After, polling. */
  notBefore: number;
  blocked: OpBlock | null;
  createdAt: number;
}

/** What enqueue decided: a new entry, or an existing one to rewrite in place. */
export type EnqueueResult<Body> =
  | { type: 'added'; op: OutboxOp<Body> }
  | { type: 'merged'; op: OutboxOp<Body> }
  | { type: 'unchanged' };

function sameVisit<B>(a: OutboxOp<B>, visitId: string, sub: string): boolean {
  return a.visitId === visitId && a.sub === sub;
}

/**
 * How `op` joins `queue` (in queue order):
 * - putVisit merges into the visit's latest putVisit unless a submit of that visit came after it
 *   (then it is appended): the merged entry takes the new body and keeps its place, attempts and
 *   backoff; a merge clears a 4xx block (the edit may be the fix) but never a 412 conflict, which
 *   only the user's choice clears;
 * - uploadPhoto and checkPhoto are not queued twice for the same photo;
 * - deletePhoto is not queued twice for the same photo (the caller drops the photo's upload and
 *   check first: a removed photo is never sent);
 * - submit is not queued twice after the visit's last edit;
 * - once a visit's deleteVisit is queued nothing more of that visit is (the caller drops what
 *   was queued before: a discarded visit's edits and photos are never sent), and once a photo's
 *   deletePhoto is queued no upload or check of that photo is (an upload in flight when the
 *   photo was removed does not queue its check).
 */
export function enqueue<Body>(queue: readonly OutboxOp<Body>[], op: OutboxOp<Body>): EnqueueResult<Body> {
  const ofVisit = queue.filter((q) => sameVisit(q, op.visitId, op.sub));
  if (ofVisit.some((q) => q.kind === 'deleteVisit')) return { type: 'unchanged' };
  if (
    (op.kind === 'uploadPhoto' || op.kind === 'checkPhoto') &&
    ofVisit.some((q) => q.kind === 'deletePhoto' && q.photoId === op.photoId)
  ) {
    return { type: 'unchanged' };
  }
  switch (op.kind) {
    case 'putVisit': {
      const last = ofVisit.filter((q) => q.kind === 'putVisit' || q.kind === 'submit').at(-1);
      if (last?.kind !== 'putVisit') return { type: 'added', op };
      const keepBlock = last.blocked?.code === 'precondition_failed' ? last.blocked : null;
      return { type: 'merged', op: { ...last, body: op.body, blocked: keepBlock } };
    }
    case 'uploadPhoto':
    case 'checkPhoto':
    case 'deletePhoto':
      return ofVisit.some((q) => q.kind === op.kind && q.photoId === op.photoId)
        ? { type: 'unchanged' }
        : { type: 'added', op };
    case 'submit': {
      const last = ofVisit.filter((q) => q.kind === 'putVisit' || q.kind === 'submit').at(-1);
      return last?.kind === 'submit' ? { type: 'unchanged' } : { type: 'added', op };
    }
    case 'deleteVisit':
      return { type: 'added', op };
  }
}

/** Whether an earlier pending operation must finish before `op` may run. */
function waitsFor<B>(op: OutboxOp<B>, earlier: OutboxOp<B>): boolean {
  if (!sameVisit(earlier, op.visitId, op.sub)) return false;
  // The visit must exist (and be current) on the server before anything else about it.
  if (earlier.kind === 'putVisit' || earlier.kind === 'submit' || earlier.kind === 'deleteVisit') return true;
  // A discard goes last: after anything of the visit still queued before it.
  if (op.kind === 'deleteVisit') return true;
  if (op.kind === 'putVisit') return false;
  // A submit counts the photos as the server holds them: uploads and removals go first.
  if (op.kind === 'submit') return earlier.kind === 'uploadPhoto' || earlier.kind === 'deletePhoto';
  return earlier.photoId === op.photoId;
}

/**
 * The operations of `sub` that may run at `now`, in queue order: not blocked, not waiting for
 * their time, and not behind an unfinished operation they depend on (a blocked or waiting one
 * still holds back what depends on it).
 */
export function runnable<Body>(queue: readonly OutboxOp<Body>[], sub: string, now: number): OutboxOp<Body>[] {
  const mine = queue.filter((op) => op.sub === sub);
  return mine.filter(
    (op, i) =>
      op.blocked === null &&
      op.notBefore <= now &&
      !mine.slice(0, i).some((earlier) => waitsFor(op, earlier)),
  );
}

/** Operations that still have to reach the server (polling a verification is not one). */
export function unsentCount<Body>(queue: readonly OutboxOp<Body>[], sub: string): number {
  return queue.filter((op) => op.sub === sub && op.kind !== 'checkPhoto').length;
}

/**
 * The earliest time after `now` when an operation of `sub` that waits on time becomes due, or
 * null. Operations already due but held back by a blocked one are not counted: only the user
 * can release those, so waking for them would spin.
 */
export function nextDue<Body>(queue: readonly OutboxOp<Body>[], sub: string, now: number): number | null {
  const due = queue
    .filter((op) => op.sub === sub && op.blocked === null && op.notBefore > now)
    .map((op) => op.notBefore);
  return due.length === 0 ? null : Math.min(...due);
}
