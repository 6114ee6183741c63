import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarm,
  MathExpression,
  type Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoringProps {
  /** The HTTP API whose 5xx rate is alarmed. */
  readonly api: HttpApi;
  /** Every function by name: errors and throttles are alarmed for each. */
  readonly functions: ReadonlyArray<{ name: string; fn: IFunction }>;
  /** Background workers whose failures mean lost or late work (verification, exports, announcements). */
  readonly workers: ReadonlyArray<{ name: string; fn: IFunction }>;
  /** Dead-letter queues by name: any message in one needs a person. */
  readonly deadLetterQueues: ReadonlyArray<{ name: string; queue: IQueue }>;
  /** Email address subscribed to the alarm topic, if any. */
  readonly alarmEmail?: string | undefined;
}

/** The share of API responses that are 5xx above which someone is paged. */
export const serverErrorRatePercent = 5;

/**
 * Alarms on what users or the ranking system would notice, all sent to one SNS topic, and a
 * dashboard with the same signals.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: IAlarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'par-inspect alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarm = (created: Alarm): void => {
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
    };

    const requests = props.api.metricCount({ period: Duration.minutes(5), statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' });
    const serverErrorRate = new MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: serverErrors, requests },
      label: '5xx %',
      period: Duration.minutes(5),
    });
    alarm(
      serverErrorRate.createAlarm(this, 'ServerErrorRate', {
        alarmDescription: `More than ${serverErrorRatePercent}% of API responses were 5xx in two of three 5-minute periods`,
        threshold: serverErrorRatePercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    const workerNames = new Set(props.workers.map((worker) => worker.name));
    for (const { name, fn } of [...props.functions, ...props.workers]) {
      const isWorker = workerNames.has(name);
      // An HTTP handler maps failures to problem+json, so a Lambda error is a crash or timeout.
      // A worker error means a photo stays pending, an export fails or a publication is not yet
      // announced: alarm on the first one.
      alarm(
        fn
          .metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })
          .createAlarm(this, `${name}Errors`, {
            alarmDescription: isWorker
              ? `${name} failed: photo verification, an export or announcing publications did not complete`
              : `${name} raised unhandled errors (crash or timeout)`,
            threshold: isWorker ? 0 : 2,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
      alarm(
        fn
          .metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' })
          .createAlarm(this, `${name}Throttles`, {
            alarmDescription: `${name} was throttled (account or reserved concurrency exhausted)`,
            threshold: 0,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    }

    for (const { name, queue } of props.deadLetterQueues) {
      alarm(
        queue
          .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })
          .createAlarm(this, `${name}Depth`, {
            alarmDescription: `${name} holds failed deliveries that need a person`,
            threshold: 0,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    }

    const sumOf = (metrics: Metric[], label: string): MathExpression =>
      new MathExpression({
        expression: metrics.map((_, index) => `m${index}`).join(' + ') || '0',
        usingMetrics: Object.fromEntries(metrics.map((metric, index) => [`m${index}`, metric])),
        label,
        period: Duration.minutes(5),
      });
    const allFunctions = [...props.functions, ...props.workers];
    // Metric math takes at most 10 metrics per expression: chart per-function lines instead.
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [
          new TextWidget({
            markdown: '# par-inspect\nAPI traffic, function health, dead letters',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [requests, props.api.metricClientError({ period: Duration.minutes(5) }), serverErrors],
            width: 8,
          }),
          new GraphWidget({ title: 'API 5xx rate (%)', left: [serverErrorRate], width: 8 }),
          new GraphWidget({
            title: 'API latency (p50, p99)',
            left: [
              props.api.metricLatency({ period: Duration.minutes(5), statistic: 'p50' }),
              props.api.metricLatency({ period: Duration.minutes(5), statistic: 'p99' }),
            ],
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            left: allFunctions.map(({ name, fn }) =>
              fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum', label: name }),
            ),
            width: 12,
            height: 8,
          }),
          new GraphWidget({
            title: 'Function throttles',
            left: allFunctions.map(({ name, fn }) =>
              fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum', label: name }),
            ),
            width: 12,
            height: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Workers: invocations and errors',
            left: props.workers.flatMap(({ name, fn }) => [
              fn.metricInvocations({
                period: Duration.minutes(5),
                statistic: 'Sum',
                label: `${name} invocations`,
              }),
              fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum', label: `${name} errors` }),
            ]),
            width: 12,
          }),
          new GraphWidget({
            title: 'Dead-letter queues (messages)',
            left: [
              sumOf(
                props.deadLetterQueues.map(({ queue }) =>
                  queue.metricApproximateNumberOfMessagesVisible({
                    period: Duration.minutes(5),
                    statistic: 'Maximum',
                  }),
                ),
                'all dead letters',
              ),
            ],
            width: 12,
          }),
        ],
      ],
    });
  }
}
