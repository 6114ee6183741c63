/** What the app reads from an access token to choose its screens (the API decides for itself). */

export type StaffRole = 'admin' | 'manager' | 'inspector';
const staffRoles: readonly StaffRole[] = ['admin', 'manager', 'inspector'];

/**
 * The claims of a JWT's payload, read without checking the signature (the API checks it): the
 * app only uses them to choose which screens to offer.
 */
export function tokenClaims(token: string): { roles: StaffRole[]; unitId: string | null } {
  let payload: unknown = null;
  try {
    const part = token.split('.')[1] ?? '';
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) =>
      c.charCodeAt(0),
    );
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    payload = null;
  }
  if (typeof payload !== 'object' || payload === null) return { roles: [], unitId: null };
  const groups = 'cognito:groups' in payload ? payload['cognito:groups'] : undefined;
  // A JSON array, or API Gateway's one-string form `[admin manager]` (API.md).
  const names = Array.isArray(groups)
    ? groups.filter((g): g is string => typeof g === 'string')
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  const unitId = 'custom:unitId' in payload ? payload['custom:unitId'] : undefined;
  return {
    roles: staffRoles.filter((role) => names.includes(role)),
    unitId: typeof unitId === 'string' && unitId.length > 0 ? unitId : null,
  };
}
