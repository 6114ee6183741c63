/**
 * The roles the app reads from an access token decide which screens it offers (the inspector's,
 * the console, or "not allowed"): both forms of `cognito:groups` that API.md names are read.
 */
import { describe, expect, it } from 'vitest';
import { tokenClaims } from '../../../web/src/lib/claims.ts';

function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(payload)}.signature`;
}

describe('tokenClaims', () => {
  it('reads groups given as a JSON array, and the unit', () => {
    expect(tokenClaims(jwt({ 'cognito:groups': ['manager'], 'custom:unitId': 'nghe-an' }))).toEqual({
      roles: ['manager'],
      unitId: 'nghe-an',
    });
  });

  it("reads API Gateway's one-string form `[admin manager]`", () => {
    expect(tokenClaims(jwt({ 'cognito:groups': '[admin manager]' })).roles).toEqual(['admin', 'manager']);
  });

  it('keeps only the staff roles it knows, and reads names in Vietnamese (UTF-8) payloads', () => {
    const claims = tokenClaims(jwt({ 'cognito:groups': ['ranking', 'inspector', 'x'], name: 'Lê Thị Lan' }));
    expect(claims).toEqual({ roles: ['inspector'], unitId: null });
  });

  it('answers no roles for a token that is not a JWT', () => {
    expect(tokenClaims('not-a-token')).toEqual({ roles: [], unitId: null });
    expect(tokenClaims(jwt({}))).toEqual({ roles: [], unitId: null });
  });
});
