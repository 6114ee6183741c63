/**
 * Facts about the route table that the proof suites lean on: names are a union type (a typo is a
 * compile error, checked by `npm run typecheck` through the expect-error lines below), and the
 * per-route facts the OpenAPI document prints come from the table.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument } from '#openapi/document.ts';
import { type RouteName, routes, type WorkerName, workers } from '#routes/table.ts';

describe('the route table', () => {
  it('names routes and workers with unions of literals: a misspelt name does not compile', () => {
    // @ts-expect-error: not a route of the table (this line fails the typecheck if RouteName were string)
    const misspelt: RouteName = 'getVisitt';
    // @ts-expect-error: not a worker of the table
    const misspeltWorker: WorkerName = 'verifyPhotos';
    const names: RouteName[] = routes.map((route) => route.name);
    expect(names).not.toContain(misspelt);
    expect(workers.map((worker) => worker.name)).not.toContain(misspeltWorker);
  });

  it('gives an ETag header in the document to exactly the routes marked etag, and Idempotency-Key to those marked idempotent', () => {
    const paths = z.record(z.string(), z.record(z.string(), z.unknown())).parse(buildOpenApiDocument().paths);
    const operations = Object.values(paths).flatMap((item) => Object.values(item));
    const operation = (name: string) =>
      JSON.stringify(
        operations.find((candidate) => JSON.stringify(candidate).includes(`"operationId":"${name}"`)),
      );
    for (const route of routes) {
      const text = operation(route.name);
      expect(text.includes('#/components/headers/ETag'), `${route.name} ETag`).toBe('etag' in route);
      expect(text.includes('#/components/parameters/IdempotencyKey'), `${route.name} key`).toBe(
        'idempotent' in route,
      );
    }
  });
});
