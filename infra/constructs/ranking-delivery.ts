import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import {
  ApiDestination,
  Authorization,
  Connection,
  HttpMethod as DestinationMethod,
  type IEventBus,
  Rule,
} from 'aws-cdk-lib/aws-events';
import { ApiDestination as ApiDestinationTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LogicalGroup } from '../logical-ids.ts';
import { deadLetterQueue } from '../stacks/stateful-stack.ts';
import { eventSource, scoresPublishedType } from './workers.ts';

/** Where ScoresPublished events are delivered. */
export interface RankingDeliveryProps {
  /** The bus that carries ScoresPublished. */
  readonly eventBus: IEventBus;
  /** The ranking system's HTTPS endpoint. */
  readonly endpoint: string;
  /** Name or ARN of the Secrets Manager secret whose value is the API key. */
  readonly apiKeySecret: string;
  /** The header that carries the key. */
  readonly apiKeyHeader: string;
}

/**
 * ScoresPublished delivered to the ranking system's endpoint with its API key, retried for a
 * day, then kept in a dead-letter queue (docs/events.md). A `LogicalGroup`: these resources
 * kept their logical IDs when they moved out of the stack's constructor.
 */
export class RankingDelivery extends LogicalGroup {
  /** Events the ranking system did not accept (read and replayed by `npm run dead-letters`). */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: RankingDeliveryProps) {
    super(scope, id);
    const connection = new Connection(this, 'RankingConnection', {
      description: 'The ranking system: API key header',
      // A dynamic reference: the key stays in Secrets Manager and never enters the template.
      authorization: Authorization.apiKey(props.apiKeyHeader, SecretValue.secretsManager(props.apiKeySecret)),
    });
    const destination = new ApiDestination(this, 'RankingDestination', {
      connection,
      endpoint: props.endpoint,
      httpMethod: DestinationMethod.POST,
      rateLimitPerSecond: 10,
      description: 'The ranking system: ScoresPublished',
    });
    this.deadLetters = deadLetterQueue(this, 'RankingDeadLetters', true);
    // A direct child of the stack: its target's dead-letter policy statement is named after the
    // rule's construct path (see Workers).
    new Rule(Stack.of(this), 'ScoresPublishedRule', {
      eventBus: props.eventBus,
      description: 'Delivers ScoresPublished to the ranking system',
      eventPattern: { source: [eventSource], detailType: [scoresPublishedType] },
      targets: [
        new ApiDestinationTarget(destination, {
          deadLetterQueue: this.deadLetters,
          // The ranking system may be down for maintenance: keep trying for a day.
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
