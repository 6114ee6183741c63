/**
 * Hostile input on every route with a body, a query or path parameters, generated with
 * fast-check from a valid request of the authorization matrix: wrong types at any depth,
 * unknown and server-owned properties, `__proto__`/`constructor` keys, lone surrogates and
 * invalid UTF-8, huge and non-finite numbers, 10,000-level nesting, bodies at and just over the
 * limit, arrays over their limits, odd path IDs and forged cursors. Every answer is a 4xx
 * problem+json with a stable code (never a 5xx), and the table is the same before and after.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { maxBodyBytes } from '#http/body.ts';
import { problemTypes } from '#http/problem.ts';
import { contracts } from '#routes/contracts/index.ts';
import { type Role, type RouteDefinition, routes } from '#routes/table.ts';
import { matrix } from './authorization-matrix.ts';
import { type Answer, type Gateway, type Probe, startGateway } from './support/gateway.ts';
import { dumpDifference, dumpTable } from './support/table-dump.ts';
import { buildWorld, matrixCallers, type World } from './support/world.ts';

let world: World;
let gateway: Gateway;
let entries: ReturnType<typeof matrix>;
const bearer: Partial<Record<Role, string>> = {};
/** What the suite did, for docs/reliability.md. */
const tally = { requests: 0, serverErrors: 0 };

beforeAll(async () => {
  world = await buildWorld('proof-hostile');
  gateway = await startGateway();
  entries = matrix(world);
  for (const role of ['admin', 'manager', 'inspector', 'ranking'] as const) {
    const caller = matrixCallers[role];
    bearer[role] = `Bearer ${await gateway.token(role, caller.unitId, caller.sub)}`;
  }
}, 120_000);

afterAll(async () => {
  await world?.api.close();
  console.log(`hostile input: ${tally.requests} requests, ${tally.serverErrors} answered 5xx`);
});

const problemBody = z.looseObject({ code: z.string(), status: z.number(), title: z.string() });
const knownCodes = new Set(Object.keys(problemTypes));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A valid request of `route` by a role allowed on it: the matrix's request on an object in scope. */
function baseOf(route: (typeof routes)[number]): { role: Role; probe: Probe } | null {
  const entry = entries[route.name];
  if (!entry || route.roles === 'public') return null;
  const role = route.roles.find((candidate) => entry.roles[candidate] !== undefined);
  const cases = role === undefined ? undefined : entry.roles[role];
  return role && cases ? { role, probe: cases.inScope.probe } : null;
}

async function send(route: RouteDefinition, role: Role, probe: Probe): Promise<Answer> {
  tally.requests++;
  const answer = await gateway.send(route, probe, bearer[role] ?? null);
  if (answer.status >= 500) {
    tally.serverErrors++;
    console.log(`5xx from ${route.name}:`, JSON.stringify(probe).slice(0, 300), answer.text);
  }
  return answer;
}

/** A refusal as the contract wants it: 4xx, problem+json, a listed code with its status. */
function expectRefusal(answer: Answer, what: string): void {
  const shown = `${what}: ${answer.status} ${answer.text.slice(0, 400)}`;
  expect(answer.status, shown).toBeGreaterThanOrEqual(400);
  expect(answer.status, shown).toBeLessThan(500);
  expect(answer.headers['content-type'], shown).toMatch(/^application\/problem\+json/);
  const body = problemBody.parse(answer.body);
  expect(knownCodes.has(body.code), shown).toBe(true);
  expect(problemTypes[body.code as keyof typeof problemTypes].status, shown).toBe(answer.status);
}

// ---- Arbitraries -------------------------------------------------------------------------

/** Paths to every value inside a JSON value (the root included). */
function pathsOf(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const here = [at];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, index) => pathsOf(item, [...at, index]))];
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key]))];
  return here;
}

function getAt(value: Json, path: Array<string | number>): Json {
  let current: Json = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return null;
    current = Array.isArray(current) ? (current[Number(step)] ?? null) : (current[String(step)] ?? null);
  }
  return current;
}

