import { describe, expect, it } from 'vitest';
import { enqueue, nextDue, type OutboxOp, runnable, unsentCount } from '../../../web/src/sync/queue.ts';

type Body = { answers: string[] };
let nextId = 1;

function op(kind: OutboxOp['kind'], visitId: string, extra: Partial<OutboxOp<Body>> = {}): OutboxOp<Body> {
  return { sub: 'u1', kind, visitId, attempts: 0, notBefore: 0, blocked: null, createdAt: 0, ...extra };
}

/** Applies enqueue the way the store does (add with a new id, or rewrite in place). */
function push(queue: OutboxOp<Body>[], next: OutboxOp<Body>): OutboxOp<Body>[] {
  const joined = enqueue(queue, next);
  if (joined.type === 'unchanged') return queue;
  if (joined.type === 'added') return [...queue, { ...joined.op, id: nextId++ }];
  return queue.map((q) => (q.id === joined.op.id ? joined.op : q));
}

describe('queued edits of one visit merge into one PUT', () => {
  it('three edits of a visit leave one PUT with the last body, in the first one place', () => {
    let queue: OutboxOp<Body>[] = [];
    queue = push(queue, op('putVisit', 'v1', { body: { answers: ['A1'] } }));
    queue = push(queue, op('putVisit', 'v2', { body: { answers: ['B1'] } }));
    queue = push(queue, op('putVisit', 'v1', { body: { answers: ['A1', 'A2'] } }));
    queue = push(queue, op('putVisit', 'v1', { body: { answers: ['A1', 'A2', 'A3'] } }));
    expect(queue.map((q) => [q.kind, q.visitId, q.body?.answers.length])).toEqual([
      ['putVisit', 'v1', 3],
      ['putVisit', 'v2', 1],
    ]);
  });

  it('a merge keeps the backoff of the entry it joins', () => {
    let queue = push([], op('putVisit', 'v1', { body: { answers: [] }, attempts: 3, notBefore: 5_000 }));
    queue = push(queue, op('putVisit', 'v1', { body: { answers: ['A1'] } }));
    expect(queue[0]).toMatchObject({ attempts: 3, notBefore: 5_000, body: { answers: ['A1'] } });
  });

  it('an edit clears a 4xx block (it may be the fix) but not a 412 conflict', () => {
    const refused = { code: 'validation_failed', status: 422, message: 'x' };
    let queue = push([], op('putVisit', 'v1', { body: { answers: [] }, blocked: refused }));
    queue = push(queue, op('putVisit', 'v1', { body: { answers: ['A1'] } }));
    expect(queue[0]?.blocked).toBeNull();

    const conflict = { code: 'precondition_failed', status: 412, message: 'changed' };
    let other = push([], op('putVisit', 'v2', { body: { answers: [] }, blocked: conflict }));
    other = push(other, op('putVisit', 'v2', { body: { answers: ['B1'] } }));
    expect(other[0]).toMatchObject({ blocked: conflict, body: { answers: ['B1'] } });
  });

  it('an edit after a queued submit is a new PUT after it, not merged before it', () => {
    let queue = push([], op('putVisit', 'v1', { body: { answers: ['A1'] } }));
    queue = push(queue, op('submit', 'v1'));
    queue = push(queue, op('putVisit', 'v1', { body: { answers: ['A1', 'A2'] } }));
    expect(queue.map((q) => q.kind)).toEqual(['putVisit', 'submit', 'putVisit']);
  });

  it('a photo or a submit is not queued twice', () => {
    let queue = push([], op('uploadPhoto', 'v1', { photoId: 'p1' }));
    queue = push(queue, op('uploadPhoto', 'v1', { photoId: 'p1' }));
    queue = push(queue, op('uploadPhoto', 'v1', { photoId: 'p2' }));
    queue = push(queue, op('submit', 'v1'));
    queue = push(queue, op('submit', 'v1'));
    expect(queue.map((q) => `${q.kind}:${q.photoId ?? ''}`)).toEqual([
      'uploadPhoto:p1',
      'uploadPhoto:p2',
      'submit:',
    ]);
  });

  it('never merges across users', () => {
    let queue = push([], op('putVisit', 'v1', { body: { answers: ['A1'] } }));
    queue = push(queue, op('putVisit', 'v1', { sub: 'u2', body: { answers: ['Z'] } }));
    expect(queue).toHaveLength(2);
  });
});

