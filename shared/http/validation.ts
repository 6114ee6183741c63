import { z } from 'zod';
import type { Problem } from '#domain/problems.ts';
import type { Language } from './language.ts';

const localeMaps: Record<Language, z.core.$ZodErrorMap> = {
  vi: z.locales.vi().localeError,
  en: z.locales.en().localeError,
};

/** Custom issues from the domain carry their own words: `params: { vi, en }`. */
const bilingualParams = z.object({ vi: z.string(), en: z.string() });

/** Parsing outcome: the value, or every problem found, each with its message in both languages. */
export type Parsed<T> = { success: true; data: T } | { success: false; problems: Problem[] };

/**
 * Parses `input` with `schema`, and on failure describes every issue in Vietnamese and English.
 * Zod fills messages from one error map per parse, so a failing input is parsed once per
 * language and the issues are paired by position (a schema's issues come out in a fixed order).
 * The success path costs one parse.
 */
export function parseBilingual<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const vi = schema.safeParse(input, { error: localeMaps.vi });
  if (vi.success) return { success: true, data: vi.data };
  const en = schema.safeParse(input, { error: localeMaps.en });
  const enIssues = en.success ? [] : en.error.issues;
  const problems = vi.error.issues.flatMap((issue, index) =>
    toProblems(issue, enIssues[index]?.message ?? issue.message),
  );
  return { success: false, problems };
}

function toProblems(issue: z.core.$ZodIssue, englishMessage: string): Problem[] {
  const custom = issue.code === 'custom' ? bilingualParams.safeParse(issue.params) : undefined;
  const message = custom?.success ? custom.data : { vi: issue.message, en: englishMessage };
  const path = issue.path.map((segment) => String(segment));
  if (issue.code === 'unrecognized_keys') {
    // One entry per unknown key, located at the key itself, so a form can mark the field.
    return issue.keys.map((key) => ({ path: [...path, key].join('.'), message }));
  }
  return [{ path: path.join('.'), message }];
}