function setAt(value: Json, path: Array<string | number>, replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [step, ...rest] = path;
  if (Array.isArray(value))
    return value.map((item, index) => (index === Number(step) ? setAt(item, rest, replacement) : item));
  if (value !== null && typeof value === 'object') {
    const copy: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value))
      copy[key] = key === String(step) ? setAt(item, rest, replacement) : item;
    return copy;
  }
  return value;
}

/** A value of another JSON type than `original`, so that no schema can take it in its place. */
function wrongType(original: Json): fc.Arbitrary<Json> {
  const text = fc.string({ maxLength: 20 });
  const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.integer(), {
    minKeys: 1,
    maxKeys: 3,
  });
  const array = fc.array(fc.integer(), { maxLength: 3 });
  if (typeof original === 'string') return fc.oneof(number, fc.boolean(), object, array);
  if (typeof original === 'number') return fc.oneof(text, object, array);
  if (typeof original === 'boolean') return fc.oneof(text, object, array);
  if (Array.isArray(original)) return fc.oneof(text, number, object);
  if (original === null) return fc.oneof(object, array);
  return fc.oneof(text, number, array);
}

/** Properties only the server may set, and keys that poison prototypes. */
const serverOwned = [
  'status',
  'score',
  'base',
  'createdBy',
  'createdAt',
  'updatedAt',
  'etag',
  'review',
  'inspectorId',
  'publishedBy',
  'version',
  'hash',
  'verifiedAt',
];
const poisonKeys = ['__proto__', 'constructor', 'prototype'];

interface Hostile {
  name: string;
  /** The body as JSON text (or bytes), the query, the path: whatever the case changes. */
  rawBody?: Buffer;
  body?: Json;
  query?: Record<string, string>;
  rawQuery?: string;
  /** The value may be well-formed for this parameter: a 2xx is then fine too (on a GET). */
  mayBeValid?: boolean;
}

/** Objects (by path) inside a body, the root included: where unknown keys can go. */
function objectPaths(body: Json): Array<Array<string | number>> {
  return pathsOf(body).filter((path) => {
    const value = getAt(body, path);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  });
}

/** JSON text of `body` with `key: value` added to the object at `path` (as text: `__proto__` survives). */
function withKeyText(body: Json, path: Array<string | number>, key: string, valueText: string): string {
  const marker = '"__hostile_marker__"';
  const target = getAt(body, path);
  const object = target !== null && typeof target === 'object' && !Array.isArray(target) ? target : {};
  const marked = setAt(body, path, { ...object, __hostile_marker__: 0 });
  return JSON.stringify(marked).replace(`${marker}:0`, `${JSON.stringify(key)}:${valueText}`);
}

/** JSON text of `body` with its first number (or else its first string value) written as `text`. */
function firstValueAs(body: Json, text: string): string {
  const json = JSON.stringify(body);
  const number = /:(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)([,}\]])/i;
  if (number.test(json)) return json.replace(number, `:${text}$2`);
  const string = /:"(?:[^"\\]|\\.)*"/;
  if (!string.test(json)) throw new Error(`no value to replace in ${json}`);
  return json.replace(string, `:${text}`);
}

