import { Stack } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { revalidateCache, runtimeConfigFiles } from '../stacks/web-stack.ts';

export interface WebConfigProps {
  /** The app's bucket (from the web stack). */
  readonly bucket: IBucket;
  /** The API's base URL. */
  readonly apiBaseUrl: string;
  /** The user pool's ID: the OIDC authority is its issuer. */
  readonly userPoolId: string;
  /** The people client (authorization code with PKCE). */
  readonly clientId: string;
  /** The Cognito domain's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly cognitoDomainUrl: string;
}

/** The scopes the app asks for; the access token's audience check is on client_id. */
export const appScopes = 'openid email profile';

/**
 * The app's runtime config, written into the web bucket at deploy time (values the web stack
 * cannot know: it deploys first). Same shape as local mode's `/app-config.json` (web/src/
 * config.ts), plus what Cognito needs by hand: its discovery document has no
 * end_session_endpoint, so sign-out goes to `<domain>/logout`. Written under both names the
 * app and issue 13 use, never pruned by the web stack's own upload.
 */
export class WebConfig extends Construct {
  constructor(scope: Construct, id: string, props: WebConfigProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const config = {
      apiBaseUrl: props.apiBaseUrl,
      oidc: {
        authority: `https://cognito-idp.${region}.amazonaws.com/${props.userPoolId}`,
        clientId: props.clientId,
        scope: appScopes,
        endSessionEndpoint: `${props.cognitoDomainUrl}/logout`,
      },
      cognitoDomain: props.cognitoDomainUrl,
      region,
      mode: 'aws',
    };
    new BucketDeployment(this, 'Deploy', {
      sources: runtimeConfigFiles.map((name) => Source.jsonData(name, config)),
      destinationBucket: props.bucket,
      prune: false,
      cacheControl: [CacheControl.fromString(revalidateCache)],
    });
  }
}
