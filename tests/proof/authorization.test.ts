/**
 * The authorization matrix, generated from the route table: every route x every role (admin,
 * manager, inspector, ranking, none) x objects in and out of the caller's scope, through the
 * JWT authorizer and the real handlers. A route without an entry in authorization-matrix.ts
 * fails. Out-of-scope objects answer exactly as missing ones, no answer names an out-of-scope
 * object, and refused requests leave the table as it was. Then every kind of bad token on every
 * protected route: 401.
 */
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { staffClientId } from '#local/tokens.ts';
import { type Role, type RouteDefinition, roles, routes } from '#routes/table.ts';
import { type MatrixEntry, matrix, type RoleCases } from './authorization-matrix.ts';
import { type Answer, type Gateway, type Probe, startGateway } from './support/gateway.ts';
import { dumpTable as dump } from './support/table-dump.ts';
import { buildWorld, foreignIds, matrixCallers, type World } from './support/world.ts';

let world: World;
let gateway: Gateway;
let entries: ReturnType<typeof matrix>;
const bearer: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  world = await buildWorld('proof-authz');
  gateway = await startGateway();
  entries = matrix(world);
  for (const role of roles) {
    const caller = matrixCallers[role];
    bearer[role] = `Bearer ${await gateway.token(role, caller.unitId, caller.sub)}`;
  }
}, 120_000);

afterAll(async () => {
  await world?.api.close();
  console.log(`authorization: ${tally.requests} requests, ${tally.serverErrors} answered 5xx`);
});

const dumpTable = () => dump(world.api.storage.documents, world.api.storage.tableName);

const problemBody = z.looseObject({ code: z.string(), status: z.number(), title: z.string() });

const tally = { requests: 0, serverErrors: 0 };

async function send(route: RouteDefinition, probe: Probe, role: Role | null): Promise<Answer> {
  tally.requests++;
  const answer = await gateway.send(route, probe, role === null ? null : (bearer[role] ?? null));
  if (answer.status >= 500) tally.serverErrors++;
  return answer;
}

/** Every string of a JSON answer (or its text). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** The out-of-scope IDs an answer names: long IDs anywhere in it, short unit IDs as whole values. */
function leaked(answer: Answer, role: Role): string[] {
  const values = new Set(strings(answer.body));
  return foreignIds(world, role).filter((id) => (id.length >= 8 ? answer.text.includes(id) : values.has(id)));
}

/** An answer as the client sees it, with the probe's own IDs replaced so two probes compare. */
function comparable(answer: Answer, probe: Probe): unknown {
  let text = answer.text;
  const named = [
    ...Object.values(probe.params ?? {}),
    ...Object.values(probe.query ?? {}),
    ...strings(probe.body),
  ].filter((value) => value.length >= 2);
  for (const value of named.sort((a, b) => b.length - a.length)) text = text.split(value).join('<named>');
  return { status: answer.status, contentType: answer.headers['content-type'], body: text };
}

function describeAnswer(answer: Answer): string {
  return `${answer.status} ${answer.text.slice(0, 300)}`;
}