describe('which operations may run now', () => {
  const ids = (queue: OutboxOp<Body>[], now = 0) =>
    runnable(queue, 'u1', now).map((q) => `${q.kind}:${q.visitId}`);

  it('a photo and a submit wait for the visit PUT before them; other visits do not', () => {
    const queue = [
      { ...op('putVisit', 'v1', { body: { answers: [] } }), id: 1 },
      { ...op('uploadPhoto', 'v1', { photoId: 'p1' }), id: 2 },
      { ...op('submit', 'v1'), id: 3 },
      { ...op('putVisit', 'v2', { body: { answers: [] } }), id: 4 },
    ];
    expect(ids(queue)).toEqual(['putVisit:v1', 'putVisit:v2']);
    expect(ids(queue.slice(1))).toEqual(['uploadPhoto:v1', 'putVisit:v2']);
  });

  it('a submit waits for uploads but not for verification polling', () => {
    const uploading = [
      { ...op('uploadPhoto', 'v1', { photoId: 'p1' }), id: 1 },
      { ...op('submit', 'v1'), id: 2 },
    ];
    expect(ids(uploading)).toEqual(['uploadPhoto:v1']);
    const checking = [
      { ...op('checkPhoto', 'v1', { photoId: 'p1', notBefore: 10_000 }), id: 1 },
      { ...op('submit', 'v1'), id: 2 },
    ];
    expect(ids(checking)).toEqual(['submit:v1']);
  });

  it('a blocked or waiting operation holds back what depends on it, and nothing else', () => {
    const blocked = { code: 'conflict', status: 409, message: 'x' };
    const queue = [
      { ...op('putVisit', 'v1', { body: { answers: [] }, blocked }), id: 1 },
      { ...op('uploadPhoto', 'v1', { photoId: 'p1' }), id: 2 },
      { ...op('putVisit', 'v2', { body: { answers: [] }, notBefore: 60_000 }), id: 3 },
      { ...op('uploadPhoto', 'v2', { photoId: 'p2' }), id: 4 },
      { ...op('putVisit', 'v3', { body: { answers: [] } }), id: 5 },
    ];
    expect(ids(queue, 1_000)).toEqual(['putVisit:v3']);
    expect(ids(queue, 60_000)).toEqual(['putVisit:v2', 'putVisit:v3']);
  });

  it('uploads of different photos of one visit run side by side; a second op of one photo waits', () => {
    const queue = [
      { ...op('uploadPhoto', 'v1', { photoId: 'p1' }), id: 1 },
      { ...op('uploadPhoto', 'v1', { photoId: 'p2' }), id: 2 },
      { ...op('checkPhoto', 'v1', { photoId: 'p1' }), id: 3 },
    ];
    expect(runnable(queue, 'u1', 0).map((q) => q.id)).toEqual([1, 2]);
  });

  it('only the signed-in user operations run, and polling is not counted as unsent', () => {
    const queue = [
      { ...op('putVisit', 'v1', { sub: 'u2', body: { answers: [] } }), id: 1 },
      { ...op('checkPhoto', 'v2', { photoId: 'p1' }), id: 2 },
      { ...op('submit', 'v3'), id: 3 },
    ];
    expect(ids(queue)).toEqual(['checkPhoto:v2', 'submit:v3']);
    expect(unsentCount(queue, 'u1')).toBe(1);
    expect(unsentCount(queue, 'u2')).toBe(1);
  });
});

