/**
 * The names the ranking system and the bus rules rely on (API.md, "Event to the ranking system";
 * docs/deploy.md, "The ranking system"): everything else imports them, so this is the one place
 * a change of value shows up as a broken contract.
 */
import { describe, expect, it } from 'vitest';
import { eventSource, eventTypes, rankingScope } from '#routes/integration.ts';

describe('names shared with the ranking system', () => {
  it('keeps the event source, detail types and ranking scope that API.md promises', () => {
    expect(eventSource).toBe('par-inspect');
    expect(eventTypes).toEqual({
      exportRequested: 'ExportRequested',
      recordRequested: 'RecordRequested',
      scoresPublished: 'ScoresPublished',
    });
    expect(rankingScope).toBe('par-inspect/publications.read');
  });
});
