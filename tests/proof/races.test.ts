/**
 * Replays and races through the JWT authorizer and the real handlers, as phones on bad networks
 * and managers at quarter ends make them: 1,000 replays of one visit PUT at 50 at a time, 50
 * concurrent updates carrying the same If-Match, and concurrent approvals of one unit's visits.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configureDeps } from '#adapters/wiring.ts';
import { route } from '#routes/table.ts';
import { startApi } from '#tests/support/api.ts';
import { recordingPublisher } from '#tests/support/peer-group.ts';
import { type Answer, type Gateway, type Probe, startGateway } from './support/gateway.ts';
import { dumpTable } from './support/table-dump.ts';
import { matrixCallers, matrixTemplateId, province, seedTree, submitted } from './support/world.ts';

let api: Awaited<ReturnType<typeof startApi>>;
let gateway: Gateway;
const bearer: Record<'inspector' | 'manager', string> = { inspector: '', manager: '' };
const tally = { requests: 0, serverErrors: 0 };

beforeAll(async () => {
  api = await startApi('proof-races');
  configureDeps({ events: recordingPublisher() });
  await seedTree();
  gateway = await startGateway();
  bearer.inspector = `Bearer ${await gateway.token('inspector', 'D1', matrixCallers.inspector.sub)}`;
  // A provincial manager: the visits below are made by the D1 inspector, never by the reviewer.
  bearer.manager = `Bearer ${await gateway.token('manager', 'NA', province.manager.sub)}`;
}, 120_000);

afterAll(async () => {
  await api?.close();
  console.log(`races: ${tally.requests} requests, ${tally.serverErrors} answered 5xx`);
});

async function send(
  name: Parameters<typeof route>[0],
  probe: Probe,
  as: keyof typeof bearer,
): Promise<Answer> {
  tally.requests++;
  const answer = await gateway.send(route(name), probe, bearer[as]);
  if (answer.status >= 500) tally.serverErrors++;
  return answer;
}

/** Runs `count` tasks, at most `concurrency` at a time, and returns their results in order. */
async function pool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) results[index] = await task(index);
    }),
  );
  return results;
}

const visitOut = z.looseObject({ visitId: z.string(), etag: z.string(), status: z.string() });
const stale = z.looseObject({ code: z.literal('precondition_failed'), current: visitOut });

function visitBody(a2: number) {
  return {
    unitId: 'C1',
    templateId: matrixTemplateId,
    templateVersion: 1,
    startedAt: '2026-05-12T08:30:00+07:00',
    answers: [
      { itemCode: 'A1', value: true },
      { itemCode: 'A2', value: a2 },
      { itemCode: 'A3', value: true },
    ],
  };
}

/** The items of one visit's partition in the table. */
async function visitItems(visitId: string) {
  const all = JSON.parse(await dumpTable(api.storage.documents, api.storage.tableName)) as Array<{
    pk: string;
    sk: string;
  }>;
  return all.filter((item) => item.pk === `VISIT#${visitId}`);
}

describe('replays and races', () => {
  it('1,000 replays of one visit PUT, 50 at a time, make one visit and answer alike', async () => {
    const visitId = randomUUID();
    const probe = { params: { visitId }, body: visitBody(4) };
    const answers = await pool(1_000, 50, () => send('putVisit', probe, 'inspector'));

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    // The first to store it creates (201); every other one, racing it or after it, replays (200).
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(999);
    const bodies = new Set(answers.map((answer) => answer.text));
    expect(bodies.size).toBe(1);
    const visit = visitOut.parse(answers[0]?.body);
    expect(new Set(answers.map((answer) => answer.headers.etag))).toEqual(new Set([`"${visit.etag}"`]));

    const items = await visitItems(visitId);
    expect(items.filter((item) => item.sk === 'VISIT')).toHaveLength(1);
    const listed = await send('listVisits', { query: { unitId: 'C1', limit: '100' } }, 'inspector');
    const ids = z
      .object({ items: z.array(visitOut) })
      .parse(listed.body)
      .items.map((item) => item.visitId);
    expect(ids.filter((id) => id === visitId)).toHaveLength(1);
  }, 120_000);

  it('50 concurrent updates with one If-Match: one wins, 49 get 412 with the current visit', async () => {
    const visitId = randomUUID();
    const created = await send('putVisit', { params: { visitId }, body: visitBody(1) }, 'inspector');
    expect(created.status, created.text).toBe(201);
    const etag = visitOut.parse(created.body).etag;

    // Each writer sends other content (A2 from 1 to 5, a note naming the writer) on the same etag.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, writer) =>
        send(
          'putVisit',
          {
            params: { visitId },
            body: {
              ...visitBody(1 + (writer % 5)),
              answers: [
                { itemCode: 'A1', value: true, note: `writer ${writer}` },
                { itemCode: 'A2', value: 1 + (writer % 5) },
                { itemCode: 'A3', value: true },
              ],
            },
            headers: { 'if-match': `"${etag}"` },
          },
          'inspector',
        ),
      ),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    const losers = answers.filter((answer) => answer.status === 412);
    expect(
      answers.filter((answer) => answer.status !== 200 && answer.status !== 412).map((a) => a.text),
    ).toEqual([]);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    const won = visitOut.parse(winners[0]?.body);
    for (const loser of losers) {
      // `current` is what the winner stored: the loser can merge without reading again.
      expect(stale.parse(loser.body).current.etag).toBe(won.etag);
    }
    const now = await send('getVisit', { params: { visitId } }, 'inspector');
    expect(now.body).toEqual(winners[0]?.body);
  });

  it('concurrent approvals of one unit’s visits leave a unit score that counts them all', async () => {
    // Twelve submitted visits of C2 (a unit of their own, so nothing else counts in its score).
    const visits: string[] = [];
    for (let n = 0; n < 12; n++) {
      const { visitId } = await submitted('C2', matrixCallers.inspector);
      visits.push(visitId);
    }
    const answers = await Promise.all(
      visits.map((visitId) =>
        send('reviewVisit', { params: { visitId }, body: { decision: 'approve' } }, 'manager'),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(visits.map(() => 200));
    const scores = answers.map((answer) => z.looseObject({ score: z.number() }).parse(answer.body).score);

    const unit = await send(
      'getUnitScores',
      { params: { unitId: 'C2' }, query: { templateId: matrixTemplateId, period: '2026' } },
      'manager',
    );
    const body = z
      .looseObject({ score: z.number(), visits: z.array(z.looseObject({ visitId: z.string() })) })
      .parse(unit.body);
    expect(body.visits.map((visit) => visit.visitId).sort()).toEqual([...visits].sort());
    // Exact: the mean of the visit scores in hundredths, rounded half up.
    const hundredths = scores.reduce((sum, score) => sum + Math.round(score * 100), 0);
    expect(Math.round(body.score * 100)).toBe(
      Math.floor((2 * hundredths + visits.length) / (2 * visits.length)),
    );
  });
});
