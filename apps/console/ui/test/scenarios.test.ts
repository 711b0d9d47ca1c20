/**
 * The trainers' scenario pages in the console's shell against a fake console API (fetch stubbed): the catalogue
 * (search, Start with progress), a run's result (status, checks, log, the run's own diagram), the reset of
 * the live network with its confirmation, a console without the scenario service, a browser that is no operator,
 * and the route to presenter mode.
 * A run or a reset answers at once unless the test holds it (`api.runs.hold()`): then the busy state is
 * checked while the request is open, and the result after the test lets it go. No timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { ScenarioRun } from '@medmij-sandbox/console-api';
import '../src/app.ts';
import { setLang } from '@medmij-sandbox/ui/i18n';
import { SANDBOX, STELSELNODE, nest, said, say } from '@medmij-sandbox/rules';
import { resetScenarioStore } from '../src/scenario-store.ts';
import { Hold, SAFETY_NET, axeViolations, deepActiveElement } from '@medmij-sandbox/ui/testing';
import { CATALOGUE, REVOKED, UNDER_16, failedRevokedRun, revokedRun } from './scenario-fixture.ts';

interface FakeOptions {
  unavailable?: boolean;
  run?: (name: string) => ScenarioRun | undefined;
  /** The browser holds no operator cookie. */
  noOperator?: boolean;
}

function fakeApi(o: FakeOptions = {}) {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const unavailable = () =>
    json(
      {
        error: 'scenarios_unavailable',
        message: {
          nl: "Scenario's draaien kan alleen als de console in de sandbox draait: start de sandbox met npm start.",
          en: 'Scenarios run only when the console runs inside the sandbox: start it with npm start.',
        },
      },
      404,
    );
  const calls: string[] = [];
  /** Scenario runs and sandbox resets wait here while the test holds them. */
  const runs = new Hold();
  const resets = new Hold();
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), location.origin);
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    const run = /^\/api\/scenarios\/([^/]+)\/run$/.exec(url.pathname);
    if (run) {
      if (o.unavailable) return unavailable();
      await runs.passed();
      const name = decodeURIComponent(run[1]!);
      const result = (o.run ?? (() => revokedRun()))(name);
      return result ? json(result) : json({ error: 'not_found', message: { nl: `Geen scenario '${name}'.`, en: `No scenario '${name}'.` } }, 404);
    }
    switch (url.pathname) {
      case '/api/operator':
        return json(o.noOperator ? { role: null, pgos: [] } : { role: 'trainer', pgos: [{ name: 'MedMij Sandbox PGO', url: 'https://pgo.localhost:8750' }] });
      case '/api/scenarios':
        return o.unavailable ? unavailable() : json({ scenarios: CATALOGUE });
      case '/api/sandbox/reset':
        if (o.unavailable) return unavailable();
        await resets.passed();
        // What the sandbox's resetNetwork answers, said from the catalogue in both languages.
        return json({
          done: [
            said(SANDBOX.resetClock, { clock: 'real time', mode: 'real', at: '', offset: '' }),
            said(SANDBOX.resetReissued, { kind: 'server', host: 'dekroon.dvza.localhost', was: 'revoked' }),
            said(SANDBOX.resetLists, nest('change', said(STELSELNODE.reset, {}))),
          ].map((d) => ({ nl: say(d, 'nl'), en: say(d) })),
        });
      default:
        return json({ error: 'not_found', message: { nl: 'Niet gevonden', en: 'Not found' } }, 404);
    }
  });
  return { fetch, calls, runs, resets };
}

function startApp(o: FakeOptions = {}, hash = '#/') {
  const api = fakeApi(o);
  vi.stubGlobal('fetch', api.fetch);
  location.hash = hash;
  document.body.innerHTML = '<console-app></console-app>';
  return api;
}

