/**
 * The local runner as API Gateway and Cognito stand-ins: tokens with Cognito's claims, the JWT
 * authorizer's refusals, the default route, CORS preflights, restarts that keep data and
 * tokens, and setup failures that end with one line.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { rankingScope } from '#routes/integration.ts';
import { client } from './support/http.ts';
import {
  childEnvironment,
  type LocalServerChild,
  runUntilExit,
  startLocalServerChild,
} from './support/local-server.ts';

let server: LocalServerChild;

let call: ReturnType<typeof client>;
const suffix = `runner-${Date.now().toString(36)}`;

beforeAll(async () => {
  server = await startLocalServerChild({ keepData: true, storageSuffix: suffix });
  call = client(server.url);
});

afterAll(async () => {
  await server?.stop();
});

const tokenReply = z.object({ token: z.string() });
const storedKey = z.object({ kid: z.string(), privateJwk: z.looseObject({ kty: z.string() }) });

async function token(body: Record<string, string>): Promise<string> {
  const reply = await call('POST', '/local/tokens', { body });
  expect(reply.status, reply.text).toBe(200);
  return tokenReply.parse(reply.body).token;
}

/** A token signed with the server's own key but with claims of our choosing. */
async function signedWithServerKey(claims: Record<string, unknown>, expiresAt: number): Promise<string> {
  const stored = storedKey.parse(
    JSON.parse(readFileSync(join(server.dataDir, 'jwt-signing-key.json'), 'utf8')),
  );
  const key = await importJWK(stored.privateJwk, 'RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(key);
}

const staffClaims = (issuer: string) => ({
  sub: 'someone',
  token_use: 'access',
  client_id: 'par-inspect-local-app',
  iss: issuer,
  'cognito:groups': ['admin'],
  'custom:unitId': 'nghe-an',
});

describe('POST /local/tokens', () => {
  it('signs access tokens with the claims of a Cognito access token, verifiable with the served JWKS', async () => {
    const inspector = await token({ role: 'inspector', unitId: 'vinh-phu', sub: 'u-1', name: 'Lê Thị Lan' });
    const claims = decodeJwt(inspector);
    expect(claims).toMatchObject({
      sub: 'u-1',
      token_use: 'access',
      client_id: 'par-inspect-local-app',
      iss: `${server.url}/local`,
      'cognito:groups': ['inspector'],
      'custom:unitId': 'vinh-phu',
      name: 'Lê Thị Lan',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(12 * 3600);

    const jwks = await call('GET', '/local/.well-known/jwks.json');
    const keys = z
      .object({ keys: z.array(z.looseObject({ kid: z.string(), kty: z.literal('RSA') })) })
      .parse(jwks.body);
    expect(keys.keys.map((key) => key.kid)).toContain(decodeProtectedHeader(inspector).kid);
    expect(keys.keys.every((key) => !('d' in key))).toBe(true);

    const ranking = decodeJwt(await token({ role: 'ranking' }));
    expect(ranking).toMatchObject({ token_use: 'access', scope: rankingScope });
    expect(ranking['cognito:groups']).toBeUndefined();
    expect(ranking['custom:unitId']).toBeUndefined();
  });

  it('refuses a request without a unit (except for ranking) or with an unknown role: 422', async () => {
    for (const body of [{ role: 'inspector' }, { role: 'boss', unitId: 'nghe-an' }, {}]) {
      const reply = await call('POST', '/local/tokens', { body });
      expect(reply.status).toBe(422);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('the JWT authorizer', () => {
  it('lets a valid token through, with the Bearer prefix or without, and public routes without one', async () => {
    const manager = await token({ role: 'manager', unitId: 'nghe-an' });
    expect((await call('GET', '/v1/units/nghe-an', { token: manager })).status).toBe(200);
    const raw = await call('GET', '/v1/units/nghe-an', { headers: { authorization: manager } });
    expect(raw.status).toBe(200);
    expect((await call('GET', '/v1/health')).status).toBe(200);
  });

  it('answers 401 unauthenticated to a missing, malformed, expired, forged or foreign token', async () => {
    const issuer = `${server.url}/local`;
    const now = Math.floor(Date.now() / 1000);
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    const stored = storedKey.parse(
      JSON.parse(readFileSync(join(server.dataDir, 'jwt-signing-key.json'), 'utf8')),
    );
    const forged = await new SignJWT(staffClaims(issuer))
      .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(otherKey);
    const cases: Record<string, Record<string, string>> = {
      missing: {},
      'not a JWT': { authorization: 'Bearer not-a-token' },
      'another scheme': { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      expired: { authorization: `Bearer ${await signedWithServerKey(staffClaims(issuer), now - 60)}` },
      forged: { authorization: `Bearer ${forged}` },
      'another issuer': {
        authorization: `Bearer ${await signedWithServerKey(staffClaims('https://elsewhere.example'), now + 600)}`,
      },
      'another audience': {
        authorization: `Bearer ${await signedWithServerKey({ ...staffClaims(issuer), client_id: 'someone-else' }, now + 600)}`,
      },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const reply = await call('GET', '/v1/units/nghe-an', { headers });
      expect(reply.status, name).toBe(401);
      expect(reply.body, name).toMatchObject({ code: 'unauthenticated', status: 401 });
      expect(reply.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
    }
  });

  it('passes claims as API Gateway does, so an access token without a unit is refused by the handler', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { 'custom:unitId': _unit, ...withoutUnit } = staffClaims(`${server.url}/local`);
    const reply = await call('GET', '/v1/units/nghe-an', {
      headers: { authorization: `Bearer ${await signedWithServerKey(withoutUnit, now + 600)}` },
    });
    expect(reply.status).toBe(401);
  });
});

describe('routing, CORS and local-only routes', () => {
  it('answers an unmatched route with a problem+json 404, like the default route in AWS', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['DELETE', '/v1/units'],
      ['GET', '/local/unknown'],
    ] as const) {
      const reply = await call(method, path, { headers: { 'accept-language': 'en' } });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body).toMatchObject({ code: 'not_found', title: 'Not found' });
    }
  });

  it('answers preflights for localhost origins only, and exposes ETag on answers', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/v1/visits/6f1c3b1e-1a86-4b55-9b59-7d8f3e0a9f10`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization, content-type, if-match',
        },
      });
    const allowed = await preflight('http://localhost:5173');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/If-Match/);
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const manager = await token({ role: 'manager', unitId: 'nghe-an' });
    const answer = await call('GET', '/v1/units/nghe-an', {
      token: manager,
      headers: { origin: 'http://localhost:5173' },
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/ETag/);
  });

  it('creates the bucket so that browser pages on localhost may POST upload forms to it', async () => {
    const bucketPreflight = (origin: string) =>
      fetch(`${inject('s3Endpoint')}/e2e-${suffix}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await bucketPreflight('http://localhost:8080');
    expect(allowed.status).toBe(200);
    // S3 echoes the origin; s3rver answers `*` once a rule matches. Either grants the page.
    expect(allowed.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/localhost:8080)$/);
    const foreign = await bucketPreflight('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('restarts and setup failures', () => {
  it('keeps data and tokens across a restart on the same port and data folder (Ctrl-C stops cleanly)', async () => {
    const admin = await token({ role: 'admin', unitId: 'nghe-an' });
    const before = await call('GET', '/v1/units/nam-dan', { token: admin });
    const etag = before.headers.get('etag') ?? '';
    const renamed = await call('PUT', '/v1/units/nam-dan', {
      token: admin,
      headers: { 'if-match': etag },
      body: { name: 'Xã Nam Đàn (đổi tên)', kind: 'commune', parentId: 'nghe-an', code: '17920' },
    });
    expect(renamed.status, renamed.text).toBe(200);

    await server.stop();
    expect(server.exitCode()).toBe(0);
    server = await startLocalServerChild({
      port: server.port,
      dataDir: server.dataDir,
      storageSuffix: suffix,
    });
    expect(server.output()).toMatch(/demo data already there/);
    // The admin token from before the restart is still accepted, and the change is still there.
    const after = await call('GET', '/v1/units/nam-dan', { token: admin });
    expect(after.status, after.text).toBe(200);
    expect(after.body).toMatchObject({ name: 'Xã Nam Đàn (đổi tên)' });
  });

  it('refuses a second npm start on a data folder in use, even with --reset, leaving the store and tokens.env alone', async () => {
    const tokensEnv = join(server.dataDir, 'tokens.env');
    const tokensBefore = readFileSync(tokensEnv, 'utf8');
    const env = childEnvironment(`second-${Date.now().toString(36)}`);
    for (const args of [[], ['--reset']]) {
      const second = await runUntilExit(['--port', '0', '--data-dir', server.dataDir, ...args], env);
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(
        /data folder .* is in use by another npm start \(process \d+, .*--data-dir DIR/,
      );
    }
    expect(readFileSync(tokensEnv, 'utf8')).toBe(tokensBefore);
    // The first server still owns its data: the demo province is still there.
    const admin = await token({ role: 'admin', unitId: 'nghe-an' });
    expect((await call('GET', '/v1/units/nghe-an', { token: admin })).status).toBe(200);
  });

  it('takes over the lock of an npm start that died without removing it', async () => {
    const dataDir = join(server.dataDir, 'stale');
    mkdirSync(dataDir, { recursive: true });
    // A process ID that exists but is not a runner (this test's own vitest worker).
    writeFileSync(
      join(dataDir, 'npm-start.lock'),
      JSON.stringify({ pid: process.pid, startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    const next = await startLocalServerChild({
      dataDir,
      keepData: true,
      storageSuffix: `stale-${Date.now().toString(36)}`,
    });
    try {
      expect(JSON.parse(readFileSync(join(dataDir, 'npm-start.lock'), 'utf8'))).not.toMatchObject({
        pid: process.pid,
      });
    } finally {
      await next.stop();
    }
    expect(existsSync(join(dataDir, 'npm-start.lock'))).toBe(false);
  });

  it('stops with one line when the port is taken, Java is missing or the data folder cannot be written', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const takenPort = (blocker.address() as AddressInfo).port;
    try {
      const env = childEnvironment(`fail-${Date.now().toString(36)}`);
      const outcomes = await Promise.all([
        runUntilExit(['--port', String(takenPort), '--data-dir', join(server.dataDir, 'taken')], env),
        runUntilExit(['--port', '0', '--data-dir', '/etc/hostname/data'], env),
        runUntilExit(['--port', '0', '--data-dir', join(server.dataDir, 'nojava')], {
          ...env,
          DYNAMODB_ENDPOINT: '',
          PATH: '/nonexistent',
        }),
      ]);
      const [taken, unwritable, noJava] = outcomes;
      for (const outcome of outcomes) {
        expect(outcome.code).toBe(1);
        expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
        expect(outcome.stderr).not.toMatch(/\s+at\s/);
      }
      expect(taken?.stderr).toMatch(new RegExp(`Port ${takenPort} is already in use.*PORT=`));
      expect(unwritable?.stderr).toMatch(/data folder .* cannot be written.*--data-dir/);
      expect(noJava?.stderr).toMatch(/Java was not found/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
