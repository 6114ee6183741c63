import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { sharedEventBridgeClient } from '#adapters/clients.ts';
import type { DomainEvent, EventPublisher } from '#ports/events.ts';
import { eventSource } from '#routes/integration.ts';

export { eventSource };

/** Publishes to the project's EventBridge bus; a partial failure is an error (the caller retries). */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: eventSource,
            DetailType: event.type,
            Detail: JSON.stringify(event.detail),
          },
        ],
      }),
    );
    if ((result.FailedEntryCount ?? 0) > 0) {
      throw new Error(`EventBridge refused ${event.type}: ${result.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
    }
  }
}

export function createEventBridgePublisher(busName: string): EventPublisher {
  return new EventBridgePublisher(sharedEventBridgeClient(), busName);
}