describe('the authorization matrix (every route of the route table)', () => {
  it('has an entry for every route and none for a route the table lacks', () => {
    const names = routes.map((route) => route.name);
    expect(names.filter((name) => entries[name] === undefined)).toEqual([]);
    expect(Object.keys(entries).filter((name) => !names.includes(name as (typeof names)[number]))).toEqual(
      [],
    );
  });

  for (const route of routes) {
    it(`${route.name}: ${route.method} ${route.path}`, async () => {
      const entry: MatrixEntry | undefined = entries[route.name];
      if (!entry) throw new Error(`${route.name} has no entry in tests/proof/authorization-matrix.ts`);
      const allowed: readonly Role[] = route.roles === 'public' ? [] : route.roles;
      // Cases for exactly the roles the table allows: a role added to a route needs its cases.
      expect(Object.keys(entry.roles).sort(), 'roles with cases').toEqual([...allowed].sort());

      const before = await dumpTable();
      if (route.roles === 'public') {
        for (const role of [...roles, null]) {
          const answer = await send(route, entry.probe, role);
          expect(answer.status, `${role ?? 'no token'}: ${describeAnswer(answer)}`).toBe(200);
        }
        return;
      }

      // Refused: no token (401), the ranking client on a route not for it (401: its client is
      // not an audience of the route's authorizer, as in AWS), any other role not allowed (403).
      for (const role of [...roles, null].filter(
        (candidate) => candidate === null || !allowed.includes(candidate),
      )) {
        const answer = await send(route, entry.probe, role);
        const expected = role === null || role === 'ranking' ? 401 : 403;
        const who = role ?? 'no token';
        expect(answer.status, `${who}: ${describeAnswer(answer)}`).toBe(expected);
        expect(problemBody.parse(answer.body).code, who).toBe(
          expected === 401 ? 'unauthenticated' : 'forbidden',
        );
        expect(answer.headers['content-type'], who).toMatch(/^application\/problem\+json/);
      }

      // Out of scope: exactly the missing object's answer, and nothing of the object itself.
      for (const role of allowed) {
        const cases: RoleCases | undefined = entry.roles[role];
        if (!cases) continue;
        if (cases.foreign) {
          if (!cases.missing) throw new Error(`${route.name} ${role}: foreign cases need a missing case`);
          for (const [name, foreign] of Object.entries(cases.foreign)) {
            const [probe, twin] =
              'probe' in foreign ? [foreign.probe, foreign.missing] : [foreign, cases.missing];
            const missing = await send(route, twin, role);
            // A list may answer an empty page for a missing filter; then so must a foreign one.
            expect(missing.status, `${role} missing: ${describeAnswer(missing)}`).toBeLessThan(500);
            if (route.method !== 'GET')
              expect(missing.status, describeAnswer(missing)).toBeGreaterThanOrEqual(400);
            const answer = await send(route, probe, role);
            expect(comparable(answer, probe), `${role}, ${name}: ${describeAnswer(answer)}`).toEqual(
              comparable(missing, twin),
            );
            expect(leaked(answer, role), `${role}, ${name}`).toEqual([]);
          }
        }
        for (const [name, refused] of Object.entries(cases.refused ?? {})) {
          const answer = await send(route, refused.probe, role);
          expect(answer.status, `${role}, ${name}: ${describeAnswer(answer)}`).toBe(refused.status);
          expect(problemBody.parse(answer.body).code, `${role}, ${name}`).toBe(refused.code);
          expect(leaked(answer, role), `${role}, ${name}`).toEqual([]);
        }
      }
      expect(await dumpTable(), 'refused and out-of-scope requests changed the table').toBe(before);

      // In scope: the route works for each allowed role, and still shows nothing out of scope.
      for (const role of allowed) {
        const cases = entry.roles[role];
        if (!cases) continue;
        const answer = await send(route, cases.inScope.probe, role);
        expect(answer.status, `${role} in scope: ${describeAnswer(answer)}`).toBe(cases.inScope.status);
        expect(leaked(answer, role), `${role} in scope`).toEqual([]);
      }
    });
  }
});

const storedKey = z.object({ kid: z.string(), privateJwk: z.looseObject({ kty: z.literal('RSA') }) });
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

