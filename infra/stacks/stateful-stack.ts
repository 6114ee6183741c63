import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { globalIndexes, keyAttributes } from '#adapters/dynamodb/table.ts';
import { workers } from '#routes/table.ts';
import { ProjectFunction } from '../constructs/project-function.ts';
import { functionEnvironment } from '../environment.ts';
import { acknowledge } from '../nag.ts';

/** Object key prefixes: the verifier only ever sees photos and signed records' scans. */
export const photoPrefix = 'photos/';
export const scanPrefix = 'scans/';
export const exportPrefix = 'exports/';

export interface StatefulStackProps extends StackProps {
  /** Browser origins that may POST upload forms to and GET objects from the bucket. */
  readonly allowedOrigins: readonly string[];
}

/**
 * What holds data: the table, the bucket (photos and export files) with its access-log bucket,
 * and the event bus. The photo verifier lives here beside the bucket, because the bucket's
 * notification must name the function and the function's policy names the bucket: split
 * across stacks that is a cycle. Construct IDs here are part of the logical IDs of resources
 * that hold data: renaming one replaces the resource. tests/infra pins them.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly bucket: Bucket;
  readonly eventBus: EventBus;
  readonly verifier: ProjectFunction;
  /** Photo-created events the verifier still failed on after Lambda's retries. */
  readonly verifierDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: keyAttributes.partitionKey, type: AttributeType.STRING },
      sortKey: { name: keyAttributes.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Idempotency records and similar short-lived items carry an epoch-seconds expiry.
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging can only deliver to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3 rather than KMS: presigned POST uploads and downloads then need no key grants,
      // and every object is still encrypted at rest.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'files/',
      ...(props.allowedOrigins.length > 0
        ? {
            cors: [
              {
                // Phones and browsers POST the presigned upload form and GET presigned downloads.
                allowedMethods: [HttpMethods.POST, HttpMethods.GET, HttpMethods.HEAD],
                allowedOrigins: [...props.allowedOrigins],
                allowedHeaders: ['*'],
                exposedHeaders: ['ETag'],
                maxAge: 3000,
              },
            ],
          }
        : {}),
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Rejected and deleted photos leave noncurrent versions; keep them a month for recovery.
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) },
        // Deletes leave delete markers; once their old versions have expired, remove them too.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
        // Download links last minutes; a week is ample to fetch a finished export.
        { id: 'expire-exports', prefix: exportPrefix, expiration: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.eventBus = new EventBus(this, 'Bus', { description: 'par-inspect domain events' });

    const verifyPhoto = workers.find((worker) => worker.trigger === 'photo-object-created');
    if (!verifyPhoto) throw new Error('The route table has no photo-object-created worker');
    this.verifierDeadLetters = deadLetterQueue(this, 'VerifierDeadLetters');
    this.verifier = new ProjectFunction(this, verifyPhoto.name, {
      entry: verifyPhoto.handler,
      access: verifyPhoto.access,
      targets: {
        tableArn: this.table.tableArn,
        bucketArn: this.bucket.bucketArn,
        eventBusArn: this.eventBus.eventBusArn,
      },
      environment: functionEnvironment({
        tableName: this.table.tableName,
        bucketName: this.bucket.bucketName,
        eventBusName: this.eventBus.eventBusName,
        allowedOrigins: props.allowedOrigins,
      }),
      description: verifyPhoto.summary,
      // A 10 MiB photo is streamed and hashed; a minute leaves room for a slow read.
      timeout: Duration.minutes(1),
      deadLetterQueue: this.verifierDeadLetters,
    });
    this.bucket.addEventNotification(
      EventType.OBJECT_CREATED,
      new LambdaDestination(this.verifier.function),
      { prefix: photoPrefix },
    );
    this.bucket.addEventNotification(
      EventType.OBJECT_CREATED,
      new LambdaDestination(this.verifier.function),
      { prefix: scanPrefix },
    );
    acknowledgeNotificationHandler(this);
  }
}

/**
 * An SQS queue that keeps failed deliveries for two weeks, TLS only, SSE-SQS encrypted.
 * cdk-nag recognises a Lambda function's dead-letter queue as one, but not an EventBridge
 * target's: `forEventBridgeTargetOnly` acknowledges that.
 */
export function deadLetterQueue(scope: Construct, id: string, forEventBridgeTargetOnly = false): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  if (forEventBridgeTargetOnly) {
    acknowledge(
      queue,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of an EventBridge rule target (events it could not deliver); a DLQ needs no DLQ of its own, and its depth is alarmed.',
    );
  }
  return queue;
}

/**
 * The bucket-notification custom resource that CDK adds (a singleton function) is CDK's own
 * code: its role (with the AWS managed basic execution policy) is not ours to choose.
 */
function acknowledgeNotificationHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
  if (!handler) return;
  acknowledge(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's bucket-notification custom resource uses the basic execution role; it runs only during deployments.",
  );
}
