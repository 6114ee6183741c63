/**
 * Unit search that ignores Vietnamese diacritics: inspectors type on keyboards without
 * Telex as often as with it, so "Vinh Phu" must find "Phường Vinh Phú" and "do luong" must find
 * "Xã Đô Lương". Pure; no DOM.
 */

const combiningMarks = /[\u0300-\u036f]/g;

/** Lowercase, diacritics removed (NFD then combining marks stripped), đ -> d, spaces collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(combiningMarks, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether the query, folded, occurs in the folded text from the start of a word: "vinh phu"
 * and "vinh p" find "Phường Vinh Phú"; "vinh phu" does not find "Phường Vinh Hưng" (whose
 * "phuong" a word-by-word match would accept). An empty query matches everything.
 */
export function matchesQuery(text: string, query: string): boolean {
  const needle = foldText(query);
  if (needle === '') return true;
  const haystack = ` ${foldText(text)}`;
  return haystack.includes(` ${needle}`);
}

/** The items whose name matches, in Vietnamese alphabetical order. */
export function searchByName<T extends { name: string }>(items: readonly T[], query: string): T[] {
  const collator = new Intl.Collator('vi');
  return items
    .filter((item) => matchesQuery(item.name, query))
    .sort((a, b) => collator.compare(a.name, b.name));
}
