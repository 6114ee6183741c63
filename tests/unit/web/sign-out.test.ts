/**
 * Sign-out against Cognito and against a standard provider, through oidc-client-ts itself with
 * the settings the app builds. Cognito's discovery document names no end_session_endpoint, so
 * the app's runtime config names `<domain>/logout` and the request must carry what Cognito's
 * logout endpoint reads (client_id, logout_uri) rather than RP-initiated logout's parameters.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryWebStorage, OidcClient, WebStorageStateStore } from 'oidc-client-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../web/src/config.ts';
import { isAppConfig } from '../../../web/src/config.ts';
import { oidcSettings, signOutArgs } from '../../../web/src/lib/oidc-settings.ts';

const appOrigin = 'https://d111111abcdef8.cloudfront.net';
const cognitoDomain = 'https://par-nghe-an.auth.ap-southeast-1.amazoncognito.com';

let server: Server;
let base = '';

/** Discovery documents: Cognito's fields (no end_session_endpoint), and a provider that has one. */
function discovery(issuer: string, withEndSession: boolean) {
  return {
    issuer,
    authorization_endpoint: `${cognitoDomain}/oauth2/authorize`,
    token_endpoint: `${cognitoDomain}/oauth2/token`,
    userinfo_endpoint: `${cognitoDomain}/oauth2/userInfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    id_token_signing_alg_values_supported: ['RS256'],
    ...(withEndSession ? { end_session_endpoint: `${issuer}/logout` } : {}),
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    const kind = path.startsWith('/cognito/') ? 'cognito' : path.startsWith('/standard/') ? 'standard' : null;
    if (kind === null || !path.endsWith('/.well-known/openid-configuration')) {
      response.writeHead(404).end();
      return;
    }
    const issuer = `${base}/${kind}`;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(discovery(issuer, kind === 'standard')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(config: AppConfig): OidcClient {
  return new OidcClient(
    oidcSettings(config, appOrigin, new WebStorageStateStore({ store: new InMemoryWebStorage() })),
  );
}

function cognitoConfig(endSessionEndpoint: string | undefined): AppConfig {
  return {
    apiBaseUrl: 'https://abc123.execute-api.ap-southeast-1.amazonaws.com',
    oidc: {
      authority: `${base}/cognito`,
      clientId: '5q3ab9people',
      scope: 'openid email profile',
      ...(endSessionEndpoint === undefined ? {} : { endSessionEndpoint }),
    },
    mode: 'aws',
  };
}

describe('signing out', () => {
  it("goes to Cognito's /logout with client_id and logout_uri, and nothing Cognito does not read", async () => {
    const config = cognitoConfig(`${cognitoDomain}/logout`);
    const request = await client(config).createSignoutRequest(
      signOutArgs(config, appOrigin, 'id.token.value'),
    );
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${cognitoDomain}/logout`);
    expect(url.searchParams.get('client_id')).toBe('5q3ab9people');
    expect(url.searchParams.get('logout_uri')).toBe(`${appOrigin}/`);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'logout_uri']);
  });

  it('has nowhere to go without the configured endpoint, since Cognito discovery names none', async () => {
    const config = cognitoConfig(undefined);
    await expect(
      client(config).createSignoutRequest(signOutArgs(config, appOrigin, 'id.token.value')),
    ).rejects.toThrow(/end session endpoint/i);
  });

  it("uses RP-initiated logout with the provider's own endpoint when discovery has one (local mode)", async () => {
    const config: AppConfig = {
      apiBaseUrl: 'http://localhost:3000',
      oidc: { authority: `${base}/standard`, clientId: 'par-inspect-web', scope: 'openid profile' },
      mode: 'local',
    };
    const request = await client(config).createSignoutRequest(
      signOutArgs(config, appOrigin, 'id.token.value'),
    );
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/standard/logout`);
    expect(url.searchParams.get('id_token_hint')).toBe('id.token.value');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${appOrigin}/`);
    expect(url.searchParams.has('logout_uri')).toBe(false);
  });

  it('accepts a config naming an https end-session endpoint and refuses a malformed one', () => {
    expect(isAppConfig(cognitoConfig(`${cognitoDomain}/logout`))).toBe(true);
    expect(isAppConfig(cognitoConfig(undefined))).toBe(true);
    expect(isAppConfig(cognitoConfig('not a url'))).toBe(false);
    expect(isAppConfig(cognitoConfig('http://par.auth.example/logout'))).toBe(false);
  });
});
