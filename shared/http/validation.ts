import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import vi from 'zod/v4/locales/vi.js';
import type { Problem } from '#domain/problems.ts';
import type { Language } from './language.ts';

// The two locales by their own paths: `z.locales.vi` would bring every locale zod has (about
// 260 kB minified) into each bundle, as the namespace cannot be tree-shaken.
const localeMaps: Record<Language, z.core.$ZodErrorMap> = {
  vi: vi().localeError,
  en: en().localeError,
};

// Classic zod made English its default locale when loaded; zod/mini makes none, and every issue
// parsed without an error map (a log line, a stored record that fails to read back) would say
// only "Invalid input". The same default as before, for every process that handles requests.
z.config({ localeError: localeMaps.en });

/** Custom issues from the domain carry their own words: `params: { vi, en }`. */
const bilingualParams = z.object({ vi: z.string(), en: z.string() });

/** Parsing outcome: the value, or every problem found, each with its message in both languages. */
export type Parsed<T> = { success: true; data: T } | { success: false; problems: Problem[] };

/**
 * Parses `input` with `schema`, and on failure describes every issue in Vietnamese and English.
 * Zod fills messages from one error map per parse, so a failing input is parsed once per
 * language and the issues are paired by position (a schema's issues come out in a fixed order).
 * The success path costs one parse. Any zod 4 schema will do (zod/mini's, as the contracts are,
 * or a classic one), hence `z.safeParse` rather than a method of the schema.
 */
export function parseBilingual<T>(schema: z.core.$ZodType<T>, input: unknown): Parsed<T> {
  const vi = z.safeParse(schema, input, { error: localeMaps.vi });
  if (vi.success) return { success: true, data: vi.data };
  const en = z.safeParse(schema, input, { error: localeMaps.en });
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
