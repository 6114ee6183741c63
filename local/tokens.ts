/**
 * Local stand-in for Cognito and API Gateway's JWT authorizer: signs access tokens with the
 * claims a Cognito access token has, and verifies bearer tokens with the checks the authorizer
 * makes, so handlers see in local mode exactly what they see in AWS.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import * as z from 'zod/mini';
import { unitIdSchema } from '#domain/ids.ts';
import { defaultRankingScope } from '#http/principal.ts';
import { roles } from '#routes/table.ts';
import { EmulatorSetupError } from './emulators.ts';

/** Cognito signs with RS256, and API Gateway's JWT authorizer accepts only RSA algorithms. */
const algorithm = 'RS256';

/** The app client of staff tokens and the ranking system's client-credentials client. */
export const staffClientId = 'par-inspect-local-app';
export const rankingClientId = 'par-inspect-local-ranking';
/** The authorizer's `audience` list: tokens must name one of these in `aud` or `client_id`. */
const audiences = [staffClientId, rankingClientId];

/** Lifetime of tokens from POST /local/tokens and of those printed at startup. */
export const tokenLifetimeSeconds = 12 * 60 * 60;

/** Body of `POST /local/tokens`. A ranking token has no unit; every other one needs it. */
export const tokenRequestSchema = z
  .strictObject({
    role: z.enum(roles),
    unitId: z.optional(unitIdSchema),
    sub: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  })
  .check(
    z.refine((request) => request.role === 'ranking' || request.unitId !== undefined, {
      path: ['unitId'],
      message: 'unitId is required for the admin, manager and inspector roles',
    }),
  );
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/** Why the authorizer refused a token; the server answers 401 whatever the reason. */
export class TokenRejectedError extends Error {}

const storedKeySchema = z.object({
  kid: z.string().check(z.minLength(1)),
  privateJwk: z.looseObject({ kty: z.literal('RSA'), n: z.string(), e: z.string(), d: z.string() }),
});

export interface TokenAuthority {
  /** The `iss` of every token, where `/.well-known/jwks.json` is served. */
  issuer: string;
  sign(request: TokenRequest, lifetimeSeconds?: number): Promise<string>;
  /**
   * Checks an `Authorization` header as API Gateway's JWT authorizer does and returns the
   * token's claims. @throws TokenRejectedError
   */
  verify(
    authorization: string | undefined,
    options?: { acceptRanking?: boolean },
  ): Promise<Record<string, unknown>>;
  /** The public keys, as a JWKS document. */
  jwks: { keys: JWK[] };
  /**
   * Signs other tokens of this issuer (the OIDC provider's id and refresh tokens): `claims`
   * plus iss, iat, exp (`expiresAt`, seconds) and the key's kid.
   */
  signClaims(claims: Record<string, unknown>, expiresAt: number): Promise<string>;
  /**
   * Checks a token this issuer signed (signature, issuer, expiry) and returns its claims,
   * whatever its audience: the caller checks what kind of token it is. @throws TokenRejectedError
   */
  verifyOwn(token: string): Promise<JWTPayload>;
}

/**
 * Loads the signing key from `keyFile`, creating it on first use, so tokens stay valid across
 * restarts (on the same port: the issuer names it).
 */
