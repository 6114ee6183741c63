import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Access } from '#routes/table.ts';
import { type AccessTargets, accessStatements } from '../access.ts';
import {
  type BundledFile,
  bundleDefine,
  bundleMainFields,
  bundleTarget,
  copyCommands,
  requireBanner,
} from '../bundling.ts';
import { acknowledge, nagReference } from '../nag.ts';

/** The repository root: handler paths in the route table are relative to it. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ProjectFunctionProps {
  /** The handler module relative to the repository root (it exports `handler`). */
  readonly entry: string;
  /** What the handler touches, from the route table; the role gets exactly these actions. */
  readonly access: Access;
  /** The resources `access` refers to; required as soon as `access` declares anything. */
  readonly targets?: AccessTargets;
  /** Environment variables for the handler (configuration, never secrets). */
  readonly environment: Record<string, string>;
  /** One line shown in the console. */
  readonly description: string;
  /** @default 10 seconds: HTTP API integrations give up after 30 s anyway. */
  readonly timeout?: Duration;
  /** @default 512 MB: CPU scales with memory, and cold starts matter for phones. */
  readonly memorySize?: number;
  /** Where asynchronous invocations go after their retries fail (workers only). */
  readonly deadLetterQueue?: IQueue;
  /** How often Lambda retries a failed asynchronous invocation. @default 2 (Lambda's default) */
  readonly retryAttempts?: number;
  /** Files the handler reads at run time, copied into the bundle (infra/bundling.ts). */
  readonly bundledFiles?: readonly BundledFile[];
}

/**
 * The one way the project makes a Lambda function: Node 24 on arm64, ESM bundled by the local
 * esbuild (minified, with source maps), its own log group with retention, X-Ray tracing, and a
 * role of its own whose only statements are its log group, tracing and the route table's
 * `access` declaration.
 */
export class ProjectFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      // Function logs are operational, not records: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of the default one, which would carry the AWS managed
    // AWSLambdaBasicExecutionRole (logs on every log group of the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${id}: its log group, tracing and its route table access only`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const statements = props.targets ? accessStatements(props.access, props.targets) : [];
    if (!props.targets && Object.values(props.access).some((needs) => needs.length > 0)) {
      throw new Error(`${id} declares access but was given no resources to grant it on`);
    }
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repoRoot, props.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      ...(props.retryAttempts !== undefined ? { retryAttempts: props.retryAttempts } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: bundleTarget,
        minify: true,
        sourceMap: true,
        // Stack traces need file and line, not the sources: keeps the bundles small.
        sourcesContent: false,
        mainFields: bundleMainFields,
        banner: requireBanner,
        define: { ...bundleDefine },
        // Bundle the AWS SDK too: the project pins every @aws-sdk package to one exact version,
        // and the runtime's copy may be older or newer.
        externalModules: [],
        ...(props.bundledFiles?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  copyCommands(inputDir, outputDir, props.bundledFiles ?? []),
              },
            }
          : {}),
      },
    });

    // X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions.
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Only for X-Ray PutTraceSegments/PutTelemetryRecords (added by active tracing): X-Ray has no resource-level permissions.',
    );
    const targets = props.targets;
    if (targets && props.access.bucket?.length) {
      // The finding names the bucket ARN as the template finally spells it: an Fn::ImportValue
      // once the bucket comes from another stack, which is only known after cross-stack
      // references are resolved. Node validations run at that point, before cdk-nag does.
      this.node.addValidation({
        validate: () => {
          acknowledge(
            this.role,
            `AwsSolutions-IAM5[Resource::${nagReference(this, `${targets.bucketArn}/*`)}]`,
            'Photo and export object keys are generated per object, so object actions need the bucket ARN with /*; the actions themselves are listed explicitly.',
          );
          return [];
        },
      });
    }
  }
}
