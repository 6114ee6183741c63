/**
 * The app's Content-Security-Policy, one function for CloudFront and the local server so that
 * the policy the browser tests exercise is the one that deploys. Only the app itself, the API,
 * the sign-in provider and the photo bucket's hosts may be reached; photo previews are blob:.
 */

/** The origins the app talks to besides its own. */
export interface CspSources {
  /** The API's origin(s). */
  readonly api: readonly string[];
  /** The OpenID provider: discovery, token and user-info endpoints. */
  readonly signIn: readonly string[];
  /** Where presigned upload forms are posted and downloads are read. */
  readonly photos: readonly string[];
}

/** The policy text; with no sources every connection stays on the app's own origin. */
export function contentSecurityPolicy(sources: CspSources = { api: [], signIn: [], photos: [] }): string {
  const list = (...extra: readonly string[]) => ["'self'", ...extra].join(' ');
  return [
    "default-src 'self'",
    `img-src ${list('blob:', 'data:', ...sources.photos)}`,
    `connect-src ${list(...sources.api, ...sources.signIn, ...sources.photos)}`,
    "worker-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The AWS sources of a region. The API's and the bucket's exact hosts are created after the web
 * stack (which must exist first, since their CORS names its domain): naming them here would tie
 * the stacks in a cycle, so they are allowed by their regional names. The Cognito domain is
 * exact: its prefix is known before anything deploys.
 */
export function awsCspSources(region: string, cognitoDomainHost: string): CspSources {
  return {
    api: [`https://*.execute-api.${region}.amazonaws.com`],
    signIn: [`https://${cognitoDomainHost}`, `https://cognito-idp.${region}.amazonaws.com`],
    photos: [`https://*.s3.${region}.amazonaws.com`, `https://s3.${region}.amazonaws.com`],
  };
}
