import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  ApiDestination,
  Authorization,
  Connection,
  HttpMethod as DestinationMethod,
  type IEventBus,
  Rule,
  Schedule,
} from 'aws-cdk-lib/aws-events';
import { ApiDestination as ApiDestinationTarget, LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type RouteDefinition, routes, workers } from '#routes/table.ts';
import type { AccessTargets } from '../access.ts';
import { Auth } from '../constructs/auth.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { ProjectFunction } from '../constructs/project-function.ts';
import { functionEnvironment } from '../environment.ts';
import { acknowledge } from '../nag.ts';
import { deadLetterQueue } from './stateful-stack.ts';

/** The event that starts an export and the one the ranking system receives. */
export const eventSource = 'par-inspect';
export const exportRequestedType = 'ExportRequested';
export const scoresPublishedType = 'ScoresPublished';

/** How often EventBridge runs the route table's `schedule` workers (the outbox sweeper). */
export const scheduleRate = Duration.minutes(5);

/** Steady-state and burst limits for the whole stage (requests per second). */
export const stageThrottle = { rateLimit: 100, burstLimit: 200 } as const;

/** Request headers browsers may send, and response headers their scripts may read (API.md). */
export const corsAllowHeaders = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'Idempotency-Key',
  'Accept-Language',
];
export const corsExposeHeaders = ['ETag', 'Retry-After'];

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
  /** Where and how ScoresPublished reaches the ranking system. */
  readonly ranking: RankingDelivery;
  /** The Cognito domain prefix. @default `par-inspect-<account>` */
  readonly authDomainPrefix?: string | undefined;
  /** Email address for alarm notifications. */
  readonly alarmEmail?: string | undefined;
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
    });

    this.auth = new Auth(this, 'Auth', { domainPrefix: props.authDomainPrefix });

    this.notFound = new ProjectFunction(this, 'NotFound', {
      entry: 'functions/fallback/not-found.ts',
      access: {},
      environment: {},
      description: 'Answers unmatched routes with a problem+json 404',
      memorySize: 256,
    });
    const notFound = this.notFound;

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'par-inspect API v1',
      // No default authorizer: each route states its own, so a public route is a visible choice.
      defaultIntegration: new HttpLambdaIntegration('NotFoundIntegration', notFound.function),
      createDefaultStage: false,
      ...(props.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...props.allowedOrigins],
              allowHeaders: corsAllowHeaders,
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.PUT,
                CorsHttpMethod.POST,
                CorsHttpMethod.PATCH,
                CorsHttpMethod.DELETE,
                CorsHttpMethod.OPTIONS,
              ],
              exposeHeaders: corsExposeHeaders,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: stageThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
            clientId: '$context.authorizer.claims.client_id',
          }),
        ),
      },
    });

    // The `iss` of Cognito tokens (the pool's ProviderURL attribute lacks the https:// scheme).
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.auth.userPool.userPoolId}`;
    // Staff routes accept only tokens issued to the people client (Cognito access tokens carry
    // client_id, which the authorizer matches against the audience).
    const staffAuthorizer = new HttpJwtAuthorizer('StaffAuthorizer', issuer, {
      jwtAudience: [this.auth.peopleClient.userPoolClientId],
    });
    // Publication reads also accept the ranking client, which can only ever be issued the
    // publications.read scope: its tokens carry exactly the ranking scope.
    const publicationReadAuthorizer = new HttpJwtAuthorizer('PublicationReadAuthorizer', issuer, {
      jwtAudience: [this.auth.peopleClient.userPoolClientId, this.auth.rankingClient.userPoolClientId],
    });
    const authorizerFor = (route: RouteDefinition): IHttpRouteAuthorizer | undefined => {
      if (route.roles === 'public') return undefined;
      return route.roles.includes('ranking') ? publicationReadAuthorizer : staffAuthorizer;
    };

    const functionsScope = new Construct(this, 'Routes');
    const allRoutes: readonly RouteDefinition[] = routes;
    for (const route of allRoutes) {
      const fn = new ProjectFunction(functionsScope, route.name, {
        entry: route.handler,
        access: route.access,
        targets,
        environment,
        description: `${route.method} ${route.path}: ${route.summary}`,
      });
      this.functions.set(route.name, fn);
      const authorizer = authorizerFor(route);
      const created = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.function),
        ...(authorizer ? { authorizer } : {}),
      });
      if (!authorizer) {
        for (const publicRoute of created) {
          acknowledge(
            publicRoute,
            'AwsSolutions-APIG4',
            `${route.method} ${route.path} is public by API.md (liveness and the OpenAPI document); its function has no data access.`,
          );
        }
      }
    }

    // Exports: POST /v1/exports emits ExportRequested, this worker writes the CSV.
    const runExport = workers.find((worker) => worker.trigger === 'export-requested');
    if (!runExport) throw new Error('The route table has no export-requested worker');
    const exportDeadLetters = deadLetterQueue(this, 'ExportDeadLetters');
    const exporter = new ProjectFunction(this, runExport.name, {
      entry: runExport.handler,
      access: runExport.access,
      targets,
      environment,
      description: runExport.summary,
      // Pages through findings and streams a multipart upload: large exports take minutes.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      deadLetterQueue: exportDeadLetters,
    });
    this.functions.set(runExport.name, exporter);
    new Rule(this, 'ExportRequestedRule', {
      eventBus: props.eventBus,
      description: 'Runs the findings export worker',
      eventPattern: { source: [eventSource], detailType: [exportRequestedType] },
      targets: [
        new LambdaFunction(exporter.function, {
          deadLetterQueue: exportDeadLetters,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });

    // Scheduled workers (the ScoresPublished outbox sweeper): a rule on the default bus, where
    // schedules live, invokes each one every few minutes.
    const scheduled = workers
      .filter((worker) => worker.trigger === 'schedule')
      .map((worker) => {
        const id = worker.name.charAt(0).toUpperCase() + worker.name.slice(1);
        const deadLetters = deadLetterQueue(this, `${id}DeadLetters`);
        const fn = new ProjectFunction(this, worker.name, {
          entry: worker.handler,
          access: worker.access,
          targets,
          environment,
          description: worker.summary,
          // One bounded page of sends; far below the interval, so two sweeps never overlap.
          timeout: Duration.minutes(2),
          deadLetterQueue: deadLetters,
          // The next scheduled run is the retry: a failed sweep loses nothing (the outbox keeps it).
          retryAttempts: 0,
        });
        this.functions.set(worker.name, fn);
        new Rule(this, `${id}Schedule`, {
          description: `Runs ${worker.name} every ${scheduleRate.toMinutes()} minutes`,
          schedule: Schedule.rate(scheduleRate),
          targets: [
            new LambdaFunction(fn.function, {
              deadLetterQueue: deadLetters,
              retryAttempts: 2,
              // A sweep not started within the interval is superseded by the next one.
              maxEventAge: Duration.minutes(5),
            }),
          ],
        });
        return { name: worker.name, fn, deadLettersName: `${id}DeadLetters`, deadLetters };
      });

    // ScoresPublished: delivered to the ranking system's endpoint with its API key.
    const connection = new Connection(this, 'RankingConnection', {
      description: 'The ranking system: API key header',
      // A dynamic reference: the key stays in Secrets Manager and never enters the template.
      authorization: Authorization.apiKey(
        props.ranking.apiKeyHeader,
        SecretValue.secretsManager(props.ranking.apiKeySecret),
      ),
    });
    const destination = new ApiDestination(this, 'RankingDestination', {
      connection,
      endpoint: props.ranking.endpoint,
      httpMethod: DestinationMethod.POST,
      rateLimitPerSecond: 10,
      description: 'The ranking system: ScoresPublished',
    });
    const publishDeadLetters = deadLetterQueue(this, 'RankingDeadLetters', true);
    new Rule(this, 'ScoresPublishedRule', {
      eventBus: props.eventBus,
      description: 'Delivers ScoresPublished to the ranking system',
      eventPattern: { source: [eventSource], detailType: [scoresPublishedType] },
      targets: [
        new ApiDestinationTarget(destination, {
          deadLetterQueue: publishDeadLetters,
          // The ranking system may be down for maintenance: keep trying for a day.
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    const verifierName =
      workers.find((worker) => worker.trigger === 'photo-object-created')?.name ?? 'verifyPhoto';
    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: this.api,
      functions: [
        ...routes.map((route) => ({ name: route.name, fn: this.functionOf(route.name).function })),
        { name: 'notFound', fn: notFound.function },
        { name: 'preToken', fn: this.auth.preTokenFunction.function },
      ],
      workers: [
        { name: verifierName, fn: props.verifier },
        { name: runExport.name, fn: exporter.function },
        ...scheduled.map(({ name, fn }) => ({ name, fn: fn.function })),
      ],
      deadLetterQueues: [
        { name: 'VerifierDeadLetters', queue: props.verifierDeadLetters },
        { name: 'ExportDeadLetters', queue: exportDeadLetters },
        { name: 'RankingDeadLetters', queue: publishDeadLetters },
        ...scheduled.map(({ deadLettersName, deadLetters }) => ({
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
      value: publishDeadLetters.queueUrl,
      description: 'ScoresPublished events the ranking system did not accept (npm run dead-letters)',
    });
    new CfnOutput(this, 'EventBusName', { value: props.eventBus.eventBusName });

    const defaultRoute = this.api.node.tryFindChild('DefaultRoute');
    if (defaultRoute) {
      acknowledge(
        defaultRoute,
        'AwsSolutions-APIG4',
        'The $default route only answers a problem+json 404 for unmatched paths; it reads and touches nothing.',
      );
    }
  }

  /** The function of a route or worker of this stack. */
  functionOf(name: string): ProjectFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`No function named ${name} in ${this.stackName}`);
    return fn;
  }
}
