/**
 * The two small functions that exist only in AWS: the Cognito pre-token trigger and the
 * `$default` route's 404. (They have no local-mode counterpart, so they are tested here.)
 */
import type { APIGatewayProxyEventV2, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as preToken } from '#functions/auth/pre-token.ts';
import { handler as notFound } from '#functions/fallback/not-found.ts';

function tokenEvent(userAttributes: Record<string, string>): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'ap-southeast-1',
    userPoolId: 'ap-southeast-1_example',
    userName: 'inspector-1',
    callerContext: { awsSdkVersion: '3', clientId: 'people-client' },
    request: { userAttributes, groupConfiguration: { groupsToOverride: ['inspector'] }, scopes: [] },
    response: { claimsAndScopeOverrideDetails: {} },
  };
}

describe('pre-token trigger', () => {
  it('copies custom:unitId and name into the access token', async () => {
    const result = await preToken(
      tokenEvent({ sub: 'u1', 'custom:unitId': 'xa-an-binh', name: 'Nguyễn Văn A' }),
    );
    expect(
      result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({
      'custom:unitId': 'xa-an-binh',
      name: 'Nguyễn Văn A',
    });
  });

  it('adds no unit claim to a user without a unit, so the API refuses the token', async () => {
    const result = await preToken(tokenEvent({ sub: 'u2' }));
    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toBeUndefined();
  });
});

function httpEvent(headers: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/nothing-here',
    rawQueryString: '',
    headers,
    isBase64Encoded: false,
    requestContext: {
      accountId: '111122223333',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: {
        method: 'GET',
        path: '/v1/nothing-here',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.1',
        userAgent: 'test',
      },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
  };
}

describe('$default route', () => {
  it('answers a Vietnamese problem+json 404 by default', async () => {
    const result = await notFound(httpEvent({}));
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(String(result.body))).toEqual({
      type: 'urn:problem:not_found',
      code: 'not_found',
      title: 'Không tìm thấy',
      status: 404,
      detail: 'Không có tài nguyên nào ở đường dẫn này.',
    });
  });

  it('answers in English when the caller prefers English', async () => {
    const result = await notFound(httpEvent({ 'accept-language': 'en-US,en;q=0.9,vi;q=0.8' }));
    expect(JSON.parse(String(result.body))).toMatchObject({
      code: 'not_found',
      title: 'Not found',
      status: 404,
    });
  });
});