function bodyArbitrary(base: Json): fc.Arbitrary<Hostile> {
  const paths = pathsOf(base);
  const objects = objectPaths(base);
  const arrays = paths.filter((path) => Array.isArray(getAt(base, path)));
  const strings = paths.filter((path) => typeof getAt(base, path) === 'string');
  const numbers = paths.filter((path) => typeof getAt(base, path) === 'number');
  const text = (raw: string) => Buffer.from(raw, 'utf8');

  const cases: Array<fc.Arbitrary<Hostile>> = [
    fc.constantFrom(...paths).chain((path) =>
      wrongType(getAt(base, path)).map((value) => ({
        name: `wrong type at ${path.join('.') || 'the root'}`,
        body: setAt(base, path, value),
      })),
    ),
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.oneof(fc.constantFrom(...serverOwned), fc.string({ minLength: 1, maxLength: 12 })),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .filter(([path, key]) => {
        const target = getAt(base, path);
        return target !== null && typeof target === 'object' && !Array.isArray(target) && !(key in target);
      })
      .map(([path, key, value]) => ({
        name: `extra property ${key} at ${path.join('.') || 'the root'}`,
        rawBody: text(withKeyText(base, path, key, JSON.stringify(value) ?? 'null')),
      })),
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.constantFrom(...poisonKeys),
        fc.constantFrom('{"isAdmin":true}', '{"status":"approved"}', '1', 'null'),
      )
      .map(([path, key, value]) => ({
        name: `${key} at ${path.join('.') || 'the root'}`,
        rawBody: text(withKeyText(base, path, key, value)),
      })),
    fc
      .constantFrom(
        // Where the body has no number, in place of its first string.
        { name: 'a number past double range', raw: firstValueAs(base, '1e999') },
        { name: '-1e999', raw: firstValueAs(base, '-1e999') },
        { name: 'NaN', raw: firstValueAs(base, 'NaN') },
        { name: 'Infinity', raw: firstValueAs(base, 'Infinity') },
        { name: 'truncated JSON', raw: JSON.stringify(base).slice(0, -1) },
        { name: 'JSON with a trailing comma', raw: `${JSON.stringify(base).slice(0, -1)},}` },
        { name: 'two JSON documents', raw: `${JSON.stringify(base)}${JSON.stringify(base)}` },
        { name: 'a bare string', raw: '"hello"' },
        { name: 'null', raw: 'null' },
        { name: 'an empty array', raw: '[]' },
        { name: '10,000-level nested arrays', raw: `${'['.repeat(10_000)}${']'.repeat(10_000)}` },
        { name: '10,000-level nested objects', raw: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` },
      )
      .map(({ name, raw }) => ({ name, rawBody: text(raw) })),
  ];
  if (objects.length > 0) {
    cases.push(
      fc.constantFrom(...objects).map((path) => ({
        name: `10,000-level nesting inside ${path.join('.') || 'the root'}`,
        rawBody: text(withKeyText(base, path, 'nested', `${'['.repeat(10_000)}${']'.repeat(10_000)}`)),
      })),
    );
  }
  if (strings.length > 0) {
    cases.push(
      fc
        .tuple(fc.constantFrom(...strings), fc.constantFrom('\ud800', 'a\udfffb', '\udc00\ud800'))
        .map(([path, odd]) => ({
          name: `a lone surrogate in ${path.join('.')}`,
          body: setAt(base, path, `${String(getAt(base, path))}${odd}`),
        })),
      fc.constantFrom(...strings).map((path) => {
        // Invalid UTF-8 (a lone continuation byte and an overlong form) inside a string value.
        const marker = '\u0001bad\u0001';
        const raw = Buffer.from(JSON.stringify(setAt(base, path, marker)), 'utf8');
        const at = raw.indexOf(Buffer.from(marker, 'utf8'));
        const bytes = Buffer.concat([
          raw.subarray(0, at),
          Buffer.from([0x80, 0xc0, 0xaf]),
          raw.subarray(at + Buffer.byteLength(marker)),
        ]);
        return { name: `invalid UTF-8 in ${path.join('.')}`, rawBody: bytes };
      }),
      fc.constantFrom(...strings).map((path) => ({
        name: `a 300,000-character ${path.join('.')}`,
        body: setAt(base, path, 'x'.repeat(300_000)),
      })),
    );
  }
  if (numbers.length > 0) {
    cases.push(
      fc
        .tuple(
          fc.constantFrom(...numbers),
          fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 53) - 2, 1e-320, 0.1 + 0.2, -0.0001),
        )
        .map(([path, value]) => ({ name: `${value} at ${path.join('.')}`, body: setAt(base, path, value) })),
    );
  }
  if (arrays.length > 0) {
    cases.push(
      fc.constantFrom(...arrays).map((path) => {
        const array = getAt(base, path) as Json[];
        const item = array[0] ?? 'x';
        return {
          name: `10,001 items in ${path.join('.')}`,
          body: setAt(
            base,
            path,
            Array.from({ length: 10_001 }, () => item),
          ),
        };
      }),
    );
  }
  return fc.oneof(...cases);
}

function queryArbitrary(base: Record<string, string>, known: ReadonlySet<string>): fc.Arbitrary<Hostile> {
  const keys = Object.keys(base);
  const odd = fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '101',
    '1e1',
    '0x10',
    '10.0',
    '../',
    '%00',
    'x'.repeat(2048),
    'true ',
    '💥',
    '9'.repeat(400),
  );
  const cases: Array<fc.Arbitrary<Hostile>> = [
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...serverOwned, ...poisonKeys), fc.string({ minLength: 1, maxLength: 10 })),
        fc.string({ maxLength: 10 }),
      )
      // A parameter the route's contract declares is not unknown (listVisits takes inspectorId).
      .filter(([key]) => !(key in base) && !known.has(key))
      .map(([key, value]) => ({ name: `unknown parameter ${key}`, query: { ...base, [key]: value } })),
    odd.map((value) => ({ name: `limit=${value.slice(0, 20)}`, query: { ...base, limit: value } })),
    fc
      .oneof(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.base64String({ minLength: 4, maxLength: 200 }),
        // A cursor that looks like DynamoDB's ExclusiveStartKey, pointing at another subtree.
        fc.constantFrom(
          Buffer.from(JSON.stringify({ pk: 'VISIT#x', sk: 'VISIT', tree0pk: 'VISIT#D2' })).toString(
            'base64url',
          ),
          Buffer.from(JSON.stringify({ v: 1, key: { pk: 'UNIT#C3', sk: 'UNIT' } })).toString('base64url'),
          'x'.repeat(3000),
        ),
      )
      .map((cursor) => ({ name: `a forged cursor ${cursor.slice(0, 20)}`, query: { ...base, cursor } })),
    fc.constantFrom('%FF', '%ED%A0%80', '%00', '%C0%AF').map((bytes) => ({
      name: `invalid UTF-8 ${bytes} in the query`,
      rawQuery: [
        ...keys.map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(base[key] ?? '')}`),
        `limit=${bytes}`,
      ].join('&'),
    })),
  ];
  if (keys.length > 0) {
    cases.push(
      fc.tuple(fc.constantFrom(...keys), odd).map(([key, value]) => ({
        name: `${key}=${value.slice(0, 20)}`,
        query: { ...base, [key]: value },
        // '10.0' is a well-formed unit ID, '0' a well-formed period prefix... not all are wrong.
        mayBeValid: true,
      })),
      fc.constantFrom(...keys).map((key) => ({
        name: `${key} given twice`,
        rawQuery: new URLSearchParams([...Object.entries(base), [key, `${base[key]}x`]]).toString(),
      })),
    );
  }
  return fc.oneof(...cases);
}

