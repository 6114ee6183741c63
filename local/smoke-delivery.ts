/**
 * `POST /local/smoke/scores-published`: what `npm run smoke -- --local` calls to check event
 * delivery, standing in for the test event the AWS smoke test puts on the bus. It publishes a
 * test `ScoresPublished` (shared/routes/integration.ts) through the local bus, so it reaches
 * PUBLICATION_WEBHOOK_URL with the same retries and dead letters as a real publication.
 */
import { randomUUID } from 'node:crypto';
import type { EventPublisher } from '#ports/events.ts';
import { eventTypes, smokeTestScoresPublished } from '#routes/integration.ts';
import type { LocalHandler } from './dispatch.ts';

export const smokeDeliveryPath = '/local/smoke/scores-published';

export function smokeDeliveryHandler(events: EventPublisher, webhookUrl: string | undefined): LocalHandler {
  return async (request, url) => {
    if (request.method.toUpperCase() !== 'POST' || url.pathname !== smokeDeliveryPath) return null;
    const detail = smokeTestScoresPublished(new Date(), randomUUID());
    await events.publish({ type: eventTypes.scoresPublished, detail });
    return {
      status: 202,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      cookies: [],
      body: Buffer.from(
        JSON.stringify({ publicationId: detail.publicationId, deliveredTo: webhookUrl ?? null, test: true }),
      ),
    };
  };
}
