/**
 * The DigiD login as a person does it: headless Debian Chromium (sandbox root trusted, as after
 * `sandbox trust`) goes from a DVZA stand-in to the TVS, picks a persona or an outcome, and lands back at
 * the DVZA, which resolves the code over mutual TLS. One test per outcome.
 * Needs chromium and certutil (apt-get install chromium libnss3-tools; .ci/run installs them).
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, backchannelUrl, findParticipant, frontchannelUrl, type Participant, sandboxPaths } from '@medmij-sandbox/network';
import { tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import type { RunningListener } from '@medmij-sandbox/transport';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startTestService, type TestService } from '@medmij-sandbox/test-support';
import { launchTrustingBrowser } from './browser.js';

describe('DigiD login at the mock TVS in a real browser', () => {
  const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
  const bus = new TraceBus(clock);
  let listeners: RunningListener[] = [];
  let service: TestService;
  let context: BrowserContext;
  let personas: Persona[];

  beforeAll(async () => {
    const dir = tempDir();
    const { topology } = await writeTestTopology(dir, { referenceDate: '2026-06-01' });
    const pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const tvs = findParticipant(topology, 'tvs') as Extract<Participant, { role: 'tvs' }>;
    const ctx = { topology, paths: sandboxPaths(dir), pki, clock, bus };
    // The TVS resolves codes only for a service on the Whitelist the stelselnode publishes.
    listeners = await startStelselnode({ ...ctx, participant: findParticipant(topology, 'stelselnode') as Extract<Participant, { role: 'stelselnode' }> });
    listeners.push(...(await startTvs({ ...ctx, participant: tvs })));
    service = await startTestService({
      hostname: 'dekroon.dvza.localhost',
      // De Kroon's own front-channel port: the TVS takes a redirect_uri only on the port its service has there.
      port: (findParticipant(topology, 'dekroon') as Extract<Participant, { role: 'dvza' }>).frontchannelPort,
      tvs: { hostname: tvs.hostname, frontchannelUrl: frontchannelUrl(tvs)!, backchannelUrl: backchannelUrl(tvs)! },
      pki,
      clock,
      bus,
    });
    personas = generatePersonas(personaSetOf(topology, '2026-06-01'));
    ({ context } = await launchTrustingBrowser(dir, pki.rootCertPath));
  });

  afterAll(async () => {
    await context?.close();
    await service?.close();
    await Promise.all(listeners.map((l) => l.close()));
  });

  /** From the DVZA stand-in to the TVS login page. */
  async function toLoginPage(query = ''): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${service.url}/start${query}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toMatch(/Inloggen met DigiD|Log in with DigiD/);
    return page;
  }

  it('success: pick a persona and a level, the DVZA receives that BSN and level', async () => {
    const adult = personas.find((p) => p.tags.includes('several-providers')) ?? personas[0]!;
    const page = await toLoginPage();
    expect(page.url()).toMatch(/^https:\/\/tvs\.localhost:\d+\/login\?session=/);
    await page.getByLabel(new RegExp(adult.name.display)).check();
    await page.getByLabel('Hoog').check();
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Ingelogd');
    expect(page.url()).toMatch(/^https:\/\/dekroon\.dvza\.localhost:\d+\/tvs\/callback\?code=/);
    expect(await page.locator('#bsn').innerText()).toBe(adult.bsn);
    expect(await page.locator('#level').innerText()).toBe('hoog');
    await page.close();
  });

  it('success with a free BSN, in English', async () => {
    const page = await toLoginPage('?lang=en');
    await page.getByLabel('Other BSN (advanced)').check();
    await page.getByLabel('9 digits that pass the 11-proef').fill('999990019');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Ingelogd');
    expect(await page.locator('#bsn').innerText()).toBe('999990019');
    expect(await page.locator('#level').innerText()).toBe('substantieel');
    await page.close();
  });

  it('an invalid BSN keeps the person on the page with the reason', async () => {
    const page = await toLoginPage();
    await page.getByLabel('Ander BSN (voor gevorderden)').check();
    await page.getByLabel('9 cijfers die aan de 11-proef voldoen').fill('123456789');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toBe('Dit BSN klopt niet: het moet 9 cijfers hebben en aan de 11-proef voldoen.');
    expect(page.url()).toMatch(/tvs\.localhost/);
    // The toggle of the page a posted form answered: the same login session, in English.
    const session = (await page.locator('input[name="session"]').getAttribute('value'))!;
    await page.getByRole('banner').getByRole('link', { name: 'English', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Log in with DigiD');
    expect(new URL(page.url()).searchParams.get('session')).toBe(session);
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.close();
  });

  for (const [button, outcome] of [
    ['Annuleren', 'cancelled'],
    ['Inloggen mislukt', 'authentication_failed'],
    ['Sessie verlopen', 'session_expired'],
    ['Storing bij de TVS', 'tvs_error'],
  ] as const) {
    it(`${outcome}: the DVZA hears it as an OAuth error with tvs_outcome=${outcome}`, async () => {
      const page = await toLoginPage();
      await page.getByRole('button', { name: button, exact: true }).click();
      await expect.poll(() => page.locator('h1').innerText()).toBe('Niet ingelogd');
      expect(page.url()).toContain(`tvs_outcome=${outcome}`);
      expect(await page.locator('#outcome').innerText()).toBe(outcome);
      await page.close();
    });
  }

  it('session timed out on the sandbox clock: clicking Inloggen after 15 minutes ends in session_expired', async () => {
    const page = await toLoginPage();
    await page.getByLabel(new RegExp(personas[0]!.name.display)).check();
    clock.shift('16m');
    try {
      await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
      await expect.poll(() => page.locator('h1').innerText()).toBe('Niet ingelogd');
      expect(await page.locator('#outcome').innerText()).toBe('session_expired');
    } finally {
      clock.freeze('2026-06-01T10:00:00Z');
      await page.close();
    }
  });

  it('every login reached the DVZA stand-in', () => {
    expect(service.results.map((r) => (r.ok ? `ok:${r.identity.level.id}` : r.outcome))).toEqual([
      'ok:hoog',
      'ok:substantieel',
      'cancelled',
      'authentication_failed',
      'session_expired',
      'tvs_error',
      'session_expired',
    ]);
  });
});
