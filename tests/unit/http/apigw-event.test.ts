import { describe, expect, it } from 'vitest';
import { awsClaims, matchRoute, toApiGatewayEvent } from '#local/apigw-event.ts';

describe('toApiGatewayEvent', () => {
  it('builds the payload 2.0 event of a protected route', () => {
    const event = toApiGatewayEvent({
      method: 'put',
      path: '/v1/visits/abc',
      routePath: '/v1/visits/{visitId}',
      pathParameters: { visitId: 'abc' },
      query: new URLSearchParams('a=1&a=2&b=x%20y'),
      headers: { 'Content-Type': 'application/json', 'X-Multi': ['1', '2'], Cookie: 'a=1; b=2' },
      body: '{"x":1}',
      claims: awsClaims({ sub: 's', 'cognito:groups': ['admin', 'manager'], exp: 1700000000 }),
      sourceIp: '10.0.0.1',
    });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'PUT /v1/visits/{visitId}',
      rawPath: '/v1/visits/abc',
      rawQueryString: 'a=1&a=2&b=x+y',
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { visitId: 'abc' },
      headers: { 'content-type': 'application/json', 'x-multi': '1,2', 'x-forwarded-for': '10.0.0.1' },
      cookies: ['a=1', 'b=2'],
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'PUT', path: '/v1/visits/abc', sourceIp: '10.0.0.1' },
        routeKey: 'PUT /v1/visits/{visitId}',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        requestId: expect.any(String),
        authorizer: {
          jwt: { claims: { sub: 's', 'cognito:groups': '[admin manager]', exp: '1700000000' }, scopes: null },
        },
      },
    });
    expect(event.headers.cookie).toBeUndefined();
  });

  it('omits the authorizer, query and path parameters when there are none', () => {
    const event = toApiGatewayEvent({
      method: 'GET',
      path: '/v1/health',
      routePath: '/v1/health',
      claims: null,
    });
    expect('authorizer' in event.requestContext).toBe(false);
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
  });

  it('base64-encodes binary bodies and passes textual ones as text', () => {
    const binary = Buffer.from([0xff, 0xd8, 0xff, 0x00]);
    const common = { method: 'POST', path: '/x', routePath: '/x', claims: null } as const;
    const image = toApiGatewayEvent({ ...common, body: binary, headers: { 'content-type': 'image/jpeg' } });
    expect(image).toMatchObject({ body: binary.toString('base64'), isBase64Encoded: true });
    const json = toApiGatewayEvent({
      ...common,
      body: Buffer.from('{"a":"đ"}'),
      headers: { 'content-type': 'application/json' },
    });
    expect(json).toMatchObject({ body: '{"a":"đ"}', isBase64Encoded: false });
  });
});

describe('matchRoute', () => {
  it('finds the route and decodes its parameters', () => {
    expect(matchRoute('GET', '/v1/templates/tpl-1/versions/latest')).toMatchObject({
      route: { name: 'getTemplateVersion' },
      pathParameters: { templateId: 'tpl-1', version: 'latest' },
    });
    expect(matchRoute('get', '/v1/units/HN%2E1/scores')).toMatchObject({
      route: { name: 'getUnitScores' },
      pathParameters: { unitId: 'HN.1' },
    });
    expect(matchRoute('POST', '/v1/visits/v1/submit')?.route.name).toBe('submitVisit');
    expect(matchRoute('GET', '/v1/health?x=1')?.route.name).toBe('getHealth');
  });

  it('answers null for unknown paths, wrong methods and empty segments', () => {
    expect(matchRoute('GET', '/v1/nothing')).toBeNull();
    expect(matchRoute('POST', '/v1/health')).toBeNull();
    expect(matchRoute('GET', '/v1/visits/')).toBeNull();
  });
});
