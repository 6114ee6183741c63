import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnauthenticatedError } from '#domain/errors.ts';
import { principalFromClaims } from '#http/principal.ts';
import { awsClaims } from '#local/apigw-event.ts';
import { rankingScope } from '#routes/integration.ts';

const staffClaims = {
  sub: 'u-1',
  token_use: 'access',
  'cognito:groups': ['manager', 'admin'],
  'custom:unitId': 'HN',
  name: 'Nguyễn Văn A',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('principalFromClaims', () => {
  it('reads groups given as a JSON array', () => {
    expect(principalFromClaims(staffClaims)).toEqual({
      sub: 'u-1',
      name: 'Nguyễn Văn A',
      roles: ['admin', 'manager'],
      unitId: 'HN',
    });
  });

  it("reads groups in API Gateway's string form", () => {
    const claims = awsClaims(staffClaims);
    expect(claims['cognito:groups']).toBe('[manager admin]');
    expect(principalFromClaims(claims).roles).toEqual(['admin', 'manager']);
  });

  it.each([
    ['inspector', ['inspector']],
    ['[inspector]', ['inspector']],
    ['["inspector","manager"]', ['manager', 'inspector']],
    ['[inspector auditors]', ['inspector']],
    ['[ranking]', []],
  ])('groups %s give roles %j', (groups, expected) => {
    expect(principalFromClaims({ ...staffClaims, 'cognito:groups': groups }).roles).toEqual(expected);
  });

  it('gives no roles, but a principal, to a token without groups', () => {
    const { 'cognito:groups': _, ...claims } = staffClaims;
    expect(principalFromClaims(claims)).toMatchObject({ roles: [], unitId: 'HN' });
  });

  it('makes name null when absent', () => {
    const { name: _, ...claims } = staffClaims;
    expect(principalFromClaims(claims).name).toBeNull();
  });

  it('refuses a staff token without custom:unitId (fail closed)', () => {
    const { 'custom:unitId': _, ...claims } = staffClaims;
    expect(() => principalFromClaims(claims)).toThrow(UnauthenticatedError);
    expect(() => principalFromClaims({ ...claims, 'custom:unitId': '  ' })).toThrow(UnauthenticatedError);
  });

  it('recognises the ranking client by its scope', () => {
    const claims = awsClaims({
      sub: 'ranking-client',
      token_use: 'access',
      client_id: 'ranking-client',
      scope: rankingScope,
    });
    expect(principalFromClaims(claims)).toEqual({
      sub: 'ranking-client',
      name: null,
      roles: ['ranking'],
      unitId: null,
    });
  });

  it('takes the ranking scope from RANKING_SCOPE', () => {
    vi.stubEnv('RANKING_SCOPE', 'ranking/read');
    const claims = { sub: 'c', token_use: 'access', scope: 'other ranking/read' };
    expect(principalFromClaims(claims).roles).toEqual(['ranking']);
    expect(() => principalFromClaims({ sub: 'c', token_use: 'access', scope: rankingScope })).toThrow(
      UnauthenticatedError,
    );
  });

  it('refuses a client token with another scope', () => {
    expect(() => principalFromClaims({ sub: 'c', token_use: 'access', scope: 'something/else' })).toThrow(
      UnauthenticatedError,
    );
  });

  it.each([
    ['no claims', undefined],
    ['an ID token', { ...staffClaims, token_use: 'id' }],
    ['no token_use', { sub: 'u-1', 'custom:unitId': 'HN', 'cognito:groups': ['admin'] }],
    ['no sub', { ...staffClaims, sub: undefined }],
    ['an empty sub', { ...staffClaims, sub: '' }],
    ['a numeric unit', { ...staffClaims, 'custom:unitId': 7 }],
  ])('refuses %s', (_, claims) => {
    expect(() => principalFromClaims(claims)).toThrow(UnauthenticatedError);
  });
});
