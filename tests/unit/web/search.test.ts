import { describe, expect, it } from 'vitest';
import { foldText, matchesQuery, searchByName } from '../../../web/src/lib/search.ts';

const units = [
  { name: 'Phường Vinh Phú' },
  { name: 'Phường Vinh Hưng' },
  { name: 'Xã Đô Lương' },
  { name: 'Phường Cửa Lò' },
  { name: 'Xã Quỳnh Lưu' },
];

describe('unit search ignores diacritics', () => {
  it('"Vinh Phu" finds "Phường Vinh Phú" and only it', () => {
    expect(searchByName(units, 'Vinh Phu').map((u) => u.name)).toEqual(['Phường Vinh Phú']);
  });

  it('đ is typed as d', () => {
    expect(searchByName(units, 'do luong').map((u) => u.name)).toEqual(['Xã Đô Lương']);
    expect(foldText('Đô Lương')).toBe('do luong');
  });

  it('matches with diacritics typed, in any case, and decomposed (NFD) input', () => {
    expect(matchesQuery('Phường Cửa Lò', 'CỬA LÒ')).toBe(true);
    expect(matchesQuery('Phường Cửa Lò', 'cửa lò'.normalize('NFD'))).toBe(true);
    expect(matchesQuery('Phường Vinh Phú'.normalize('NFD'), 'vinh phu')).toBe(true);
  });

  it('matches the words as typed, from the start of a word, so a half-typed name already finds it', () => {
    expect(matchesQuery('Phường Vinh Phú', 'vinh p')).toBe(true);
    expect(matchesQuery('Phường Vinh Phú', 'phu')).toBe(true);
    expect(matchesQuery('Phường Vinh Phú', 'inh')).toBe(false);
    expect(matchesQuery('Phường Vinh Phú', 'vinh loc')).toBe(false);
  });

  it('an empty or blank query lists everything in Vietnamese order', () => {
    expect(searchByName(units, '  ').map((u) => u.name)).toEqual([
      'Phường Cửa Lò',
      'Phường Vinh Hưng',
      'Phường Vinh Phú',
      'Xã Đô Lương',
      'Xã Quỳnh Lưu',
    ]);
  });
});
