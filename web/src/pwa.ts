/**
 * The installable side: the service worker (registered after the first screen is up, so it
 * never competes with it), the update prompt, and the install prompt (Android's
 * `beforeinstallprompt`; on iOS Safari, which has none, a hint to add the app to the home
 * screen: Safari deletes a site's data after 7 days without use unless it is installed).
 */
import { signal } from '@preact/signals';

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export const installPrompt = signal<InstallPromptEvent | null>(null);
export const showIosHint = signal(false);
/** A new version is installed and waiting; applying it reloads (queued work is in IndexedDB). */
export const updateWaiting = signal<ServiceWorker | null>(null);

function isInstallPrompt(event: Event): event is InstallPromptEvent {
  return 'prompt' in event && typeof event.prompt === 'function';
}

function standalone(): boolean {
  const nav: Navigator & { standalone?: boolean } = navigator;
  return window.matchMedia('(display-mode: standalone)').matches || nav.standalone === true;
}

export function startPwa(): void {
  window.addEventListener('beforeinstallprompt', (event) => {
    if (!isInstallPrompt(event)) return;
    event.preventDefault();
    installPrompt.value = event;
  });
  window.addEventListener('appinstalled', () => {
    installPrompt.value = null;
  });
  const ios =
    /iphone|ipad|ipod/i.test(navigator.userAgent) ||
    (navigator.maxTouchPoints > 1 && /Macintosh/.test(navigator.userAgent));
  showIosHint.value = ios && !standalone();

  if (!('serviceWorker' in navigator)) return;
  const register = async () => {
    const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const watch = (worker: ServiceWorker | null) => {
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller !== null)
          updateWaiting.value = worker;
      });
    };
    if (registration.waiting !== null && navigator.serviceWorker.controller !== null) {
      updateWaiting.value = registration.waiting;
    }
    watch(registration.installing);
    registration.addEventListener('updatefound', () => watch(registration.installing));
  };
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only reload for an update the user asked for; the first install just takes control.
    if (reloading || updateWaiting.value === null) return;
    reloading = true;
    window.location.reload();
  });
  const later = () => setTimeout(() => void register().catch(() => undefined), 1_000);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}

export async function install(): Promise<void> {
  const prompt = installPrompt.value;
  if (prompt === null) return;
  await prompt.prompt();
  await prompt.userChoice;
  installPrompt.value = null;
}

export function applyUpdate(): void {
  updateWaiting.value?.postMessage({ type: 'skipWaiting' });
}