describe("scenario's for trainers", () => {
  beforeEach(() => {
    setLang('nl');
    resetScenarioStore();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    document.body.innerHTML = '';
    location.hash = '#/';
  });

  it('lists the catalogue from the nav entry, searchable, each with title, rule and what it teaches', async () => {
    startApp();
    await page.getByRole('link', { name: "Scenario's" }).click();
    await expect.element(page.getByRole('heading', { level: 1, name: "Scenario's" })).toBeVisible();
    await expect.element(page.getByRole('link', { name: "Scenario's" })).toHaveAttribute('aria-current', 'page');
    for (const s of CATALOGUE) {
      await expect.element(page.getByRole('heading', { level: 3, name: s.title.nl })).toBeVisible();
      await expect.element(page.getByRole('button', { name: `Start ${s.title.nl}`, exact: true })).toBeVisible();
      await expect.element(page.getByText(s.teaches.nl)).toBeVisible();
      await expect.element(page.getByText(s.rule.nl)).toBeVisible();
      expect(page.getByText(s.teaches.en).all()).toHaveLength(0);
    }
    await expect.element(page.getByText("3 scenario's")).toBeVisible();
    expect(document.title).toBe("Scenario's – MedMij Sandbox Console");
    expect(await axeViolations()).toEqual([]);

    // Search matches title, name, rule and teaches, in the language shown.
    await page.getByLabelText('Zoek een scenario').fill('crl');
    await expect.element(page.getByText("1 van 3 scenario's")).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 3, name: REVOKED.title.nl })).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 3, name: UNDER_16.title.nl })).not.toBeInTheDocument();
    await page.getByLabelText('Zoek een scenario').fill('§7');
    await expect.element(page.getByRole('heading', { level: 3, name: UNDER_16.title.nl })).toBeVisible();
    await page.getByLabelText('Zoek een scenario').fill('ingetrokken');
    await expect.element(page.getByText("1 van 3 scenario's")).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 3, name: REVOKED.title.nl })).toBeVisible();
    // English words are not searched while the page speaks Dutch ("never" is only in REVOKED's English).
    await page.getByLabelText('Zoek een scenario').fill('never');
    await expect.element(page.getByText('Geen scenario gevonden.')).toBeVisible();
    await page.getByLabelText('Zoek een scenario').fill('nothing like this');
    await expect.element(page.getByText('Geen scenario gevonden.')).toBeVisible();
  });

  it('runs a scenario: busy while it runs, then the result with status, checks, log and the run’s own diagram', async () => {
    const api = startApp({}, '#/scenarios');
    const start = page.getByRole('button', { name: `Start ${REVOKED.title.nl}`, exact: true });
    api.runs.hold();
    await start.click();
    // The run is under way (its request held open): busy, with progress.
    await expect.element(start).toHaveAttribute('aria-busy', 'true');
    await expect.element(page.getByRole('progressbar', { name: 'Scenario draait' })).toBeVisible();
    // One run at a time: the other Start buttons wait.
    await expect.element(page.getByRole('button', { name: `Start ${UNDER_16.title.nl}`, exact: true })).toHaveAttribute('aria-disabled', 'true');
    expect(location.hash).toBe('#/scenarios');
    api.runs.release();

    await expect.element(page.getByRole('heading', { level: 1, name: REVOKED.title.nl })).toBeVisible();
    expect(location.hash).toBe(`#/scenarios/${REVOKED.name}`);
    expect(api.calls).toContain(`POST /api/scenarios/${REVOKED.name}/run`);
    await expect.element(page.getByText('Geslaagd', { exact: true })).toBeVisible();
    await expect.element(page.getByText('6 van 6 controles gehaald', { exact: false })).toBeVisible();

    const checks = page.getByRole('table', { name: 'Controles van deze run' });
    expect(checks.getByRole('row').all()).toHaveLength(7);
    await expect.element(checks.getByRole('row', { name: /de PGO weigert de handshake/ })).toBeVisible();
    await expect.element(checks.getByRole('row', { name: /geen, zoals verwacht/ }).first()).toBeVisible();
    await expect.element(checks.getByRole('cell', { name: 'ja' }).first()).toBeInTheDocument();

    const log = page.getByRole('list').filter({ hasText: 'voorbereiding: het servercertificaat van dekroon ingetrokken' });
    await expect.element(log).toBeVisible();
    expect((log.element() as HTMLElement).tagName).toBe('OL');

    // The run's events in the inspector (a snapshot: exported here, not by the server).
    const diagram = page.getByTestId('inspector');
    await expect.element(page.getByRole('heading', { level: 2, name: 'Netwerkverkeer van deze run' })).toBeVisible();
    await expect.element(diagram.getByRole('button', { name: /POST \/oauth\/consent → 302/ })).toBeVisible();
    await expect.element(diagram.getByRole('button', { name: /TLS CERT_REVOKED/ })).toHaveClass(/tone-bad/);
    expect(diagram.getByRole('button', { name: /\/api\/session/ }).all()).toHaveLength(0);
    await expect.element(page.getByRole('button', { name: 'Exporteer als JSON' })).toBeVisible();
    expect(page.getByRole('link', { name: /Mermaid/ }).all()).toHaveLength(0);

    // A check's event opens in the inspector.
    await page.getByRole('button', { name: '#17 tonen in het netwerkverkeer' }).click();
    await expect.element(page.getByRole('region', { name: 'Details #17' })).toBeVisible();
    expect(await axeViolations()).toEqual([]);
  });

  it('says "Mislukt" for a failed run and which checks were not met', async () => {
    startApp({ run: () => failedRevokedRun() }, '#/scenarios');
    await page.getByRole('button', { name: `Start ${REVOKED.title.nl}`, exact: true }).click();
    await expect.element(page.getByRole('heading', { level: 1, name: REVOKED.title.nl })).toBeVisible();
    await expect.element(page.getByText('Mislukt', { exact: true })).toBeVisible();
    await expect.element(page.getByText('4 van 6 controles gehaald', { exact: false })).toBeVisible();
    const missed = page.getByRole('row', { name: /zo’n gebeurtenis staat niet in de trace/ });
    await expect.element(missed).toHaveClass('bad');
    // What came closest, with the field it differs in; its event opens in the run's inspector.
    await expect.element(missed.getByText('Het dichtst in de buurt:')).toBeVisible();
    await expect.element(missed.getByRole('listitem').filter({ hasText: 'status' }).last()).toHaveTextContent('status: verwacht 200, gevonden 400');
    await missed.getByRole('button', { name: '#16 tonen in het netwerkverkeer' }).click();
    await expect.element(page.getByRole('region', { name: 'Details #16' })).toBeVisible();
    expect(await axeViolations()).toEqual([]);
  });

  it('runs again from the result page and says when a run could not start', async () => {
    const api = startApp({ run: (name) => (name === REVOKED.name ? revokedRun() : undefined) }, '#/scenarios');
    await page.getByRole('button', { name: `Start ${UNDER_16.title.nl}`, exact: true }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent("Het scenario kon niet starten: Geen scenario 'patient-under-16'.");
    expect(location.hash).toBe('#/scenarios');

    location.hash = `#/scenarios/${REVOKED.name}`;
    await expect.element(page.getByRole('button', { name: `Start ${REVOKED.title.nl}`, exact: true })).toBeVisible();
    await expect.element(page.getByText('Dit scenario is in dit tabblad nog niet gestart.')).toBeVisible();
    await page.getByRole('button', { name: `Start ${REVOKED.title.nl}`, exact: true }).click();
    await expect.element(page.getByText('Geslaagd', { exact: true })).toBeVisible();
    api.runs.hold();
    await page.getByRole('button', { name: 'Nogmaals starten' }).click();
    await expect.element(page.getByRole('button', { name: 'Nogmaals starten' })).toHaveAttribute('aria-busy', 'true');
    api.runs.release();
    await expect.element(page.getByRole('button', { name: 'Nogmaals starten' })).toHaveAttribute('aria-busy', 'false');
  });

  it('resets the live network after a confirmation and shows what it did', async () => {
    const api = startApp({}, '#/scenarios');
    await page.getByRole('button', { name: 'Sandbox resetten' }).click();
    await expect.element(page.getByRole('group', { name: /Weet je het zeker/ })).toBeVisible();
    await vi.waitFor(() => expect(deepActiveElement()?.id).toBe('reset-confirm'), SAFETY_NET);
    expect(await axeViolations()).toEqual([]);
    // Escape (or Annuleren) cancels: nothing is sent.
    await userEvent.keyboard('{Escape}');
    await expect.element(page.getByRole('button', { name: 'Ja, resetten' })).not.toBeInTheDocument();
    await vi.waitFor(() => expect(deepActiveElement()?.id).toBe('reset'), SAFETY_NET);
    expect(api.calls).not.toContain('POST /api/sandbox/reset');

    await page.getByRole('button', { name: 'Sandbox resetten' }).click();
    api.resets.hold();
    await page.getByRole('button', { name: 'Ja, resetten' }).click();
    expect(api.calls).toContain('POST /api/sandbox/reset');
    // While the reset is under way (its request held open): busy, focus on the reset button.
    await expect.element(page.getByText('Bezig met resetten…')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Sandbox resetten' })).toHaveAttribute('aria-disabled', 'true');
    await vi.waitFor(() => expect(deepActiveElement()?.id).toBe('reset'), SAFETY_NET);
    api.resets.release();
    const result = page.getByRole('status').filter({ hasText: 'Sandbox gereset' });
    await expect.element(result).toBeVisible();
    await expect.element(result.getByText('server-certificaat van dekroon.dvza.localhost opnieuw uitgegeven (het was ingetrokken)')).toBeVisible();
    await expect.element(result.getByText('lijsten: reset: alle deelnemers op de lijsten, geen fouten, publicatie loopt')).toBeVisible();
    expect(result.getByRole('listitem').all()).toHaveLength(3);
    // Dutch lines, so no English marking left on them.
    expect(result.element().querySelector('[lang="en"]')).toBeNull();
    expect(await axeViolations()).toEqual([]);
  });

  it('explains that scenarios need the sandbox when the console runs on its own', async () => {
    startApp({ unavailable: true }, '#/scenarios');
    await expect.element(page.getByText("Start de sandbox met npm start om scenario's te draaien.")).toBeVisible();
    expect(page.getByRole('button', { name: 'Sandbox resetten' }).all()).toHaveLength(0);
    expect(await axeViolations()).toEqual([]);
  });

  it('shows a browser that is no operator only how to log in: no catalogue, no reset', async () => {
    const api = startApp({ noOperator: true }, '#/scenarios');
    await expect.element(page.getByRole('heading', { level: 1, name: 'Alleen voor de operator' })).toBeVisible();
    await expect.element(page.getByText('npm run sandbox -- operator')).toBeVisible();
    expect(page.getByRole('button', { name: 'Sandbox resetten' }).all()).toHaveLength(0);
    expect(api.calls).toEqual(['GET /api/operator']);
    expect(await axeViolations()).toEqual([]);
  });

  it("links to the network's PGOs and says the role", async () => {
    startApp({}, '#/scenarios');
    await expect.element(page.getByRole('link', { name: 'MedMij Sandbox PGO' })).toHaveAttribute('href', 'https://pgo.localhost:8750');
    await expect.element(page.getByText('Ingelogd als trainer')).toBeVisible();
  });

  it('speaks English on request', async () => {
    startApp({}, '#/scenarios');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.element(page.getByRole('heading', { level: 1, name: 'Scenarios' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Reset sandbox' })).toBeVisible();
    await expect.element(page.getByLabelText('Search scenarios')).toBeVisible();
    // The scenarios' own texts too, and the search reads them in English.
    await expect.element(page.getByRole('heading', { level: 3, name: UNDER_16.title.en })).toBeVisible();
    await expect.element(page.getByText(UNDER_16.teaches.en)).toBeVisible();
    await page.getByLabelText('Search scenarios').fill('revoked');
    await expect.element(page.getByText('1 of 3 scenarios')).toBeVisible();
    await page.getByRole('button', { name: `Start ${REVOKED.title.en}`, exact: true }).click();
    await expect.element(page.getByRole('heading', { level: 1, name: REVOKED.title.en })).toBeVisible();
    await expect.element(page.getByText('Passed', { exact: true })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Presenter mode' })).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Checks' })).toBeVisible();
    await expect.element(page.getByRole('row', { name: /the PGO refuses the handshake/ })).toBeVisible();
    await expect.element(page.getByRole('list').filter({ hasText: 'setup: revoked the server certificate of dekroon' })).toBeVisible();
    // And back: the same run, now in Dutch.
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await expect.element(page.getByRole('heading', { level: 1, name: REVOKED.title.nl })).toBeVisible();
    await expect.element(page.getByRole('row', { name: /de PGO weigert de handshake/ })).toBeVisible();
  });

  it('opens presenter mode from the result, full width, and keeps the run over a reload of the page', async () => {
    startApp({}, '#/scenarios');
    await page.getByRole('button', { name: `Start ${REVOKED.title.nl}`, exact: true }).click();
    await page.getByRole('button', { name: 'Presentatiemodus' }).click();
    expect(location.hash).toBe(`#/scenarios/${REVOKED.name}/present`);
    await expect.element(page.getByRole('button', { name: 'Volgende' })).toBeVisible();
    await expect.element(page.getByRole('main')).toHaveClass('wide');
    expect(document.title).toBe('Presentatiemodus – MedMij Sandbox Console');
    await page.getByRole('button', { name: 'Volgende' }).click();
    await expect.element(page.getByText('stap 1 van 10')).toBeVisible();
    expect(await axeViolations()).toEqual([]);

    // A new page in the same tab (sessionStorage): the run is still there.
    document.body.innerHTML = '';
    resetScenarioStoreKeepingSaved();
    document.body.innerHTML = '<console-app></console-app>';
    await expect.element(page.getByRole('button', { name: 'Volgende' })).toBeVisible();
    await page.getByRole('link', { name: 'Terug naar het resultaat' }).click();
    await expect.element(page.getByRole('heading', { level: 1, name: REVOKED.title.nl })).toBeVisible();
  });
});

/** A fresh store that reads what the previous one saved (as after a reload). */
function resetScenarioStoreKeepingSaved(): void {
  const key = 'medmij-sandbox.console.scenario-runs';
  const saved = sessionStorage.getItem(key);
  resetScenarioStore();
  if (saved) sessionStorage.setItem(key, saved);
}
