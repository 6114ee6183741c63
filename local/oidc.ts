/**
 * A small OpenID Connect provider for local mode, beside the token minting: discovery, an
 * authorize page listing the demo users, the token endpoint (authorization code with PKCE, and
 * refresh), logout, and `/local/sign-in` for demos and tests. The app signs in through it with
 * the same OIDC client and settings it uses against Cognito, so local mode exercises the real
 * sign-in path, and the access tokens it hands out are exactly those of `POST /local/tokens`.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { LocalDirectory } from '#adapters/local-directory/directory.ts';
import { ValidationError } from '#domain/errors.ts';
import { type Problem, problem } from '#domain/problems.ts';
import type { LocalHandler, LocalRequest, LocalResponse } from './dispatch.ts';
import { authorizePageCss, renderAuthorizePage } from './oidc-page.ts';
import {
  claimsOf,
  staffClientId,
  type TokenAuthority,
  TokenRejectedError,
  type TokenRequest,
  tokenRequestSchema,
} from './tokens.ts';

/** Where the app's redirects land; anything else is refused, as a Cognito app client would. */
export const callbackPath = '/auth/callback';
/** An authorization code is single-use and short-lived (RFC 6749 §4.1.2 recommends 10 min at most). */
export const codeLifetimeMs = 60_000;
/** Cognito's default refresh token lifetime. */
export const refreshLifetimeSeconds = 30 * 24 * 60 * 60;

export interface OidcProviderOptions {
  tokens: TokenAuthority;
  /** The origin the app is served on (the API's public URL), e.g. `http://localhost:3000`. */
  publicUrl: string;
  /** Lifetime of access and id tokens. */
  accessTokenSeconds: number;
  /** The unit of the demo users the page lists (the start banner's tokens have it too). */
  demoUnitId: string;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  /** The staff accounts `/local/sign-in?email=` signs in (the local directory). */
  directory?: Pick<LocalDirectory, 'getAccount'>;
}

/** The S256 code challenge of a PKCE verifier (RFC 7636 §4.2): base64url(SHA-256(ASCII)). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const verifierPattern = /^[A-Za-z0-9._~-]{43,128}$/;
/** A SHA-256 digest in base64url without padding is 43 characters. */
const challengePattern = /^[A-Za-z0-9_-]{43}$/;

/** Whether `verifier` is a well-formed PKCE verifier whose S256 challenge is `challenge`. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!verifierPattern.test(verifier) || !challengePattern.test(challenge)) return false;
  return timingSafeEqual(Buffer.from(s256Challenge(verifier)), Buffer.from(challenge));
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the provider may send the browser back: the app's own origin, or (local mode) any
 * `http://localhost:*` page such as a Vite dev server, and for sign-in only the callback path.
 * Returns the parsed URL, or null for anything else (another host, credentials, a fragment).
 */
export function allowedRedirect(uri: string, publicUrl: string, path: string | null): URL | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.username || url.password || url.hash || uri.includes('#')) return null;
  const ownOrigin = url.origin === new URL(publicUrl).origin;
  const loopback = url.protocol === 'http:' && loopbackHosts.has(url.hostname);
  if (!ownOrigin && !loopback) return null;
  if (path !== null && url.pathname !== path) return null;
  return url;
}

/** A code waiting to be exchanged, with what it was issued for. */
interface PendingCode {
  request: TokenRequest;
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  authTime: number;
  expiresAt: number;
  used: boolean;
}

/** The parameters of an authorization request that passed the checks that make redirecting safe. */
export interface AuthorizeParams {
  clientId: string;
  redirect: URL;
  responseType: string | undefined;
  scope: string | undefined;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  loginHint: string | undefined;
  prompt: string | undefined;
}

/** The OAuth parameters the page carries through its forms, in this order. */
export const carriedParams = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unsupported_grant_type'
      | 'unsupported_response_type'
      | 'invalid_scope'
      | 'login_required',
    readonly description: string,
  ) {
    super(description);
  }
}

