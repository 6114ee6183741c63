/**
 * The web app's side of `npm start`, over HTTP against the child server: the OIDC provider the
 * app signs in with (discovery, code + PKCE, refresh, also after a restart), the shortcuts that
 * skip the page, the built app at `/` with its navigation fallback, the build cache, and the
 * s3rver proxy that keeps uploads on the app's own origin. The app here is a small fixture
 * built by the real Vite, so these tests do not depend on web/'s state.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repositoryRoot } from '#local/lambda.ts';
import { sourceHash } from '#local/web-build.ts';
import { client, eventually, tinyJpeg } from './support/http.ts';
import { type LocalServerChild, startLocalServerChild } from './support/local-server.ts';

const clientId = 'par-inspect-local-app';
const suffix = `app-${Date.now().toString(36)}`;
const webRoot = mkdtempSync(join(tmpdir(), 'par-inspect-web-fixture-'));
const childOptions = {
  web: true,
  keepData: true,
  storageSuffix: suffix,
  env: { LOCAL_WEB_ROOT: webRoot, LOCAL_ACCESS_TOKEN_SECONDS: '600' },
};

let server: LocalServerChild;
let call: ReturnType<typeof client>;

/** A tiny app with what the real one has: an entry script, a service worker and a manifest. */
function writeFixtureApp(root: string): void {
  mkdirSync(join(root, 'public'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(root, 'vite.config.ts'), "export default { build: { outDir: 'dist' } };\n");
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>fixture</title>' +
      '<script type="module" src="/main.js"></script></head><body><div id="app">fixture app shell</div></body></html>\n',
  );
  writeFileSync(join(root, 'main.js'), "document.getElementById('app').textContent = 'fixture ready';\n");
  writeFileSync(join(root, 'public', 'sw.js'), "self.addEventListener('fetch', () => {});\n");
  writeFileSync(join(root, 'public', 'manifest.webmanifest'), '{"name":"fixture"}\n');
}

beforeAll(async () => {
  writeFixtureApp(webRoot);
  server = await startLocalServerChild(childOptions);
  call = client(server.url);
});

afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  rmSync(webRoot, { recursive: true, force: true });
});

const tokenSet = z.object({
  access_token: z.string(),
  id_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number(),
});
const oauthError = z.object({ error: z.string(), error_description: z.string() });

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const callback = () => `${server.url}/auth/callback`;

function authorizeQuery(challenge: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: clientId,
    redirect_uri: callback(),
    response_type: 'code',
    scope: 'openid profile',
    state: randomUUID(),
    nonce: randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
}

