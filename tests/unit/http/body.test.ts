import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.ts';
import { maxJsonDepth, parseJsonBody } from '#http/body.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');

function problemsOf(text: string) {
  try {
    parseJsonBody(bytes(text));
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => p.path);
    throw error;
  }
  return [];
}

describe('parseJsonBody', () => {
  it('normalises every string and key to NFC', () => {
    // "Phú" spelt with a combining acute accent.
    expect(parseJsonBody(bytes('{"Phu\u0301":["Phu\u0301"]}'))).toEqual({ Phú: ['Phú'] });
  });

  it('refuses lone surrogates anywhere, naming every path at once', () => {
    expect(
      problemsOf(
        '{"name":"x\\ud800","answers":[{"note":"ok"},{"note":"\\udfff y"}],"deep":{"a":["\\ud83d"]}}',
      ),
    ).toEqual(['name', 'answers.1.note', 'deep.a.0']);
  });

  it('accepts surrogate pairs, which are well-formed text', () => {
    expect(parseJsonBody(bytes('{"note":"\\ud83d\\udcf7 ảnh"}'))).toEqual({ note: '📷 ảnh' });
  });

  it('still says when the body is not JSON at all', () => {
    expect(() => parseJsonBody(bytes('{"name":'))).toThrow(ValidationError);
  });

  it('refuses a body nested deeper than the limit as a validation problem, not a stack overflow', () => {
    const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(parseJsonBody(bytes(nested(maxJsonDepth)))).toBeDefined();
    expect(() => parseJsonBody(bytes(nested(maxJsonDepth + 1)))).toThrow(ValidationError);
    expect(problemsOf(nested(10_000))).toEqual(['']);
    expect(problemsOf(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`)).toEqual(['']);
  });
});