/** The provider's routes, for the dispatcher; null for any other path. */
export function createOidcProvider(options: OidcProviderOptions): LocalHandler {
  const { tokens, publicUrl, accessTokenSeconds, demoUnitId } = options;
  const now = options.now ?? Date.now;
  const issuer = tokens.issuer;
  const codes = new Map<string, PendingCode>();
  const paths = {
    discovery: '/local/.well-known/openid-configuration',
    authorize: '/local/oidc/authorize',
    css: '/local/oidc/authorize.css',
    token: '/local/oidc/token',
    logout: '/local/oidc/logout',
    signIn: '/local/sign-in',
  };

  return async (request, url) => {
    const method = request.method.toUpperCase();
    const path = url.pathname;
    if (method === 'GET' && path === paths.discovery) return json(200, discovery(issuer));
    if (method === 'GET' && path === paths.css) return authorizeCss();
    if (path === paths.authorize && (method === 'GET' || method === 'POST')) {
      const params =
        method === 'GET' ? url.searchParams : new URLSearchParams(formBody(request) ?? undefined);
      return authorize(params, method === 'POST');
    }
    if (method === 'POST' && path === paths.token) return token(request);
    if (method === 'GET' && path === paths.logout) return logout(url.searchParams);
    if (method === 'GET' && path === paths.signIn) return signIn(url.searchParams);
    return null;
  };

  async function authorize(params: URLSearchParams, chosen: boolean): Promise<LocalResponse> {
    const checked = checkAuthorizeRequest(params, publicUrl);
    const fail = (error: OAuthError) => redirect(errorRedirect(checked.redirect, checked.state, error));
    if (checked.responseType !== 'code') {
      return fail(new OAuthError('unsupported_response_type', 'response_type must be code'));
    }
    if (!checked.scope?.split(' ').includes('openid')) {
      return fail(new OAuthError('invalid_scope', 'scope must include openid'));
    }
    if (checked.codeChallengeMethod !== 'S256' || !challengePattern.test(checked.codeChallenge ?? '')) {
      return fail(
        new OAuthError('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256'),
      );
    }
    const challenge = checked.codeChallenge ?? '';
    const issue = (tokenRequest: TokenRequest) => {
      const code = issueCode(tokenRequest, checked, challenge);
      const target = new URL(checked.redirect);
      target.searchParams.set('code', code);
      if (checked.state !== undefined) target.searchParams.set('state', checked.state);
      // A form post answers 303 so the browser follows with a GET.
      return redirect(target.href, chosen ? 303 : 302);
    };

    if (chosen) {
      const picked = tokenRequestSchema.safeParse(identityFields(params));
      if (picked.success) return issue(picked.data);
      return page(checked, 422, identityProblems(picked.error.issues), identityFields(params));
    }
    if (checked.loginHint !== undefined) {
      const hinted = parseLoginHint(checked.loginHint);
      if (hinted.success) return issue(hinted.data);
      // A hint is only a hint (OIDC Core §3.1.2.1): show the page, saying why it was not used.
      return page(checked, 200, [loginHintProblem], {});
    }
    if (checked.prompt === 'none') {
      return fail(new OAuthError('login_required', 'there is no session here: choose a user on the page'));
    }
    return page(checked, 200, [], {});
  }

  function page(
    checked: AuthorizeParams,
    status: number,
    problems: Problem[],
    entered: Record<string, string | undefined>,
  ): LocalResponse {
    const carried = carriedParams.flatMap((name) => {
      const value = carriedValue(checked, name);
      return value === undefined ? [] : [[name, value] as const];
    });
    const html = renderAuthorizePage({ action: paths.authorize, carried, demoUnitId, problems, entered });
    // No inline script or style on the page, so the policy can forbid both. The form posts
    // here and is then redirected to the app: form-action must name the app's origin too.
    const formTargets = new Set(["'self'", checked.redirect.origin]);
    return {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${[...formTargets].join(' ')}; base-uri 'none'; frame-ancestors 'none'`,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
      cookies: [],
      body: Buffer.from(html),
    };
  }

  function issueCode(request: TokenRequest, checked: AuthorizeParams, challenge: string): string {
    const at = now();
    for (const [code, pending] of codes) if (pending.expiresAt <= at) codes.delete(code);
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      request,
      clientId: checked.clientId,
      redirectUri: checked.redirect.href,
      challenge,
      nonce: checked.nonce,
      authTime: Math.floor(at / 1000),
      expiresAt: at + codeLifetimeMs,
      used: false,
    });
    return code;
  }

  async function token(request: LocalRequest): Promise<LocalResponse> {
    try {
      const form = formBody(request);
      if (form === null) {
        throw new OAuthError('invalid_request', 'send the parameters as application/x-www-form-urlencoded');
      }
      const params = singleValues(new URLSearchParams(form));
      if (params === null) throw new OAuthError('invalid_request', 'a parameter is repeated');
      const grantType = params.get('grant_type');
      const clientId = params.get('client_id');
      if (clientId !== undefined && clientId !== staffClientId) {
        throw new OAuthError('invalid_client', `unknown client_id; this provider knows ${staffClientId}`);
      }
      if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
      if (grantType === 'authorization_code') return json(200, await exchangeCode(params), noStore);
      if (grantType === 'refresh_token') return json(200, await refresh(params), noStore);
      throw new OAuthError(
        'unsupported_grant_type',
        'grant_type must be authorization_code or refresh_token',
      );
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return json(400, { error: error.error, error_description: error.description }, noStore);
    }
  }

  async function exchangeCode(params: ReadonlyMap<string, string>) {
    const code = params.get('code');
    const verifier = params.get('code_verifier');
    const redirectUri = params.get('redirect_uri');
    const clientId = params.get('client_id');
    if (code === undefined) throw new OAuthError('invalid_request', 'code is required');
    if (clientId === undefined) throw new OAuthError('invalid_request', 'client_id is required');
    if (verifier === undefined) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE)');
    if (redirectUri === undefined) throw new OAuthError('invalid_request', 'redirect_uri is required');
    const pending = codes.get(code);
    if (!pending || pending.expiresAt <= now()) {
      throw new OAuthError('invalid_grant', 'the code is unknown or expired');
    }
    if (pending.used) throw new OAuthError('invalid_grant', 'the code was already used');
    // Spent on the first attempt, right or wrong, so a verifier cannot be guessed by retrying.
    pending.used = true;
    if (pending.clientId !== clientId)
      throw new OAuthError('invalid_grant', 'the code was issued to another client');
    if (pending.redirectUri !== redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri differs from the one of the authorization request');
    }
    if (!verifierMatches(verifier, pending.challenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const refreshToken = await tokens.signClaims(
      {
        token_use: 'refresh',
        client_id: clientId,
        sub: String(claimsOf(pending.request).sub),
        request: pending.request,
        auth_time: pending.authTime,
        jti: randomUUID(),
      },
      Math.floor(now() / 1000) + refreshLifetimeSeconds,
    );
    return grant(pending.request, clientId, pending.authTime, pending.nonce, refreshToken);
  }

  async function refresh(params: ReadonlyMap<string, string>) {
    const refreshToken = params.get('refresh_token');
    if (refreshToken === undefined) throw new OAuthError('invalid_request', 'refresh_token is required');
    let claims: Record<string, unknown>;
    try {
      claims = await tokens.verifyOwn(refreshToken);
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      throw new OAuthError('invalid_grant', `the refresh token is not valid (${error.message})`);
    }
    const inside = tokenRequestSchema.safeParse(claims.request);
    if (claims.token_use !== 'refresh' || !inside.success || typeof claims.client_id !== 'string') {
      throw new OAuthError('invalid_grant', 'this is not a refresh token of this provider');
    }
    const clientId = params.get('client_id');
    if (clientId !== undefined && clientId !== claims.client_id) {
      throw new OAuthError('invalid_grant', 'the refresh token was issued to another client');
    }
    const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : Math.floor(now() / 1000);
    // Not rotated, as with Cognito: the same refresh token keeps working until its 30 days end.
    return grant(inside.data, claims.client_id, authTime, undefined, refreshToken);
  }

  async function grant(
    request: TokenRequest,
    clientId: string,
    authTime: number,
    nonce: string | undefined,
    refreshToken: string,
  ) {
    const accessToken = await tokens.sign(request, accessTokenSeconds);
    const access = claimsOf(request);
    const idToken = await tokens.signClaims(
      {
        sub: access.sub,
        aud: clientId,
        token_use: 'id',
        auth_time: authTime,
        at_hash: atHash(accessToken),
        ...(nonce === undefined ? {} : { nonce }),
        ...(access.name === undefined ? {} : { name: access.name }),
        ...(access['cognito:groups'] === undefined ? {} : { 'cognito:groups': access['cognito:groups'] }),
        ...(access['custom:unitId'] === undefined ? {} : { 'custom:unitId': access['custom:unitId'] }),
      },
      Math.floor(now() / 1000) + accessTokenSeconds,
    );
    return {
      access_token: accessToken,
      id_token: idToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: accessTokenSeconds,
      scope: 'openid profile',
    };
  }

  function logout(query: URLSearchParams): LocalResponse {
    const params = singleOrInvalid(query);
    const target = params.get('post_logout_redirect_uri');
    if (target === undefined) return redirect(`${publicUrl}/`);
    const url = allowedRedirect(target, publicUrl, null);
    if (!url) throw redirectRefused('post_logout_redirect_uri');
    const state = params.get('state');
    if (state !== undefined) url.searchParams.set('state', state);
    return redirect(url.href);
  }

  async function signIn(query: URLSearchParams): Promise<LocalResponse> {
    const params = singleOrInvalid(query);
    const email = params.get('email');
    if (email !== undefined) return signInAccount(email);
    const parsed = tokenRequestSchema.safeParse(Object.fromEntries(params));
    if (!parsed.success) {
      throw new ValidationError(
        { vi: 'Yêu cầu đăng nhập không hợp lệ.', en: 'The sign-in request is not valid.' },
        identityProblems(parsed.error.issues),
      );
    }
    // Relative, so the browser stays on whichever of our addresses it used.
    return redirect(`/?local_sign_in=${encodeURIComponent(loginHintOf(parsed.data))}`);
  }

  /**
   * `/local/sign-in?email=`: a staff member the local directory knows, with the role, unit and
   * name the staff routes gave them, as Cognito would sign them in; a disabled or unknown
   * account is refused, as Cognito refuses it.
   */
  async function signInAccount(email: string): Promise<LocalResponse> {
    const account = await options.directory?.getAccount(email.trim().toLowerCase());
    if (!account?.enabled || account.role === null || account.unitId === null) {
      throw new ValidationError(
        { vi: 'Yêu cầu đăng nhập không hợp lệ.', en: 'The sign-in request is not valid.' },
        [
          problem(
            'email',
            'Không có tài khoản cán bộ đang hoạt động với e-mail này (thêm ở màn hình Cán bộ, hoặc đã bị khoá).',
            'No enabled staff account has this e-mail (add one on the Staff screen; or it is disabled).',
          ),
        ],
      );
    }
    const request: TokenRequest = {
      role: account.role,
      unitId: account.unitId,
      sub: account.userId,
      name: account.name,
    };
    return redirect(`/?local_sign_in=${encodeURIComponent(loginHintOf(request))}`);
  }
}

/**
 * The checks that come before anything may be sent back to `redirect_uri` (RFC 6749 §4.1.2.1):
 * a known client and a registered redirect. Failing them answers the browser directly.
 * @throws ValidationError
 */
export function checkAuthorizeRequest(query: URLSearchParams, publicUrl: string): AuthorizeParams {
  const params = singleOrInvalid(query);
  const clientId = params.get('client_id');
  if (clientId !== staffClientId) {
    throw new ValidationError({ vi: 'client_id không được nhận.', en: 'The client_id is not known.' }, [
      problem('client_id', `Dùng ${staffClientId}.`, `Use ${staffClientId}.`),
    ]);
  }
  const redirect = allowedRedirect(params.get('redirect_uri') ?? '', publicUrl, callbackPath);
  if (!redirect) throw redirectRefused('redirect_uri');
  return {
    clientId,
    redirect,
    responseType: params.get('response_type'),
    scope: params.get('scope'),
    state: params.get('state'),
    nonce: params.get('nonce'),
    codeChallenge: params.get('code_challenge'),
    codeChallengeMethod: params.get('code_challenge_method'),
    loginHint: params.get('login_hint'),
    prompt: params.get('prompt'),
  };
}

function carriedValue(checked: AuthorizeParams, name: (typeof carriedParams)[number]): string | undefined {
  switch (name) {
    case 'client_id':
      return checked.clientId;
    case 'redirect_uri':
      return checked.redirect.href;
    case 'response_type':
      return checked.responseType;
    case 'scope':
      return checked.scope;
    case 'state':
      return checked.state;
    case 'nonce':
      return checked.nonce;
    case 'code_challenge':
      return checked.codeChallenge;
    case 'code_challenge_method':
      return checked.codeChallengeMethod;
  }
}

function redirectRefused(name: string): ValidationError {
  return new ValidationError({ vi: `${name} không được phép.`, en: `The ${name} is not allowed.` }, [
    problem(
      name,
      `Chỉ chấp nhận địa chỉ của chính ứng dụng (hoặc http://localhost:*)${name === 'redirect_uri' ? `, đường dẫn ${callbackPath}` : ''}.`,
      `Only the app's own origin (or http://localhost:*) is accepted${name === 'redirect_uri' ? `, with the path ${callbackPath}` : ''}.`,
    ),
  ]);
}

