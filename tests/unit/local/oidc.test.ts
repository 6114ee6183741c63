/**
 * The local OIDC provider's rules without a server: PKCE (RFC 7636's own example), where it may
 * redirect, and the code's lifetime and single use on a clock the test moves.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalDirectory } from '#adapters/local-directory/directory.ts';
import type { LocalHandler, LocalRequest } from '#local/dispatch.ts';
import {
  allowedRedirect,
  codeLifetimeMs,
  createOidcProvider,
  s256Challenge,
  verifierMatches,
} from '#local/oidc.ts';
import { loadTokenAuthority, type TokenAuthority } from '#local/tokens.ts';

describe('PKCE with S256', () => {
  it("computes RFC 7636 appendix B's challenge from its verifier", () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('accepts only the verifier of the challenge, and only a well-formed one', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(verifierMatches(verifier, challenge)).toBe(true);
    expect(verifierMatches(`${verifier.slice(0, -1)}l`, challenge)).toBe(false);
    // 42 characters is below RFC 7636's minimum of 43, even when the challenge matches it.
    const short = 'a'.repeat(42);
    expect(verifierMatches(short, s256Challenge(short))).toBe(false);
    const spaced = `${'a'.repeat(42)} `;
    expect(verifierMatches(spaced, s256Challenge(spaced))).toBe(false);
    expect(verifierMatches('a'.repeat(129), s256Challenge('a'.repeat(129)))).toBe(false);
    expect(verifierMatches(verifier, `${challenge}=`)).toBe(false);
    expect(verifierMatches(verifier, challenge.toLowerCase())).toBe(false);
  });
});

describe('where the provider may send the browser back', () => {
  const lan = 'https://192.168.1.20:3000';
  it.each([
    ['http://localhost:3000/auth/callback', 'http://localhost:3000', true],
    ['http://localhost:5173/auth/callback', 'http://localhost:3000', true],
    ['http://127.0.0.1:5173/auth/callback', 'http://localhost:3000', true],
    ['http://localhost:3000/auth/callback?from=x', 'http://localhost:3000', true],
    [`${lan}/auth/callback`, lan, true],
    ['http://localhost:3000/auth/callback/', 'http://localhost:3000', false],
    ['http://localhost:3000/other', 'http://localhost:3000', false],
    ['http://localhost:3000/auth/callback#x', 'http://localhost:3000', false],
    ['http://user:pw@localhost:3000/auth/callback', 'http://localhost:3000', false],
    ['https://evil.example/auth/callback', 'http://localhost:3000', false],
    ['http://localhost.evil.example/auth/callback', 'http://localhost:3000', false],
    ['https://localhost:5173/auth/callback', 'http://localhost:3000', false],
    ['http://192.168.1.20:3000/auth/callback', lan, false],
    ['https://192.168.1.21:3000/auth/callback', lan, false],
    ['javascript:alert(1)//auth/callback', 'http://localhost:3000', false],
    ['/auth/callback', 'http://localhost:3000', false],
  ])('%s from an app on %s: %s', (uri, publicUrl, allowed) => {
    expect(allowedRedirect(uri, publicUrl, '/auth/callback') !== null).toBe(allowed);
  });

  it('lets logout return to any page of an allowed origin', () => {
    expect(allowedRedirect('http://localhost:3000/', 'http://localhost:3000', null)).not.toBeNull();
    expect(allowedRedirect('https://evil.example/', 'http://localhost:3000', null)).toBeNull();
  });
});

describe('authorization codes', () => {
  const publicUrl = 'http://localhost:3000';
  const folder = mkdtempSync(join(tmpdir(), 'par-inspect-oidc-unit-'));
  let tokens: TokenAuthority;
  let now = Date.parse('2026-03-01T08:00:00Z');
  let provider: LocalHandler;

  beforeAll(async () => {
    tokens = await loadTokenAuthority(join(folder, 'key.json'), `${publicUrl}/local`);
    provider = createOidcProvider({
      tokens,
      publicUrl,
      accessTokenSeconds: 3600,
      demoUnitId: 'nghe-an',
      now: () => now,
    });
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const request = (method: string, path: string, form?: Record<string, string>): [LocalRequest, URL] => [
    {
      method,
      url: path,
      headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      body: form ? Buffer.from(new URLSearchParams(form).toString()) : undefined,
    },
    new URL(path, publicUrl),
  ];

  async function codeFor(verifier: string): Promise<string> {
    const query = new URLSearchParams({
      client_id: 'par-inspect-local-app',
      redirect_uri: `${publicUrl}/auth/callback`,
      response_type: 'code',
      scope: 'openid profile',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      login_hint: 'role=inspector&unitId=nghe-an',
    });
    const answer = await provider(...request('GET', `/local/oidc/authorize?${query}`));
    const location = new URL(answer?.headers.location ?? '');
    return location.searchParams.get('code') ?? '';
  }

  async function exchange(code: string, verifier: string) {
    const answer = await provider(
      ...request('POST', '/local/oidc/token', {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: `${publicUrl}/auth/callback`,
        client_id: 'par-inspect-local-app',
      }),
    );
    return {
      status: answer?.status,
      body: z.looseObject({}).parse(JSON.parse(answer?.body.toString() ?? '')),
    };
  }

  it('are accepted within 60 s, once', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await codeFor(verifier);
    now += codeLifetimeMs - 1_000;
    expect((await exchange(code, verifier)).status).toBe(200);
    expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('expire after 60 s', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await codeFor(verifier);
    now += codeLifetimeMs;
    expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuse a token request that repeats a parameter or is not a form', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await codeFor(verifier);
    const repeated = await provider(
      {
        method: 'POST',
        url: '/local/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(`grant_type=authorization_code&code=${code}&code=${code}`),
      },
      new URL('/local/oidc/token', publicUrl),
    );
    expect(JSON.parse(repeated?.body.toString() ?? '')).toMatchObject({ error: 'invalid_request' });
    const json = await provider(
      {
        method: 'POST',
        url: '/local/oidc/token',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{}'),
      },
      new URL('/local/oidc/token', publicUrl),
    );
    expect(json?.status).toBe(400);
    expect(JSON.parse(json?.body.toString() ?? '')).toMatchObject({ error: 'invalid_request' });
  });

  it('without PKCE are not issued: the app is sent back with invalid_request', async () => {
    const query = new URLSearchParams({
      client_id: 'par-inspect-local-app',
      redirect_uri: `${publicUrl}/auth/callback`,
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      login_hint: 'role=inspector&unitId=nghe-an',
    });
    const answer = await provider(...request('GET', `/local/oidc/authorize?${query}`));
    const location = new URL(answer?.headers.location ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('st');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('signing in a staff member of the local directory', () => {
  const publicUrl = 'http://localhost:3000';
  const folder = mkdtempSync(join(tmpdir(), 'par-inspect-oidc-staff-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  async function setUp() {
    const tokens = await loadTokenAuthority(join(folder, 'key.json'), `${publicUrl}/local`);
    const directory = new LocalDirectory(join(folder, 'directory.json'));
    const provider = createOidcProvider({
      tokens,
      publicUrl,
      accessTokenSeconds: 3600,
      demoUnitId: 'nghe-an',
      directory,
    });
    const signIn = (email: string) =>
      provider(
        {
          method: 'GET',
          url: `/local/sign-in?email=${encodeURIComponent(email)}`,
          headers: {},
          body: undefined,
        },
        new URL(`/local/sign-in?email=${encodeURIComponent(email)}`, publicUrl),
      );
    return { directory, signIn };
  }

  it('signs in who the directory knows, with their role, unit, ID and name; refuses a disabled or unknown one', async () => {
    const { directory, signIn } = await setUp();
    const { account } = await directory.createAccount({
      email: 'lan@snv.nghean.gov.vn',
      name: 'Lê Thị Lan',
      role: 'manager',
      unitId: 'phuong-vinh-hung',
    });
    const answer = await signIn(' LAN@snv.nghean.gov.vn ');
    expect(answer?.status).toBe(302);
    const hint = new URLSearchParams(
      new URL(answer?.headers.location ?? '', publicUrl).searchParams.get('local_sign_in') ?? '',
    );
    expect(Object.fromEntries(hint)).toEqual({
      role: 'manager',
      unitId: 'phuong-vinh-hung',
      sub: account.userId,
      name: 'Lê Thị Lan',
    });
    await directory.setEnabled(account.userId, false);
    await expect(signIn('lan@snv.nghean.gov.vn')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(signIn('nobody@snv.nghean.gov.vn')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
