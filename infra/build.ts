/**
 * Builds the whole CDK app: the stateful stack, the API stack and the cdk-nag checks. infra/app.ts
 * (the CLI's entry) and tests/infra use the same function, so tests check what deploys.
 */
import { App, type AppProps, type Environment } from 'aws-cdk-lib';
import type { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { addNagChecks } from './nag.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';

/** Feature flags this app relies on, set in code so that tests and the CLI agree. */
export const featureFlags = {
  // Access logs are delivered by a bucket policy, which works with ACLs disabled.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
  // The API stack imports the table, bucket and bus by CloudFormation exports: keep them
  // protected (a stack cannot delete what another still uses), and say so explicitly.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

export interface ParInspectApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
  readonly nag: AwsSolutionsChecks;
}

export interface BuildOptions {
  /** Extra context (the CLI passes cdk.json and -c values through the environment instead). */
  readonly context?: Record<string, unknown>;
  /** @default from CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, or environment-agnostic */
  readonly env?: Environment;
  /** Where to write the cloud assembly (tests use a temporary directory). */
  readonly outdir?: string;
}

export function buildApp(options: BuildOptions = {}): ParInspectApp {
  const appProps: AppProps = {
    context: { ...featureFlags, ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  };
  const app = new App(appProps);
  const config = readConfig(app.node);
  const env: Environment = options.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };

  const stateful = new StatefulStack(app, 'ParInspectData', {
    env,
    description: 'par-inspect: table, files bucket, event bus, photo verifier',
    allowedOrigins: config.allowedOrigins,
  });
  const api = new ApiStack(app, 'ParInspectApi', {
    env,
    description: 'par-inspect: HTTP API, Cognito, workers, ranking delivery, alarms',
    table: stateful.table,
    bucket: stateful.bucket,
    eventBus: stateful.eventBus,
    verifier: stateful.verifier.function,
    verifierDeadLetters: stateful.verifierDeadLetters,
    allowedOrigins: config.allowedOrigins,
    ranking: {
      endpoint: config.rankingEndpoint,
      apiKeySecret: config.rankingApiKeySecret,
      apiKeyHeader: config.rankingApiKeyHeader,
    },
    authDomainPrefix: config.authDomainPrefix,
    alarmEmail: config.alarmEmail,
  });
  const nag = addNagChecks(app);
  return { app, stateful, api, nag };
}