// ---- The suite ---------------------------------------------------------------------------

const withBody = routes.filter((route) => contracts[route.name].body !== undefined);
const withQuery = routes.filter((route) => contracts[route.name].query !== undefined);

/** The query parameters a route's contract declares (its strict object's keys). */
function queryKeys(route: (typeof routes)[number]): ReadonlySet<string> {
  const query = contracts[route.name].query;
  return new Set(query instanceof z.ZodMiniObject ? Object.keys(query.shape) : ['limit', 'cursor']);
}
const withParams = routes.filter((route) => route.path.includes('{'));
const runs = Number(process.env.PAR_HOSTILE_RUNS ?? 30);

describe('hostile input', () => {
  it('covers every route with a body, a query or path parameters', () => {
    const covered = [...new Set([...withBody, ...withQuery, ...withParams])].filter(
      (route) => route.roles !== 'public',
    );
    expect(covered.filter((route) => baseOf(route) === null).map((route) => route.name)).toEqual([]);
    expect(withBody.length).toBeGreaterThan(5);
    expect(withQuery.length).toBeGreaterThan(3);
  });

  for (const route of withBody) {
    it(`${route.name}: hostile bodies are refused with a 4xx problem and change nothing`, async () => {
      const base = baseOf(route);
      if (!base) throw new Error(`${route.name} has no matrix entry to start from`);
      const body = (base.probe.body ?? {}) as Json;
      const before = await dumpTable(world.api.storage.documents, world.api.storage.tableName);
      await fc.assert(
        fc.asyncProperty(bodyArbitrary(body), async (hostile) => {
          const answer = await send(route, base.role, {
            ...base.probe,
            body: hostile.body,
            ...(hostile.rawBody
              ? {
                  rawBody: hostile.rawBody,
                  headers: { ...base.probe.headers, 'content-type': 'application/json' },
                }
              : {}),
          });
          expectRefusal(answer, `${route.name}, ${hostile.name}`);
        }),
        { numRuns: runs },
      );
      // At the limit (not 413, though the padding makes it invalid) and one byte over it (413).
      const padded = (size: number) => {
        const text = withKeyText(body, [], 'padding', '""');
        return Buffer.from(
          text.replace('"padding":""', `"padding":"${'x'.repeat(size - Buffer.byteLength(text))}"`),
          'utf8',
        );
      };
      const atLimit = await send(route, base.role, { ...base.probe, rawBody: padded(maxBodyBytes) });
      expectRefusal(atLimit, `${route.name}, a body of exactly 256 KiB`);
      expect(atLimit.status).not.toBe(413);
      const over = await send(route, base.role, { ...base.probe, rawBody: padded(maxBodyBytes + 1) });
      expect(over.status, over.text).toBe(413);
      expect(problemBody.parse(over.body).code).toBe('payload_too_large');
      const after = await dumpTable(world.api.storage.documents, world.api.storage.tableName);
      expect(dumpDifference(before, after)).toEqual([]);
    });
  }

  for (const route of withQuery) {
    it(`${route.name}: hostile queries are refused with a 4xx problem and change nothing`, async () => {
      const base = baseOf(route);
      if (!base) throw new Error(`${route.name} has no matrix entry to start from`);
      const before = await dumpTable(world.api.storage.documents, world.api.storage.tableName);
      await fc.assert(
        fc.asyncProperty(queryArbitrary(base.probe.query ?? {}, queryKeys(route)), async (hostile) => {
          const { query: _query, ...rest } = base.probe;
          const answer = await send(route, base.role, {
            ...rest,
            ...(hostile.rawQuery !== undefined
              ? { rawQuery: hostile.rawQuery }
              : { query: hostile.query ?? {} }),
          });
          if (hostile.mayBeValid && route.method === 'GET' && answer.status < 300) return;
          expectRefusal(answer, `${route.name}, ${hostile.name}`);
        }),
        { numRuns: runs },
      );
      const after = await dumpTable(world.api.storage.documents, world.api.storage.tableName);
      expect(dumpDifference(before, after)).toEqual([]);
    });
  }

  it('refuses odd path IDs on every route with path parameters (../, %2e%2e, NUL, invalid UTF-8, 2 KB), changing nothing', async () => {
    const odd = [
      '..',
      '%2e%2e',
      '..%2f..%2fetc',
      '%2e%2e%2f',
      'a%00b',
      '%00',
      '%FF',
      '%ED%A0%80',
      'x'.repeat(2048),
      '%F0%9F%92%A5',
      'A%20B',
      '*',
      'a%23b',
      'a%2Fb',
    ];
    const before = await dumpTable(world.api.storage.documents, world.api.storage.tableName);
    let tried = 0;
    for (const route of withParams) {
      const base = baseOf(route);
      if (!base) continue;
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
      for (const name of names) {
        for (const value of odd) {
          const rawPath = route.path.replace(/\{(\w+)\}/g, (_, param: string) =>
            param === name ? value : encodeURIComponent(base.probe.params?.[param] ?? 'x'),
          );
          const answer = await send(route, base.role, { ...base.probe, rawPath });
          // `..` segments may leave the route altogether: then the default route's 404 answers.
          expectRefusal(answer, `${route.name}, ${name}=${value.slice(0, 20)}`);
          if (answer.status >= 500) console.log(route.name, name, value.slice(0, 20), answer.text);
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(withParams.length * odd.length - 1);
    const after = await dumpTable(world.api.storage.documents, world.api.storage.tableName);
    expect(dumpDifference(before, after)).toEqual([]);
  });
});
