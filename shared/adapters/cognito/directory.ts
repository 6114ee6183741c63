/**
 * Staff accounts in the Cognito user pool, through its admin APIs only. The pool signs people in
 * by e-mail (the e-mail is an alias and Cognito's `sub` is the username), so every call after
 * creation names the account by its `sub`, the `sub` claim of its tokens.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type Account,
  type AccountInput,
  type IdentityDirectory,
  type StaffRole,
  staffRoles,
} from '#ports/staff.ts';

const attribute = (attributes: AttributeType[] | undefined, name: string): string | undefined =>
  attributes?.find((each) => each.Name === name)?.Value;

export class CognitoDirectory implements IdentityDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async createAccount(input: AccountInput): Promise<{ account: Account; created: boolean }> {
    try {
      const created = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: input.email,
          UserAttributes: [
            { Name: 'email', Value: input.email },
            // Staff addresses are the province's own: an administrator vouches for them.
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: input.name },
            { Name: 'custom:unitId', Value: input.unitId },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      const userId = attribute(created.User?.Attributes, 'sub');
      if (!userId) throw new Error('Cognito created the account without a sub');
      await this.setRole(userId, input.role);
      return {
        account: {
          userId,
          email: input.email,
          name: input.name,
          role: input.role,
          unitId: input.unitId,
          enabled: created.User?.Enabled ?? true,
          status: created.User?.UserStatus ?? 'FORCE_CHANGE_PASSWORD',
        },
        created: true,
      };
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
      // A retry, or the account was made by hand: answer it as it is (the caller compares).
      const existing = await this.getAccount(input.email);
      if (!existing) throw error;
      return { account: existing, created: false };
    }
  }

  async getAccount(userId: string): Promise<Account | null> {
    try {
      const user = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: userId }),
      );
      const groups = await this.groupsOf(userId);
      return {
        userId: attribute(user.UserAttributes, 'sub') ?? userId,
        email: attribute(user.UserAttributes, 'email') ?? '',
        name: attribute(user.UserAttributes, 'name') ?? '',
        role: staffRoles.find((role) => groups.includes(role)) ?? null,
        unitId: attribute(user.UserAttributes, 'custom:unitId') ?? null,
        enabled: user.Enabled ?? false,
        status: user.UserStatus ?? 'UNKNOWN',
      };
    } catch (error) {
      if (error instanceof UserNotFoundException) return null;
      throw error;
    }
  }

  async setRole(userId: string, role: StaffRole): Promise<void> {
    // Add first: a failure midway leaves the person with both roles, never with none.
    await this.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: userId, GroupName: role }),
    );
    for (const group of await this.groupsOf(userId)) {
      if (group !== role && (staffRoles as readonly string[]).includes(group)) {
        await this.client.send(
          new AdminRemoveUserFromGroupCommand({
            UserPoolId: this.userPoolId,
            Username: userId,
            GroupName: group,
          }),
        );
      }
    }
  }

  async setUnit(userId: string, unitId: string): Promise<void> {
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: this.userPoolId,
        Username: userId,
        UserAttributes: [{ Name: 'custom:unitId', Value: unitId }],
      }),
    );
  }

  async setName(userId: string, name: string): Promise<void> {
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: this.userPoolId,
        Username: userId,
        UserAttributes: [{ Name: 'name', Value: name }],
      }),
    );
  }

  async setEnabled(userId: string, enabled: boolean): Promise<void> {
    if (enabled) {
      await this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
      return;
    }
    await this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
    await this.signOut(userId);
  }

  async resetTotp(userId: string): Promise<void> {
    // Cognito has no call that deletes an authenticator: turning TOTP off for the user, in a pool
    // where MFA is required, makes the next sign-in ask for a new one (MFA_SETUP).
    await this.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: this.userPoolId,
        Username: userId,
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    await this.signOut(userId);
  }

  async deleteAccount(userId: string): Promise<void> {
    try {
      await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
    } catch (error) {
      if (!(error instanceof UserNotFoundException)) throw error;
    }
  }

  private async signOut(userId: string): Promise<void> {
    await this.client.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: userId }),
    );
  }

  private async groupsOf(userId: string): Promise<string[]> {
    const groups = await this.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: userId, Limit: 60 }),
    );
    return (groups.Groups ?? []).flatMap((group) => (group.GroupName ? [group.GroupName] : []));
  }
}
