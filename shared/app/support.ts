/**
 * What every use case shares: who is calling, what they may see, etags, audit entries.
 */
import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  ConflictError,
  type DomainError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
} from '#domain/errors.ts';
import type { Text } from '#domain/problems.ts';
import type { AuditEntry } from '#ports/records.ts';

/** The authenticated caller, as the HTTP layer derived it from the access token. */
export interface Caller {
  sub: string;
  name: string | null;
  roles: readonly string[];
  /** Root of the caller's jurisdiction; null only for the ranking machine client. */
  unitId: string | null;
}

export const isAdmin = (caller: Caller) => caller.roles.includes('admin');
export const isReviewer = (caller: Caller) =>
  caller.roles.includes('admin') || caller.roles.includes('manager');
export const isInspectorOnly = (caller: Caller) => !isReviewer(caller) && caller.roles.includes('inspector');

/** Whether something at `unitPath` lies in the caller's jurisdiction (their unit's subtree). */
export function inJurisdiction(caller: Caller, unitPath: readonly string[]): boolean {
  return caller.unitId !== null && unitPath.includes(caller.unitId);
}

export function notFound(what: Text = { vi: 'Không tìm thấy.', en: 'Not found.' }): NotFoundError {
  return new NotFoundError(what);
}

/** Canonical JSON (RFC 8785): equal values give equal strings whatever the key order. */
export function canonical(value: unknown): string {
  return canonicalize(JSON.parse(JSON.stringify(value ?? null))) ?? 'null';
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** A strong etag from the content: the same representation always has the same etag. */
export function etagOf(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('base64url').slice(0, 22);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function newId(): string {
  return randomUUID();
}

/**
 * A UUID that the same name always gives (RFC 9562 version 8, from SHA-256): what a creating
 * request with an Idempotency-Key makes gets an ID from the key, so even a retry after the
 * process died midway finds what the first attempt stored instead of making a second one.
 */
export function nameBasedId(name: string): string {
  const hex = createHash('sha256').update(name, 'utf8').digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function audit(
  subject: AuditEntry['subject'],
  action: string,
  actor: Caller,
  at: string,
  change: { from?: string | null; to?: string | null; reason?: string | null } = {},
): AuditEntry {
  return {
    entryId: newId(),
    subject,
    action,
    actor: actor.sub,
    actorName: actor.name,
    at,
    from: change.from ?? null,
    to: change.to ?? null,
    reason: change.reason ?? null,
  };
}

/**
 * If-Match for replacing a resource: required (428) and must match (412 with the current
 * representation, so the client can merge without another round trip).
 */
export function checkIfMatch(
  ifMatch: string | null,
  currentEtag: string,
  current: unknown,
  required: boolean,
): void {
  if (ifMatch === null) {
    if (required) {
      throw new PreconditionRequiredError({
        vi: 'Cần gửi tiêu đề If-Match với etag hiện tại của tài nguyên.',
        en: 'Send an If-Match header with the resource’s current etag.',
      });
    }
    return;
  }
  if (ifMatch !== '*' && ifMatch !== currentEtag) throw staleWrite(ifMatch, current);
}

/**
 * What to answer when a conditional write lost to another request: with If-Match the client
 * asked for a precondition, so 412 with the current representation; without it, 409.
 */
export function staleWrite(ifMatch: string | null, current: unknown): DomainError {
  if (ifMatch === null) {
    return new ConflictError({
      vi: 'Dữ liệu vừa được thay đổi đồng thời bởi một yêu cầu khác; hãy tải lại và thử lại.',
      en: 'The resource changed concurrently through another request; reload and try again.',
    });
  }
  return new PreconditionFailedError(
    {
      vi: 'Tài nguyên đã bị thay đổi bởi người khác (etag không khớp). Hãy tải lại và thử lại.',
      en: 'The resource has changed since you read it (etag mismatch). Reload and try again.',
    },
    current,
  );
}

/** Depth of a unit in the tree: the root is 0. */
export const depthOf = (path: readonly string[]) => path.length - 1;
