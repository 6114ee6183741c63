import { signal } from '@preact/signals';
import type { ComponentType } from 'preact';
import { currentUser, isInspector, isReviewer, sessionExpired, signIn } from './auth.ts';
import { t, toggleLanguage } from './i18n/index.ts';
import { applyUpdate, updateWaiting } from './pwa.ts';
import { HomeScreen } from './screens/Home.tsx';
import { NewVisitScreen } from './screens/NewVisit.tsx';
import { AppLink } from './screens/parts.tsx';
import { SignInScreen } from './screens/SignIn.tsx';
import { loaded, navigate, notice, online, route } from './state.ts';

/** A start-up problem shown instead of the screens. */
export const bootError = signal<string | null>(null);

// The visit screen carries the checklist controls and the live score: loaded when first opened.
const VisitScreen = signal<ComponentType<{ visitId: string }> | null>(null);
function loadVisitScreen(): void {
  if (VisitScreen.value !== null) return;
  void import('./screens/Visit.tsx').then((module) => {
    VisitScreen.value = module.VisitScreen;
  });
}

// The managers' console: its own chunks, outside the service worker's precache, so that an
// inspector's phone never downloads them; loaded only for a manager or an admin.
const ConsoleScreen = signal<ComponentType<{ path: string }> | null>(null);
function loadConsole(): void {
  if (ConsoleScreen.value !== null) return;
  void import('./console/Console.tsx').then((module) => {
    ConsoleScreen.value = module.ConsoleScreen;
  });
}

/** What an inspector sees at a console address (the API refuses their calls there anyway). */
function NotAllowed() {
  const m = t.value;
  return (
    <section class="panel warn" aria-labelledby="not-allowed">
      <h1 id="not-allowed">{m.notAllowedTitle}</h1>
      <p>{m.notAllowedText}</p>
      <AppLink to={{ name: 'home' }} class="button">
        {m.notAllowedHome}
      </AppLink>
    </section>
  );
}

function Screen() {
  const r = route.value;
  const user = currentUser.value;
  if (!loaded.value || r.name === 'callback') return <p role="status">{t.value.loading}</p>;
  if (user === null) return <SignInScreen />;
  if (r.name === 'console') {
    if (!isReviewer(user)) return <NotAllowed />;
    loadConsole();
    const Console = ConsoleScreen.value;
    return Console === null ? <p role="status">{t.value.loading}</p> : <Console path={r.path} />;
  }
  if (r.name === 'home' && isReviewer(user) && !isInspector(user)) {
    // A manager's or admin's home is the console's review queue.
    queueMicrotask(() => navigate({ name: 'console', path: '/console' }, true));
    return <p role="status">{t.value.loading}</p>;
  }
  if (r.name === 'new') return <NewVisitScreen />;
  if (r.name === 'visit') {
    loadVisitScreen();
    const Visit = VisitScreen.value;
    return Visit === null ? <p role="status">{t.value.loading}</p> : <Visit visitId={r.visitId} />;
  }
  return <HomeScreen />;
}

export function App() {
  const m = t.value;
  const desk = route.value.name === 'console';
  return (
    <>
      {desk && (
        // The console's first stop for the keyboard: past the header and the console's navigation
        // (inside <main>) to the screen's own content, ConsoleScreen's #console-content (focusable
        // with tabIndex -1, so the next Tab goes on from there). The router ignores the fragment.
        <a class="skip-link" href="#console-content">
          {m.skipToContent}
        </a>
      )}
      <header class="bar">
        <span class="brand">{m.appName}</span>
        <span class={online.value ? 'net on' : 'net off'} role="status">
          {online.value ? m.online : m.offline}
        </span>
        <button type="button" class="link" lang={m.otherLanguageCode} onClick={toggleLanguage}>
          {m.switchToOther}
        </button>
      </header>
      <main id="main" class={desk ? 'desk' : undefined}>
        {bootError.value !== null && (
          <p class="error" role="alert">
            {bootError.value}
          </p>
        )}
        {updateWaiting.value !== null && (
          <div class="panel">
            <p>{m.updateReady}</p>
            <button type="button" onClick={applyUpdate}>
              {m.updateNow}
            </button>
          </div>
        )}
        {currentUser.value !== null && sessionExpired.value && (
          <div class="panel warn">
            <p>{m.sessionExpired}</p>
            {online.value && (
              <button type="button" onClick={() => void signIn()}>
                {m.signInAgain}
              </button>
            )}
          </div>
        )}
        {notice.value !== null && (
          <p class="notice" role="status">
            {notice.value(m)}{' '}
            <button type="button" class="link" onClick={() => (notice.value = null)}>
              ✕<span class="visually-hidden">{m.cancel}</span>
            </button>
          </p>
        )}
        <Screen />
      </main>
    </>
  );
}
