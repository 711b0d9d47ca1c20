/**
 * The sandbox console as an operator uses it, in headless Debian Chromium with the sandbox root trusted: the
 * whole network started as `npm start` starts it (the CLI's startNetwork with its scenario service), the console
 * on its own hostname. Per role: the viewer sees the live inspector and the catalogue but runs nothing; the
 * trainer runs a scenario on its own fresh network, opens presenter mode and jumps to its key hop, all by keyboard,
 * and exports the trace. axe-core on every page, no horizontal overflow and the presenter's diagram in view at
 * 1024×768 (a projector) and 1280×800.
 * Needs chromium and certutil (apt-get install chromium libnss3-tools; .ci/run installs them).
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperatorAccess, SandboxClock, operatorLoginUrl, repositoryRoot, sandboxPaths, type SandboxPaths } from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { scenarioService, startNetwork, type RunningNetwork } from '@medmij-sandbox/cli';
import { readFileSync } from 'node:fs';
import { expectAccessible, launchTrustingBrowser } from './browser.js';
import { nameMatches, tabTo } from './keyboard.js';

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
];

describe('the sandbox console in a real browser', () => {
  let network: RunningNetwork;
  let context: BrowserContext;
  let consoleUrl: string;
  let paths: SandboxPaths;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    const { path } = await writeDefaultTopologyOnFreePorts(dir);
    paths = sandboxPaths(join(dir, '.sandbox'));
    network = await startNetwork({
      topologyPath: path,
      paths,
      clock: new SandboxClock(),
      scenarios: (ctx) => scenarioService(ctx, join(repositoryRoot(), 'scenarios')),
    });
    consoleUrl = network.networkJson.participants.find((p) => p.role === 'console')!.urls.frontchannel!;
    ({ context, cspViolations } = await launchTrustingBrowser(dir, network.pki.rootCertPath));
  });

  afterAll(async () => {
    await context?.close();
    await network?.close();
  });

  async function expectNoOverflow(page: Page, where: string) {
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${where}: wider than the viewport`).toBe(true);
  }

  /** At a projector's 1024×768 and at 1280×800: nothing wider than the screen, and axe-core finds nothing. */
  async function atEveryViewport(page: Page, where: string): Promise<void> {
    for (const v of VIEWPORTS) {
      await page.setViewportSize(v);
      await expectNoOverflow(page, `${where} at ${v.width}×${v.height}`);
      await expectAccessible(page, `${where} at ${v.width}×${v.height}`);
    }
  }

  /** A browser of one role: no cookie of another (a fresh start), then that role's login link. */
  async function as(role: 'viewer' | 'trainer'): Promise<Page> {
    await context.clearCookies();
    const page = await context.newPage();
    await page.setViewportSize(VIEWPORTS[1]!);
    await page.goto(operatorLoginUrl(consoleUrl, new OperatorAccess(paths.operator).tokens()[role]));
    await page.waitForURL(`${consoleUrl}/#/${role === 'viewer' ? 'inspector' : 'scenarios'}`);
    return page;
  }

  it('without the operator credential: a page saying how to log in, and nothing of the network', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${consoleUrl}/#/inspector`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Alleen voor de operator' }).count()).toBe(1);
    expect(await page.getByTestId('inspector').count()).toBe(0);
    expect(await page.evaluate("fetch('/api/trace?since=0').then((r) => r.status)")).toBe(401);
    await expectAccessible(page, 'the console without an operator');
    await page.close();
  });

  it('the viewer: the live inspector and the catalogue, at 1024×768 and 1280×800; a run is refused', async () => {
    const page = await as('viewer');
    const inspector = page.getByTestId('inspector');
    // `npm start`'s own hops: every participant fetched the lists from the stelselnode.
    await expect
      .poll(() => inspector.getByRole('button', { name: /GET \/MedMij_Zorgaanbiederslijst\.xml → 200|Zorgaanbiederslijst/ }).count())
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByText('Ingelogd als kijker').count()).toBe(1);
    await atEveryViewport(page, 'the inspector (viewer)');
    await page.getByRole('link', { name: "Scenario's" }).click();
    // The catalogue's search finds a scenario by its name too.
    await page.getByLabel('Zoek een scenario').fill('patient-under-16');
    const start = page.getByRole('button', { name: /^Start / });
    await expect.poll(() => start.count()).toBe(1);
    await atEveryViewport(page, 'the catalogue (viewer)');
    await start.click();
    await expect.poll(() => page.getByText(/Dit mag alleen de trainer/).count()).toBeGreaterThan(0);
    await page.close();
  });

  it('the trainer, by keyboard only: runs a scenario, opens presenter mode, jumps to the key hop with the diagram in view', async () => {
    const page = await as('trainer');
    await expect.poll(() => page.getByText('Ingelogd als trainer').count()).toBe(1);
    await tabTo(page, nameMatches(/^Zoek een scenario$/), 'the search box');
    await page.keyboard.type('patient-under-16');
    await tabTo(page, nameMatches(/^Start /), 'the start button of the scenario found');
    await page.keyboard.press('Enter');
    // A run on its own fresh network: the result page with its verdict.
    await expect.poll(() => page.getByText('Geslaagd', { exact: true }).count(), { timeout: 240_000 }).toBeGreaterThan(0);
    await atEveryViewport(page, 'a run result');
    await tabTo(page, nameMatches(/^Presentatiemodus$/), 'the presenter mode link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/scenarios\/patient-under-16\/present$/);
    await expect.poll(() => page.getByText(/^introductie · \d+ stappen$/).count()).toBe(1);
    await atEveryViewport(page, 'presenter mode, intro');
    // One step from the start to the key hop: the DVZA's refusal of a 15-year-old.
    await page.keyboard.press('k');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('kernmoment');
    await expect.poll(() => page.getByTestId('notice').count()).toBe(1);
    for (const v of VIEWPORTS) {
      await page.setViewportSize(v);
      await expectNoOverflow(page, `presenter at ${v.width}×${v.height}`);
      // The diagram so far starts on screen, and its current row is in view, without scrolling the page.
      const measure = async () =>
        (await page.evaluate(`(() => {
        const presenter = document.querySelector('console-app').shadowRoot.querySelector('console-scenarios-page').shadowRoot.querySelector('console-presenter').shadowRoot;
        const scroller = presenter.querySelector('.so-far .scroller');
        const row = presenter.querySelector('.so-far [aria-current="step"]');
        const box = scroller.getBoundingClientRect();
        return { top: box.top, row: row ? row.getBoundingClientRect().bottom : -1, bottom: Math.min(box.bottom, window.innerHeight), scrolled: window.scrollY };
      })()`)) as { top: number; row: number; bottom: number; scrolled: number };
      // The presenter answers the resize itself (its resize handler): asked until it did, a timeout only as a safety net.
      await expect
        .poll(async () => {
          const m = await measure();
          return m.row > 0 && m.row <= m.bottom + 1;
        })
        .toBe(true);
      const view = await measure();
      expect(view.scrolled, `presenter at ${v.width}×${v.height}: the page scrolled`).toBe(0);
      expect(view.top, `presenter at ${v.width}×${v.height}: the diagram starts below the fold`).toBeLessThan(v.height - 120);
      expect(view.row, `presenter at ${v.width}×${v.height}: the current row is out of view`).toBeGreaterThan(0);
      expect(view.row, `presenter at ${v.width}×${v.height}: the current row is below what the diagram shows`).toBeLessThanOrEqual(view.bottom + 1);
      await expectAccessible(page, `presenter mode, the key hop at ${v.width}×${v.height}`);
    }
    await page.keyboard.press('End');
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Afsluiting: wat de PGO liet zien' }).count()).toBe(1);
    await atEveryViewport(page, 'presenter mode, the closing card');
    await page.close();
  });

  it("exports the live trace as Mermaid, HAR and JSON for the operator (the inspector's export links)", async () => {
    const page = await as('viewer');
    const exports = page.getByRole('group', { name: 'Exporteer:' });
    /** Clicks the export link as the operator does; the file the browser saved, with its name. */
    const download = async (label: string) => {
      const saved = page.waitForEvent('download');
      await exports.getByRole('link', { name: `Exporteer als ${label}`, exact: true }).click();
      const file = await saved;
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
    };
    const mermaid = await download('Mermaid');
    expect(mermaid.name).toMatch(/\.mmd$/);
    expect(mermaid.text).toMatch(/^sequenceDiagram/m);
    const har = await download('HAR');
    expect(har.name).toMatch(/\.har$/);
    expect((JSON.parse(har.text) as { log: { entries: unknown[] } }).log.entries.length).toBeGreaterThan(0);
    const json = await download('JSON');
    expect(json.name).toMatch(/\.json$/);
    expect((JSON.parse(json.text) as unknown[]).length).toBeGreaterThan(0);
    await page.close();
  });

  it("loads a scenario's golden trace from a file and browses its hops in the inspector", async () => {
    const page = await as('viewer');
    await page.getByRole('link', { name: 'Trace laden' }).click();
    await page.waitForURL(`${consoleUrl}/#/trace`);
    // Not a trace: said, naming the file.
    await page.locator('#trace-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('no trace here') });
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^notes\.txt is geen trace/);
    const goldenPath = join(repositoryRoot(), 'scenarios', 'golden', '2', 'happy-path-bgz.json');
    const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Array<{ kind: string; method?: string; path?: string; status?: number }>;
    await page.locator('#trace-file').setInputFiles(goldenPath);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'happy-path-bgz.json' }).textContent()).toContain(`${golden.length} gebeurtenissen`);
    expect(await page.getByRole('alert').count()).toBe(0);
    // Its hops, as the golden file has them: the code redeemed, a FHIR search.
    const inspector = page.getByTestId('inspector');
    await expect.poll(() => inspector.getByRole('button', { name: /POST \/oauth\/token → 200/ }).count()).toBeGreaterThan(0);
    expect(await inspector.getByRole('button', { name: /GET \/fhir\/Patient → 200/ }).count()).toBeGreaterThan(0);
    await inspector
      .getByRole('button', { name: /POST \/oauth\/token → 200/ })
      .first()
      .click();
    await expect.poll(() => page.getByRole('region', { name: /^Details #\d+$/ }).count()).toBe(1);
    await atEveryViewport(page, 'a loaded golden trace');
    await page.close();
  });

  it('no page of the console broke its Content-Security-Policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
