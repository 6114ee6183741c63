/**
 * The web stack: CloudFront in front of the app's private bucket, its headers and caching, the
 * navigation fallback, the runtime config the API stack writes, and sign-in with PKCE.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { beforeAll, describe, expect, it } from 'vitest';
import { appScopes } from '#infra/constructs/web-config.ts';
import { flattenReference } from '#infra/nag.ts';
import { immutableCache, navigationFunctionCode, revalidateCache } from '#infra/stacks/web-stack.ts';
import { awsCspSources, contentSecurityPolicy } from '#infra/web-csp.ts';
import { type Statement, type Synthesised, synthesise } from './support.ts';

let synth: Synthesised;
beforeAll(() => {
  synth = synthesise();
}, 120_000);

const region = 'ap-southeast-1';

function only(template: Synthesised['webTemplate'], type: string): Record<string, unknown> {
  const resources = Object.values(template.findResources(type));
  expect(resources, type).toHaveLength(1);
  return (resources[0]?.Properties ?? {}) as Record<string, unknown>;
}

interface DistributionConfig {
  DefaultCacheBehavior: Record<string, unknown>;
  CacheBehaviors: Array<Record<string, unknown>>;
  CustomErrorResponses?: unknown;
  HttpVersion: string;
  Logging: { Bucket: unknown };
  Origins: Array<{ S3OriginConfig?: unknown; OriginAccessControlId?: unknown }>;
}

function distribution(): DistributionConfig {
  return only(synth.webTemplate, 'AWS::CloudFront::Distribution').DistributionConfig as DistributionConfig;
}

/** Runs the CloudFront function's code on a viewer request; returns the URI it asks S3 for. */
function viewerRequest(uri: string, accept: string, method = 'GET'): string {
  const handler = new Function(`${navigationFunctionCode}; return handler;`)() as (event: unknown) => {
    uri: string;
  };
  return handler({ request: { uri, method, headers: accept ? { accept: { value: accept } } : {} } }).uri;
}

/** Whether a CSP directive's sources allow a URL (scheme + host, `*.` wildcards), as browsers match. */
function allows(policy: string, directive: string, url: string): boolean {
  const line = policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([name]) => name === directive);
  const target = new URL(url);
  return (line ?? []).slice(1).some((source) => {
    if (!source.startsWith('https://')) return false;
    const host = source.slice('https://'.length);
    return host.startsWith('*.')
      ? target.protocol === 'https:' && target.hostname.endsWith(host.slice(1))
      : target.protocol === 'https:' && target.hostname === host;
  });
}

describe('CloudFront', () => {
  it('serves a private bucket through origin access control, HTTPS only, HTTP/2 and 3, compressed', () => {
    const config = distribution();
    expect(config.HttpVersion).toBe('http2and3');
    expect(config.Origins[0]?.OriginAccessControlId).toBeDefined();
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true });
    }
    synth.webTemplate.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('caches hashed /assets/* for a year and revalidates the shell, config, service worker and manifest', () => {
    const config = distribution();
    expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern)).toEqual(['/assets/*']);
    // The managed CachingOptimized policy honours the objects' one-year max-age.
    expect(config.CacheBehaviors[0]?.CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
    const revalidate = only(synth.webTemplate, 'AWS::CloudFront::CachePolicy').CachePolicyConfig;
    expect(revalidate).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
    expect(flattenReference(config.DefaultCacheBehavior.CachePolicyId)).toMatch(/^<Revalidate[0-9A-F]+>$/);
    const deployments = Object.values(synth.webTemplate.findResources('Custom::CDKBucketDeployment')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    expect(deployments).toContainEqual(
      expect.objectContaining({
        Include: ['assets/*'],
        Exclude: ['*'],
        Prune: false,
        SystemMetadata: { 'cache-control': immutableCache },
      }),
    );
    expect(deployments).toContainEqual(
      expect.objectContaining({
        Exclude: ['assets/*', 'app-config.json', 'config.json'],
        Prune: true,
        SystemMetadata: { 'cache-control': revalidateCache },
      }),
    );
  });

  it('gives app navigations the shell, never an API path, and maps no errors to the page', () => {
    expect(distribution().CustomErrorResponses).toBeUndefined();
    const html = 'text/html,application/xhtml+xml';
    expect(viewerRequest('/visits/v-1', html)).toBe('/index.html');
    expect(viewerRequest('/auth/callback', html)).toBe('/index.html');
    expect(viewerRequest('/v1/visits/v-1', html)).toBe('/v1/visits/v-1');
    expect(viewerRequest('/v1', html)).toBe('/v1');
    expect(viewerRequest('/assets/index-abc.js', html)).toBe('/assets/index-abc.js');
    expect(viewerRequest('/visits/v-1', 'application/json')).toBe('/visits/v-1');
    expect(viewerRequest('/visits/v-1', html, 'POST')).toBe('/visits/v-1');
    const association = (distribution().DefaultCacheBehavior.FunctionAssociations as unknown[])[0];
    expect(association).toMatchObject({ EventType: 'viewer-request' });
  });

  it('sends HSTS, nosniff, frame denial, a referrer policy and the CSP on every answer', () => {
    const policy = only(synth.webTemplate, 'AWS::CloudFront::ResponseHeadersPolicy')
      .ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = policy.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 31536000,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
    const csp = flattenReference(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/img-src 'self' blob: data: /);
    // The default domain prefix, resolved in the web stack's own account.
    expect(csp).toContain(`https://par-inspect-<AWS::AccountId>.auth.${region}.amazoncognito.com`);
    for (const behavior of [distribution().DefaultCacheBehavior, ...distribution().CacheBehaviors]) {
      expect(flattenReference(behavior.ResponseHeadersPolicyId)).toMatch(/^<SecurityHeaders[0-9A-F]+>$/);
    }
  });

  it('allows a real presigned upload form, a download URL, the API and Cognito, and nothing else', async () => {
    const policy = contentSecurityPolicy(
      awsCspSources(region, `par-inspect-111122223333.auth.${region}.amazoncognito.com`),
    );
    const s3 = new S3Client({
      region,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const bucket = 'parinspectdata-files8e6940b8-1a2b3c4d5e6f';
    const form = await createPresignedPost(s3, { Bucket: bucket, Key: 'photos/v-1/p-1.jpg', Expires: 300 });
    const download = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: bucket, Key: 'photos/v-1/p-1.jpg' }),
    );
    expect(allows(policy, 'connect-src', form.url)).toBe(true);
    expect(allows(policy, 'connect-src', download)).toBe(true);
    expect(allows(policy, 'img-src', download)).toBe(true);
    expect(
      allows(policy, 'connect-src', `https://abc123.execute-api.${region}.amazonaws.com/v1/visits`),
    ).toBe(true);
    expect(
      allows(policy, 'connect-src', `https://cognito-idp.${region}.amazonaws.com/pool/.well-known/x`),
    ).toBe(true);
    expect(allows(policy, 'connect-src', 'https://evil.example.com/')).toBe(false);
    expect(allows(policy, 'connect-src', `https://${bucket}.s3.us-east-1.amazonaws.com/`)).toBe(false);
    expect(allows(policy, 'img-src', 'https://evil.example.com/x.png')).toBe(false);
  });

  it('logs to a bucket with ACLs enabled, as CloudFront standard logging needs', () => {
    const logBucket = flattenReference(distribution().Logging.Bucket);
    const [logicalId] = logBucket.replace(/^</, '').split('.');
    const bucket = synth.webTemplate.toJSON().Resources[logicalId ?? ''];
    expect(bucket?.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }],
    });
  });
});