/** `role=inspector&unitId=nghe-an[&sub=..&name=..]`: what `login_hint` and `local_sign_in` carry. */
export function loginHintOf(request: TokenRequest): string {
  const query = new URLSearchParams();
  for (const name of ['role', 'unitId', 'sub', 'name'] as const) {
    const value = request[name];
    if (value !== undefined) query.set(name, value);
  }
  return query.toString();
}

function parseLoginHint(hint: string) {
  const params = singleValues(new URLSearchParams(hint));
  return tokenRequestSchema.safeParse(params === null ? undefined : Object.fromEntries(params));
}

const loginHintProblem = problem(
  'login_hint',
  'login_hint không phải là một yêu cầu token hợp lệ (role=...&unitId=...): hãy chọn người dùng bên dưới.',
  'The login_hint is not a valid token request (role=...&unitId=...): choose a user below.',
);

/** The identity fields of the page's forms; blank optional fields count as absent. */
function identityFields(params: URLSearchParams): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const name of ['role', 'unitId', 'sub', 'name'] as const) {
    const value = params.get(name)?.trim();
    if (value) fields[name] = value;
  }
  return fields;
}

function identityProblems(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Problem[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return problem(
      path,
      path === 'role'
        ? 'Vai trò phải là admin, manager, inspector hoặc ranking.'
        : path === 'unitId'
          ? 'Cần unitId hợp lệ (trừ vai trò ranking), ví dụ nghe-an.'
          : path === ''
            ? 'Chỉ nhận role, unitId, sub và name.'
            : `Giá trị không hợp lệ: ${issue.message}`,
      path === 'role'
        ? 'The role must be admin, manager, inspector or ranking.'
        : path === 'unitId'
          ? 'A valid unitId is needed (except for the ranking role), e.g. nghe-an.'
          : path === ''
            ? 'Only role, unitId, sub and name are accepted.'
            : `Not a valid value: ${issue.message}`,
    );
  });
}

