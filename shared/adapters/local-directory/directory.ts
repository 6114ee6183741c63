/**
 * The identity directory of local mode and the tests: the same port as Cognito's
 * (shared/adapters/cognito/directory.ts), over one JSON file (`LOCAL_DIRECTORY_FILE`, in the
 * data folder under npm start), so the staff routes run there exactly as in AWS and the local
 * sign-in (`/local/sign-in?email=`) signs in the people it knows. Every change reads and
 * rewrites the file synchronously: one process's requests never interleave inside one, and the
 * rename makes each write whole.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import { staffRoles } from '#domain/staff.ts';
import type { Account, AccountInput, IdentityDirectory, StaffRole } from '#ports/staff.ts';

const accountSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.nullable(z.enum(staffRoles)),
  unitId: z.nullable(z.string()),
  enabled: z.boolean(),
  status: z.string(),
  /** How many times the authenticator was reset (local mode has no TOTP: a visible trace). */
  totpResets: z._default(z.number(), 0),
});
type StoredAccount = z.infer<typeof accountSchema>;

const fileSchema = z.object({ accounts: z.array(accountSchema) });

export class LocalDirectory implements IdentityDirectory {
  constructor(private readonly file: string) {}

  /** Every account, for the local sign-in page. */
  accounts(): StoredAccount[] {
    return this.read();
  }

  async createAccount(input: AccountInput): Promise<{ account: Account; created: boolean }> {
    const accounts = this.read();
    const existing = accounts.find((account) => account.email === input.email);
    if (existing) return { account: view(existing), created: false };
    // As in a new Cognito account: a temporary password to change at first sign-in.
    const account: StoredAccount = {
      userId: randomUUID(),
      ...input,
      enabled: true,
      status: 'FORCE_CHANGE_PASSWORD',
      totpResets: 0,
    };
    this.write([...accounts, account]);
    return { account: view(account), created: true };
  }

  async getAccount(userIdOrEmail: string): Promise<Account | null> {
    const found = this.read().find(
      (account) => account.userId === userIdOrEmail || account.email === userIdOrEmail,
    );
    return found ? view(found) : null;
  }

  async setRole(userId: string, role: StaffRole): Promise<void> {
    this.change(userId, (account) => ({ ...account, role }));
  }

  async setUnit(userId: string, unitId: string): Promise<void> {
    this.change(userId, (account) => ({ ...account, unitId }));
  }

  async setName(userId: string, name: string): Promise<void> {
    this.change(userId, (account) => ({ ...account, name }));
  }

  async setEnabled(userId: string, enabled: boolean): Promise<void> {
    this.change(userId, (account) => ({ ...account, enabled }));
  }

  async resetTotp(userId: string): Promise<void> {
    this.change(userId, (account) => ({ ...account, totpResets: account.totpResets + 1 }));
  }

  async deleteAccount(userId: string): Promise<void> {
    this.write(this.read().filter((account) => account.userId !== userId));
  }

  private change(userId: string, how: (account: StoredAccount) => StoredAccount): void {
    const accounts = this.read();
    const index = accounts.findIndex((account) => account.userId === userId);
    const account = accounts[index];
    // Cognito's UserNotFoundException: the record names an account the directory lost.
    if (!account) throw new Error(`The local directory has no account ${userId}`);
    accounts[index] = how(account);
    this.write(accounts);
  }

  private read(): StoredAccount[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    return fileSchema.parse(JSON.parse(text)).accounts;
  }

  private write(accounts: StoredAccount[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ accounts }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

function view(account: StoredAccount): Account {
  const { totpResets: _resets, ...rest } = account;
  return rest;
}
