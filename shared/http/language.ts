/** The languages user-facing text comes in: Vietnamese is the default, English on request. */
export type Language = 'vi' | 'en';

/**
 * Picks the response language from an `Accept-Language` header (RFC 9110 q-values). The first
 * range by preference whose primary subtag is `vi` or `en` wins (`en-US` counts as `en`);
 * anything else, a wildcard or a missing header gives Vietnamese, the users' language.
 */
export function languageFromHeader(header: string | null | undefined): Language {
  if (!header) return 'vi';
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [range = '', ...parameters] = part.trim().split(';');
      const qParameter = parameters.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
      const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
      return {
        primary: range.trim().toLowerCase().split('-')[0] ?? '',
        q: Number.isFinite(q) ? q : 0,
        index,
      };
    })
    .filter((entry) => entry.q > 0)
    // Equal q-values keep the client's order, so sort on (q desc, position asc).
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { primary } of ranges) {
    if (primary === 'vi' || primary === 'en') return primary;
  }
  return 'vi';
}
