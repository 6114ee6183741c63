/**
 * Names that the deployment (infra/), the use cases, the local runner, the ranking system and the
 * tests must agree on, defined once: a rule matching another source or detail type, or a token
 * scope spelt differently from the authorizer's, fails silently in AWS (nothing is delivered,
 * everything is refused), so no copy may drift.
 */

/** The `source` of every event the project puts on its bus. */
export const eventSource = 'par-inspect';

/**
 * The `detail-type`s on the bus: the export and record workers' triggers and the ranking
 * system's event.
 */
export const eventTypes = {
  exportRequested: 'ExportRequested',
  recordRequested: 'RecordRequested',
  scoresPublished: 'ScoresPublished',
} as const;

/** The Cognito resource server of the ranking client and its one scope. */
export const rankingResourceServer = 'par-inspect';
export const rankingScopeName = 'publications.read';
/** What the ranking client's client-credentials tokens carry in `scope`. */
export const rankingScope = `${rankingResourceServer}/${rankingScopeName}`;

/**
 * The `ScoresPublished` detail that `npm run smoke` sends to check delivery: shaped like a real
 * one, so the ranking system's parser takes it, and marked twice as a test (`test: true`, and
 * every ID starting with `smoke-test`), so the ranking system can recognise it and drop it.
 */
export function smokeTestScoresPublished(now: Date, id: string) {
  return {
    publicationId: `smoke-test-${id}`,
    templateId: 'smoke-test',
    period: String(now.getUTCFullYear()),
    parentId: 'smoke-test',
    kind: 'province',
    hash: '0'.repeat(64),
    rowCount: 0,
    supersedes: null,
    createdAt: now.toISOString(),
    test: true,
  } as const;
}
