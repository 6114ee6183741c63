import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct, IConstruct } from 'constructs';
import { acknowledge, nagReference } from '../nag.ts';
import { awsCspSources, contentSecurityPolicy } from '../web-csp.ts';

/** The runtime config files the API stack writes; the app reads `app-config.json`. */
export const runtimeConfigFiles = ['app-config.json', 'config.json'] as const;

/** Cache-Control of hashed build files, and of everything that must be revalidated. */
export const immutableCache = 'public, max-age=31536000, immutable';
export const revalidateCache = 'no-cache';

/**
 * The viewer-request function: a navigation (GET asking for HTML) to a path without a file
 * extension gets the app's shell, because the app routes in the browser. Never under `/v1/`:
 * an API path must keep its own answer, not turn into the app's page. S3 answers anything
 * else that is missing with its own 403, never mapped to the page either.
 */
export const navigationFunctionCode = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/v1' || uri.indexOf('/v1/') === 0) return request;
  if (request.method !== 'GET') return request;
  var accept = request.headers.accept ? request.headers.accept.value : '';
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (accept.indexOf('text/html') !== -1 && last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export interface WebStackProps extends StackProps {
  /** The built app (web/dist) to upload. */
  readonly webDist: string;
  /** The Cognito domain prefix (as the API stack's). @default `par-inspect-<account>` */
  readonly authDomainPrefix?: string | undefined;
}

/**
 * The inspector's app: a private bucket behind CloudFront (origin access control), the
 * security headers and CSP, and the build uploaded with the right caching. Deploys first: the
 * data and API stacks import its domain for CORS and the sign-in callback, and the API stack
 * writes the runtime config into its bucket.
 */
export class WebStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution>.cloudfront.net`. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);

    // CloudFront's standard logs are written with ACLs: this bucket keeps them enabled.
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(logs, 'AwsSolutions-S1', 'This is the log bucket itself: logging its own access would loop.');

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // Only build output: every deploy rewrites it, nothing here is a record.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const domainPrefix = props.authDomainPrefix ?? Fn.join('-', ['par-inspect', Aws.ACCOUNT_ID]);
    const csp = contentSecurityPolicy(
      awsCspSources(this.region, `${domainPrefix}.auth.${this.region}.amazoncognito.com`),
    );
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'par-inspect app: HSTS, nosniff, no framing, referrer policy, CSP',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      },
    });
    // The shell, the runtime config, the service worker and the manifest are revalidated on
    // every use (the objects say no-cache); compression stays on, which needs a TTL above 0.
    const revalidate = new CachePolicy(this, 'Revalidate', {
      comment: 'par-inspect app: revalidate (objects are no-cache)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const navigation = new EdgeFunction(this, 'Navigation', {
      comment: 'App navigations outside /v1/ get index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(navigationFunctionCode),
    });
    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'par-inspect inspector app',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
        cachePolicy: revalidate,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: navigation, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // Hashed file names: a changed file is a new name, so a year is safe.
        '/assets/*': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          compress: true,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Provincial staff travel; the API authenticates every call, so the app files need no geo restriction.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'The distribution serves public static files only (no API behind it); WAF costs per rule and request.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate cannot set a minimum TLS version; a custom domain (docs/deploy.md) sets TLSv1.2_2021.',
    );

    // Old hashed files stay (no prune): a phone with the previous shell still loads its chunks.
    new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(props.webDist, { exclude: ['.*'] })],
      destinationBucket: this.bucket,
      include: ['assets/*'],
      exclude: ['*'],
      prune: false,
      cacheControl: [CacheControl.fromString(immutableCache)],
    });
    new BucketDeployment(this, 'DeployShell', {
      sources: [Source.asset(props.webDist, { exclude: ['.*'] })],
      destinationBucket: this.bucket,
      // The runtime config belongs to the API stack's deployment: never pruned from here.
      exclude: ['assets/*', ...runtimeConfigFiles],
      prune: true,
      cacheControl: [CacheControl.fromString(revalidateCache)],
    });
    acknowledgeBucketDeployment(this, this.bucket);

    new CfnOutput(this, 'AppUrl', { value: this.origin, description: 'Open this on the phone' });
  }
}

/**
 * CDK's BucketDeployment handler (one per stack) is CDK's code: its role uses the basic
 * execution policy and the wildcard object actions of bucket grants, on the asset and the
 * destination buckets only.
 */
export function acknowledgeBucketDeployment(stack: Stack, destination: IBucket): void {
  const handler: IConstruct | undefined = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!handler) return;
  acknowledge(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's BucketDeployment custom resource uses the basic execution role; it runs only during deployments.",
  );
  // In another stack the ARN is an import, which cdk-nag prints as its export's name.
  const owner = Stack.of(destination);
  const destinationArn = owner === stack ? destination.bucketArn : owner.exportValue(destination.bucketArn);
  const assets = `arn:${Aws.PARTITION}:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*`;
  const wildcards = [
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
      (action) => `Action::${action}`,
    ),
    `Resource::${nagReference(stack, assets)}`,
    `Resource::${nagReference(stack, `${destinationArn}/*`)}`,
  ];
  for (const detail of wildcards) {
    acknowledge(
      handler,
      `AwsSolutions-IAM5[${detail}]`,
      "CDK's BucketDeployment copies whole folders: bucket-grant wildcards on the CDK asset bucket and the app's bucket only, used during deployments.",
    );
  }
  acknowledge(
    handler,
    'AwsSolutions-L1',
    "CDK's BucketDeployment handler runtime is chosen by aws-cdk-lib, not this project; it runs only during deployments.",
  );
}