/** What the app does with a login_hint: authorize, then read the code off the redirect. */
async function authorizeWithHint(hint: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const query = authorizeQuery(challenge, { login_hint: hint, ...extra });
  const reply = await fetch(`${server.url}/local/oidc/authorize?${query}`, { redirect: 'manual' });
  expect(reply.status, await reply.clone().text()).toBe(302);
  const location = new URL(reply.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(query.get('redirect_uri'));
  expect(location.searchParams.get('state')).toBe(query.get('state'));
  return { code: location.searchParams.get('code') ?? '', verifier, nonce: query.get('nonce') ?? '' };
}

async function tokenRequest(fields: Record<string, string>) {
  const reply = await fetch(`${server.url}/local/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { status: reply.status, headers: reply.headers, body: (await reply.json()) as unknown };
}

function exchange(code: string, verifier: string, extra: Record<string, string> = {}) {
  return tokenRequest({
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: callback(),
    client_id: clientId,
    ...extra,
  });
}

async function signIn(hint = 'role=inspector&unitId=nghe-an&sub=oidc-inspector&name=L%C3%AA%20Lan') {
  const { code, verifier, nonce } = await authorizeWithHint(hint);
  const reply = await exchange(code, verifier);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return { ...tokenSet.parse(reply.body), nonce };
}

describe('the OIDC provider the app signs in with', () => {
  it('publishes a discovery document that points at its endpoints and keys', async () => {
    const reply = await call('GET', '/local/.well-known/openid-configuration');
    expect(reply.status).toBe(200);
    const issuer = `${server.url}/local`;
    expect(reply.body).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/oidc/authorize`,
      token_endpoint: `${issuer}/oidc/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      end_session_endpoint: `${issuer}/oidc/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'profile'],
      token_endpoint_auth_methods_supported: ['none'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('runs the code + PKCE flow: the access token works on the API, the id token names the user', async () => {
    const tokens = await signIn();
    expect(tokens.expires_in).toBe(600);
    const units = await call('GET', '/v1/units', { token: tokens.access_token });
    expect(units.status, units.text).toBe(200);

    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({
      token_use: 'access',
      client_id: clientId,
      sub: 'oidc-inspector',
      'cognito:groups': ['inspector'],
      'custom:unitId': 'nghe-an',
    });
    expect(Number(access.exp) - Number(access.iat)).toBe(600);

    const discovery = z
      .object({ jwks_uri: z.string(), issuer: z.string() })
      .parse((await call('GET', '/local/.well-known/openid-configuration')).body);
    const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: clientId,
    });
    expect(payload).toMatchObject({
      sub: 'oidc-inspector',
      name: 'Lê Lan',
      nonce: tokens.nonce,
      'cognito:groups': ['inspector'],
      'custom:unitId': 'nghe-an',
    });
    // at_hash: the left half of the access token's SHA-256 (OIDC Core 3.3.2.11).
    const digest = createHash('sha256').update(tokens.access_token).digest();
    expect(payload.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
  });

  it('refuses a wrong verifier, a reused code and a redirect_uri other than the request one', async () => {
    const wrong = await authorizeWithHint('role=inspector&unitId=nghe-an');
    const refused = await exchange(wrong.code, pkce().verifier);
    expect(refused.status).toBe(400);
    expect(oauthError.parse(refused.body).error).toBe('invalid_grant');
    // The failed attempt spent the code: the right verifier cannot be tried afterwards.
    expect((await exchange(wrong.code, wrong.verifier)).status).toBe(400);

    const once = await authorizeWithHint('role=inspector&unitId=nghe-an');
    expect((await exchange(once.code, once.verifier)).status).toBe(200);
    const reused = await exchange(once.code, once.verifier);
    expect(reused.status).toBe(400);
    expect(oauthError.parse(reused.body)).toMatchObject({ error: 'invalid_grant' });

    const other = await authorizeWithHint('role=inspector&unitId=nghe-an');
    const moved = await exchange(other.code, other.verifier, {
      redirect_uri: 'http://localhost:5173/auth/callback',
    });
    expect(oauthError.parse(moved.body).error).toBe('invalid_grant');

    const stranger = await exchange('anything', pkce().verifier, { client_id: 'someone-else' });
    expect(stranger.status).toBe(400);
    expect(oauthError.parse(stranger.body).error).toBe('invalid_client');
    const password = await tokenRequest({ grant_type: 'password', username: 'a', password: 'b' });
    expect(oauthError.parse(password.body).error).toBe('unsupported_grant_type');
    expect(password.headers.get('cache-control')).toBe('no-store');
  });

  it('never redirects to a foreign redirect_uri: it answers a problem+json 422 instead', async () => {
    for (const redirectUri of [
      'https://evil.example/auth/callback',
      `${server.url}/elsewhere`,
      'http://localhost.evil.example/auth/callback',
    ]) {
      const query = authorizeQuery(pkce().challenge, {
        redirect_uri: redirectUri,
        login_hint: 'role=admin&unitId=nghe-an',
      });
      const reply = await fetch(`${server.url}/local/oidc/authorize?${query}`, {
        redirect: 'manual',
        headers: { 'accept-language': 'en' },
      });
      expect(reply.status, redirectUri).toBe(422);
      expect(reply.headers.get('location')).toBeNull();
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await reply.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ path: 'redirect_uri' }],
      });
    }
    // A Vite dev server on another localhost port is a registered redirect in local mode.
    const devServer = authorizeQuery(pkce().challenge, {
      redirect_uri: 'http://localhost:5173/auth/callback',
      login_hint: 'role=admin&unitId=nghe-an',
    });
    const allowed = await fetch(`${server.url}/local/oidc/authorize?${devServer}`, { redirect: 'manual' });
    expect(allowed.status).toBe(302);
    expect(allowed.headers.get('location')).toMatch(/^http:\/\/localhost:5173\/auth\/callback\?code=/);
  });

  it('refreshes: a new access token that works, for the same user', async () => {
    const first = await signIn();
    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: clientId,
      scope: 'openid profile',
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const tokens = tokenSet.parse(refreshed.body);
    expect(tokens.access_token).not.toBe(first.access_token);
    expect((await call('GET', '/v1/units', { token: tokens.access_token })).status).toBe(200);
    expect(decodeJwt(tokens.id_token)).toMatchObject({
      sub: 'oidc-inspector',
      auth_time: decodeJwt(first.id_token).auth_time,
    });
    // An access token is not a refresh token.
    const wrongKind = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.access_token });
    expect(oauthError.parse(wrongKind.body).error).toBe('invalid_grant');
  });
});

