import { describe, expect, it } from 'vitest';
import { carriedValues, carry } from '../../../bench/support/floor-carry.ts';

// A submit as recorded: the Query of the visit's partition, then a transaction conditioned on the
// etag it read and keyed by the unit it names.
const recordedId = 'visit-aaaaaaaa';
const groups = [
  [
    {
      operation: 'Query',
      input: {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': `VISIT#${recordedId}` },
      },
      output: {
        Items: [
          {
            pk: `VISIT#${recordedId}`,
            etag: 'etag-recorded-1',
            unitId: 'P01-C000',
            unitPath: 'P01/P01-C000',
          },
        ],
      },
    },
  ],
  [
    {
      operation: 'TransactWriteItems',
      input: {
        TransactItems: [
          {
            Put: {
              Item: { pk: `VISIT#${recordedId}`, unitPath: 'P01/P01-C000', status: 'submitted' },
              ConditionExpression: 'etag = :e',
              ExpressionAttributeValues: { ':e': 'etag-recorded-1' },
            },
          },
          { Update: { Key: { pk: 'SCORE#P01-C000' } } },
        ],
      },
    },
  ],
];

describe('the latency floor carries read values into its writes', () => {
  const carried = carriedValues(groups, recordedId);

  it('finds the values later calls use, not the recorded ID nor values no later call uses', () => {
    expect(carried.map((entry) => entry.value).sort()).toEqual([
      'P01-C000',
      'P01/P01-C000',
      'etag-recorded-1',
    ]);
    expect(carried.every((entry) => entry.group === 0 && entry.call === 0)).toBe(true);
  });

  it('replaces each by what its own read returned, a path whole before the ID inside it', () => {
    const later = groups.slice(1).map((group) => group.map(({ operation, input }) => ({ operation, input })));
    const live = {
      Items: [
        { pk: 'VISIT#visit-bbbbbbbb', etag: 'etag-live-2', unitId: 'P01-C017', unitPath: 'P01/P01-C017' },
      ],
    };
    const [transaction] = carry(later, carried, [live]).flat();
    const text = JSON.stringify(transaction);
    expect(text).toContain('"etag-live-2"');
    expect(text).toContain('"P01/P01-C017"');
    expect(text).toContain('"SCORE#P01-C017"');
    expect(text).not.toContain('recorded');
    expect(text).not.toContain('C000');
  });

  it('leaves a call as recorded when the read did not return the value', () => {
    const later = groups.slice(1).map((group) => group.map(({ operation, input }) => ({ operation, input })));
    expect(carry(later, carried, [{ Items: [] }])).toEqual(later);
  });
});