describe('runtime config and sign-in', () => {
  it('writes config.json and app-config.json with the API, the pool, the client and the sign-out endpoint', () => {
    const deployment = only(synth.apiTemplate, 'Custom::CDKBucketDeployment');
    expect(deployment.Prune).toBe(false);
    expect(deployment.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    expect(flattenReference(deployment.DestinationBucketName)).toMatch(/^ParInspectWeb:ExportsOutputRefSite/);
    const markers = JSON.stringify(deployment.SourceMarkers);
    expect(markers).toContain('PeopleClient');
    expect(markers).toContain('ApiF70053CD');
    expect(markers).toContain('AuthUsersDomain');
    // One JSON file under each name: the one web/src/config.ts fetches and the issue's.
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    expect(appScopes).toBe('openid email profile');
  });

  it('gives the people client the code grant (PKCE) with the CloudFront callback and sign-out URLs', () => {
    const clients = Object.values(synth.apiTemplate.findResources('AWS::Cognito::UserPoolClient')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    const people = clients.find((client) => client.GenerateSecret !== true);
    expect(people).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    const [callback] = ((people?.CallbackURLs ?? []) as unknown[]).map(flattenReference);
    const [signOut] = ((people?.LogoutURLs ?? []) as unknown[]).map(flattenReference);
    expect(callback).toMatch(
      /^https:\/\/ParInspectWeb:ExportsOutputFnGetAttDistribution\w+DomainName\w+\/auth\/callback$/,
    );
    expect(signOut).toMatch(/^https:\/\/ParInspectWeb:ExportsOutputFnGetAttDistribution\w+DomainName\w+\/$/);
  });

  it('uses managed login v2 with a branding style for the people client, and TOTP MFA', () => {
    synth.apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    const branding = only(synth.apiTemplate, 'AWS::Cognito::ManagedLoginBranding');
    expect(branding.UseCognitoProvidedValues).toBe(true);
    expect(flattenReference(branding.ClientId)).toMatch(/^<AuthUsersPeopleClient\w+>$/);
    synth.apiTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it("confines CDK's upload handler to the app's bucket and the asset bucket", () => {
    for (const template of [synth.webTemplate, synth.apiTemplate]) {
      const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
        id.startsWith('CustomCDKBucketDeployment'),
      );
      expect(policies).toHaveLength(1);
      const statements = (
        (policies[0]?.[1].Properties ?? {}) as { PolicyDocument: { Statement: Statement[] } }
      ).PolicyDocument.Statement;
      const resources = statements.flatMap((statement) =>
        (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map(flattenReference),
      );
      for (const resource of resources) {
        expect(resource).toMatch(/cdk-hnb659fds-assets-111122223333-ap-southeast-1|Site/);
      }
    }
  });
});
