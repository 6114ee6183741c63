import * as z from 'zod/mini';
import { UnauthenticatedError } from '#domain/errors.ts';
import { rankingScope } from '#routes/integration.ts';
import { roles as knownRoles, type Role } from '#routes/table.ts';

/** Who is calling, as the access token says. */
export interface Principal {
  sub: string;
  name: string | null;
  roles: Role[];
  /** The unit whose subtree is the caller's scope; null only for the ranking machine client. */
  unitId: string | null;
}

/** The OAuth scope the ranking system's client-credentials token carries, unless configured. */
export const defaultRankingScope = rankingScope;

/**
 * The claims we rely on. API Gateway's JWT authorizer hands claims over as strings (an array
 * becomes `[a b]`), while the local server and tests may pass real arrays: both are accepted.
 * Other claims (exp, iss, client_id...) pass through untouched: API Gateway already checked them.
 */
const claimsSchema = z.looseObject({
  sub: z.string().check(z.minLength(1)),
  token_use: z.literal('access'),
  'cognito:groups': z.optional(z.union([z.array(z.string()), z.string()])),
  'custom:unitId': z.optional(z.string().check(z.trim(), z.minLength(1))),
  name: z.optional(z.string()),
  scope: z.optional(z.string()),
});

const jsonStringArray = z.array(z.string());

function unauthenticated(en: string, vi: string): UnauthenticatedError {
  return new UnauthenticatedError({ vi, en });
}

/**
 * Turns verified access-token claims into a principal, failing closed: anything missing or odd
 * is 401 `unauthenticated`, never a principal with fewer checks.
 *
 * - `token_use` must be `access` (an ID token must not open the API).
 * - `cognito:groups` may be a JSON array, API Gateway's string form `[admin manager]`, or a
 *   single name; only known staff roles are kept (`ranking` never comes from a group).
 * - A token without groups whose `scope` holds the ranking scope (env `RANKING_SCOPE`) is the
 *   ranking system's client-credentials token: role `ranking`, unitId null.
 * - Every other token needs `custom:unitId`, since scope checks hang off it.
 *
 * @throws UnauthenticatedError when the claims are missing or unusable.
 */
export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal {
  if (!claims) throw unauthenticated('An access token is required.', 'Cần có access token.');
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) {
    throw unauthenticated(
      'The access token is not valid for this API.',
      'Access token không hợp lệ đối với API này.',
    );
  }
  const token = parsed.data;
  const groups = groupNames(token['cognito:groups']);
  const staffRoles = knownRoles.filter((role) => role !== 'ranking' && groups.includes(role));

  if (groups.length === 0 && scopesOf(token.scope).includes(configuredRankingScope())) {
    return { sub: token.sub, name: token.name ?? null, roles: ['ranking'], unitId: null };
  }
  const unitId = token['custom:unitId'];
  if (unitId === undefined) {
    throw unauthenticated('The access token names no unit.', 'Access token không gắn với đơn vị nào.');
  }
  return { sub: token.sub, name: token.name ?? null, roles: staffRoles, unitId };
}

/** The principal handed to public routes: no roles, so no use case can mistake it for staff. */
export function anonymousPrincipal(): Principal {
  return { sub: 'anonymous', name: null, roles: [], unitId: null };
}

function configuredRankingScope(): string {
  return process.env.RANKING_SCOPE?.trim() || defaultRankingScope;
}

function scopesOf(scope: string | undefined): string[] {
  return scope ? scope.split(/\s+/).filter(Boolean) : [];
}

/** Group names from any of the three shapes the claim arrives in. */
function groupNames(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    // A JSON array serialised as a string also occurs (some proxies do that).
    const asJson = jsonStringArray.safeParse(tryJson(text));
    if (asJson.success) return asJson.data;
    return text
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