describe('bad tokens on every protected route', () => {
  /** Each kind of bad token, as a whole Authorization header (null: none). */
  async function badTokens(): Promise<Record<string, string | null>> {
    const stored = storedKey.parse(JSON.parse(readFileSync(gateway.keyFile, 'utf8')));
    const privateKey = await importJWK(stored.privateJwk, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    // A province admin: were any check missing, this token could do anything.
    const claims = {
      sub: 'intruder',
      token_use: 'access',
      client_id: staffClientId,
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['admin', 'manager', 'inspector'],
      'custom:unitId': 'NA',
    };
    const sign = (payload: Record<string, unknown>, options: { issuer?: string; exp?: number } = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
        .setIssuer(options.issuer ?? gateway.tokens.issuer)
        .setIssuedAt(now - 10)
        .setExpirationTime(options.exp ?? now + 600)
        .sign(privateKey);
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
      .setIssuer(gateway.tokens.issuer)
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 600)
      .sign(otherKey);
    const payload = base64url(
      JSON.stringify({ ...claims, iss: gateway.tokens.issuer, iat: now - 10, exp: now + 600 }),
    );
    const unsigned = `${base64url(JSON.stringify({ alg: 'none', kid: stored.kid, typ: 'JWT' }))}.${payload}`;
    // The classic confusion: HMAC keyed with the public key, which anyone can fetch.
    const publicPem = createPublicKey({ key: stored.privateJwk, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const hsHead = `${base64url(JSON.stringify({ alg: 'HS256', kid: stored.kid, typ: 'JWT' }))}.${payload}`;
    const hs256 = `${hsHead}.${createHmac('sha256', publicPem).update(hsHead).digest('base64url')}`;
    const { 'custom:unitId': _unit, ...withoutUnit } = claims;
    return {
      none: null,
      'not a JWT': 'Bearer not-a-token',
      expired: `Bearer ${await sign(claims, { exp: now - 60 })}`,
      'another issuer': `Bearer ${await sign(claims, { issuer: 'https://cognito-idp.example/other-pool' })}`,
      'another client': `Bearer ${await sign({ ...claims, client_id: 'another-app' })}`,
      'an ID token (token_use id)': `Bearer ${await sign({
        sub: claims.sub,
        aud: staffClientId,
        token_use: 'id',
        'cognito:groups': claims['cognito:groups'],
        'custom:unitId': 'NA',
      })}`,
      'no unit': `Bearer ${await sign(withoutUnit)}`,
      'a bad signature': `Bearer ${forged}`,
      'alg none without signature': `Bearer ${unsigned}.`,
      'alg none with a junk signature': `Bearer ${unsigned}.${base64url('junk')}`,
      'HS256 signed with the public key': `Bearer ${hs256}`,
    };
  }

  it('answers 401 unauthenticated to each of them, on every protected route, changing nothing', async () => {
    const cases = await badTokens();
    const before = await dumpTable();
    let tried = 0;
    for (const route of routes) {
      if (route.roles === 'public') continue;
      const probe = entries[route.name]?.probe ?? {};
      for (const [name, authorization] of Object.entries(cases)) {
        tally.requests++;
        const answer = await gateway.send(route, probe, authorization);
        if (answer.status >= 500) tally.serverErrors++;
        const what = `${route.name}, ${name}: ${describeAnswer(answer)}`;
        expect(answer.status, what).toBe(401);
        expect(problemBody.parse(answer.body).code, what).toBe('unauthenticated');
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(routes.length * 5);
    expect(await dumpTable()).toBe(before);
  });

  it('lets the same claims through when the token is sound (so the 401s above are the faults’ doing)', async () => {
    const stored = storedKey.parse(JSON.parse(readFileSync(gateway.keyFile, 'utf8')));
    const privateKey = await importJWK(stored.privateJwk, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const sound = await new SignJWT({
      sub: 'intruder',
      token_use: 'access',
      client_id: staffClientId,
      'cognito:groups': ['admin', 'manager', 'inspector'],
      'custom:unitId': 'NA',
    })
      .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
      .setIssuer(gateway.tokens.issuer)
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    const getUnit = routes.find((route) => route.name === 'getUnit');
    if (!getUnit) throw new Error('no getUnit route');
    const answer = await gateway.send(getUnit, { params: { unitId: 'NA' } }, `Bearer ${sound}`);
    expect(answer.status, describeAnswer(answer)).toBe(200);
  });
});
