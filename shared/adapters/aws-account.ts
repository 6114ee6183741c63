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
