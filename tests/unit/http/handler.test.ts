import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type HttpRequest, httpHandler, requireIfMatch } from '#http/handler.ts';
import { logger } from '#http/logger.ts';
import { toApiGatewayEvent } from '#local/apigw-event.ts';
import { route as routeNamed } from '#routes/table.ts';
import { type Caller, fakeContext, invokeHandler } from '#tests/support/invoke.ts';

const inspector: Caller = { sub: 'insp-1', roles: ['inspector'], unitId: 'HN.BA-DINH', name: 'Trần Thị B' };
const manager: Caller = { sub: 'mgr-1', roles: ['manager'], unitId: 'HN' };
const ranking: Caller = { sub: 'ranking-client', roles: ['ranking'], unitId: null };
const visitId = '0b9f8a52-4c1e-4d7a-9a43-3f2b1f6c9d10';

const answer = z.strictObject({ itemCode: z.string().min(1), value: z.number().min(0).max(10) });
const visitBody = z
  .strictObject({ unitId: z.string().min(1), answers: z.array(answer).max(150) })
  .superRefine((visit, ctx) => {
    if (visit.unitId === 'ABOLISHED') {
      ctx.addIssue({
        code: 'custom',
        path: ['unitId'],
        params: { vi: 'Đơn vị đã giải thể', en: 'The unit has been abolished' },
      });
    }
  });

let seen: HttpRequest<{ visitId: string }, Record<string, never>, z.infer<typeof visitBody>> | undefined;
let failure: unknown;

const putVisit = httpHandler({
  route: routeNamed('putVisit'),
  params: z.strictObject({ visitId: z.uuid() }),
  body: visitBody,
  handle: async (request) => {
    seen = request;
    if (failure !== undefined) throw failure;
    if (request.body.unitId === 'NEEDS-IF-MATCH') requireIfMatch(request.ifMatch);
    return { status: 201, body: { visitId: request.params.visitId, etag: 'e1' }, etag: 'e1' };
  },
});

let seenHealth: HttpRequest<Record<string, never>, Record<string, never>, undefined> | undefined;
const getHealth = httpHandler({
  route: routeNamed('getHealth'),
  handle: async (request) => {
    seenHealth = request;
    return { status: 200, body: { status: 'ok' } };
  },
});

const listVisits = httpHandler({
  route: routeNamed('listVisits'),
  query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(25) }),
  handle: async ({ query }) => ({ status: 200, body: { items: [], limit: query.limit, nextCursor: null } }),
});

const getPublication = httpHandler({
  route: routeNamed('getPublication'),
  params: z.strictObject({ publicationId: z.string() }),
  handle: async ({ accept, principal }) =>
    accept === 'text/csv'
      ? { status: 200, body: '\uFEFFrank,unitId\n1,HN\n', contentType: 'text/csv; charset=utf-8' }
      : { status: 200, body: { principal } },
});

const goodBody = { unitId: 'HN.BA-DINH', answers: [{ itemCode: 'A1', value: 2 }] };

beforeEach(() => {
  seen = undefined;
  seenHealth = undefined;
  failure = undefined;
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('success path', () => {
  it('answers JSON with a quoted ETag and hands the handler a parsed request', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      body: goodBody,
      headers: { 'If-Match': 'W/"e0"', 'Idempotency-Key': 'k-1', 'Accept-Language': 'en-US,en;q=0.9' },
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers.etag).toBe('"e1"');
    expect(res.etag).toBe('e1');
    expect(res.body).toEqual({ visitId, etag: 'e1' });
    expect(seen).toMatchObject({
      principal: { sub: 'insp-1', name: 'Trần Thị B', roles: ['inspector'], unitId: 'HN.BA-DINH' },
      params: { visitId },
      body: goodBody,
      ifMatch: 'e0',
      idempotencyKey: 'k-1',
      language: 'en',
      requestId: expect.any(String),
    });
  });

  it('serves public routes without a token, with an anonymous principal', async () => {
    const res = await invokeHandler(getHealth, 'getHealth', { rawBody: 'not json at all' });
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(seenHealth?.principal).toEqual({ sub: 'anonymous', name: null, roles: [], unitId: null });
    expect(seenHealth?.body).toBeUndefined();
    expect(seenHealth?.language).toBe('vi');
  });

  it('sends a string body as is with its content type', async () => {
    const res = await invokeHandler(getPublication, 'getPublication', {
      as: ranking,
      params: { publicationId: 'p1' },
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe('\uFEFFrank,unitId\n1,HN\n');
  });

  it('parses and defaults the query', async () => {
    expect((await invokeHandler(listVisits, 'listVisits', { as: manager })).body).toMatchObject({
      limit: 25,
    });
    const res = await invokeHandler(listVisits, 'listVisits', { as: manager, query: { limit: '10' } });
    expect(res.body).toMatchObject({ limit: 10 });
  });

  it('stores text in NFC', async () => {
    const decomposed = 'Ba Đi\u0300nh';
    await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      body: { ...goodBody, unitId: decomposed },
    });
    expect(seen?.body.unitId).toBe('Ba Đình'.normalize('NFC'));
  });
});

