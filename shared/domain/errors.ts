import type { Problem, Text } from './problems.ts';

/**
 * Every refusal the system makes is one of these classes. The HTTP layer maps `code` to a
 * status and a problem+json body in one place (shared/http/problem.ts); use cases and the
 * domain never think in status codes.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    readonly detail: Text,
    readonly problems: Problem[] = [],
  ) {
    super(detail.en);
    this.name = new.target.name;
  }
}

export type ErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'own_visit'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'photo_pending'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'validation_failed'
  | 'unknown_reference'
  | 'cycle'
  | 'incomplete'
  | 'precondition_required'
  | 'rate_limited'
  | 'internal'
  | 'unavailable';

export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
}
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}
/** A manager or admin tried to review a visit they created themselves. */
export class OwnVisitError extends DomainError {
  readonly code = 'own_visit';
}
/** Missing, or outside the caller's scope: the two look the same so nothing leaks. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}
/** A client-generated ID reused for a different object. */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}
/** The object's lifecycle does not allow this action now. */
export class InvalidStateError extends DomainError {
  readonly code = 'invalid_state';
}
/** Only photo verification is outstanding: the client should retry after `retryAfterSeconds`. */
export class PhotoPendingError extends DomainError {
  readonly code = 'photo_pending';
  constructor(
    detail: Text,
    problems: Problem[] = [],
    readonly retryAfterSeconds = 5,
  ) {
    super(detail, problems);
  }
}
/** If-Match did not match: `current` is the resource as it is now. */
export class PreconditionFailedError extends DomainError {
  readonly code = 'precondition_failed';
  constructor(
    detail: Text,
    readonly current: unknown,
  ) {
    super(detail);
  }
}
export class PreconditionRequiredError extends DomainError {
  readonly code = 'precondition_required';
}
export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
}
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
}
/** The input names something (a parent unit, a template version) that does not exist. */
export class UnknownReferenceError extends DomainError {
  readonly code = 'unknown_reference';
}
export class CycleError extends DomainError {
  readonly code = 'cycle';
}
/** Submit found the visit incomplete: `problems` lists every gap at once. */
export class IncompleteError extends DomainError {
  readonly code = 'incomplete';
}
/** The store is throttled or down; nothing was changed and a retry later is safe. */
export class UnavailableError extends DomainError {
  readonly code = 'unavailable';
  constructor(
    detail: Text,
    readonly retryAfterSeconds = 2,
  ) {
    super(detail);
  }
}
