import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LogicalGroup } from '../logical-ids.ts';
import { acknowledge } from '../nag.ts';
import { ProjectFunction } from './project-function.ts';

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

export interface HttpApiFrontProps {
  /** Browser origins allowed by CORS; none means browsers are refused. */
  readonly allowedOrigins: readonly string[];
}

/**
 * The HTTP API itself, before any route: its `$default` stage (throttled, access-logged to a
 * retained log group) and the `$default` route's problem+json 404. A `LogicalGroup`: these
 * resources kept their logical IDs when they moved here out of the stack's constructor.
 */
export class HttpApiFront extends LogicalGroup {
  readonly api: HttpApi;
  /** The `$default` route's problem+json 404. */
  readonly notFound: ProjectFunction;

  constructor(scope: Construct, id: string, props: HttpApiFrontProps) {
    super(scope, id);

    this.notFound = new ProjectFunction(this, 'NotFound', {
      entry: 'functions/fallback/not-found.ts',
      access: {},
      environment: {},
      description: 'Answers unmatched routes with a problem+json 404',
      memorySize: 256,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'par-inspect API v1',
      // No default authorizer: each route states its own, so a public route is a visible choice.
      defaultIntegration: new HttpLambdaIntegration('NotFoundIntegration', this.notFound.function),
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

    const defaultRoute = this.api.node.tryFindChild('DefaultRoute');
    if (defaultRoute) {
      acknowledge(
        defaultRoute,
        'AwsSolutions-APIG4',
        'The $default route only answers a problem+json 404 for unmatched paths; it reads and touches nothing.',
      );
    }
  }
}
