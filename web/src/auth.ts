/**
 * Sign-in with OpenID Connect (authorization code + PKCE) through oidc-client-ts, the same code
 * against the local provider and Cognito. The user is kept in localStorage (oidc-client-ts's
 * WebStorageStateStore), so a reload offline still knows who is signed in even when the token
 * has expired: the work stays usable and is sent once a fresh token is got (refresh token when
 * online, else a new sign-in). The stored user is read here without the library, which is only
 * loaded to sign in, refresh or sign out.
 */
import { signal } from '@preact/signals';
import type { AppConfig } from './config.ts';
import { type StaffRole, tokenClaims } from './lib/claims.ts';
import { setMeta } from './store/db.ts';

export type { StaffRole };

export interface SignedInUser {
  sub: string;
  name: string;
  accessToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  hasRefreshToken: boolean;
  /**
   * The staff roles of the access token's `cognito:groups`: what the app shows (the inspector's
   * screens, the console, or a "not allowed" page). The API decides for itself on every call.
   */
  roles: StaffRole[];
  /** `custom:unitId`: the root of the user's jurisdiction. */
  unitId: string | null;
}

/** Whether the user may use the managers' console (a manager or an admin). */
export function isReviewer(user: SignedInUser | null): boolean {
  return user?.roles.includes('manager') === true || user?.roles.includes('admin') === true;
}

export function isAdmin(user: SignedInUser | null): boolean {
  return user?.roles.includes('admin') === true;
}

export function isInspector(user: SignedInUser | null): boolean {
  return user?.roles.includes('inspector') === true;
}

/** The signed-in user (token possibly expired), or null. */
export const currentUser = signal<SignedInUser | null>(null);
/** True when the token expired and could not be refreshed: sending waits for a new sign-in. */
export const sessionExpired = signal(false);

let config: AppConfig | null = null;

/** Refresh this long before expiry, so a request never leaves with a token about to die. */
const refreshMarginSeconds = 60;

function oidc() {
  return oidcModule().then(({ module, config: c }) => module.userManager(c));
}

function oidcModule() {
  if (config === null) throw new Error('initAuth first');
  const c = config;
  return import('./auth-oidc.ts').then((module) => ({ module, config: c }));
}

interface StoredUserShape {
  access_token: string;
  expires_at?: number;
  refresh_token?: string;
  profile: { sub: string; name?: unknown };
}

function isStoredUser(value: unknown): value is StoredUserShape {
  if (typeof value !== 'object' || value === null) return false;
  if (!('access_token' in value) || typeof value.access_token !== 'string') return false;
  if (!('profile' in value) || typeof value.profile !== 'object' || value.profile === null) return false;
  return 'sub' in value.profile && typeof value.profile.sub === 'string';
}

function toSignedIn(user: StoredUserShape): SignedInUser {
  const name = typeof user.profile.name === 'string' ? user.profile.name : user.profile.sub;
  return {
    sub: user.profile.sub,
    name,
    accessToken: user.access_token,
    expiresAt: typeof user.expires_at === 'number' ? user.expires_at : 0,
    hasRefreshToken: typeof user.refresh_token === 'string' && user.refresh_token.length > 0,
    ...tokenClaims(user.access_token),
  };
}

async function adopt(user: StoredUserShape | null): Promise<void> {
  const signedIn = user === null ? null : toSignedIn(user);
  currentUser.value = signedIn;
  if (signedIn !== null) {
    sessionExpired.value = signedIn.expiresAt <= Date.now() / 1000 && !navigator.onLine;
    // The service worker cannot read localStorage; Background Sync sends with this copy.
    await setMeta(`session:${signedIn.sub}`, {
      accessToken: signedIn.accessToken,
      expiresAt: signedIn.expiresAt,
    });
    await setMeta('activeSub', signedIn.sub);
  }
}

export function initAuth(appConfig: AppConfig): void {
  config = appConfig;
}

/** The key WebStorageStateStore keeps the user under (its default `oidc.` prefix). */
function storageKey(c: AppConfig): string {
  return `oidc.user:${c.oidc.authority}:${c.oidc.clientId}`;
}

/** The user remembered on this phone (no network, no library). */
export async function restoreUser(): Promise<void> {
  if (config === null) return;
  const raw = localStorage.getItem(storageKey(config));
  if (raw === null) {
    currentUser.value = null;
    return;
  }
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  if (isStoredUser(parsed)) {
    await adopt(parsed);
  } else {
    // A format this code does not know: ask the library itself.
    const user = await (await oidc()).getUser();
    await adopt(user);
  }
}

/** Starts the sign-in (leaves the page); `loginHint` lets the local provider skip its page. */
export async function signIn(loginHint?: string): Promise<void> {
  await (await oidc()).signinRedirect(loginHint !== undefined ? { login_hint: loginHint } : undefined);
}

/** Completes the sign-in on /auth/callback. */
export async function completeSignIn(): Promise<void> {
  await adopt(await (await oidc()).signinRedirectCallback());
}

/**
 * A token good for at least a minute, refreshing it first when it is near expiry and the phone is
 * online; null when there is none (offline with an expired token, or the refresh was refused).
 */
export async function freshToken(): Promise<string | null> {
  const user = currentUser.value;
  if (user === null) return null;
  if (user.expiresAt - refreshMarginSeconds > Date.now() / 1000) {
    sessionExpired.value = false;
    return user.accessToken;
  }
  if (navigator.onLine && user.hasRefreshToken) {
    try {
      const renewed = await (await oidc()).signinSilent();
      if (renewed !== null && renewed.profile.sub === user.sub) {
        await adopt(renewed);
        sessionExpired.value = false;
        return renewed.access_token;
      }
    } catch {
      // Refused or unreachable: a new sign-in is needed; the work stays queued.
    }
  }
  sessionExpired.value = true;
  return null;
}

/** Forgets the user on this phone and ends the provider's session when online. Queued work stays. */
export async function signOut(): Promise<void> {
  const { module, config: c } = await oidcModule();
  const manager = module.userManager(c);
  const user = await manager.getUser();
  await manager.removeUser();
  currentUser.value = null;
  if (navigator.onLine && user !== null) {
    try {
      await manager.signoutRedirect(module.signOutArgs(c, window.location.origin, user.id_token));
      return;
    } catch {
      // A provider without an end-session endpoint: signing out on the phone is enough.
    }
  }
  window.location.assign('/');
}
