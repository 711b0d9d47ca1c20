/**
 * The console in Dutch with the sandbox's real texts (ui/test/global-setup.ts loads them in Node): the scenario
 * catalogue of scenarios/*.yaml, a result page and every presenter card of every scenario, and the inspector,
 * details and presenter slides of an event for every entry of the rule catalogue. No English sentence of either
 * catalogue (every English text of four words or more) may reach the page; the search finds Dutch words.
 */
import { render } from 'lit';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import type { ScenarioInfo, ScenarioRun, TraceEvent } from '@medmij-sandbox/console-api';
import { SANDBOX, STELSELNODE, eventReason, eventRule, nest, said, say } from '@medmij-sandbox/rules';
import { setLang } from '@medmij-sandbox/ui/i18n';
import '../src/app.ts';
import '../src/inspector.ts';
import type { ConsoleInspector } from '../src/inspector.ts';
import type { ConsolePresenter } from '../src/presenter.ts';
import { renderHopDetails } from '../src/inspector-details.ts';
import { renderStep } from '../src/presenter-slides.ts';
import { resetScenarioStore, scenarioStore } from '../src/scenario-store.ts';
import { deepQueryAll, mount } from '@medmij-sandbox/ui/testing';
import { revokedRun } from './scenario-fixture.ts';
import './fixture-types.ts';

const fixtures = inject('catalogue');
const norm = (text: string) => text.replace(/\s+/g, ' ').trim();
/** The English sentences that must not show on a Dutch page. */
const ENGLISH = [...new Set(fixtures.english.map(norm))].filter((text) => text.split(' ').length >= 4);

/**
 * What a person reads on the page (through shadow roots), without <pre>: the raw event and decoded bodies are
 * data, shown as they were sent.
 */
function readable(root: Element): string {
  const parts: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    if (!(node instanceof Element)) return;
    if (node.tagName === 'PRE') return;
    if (node.shadowRoot) node.shadowRoot.childNodes.forEach(visit);
    node.childNodes.forEach(visit);
  };
  visit(root);
  return norm(parts.join(' '));
}

/** The English sentences of the catalogues that a page shows. */
function englishOn(root: Element): string[] {
  const text = readable(root);
  return ENGLISH.filter((sentence) => text.includes(sentence));
}

/**
 * A run of a scenario as the API answers it: the scenario's own texts and checks, the fixture's events and log.
 * Each check that expects something found it at one of the events (in turn), so the presenter shows hop cards
 * with their notices ("Let op") as in a real run, not only folded phases.
 */
function runOf(s: ScenarioInfo): ScenarioRun {
  const fixture = revokedRun();
  // Only events the rule catalogue knows: the fixture's one event without an id keeps its English words.
  const events = fixture.events.filter((e) => e.ruleId !== undefined || e.reason === undefined);
  const hops = events.filter((e) => e.kind !== 'decision' || e.reportedBy !== 'browser');
  const checks = fixtures.checks[s.name]!.map((c, i) => (c.message.en === 'none, as expected' ? c : { ...c, seq: hops[(3 * i + 4) % hops.length]!.seq }));
  return { ...fixture, ...s, checks, events };
}

function startApp(hash: string, role: 'trainer' | null = 'trainer') {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), location.origin);
      const run = /^\/api\/scenarios\/([^/]+)\/run$/.exec(url.pathname);
      const scenario = run && fixtures.scenarios.find((s) => s.name === decodeURIComponent(run[1]!));
      if (scenario) return json(runOf(scenario));
      if (url.pathname === '/api/operator') return json({ role, pgos: role ? [{ name: 'MedMij Sandbox PGO', url: 'https://pgo.localhost:8750' }] : [] });
      if (url.pathname === '/api/scenarios') return json({ scenarios: fixtures.scenarios });
      if (url.pathname === '/api/sandbox/reset') return json({ done: RESET_LINES.map((d) => ({ nl: say(d, 'nl'), en: say(d) })) });
      return json({ error: 'not_found', message: { nl: 'Niet gevonden', en: 'Not found' } }, 404);
    }),
  );
  location.hash = hash;
  document.body.innerHTML = '<console-app></console-app>';
}

