import { PayloadTooLargeError, ValidationError } from '#domain/errors.ts';
import { type Problem, problem } from '#domain/problems.ts';

/** API.md: request bodies are at most 256 KiB, counted in raw bytes. */
export const maxBodyBytes = 256 * 1024;

/** The raw bytes of a request body as API Gateway delivered it (base64 for binary content). */
export function rawBodyBytes(body: string | undefined, isBase64Encoded: boolean): Buffer | null {
  if (body === undefined || body === '') return null;
  return isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** @throws PayloadTooLargeError when the body is over the limit. */
export function checkBodySize(bytes: Buffer | null): void {
  if (bytes !== null && bytes.byteLength > maxBodyBytes) {
    throw new PayloadTooLargeError({
      vi: `Thân yêu cầu có ${bytes.byteLength} byte, vượt quá giới hạn ${maxBodyBytes} byte (256 KiB).`,
      en: `The request body has ${bytes.byteLength} bytes, over the limit of ${maxBodyBytes} bytes (256 KiB).`,
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a JSON body (UTF-8, a BOM tolerated) into a plain value with every string in Unicode
 * NFC, as API.md wants text stored; `undefined` when there is no body.
 *
 * @throws ValidationError when the bytes are not UTF-8 or not JSON.
 */
export function parseJsonBody(bytes: Buffer | null): unknown {
  if (bytes === null) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalidBody(
      'Thân yêu cầu không phải văn bản UTF-8 hợp lệ.',
      'The request body is not valid UTF-8 text.',
    );
  }
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // SyntaxError messages name the position, which helps the caller and reveals nothing.
    const where = error instanceof SyntaxError ? error.message : '';
    throw invalidBody(
      `Thân yêu cầu không phải JSON hợp lệ. ${where}`.trim(),
      `The request body is not valid JSON. ${where}`.trim(),
    );
  }
  if (nestedDeeperThan(parsed, maxJsonDepth)) {
    throw invalidBody(
      `Thân yêu cầu lồng nhau quá ${maxJsonDepth} cấp.`,
      `The request body is nested more than ${maxJsonDepth} levels deep.`,
    );
  }
  const illFormed: Problem[] = [];
  const normalized = normalizeStrings(parsed, [], illFormed);
  if (illFormed.length > 0) {
    throw new ValidationError(
      { vi: 'Văn bản gửi lên không phải Unicode hợp lệ.', en: 'The text sent is not valid Unicode.' },
      illFormed,
    );
  }
  return normalized;
}

/**
 * Deepest nesting a body may have. The deepest body of the API, a template, has 9 levels; a
 * 10,000-level one (a few KB of brackets) would overflow the stack of every recursive step after
 * JSON.parse (normalising, zod, hashing) and answer 500, so it is refused here, before any.
 */
export const maxJsonDepth = 64;

/** Measured without recursion, for the same reason. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const item of Object.values(next.value)) pending.push({ value: item, depth });
  }
  return false;
}

function invalidBody(vi: string, en: string): ValidationError {
  return new ValidationError({ vi, en }, [problem('', vi, en)]);
}

/**
 * The same JSON value with strings and keys in NFC, so equal texts compare equal. JSON may
 * carry lone surrogates (`"\ud800"`), which are not Unicode text: nothing downstream can store,
 * hash or show them, so every such string is refused here, with its path, for every field of
 * every body at once.
 */
function normalizeStrings(
  value: unknown,
  path: ReadonlyArray<string | number>,
  illFormed: Problem[],
): unknown {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) {
      illFormed.push(illFormedText(path));
      return value;
    }
    return value.normalize('NFC');
  }
  if (Array.isArray(value))
    return value.map((item, index) => normalizeStrings(item, [...path, index], illFormed));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        if (!key.isWellFormed()) {
          // The key itself cannot be named as it is: show it with the bad code units replaced.
          illFormed.push(illFormedText([...path, key.toWellFormed()]));
          return [key, item];
        }
        const name = key.normalize('NFC');
        return [name, normalizeStrings(item, [...path, name], illFormed)];
      }),
    );
  }
  return value;
}

function illFormedText(path: ReadonlyArray<string | number>): Problem {
  return problem(
    path,
    'Văn bản chứa ký tự UTF-16 không hợp lệ (surrogate đơn lẻ); hãy nhập lại nội dung này.',
    'The text contains ill-formed UTF-16 (a lone surrogate); enter this text again.',
  );
}
