/**
 * The reference PGO as a person uses it, in headless Debian Chromium with the sandbox root trusted (no
 * certificate warning anywhere): log in with two factors, pick a zorgaanbieder and a gegevensdienst, go
 * through the DVZA, DigiD at the TVS and consent, and read the dossier — at two DVZAs — plus the refusals
 * a person meets (under 16, consent refused, DigiD cancelled, a revoked DVZA certificate). Every page is
 * checked with axe-core. The whole network runs for real: stelselnode, TVS, the DVZAs of the default topology.
 * Needs chromium and certutil (apt-get install chromium libnss3-tools; .ci/run installs them).
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
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
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import type { RunningListener } from '@medmij-sandbox/transport';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';
import { startConsole } from '@medmij-sandbox/console';
import { digidLoginByKeyboard, idIs, tabTo, textIs } from './keyboard.js';
import { expectAccessible, launchTrustingBrowser } from './browser.js';

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
  let consoleUrl: string;
  let paths: SandboxPaths;
  /** Every Content-Security-Policy violation any page of the run reported. */
  let cspViolations: string[] = [];

  beforeAll(async () => {
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
    // The operator's console beside the network: the PGO links each collection to its inspector there.
    listeners.push(...(await startConsole({ ...ctx, participant: participantsByRole(topology, 'console')[0]! })));
    consoleUrl = listeners.at(-1)!.url;
    personas = generatePersonas(personaSetOf(topology, DAY));
    ({ context, cspViolations } = await launchTrustingBrowser(dir, pki.rootCertPath));
  });

  afterAll(async () => {
    await context?.close();
    await Promise.all(listeners.map((l) => l.close()));
  });

  const persona = (tag: string) => personas.find((p) => p.tags.includes(tag))!;

  /** No horizontal scrolling at this size; else the elements (through shadow roots) that reach past the right edge. */
  async function expectNoOverflow(page: Page, where: string) {
    const wider = (await page.evaluate(`(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth) return [];
      const out = [];
      // What scrolls inside its own box (a table in a scrolling wrapper) does not widen the page: not looked into.
      const visit = (root) => {
        for (const el of root.children) {
          const r = el.getBoundingClientRect();
          if ((r.right > window.innerWidth + 1 && r.width > 0) || r.left + el.scrollWidth > window.innerWidth + 1) out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' (' + Math.round(Math.max(r.right, r.left + el.scrollWidth)) + 'px)');
          if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX)) continue;
          if (el.shadowRoot) visit(el.shadowRoot);
          visit(el);
        }
      };
      visit(document);
      return out.length ? out.slice(0, 12) : ['(document ' + document.documentElement.scrollWidth + 'px)'];
    })()`)) as string[];
    expect(wider.join(' | '), `${where}: wider than the viewport`).toBe('');
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

  it('logs in with two factors; the home page is accessible, on a phone and on a laptop', async () => {
    const page = await context.newPage();
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto(`${pgoUrl}/`);
      await expect.poll(() => page.getByLabel('Gebruikersnaam').count()).toBe(1);
      await expectNoOverflow(page, `PGO login at ${viewport.width}×${viewport.height}`);
    }
    await page.close();
    const home = await login();
    await expectAccessible(home, 'home');
    await home.setViewportSize({ width: 390, height: 844 });
    await expectNoOverflow(home, 'PGO home at 390×844');
    await home.close();
  });

  it('a PGO user is no operator: the PGO has no trace at all; the console opens it only after the viewer link (an HttpOnly, Strict cookie)', async () => {
    const page = await login();
    const status = (path: string) => page.evaluate(`fetch(${JSON.stringify(path)}).then((r) => r.status)`);
    for (const path of ['/api/trace?since=0', '/api/trace/export?format=json', '/api/scenarios', '/api/operator']) expect(await status(path), path).toBe(404);
    await page.goto(`${consoleUrl}/`);
    expect(await status('/api/trace?since=0')).toBe(401);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Alleen voor de operator' }).count()).toBe(1);
    await expectAccessible(page, 'the console without an operator');
    await page.goto(operatorLoginUrl(consoleUrl, new OperatorAccess(paths.operator).tokens().viewer));
    await page.waitForURL(`${consoleUrl}/#/inspector`);
    expect(await page.evaluate("fetch('/api/operator').then((r) => r.json())")).toMatchObject({ role: 'viewer' });
    expect(await status('/api/trace?since=0')).toBe(200);
    // HttpOnly: the page's scripts cannot read it.
    expect(await page.evaluate('document.cookie')).not.toContain('console_operator');
    // The token of the link's fragment is gone from the history: Back does not show it again.
    await page.goBack();
    expect(page.url()).not.toContain('token');
    await page.close();
  });

  it('an operator link another site sends the browser to logs in only after the person confirms', async () => {
    const page = await context.newPage();
    const { viewer, trainer } = new OperatorAccess(paths.operator).tokens();
    const role = async () => ((await page.evaluate("fetch('/api/operator').then((r) => r.json())")) as { role: string }).role;
    // A viewer's session first (the earlier test's), then a page of another site navigates to the trainer's link.
    await page.goto(operatorLoginUrl(consoleUrl, viewer));
    await page.waitForURL(`${consoleUrl}/#/inspector`);
    await page.goto(`${frontchannelUrl(participantsByRole(topology, 'tvs')[0]!)}/favicon.ico`);
    await page.evaluate(`location.href = ${JSON.stringify(operatorLoginUrl(consoleUrl, trainer))}`);
    await page.waitForURL(`${consoleUrl}/operator/login`);
    const confirm = page.getByRole('button', { name: 'Inloggen als operator' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Een andere site stuurde je hierheen');
    expect(page.url()).not.toContain(trainer);
    expect(await role()).toBe('viewer');
    await expectAccessible(page, 'operator login');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Another site sent you here');
    await page.getByRole('button', { name: 'Log in as the operator' }).click();
    await page.waitForURL(`${consoleUrl}/#/scenarios`);
    expect(await role()).toBe('trainer');
    await page.close();
  });

  /** The console's inspector of the flow the collection page links to (the browser holds the viewer's cookie). */
  async function hopsInConsole(page: Page): Promise<ReturnType<Page['getByTestId']>> {
    const link = page.getByRole('link', { name: 'Bekijk elke stap in de console van de sandbox' });
    await expect.poll(() => link.count()).toBe(1);
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${consoleUrl.replace(/[.]/g, '\\.')}/#/inspector/`));
    // An operator already (an earlier test's login, of either role), or the viewer's link now.
    await page.goto(`${consoleUrl}/`);
    const { role } = (await page.evaluate("fetch('/api/operator').then((r) => r.json())")) as { role: string | null };
    if (role === null) {
      await page.goto(operatorLoginUrl(consoleUrl, new OperatorAccess(paths.operator).tokens().viewer));
      await page.waitForURL(`${consoleUrl}/#/inspector`);
    }
    await page.goto(href);
    return page.getByTestId('inspector');
  }

  it('collects the BgZ at Huisartsenpraktijk De Kroon and shows the dossier; its hops are in the console', async () => {
    const adult = persona('several-providers');
    const page = await login();
    await collect(page, { search: 'Kroon', button: `${naam('bgz')} ophalen bij Huisartsenpraktijk De Kroon`, persona: adult });
    await expect.poll(() => page.getByRole('heading', { name: 'Opgehaald bij Huisartsenpraktijk De Kroon' }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(adult.name.display).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'dossier');
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      await page.setViewportSize(viewport);
      await expectNoOverflow(page, `PGO dossier at ${viewport.width}×${viewport.height}`);
    }
    const inspector = await hopsInConsole(page);
    await expect.poll(() => inspector.getByRole('button', { name: /POST \/oauth\/token → 200/ }).count()).toBeGreaterThan(0);
    await expect.poll(() => inspector.getByRole('button', { name: /GET \/fhir\/Condition → 200/ }).count()).toBeGreaterThan(0);
    await expectAccessible(page, "the console's inspector of the collection");
    await page.close();
  });

  it('by keyboard alone: log out, log in with two factors, collect at De Kroon through the DVZA, DigiD and consent, back home', async () => {
    const adult = persona('several-providers');
    const page = await login();
    await tabTo(page, textIs('Uitloggen'), 'the logout button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Gebruikersnaam').count()).toBe(1);
    // The code a person reads off the demo card (or their authenticator app).
    const session = (await page.evaluate("fetch('/api/session').then((r) => r.json())")) as { demoTotp: Record<string, { code: string }> };
    await tabTo(page, idIs('username'), 'the username field');
    await page.keyboard.type('demo');
    await tabTo(page, idIs('password'), 'the password field');
    await page.keyboard.type('sandbox');
    await tabTo(page, idIs('totp'), 'the code field');
    await page.keyboard.type(session.demoTotp.demo!.code);
    await page.keyboard.press('Enter');

    await expect.poll(() => page.getByLabel('Zoek een zorgaanbieder').count()).toBe(1);
    await tabTo(page, idIs('search'), 'the zorgaanbieder search');
    await page.keyboard.type('Kroon');
    const collectLabel = `${naam('bgz')} ophalen bij Huisartsenpraktijk De Kroon`;
    await expect.poll(() => page.getByRole('button', { name: collectLabel }).count()).toBe(1);
    await tabTo(page, `el.getAttribute('aria-label') === ${JSON.stringify(collectLabel)}`, 'the collect button');
    await page.keyboard.press('Enter');

    await page.waitForURL(/dekroon\.dvza\.localhost:\d+\/oauth\/authorize/);
    await tabTo(page, textIs('Verder naar DigiD'), 'the landing page’s DigiD link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/tvs\.localhost:\d+\/login/);
    await digidLoginByKeyboard(page, adult.name.display);
    await page.waitForURL(/dekroon\.dvza\.localhost:\d+\/tvs\/callback/);
    await expect.poll(() => page.getByRole('heading', { name: 'Toestemming geven' }).count()).toBe(1);
    await tabTo(page, textIs('Ja, ik geef toestemming'), 'the yes button');
    await page.keyboard.press('Enter');

    await page.waitForURL(/pgo\.localhost:\d+\/#\/collection\//);
    await expect.poll(() => page.getByRole('heading', { name: 'Opgehaald bij Huisartsenpraktijk De Kroon' }).count()).toBeGreaterThan(0);
    await tabTo(page, textIs('← Terug naar mijn gegevens'), 'the way back home');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${pgoUrl}/#/`);
    await expect.poll(() => page.getByRole('heading', { name: 'Mijn ophaalacties' }).count()).toBe(1);
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
      const back = page.url();
      const inspector = await hopsInConsole(page);
      await expect.poll(() => inspector.getByRole('button', { name: /POST \/oauth\/revoke → 200/ }).count()).toBeGreaterThan(0);
      await page.goto(back);

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