/** What a reset of the network says it did, as the sandbox's resetNetwork says it (from the catalogue). */
const RESET_LINES = [
  said(SANDBOX.resetClock, { clock: 'real time', mode: 'real', at: '', offset: '' }),
  said(SANDBOX.resetReissued, { kind: 'client', host: 'pgo.localhost', was: 'expired' }),
  said(SANDBOX.resetLists, nest('change', said(STELSELNODE.reset, {}))),
  said(SANDBOX.resetLists, nest('change', said(STELSELNODE.consumersForget, { epoch: 2, consumers: 'dekroon.dvza.localhost, pgo.localhost' }))),
];

const headings = (level: number) =>
  page
    .getByRole('heading', { level })
    .all()
    .map((h) => norm(h.element().textContent ?? ''));

describe('the console in Dutch, with the real scenario and rule catalogues', () => {
  beforeEach(() => {
    setLang('nl');
    resetScenarioStore();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
    location.hash = '#/';
    setLang('nl');
  });

  it('has the English texts to look for: every scenario and every entry of the rule catalogue', () => {
    expect(fixtures.scenarios.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.events.length).toBeGreaterThanOrEqual(300);
    expect(ENGLISH.length).toBeGreaterThan(600);
  });

  it('shows the catalogue without an English sentence; in English, it shows them', async () => {
    startApp('#/scenarios');
    await expect.poll(() => headings(3).length).toBe(fixtures.scenarios.length);
    expect(headings(3)).toEqual(fixtures.scenarios.map((s) => norm(s.title.nl)));
    await expect.element(page.getByText(norm(fixtures.scenarios[0]!.teaches.nl))).toBeVisible();
    expect(englishOn(document.body)).toEqual([]);
    // The check itself sees English where there is some.
    setLang('en');
    await expect.poll(() => headings(3)).toEqual(fixtures.scenarios.map((s) => norm(s.title.en)));
    expect(englishOn(document.body).length).toBeGreaterThanOrEqual(fixtures.scenarios.length * 2);
  });

  it('"ingetrokken" in the search shows the revocation scenarios, and only scenarios whose Dutch says it', async () => {
    startApp('#/scenarios');
    await expect.poll(() => headings(3).length).toBe(fixtures.scenarios.length);
    await page.getByLabelText('Zoek een scenario').fill('ingetrokken');
    const saysIt = fixtures.scenarios.filter((s) => [s.title.nl, s.name, s.rule.nl, s.teaches.nl].some((text) => text.toLowerCase().includes('ingetrokken')));
    await expect.poll(() => headings(3)).toEqual(saysIt.map((s) => norm(s.title.nl)));
    const revoked = fixtures.scenarios.filter((s) => s.name.includes('revoked'));
    expect(revoked.map((s) => s.name)).toEqual(['dvza-server-certificate-revoked', 'pgo-client-certificate-revoked']);
    for (const s of revoked) expect(headings(3)).toContain(norm(s.title.nl));
    await expect.element(page.getByText(`${saysIt.length} van ${fixtures.scenarios.length} scenario's`)).toBeVisible();
  });

  it("shows every scenario's result page and every presenter card (intro, phases, hops, closing) without an English sentence", async () => {
    for (const s of fixtures.scenarios) scenarioStore().put(runOf(s));
    startApp('#/scenarios');
    await expect.poll(() => headings(3).length).toBe(fixtures.scenarios.length);
    const found: string[] = [];
    let noticesSeen = 0;
    for (const s of fixtures.scenarios) {
      location.hash = `#/scenarios/${s.name}`;
      await expect.element(page.getByRole('heading', { level: 1, name: norm(s.title.nl), exact: true })).toBeVisible();
      await expect.element(page.getByRole('table', { name: 'Controles van deze run' })).toBeVisible();
      if (fixtures.checks[s.name]!.length) await expect.element(page.getByText(norm(fixtures.checks[s.name]![0]!.what.nl)).first()).toBeVisible();
      found.push(...englishOn(document.body).map((e) => `${s.name} (result): ${e}`));
      location.hash = `#/scenarios/${s.name}/present`;
      await expect.element(page.getByTestId('slide').getByText(norm(s.teaches.nl))).toBeVisible();
      await expect.element(page.getByRole('heading', { level: 1, name: norm(s.title.nl), exact: true })).toBeVisible();
      found.push(...englishOn(document.body).map((e) => `${s.name} (presenter): ${e}`));
      // Every card after the intro: folded phases, hops, the closing card with what the PGO showed.
      const presenter = deepQueryAll<ConsolePresenter>('console-presenter')[0]!;
      for (let position = 1; position <= presenter.positions; position++) {
        presenter.go(position);
        await presenter.updateComplete;
        if (deepQueryAll('[data-testid="notice"]').length) noticesSeen++;
        found.push(...englishOn(document.body).map((e) => `${s.name} (presenter card ${position}): ${e}`));
      }
      await expect.element(page.getByRole('heading', { level: 2, name: 'Afsluiting: wat de PGO liet zien' })).toBeVisible();
    }
    expect(found).toEqual([]);
    // Hop cards with the checks' notices were among the cards seen (not only folded phases).
    expect(noticesSeen).toBeGreaterThan(30);
  });

  it('says what a reset did, how to load a trace, and that a page does not exist, in Dutch', async () => {
    startApp('#/scenarios');
    await page.getByRole('button', { name: 'Sandbox resetten' }).click();
    await page.getByRole('button', { name: 'Ja, resetten' }).click();
    const result = page.getByRole('status').filter({ hasText: 'Sandbox gereset' });
    await expect.element(result).toBeVisible();
    for (const line of RESET_LINES) {
      await expect.element(result.getByText(say(line, 'nl'), { exact: true })).toBeVisible();
      expect(readable(document.body)).not.toContain(say(line));
    }
    expect(englishOn(document.body)).toEqual([]);
    location.hash = '#/trace';
    await expect.element(page.getByRole('heading', { level: 1, name: 'Trace laden' })).toBeVisible();
    expect(englishOn(document.body)).toEqual([]);
    for (const hash of ['#/nergens', '#/scenarios/bestaat-niet']) {
      location.hash = hash;
      await expect.element(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(norm(page.getByRole('heading', { level: 1 }).element().textContent ?? '')).not.toMatch(/not found|does not exist/i);
      expect(englishOn(document.body)).toEqual([]);
    }
  });

  it('tells a browser that is no operator how to log in, in Dutch', async () => {
    startApp('#/inspector', null);
    await expect.element(page.getByRole('heading', { level: 1, name: 'Alleen voor de operator' })).toBeVisible();
    expect(englishOn(document.body)).toEqual([]);
    expect(readable(document.body)).toContain('npm run sandbox -- operator');
  });

  it('says every reason and rule of the rule catalogue in Dutch: in the inspector, its details and the presenter', async () => {
    const events: TraceEvent[] = fixtures.events;
    const el = await mount<ConsoleInspector>('console-inspector', { events }, { 'trace-id': 'catalogue' });
    // The inspector shows 300 events at a time: the earlier ones on request.
    await page.getByRole('button', { name: /^Toon \d+ eerdere gebeurtenissen$/ }).click();
    await expect.poll(() => el.shadowRoot!.querySelectorAll('button.row').length).toBe(events.length);
    const diagram = readable(el);
    // Not an empty page: every reason and every rule is there, in Dutch.
    const missing = events.flatMap((e) => [eventReason(e, 'nl'), eventRule(e, 'nl')]).filter((t) => t && !diagram.includes(norm(t.text)));
    expect(missing).toEqual([]);
    expect(englishOn(el)).toEqual([]);

    // The details pane and the presenter's slide of each event.
    const found: string[] = [];
    const box = document.createElement('div');
    document.body.append(box);
    for (const e of events) {
      render(
        renderHopDetails(e, events, () => {}),
        box,
      );
      found.push(...englishOn(box).map((t) => `#${e.seq} details: ${t}`));
      render(renderStep(e, []), box);
      found.push(...englishOn(box).map((t) => `#${e.seq} slide: ${t}`));
    }
    expect(found).toEqual([]);
  });
});