describe('when to wake the outbox next', () => {
  it('at the earliest future time, not for operations only the user can release', () => {
    const blocked = { code: 'precondition_failed', status: 412, message: 'x' };
    const queue = [
      { ...op('putVisit', 'v1', { body: { answers: [] }, blocked }), id: 1 },
      { ...op('uploadPhoto', 'v1', { photoId: 'p1', notBefore: 0 }), id: 2 },
      { ...op('checkPhoto', 'v2', { photoId: 'p2', notBefore: 9_000 }), id: 3 },
      { ...op('submit', 'v3', { notBefore: 4_000 }), id: 4 },
    ];
    expect(nextDue(queue, 'u1', 1_000)).toBe(4_000);
    expect(nextDue(queue, 'u1', 5_000)).toBe(9_000);
    expect(nextDue(queue.slice(0, 2), 'u1', 1_000)).toBeNull();
  });
});

describe('photo removals in the queue', () => {
  it("is queued once per photo, and a submit waits for it (the count is the server's)", () => {
    let queue: OutboxOp<Body>[] = [];
    const push = (next: OutboxOp<Body>) => {
      const joined = enqueue(queue, next);
      if (joined.type === 'added') queue = [...queue, { ...joined.op, id: queue.length + 1 }];
    };
    push(op('deletePhoto', 'v1', { photoId: 'p1' }));
    push(op('deletePhoto', 'v1', { photoId: 'p1' }));
    push(op('deletePhoto', 'v1', { photoId: 'p2' }));
    push(op('submit', 'v1'));
    expect(queue.map((q) => `${q.kind}:${q.photoId ?? ''}`)).toEqual([
      'deletePhoto:p1',
      'deletePhoto:p2',
      'submit:',
    ]);
    expect(runnable(queue, 'u1', 0).map((q) => `${q.kind}:${q.photoId ?? ''}`)).toEqual([
      'deletePhoto:p1',
      'deletePhoto:p2',
    ]);
    expect(runnable(queue.slice(2), 'u1', 0).map((q) => q.kind)).toEqual(['submit']);
  });
});

describe('discarding a visit in the queue', () => {
  it('once its delete is queued nothing more of that visit is, and the delete is queued once', () => {
    let queue: OutboxOp<Body>[] = [];
    queue = push(queue, op('deleteVisit', 'v1'));
    queue = push(queue, op('deleteVisit', 'v1'));
    // An upload that was in flight when the visit was discarded would queue its check: dropped.
    queue = push(queue, op('checkPhoto', 'v1', { photoId: 'p1' }));
    queue = push(queue, op('putVisit', 'v1', { body: { answers: ['late'] } }));
    queue = push(queue, op('submit', 'v1'));
    queue = push(queue, op('putVisit', 'v2', { body: { answers: ['a'] } }));
    expect(queue.map((q) => `${q.kind}:${q.visitId}`)).toEqual(['deleteVisit:v1', 'putVisit:v2']);
  });

  it('the delete waits for whatever of its visit is still queued before it, not for other visits', () => {
    const upload = { ...op('uploadPhoto', 'v1', { photoId: 'p1' }), id: 1 };
    const other = { ...op('uploadPhoto', 'v2', { photoId: 'p9' }), id: 2 };
    const discard = { ...op('deleteVisit', 'v1'), id: 3 };
    expect(runnable([upload, other, discard], 'u1', 0).map((q) => q.id)).toEqual([1, 2]);
    expect(runnable([other, discard], 'u1', 0).map((q) => q.id)).toEqual([2, 3]);
  });

  it('a removed photo gets no upload or check queued after its removal', () => {
    let queue: OutboxOp<Body>[] = [];
    queue = push(queue, op('deletePhoto', 'v1', { photoId: 'p1' }));
    queue = push(queue, op('checkPhoto', 'v1', { photoId: 'p1' }));
    queue = push(queue, op('uploadPhoto', 'v1', { photoId: 'p1' }));
    queue = push(queue, op('uploadPhoto', 'v1', { photoId: 'p2' }));
    expect(queue.map((q) => `${q.kind}:${q.photoId ?? ''}`)).toEqual(['deletePhoto:p1', 'uploadPhoto:p2']);
  });
});