describe('authentication and roles', () => {
  it('answers 401 without a token', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', { params: { visitId }, body: goodBody });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'urn:problem:unauthenticated',
      code: 'unauthenticated',
      status: 401,
    });
    expect(seen).toBeUndefined();
  });

  it('answers 401 to an ID token and to a token without unit', async () => {
    const idToken = { sub: 'u', token_use: 'id', 'cognito:groups': ['inspector'], 'custom:unitId': 'HN' };
    const noUnit = { sub: 'u', token_use: 'access', 'cognito:groups': ['inspector'] };
    for (const claims of [idToken, noUnit]) {
      const res = await invokeHandler(putVisit, 'putVisit', { claims, params: { visitId }, body: goodBody });
      expect(res.status).toBe(401);
    }
  });

  it('answers 403 to a role the route does not allow', async () => {
    for (const caller of [manager, ranking]) {
      const res = await invokeHandler(putVisit, 'putVisit', {
        as: caller,
        params: { visitId },
        body: goodBody,
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden' });
    }
    expect(seen).toBeUndefined();
  });

  it('lets the ranking client read publications', async () => {
    const res = await invokeHandler(getPublication, 'getPublication', {
      as: ranking,
      params: { publicationId: 'p' },
    });
    expect(res.body).toEqual({
      principal: { sub: 'ranking-client', name: null, roles: ['ranking'], unitId: null },
    });
  });

  it('checks roles before the body, so an anonymous caller learns nothing about validation', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', { params: { visitId: 'x' }, rawBody: '{' });
    expect(res.status).toBe(401);
  });
});

describe('body', () => {
  const limit = 256 * 1024;

  it('answers 413 just over 256 KiB', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      rawBody: `"${'a'.repeat(limit - 1)}"`,
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('accepts exactly 256 KiB (then validates it)', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      rawBody: `"${'a'.repeat(limit - 2)}"`,
    });
    expect(res.status).toBe(422);
  });

  it('counts decoded bytes of a base64 body', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      rawBody: Buffer.alloc(limit - 1000, 0xff),
      headers: { 'content-type': 'application/octet-stream' },
    });
    // The base64 text is over 256 KiB, the bytes are not: refused as not UTF-8 JSON, not as too large.
    expect(res.status).toBe(422);
  });

  it('answers 422 to malformed JSON with a clear message', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      rawBody: '{"unitId": "HN",',
      headers: { 'Accept-Language': 'en' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      detail: expect.stringMatching(/not valid JSON/),
    });
  });

  it('answers 422 to a missing body', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', { as: inspector, params: { visitId } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ errors: [{ path: '', message: 'Cần có thân yêu cầu dạng JSON.' }] });
  });
});

describe('validation messages', () => {
  const badBody = { unitId: 'HN', answers: [{ itemCode: 'A1', value: 11 }], status: 'approved' };

  it('are Vietnamese by default, located by path', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      body: badBody,
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      type: 'urn:problem:validation_failed',
      title: 'Dữ liệu không hợp lệ',
      errors: expect.arrayContaining([
        { path: 'answers.0.value', message: expect.stringMatching(/quá lớn/i) },
        { path: 'status', message: expect.stringMatching(/không được nhận dạng/i) },
      ]),
    });
  });

  it('are English when Accept-Language prefers en', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      body: badBody,
      headers: { 'accept-language': 'vi;q=0.5, en-GB;q=0.9' },
    });
    expect(res.body).toMatchObject({
      title: 'Validation failed',
      detail: 'The request is not valid.',
      errors: expect.arrayContaining([
        { path: 'answers.0.value', message: expect.stringMatching(/too big/i) },
        { path: 'status', message: expect.stringMatching(/unrecognized key/i) },
      ]),
    });
  });

  it('report path parameter and body problems together', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId: 'not-a-uuid' },
      body: { answers: [] },
      headers: { 'accept-language': 'en' },
    });
    expect(res.body).toMatchObject({
      errors: [
        { path: 'visitId', message: expect.stringMatching(/UUID/) },
        { path: 'unitId', message: expect.any(String) },
      ],
    });
  });

  it('use the bilingual messages of custom issues', async () => {
    const body = { unitId: 'ABOLISHED', answers: [] };
    const vi = await invokeHandler(putVisit, 'putVisit', { as: inspector, params: { visitId }, body });
    expect(vi.body).toMatchObject({ errors: [{ path: 'unitId', message: 'Đơn vị đã giải thể' }] });
    const en = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      body,
      headers: { 'accept-language': 'en' },
    });
    expect(en.body).toMatchObject({ errors: [{ path: 'unitId', message: 'The unit has been abolished' }] });
  });

  it('answer 422 to an unknown query parameter and an out-of-range limit', async () => {
    const res = await invokeHandler(listVisits, 'listVisits', {
      as: manager,
      query: { limit: '0', sort: 'x' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ errors: [{ path: 'limit' }, { path: 'sort' }] });
  });
});

