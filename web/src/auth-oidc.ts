/**
 * The OpenID Connect client (oidc-client-ts), loaded only when a sign-in, a refresh or a
 * sign-out needs it: a phone reopening the app with a valid session never downloads it.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AppConfig } from './config.ts';

let manager: UserManager | null = null;

export function userManager(config: AppConfig): UserManager {
  if (manager === null) {
    const origin = window.location.origin;
    manager = new UserManager({
      authority: config.oidc.authority,
      client_id: config.oidc.clientId,
      scope: config.oidc.scope,
      redirect_uri: `${origin}/auth/callback`,
      post_logout_redirect_uri: `${origin}/`,
      response_type: 'code',
      // Renewal is ours: only when online and near expiry, never a hidden iframe loop offline.
      automaticSilentRenew: false,
      userStore: new WebStorageStateStore({ store: window.localStorage }),
    });
  }
  return manager;
}

export type { User };
