/**
 * Builds the whole CDK app: the stateful stack, the API stack and the cdk-nag checks. infra/app.ts
 * (the CLI's entry) and tests/infra use the same function, so tests check what deploys.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, type Environment } from 'aws-cdk-lib';
import type { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { addNagChecks } from './nag.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { WebStack } from './stacks/web-stack.ts';

/** Where `npm run build:web` writes the app (infra/app.ts builds it before synthesis). */
export const defaultWebDist = fileURLToPath(new URL('../web/dist/', import.meta.url));

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
  readonly web: WebStack;
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
  /** The built app to upload. @default web/dist */
  readonly webDist?: string;
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

  const webDist = options.webDist ?? defaultWebDist;
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(
      `${webDist} has no index.html: build the app first (npm run build:web; npm run synth does it)`,
    );
  }

  // Deploy order web -> data -> api: the data and API stacks import the app's domain (CORS, the
  // sign-in callback), and the API stack writes the runtime config into the app's bucket.
  const web = new WebStack(app, 'ParInspectWeb', {
    env,
    description: 'par-inspect: the inspector app (S3 behind CloudFront)',
    webDist,
    authDomainPrefix: config.authDomainPrefix,
  });
  // `allowedOrigins` only adds origins: the app's own is always allowed.
  const allowedOrigins = [web.origin, ...config.allowedOrigins];
  const stateful = new StatefulStack(app, 'ParInspectData', {
    env,
    description: 'par-inspect: table, files bucket, event bus, photo verifier',
    allowedOrigins,
  });
  const api = new ApiStack(app, 'ParInspectApi', {
    env,
    description: 'par-inspect: HTTP API, Cognito, workers, ranking delivery, alarms',
    table: stateful.table,
    bucket: stateful.bucket,
    eventBus: stateful.eventBus,
    verifier: stateful.verifier.function,
    verifierDeadLetters: stateful.verifierDeadLetters,
    allowedOrigins,
    records: config.records,
    ranking: {
      endpoint: config.rankingEndpoint,
      apiKeySecret: config.rankingApiKeySecret,
      apiKeyHeader: config.rankingApiKeyHeader,
    },
    authDomainPrefix: config.authDomainPrefix,
    alarmEmail: config.alarmEmail,
    web: { origin: web.origin, bucket: web.bucket },
  });
  const nag = addNagChecks(app);
  return { app, web, stateful, api, nag };
}
