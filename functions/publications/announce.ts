import { publications } from '#adapters/dynamodb/parts.ts';
import { events } from '#adapters/events/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { announcePending } from '#app/publications.ts';
import { asWorker } from '#config/invocation.ts';
import { logger } from '#http/logger.ts';

const deps = wire({ publications, events, clock });

/**
 * The outbox sweeper, run by an EventBridge schedule (locally by `npm start`'s timer): sends
 * `ScoresPublished` for publications whose event never went out. The scheduled event carries
 * nothing it needs, so it is not read.
 *
 * A sweep that could not announce everything it found throws after logging, so the worker's
 * error alarm tells operators that publications are waiting; what is left stays in the outbox
 * and the next sweep tries again.
 */
export const handler = asWorker('announcePublications', async (_event: unknown): Promise<void> => {
  const report = await announcePending(deps());
  if (report.error !== null) {
    logger.error('ScoresPublished sweep stopped: publications still waiting', {
      found: report.found,
      announced: report.announced,
      left: report.left,
      error: report.error,
    });
    throw new Error(`${report.left} publication(s) could not be announced; the next sweep retries`);
  }
  if (report.found > 0) logger.info('ScoresPublished sweep', { ...report });
});
