/**
 * What the operator scripts (`npm run provision`, `npm run smoke`) read about a deployment with
 * the caller's own credentials: who the caller is, and the stacks' outputs.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** The ARN of the principal the credentials belong to (a role session, a user). */
export async function callerArn(): Promise<string> {
  const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  if (!identity.Arn) throw new Error('STS returned no caller ARN');
  return identity.Arn;
}

/** A stack's outputs by key; a missing stack is an error that names it. */
export async function stackOutputs(stackName: string): Promise<Record<string, string>> {
  const result = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = result.Stacks?.[0];
  if (!stack) throw new Error(`stack ${stackName} not found in this account and region`);
  return Object.fromEntries(
    (stack.Outputs ?? []).flatMap((output) =>
      output.OutputKey && output.OutputValue !== undefined ? [[output.OutputKey, output.OutputValue]] : [],
    ),
  );
}

/** The ranking client's secret (the pool's confidential client for client credentials). */
export async function userPoolClientSecret(userPoolId: string, clientId: string): Promise<string> {
  const { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } = await import(
    '@aws-sdk/client-cognito-identity-provider'
  );
  const result = await new CognitoIdentityProviderClient({}).send(
    new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
  );
  const secret = result.UserPoolClient?.ClientSecret;
  if (!secret) throw new Error(`client ${clientId} has no secret`);
  return secret;
}

/**
 * A temporary account for the smoke test: created without an invitation e-mail, with a
 * permanent random password, in one group and unit. Deleted by the caller afterwards.
 */
export async function createSmokeUser(input: {
  userPoolId: string;
  email: string;
  password: string;
  role: string;
  unitId: string;
}): Promise<void> {
  const {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
  } = await import('@aws-sdk/client-cognito-identity-provider');
  const client = new CognitoIdentityProviderClient({});
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: input.userPoolId,
      Username: input.email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: input.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'par-inspect smoke test' },
        { Name: 'custom:unitId', Value: input.unitId },
      ],
    }),
  );
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: input.userPoolId,
      Username: input.email,
      Password: input.password,
      Permanent: true,
    }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({
      UserPoolId: input.userPoolId,
      Username: input.email,
      GroupName: input.role,
    }),
  );
}

/** Deletes an account by its username or e-mail; a missing one is fine. */
export async function deleteUser(userPoolId: string, username: string): Promise<void> {
  const { AdminDeleteUserCommand, CognitoIdentityProviderClient, UserNotFoundException } = await import(
    '@aws-sdk/client-cognito-identity-provider'
  );
  try {
    await new CognitoIdentityProviderClient({}).send(
      new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }),
    );
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
  }
}

/** Puts one event on the project's bus, as the API does (same source), and fails if refused. */
export async function putBusEvent(busName: string, detailType: string, detail: unknown): Promise<void> {
  const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
  const { eventSource } = await import('#routes/integration.ts');
  const result = await new EventBridgeClient({}).send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busName,
          Source: eventSource,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  if ((result.FailedEntryCount ?? 0) > 0) {
    throw new Error(`the bus refused the event: ${result.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
  }
}
