import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '#domain/errors.ts';
import { handler as notFound } from '#functions/fallback/not-found.ts';
import { httpHandler } from '#http/handler.ts';
import { problemResponse } from '#http/problem.ts';
import { toApiGatewayEvent } from '#local/apigw-event.ts';
import { createDispatcher, type LocalRequest, startingUp } from '#local/dispatch.ts';
import { type LambdaHandler, loadHandler } from '#local/lambda.ts';
import { TokenRejectedError } from '#local/tokens.ts';
import { route as routeNamed } from '#routes/table.ts';
import { invokeHandler } from '#tests/support/invoke.ts';

// Every API answer: success or problem, from a function, the $default route or the local runner.
function expectSafe(headers: Record<string, unknown> | undefined, cacheControl = 'no-store') {
  expect(headers?.['x-content-type-options']).toBe('nosniff');
  expect(headers?.['cache-control']).toBe(cacheControl);
}

const health = httpHandler({
  route: routeNamed('getHealth'),
  handle: async () => ({ status: 200, body: { status: 'ok' } }),
});
const cacheable = httpHandler({
  route: routeNamed('getOpenApi'),
  handle: async () => ({ status: 200, body: {}, headers: { 'Cache-Control': 'public, max-age=300' } }),
});
const failing = httpHandler({
  route: routeNamed('getHealth'),
  handle: async () => {
    throw new ValidationError({ vi: 'Sai.', en: 'Wrong.' });
  },
});
const strict = httpHandler({
  route: routeNamed('listVisits'),
  query: z.strictObject({}),
  handle: async () => ({ status: 204 }),
});

describe('function answers', () => {
  it('a success carries nosniff and no-store', async () => {
    const res = await invokeHandler(health, 'getHealth');
    expect(res.status).toBe(200);
    expectSafe(res.headers);
  });

  it("a route's own Cache-Control stays, nosniff is added", async () => {
    const res = await invokeHandler(cacheable, 'getOpenApi');
    expectSafe(res.headers, 'public, max-age=300');
  });

  it('problems carry them: thrown by the handler, a bad query, no token', async () => {
    expectSafe((await invokeHandler(failing, 'getHealth')).headers);
    const badQuery = await invokeHandler(strict, 'listVisits', {
      as: { sub: 'm', roles: ['manager'], unitId: 'NA' },
      query: { nope: '1' },
    });
    expect(badQuery.status).toBe(422);
    expectSafe(badQuery.headers);
    const anonymous = await invokeHandler(strict, 'listVisits');
    expect(anonymous.status).toBe(401);
    expectSafe(anonymous.headers);
  });

  it('problemResponse adds them to every problem, 500 included', () => {
    expectSafe(problemResponse(new Error('bug'), 'vi').headers);
  });

  it("the $default route's 404 carries them", async () => {
    const event = toApiGatewayEvent({
      method: 'GET',
      path: '/nowhere',
      routePath: '$default',
      query: new URLSearchParams(),
      headers: {},
      body: undefined,
      claims: null,
    });
    const res = await notFound(event);
    expect(res.statusCode).toBe(404);
    expectSafe(res.headers);
  });
});

// Not annotated: the authority grows methods (OIDC) that these answers never call.
const tokens = {
  issuer: 'http://localhost/local',
  sign: async () => 'token',
  verify: async () => {
    throw new TokenRejectedError('no token');
  },
  jwks: { keys: [] },
  signClaims: async () => 'token',
  verifyOwn: async () => {
    throw new TokenRejectedError('no token');
  },
};
// A function that answers without any headers: the dispatcher passes its answer through.
const bare: LambdaHandler = async () => ({ statusCode: 200, body: '{}' });
const defaultRoute = await loadHandler('functions/fallback/not-found.ts');
if (!defaultRoute) throw new Error('no $default route handler');
const dispatch = createDispatcher({
  tokens,
  handlers: new Map([['getHealth', bare]]),
  notFound: defaultRoute,
  log: { info: () => {}, warn: () => {}, error: () => {} },
});
const request = (method: string, url: string, body?: string): LocalRequest => ({
  method,
  url,
  headers: body ? { 'content-type': 'application/json' } : {},
  body: body ? Buffer.from(body) : undefined,
});

describe('the local dispatcher', () => {
  it.each([
    ['a /local route', request('GET', '/local/.well-known/jwks.json'), 200],
    ['a /local problem', request('POST', '/local/tokens', '{"role":"nobody"}'), 422],
    ['an unmatched path', request('GET', '/v1/nowhere'), 404],
    ['a missing token', request('GET', '/v1/units'), 401],
    ['a function answer', request('GET', '/v1/health'), 200],
  ])('%s carries nosniff and no-store', async (_name, req, status) => {
    const res = await dispatch(req);
    expect(res.status).toBe(status);
    expectSafe(res.headers);
  });

  it('so does the answer while the runner starts', () => {
    expectSafe(startingUp(request('GET', '/v1/health')).headers);
  });
});
