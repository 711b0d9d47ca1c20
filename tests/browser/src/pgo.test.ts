/**
 * The reference PGO as a person uses it, in headless Debian Chromium with the sandbox root trusted (no
 * certificate warning anywhere): log in with two factors, pick a zorgaanbieder and a gegevensdienst, go
 * through the DVZA, DigiD at the TVS and consent, and read the dossier — at two DVZAs — plus the refusals
 * a person meets (under 16, consent refused, DigiD cancelled, a revoked DVZA certificate). Every page is
 * checked with axe-core. The whole network runs for real: stelselnode, TVS, the DVZAs of the default topology.
 * Needs chromium and certutil (apt-get install chromium libnss3-tools; .ci/run installs them).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OperatorAccess,
  SandboxClock,
  TraceBus,
  frontchannelUrl,
  gegevensdienstOf,
  operatorLoginUrl,
  participantsByRole,
  sandboxPaths,
  type SandboxPaths,
  type Topology,
} from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts, CHROMIUM, CHROMIUM_ARGS } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { trustRootInNss } from '@medmij-sandbox/pki/testing';
import type { RunningListener } from '@medmij-sandbox/transport';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DAY = '2026-06-01';

// Both afsprakenstelsels: the same person, the same pages; 2 adds the consent choices and long-lived consent.
describe.each(['2', '1.5'] as const)('the reference PGO in a real browser, afsprakenstelsel %s', (afsprakenstelsel) => {
  // Running time, starting on the reference date: ages match the personas, TOTP codes and tokens run as in life.
  const clock = SandboxClock.frozenAt(`${DAY}T09:00:00Z`).resume();
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let topology: Topology;
  let pki: SandboxPki;
  let context: BrowserContext;
  let personas: Persona[];
  let pgoUrl: string;
  let paths: SandboxPaths;
  /** Every Content-Security-Policy violation any page of the run reported (Chromium's console, and the DOM event). */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (spawnSync(CHROMIUM, ['--version']).error) throw new Error(`this test needs ${CHROMIUM}: apt-get install -y chromium (.ci/run does this)`);
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel }));
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    paths = sandboxPaths(dir);
    const ctx = { topology, pki, clock, bus, paths };
    listeners.push(...(await startStelselnode({ ...ctx, participant: participantsByRole(topology, 'stelselnode')[0]! })));
    listeners.push(...(await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! })));
    for (const dvza of participantsByRole(topology, 'dvza')) listeners.push(...(await startDvza({ ...ctx, participant: dvza })));
    const pgo = participantsByRole(topology, 'pgo')[0]!;
    listeners.push(...(await startPgo({ ...ctx, participant: pgo })));
    pgoUrl = listeners.at(-1)!.url;
    personas = generatePersonas(personaSetOf(topology, DAY));
    const home = join(dir, 'home');
    trustRootInNss(home, pki.rootCertPath);
    context = await chromium.launchPersistentContext(join(home, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: home } as Record<string, string>,
    });
    // Init scripts come in through DevTools, not as page scripts: the pages' CSP does not apply to them.
    await context.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + location.origin + location.pathname))",
    });
    context.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|CSP violation/.test(m.text())) cspViolations.push(`${m.page()?.url() ?? '?'}: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await Promise.all(listeners.map((l) => l.close()));
  });

  const persona = (tag: string) => personas.find((p) => p.tags.includes(tag))!;

  /** axe-core in the page: no violations of WCAG 2.1 A/AA. */
  async function expectAccessible(page: Page, where: string) {
    // Evaluated through DevTools: an injected <script> tag would be an inline script, which the pages' CSP refuses.
    await page.evaluate(AXE);
    // A string, evaluated in the page: this file is typechecked for Node, without DOM types.
    const violations = (await page.evaluate(`(async () => {
      const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => v.id + ': ' + v.help + ' (' + JSON.stringify(v.nodes.map((n) => n.target)).slice(0, 200) + ')');
    })()`)) as string[];
    expect(violations, `axe on ${where}`).toEqual([]);
  }

  async function login(): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${pgoUrl}/`);
    // Fetched by the page itself (Chromium resolves *.localhost; Node's resolver would not).
    const session = (await page.evaluate("fetch('/api/session').then((r) => r.json())")) as { loggedIn: boolean; demoTotp: Record<string, { code: string }> };
    if (!session.loggedIn) {
      await page.getByLabel('Gebruikersnaam').fill('demo');
      await page.getByLabel('Wachtwoord').fill('sandbox');
      await page.getByLabel('Code uit je authenticator-app').fill(session.demoTotp.demo!.code);
      await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    }
    await expect.poll(() => page.getByLabel('Zoek een zorgaanbieder').count()).toBe(1);
    return page;
  }

  /** A gegevensdienst's name in the topology's afsprakenstelsel. */
  const naam = (key: string) => gegevensdienstOf(topology, key)!.weergavenaam;

  /** From the PGO to the DVZA's landing page, DigiD at the TVS, and the consent page (or back). */
  async function collect(page: Page, o: { search: string; button: string; persona: Persona; tvsButton?: string; consent?: 'ja' | 'nee'; longLived?: boolean }) {
    await page.getByLabel('Zoek een zorgaanbieder').fill(o.search);
    await page.getByRole('button', { name: o.button }).click();
    await page.waitForURL(/\.dvza\.localhost:\d+\/oauth\/authorize/);
    await page.getByRole('link', { name: 'Verder naar DigiD' }).click();
    await page.waitForURL(/tvs\.localhost:\d+\/login/);
    if (o.tvsButton) {
      await page.getByRole('button', { name: o.tvsButton, exact: true }).click();
    } else {
      await page.getByLabel(new RegExp(o.persona.name.display)).check();
      await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    }
    await page.waitForURL((url) => url.hostname !== 'tvs.localhost');
    if (/\/tvs\/callback/.test(page.url()) && (await page.getByRole('heading', { name: 'Toestemming geven' }).count())) {
      if (o.longLived) await page.getByLabel(/Langdurige toestemming:/).check();
      await page.getByRole('button', { name: o.consent === 'nee' ? 'Nee, ik geef geen toestemming' : 'Ja, ik geef toestemming' }).click();
    }
    await page.waitForURL(/pgo\.localhost:\d+\/#\/collection\//);
  }

  it('logs in with two factors; the home page is accessible', async () => {
    const page = await login();
    await expectAccessible(page, 'home');
    await page.close();
  });

  it('a PGO user is no operator: the trace opens only after the viewer link (an HttpOnly, Strict cookie)', async () => {
    const page = await login();
    const status = (path: string) => page.evaluate(`fetch(${JSON.stringify(path)}).then((r) => r.status)`);
    expect(await status('/api/trace?since=0')).toBe(401);
    expect(await status('/api/trace/export?format=json')).toBe(401);
    await page.goto(operatorLoginUrl(pgoUrl, new OperatorAccess(paths.operator).tokens().viewer));
    await page.waitForURL(`${pgoUrl}/`);
    expect(await page.evaluate("fetch('/api/operator').then((r) => r.json())")).toEqual({ role: 'viewer' });
    expect(await status('/api/trace?since=0')).toBe(200);
    // HttpOnly: the page's scripts cannot read it.
    expect(await page.evaluate('document.cookie')).not.toContain('pgo_operator');
    // The token of the link's fragment is gone from the history: Back does not show it again.
    await page.goBack();
    expect(page.url()).not.toContain('token');
    await page.close();
  });

  it('an operator link another site sends the browser to logs in only after the person confirms', async () => {
    const page = await context.newPage();
    const { viewer, trainer } = new OperatorAccess(paths.operator).tokens();
    const role = () => page.evaluate("fetch('/api/operator').then((r) => r.json())");
    // A viewer's session first (the earlier test's), then a page of another site navigates to the trainer's link.
    await page.goto(operatorLoginUrl(pgoUrl, viewer));
    await page.waitForURL(`${pgoUrl}/`);
    await page.goto(`${frontchannelUrl(participantsByRole(topology, 'tvs')[0]!)}/favicon.ico`);
    await page.evaluate(`location.href = ${JSON.stringify(operatorLoginUrl(pgoUrl, trainer))}`);
    await page.waitForURL(`${pgoUrl}/operator/login`);
    const confirm = page.getByRole('button', { name: 'Inloggen als operator' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Een andere site stuurde je hierheen');
    expect(page.url()).not.toContain(trainer);
    expect(await role()).toEqual({ role: 'viewer' });
    await expectAccessible(page, 'operator login');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Another site sent you here');
    await page.getByRole('button', { name: 'Log in as the operator' }).click();
    await page.waitForURL(`${pgoUrl}/#/scenarios`);
    expect(await role()).toEqual({ role: 'trainer' });
    await page.close();
  });

  it('collects the BgZ at Huisartsenpraktijk De Kroon and shows the dossier and the hops', async () => {
    const adult = persona('several-providers');
    const page = await login();
    await collect(page, { search: 'Kroon', button: `${naam('bgz')} ophalen bij Huisartsenpraktijk De Kroon`, persona: adult });
    await expect.poll(() => page.getByRole('heading', { name: 'Opgehaald bij Huisartsenpraktijk De Kroon' }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(adult.name.display).count()).toBeGreaterThan(0);
    const inspector = page.getByTestId('inspector');
    await expect.poll(() => inspector.getByRole('button', { name: /POST \/oauth\/token → 200/ }).count()).toBeGreaterThan(0);
    await expect.poll(() => inspector.getByRole('button', { name: /GET \/fhir\/Condition → 200/ }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'dossier');
    await page.close();
  });

  it('collects Laboratoriumresultaten at Ziekenhuis Rivierenland', async () => {
    const adult = persona('several-providers');
    const page = await login();
    await collect(page, { search: 'Rivierenland', button: `${naam('lab')} ophalen bij Ziekenhuis Rivierenland`, persona: adult });
    await expect.poll(() => page.getByRole('heading', { name: 'Opgehaald bij Ziekenhuis Rivierenland' }).count()).toBeGreaterThan(0);
    await page.close();
  });

  for (const c of [
    { name: 'a patient under 16', tag: 'under-16', title: 'De zorgaanbieder kan deze gegevens niet klaarzetten', code: 'access_denied' },
    { name: 'consent refused', tag: 'several-providers', consent: 'nee' as const, title: 'Geen toestemming gegeven', code: 'access_denied' },
    { name: 'DigiD cancelled', tag: 'several-providers', tvsButton: 'Annuleren', title: 'Inloggen met DigiD geannuleerd', code: 'access_denied' },
  ]) {
    it(`refusal: ${c.name} — shown in plain Dutch with what happened and why`, async () => {
      const page = await login();
      await collect(page, {
        search: 'Kroon',
        button: `${naam('bgz')} ophalen bij Huisartsenpraktijk De Kroon`,
        persona: persona(c.tag),
        consent: c.consent,
        tvsButton: c.tvsButton,
      });
      await expect.poll(() => page.getByRole('heading', { name: 'Niet opgehaald' }).count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByText(c.title).count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByText(c.code, { exact: true }).count()).toBeGreaterThan(0);
      await expectAccessible(page, `refusal ${c.name}`);
      await page.close();
    });
  }

  it('refusal: a DVZA whose back-channel certificate is revoked — the PGO does not hand it the code', async () => {
    await pki.revoke('rivierenland.dvza.localhost', { kinds: ['server'] });
    try {
      const page = await login();
      await collect(page, {
        search: 'Rivierenland',
        button: `${naam('bgz')} ophalen bij Ziekenhuis Rivierenland`,
        persona: persona('several-providers'),
      });
      await expect.poll(() => page.getByText('Het certificaat van de zorgaanbieder is ingetrokken').count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByText('CERT_REVOKED', { exact: true }).count()).toBeGreaterThan(0);
      await page.close();
    } finally {
      await pki.reissue('rivierenland.dvza.localhost', { kinds: ['server'] });
    }
  });

  it.runIf(afsprakenstelsel === '2')(
    'long-lived consent, withdrawn in the PGO ("Toestemmingen aanpassen"); the DVZA\'s own overview after DigiD says so',
    async () => {
      const adult = persona('several-providers');
      const page = await login();
      await collect(page, { search: 'Kroon', button: `${naam('bgz')} ophalen bij Huisartsenpraktijk De Kroon`, persona: adult, longLived: true });
      await expect.poll(() => page.getByRole('heading', { name: 'Toestemmingen aanpassen' }).count()).toBe(1);
      await expect.poll(() => page.getByText(/^Actief:/).count()).toBe(1);
      await page.getByRole('button', { name: 'Toestemming intrekken' }).click();
      await expect.poll(() => page.getByText(/^Ingetrokken:/).count()).toBe(1);
      const inspector = page.getByTestId('inspector');
      await expect.poll(() => inspector.getByRole('button', { name: /POST \/oauth\/revoke → 200/ }).count()).toBeGreaterThan(0);

      // The DVZA's own page: DigiD first, then the person's consents, this one withdrawn.
      const overview = page.getByRole('link', { name: 'Mijn toestemmingen bij Huisartsenpraktijk De Kroon' });
      await page.goto((await overview.getAttribute('href'))!);
      await page.waitForURL(/tvs\.localhost:\d+\/login/);
      await page.getByLabel(new RegExp(adult.name.display)).check();
      await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Mijn toestemmingen' }).count()).toBe(1);
      await expect.poll(() => page.getByText(/ingetrokken op \d{4}-\d\d-\d\d/).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Toestemming intrekken' }).count()).toBe(0);
      await expectAccessible(page, "the DVZA's consent overview");
      await page.close();
    },
  );

  it('the English toggle switches the UI language', async () => {
    const page = await login();
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Nederlands' }).count()).toBe(1);
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.close();
  });

  it('no page of the PGO, the DVZAs or the TVS broke its Content-Security-Policy; a violation would have been seen', async () => {
    expect(cspViolations).toEqual([]);
    // The watch works: an inline script in the PGO's page is refused, and reported.
    const page = await login();
    await page.evaluate("document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.inlineRan = true' }))");
    await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
    expect(cspViolations.join('\n')).toMatch(/script-src/);
    expect(await page.evaluate('window.inlineRan === true')).toBe(false);
    cspViolations.length = 0;
    await page.close();
  });
});
