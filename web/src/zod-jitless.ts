/**
 * Must be the first import of every entry (the page and the service worker): zod reads this
 * global once when it loads. Without it, zod probes `new Function` to compile fast parsers; the
 * app's Content-Security-Policy has no 'unsafe-eval', so the probe fails anyway, but the browser
 * reports the blocked attempt as a console error (which Lighthouse counts).
 */
declare global {
  var __zod_globalConfig: { jitless?: boolean } | undefined;
}

globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };

export {};
