/**
 * The checks every screen of the inspector's app must pass (issue 11's quality bars): axe-core
 * with no serious or critical violation, nothing wider than the 360 px viewport, touch targets of
 * at least 48 x 48 px, and a label on every control.
 *
 * The in-page code is plain JavaScript sent as text: the project's TypeScript has no DOM library
 * (the server code must not see browser globals), and what comes back is parsed with zod like any
 * other untrusted data.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { z } from 'zod';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The smallest touch target, in CSS pixels, on each side (Android's and WCAG 2.5.5's 48 dp/44 px). */
export const minTouchTarget = 48;
export const viewportWidth = 360;

const axeResults = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.string().nullable().optional(),
      help: z.string(),
      nodes: z.array(z.object({ target: z.array(z.unknown()), html: z.string() })),
    }),
  ),
});

const layoutFacts = z.object({
  scrollWidth: z.number(),
  lang: z.string(),
  smallTargets: z.array(z.object({ what: z.string(), width: z.number(), height: z.number() })),
  unlabelled: z.array(z.string()),
});

export type LayoutFacts = z.infer<typeof layoutFacts>;

/** The size rules a screen is held to: the phone's by default. */
export interface ScreenRules {
  viewportWidth: number;
  minTouchTarget: number;
}

export const phoneRules: ScreenRules = { viewportWidth, minTouchTarget };

/**
 * The managers' console at a desk (1440 px wide, a mouse): nothing wider than the window, and
 * targets of WCAG 2.5.8's 24 px minimum; axe and labels as on the phone.
 */
export const deskRules: ScreenRules = { viewportWidth: 1440, minTouchTarget: 24 };

/** What a screen got wrong, one line each; empty when it passes. */
export async function screenProblems(
  page: Page,
  screen: string,
  rules: ScreenRules = phoneRules,
): Promise<string[]> {
  const problems: string[] = [];
  // Runtime.evaluate is not subject to the page's Content-Security-Policy, unlike a script tag.
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(axeSource);
  const axe = axeResults.parse(
    await page.evaluate(
      `axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`,
    ),
  );
  for (const violation of axe.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
    const where = violation.nodes.map((node) => node.html.slice(0, 120)).join(' | ');
    problems.push(`${screen}: axe ${violation.impact} ${violation.id} (${violation.help}): ${where}`);
  }
  const facts = await layout(page, rules.minTouchTarget);
  if (facts.scrollWidth > rules.viewportWidth) {
    problems.push(`${screen}: document is ${facts.scrollWidth} px wide, more than ${rules.viewportWidth}`);
  }
  if (!facts.lang) problems.push(`${screen}: <html> has no lang`);
  for (const target of facts.smallTargets) {
    problems.push(
      `${screen}: touch target ${target.what} is ${target.width} x ${target.height} px (at least ${rules.minTouchTarget})`,
    );
  }
  for (const control of facts.unlabelled) problems.push(`${screen}: control without a label: ${control}`);
  return problems;
}

/** Width, language, touch targets and labels of what is on the screen now. */
export async function layout(page: Page, minTarget = minTouchTarget): Promise<LayoutFacts> {
  return layoutFacts.parse(await page.evaluate(`(${layoutProbe})(${minTarget})`));
}

// A target is the element's box, or its label's when the label is bigger (a visually hidden
// checkbox inside a big label is a big target). Inline links inside running text are exempt, as
// in WCAG 2.5.8; hidden and disabled controls are not on the screen for the user.
const layoutProbe = `function (min) {
  const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=tab], [role=checkbox], [role=radio], [role=switch], [role=menuitem], [tabindex]:not([tabindex="-1"])';
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.getAttribute('type') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (text ? ' "' + text + '"' : '');
  };
  const shown = (el) => {
    if (el.closest('[hidden], [inert], [aria-hidden=true]')) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    return el.getClientRects().length > 0;
  };
  const inlineInText = (el) => {
    if (el.tagName !== 'A') return false;
    const parent = el.parentElement;
    if (!parent || getComputedStyle(el).display !== 'inline') return false;
    return (parent.textContent || '').trim().length > (el.textContent || '').trim().length;
  };
  const smallTargets = [];
  const unlabelled = [];
  for (const el of document.querySelectorAll(interactive)) {
    const labels = el.labels ? [...el.labels].filter(shown) : [];
    if (!shown(el) && labels.length === 0) continue;
    if (el.disabled) continue;
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) {
      const named = labels.length > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
      if (!named) unlabelled.push(describe(el));
    }
    if (inlineInText(el)) continue;
    let width = 0;
    let height = 0;
    for (const box of [el, ...labels].filter(shown).map((node) => node.getBoundingClientRect())) {
      width = Math.max(width, box.width);
      height = Math.max(height, box.height);
    }
    if (width + 0.5 < min || height + 0.5 < min) {
      smallTargets.push({ what: describe(el), width: Math.round(width), height: Math.round(height) });
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    lang: document.documentElement.lang || '',
    smallTargets,
    unlabelled,
  };
}`;
