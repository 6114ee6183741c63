import { type CfnElement, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RecordSettings } from '#domain/record.ts';
import { workers } from '#routes/table.ts';
import type { AccessTargets } from '../access.ts';
import { ApiRoutes } from '../constructs/api-routes.ts';
import { Auth } from '../constructs/auth.ts';
import { HttpApiFront } from '../constructs/http-api.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import type { ProjectFunction } from '../constructs/project-function.ts';
import { RankingDelivery as RankingDeliveryGroup } from '../constructs/ranking-delivery.ts';
import { WebConfig } from '../constructs/web-config.ts';
import { Workers, workersId } from '../constructs/workers.ts';
import { functionEnvironment } from '../environment.ts';
import { logicalIdSkippingGroups } from '../logical-ids.ts';
import { acknowledgeBucketDeployment } from './web-stack.ts';

export { corsAllowHeaders, corsExposeHeaders, stageThrottle } from '../constructs/http-api.ts';
export {
  eventSource,
  exportRequestedType,
  scheduleRate,
  scoresPublishedType,
} from '../constructs/workers.ts';

/** Where ScoresPublished events are delivered. */
export interface RankingDelivery {
  /** The ranking system's HTTPS endpoint. */
  readonly endpoint: string;
  /** Name or ARN of the Secrets Manager secret whose value is the API key. */
  readonly apiKeySecret: string;
  /** The header that carries the key. */
  readonly apiKeyHeader: string;
}

export interface ApiStackProps extends StackProps {
  /** The table every route reads or writes (from the stateful stack). */
  readonly table: ITableV2;
  /** The files bucket (photos and exports). */
  readonly bucket: IBucket;
  /** The project's event bus. */
  readonly eventBus: IEventBus;
  /** The photo verifier (it lives beside the bucket); alarmed here with the others. */
  readonly verifier: IFunction;
  /** The verifier's dead-letter queue. */
  readonly verifierDeadLetters: IQueue;
  /** Browser origins allowed by CORS; none configured means browsers are refused. */
  readonly allowedOrigins: readonly string[];
  /** The agency named on inspection records. */
  readonly records?: RecordSettings;
  /** Where and how ScoresPublished reaches the ranking system. */
  readonly ranking: RankingDelivery;
  /** The Cognito domain prefix. @default `par-inspect-<account>` */
  readonly authDomainPrefix?: string | undefined;
  /** Email address for alarm notifications. */
  readonly alarmEmail?: string | undefined;
  /** The web app's origin (sign-in callback) and bucket (runtime config), from the web stack. */
  readonly web: { readonly origin: string; readonly bucket: IBucket };
}

/**
 * Everything that serves requests: the HTTP API with one function per route of the route table,
 * Cognito, the export worker, the scheduled outbox sweeper, delivery of ScoresPublished to the
 * ranking system, alarms and the dashboard. Its one stateful resource is the user pool (staff
 * accounts): it is retained, deletion-protected, and its logical ID is pinned by tests/infra.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly auth: Auth;
  /** The `$default` route's problem+json 404. */
  readonly notFound: ProjectFunction;
  /** The function of each route and worker in this stack, by route or worker name. */
  readonly functions = new Map<string, ProjectFunction>();
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    const targets: AccessTargets = {
      tableArn: props.table.tableArn,
      bucketArn: props.bucket.bucketArn,
      eventBusArn: props.eventBus.eventBusArn,
    };
    const environment = functionEnvironment({
      tableName: props.table.tableName,
      bucketName: props.bucket.bucketName,
      eventBusName: props.eventBus.eventBusName,
      allowedOrigins: props.allowedOrigins,
      ...(props.records ? { records: props.records } : {}),
    });

    this.auth = new Auth(this, 'Auth', { domainPrefix: props.authDomainPrefix, appOrigin: props.web.origin });
    const front = new HttpApiFront(this, 'Front', { allowedOrigins: props.allowedOrigins });
    this.api = front.api;
    this.notFound = front.notFound;
    const apiRoutes = new ApiRoutes(this, 'Routes', { api: this.api, auth: this.auth, targets, environment });
    const apiWorkers = new Workers(this, workersId, { eventBus: props.eventBus, targets, environment });
    const ranking = new RankingDeliveryGroup(this, 'RankingDelivery', {
      eventBus: props.eventBus,
      ...props.ranking,
    });
    new WebConfig(this, 'WebConfig', {
      bucket: props.web.bucket,
      apiBaseUrl: this.api.apiEndpoint,
      userPoolId: this.auth.userPool.userPoolId,
      clientId: this.auth.peopleClient.userPoolClientId,
      cognitoDomainUrl: this.auth.domainUrl,
    });
    acknowledgeBucketDeployment(this, props.web.bucket);
    for (const [name, fn] of apiRoutes.functions) this.functions.set(name, fn);
    for (const worker of apiWorkers.all) this.functions.set(worker.name, worker.fn);

    const verifierName =
      workers.find((worker) => worker.trigger === 'photo-object-created')?.name ?? 'verifyPhoto';
    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: this.api,
      functions: [
        ...[...apiRoutes.functions].map(([name, fn]) => ({ name, fn: fn.function })),
        { name: 'notFound', fn: this.notFound.function },
        { name: 'preToken', fn: this.auth.preTokenFunction.function },
      ],
      workers: [
        { name: verifierName, fn: props.verifier },
        ...apiWorkers.all.map(({ name, fn }) => ({ name, fn: fn.function })),
      ],
      deadLetterQueues: [
        { name: 'VerifierDeadLetters', queue: props.verifierDeadLetters },
        { name: apiWorkers.exporter.deadLettersName, queue: apiWorkers.exporter.deadLetters },
        { name: apiWorkers.recorder.deadLettersName, queue: apiWorkers.recorder.deadLetters },
        { name: 'RankingDeadLetters', queue: ranking.deadLetters },
        ...apiWorkers.scheduled.map(({ deadLettersName, deadLetters }) => ({
          name: deadLettersName,
          queue: deadLetters,
        })),
      ],
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL (routes start with /v1)',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'PeopleClientId', { value: this.auth.peopleClient.userPoolClientId });
    new CfnOutput(this, 'RankingClientId', { value: this.auth.rankingClient.userPoolClientId });
    new CfnOutput(this, 'TokenEndpoint', { value: `${this.auth.domainUrl}/oauth2/token` });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    // What `npm run dead-letters -- --aws` needs: the queue to read and the bus to replay onto.
    new CfnOutput(this, 'RankingDeadLettersUrl', {
      value: ranking.deadLetters.queueUrl,
      description: 'ScoresPublished events the ranking system did not accept (npm run dead-letters)',
    });
    new CfnOutput(this, 'EventBusName', { value: props.eventBus.eventBusName });
    // What `npm run provision` writes to with the operator's credentials (the use cases directly).
    new CfnOutput(this, 'TableName', { value: props.table.tableName });
    new CfnOutput(this, 'BucketName', { value: props.bucket.bucketName });
  }

  /** The function of a route or worker of this stack. */
  functionOf(name: string): ProjectFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`No function named ${name} in ${this.stackName}`);
    return fn;
  }

  /** Logical IDs skip `LogicalGroup`s: see infra/logical-ids.ts. */
  protected override allocateLogicalId(element: CfnElement): string {
    return logicalIdSkippingGroups(element);
  }
}