describe('the authorize page and the shortcuts that skip it', () => {
  it('lists the demo users on an accessible bilingual page; choosing one redirects with a code', async () => {
    const { challenge } = pkce();
    const query = authorizeQuery(challenge);
    const page = await fetch(`${server.url}/local/oidc/authorize?${query}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    const html = await page.text();
    expect(html).toMatch(/<html lang="vi">/);
    expect(html).toMatch(/name="viewport" content="width=device-width, initial-scale=1"/);
    expect(html).not.toMatch(/<script|style=/);
    for (const name of ['Nguyễn Thị Hà', 'Trần Văn Minh', 'Lê Thị Lan']) expect(html).toContain(name);
    const css = await fetch(`${server.url}/local/oidc/authorize.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toMatch(/min-height: 3rem/);

    const form = new URLSearchParams(query);
    form.set('role', 'manager');
    form.set('unitId', 'vinh-phu');
    form.set('sub', '');
    const chosen = await fetch(`${server.url}/local/oidc/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(chosen.status).toBe(303);
    const location = new URL(chosen.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe(query.get('state'));
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{43}$/);

    form.set('unitId', 'not a unit!');
    const refused = await fetch(`${server.url}/local/oidc/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/role="alert"/);
  });

  it('a login_hint the schema accepts skips the page; /local/sign-in hands the app such a hint', async () => {
    const hinted = await authorizeWithHint('role=manager&unitId=vinh-phu');
    const reply = await exchange(hinted.code, hinted.verifier);
    expect(decodeJwt(tokenSet.parse(reply.body).access_token)).toMatchObject({
      'cognito:groups': ['manager'],
      'custom:unitId': 'vinh-phu',
      sub: 'demo-manager',
    });

    const signIn = await fetch(`${server.url}/local/sign-in?role=inspector&unitId=nghe-an`, {
      redirect: 'manual',
    });
    expect(signIn.status).toBe(302);
    const location = new URL(signIn.headers.get('location') ?? '', server.url);
    expect(location.pathname).toBe('/');
    expect(location.searchParams.get('local_sign_in')).toBe('role=inspector&unitId=nghe-an');

    for (const query of ['role=boss&unitId=nghe-an', 'role=inspector', 'role=inspector&unitId=nghe-an&x=1']) {
      const bad = await call('GET', `/local/sign-in?${query}`, { headers: { 'accept-language': 'en' } });
      expect(bad.status, query).toBe(422);
      expect(bad.body, query).toMatchObject({ code: 'validation_failed', status: 422 });
    }
  });

  it('logs out by redirecting to the app, and only to the app', async () => {
    const out = await fetch(
      `${server.url}/local/oidc/logout?post_logout_redirect_uri=${encodeURIComponent(`${server.url}/`)}&state=s1`,
      { redirect: 'manual' },
    );
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(`${server.url}/?state=s1`);
    const foreign = await call(
      'GET',
      `/local/oidc/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(foreign.status).toBe(422);
  });
});

describe('the built app at / of the API port', () => {
  it('is announced first in the banner, with how its build went', () => {
    const output = server.output();
    const app = output.indexOf(`par-inspect app: ${server.url}/`);
    expect(app, output).toBeGreaterThanOrEqual(0);
    expect(app).toBeLessThan(output.indexOf('local API ready at'));
    expect(output).toMatch(/web app built in \d+\.\d s/);
  });

  it('serves index.html for navigations outside /v1/ and /local/, and problem+json 404 there', async () => {
    const navigation = { accept: 'text/html,application/xhtml+xml' };
    const deep = await call('GET', '/visits/123', { headers: navigation });
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('fixture app shell');
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(deep.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self'/);

    for (const path of ['/v1/nope', '/local/nope']) {
      const reply = await call('GET', path, { headers: navigation });
      expect(reply.status, path).toBe(404);
      expect(reply.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(reply.text).not.toContain('fixture app shell');
    }
    // A script asking for a missing file is not a navigation: no HTML in place of JavaScript.
    expect((await call('GET', '/assets/missing.js')).status).toBe(404);
    expect((await call('GET', '/.source-hash')).status).toBe(404);
  });

  it('serves the files with their types, hashed assets cached for good and the rest revalidated', async () => {
    const index = await call('GET', '/');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script, index.text).toBeDefined();
    const asset = await call('GET', script ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const worker = await call('GET', '/sw.js');
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const manifest = await call('GET', '/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');

    const again = await fetch(`${server.url}/`, {
      headers: { 'if-none-match': index.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);

    const config = await call('GET', '/app-config.json');
    expect(config.headers.get('cache-control')).toBe('no-cache');
    expect(config.body).toEqual({
      apiBaseUrl: server.url,
      oidc: { authority: `${server.url}/local`, clientId, scope: 'openid profile' },
      mode: 'local',
    });
  });
});

describe('the s3rver proxy at /local/s3', () => {
  it('carries a presigned upload on the app origin through to a verified photo and its download', async () => {
    const { access_token: inspector } = await signIn();
    const visitId = randomUUID();
    const put = await call('PUT', `/v1/visits/${visitId}`, {
      token: inspector,
      body: {
        unitId: 'vinh-phu',
        templateId: 'one-stop-counter',
        templateVersion: 1,
        startedAt: new Date().toISOString(),
        answers: [],
      },
    });
    expect(put.status, put.text).toBe(201);
    const photoId = randomUUID();
    const created = await call('POST', `/v1/visits/${visitId}/photos`, {
      token: inspector,
      body: {
        photoId,
        itemCode: 'A1',
        contentType: 'image/jpeg',
        sizeBytes: tinyJpeg.length,
        sha256: createHash('sha256').update(tinyJpeg).digest('hex'),
      },
    });
    expect(created.status, created.text).toBe(201);
    const { upload } = z
      .object({ upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }) })
      .parse(created.body);
    expect(upload.url).toBe(`${server.url}/local/s3/e2e-${suffix}`);

    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([tinyJpeg], { type: 'image/jpeg' }), 'a1.jpg');
    const posted = await fetch(upload.url, { method: 'POST', body: form });
    expect(posted.ok, `${posted.status} ${await posted.text()}`).toBe(true);

    const photo = await eventually('the photo verified', async () => {
      const reply = await call('GET', `/v1/visits/${visitId}/photos/${photoId}`, { token: inspector });
      const body = z
        .looseObject({ status: z.string(), downloadUrl: z.string().optional() })
        .parse(reply.body);
      expect(body.status).not.toBe('rejected');
      return body.status === 'verified' ? body : undefined;
    });
    expect(photo.downloadUrl?.startsWith(`${server.url}/local/s3/`)).toBe(true);
    const download = await fetch(photo.downloadUrl ?? '');
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(tinyJpeg)).toBe(true);
  });
});

describe('a restart on the same data folder', () => {
  it('reuses the app build and still honours the refresh token issued before', async () => {
    const before = await signIn();
    const hashBefore = sourceHash(webRoot, repositoryRoot);
    await server.stop();
    server = await startLocalServerChild({ ...childOptions, port: server.port, dataDir: server.dataDir });
    // The hash covers shared/domain and shared/routes too: in a checkout being edited while the
    // test runs, a rebuild is then the right answer. Unchanged sources must be reused.
    const unchanged = sourceHash(webRoot, repositoryRoot) === hashBefore;
    expect(server.output()).toMatch(unchanged ? /web app build reused/ : /web app built in/);

    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token,
      client_id: clientId,
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const units = await call('GET', '/v1/units', { token: tokenSet.parse(refreshed.body).access_token });
    expect(units.status).toBe(200);
  });
});
