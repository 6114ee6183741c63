/**
 * The Cognito directory over a stubbed client: which admin calls it makes, with what, and how it
 * answers a retry (the account already there) and a missing account.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CognitoDirectory } from '#adapters/cognito/directory.ts';

type Sent = { name: string; input: Record<string, unknown> };

function stubClient(answer: (command: { constructor: { name: string }; input: unknown }) => unknown) {
  const sent: Sent[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      sent.push({ name: command.constructor.name, input: command.input });
      return answer(command);
    },
  };
  return { client: client as unknown as CognitoIdentityProviderClient, sent };
}

const user = {
  UserAttributes: [
    { Name: 'sub', Value: 'sub-1' },
    { Name: 'email', Value: 'lan@example.gov.vn' },
    { Name: 'name', Value: 'Lê Thị Lan' },
    { Name: 'custom:unitId', Value: 'nghe-an' },
  ],
  Enabled: true,
  UserStatus: 'CONFIRMED',
};

describe('CognitoDirectory', () => {
  it('creates the account by e-mail with its unit, then puts it in exactly its group', async () => {
    const { client, sent } = stubClient((command) => {
      if (command instanceof AdminCreateUserCommand)
        return {
          User: {
            Attributes: [{ Name: 'sub', Value: 'sub-1' }],
            Enabled: true,
            UserStatus: 'FORCE_CHANGE_PASSWORD',
          },
        };
      if (command instanceof AdminListGroupsForUserCommand) return { Groups: [{ GroupName: 'admin' }] };
      return {};
    });
    const result = await new CognitoDirectory(client, 'pool-1').createAccount({
      email: 'lan@example.gov.vn',
      name: 'Lê Thị Lan',
      role: 'admin',
      unitId: 'nghe-an',
    });
    expect(result).toMatchObject({
      created: true,
      account: { userId: 'sub-1', role: 'admin', unitId: 'nghe-an' },
    });
    expect(sent[0]).toEqual({
      name: 'AdminCreateUserCommand',
      input: expect.objectContaining({
        UserPoolId: 'pool-1',
        Username: 'lan@example.gov.vn',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: expect.arrayContaining([{ Name: 'custom:unitId', Value: 'nghe-an' }]),
      }),
    });
    expect(sent[1]).toEqual({
      name: 'AdminAddUserToGroupCommand',
      input: { UserPoolId: 'pool-1', Username: 'sub-1', GroupName: 'admin' },
    });
  });

  it('answers a retry with the account that is already there, unchanged', async () => {
    const { client, sent } = stubClient((command) => {
      if (command instanceof AdminCreateUserCommand)
        throw new UsernameExistsException({ message: 'exists', $metadata: {} });
      if (command instanceof AdminGetUserCommand) return user;
      if (command instanceof AdminListGroupsForUserCommand) return { Groups: [{ GroupName: 'manager' }] };
      return {};
    });
    const result = await new CognitoDirectory(client, 'pool-1').createAccount({
      email: 'lan@example.gov.vn',
      name: 'Lê Thị Lan',
      role: 'admin',
      unitId: 'nghe-an',
    });
    expect(result).toMatchObject({
      created: false,
      account: { userId: 'sub-1', role: 'manager', status: 'CONFIRMED' },
    });
    expect(sent.some((call) => call.name === AdminAddUserToGroupCommand.name)).toBe(false);
  });

  it('changes role by adding the new group before removing the others', async () => {
    const { client, sent } = stubClient((command) =>
      command instanceof AdminListGroupsForUserCommand
        ? { Groups: [{ GroupName: 'inspector' }, { GroupName: 'manager' }] }
        : {},
    );
    await new CognitoDirectory(client, 'pool-1').setRole('sub-1', 'manager');
    expect(sent.map((call) => [call.name, call.input.GroupName])).toEqual([
      ['AdminAddUserToGroupCommand', 'manager'],
      ['AdminListGroupsForUserCommand', undefined],
      [AdminRemoveUserFromGroupCommand.name, 'inspector'],
    ]);
  });

  it('resets TOTP by turning the software token off and signing the person out', async () => {
    const { client, sent } = stubClient(() => ({}));
    await new CognitoDirectory(client, 'pool-1').resetTotp('sub-1');
    expect(sent).toEqual([
      {
        name: AdminSetUserMFAPreferenceCommand.name,
        input: {
          UserPoolId: 'pool-1',
          Username: 'sub-1',
          SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
        },
      },
      { name: AdminUserGlobalSignOutCommand.name, input: { UserPoolId: 'pool-1', Username: 'sub-1' } },
    ]);
  });

  it('answers null for an account that does not exist', async () => {
    const { client } = stubClient(() => {
      throw new UserNotFoundException({ message: 'no', $metadata: {} });
    });
    expect(await new CognitoDirectory(client, 'pool-1').getAccount('nobody')).toBeNull();
  });
});
