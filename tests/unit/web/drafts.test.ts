import { describe, expect, it } from 'vitest';
import { keepNewerDrafts } from '../../../web/src/lib/drafts.ts';

// A re-read of IndexedDB that began before an edit committed must not show the older draft
// (found in the browser: ticking "Không áp dụng" flipped back until the next re-read).
describe('re-reading the store keeps drafts edited since', () => {
  const stored = [
    { visitId: 'v1', draft: { answers: [] }, etag: '"e2"' },
    { visitId: 'v2', draft: { answers: [] }, etag: '"e5"' },
  ];
  const shown = [
    { visitId: 'v1', draft: { answers: ['A5 n/a'] }, etag: '"e1"' },
    { visitId: 'v2', draft: { answers: ['B1'] }, etag: '"e4"' },
  ];

  it('an edit after the re-read began wins the draft; the rest comes from the store', () => {
    const edited = new Map([['v1', 8]]);
    expect(keepNewerDrafts(stored, shown, edited, 7)).toEqual([
      { visitId: 'v1', draft: { answers: ['A5 n/a'] }, etag: '"e2"' },
      { visitId: 'v2', draft: { answers: [] }, etag: '"e5"' },
    ]);
  });

  it('an edit before the re-read began is in the store already: the store wins', () => {
    const edited = new Map([['v1', 7]]);
    expect(keepNewerDrafts(stored, shown, edited, 7)).toEqual(stored);
  });
});
