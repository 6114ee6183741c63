import { describe, expect, it } from 'vitest';
import { placeProblems, problemLabel, problemTarget, targetKey } from '../../../web/src/lib/problems.ts';

// The body that was sent: answers.N indexes this list, not the screen's.
const sent = {
  answers: [{ itemCode: 'A1' }, { itemCode: 'C2' }, { itemCode: 'D5' }],
  deductions: [{ code: 'X2' }],
};

describe('server problems are placed on their item', () => {
  it('answers.N.* goes to the Nth answer of the sent body', () => {
    expect(problemTarget('answers.1.value', sent)).toEqual({ kind: 'item', code: 'C2' });
    expect(problemTarget('answers.2.notApplicable', sent)).toEqual({ kind: 'item', code: 'D5' });
  });

  it('items.<code>.* (completeness) goes to that item', () => {
    expect(problemTarget('items.B1.photos', sent)).toEqual({ kind: 'item', code: 'B1' });
    expect(problemTarget('items.E2.value', sent)).toEqual({ kind: 'item', code: 'E2' });
  });

  it('deductions and manual findings go to theirs', () => {
    expect(problemTarget('deductions.0.count', sent)).toEqual({ kind: 'deduction', code: 'X2' });
    expect(problemTarget('manualFindings.3.title', sent)).toEqual({ kind: 'finding', index: 3 });
  });

  it('anything else, or an index past the body, lands on the visit rather than being dropped', () => {
    expect(problemTarget('answers', sent)).toEqual({ kind: 'visit' });
    expect(problemTarget('answers.9.value', sent)).toEqual({ kind: 'visit' });
    expect(problemTarget('endedAt', sent)).toEqual({ kind: 'visit' });
    expect(problemTarget('', sent)).toEqual({ kind: 'visit' });
  });

  it('labels start with the code once, whether or not the server already wrote it', () => {
    const placed = placeProblems(
      [
        { path: 'answers.1.value', message: 'C2: Giá trị phải là true (có) hoặc false (không).' },
        { path: 'items.B1.photos', message: 'cần ảnh' },
        { path: 'manualFindings.0.title', message: 'trống' },
      ],
      sent,
    );
    expect(placed.map(problemLabel)).toEqual([
      'C2: Giá trị phải là true (có) hoặc false (không).',
      'B1: cần ảnh',
      '#1: trống',
    ]);
    expect(placed.map((p) => targetKey(p.target))).toEqual(['item:C2', 'item:B1', 'finding:0']);
  });
});
