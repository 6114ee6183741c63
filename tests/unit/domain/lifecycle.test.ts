import { describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  OwnVisitError,
  ValidationError,
} from '#domain/errors.ts';
import { type Actor, reviewInputSchema, transitionVisit, type VisitAction } from '#domain/lifecycle.ts';
import type { VisitStatus } from '#domain/visit.ts';

const inspector: Actor = { sub: 'insp-1', roles: ['inspector'] };
const otherInspector: Actor = { sub: 'insp-2', roles: ['inspector'] };
const manager: Actor = { sub: 'mgr-1', roles: ['manager'] };
const admin: Actor = { sub: 'adm-1', roles: ['admin'] };
const managerInspector: Actor = { sub: 'insp-1', roles: ['manager', 'inspector'] };
const ranking: Actor = { sub: 'ranking-client', roles: ['ranking'] };

const visit = (status: VisitStatus) => ({ status, inspectorId: 'insp-1' });

describe('transitionVisit: legal moves', () => {
  it.each<[VisitStatus, VisitAction, Actor, VisitStatus | 'deleted']>([
    ['draft', { type: 'edit' }, inspector, 'draft'],
    ['returned', { type: 'edit' }, inspector, 'returned'],
    ['draft', { type: 'delete' }, inspector, 'deleted'],
    ['draft', { type: 'submit' }, inspector, 'submitted'],
    ['returned', { type: 'submit' }, inspector, 'submitted'],
    ['submitted', { type: 'approve' }, manager, 'approved'],
    ['submitted', { type: 'approve', comment: 'Tốt' }, admin, 'approved'],
    ['submitted', { type: 'return', comment: 'Thiếu ảnh B1' }, manager, 'returned'],
    ['approved', { type: 'revoke', reason: 'Phát hiện sai sót' }, admin, 'revoked'],
  ])('%s --%j by %j--> %s', (status, action, actor, expected) => {
    expect(transitionVisit(visit(status), action, actor)).toBe(expected);
  });
});

describe('transitionVisit: refused moves', () => {
  it.each<[string, VisitStatus, VisitAction, Actor, new (...args: never[]) => Error]>([
    ['editing an approved visit', 'approved', { type: 'edit' }, inspector, InvalidStateError],
    ['editing a submitted visit', 'submitted', { type: 'edit' }, inspector, InvalidStateError],
    ['deleting a returned visit', 'returned', { type: 'delete' }, inspector, InvalidStateError],
    ['deleting a submitted visit', 'submitted', { type: 'delete' }, inspector, InvalidStateError],
    ['submitting twice', 'submitted', { type: 'submit' }, inspector, InvalidStateError],
    ['approving a draft', 'draft', { type: 'approve' }, manager, InvalidStateError],
    ['approving an approved visit', 'approved', { type: 'approve' }, manager, InvalidStateError],
    ['returning a returned visit', 'returned', { type: 'return', comment: 'x' }, manager, InvalidStateError],
    ['revoking a submitted visit', 'submitted', { type: 'revoke', reason: 'x' }, admin, InvalidStateError],
    ['revoking a revoked visit', 'revoked', { type: 'revoke', reason: 'x' }, admin, InvalidStateError],
    ['reviewing one own visit', 'submitted', { type: 'approve' }, managerInspector, OwnVisitError],
    [
      'returning one own visit',
      'submitted',
      { type: 'return', comment: 'x' },
      managerInspector,
      OwnVisitError,
    ],
    ['returning without a comment', 'submitted', { type: 'return' }, manager, ValidationError],
    [
      'returning with a blank comment',
      'submitted',
      { type: 'return', comment: '  ' },
      manager,
      ValidationError,
    ],
    ['revoking without a reason', 'approved', { type: 'revoke' }, admin, ValidationError],
    ['an inspector approving', 'submitted', { type: 'approve' }, inspector, ForbiddenError],
    ['a manager revoking', 'approved', { type: 'revoke', reason: 'x' }, manager, ForbiddenError],
    ['a manager editing', 'draft', { type: 'edit' }, manager, ForbiddenError],
    ['the ranking client submitting', 'draft', { type: 'submit' }, ranking, ForbiddenError],
    ["editing another inspector's visit", 'draft', { type: 'edit' }, otherInspector, NotFoundError],
    ["deleting another inspector's visit", 'draft', { type: 'delete' }, otherInspector, NotFoundError],
    ["submitting another inspector's visit", 'draft', { type: 'submit' }, otherInspector, NotFoundError],
  ])('%s', (_name, status, action, actor, errorClass) => {
    expect(() => transitionVisit(visit(status), action, actor)).toThrow(errorClass);
  });

  it('hides another inspector’s visit even when its state would refuse the move', () => {
    expect(() => transitionVisit(visit('approved'), { type: 'edit' }, otherInspector)).toThrow(NotFoundError);
  });

  it('explains refusals in Vietnamese and English', () => {
    try {
      transitionVisit(visit('approved'), { type: 'edit' }, inspector);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidStateError);
      if (error instanceof InvalidStateError) {
        expect(error.code).toBe('invalid_state');
        expect(error.detail.vi).toContain('đã phê duyệt');
        expect(error.detail.en).toContain('approved');
      }
    }
    try {
      transitionVisit(visit('submitted'), { type: 'return' }, manager);
      expect.unreachable();
    } catch (error) {
      expect(error instanceof ValidationError && error.problems.map((p) => p.path)).toEqual(['comment']);
    }
  });

  it('parses a review body', () => {
    expect(reviewInputSchema.parse({ decision: 'return', comment: 'Bổ sung ảnh' })).toEqual({
      decision: 'return',
      comment: 'Bổ sung ảnh',
    });
    expect(reviewInputSchema.safeParse({ decision: 'reject' }).success).toBe(false);
  });
});
