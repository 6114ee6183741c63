import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { httpHandler } from '#http/handler.ts';
import { parseBilingual } from '#http/validation.ts';
import { pageQuery } from '#routes/contracts/common.ts';
import { contracts } from '#routes/contracts/index.ts';
import { route as routeNamed } from '#routes/table.ts';
import { type Caller, invokeHandler } from '#tests/support/invoke.ts';

const manager: Caller = { sub: 'mgr-1', roles: ['manager'], unitId: 'HN' };

// Number() reads all of these as a number in range; none is how a person writes a page size.
const refused = ['0x10', '1e1', '10.0', ' 10 ', '10 ', '+10', '010', '0', '101', '-1', '', 'ten', '1_0'];
const accepted: Array<[string, number]> = [
  ['1', 1],
  ['9', 9],
  ['25', 25],
  ['99', 99],
  ['100', 100],
];

// The real `?limit=` schema behind a handler, as every list route parses it.
const listVisits = httpHandler({
  route: routeNamed('listVisits'),
  query: z.strictObject({ ...pageQuery }),
  handle: async ({ query }) => ({ status: 200, body: { items: [], limit: query.limit, nextCursor: null } }),
});

describe('?limit= of the lists', () => {
  it.each(refused)('answers 422 validation_failed naming limit for %j', async (limit) => {
    const vi = await invokeHandler(listVisits, 'listVisits', { as: manager, query: { limit } });
    expect(vi.status).toBe(422);
    expect(vi.body).toMatchObject({
      code: 'validation_failed',
      errors: [
        { path: 'limit', message: expect.stringMatching(/^limit phải là số nguyên thập phân từ 1 đến 100/) },
      ],
    });
    const en = await invokeHandler(listVisits, 'listVisits', {
      as: manager,
      query: { limit },
      headers: { 'accept-language': 'en' },
    });
    expect(en.body).toMatchObject({
      errors: [
        { path: 'limit', message: expect.stringMatching(/^limit must be a decimal integer from 1 to 100/) },
      ],
    });
  });

  it.each(accepted)('accepts %j as a page of %i', async (limit, size) => {
    const res = await invokeHandler(listVisits, 'listVisits', { as: manager, query: { limit } });
    expect([res.status, (res.body as { limit: number }).limit]).toEqual([200, size]);
  });

  it('defaults to 25', async () => {
    const res = await invokeHandler(listVisits, 'listVisits', { as: manager });
    expect((res.body as { limit: number }).limit).toBe(25);
  });

  // Every list route's own contract: none keeps a looser limit of its own.
  const lists = Object.entries(contracts).flatMap(([name, contract]) => {
    const query = contract.query;
    if (query === undefined) return [];
    const shape = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }).properties ?? {};
    return 'limit' in shape ? [{ name, query }] : [];
  });
  const limitProblems = (query: z.ZodMiniType, limit: string) => {
    const parsed = parseBilingual(query, { limit });
    return parsed.success ? [] : parsed.problems.filter((found) => found.path === 'limit');
  };

  it('is parsed the same way by every list route', () => {
    expect(lists.map((list) => list.name).sort()).toEqual(
      expect.arrayContaining([
        'listFindings',
        'listPublications',
        'listTemplates',
        'listUnits',
        'listVisits',
      ]),
    );
    for (const { name, query } of lists) {
      for (const limit of refused) expect(limitProblems(query, limit), `${name} ${limit}`).toHaveLength(1);
      for (const [limit] of accepted) expect(limitProblems(query, limit), `${name} ${limit}`).toEqual([]);
    }
  });
});
