import { idempotency, publications, scores, templates, units } from '#adapters/dynamodb/parts.ts';
import { events } from '#adapters/events/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { createPublication } from '#app/publications.ts';
import { httpHandler } from '#http/handler.ts';
import { logger } from '#http/logger.ts';
import { publicationContracts } from '#routes/contracts/publications.ts';
import { createPublicationRoute } from '#routes/table.ts';

const deps = wire({ units, templates, idempotency, scores, publications, events, clock });

export const handler = httpHandler({
  route: createPublicationRoute,
  body: publicationContracts.createPublication.body,
  async handle({ principal, body, idempotencyKey }) {
    const outcome = await createPublication(deps(), principal, body, idempotencyKey);
    if (!outcome.eventDelivered) {
      // The publication stands; a replay with the same Idempotency-Key sends the event again,
      // and so does the outbox sweeper (functions/publications/announce.ts) within minutes.
      logger.error('ScoresPublished not delivered', {
        publicationId: outcome.body.publicationId,
        error: outcome.eventError,
      });
    }
    return { status: outcome.status, body: outcome.body };
  },
});
