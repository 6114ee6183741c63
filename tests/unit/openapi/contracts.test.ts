import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { operationDescriptions } from '#openapi/descriptions.ts';
import { operationErrors } from '#openapi/errors.ts';
import { contracts } from '#routes/contracts/index.ts';
import { routes } from '#routes/table.ts';

// RouteName is `string` (the table's helper widens names), so these maps cannot be checked by
// the compiler: a route added without a contract would otherwise surface only when the
// generator throws.
const routeNames = routes.map((route) => route.name).sort();

describe('the per-route tables the OpenAPI document is built from', () => {
  it('has a contract for every route of the table, and none for a route it lacks', () => {
    const missing = routeNames.filter((name) => !(name in contracts));
    expect(missing, `routes without a contract in shared/routes/contracts: ${missing.join(', ')}`).toEqual(
      [],
    );
    expect(Object.keys(contracts).sort()).toEqual(routeNames);
  });

  it('says for every route which problem codes are its own (errors.ts)', () => {
    expect(Object.keys(operationErrors).sort()).toEqual(routeNames);
  });

  it('describes every route (descriptions.ts)', () => {
    expect(Object.keys(operationDescriptions).sort()).toEqual(routeNames);
  });

  it("gives every contract's path parameters exactly the route's {segments}", () => {
    for (const route of routes) {
      const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const params = contracts[route.name]?.params;
      const json = params ? z.toJSONSchema(params, { io: 'input', unrepresentable: 'any' }) : undefined;
      const shape = Object.keys(json?.properties ?? {}).sort();
      expect(shape, route.name).toEqual(inPath);
    }
  });
});
