/**
 * `npm run screenshots`: the main screens of the inspector's app on a 360 x 740 phone, and of the
 * managers' console at a 1440 x 900 desk, written to
 * docs/screenshots/*.png for the README. Not a test (test runs never write into docs/): it starts
 * `npm start`'s server with its own emulators, drives the same steps as the browser tests, and
 * stops everything at the end, also when a step fails.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { closeBrowsers, launchChromium, newDesk, newPhone } from './support/browser.ts';
import {
  answer,
  attachPhotos,
  fillVisit,
  item,
  referenceItems,
  signIn,
  startVisit,
  texts,
  until,
  waitForServiceWorker,
  waitForUnits,
} from './support/inspector.ts';
import { consoleTexts, signInToConsole } from './support/manager.ts';
import { makeJpegs } from './support/photos.ts';
import { repositoryRoot, startApp, withCleanups } from './support/start-app.ts';

const folder = join(repositoryRoot, 'docs', 'screenshots');

async function shot(page: Page, name: string): Promise<void> {
  // Animations and the text caret would make every run's files differ.
  await page.screenshot({ path: join(folder, `${name}.png`), animations: 'disabled', caret: 'hide' });
  console.log(`docs/screenshots/${name}.png`);
}

await withCleanups(async (cleanups) => {
  mkdirSync(folder, { recursive: true });
  const app = await startApp();
  cleanups.push(() => app.stop());
  const browser = await launchChromium();
  cleanups.push(() => closeBrowsers());
  const photos = await makeJpegs(browser, 4);
  // One CSS pixel per image pixel: small files, the size the README shows them at.
  const phone = await newPhone(browser, { deviceScaleFactor: 1 });
  const page = await phone.newPage();

  await page.goto(`${app.url}/`);
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  await shot(page, 'sign-in');

  await signIn(page, app.url, { sub: 'demo-inspector-screens', name: 'Lê Thị Lan' });
  await waitForServiceWorker(page);
  await waitForUnits(page);

  await page.getByRole('link', { name: texts.newVisit }).click();
  await page.getByLabel(texts.searchUnit).fill('vinh');
  await page.getByRole('radio', { name: 'Phường Vinh Phú', exact: true }).check();
  await shot(page, 'unit-picker');
  await page.getByRole('link', { name: texts.back }).click();

  await startVisit(page, 'Vinh Phu', 'Phường Vinh Phú');
  // Part of section A answered: the live score and what is missing, at the top of the checklist.
  for (const spec of referenceItems.slice(0, 4))
    await answer(page, spec, spec.code === 'A2' ? 'fail' : 'pass');
  await page.evaluate('window.scrollTo(0, 0)');
  await shot(page, 'checklist');

  await attachPhotos(page, 'B1', photos.slice(0, 1));
  await item(page, 'B1').scrollIntoViewIfNeeded();
  await shot(page, 'photo');

  await fillVisit(page, photos.slice(1), ['A2']);
  await page.getByRole('button', { name: texts.submit, exact: true }).click();
  await page.getByRole('link', { name: texts.back }).click();
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();
  await until(
    'the visit submitted and sent',
    () => page.locator('[data-visit] .badge.status-submitted').count(),
    (n) => n > 0,
    60_000,
  );
  await shot(page, 'visits');

  // The managers' console at a desk: the queue, the visit under review, the ranking once approved.
  const desk = await newDesk(browser);
  const manager = await desk.newPage();
  await signInToConsole(manager, app.url, { sub: 'demo-manager-screens', name: 'Trần Văn Minh' });
  await manager.locator('tr[data-visit] a', { hasText: 'Phường Vinh Phú' }).first().waitFor();
  await shot(manager, 'console-queue');
  await manager.locator('tr[data-visit] a', { hasText: 'Phường Vinh Phú' }).first().click();
  await manager.getByRole('heading', { name: consoleTexts.visitTitle('Phường Vinh Phú') }).waitFor();
  await until(
    'the photos loaded',
    () =>
      manager.evaluate(
        "(() => { const images = [...document.querySelectorAll('.photo-strip img')]; return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0); })()",
      ),
    (loaded) => loaded === true,
  );
  await shot(manager, 'console-visit');
  await manager.getByRole('button', { name: consoleTexts.approve, exact: true }).click();
  await manager
    .getByRole('dialog', { name: consoleTexts.approveConfirmTitle })
    .getByRole('button', { name: consoleTexts.approveConfirm })
    .click();
  await manager.locator('[data-status="approved"]').waitFor();
  await manager.getByRole('link', { name: consoleTexts.rankings, exact: true }).click();
  await manager.getByRole('button', { name: consoleTexts.showRanking }).click();
  await manager.locator('[data-testid=score-chart][data-drawn=true] canvas').waitFor();
  await shot(manager, 'console-ranking');
});