describe('Idempotency-Key', () => {
  it('answers 422 to a key that is too long or not printable ASCII', async () => {
    for (const key of ['k'.repeat(256), 'có dấu', 'two words']) {
      const res = await invokeHandler(putVisit, 'putVisit', {
        params: { visitId },
        body: goodBody,
        headers: { 'idempotency-key': key },
        as: inspector,
      });
      expect(res.status, key).toBe(422);
      expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([
        'Idempotency-Key',
      ]);
    }
  });
});

describe('errors from the handler', () => {
  it('answers 428 when If-Match is required and missing', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      body: { ...goodBody, unitId: 'NEEDS-IF-MATCH' },
    });
    expect(res.status).toBe(428);
    expect(res.body).toMatchObject({ code: 'precondition_required' });
  });

  it('answers 503 with Retry-After when DynamoDB throttles', async () => {
    failure = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    const res = await invokeHandler(putVisit, 'putVisit', {
      as: inspector,
      params: { visitId },
      body: goodBody,
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ code: 'unavailable' });
  });

  it('answers 500 without internals and logs the error with the request ID', async () => {
    const appended = vi.spyOn(logger, 'appendKeys');
    const logged = vi.spyOn(logger, 'error');
    failure = new Error('secret table name par-prod-Table-1X2Y3Z');
    const event = toApiGatewayEvent({
      method: 'PUT',
      path: `/v1/visits/${visitId}`,
      routePath: '/v1/visits/{visitId}',
      pathParameters: { visitId },
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify(goodBody),
      claims: { sub: 's', token_use: 'access', 'cognito:groups': '[inspector]', 'custom:unitId': 'HN' },
    });
    const res = await putVisit(event, fakeContext('putVisit'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('stack');
    expect(JSON.parse(res.body ?? '')).toMatchObject({
      code: 'internal',
      detail: expect.stringMatching(/unexpected/),
    });
    expect(appended).toHaveBeenCalledWith(
      expect.objectContaining({ requestId: event.requestContext.requestId }),
    );
    expect(logged).toHaveBeenCalledWith('Unhandled error', { error: failure });
  });
});

describe('CORS', () => {
  beforeEach(() => {
    vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://app.example.vn, http://localhost:*');
  });

  it.each(['https://app.example.vn', 'http://localhost:5173', 'http://localhost'])(
    'echoes the allowed origin %s',
    async (origin) => {
      const res = await invokeHandler(getHealth, 'getHealth', { headers: { Origin: origin } });
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-expose-headers']).toBe('ETag, Retry-After');
      expect(res.headers.vary).toBe('Origin');
    },
  );

  it.each(['https://evil.example', 'http://localhost.evil.example', 'https://localhost:5173', 'null'])(
    'does not echo %s',
    async (origin) => {
      const res = await invokeHandler(getHealth, 'getHealth', { headers: { Origin: origin } });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers.vary).toBe('Origin');
    },
  );

  it('keeps the Vary of the route beside Origin', async () => {
    const varying = httpHandler({
      route: routeNamed('getPublication'),
      async handle() {
        return {
          status: 200,
          body: 'a,b',
          contentType: 'text/csv',
          headers: { vary: 'Accept, Accept-Language' },
        };
      },
    });
    const res = await invokeHandler(varying, 'getPublication', {
      params: { publicationId: 'p' },
      headers: { Origin: 'https://app.example.vn' },
      as: ranking,
    });
    expect(res.headers.vary).toBe('Accept, Accept-Language, Origin');
  });

  it('adds CORS headers to errors too', async () => {
    const res = await invokeHandler(putVisit, 'putVisit', {
      params: { visitId },
      body: goodBody,
      headers: { origin: 'http://localhost:3000' },
    });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it('allows no origin when none is configured', async () => {
    vi.stubEnv('CORS_ALLOWED_ORIGINS', '');
    const res = await invokeHandler(getHealth, 'getHealth', { headers: { Origin: 'http://localhost:3000' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
