/**
 * What every browser test here starts with: headless Debian Chromium whose NSS store trusts the sandbox root
 * (no certificate warning on any sandbox page), a watch on Content-Security-Policy violations, and axe-core
 * run inside the page. Needs chromium and certutil (apt-get install chromium libnss3-tools; .ci/run installs them).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '@medmij-sandbox/network/testing';
import { trustRootInNss } from '@medmij-sandbox/pki/testing';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A browser context as a person's machine that trusts the sandbox root, and the CSP violations its pages report. */
export interface TrustingBrowser {
  context: BrowserContext;
  /** Every Content-Security-Policy violation any page reported (Chromium's console, and the DOM event). */
  cspViolations: string[];
}

/** Fails at once, saying what to install, when there is no Chromium. */
export function requireChromium(): void {
  if (spawnSync(CHROMIUM, ['--version']).error) throw new Error(`this test needs ${CHROMIUM}: apt-get install -y chromium (.ci/run does this)`);
}

/** Chromium with its own HOME under `dir` whose NSS database trusts `rootCertPath`, watching for CSP violations. */
export async function launchTrustingBrowser(dir: string, rootCertPath: string): Promise<TrustingBrowser> {
  requireChromium();
  const home = join(dir, 'home');
  trustRootInNss(home, rootCertPath);
  const context = await chromium.launchPersistentContext(join(home, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: home } as Record<string, string>,
  });
  const cspViolations: string[] = [];
  // Init scripts come in through DevTools, not as page scripts: the pages' CSP does not apply to them.
  await context.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + location.origin + location.pathname))",
  });
  context.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|CSP violation/.test(m.text())) cspViolations.push(`${m.page()?.url() ?? '?'}: ${m.text()}`);
  });
  return { context, cspViolations };
}

/** What axe-core checks: WCAG 2.2 A/AA and its best practices (`all`: every rule it has, experimental ones too). */
export type AxeRules = 'wcag' | 'all';

/** The outcome of axe-core in the page. */
export interface AxeOutcome {
  rules: number;
  passed: string[];
  violations: string[];
}

/** Runs axe-core in the page (evaluated through DevTools: an injected <script> tag would be an inline script, which the pages' CSP refuses). */
export async function runAxe(page: Page, rules: AxeRules = 'wcag'): Promise<AxeOutcome> {
  await page.evaluate(AXE);
  const only =
    rules === 'all'
      ? "{ type: 'rule', values: window.axe.getRules().map((r) => r.ruleId) }"
      : "{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }";
  // A string, evaluated in the page: this file is typechecked for Node, without DOM types.
  return (await page.evaluate(`(async () => {
    const runOnly = ${only};
    const result = await window.axe.run(document, { runOnly, resultTypes: ['violations'] });
    return {
      rules: runOnly.type === 'rule' ? runOnly.values.length : window.axe.getRules(runOnly.values).length,
      passed: result.passes.map((r) => r.id),
      violations: result.violations.map((v) => v.id + ': ' + v.help + ' (' + JSON.stringify(v.nodes.map((n) => n.target)).slice(0, 200) + ')'),
    };
  })()`)) as AxeOutcome;
}

/** axe-core finds no violation on this page. */
export async function expectAccessible(page: Page, where: string, rules: AxeRules = 'wcag'): Promise<AxeOutcome> {
  const outcome = await runAxe(page, rules);
  expect(outcome.violations, `axe on ${where}`).toEqual([]);
  return outcome;
}
