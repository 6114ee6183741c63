/**
 * Staff accounts as the identity provider keeps them (Cognito in AWS, a local directory under
 * `npm start`): the account a person signs in with, its one role (a Cognito group) and its unit
 * (`custom:unitId`). The use cases keep the list of a scope's staff in the table (USER#, STAFF#,
 * EMAIL#); this port only does what the identity provider must.
 */

/** The roles a person can hold; `ranking` is a machine client, never an account. */
export const staffRoles = ['admin', 'manager', 'inspector'] as const;
export type StaffRole = (typeof staffRoles)[number];

export interface AccountInput {
  /** Lowercase; the sign-in name. */
  email: string;
  name: string;
  role: StaffRole;
  unitId: string;
}

export interface Account {
  /** The identity provider's stable ID (Cognito's `sub`): the `sub` claim of the person's tokens. */
  userId: string;
  email: string;
  name: string;
  /** The staff group the account is in; null if it is in none (created by hand). */
  role: StaffRole | null;
  unitId: string | null;
  enabled: boolean;
  /** The identity provider's account state (Cognito: FORCE_CHANGE_PASSWORD, CONFIRMED, ...). */
  status: string;
}

export interface IdentityDirectory {
  /**
   * Creates the account in its group with its unit and sends the invitation (a temporary
   * password); an account that already exists for the e-mail is returned as it is with
   * `created: false`, so a retry after a failure midway is harmless.
   */
  createAccount(input: AccountInput): Promise<{ account: Account; created: boolean }>;
  getAccount(userId: string): Promise<Account | null>;
  /** Moves the account to exactly one staff group, `role`. */
  setRole(userId: string, role: StaffRole): Promise<void>;
  setUnit(userId: string, unitId: string): Promise<void>;
  /** A disabled account cannot sign in, and its refresh tokens are revoked. */
  setEnabled(userId: string, enabled: boolean): Promise<void>;
  /** Removes the authenticator: the next sign-in asks to register one again. Signs the person out. */
  resetTotp(userId: string): Promise<void>;
  /** For the smoke test's own temporary user only. */
  deleteAccount(userId: string): Promise<void>;
}
