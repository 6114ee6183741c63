/** The TOTP codes the smoke test answers Cognito with: RFC 6238's own test vectors (SHA-1). */
import { describe, expect, it } from 'vitest';
import { totpCode } from '#adapters/cognito/srp-sign-in.ts';

// RFC 6238 appendix B: the ASCII secret "12345678901234567890", here in base32 as Cognito gives secrets.
const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totpCode', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('at %i s gives the last six digits of the RFC vector (%s)', (seconds, code) => {
    expect(totpCode(secret, new Date(seconds * 1000))).toBe(code);
  });
});
