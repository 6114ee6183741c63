/**
 * Text shown to people: Vietnamese first (the default), English beside it.
 * Domain rules produce both so that the HTTP layer only has to pick one.
 */
export interface Text {
  vi: string;
  en: string;
}

/** One thing wrong with an input, located by a path such as `answers.3.value`. */
export interface Problem {
  path: string;
  message: Text;
}

/** Builds a problem; `path` segments are joined with dots (`['answers', 3, 'value']`). */
export function problem(path: ReadonlyArray<string | number> | string, vi: string, en: string): Problem {
  return { path: typeof path === 'string' ? path : path.join('.'), message: { vi, en } };
}
