/**
 * Staff accounts as the identity provider keeps them (Cognito in AWS, a local directory under
 * `npm start`): the account a person signs in with, its one role (a Cognito group) and its unit
 * (`custom:unitId`). The use cases keep the list of a scope's staff in the table (USER#, STAFF#,
 * EMAIL#); this port only does what the identity provider must.
 */

import type { StaffRole } from '#domain/staff.ts';
import type { AuditEntry, Page, PageRequest } from './records.ts';

/** The roles a person can hold; `ranking` is a machine client, never an account. */
export { type StaffRole, staffRoles } from '#domain/staff.ts';

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
  setName(userId: string, name: string): Promise<void>;
  /** A disabled account cannot sign in, and its refresh tokens are revoked. */
  setEnabled(userId: string, enabled: boolean): Promise<void>;
  /** Removes the authenticator: the next sign-in asks to register one again. Signs the person out. */
  resetTotp(userId: string): Promise<void>;
  /** For the smoke test's own temporary user only. */
  deleteAccount(userId: string): Promise<void>;
}

/**
 * A staff member as the table keeps them (`USER#<userId>`): what lists and scope checks read
 * without calling the identity provider, which the use cases keep in step with it.
 */
export interface StaffRecord {
  userId: string;
  email: string;
  name: string;
  role: StaffRole;
  unitId: string;
  /** The unit's path from the root: the staff list of any subtree is one Query on it. */
  unitPath: string[];
  enabled: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  etag: string;
}

export interface StaffStore {
  getStaff(userId: string, consistent?: boolean): Promise<StaffRecord | null>;
  /** The records of these IDs that exist (one BatchGet). */
  getStaffMany(userIds: readonly string[]): Promise<StaffRecord[]>;
  /** Who holds an e-mail address (`EMAIL#<email>`), if anyone. */
  staffIdByEmail(email: string, consistent?: boolean): Promise<string | null>;
  /** The staff of the subtree of the unit at `depth`, by role then ID; `role` narrows it. */
  listStaff(
    filter: { unitId: string; depth: number; role?: StaffRole | undefined },
    page: PageRequest,
  ): Promise<Page<StaffRecord>>;
  /**
   * Creates (expectedEtag null: the record and its e-mail's claim, both new) or replaces the
   * record with its audit entries, in one transaction. @throws StaleWriteError
   */
  saveStaff(record: StaffRecord, expectedEtag: string | null, audit: AuditEntry[]): Promise<void>;
  /** An audit entry alone (an action that changes the account, not the record: TOTP reset). */
  addAudit(userId: string, entry: AuditEntry): Promise<void>;
  history(userId: string): Promise<AuditEntry[]>;
}