/** One value per name, or null when a parameter is repeated (RFC 6749 §3.1 forbids it). */
function singleValues(query: URLSearchParams): Map<string, string> | null {
  const values = new Map<string, string>();
  for (const [name, value] of query) {
    if (values.has(name)) return null;
    values.set(name, value);
  }
  return values;
}

function singleOrInvalid(query: URLSearchParams): Map<string, string> {
  const values = singleValues(query);
  if (values === null) {
    throw new ValidationError({ vi: 'Một tham số bị lặp lại.', en: 'A parameter is repeated.' }, [
      problem('', 'Mỗi tham số chỉ được gửi một lần.', 'Send each parameter once.'),
    ]);
  }
  return values;
}

function formBody(request: LocalRequest): string | null {
  const type = headerOf(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  return request.body?.toString('utf8') ?? '';
}

function headerOf(request: LocalRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : value?.join(',');
  }
  return undefined;
}

function errorRedirect(redirectUri: URL, state: string | undefined, error: OAuthError): string {
  const target = new URL(redirectUri);
  target.searchParams.set('error', error.error);
  target.searchParams.set('error_description', error.description);
  if (state !== undefined) target.searchParams.set('state', state);
  return target.href;
}

/** OIDC Core §3.3.2.11: the left half of the access token's SHA-256, base64url. */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/** What oidc-client-ts (and any OIDC client) reads first; API Gateway reads `jwks_uri` from it. */
export function discovery(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oidc/authorize`,
    token_endpoint: `${issuer}/oidc/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    end_session_endpoint: `${issuer}/oidc/logout`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: ['none'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'name', 'cognito:groups', 'custom:unitId', 'auth_time', 'nonce', 'at_hash'],
  };
}

const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

function json(status: number, value: unknown, headers: Record<string, string> = {}): LocalResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    cookies: [],
    body: Buffer.from(JSON.stringify(value)),
  };
}

function redirect(location: string, status = 302): LocalResponse {
  return {
    status,
    headers: { location, 'cache-control': 'no-store' },
    cookies: [],
    body: Buffer.alloc(0),
  };
}

function authorizeCss(): LocalResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' },
    cookies: [],
    body: Buffer.from(authorizePageCss),
  };
}