export async function loadTokenAuthority(keyFile: string, issuer: string): Promise<TokenAuthority> {
  const stored = await readOrCreateKey(keyFile);
  const privateKey = await importJWK(stored.privateJwk, algorithm);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = stored.privateJwk;
  const jwks = { keys: [{ ...publicJwk, kid: stored.kid, alg: algorithm, use: 'sig' }] };
  const keySet = createLocalJWKSet(jwks);

  return {
    issuer,
    jwks,
    async sign(request, lifetimeSeconds = tokenLifetimeSeconds) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...claimsOf(request), auth_time: now, version: 2 })
        .setProtectedHeader({ alg: algorithm, kid: stored.kid })
        .setIssuer(issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetimeSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },
    async signClaims(claims, expiresAt) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: algorithm, kid: stored.kid })
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(privateKey);
    },
    async verifyOwn(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer,
          algorithms: [algorithm],
          requiredClaims: ['exp', 'iat'],
        });
        return payload;
      } catch (error) {
        throw new TokenRejectedError(error instanceof Error ? error.message : 'invalid token');
      }
    },
    async verify(authorization, options = {}) {
      const token = bearerToken(authorization);
      let header: ReturnType<typeof decodeProtectedHeader>;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        throw new TokenRejectedError('the token is not a JWT');
      }
      if (header.kid === undefined) throw new TokenRejectedError('the token header has no kid');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          issuer,
          algorithms: [algorithm],
          requiredClaims: ['exp', 'iat'],
        }));
      } catch (error) {
        throw new TokenRejectedError(error instanceof Error ? error.message : 'invalid token');
      }
      if (payload.iat !== undefined && payload.iat > Math.floor(Date.now() / 1000)) {
        throw new TokenRejectedError('the token was issued in the future');
      }
      // The authorizer checks `aud` when present, and `client_id` only when it is not.
      const audience = payload.aud ?? payload.client_id;
      const named = Array.isArray(audience) ? audience : [audience];
      // As in AWS: only the routes the ranking system may call have an authorizer that accepts
      // its client; on every other route its token is unauthenticated (401), not forbidden.
      const accepted = options.acceptRanking ? audiences : [staffClientId];
      if (!named.some((value) => typeof value === 'string' && accepted.includes(value))) {
        throw new TokenRejectedError('the token is for another audience');
      }
      return { ...payload };
    },
  };
}

/**
 * The claims of a Cognito access token for this request. Staff tokens: the user pool's app
 * client, `cognito:groups`, and `custom:unitId` and `name` as the pre-token-generation trigger
 * adds them. Ranking tokens: a client-credentials token (sub = client_id, no groups, no unit,
 * the resource server's scope).
 */
export function claimsOf(request: TokenRequest): Record<string, unknown> {
  if (request.role === 'ranking') {
    const clientId = request.sub ?? rankingClientId;
    return {
      sub: clientId,
      token_use: 'access',
      client_id: rankingClientId,
      scope: process.env.RANKING_SCOPE?.trim() || defaultRankingScope,
    };
  }
  const demo = demoUsers[request.role];
  const sub = request.sub ?? demo.sub;
  return {
    sub,
    'cognito:groups': [request.role],
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    client_id: staffClientId,
    username: sub,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    'custom:unitId': request.unitId,
    name: request.name ?? (request.sub === undefined ? demo.name : undefined),
  };
}

/** The demo users: who a token is when POST /local/tokens names no `sub`. */
export const demoUsers = {
  admin: { sub: 'demo-admin', name: 'Nguyễn Thị Hà (quản trị / admin)' },
  manager: { sub: 'demo-manager', name: 'Trần Văn Minh (lãnh đạo phòng / manager)' },
  inspector: { sub: 'demo-inspector', name: 'Lê Thị Lan (kiểm tra viên / inspector)' },
} as const;

function bearerToken(authorization: string | undefined): string {
  const value = authorization?.trim();
  if (!value) throw new TokenRejectedError('no Authorization header');
  // The authorizer accepts the token alone or prefixed with `Bearer `.
  const token = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new TokenRejectedError('the token is not a JWT');
  return token;
}

async function readOrCreateKey(keyFile: string): Promise<z.infer<typeof storedKeySchema>> {
  let text: string | null = null;
  try {
    text = readFileSync(keyFile, 'utf8');
  } catch {
    // absent: created below
  }
  if (text !== null) {
    const parsed = storedKeySchema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    throw new EmulatorSetupError(
      `The token signing key ${keyFile} is unreadable: delete it (tokens issued before stop working) or start with --reset.`,
    );
  }
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true, modulusLength: 2048 });
  const privateJwk = await exportJWK(privateKey);
  const stored = storedKeySchema.parse({ kid: `local-${randomUUID().slice(0, 8)}`, privateJwk });
  writeFileSync(keyFile, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return stored;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
