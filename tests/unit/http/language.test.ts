import { describe, expect, it } from 'vitest';
import { parseIfMatch } from '#http/headers.ts';
import { languageFromHeader } from '#http/language.ts';

describe('languageFromHeader', () => {
  it.each([
    [undefined, 'vi'],
    ['', 'vi'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    ['en;q=0.5, vi;q=0.9', 'vi'],
    ['vi;q=0.4, en-US;q=0.8', 'en'],
    ['fr-FR, en;q=0.7', 'en'],
    ['fr, de', 'vi'],
    ['*', 'vi'],
    ['en;q=0, vi;q=0.1', 'vi'],
    ['en;q=0', 'vi'],
    ['en, vi', 'en'],
  ] as const)('%s -> %s', (header, expected) => {
    expect(languageFromHeader(header)).toBe(expected);
  });
});

describe('parseIfMatch', () => {
  it.each([
    [null, null],
    ['', null],
    ['"abc"', 'abc'],
    ['W/"abc"', 'abc'],
    ['abc', 'abc'],
    [' "abc" ', 'abc'],
    ['*', '*'],
  ] as const)('%s -> %s', (header, expected) => {
    expect(parseIfMatch(header)).toBe(expected);
  });
});
