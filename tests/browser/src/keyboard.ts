/**
 * Walking a page with the keyboard alone, as a person without a mouse does: Tab (or an arrow key) until the
 * focus is on the element wanted, and that element must show it has the focus. Through shadow roots: the Lit
 * web apps keep their controls inside custom elements, where `document.activeElement` is only the host.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The focused element itself, inside any shadow roots (a page script: this file is typechecked without DOM types). */
const FOCUSED =
  '(() => { let el = document.activeElement; while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement; return el; })()';

/** A page script: is the focused element the one `is` (a JavaScript expression on `el`) describes? */
const isFocused = (is: string): string => `(() => { const el = ${FOCUSED}; return !!el && (${is}); })()`;

/**
 * Presses `key` until the focused element is the one `is` describes (a JavaScript expression on `el`); then its
 * focus must be visible (an outline: the sandbox's :focus-visible style, or the browser's own ring). Bounded: a
 * page whose element the key never reaches fails here, naming `where`.
 */
export async function tabTo(page: Page, is: string, where: string, key = 'Tab'): Promise<void> {
  const reached = isFocused(is);
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press(key);
    if (await page.evaluate(reached)) {
      const outline = (await page.evaluate(`getComputedStyle(${FOCUSED}).outlineStyle`)) as string;
      expect(outline, `focus outline on ${where}`).not.toBe('none');
      return;
    }
  }
  throw new Error(`${key} never reached ${where}`);
}

/** An `is` for tabTo: the element's own text is exactly this (a link or button). */
export const textIs = (text: string): string => `el.textContent.trim() === ${JSON.stringify(text)}`;

/**
 * An `is` for tabTo: the element's accessible name, as a person hears it, matches `pattern` — its aria-label, else
 * the text of its labels (a form control), else its own text. A control without any name never matches.
 */
export const nameMatches = (pattern: RegExp): string =>
  `(() => { const name = (el.getAttribute('aria-label') || (el.labels && el.labels.length ? [...el.labels].map((l) => l.textContent).join(' ') : '') || el.textContent || '').replace(/\\s+/g, ' ').trim(); return name !== '' && ${pattern.toString()}.test(name); })()`;

/** An `is` for tabTo: a form control with this id. */
export const idIs = (id: string): string => `el.id === ${JSON.stringify(id)}`;

/**
 * The TVS's DigiD login by keyboard: into the persona group (Tab stops once in a radio group), along it with
 * the arrow keys to the person named, Space to choose, then Tab to Inloggen and Enter.
 */
export async function digidLoginByKeyboard(page: Page, displayName: string): Promise<void> {
  await tabTo(page, "el.name === 'bsn'", 'the persona choice');
  const mine = `el.labels && el.labels[0] && el.labels[0].textContent.includes(${JSON.stringify(displayName)})`;
  if (!(await page.evaluate(isFocused(mine)))) await tabTo(page, mine, displayName, 'ArrowDown');
  await page.keyboard.press('Space');
  expect(await page.getByLabel(new RegExp(displayName)).isChecked(), `${displayName} chosen`).toBe(true);
  await tabTo(page, textIs('Inloggen'), 'the Inloggen button');
  await page.keyboard.press('Enter');
}
