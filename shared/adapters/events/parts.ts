/** The event publisher's factory, for `wire` (shared/adapters/wiring.ts). */
import { loadConfig } from '#config/env.ts';
import type { DomainEvent, EventPublisher } from '#ports/events.ts';
import { createEventBridgePublisher } from './eventbridge.ts';

// Without a bus (local mode and tests install their own publisher with configureDeps), a use
// case that publishes fails loudly instead of dropping the event.
const missingEvents: EventPublisher = {
  async publish(event: DomainEvent) {
    throw new Error(`No event bus configured (EVENT_BUS_NAME) to publish ${event.type}`);
  },
};

export const events = (): EventPublisher => {
  const busName = loadConfig().EVENT_BUS_NAME;
  return busName ? createEventBridgePublisher(busName) : missingEvents;
};
