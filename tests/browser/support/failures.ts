/**
 * What a failed browser test leaves behind to read: a full-page screenshot of the phone's screen
 * and the page's console errors and uncaught exceptions, printed with the failure.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';

const pageErrors = new WeakMap<Page, string[]>();

/** Starts collecting `page`'s console errors and uncaught exceptions. */
export function watchPage(page: Page): Page {
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      errors.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return page;
}

export function screenshotOnFailure(current: () => Page | undefined): void {
  afterEach(async (context) => {
    const page = current();
    if (context.task.result?.state !== 'fail' || !page || page.isClosed()) return;
    const path = join(mkdtempSync(join(tmpdir(), 'par-inspect-failure-')), 'screen.png');
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    const errors = pageErrors.get(page) ?? [];
    console.error(
      `the phone's screen when "${context.task.name}" failed: ${path} (${page.url()})${
        errors.length > 0 ? `\nthe page's errors:\n${errors.slice(-30).join('\n')}` : ''
      }`,
    );
  });
}
