import { describe, expect, it } from 'vitest';
import { validateSchema } from '#tests/support/json-schema.ts';

const root = {
  components: {
    schemas: {
      Item: {
        type: 'object',
        properties: { code: { type: 'string', pattern: '^[A-Z][0-9]$' }, n: { type: 'integer', minimum: 0 } },
        required: ['code'],
        additionalProperties: false,
      },
    },
  },
};
const page = {
  type: 'object',
  properties: {
    items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
    nextCursor: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  },
  required: ['items', 'nextCursor'],
  additionalProperties: false,
};

describe('validateSchema (Ajv 2020-12), the checker that holds real responses to the document', () => {
  it('accepts a value that fits, following $refs into the document', () => {
    expect(validateSchema(page, { items: [{ code: 'A1', n: 2 }], nextCursor: null }, root)).toEqual([]);
  });

  it('reports each misfit with its path', () => {
    const issues = validateSchema(
      page,
      { items: [{ code: 'a1', n: 1.5, extra: true }], nextCursor: 3 },
      root,
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      '/items/0/code',
      '/items/0/extra',
      '/items/0/n',
      '/nextCursor',
    ]);
  });

  it('narrows with allOf, as error responses narrow the Problem schema', () => {
    const schema = {
      allOf: [{ $ref: '#/components/schemas/Item' }, { properties: { code: { enum: ['A1'] } } }],
    };
    expect(validateSchema(schema, { code: 'A1' }, root)).toEqual([]);
    expect(validateSchema(schema, { code: 'B2' }, root)).toHaveLength(1);
  });
});
