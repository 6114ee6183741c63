import { describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  CycleError,
  type DomainError,
  ForbiddenError,
  IncompleteError,
  InvalidStateError,
  NotFoundError,
  OwnVisitError,
  PayloadTooLargeError,
  PhotoPendingError,
  PreconditionFailedError,
  PreconditionRequiredError,
  UnauthenticatedError,
  UnavailableError,
  UnknownReferenceError,
  ValidationError,
} from '#domain/errors.ts';
import { problem } from '#domain/problems.ts';
import { isStoreUnavailable, problemResponse } from '#http/problem.ts';
import { StaleWriteError } from '#ports/errors.ts';

const text = { vi: 'Chi tiết', en: 'Details' };

function bodyOf(response: ReturnType<typeof problemResponse>): Record<string, unknown> {
  expect(response.headers?.['content-type']).toBe('application/problem+json');
  return JSON.parse(response.body ?? '');
}

function silentLog() {
  return { error: vi.fn(), warn: vi.fn() };
}

describe('problemResponse', () => {
  it.each<[DomainError, string, number]>([
    [new UnauthenticatedError(text), 'unauthenticated', 401],
    [new ForbiddenError(text), 'forbidden', 403],
    [new OwnVisitError(text), 'own_visit', 403],
    [new NotFoundError(text), 'not_found', 404],
    [new ConflictError(text), 'conflict', 409],
    [new InvalidStateError(text), 'invalid_state', 409],
    [new PhotoPendingError(text), 'photo_pending', 409],
    [new PreconditionFailedError(text, { etag: 'x' }), 'precondition_failed', 412],
    [new PayloadTooLargeError(text), 'payload_too_large', 413],
    [new ValidationError(text), 'validation_failed', 422],
    [new UnknownReferenceError(text), 'unknown_reference', 422],
    [new CycleError(text), 'cycle', 422],
    [new IncompleteError(text), 'incomplete', 422],
    [new PreconditionRequiredError(text), 'precondition_required', 428],
    [new UnavailableError(text), 'unavailable', 503],
  ])('maps %s to %s %i', (error, code, status) => {
    const response = problemResponse(error, 'vi', silentLog());
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toMatchObject({
      type: `urn:problem:${code}`,
      code,
      status,
      detail: 'Chi tiết',
      title: expect.any(String),
    });
  });

  it('localises detail, title and problems', () => {
    const error = new IncompleteError({ vi: 'Chưa đủ', en: 'Not complete' }, [
      problem(['answers', 3, 'value'], 'Thiếu câu trả lời', 'Answer missing'),
    ]);
    expect(bodyOf(problemResponse(error, 'en'))).toEqual({
      type: 'urn:problem:incomplete',
      code: 'incomplete',
      title: 'Incomplete',
      status: 422,
      detail: 'Not complete',
      errors: [{ path: 'answers.3.value', message: 'Answer missing' }],
    });
    expect(bodyOf(problemResponse(error, 'vi'))).toMatchObject({
      title: 'Chưa đầy đủ',
      detail: 'Chưa đủ',
      errors: [{ path: 'answers.3.value', message: 'Thiếu câu trả lời' }],
    });
  });

  it('adds the current resource to precondition_failed', () => {
    const current = { visitId: 'v', etag: 'e2' };
    expect(bodyOf(problemResponse(new PreconditionFailedError(text, current), 'vi')).current).toEqual(
      current,
    );
  });

  it('adds Retry-After to photo_pending and unavailable', () => {
    expect(problemResponse(new PhotoPendingError(text, [], 7), 'vi').headers?.['retry-after']).toBe('7');
    expect(problemResponse(new UnavailableError(text, 3), 'vi', silentLog()).headers?.['retry-after']).toBe(
      '3',
    );
  });

  it.each([
    ['ProvisionedThroughputExceededException'],
    ['ThrottlingException'],
    ['RequestLimitExceeded'],
    ['ServiceUnavailable'],
    ['InternalServerError'],
    ['TransactionConflictException'],
    ['TimeoutError'],
  ])('answers 503 unavailable with Retry-After for %s', (name) => {
    const error = Object.assign(new Error('Throughput exceeds the current capacity of your table'), { name });
    const log = silentLog();
    const response = problemResponse(error, 'en', log);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('2');
    const body = bodyOf(response);
    expect(body).toMatchObject({ code: 'unavailable', status: 503 });
    expect(JSON.stringify(body)).not.toContain('capacity');
    expect(log.warn).toHaveBeenCalled();
  });

  it('treats network failures and throttled transactions as unavailable, a failed condition not', () => {
    expect(isStoreUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isStoreUnavailable(new Error('wrapped', { cause: { name: 'ThrottlingException' } }))).toBe(true);
    const cancelled = (codes: string[]) =>
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: codes.map((Code) => ({ Code })),
      });
    expect(isStoreUnavailable(cancelled(['None', 'ThrottlingError']))).toBe(true);
    expect(isStoreUnavailable(cancelled(['ConditionalCheckFailed', 'None']))).toBe(false);
    expect(
      isStoreUnavailable(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' })),
    ).toBe(false);
    expect(isStoreUnavailable('a string')).toBe(false);
  });

  it('answers 409 conflict for a lost conditional write that no use case resolved', () => {
    const response = problemResponse(new StaleWriteError('Condition failed: ConditionalCheckFailed'), 'en');
    expect(response.statusCode).toBe(409);
    const body = JSON.parse(String(response.body));
    expect(body).toMatchObject({ code: 'conflict', status: 409 });
    expect(body.detail).not.toContain('ConditionalCheckFailed');
  });

  it('answers 500 internal without internals, logging the error', () => {
    const error = new TypeError(
      "Cannot read properties of undefined (reading 'etag') at /var/task/index.mjs:12",
    );
    const log = silentLog();
    const response = problemResponse(error, 'vi', log);
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['retry-after']).toBeUndefined();
    const body = bodyOf(response);
    expect(body).toEqual({
      type: 'urn:problem:internal',
      code: 'internal',
      title: 'Lỗi hệ thống',
      status: 500,
      detail: 'Đã xảy ra lỗi không mong muốn. Vui lòng thử lại sau.',
    });
    expect(log.error).toHaveBeenCalledWith('Unhandled error', { error });
  });

  it('falls back to the default detail when a domain error has none', () => {
    expect(bodyOf(problemResponse(new NotFoundError({ vi: '', en: '' }), 'en')).detail).toBe(
      'The requested resource was not found.',
    );
  });
});
