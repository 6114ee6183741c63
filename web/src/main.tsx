/**
 * Start-up: the config (network, else the phone's copy), the remembered user (no network
 * needed), then the outbox. `?local_sign_in=<query>` starts a sign-in with that login hint at
 * once, which is how `/local/sign-in?role=…` signs a demo or a test in without the provider's page.
 */
import './zod-jitless.ts';
import { render } from 'preact';
import './styles.css';
import { App, bootError } from './app.tsx';
import { completeSignIn, currentUser, initAuth, isInspector, restoreUser, signIn } from './auth.ts';
import { loadConfig } from './config.ts';
import { t } from './i18n/index.ts';
import { startPwa } from './pwa.ts';
import { config, loaded, navigate, refreshStorage, reload, route, routeOf } from './state.ts';
import { startSync } from './sync/trigger.ts';

async function boot(): Promise<void> {
  route.value = routeOf(window.location.pathname, window.location.search);
  window.addEventListener('popstate', () => {
    route.value = routeOf(window.location.pathname, window.location.search);
  });
  const loadedConfig = await loadConfig();
  if (loadedConfig === null) {
    bootError.value = t.value.configMissing;
    loaded.value = true;
    return;
  }
  config.value = loadedConfig;
  initAuth(loadedConfig);

  const params = new URLSearchParams(window.location.search);
  const hint = params.get('local_sign_in');
  if (hint !== null) {
    await signIn(hint);
    return;
  }
  if (route.value.name === 'callback') {
    try {
      await completeSignIn();
    } catch (error) {
      bootError.value = t.value.signInFailed(error instanceof Error ? error.message : String(error));
    }
    navigate({ name: 'home' }, true);
  } else {
    await restoreUser();
  }
  await reload();
  // Only an inspector has an outbox and visits to pull onto the device; a manager's console reads
  // the API directly.
  if (isInspector(currentUser.value)) {
    startSync();
    void refreshStorage();
  }
}

const root = document.getElementById('app');
if (root !== null) {
  // Replace the static "loading" text of index.html rather than render beside it.
  root.replaceChildren();
  render(<App />, root);
}
startPwa();
boot().catch((error: unknown) => {
  bootError.value = error instanceof Error ? error.message : String(error);
  loaded.value = true;
});
