/**
 * The pages a person sees at the zorgaanbieder (DVZA) and at DigiD (TVS), in headless Debian Chromium with the
 * sandbox root trusted: the landing page, the DigiD login, the consent page, the DVZA's consent overview and
 * the refusal pages of both — each in Dutch and, after its language toggle, in English. Every one passes all
 * of axe-core's rules (best practices such as `region` too), fits a phone's and a laptop's width without
 * scrolling sideways, and the way from the landing page to consent works with the keyboard alone. The flow
 * starts at the real PGO (its JSON API gives the authorization request), so the DVZA sees a listed client.
 * Needs chromium and certutil (apt-get install chromium libnss3-tools; .ci/run installs them).
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, frontchannelUrl, gegevensdienstOf, participantsByRole, sandboxPaths, type Topology } from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import type { RunningListener } from '@medmij-sandbox/transport';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';
import { digidLoginByKeyboard, tabTo, textIs } from './keyboard.js';
import { launchTrustingBrowser, runAxe } from './browser.js';

const DAY = '2026-06-01';
/** A phone and a laptop. */
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

describe('the DVZA’s and the TVS’s pages in a real browser: accessible, one language at a time, by keyboard', () => {
  // Running time from the reference date: the PGO's TOTP codes and the tokens run as in life.
  const clock = SandboxClock.frozenAt(`${DAY}T09:00:00Z`).resume();
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let topology: Topology;
  let context: BrowserContext;
  let adult: Persona;
  let pgoUrl: string;
  let dvzaUrl: string;
  let tvsUrl: string;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel: '2' }));
    const pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, pki, clock, bus, paths: sandboxPaths(dir) };
    listeners.push(...(await startStelselnode({ ...ctx, participant: participantsByRole(topology, 'stelselnode')[0]! })));
    const tvs = participantsByRole(topology, 'tvs')[0]!;
    listeners.push(...(await startTvs({ ...ctx, participant: tvs })));
    for (const dvza of participantsByRole(topology, 'dvza')) listeners.push(...(await startDvza({ ...ctx, participant: dvza })));
    listeners.push(...(await startPgo({ ...ctx, participant: participantsByRole(topology, 'pgo')[0]! })));
    pgoUrl = listeners.at(-1)!.url;
    dvzaUrl = frontchannelUrl(dekroon())!;
    tvsUrl = frontchannelUrl(tvs)!;
    adult = generatePersonas(personaSetOf(topology, DAY)).find((p) => p.tags.includes('several-providers'))!;
    ({ context, cspViolations } = await launchTrustingBrowser(dir, pki.rootCertPath));
  });

  afterAll(async () => {
    await context?.close();
    await Promise.all(listeners.map((l) => l.close()));
  });

  const dekroon = () => participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;

  /** axe-core in the page with every rule it has (best practices and experimental ones too): no violations. */
  async function expectAccessible(page: Page, where: string) {
    const outcome = await runAxe(page, 'all');
    expect(outcome.violations, `axe on ${where}`).toEqual([]);
    // The rule this test is about did run, and found the page's content inside landmarks.
    expect(outcome.passed, `axe on ${where}`).toContain('region');
    expect(outcome.rules).toBeGreaterThan(90);
  }

  /** No sideways scrolling, on a phone and on a laptop. */
  async function expectNoOverflow(page: Page, where: string) {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as {
        scrollWidth: number;
        innerWidth: number;
      };
      expect(scrollWidth, `${where} at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(innerWidth);
    }
  }

  /** The page in `lang`, with this <h1>: the html element says the language, axe and the widths are fine. */
  async function expectPage(page: Page, lang: 'nl' | 'en', heading: string | RegExp, where: string) {
    await expect.poll(() => page.locator('html').getAttribute('lang'), { message: where }).toBe(lang);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText(), { message: where }).toMatch(heading);
    // Exactly one toggle, in the header landmark, naming the other language in that language.
    const toggle = page.getByRole('banner').getByRole('link', { name: lang === 'nl' ? 'English' : 'Nederlands', exact: true });
    expect(await toggle.count(), where).toBe(1);
    expect(await toggle.getAttribute('lang'), where).toBe(lang === 'nl' ? 'en' : 'nl');
    await expectAccessible(page, `${where} (${lang})`);
    await expectNoOverflow(page, `${where} (${lang})`);
  }

  /** This page in Dutch, then its toggle clicked: the same page in English. */
  async function inBothLanguages(
    page: Page,
    where: string,
    heading: { nl: string | RegExp; en: string | RegExp },
    also?: (lang: 'nl' | 'en') => Promise<void>,
  ) {
    await expectPage(page, 'nl', heading.nl, where);
    await also?.('nl');
    await page.getByRole('banner').getByRole('link', { name: 'English', exact: true }).click();
    await expectPage(page, 'en', heading.en, where);
    await also?.('en');
  }

  /** Logged in at the PGO (its JSON API, from its own origin), the authorization request it builds for De Kroon's BgZ. */
  async function authorizeUrl(page: Page): Promise<string> {
    await page.goto(`${pgoUrl}/`);
    const started = (await page.evaluate(`(async () => {
      const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const session = await (await fetch('/api/session')).json();
      if (!session.loggedIn) {
        const login = await fetch('/api/login', json({ username: 'demo', password: 'sandbox', totp: session.demoTotp.demo.code }));
        if (login.status !== 200) return { status: login.status };
      }
      const collect = await fetch('/api/collect', json(${JSON.stringify({ zorgaanbiedernaam: dekroon().zorgaanbiedernaam, gegevensdienstId: gegevensdienstOf(topology, 'bgz')!.id })}));
      return { status: collect.status, ...(await collect.json()) };
    })()`)) as { status: number; authorizeUrl?: string };
    expect(started.status).toBe(200);
    expect(started.authorizeUrl).toMatch(new RegExp(`^${dvzaUrl}/oauth/authorize\\?`));
    return started.authorizeUrl!;
  }

  it('the landing page: in Dutch, and in English after the toggle (the request is kept: still the landing page)', async () => {
    const page = await context.newPage();
    await page.goto(await authorizeUrl(page));
    await inBothLanguages(page, 'landing page', { nl: 'Welkom bij Huisartsenpraktijk De Kroon', en: 'Welcome to Huisartsenpraktijk De Kroon' });
    expect(new URL(page.url()).searchParams.get('client_id')).toBe(participantsByRole(topology, 'pgo')[0]!.hostname);
    expect(await page.getByRole('link', { name: 'Continue to DigiD' }).count()).toBe(1);
    await page.close();
  });

  it('the DigiD login page of the TVS: in Dutch, and in English after the toggle', async () => {
    const page = await context.newPage();
    await page.goto(await authorizeUrl(page));
    await page.getByRole('link', { name: 'Verder naar DigiD' }).click();
    await page.waitForURL(/tvs\.localhost:\d+\/login/);
    await inBothLanguages(page, 'DigiD login', { nl: 'Inloggen met DigiD', en: 'Log in with DigiD' }, async (lang) => {
      expect(await page.getByRole('button', { name: lang === 'nl' ? 'Inloggen' : 'Log in', exact: true }).count()).toBe(1);
    });
    await page.close();
  });

  it('landing → DigiD → consent with the keyboard alone; the consent page in both languages; consent given by keyboard', async () => {
    const page = await context.newPage();
    await page.goto(await authorizeUrl(page));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Welkom bij Huisartsenpraktijk De Kroon');
    await tabTo(page, textIs('Verder naar DigiD'), 'the landing page’s DigiD link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/tvs\.localhost:\d+\/login/);

    await digidLoginByKeyboard(page, adult.name.display);
    await page.waitForURL(/dekroon\.dvza\.localhost:\d+\/tvs\/callback/);

    await inBothLanguages(page, 'consent page', { nl: 'Toestemming geven', en: 'Give consent' }, async (lang) => {
      expect(await page.getByRole('button', { name: lang === 'nl' ? 'Ja, ik geef toestemming' : 'Yes, I consent' }).count()).toBe(1);
    });
    // The answer by keyboard too: a checkbox by Space, then yes.
    await tabTo(page, "el.type === 'checkbox' && el.name === 'langdurig'", 'the long-lived option');
    await page.keyboard.press('Space');
    expect(await page.getByLabel(/Long-lived consent:/).isChecked()).toBe(true);
    await tabTo(page, textIs('Yes, I consent'), 'the yes button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/pgo\.localhost:\d+\/#\/collection\//);
    await page.close();
  });

  it('DVZA refusal pages: an app not on the OAuthclientlist, and a request no longer in progress', async () => {
    const page = await context.newPage();
    await page.goto(`${dvzaUrl}/oauth/authorize?client_id=elders.localhost&response_type=code&state=s`);
    await inBothLanguages(page, 'DVZA: client not listed', { nl: 'Dit verzoek kan niet verder', en: 'This request cannot continue' }, async (lang) => {
      const alert = await page.getByRole('alert').innerText();
      expect(alert).toBe(
        lang === 'nl'
          ? 'De app elders.localhost staat niet op de OAuthclientlist van MedMij.'
          : 'The app elders.localhost is not on the MedMij OAuthclientlist.',
      );
    });
    // A page that belongs to no flow: one language too (it used to say both in one sentence).
    await page.goto(`${dvzaUrl}/oauth/cancel?flow=0123`);
    await inBothLanguages(page, 'DVZA: no flow', { nl: 'Dit verzoek kan niet verder', en: 'This request cannot continue' }, async (lang) => {
      const alert = await page.getByRole('alert').innerText();
      expect(alert).toBe(
        lang === 'nl' ? 'Deze aanvraag loopt niet (meer) in deze browser.' : 'This request is not (or no longer) in progress in this browser.',
      );
    });
    await page.close();
  });

  it('TVS refusal pages: a service that is not connected, and an unknown login session', async () => {
    const page = await context.newPage();
    await page.goto(`${tvsUrl}/authorize?client_id=elders.localhost`);
    await inBothLanguages(page, 'TVS: not connected', { nl: 'Deze inlogpoging kan niet verder', en: 'This login attempt cannot continue' }, async (lang) => {
      const alert = await page.getByRole('alert').innerText();
      expect(alert).toBe(
        lang === 'nl' ? 'De dienst elders.localhost is niet aangesloten op deze TVS.' : 'The service elders.localhost is not connected to this TVS.',
      );
    });
    await page.goto(`${tvsUrl}/login?session=0123`);
    await inBothLanguages(page, 'TVS: unknown session', { nl: 'Deze inlogpoging kan niet verder', en: 'This login attempt cannot continue' }, async (lang) => {
      const alert = await page.getByRole('alert').innerText();
      expect(alert).toBe(lang === 'nl' ? 'Deze inlogsessie bestaat niet (meer).' : 'This login session does not exist (any more).');
    });
    await page.close();
  });

  /** Through the DVZA and DigiD (by mouse) to a long-lived consent for the PGO. */
  async function giveLongLivedConsent(page: Page) {
    await page.goto(await authorizeUrl(page));
    await page.getByRole('link', { name: 'Verder naar DigiD' }).click();
    await page.waitForURL(/tvs\.localhost:\d+\/login/);
    await page.getByLabel(new RegExp(adult.name.display)).check();
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL(/\/tvs\/callback/);
    await page.getByLabel(/Langdurige toestemming:/).check();
    await page.getByRole('button', { name: 'Ja, ik geef toestemming' }).click();
    await page.waitForURL(/pgo\.localhost:\d+\/#\/collection\//);
  }

  it('the DVZA’s consent overview: its refusal before DigiD, then after DigiD a long-lived consent with its withdraw button', async () => {
    const page = await context.newPage();
    await giveLongLivedConsent(page);
    await page.goto(`${dvzaUrl}/toestemmingen/overzicht`);
    await inBothLanguages(page, 'overview without DigiD', { nl: 'Dit verzoek kan niet verder', en: 'This request cannot continue' }, async (lang) => {
      expect(await page.getByRole('alert').innerText()).toMatch(
        lang === 'nl' ? /^Uw toestemmingenoverzicht is niet \(meer\) geopend/ : /^Your consent overview is not/,
      );
    });
    await page.goto(`${dvzaUrl}/toestemmingen`);
    await page.waitForURL(/tvs\.localhost:\d+\/login/);
    await page.getByLabel(new RegExp(adult.name.display)).check();
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL(/\/toestemmingen\/overzicht/);
    await inBothLanguages(page, 'consent overview', { nl: 'Mijn toestemmingen', en: 'My consents' }, async (lang) => {
      // The PGO may hold more than one (the keyboard test's too): each has its form.
      expect(await page.getByRole('button', { name: lang === 'nl' ? 'Toestemming intrekken' : 'Withdraw consent' }).count()).toBeGreaterThan(0);
    });
    await page.close();
  });

  it('no page broke its Content-Security-Policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
