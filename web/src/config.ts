/**
 * `/app-config.json`: where the API and the sign-in provider are. Fetched at every start and
 * kept in IndexedDB, so that the app also starts offline (the service worker caches it too).
 * Checked by hand rather than with zod: this runs before anything else, and zod stays out of
 * the first screen's critical path.
 */
import { getMeta, setMeta } from './store/db.ts';

export interface AppConfig {
  apiBaseUrl: string;
  oidc: {
    authority: string;
    clientId: string;
    scope: string;
    /**
     * Where sign-out goes when the provider's discovery document does not say (Cognito's has no
     * end_session_endpoint: its `/logout` is named by the deployment's runtime config).
     */
    endSessionEndpoint?: string;
  };
  mode: 'local' | 'aws';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Whether a value is a well-formed app config (used on the network answer and on the cache). */
export function isAppConfig(value: unknown): value is AppConfig {
  if (!isRecord(value) || !isRecord(value.oidc)) return false;
  const { oidc } = value;
  return (
    nonEmpty(value.apiBaseUrl) &&
    (value.mode === 'local' || value.mode === 'aws') &&
    nonEmpty(oidc.authority) &&
    nonEmpty(oidc.clientId) &&
    nonEmpty(oidc.scope) &&
    (oidc.endSessionEndpoint === undefined || isHttpsUrl(oidc.endSessionEndpoint))
  );
}

function isHttpsUrl(value: unknown): boolean {
  if (!nonEmpty(value)) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

const cacheKey = 'app-config';

/** The config from the network, else the last one seen on this phone, else null. */
export async function loadConfig(): Promise<AppConfig | null> {
  try {
    const response = await fetch('/app-config.json', { cache: 'no-cache' });
    if (response.ok) {
      const value: unknown = await response.json();
      if (isAppConfig(value)) {
        await setMeta(cacheKey, value);
        return value;
      }
    }
  } catch {
    // Offline: the cached copy below.
  }
  return getMeta(cacheKey, isAppConfig);
}
