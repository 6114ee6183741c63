/**
 * Debian's Chromium driven by playwright-core, set up as an inspector's phone: 360 x 740,
 * geolocation granted at a fixed position in Nghệ An, Vietnamese locale, Vietnam's time zone.
 *
 * Playwright cannot download its own browsers here (`npx playwright install` fails), so the
 * browser is the `chromium` package that `.ci/run` installs. Every browser launched here is closed
 * when the test file ends, also when a test fails or the worker is interrupted, so no Chromium
 * outlives the run.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Flags for Chromium as root on a machine with no outside network: without the background
 * networking ones it keeps trying (and failing) to reach Google's services, which slows every
 * start and fills the log; QUIC is off so that every request goes through the same HTTP stack.
 */
export const chromiumFlags: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A ward of Nghệ An (Vinh): where the demo inspector's phone says it is, 12 m accuracy. */
export const phonePosition = { latitude: 18.6796, longitude: 105.6813, accuracy: 12 } as const;

/** The phone: a small Android screen, touch, Vietnamese, Asia/Ho_Chi_Minh. */
export const phoneContext: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  screen: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  geolocation: phonePosition,
  permissions: ['geolocation'],
  locale: 'vi-VN',
  timezoneId: 'Asia/Ho_Chi_Minh',
  serviceWorkers: 'allow',
};

/** A manager's desk: a wide screen, a mouse, Vietnamese, Asia/Ho_Chi_Minh. */
export const deskContext: BrowserContextOptions = {
  viewport: { width: 1440, height: 900 },
  screen: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
  locale: 'vi-VN',
  timezoneId: 'Asia/Ho_Chi_Minh',
  serviceWorkers: 'allow',
};

/** A manager's desk browser in `browser`. */
export async function newDesk(
  browser: Browser,
  overrides: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ ...deskContext, ...overrides });
  context.setDefaultTimeout(15_000);
  return context;
}

const open = new Set<Browser>();
let exitHooked = false;

/**
 * Launches Chromium with a fresh profile (playwright-core gives each launch its own temporary
 * user-data-dir and deletes it on close). Call {@link closeBrowsers} in `afterAll`.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`,
    );
  }
  hookExit();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...chromiumFlags],
    // The worker's own signal handlers (below) close it; Playwright's would exit the worker.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 30_000,
  });
  open.add(browser);
  browser.once('disconnected', () => open.delete(browser));
  return browser;
}

/** A new phone in `browser`, with `overrides` on top of {@link phoneContext}. */
export async function newPhone(
  browser: Browser,
  overrides: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ ...phoneContext, ...overrides });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Closes every browser this worker launched. */
export async function closeBrowsers(): Promise<void> {
  await Promise.allSettled([...open].map((browser) => browser.close()));
  open.clear();
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // Chromium talks to Playwright over a pipe and exits when the pipe closes, so a worker that
  // dies takes its browsers with it; an orderly close on signals also removes the profiles.
  const closeAndExit = () => {
    void closeBrowsers().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, closeAndExit);
  // A SIGTERM to vitest ends its main process without signalling the test workers (seen here):
  // the orphaned worker would keep its Chromium running. A worker notices it is orphaned when
  // its IPC channel closes (forks pool) or when it is handed to init (any pool).
  process.once('disconnect', closeAndExit);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) closeAndExit();
  }, 1_000).unref();
}
