/**
 * The OpenID Connect client's settings and sign-out request, pure (no DOM), so that the unit
 * tests run oidc-client-ts with exactly what the app gives it.
 */
import type { SignoutRedirectArgs, StateStore, UserManagerSettings } from 'oidc-client-ts';
import type { AppConfig } from '../config.ts';

/**
 * The client's settings for this config and origin. A config that names its end-session
 * endpoint (Cognito) seeds it into the discovered metadata, since Cognito's discovery document
 * has none and oidc-client-ts would otherwise find nowhere to sign out.
 */
export function oidcSettings(config: AppConfig, origin: string, store: StateStore): UserManagerSettings {
  const { endSessionEndpoint } = config.oidc;
  return {
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    scope: config.oidc.scope,
    redirect_uri: `${origin}/auth/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    // Renewal is ours: only when online and near expiry, never a hidden iframe loop offline.
    automaticSilentRenew: false,
    userStore: store,
    ...(endSessionEndpoint === undefined
      ? {}
      : { metadataSeed: { end_session_endpoint: endSessionEndpoint } }),
  };
}

/**
 * How to end the provider's session. A standard provider (the local one) takes RP-initiated
 * logout: `id_token_hint` and `post_logout_redirect_uri`. Cognito's `/logout` takes instead
 * `client_id` and `logout_uri`, which must be one of the client's sign-out URLs (the app's root),
 * and answers an error page when `logout_uri` is missing; an empty post_logout_redirect_uri
 * keeps oidc-client-ts from adding its default, which Cognito does not know.
 */
export function signOutArgs(
  config: AppConfig,
  origin: string,
  idToken: string | undefined,
): SignoutRedirectArgs {
  if (config.oidc.endSessionEndpoint !== undefined) {
    return {
      post_logout_redirect_uri: '',
      extraQueryParams: { client_id: config.oidc.clientId, logout_uri: `${origin}/` },
    };
  }
  return idToken === undefined ? {} : { id_token_hint: idToken };
}
