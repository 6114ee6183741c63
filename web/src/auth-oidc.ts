/**
 * The OpenID Connect client (oidc-client-ts), loaded only when a sign-in, a refresh or a
 * sign-out needs it: a phone reopening the app with a valid session never downloads it.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AppConfig } from './config.ts';
import { oidcSettings } from './lib/oidc-settings.ts';

export { signOutArgs } from './lib/oidc-settings.ts';

let manager: UserManager | null = null;

export function userManager(config: AppConfig): UserManager {
  if (manager === null) {
    manager = new UserManager(
      oidcSettings(config, window.location.origin, new WebStorageStateStore({ store: window.localStorage })),
    );
  }
  return manager;
}

export type { User };
