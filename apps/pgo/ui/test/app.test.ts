/**
 * The app shell against a fake PGO API (fetch stubbed): login with its errors, language switch,
 * searching a zorgaanbieder (the newest search wins over an older answer) and starting a collection, a
 * refused start.
 */
import type { LitElement } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import type { SessionInfo, Zorgaanbieder, ZorgaanbiedersResponse } from '@medmij-sandbox/pgo-api';
import '../src/app.ts';
import { api as client } from '../src/client.ts';
import { navigation } from '../src/home.ts';
import { setLang } from '@medmij-sandbox/ui/i18n';
import { SAFETY_NET, afterPendingCallbacks, axeViolations, deepQueryAll, deferred } from '@medmij-sandbox/ui/testing';

/** The fake server's lists were published at its own 'now' (the UI shows ages against the server's time). */
const LISTS_PUBLISHED_AT = '2026-06-01T08:00:00.000Z';

const providers: Zorgaanbieder[] = [
  {
    zorgaanbiedernaam: 'dekroon@medmij',
    displayName: 'Huisartsenpraktijk De Kroon',
    soort: 'huisartsenpraktijk',
    gegevensdiensten: [
      { id: '1', weergavenaam: 'Basisgegevens Zorg' },
      { id: '4', weergavenaam: 'Laboratoriumresultaten' },
    ],
  },
  { zorgaanbiedernaam: 'deboog@medmij', displayName: 'GGZ De Boog', gegevensdiensten: [{ id: '5', weergavenaam: 'Meetwaarden vitale functies' }] },
];

function fakeApi() {
  let loggedIn = false;
  const session = (): SessionInfo => ({
    loggedIn,
    ...(loggedIn ? { user: { username: 'lilian', displayName: 'Lilian Groen' } } : {}),
    demoAccounts: [{ username: 'lilian', password: 'demo', displayName: 'Lilian Groen' }],
    demoTotp: { lilian: { code: '123456', validForSeconds: 20 } },
  });
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const calls: Array<{ path: string; body?: unknown }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), location.origin);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ path: `${url.pathname}${url.search}`, body });
    switch (url.pathname) {
      case '/api/session':
        return json(session());
      case '/api/login':
        if (body.password !== 'demo')
          return json({ error: 'invalid_credentials', message: { nl: 'Gebruikersnaam of wachtwoord klopt niet.', en: 'Username or password is wrong.' } }, 401);
        if (body.totp !== '123456') return json({ error: 'invalid_totp', message: { nl: 'De code klopt niet.', en: 'The code is wrong.' } }, 401);
        loggedIn = true;
        return json(session());
      case '/api/lists':
        return json({
          now: LISTS_PUBLISHED_AT,
          lists: [
            {
              kind: 'Zorgaanbiederslijst',
              status: 'fresh',
              volgnummer: 4,
              tijdstempel: LISTS_PUBLISHED_AT,
              lastDecision: { nl: 'Zorgaanbiederslijst ongewijzigd (Volgnummer 4)', en: 'Zorgaanbiederslijst unchanged (Volgnummer 4)' },
            },
            { kind: 'Whitelist', status: 'expired', volgnummer: 2 },
          ],
        });
      case '/api/zorgaanbieders': {
        const q = (url.searchParams.get('q') ?? '').toLowerCase();
        return json({ zorgaanbieders: providers.filter((p) => p.displayName.toLowerCase().includes(q)) });
      }
      case '/api/collections':
        return json({ collections: [] });
      case '/api/collect':
        if (body.gegevensdienstId === '4')
          return json({ error: 'list_expired', message: { nl: 'De Whitelist is verlopen: de PGO haalt nu niets op.', en: 'The Whitelist has expired.' } }, 503);
        return json({ authorizeUrl: 'https://dekroon.dvza.localhost:8720/oauth/authorize?x=1', traceId: 't1', collectionId: 'c1' });
      default:
        return json({ error: 'not_found', message: { nl: 'Niet gevonden', en: 'Not found' } }, 404);
    }
  });
  return { fetch, calls };
}

describe('<pgo-app>', () => {
  let api: ReturnType<typeof fakeApi>;
  beforeEach(async () => {
    setLang('nl');
    api = fakeApi();
    vi.stubGlobal('fetch', api.fetch);
    location.hash = '#/';
    document.body.innerHTML = '<pgo-app></pgo-app>';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  async function logIn() {
    await page.getByLabelText('Gebruikersnaam').fill('lilian');
    await page.getByLabelText('Wachtwoord').fill('demo');
    await page.getByLabelText('Code uit je authenticator-app').fill('123456');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.element(page.getByLabelText('Zoek een zorgaanbieder')).toBeVisible();
  }

  it('logs in with two factors and says why a login failed', async () => {
    await expect.element(page.getByText('DEMO – alleen in de sandbox')).toBeVisible();
    await expect.element(page.getByText('123456')).toBeVisible();
    await page.getByLabelText('Gebruikersnaam').fill('lilian');
    await page.getByLabelText('Wachtwoord').fill('wrong');
    await page.getByLabelText('Code uit je authenticator-app').fill('000000');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.element(page.getByText('Gebruikersnaam of wachtwoord klopt niet.')).toBeVisible();
    expect(await axeViolations()).toEqual([]);
    await logIn();
    await expect.element(page.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
  });

  it('switches language, and <html lang> with it', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.element(page.getByLabelText('Username')).toBeVisible();
    expect(document.documentElement.lang).toBe('en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await expect.element(page.getByLabelText('Gebruikersnaam')).toBeVisible();
    expect(document.documentElement.lang).toBe('nl');
  });

  it("shows the PGO's last list decision in the chosen language", async () => {
    await logIn();
    await expect.element(page.getByText('Zorgaanbiederslijst ongewijzigd (Volgnummer 4)')).toBeVisible();
    await page.getByRole('button', { name: 'English' }).click();
    await expect.element(page.getByText('Zorgaanbiederslijst unchanged (Volgnummer 4)')).toBeVisible();
    await page.getByRole('button', { name: 'Nederlands' }).click();
  });

  it('searches zorgaanbieders and starts collecting at the DVZA', async () => {
    await logIn();
    const assign = vi.spyOn(navigation, 'assign').mockImplementation(() => {});
    await page.getByLabelText('Zoek een zorgaanbieder').fill('boog');
    await expect.element(page.getByRole('button', { name: 'Meetwaarden vitale functies ophalen bij GGZ De Boog' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: /ophalen bij Huisartsenpraktijk De Kroon/ })).not.toBeInTheDocument();
    expect(api.calls.some((c) => c.path === '/api/zorgaanbieders?q=boog')).toBe(true);
    await page.getByLabelText('Zoek een zorgaanbieder').fill('');
    const collect = page.getByRole('button', { name: 'Basisgegevens Zorg ophalen bij Huisartsenpraktijk De Kroon' });
    await expect.element(collect).toBeVisible();
    await collect.click();
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('https://dekroon.dvza.localhost:8720/oauth/authorize?x=1'), SAFETY_NET);
    expect(api.calls.find((c) => c.path === '/api/collect')?.body).toEqual({ zorgaanbiedernaam: 'dekroon@medmij', gegevensdienstId: '1' });
    expect(await axeViolations()).toEqual([]);
  });

  it('shows the newest search when an older one answers last', async () => {
    const boog = deferred<ZorgaanbiedersResponse>();
    const search = vi
      .spyOn(client, 'zorgaanbieders')
      .mockImplementation((q) =>
        q === 'boog' ? boog.promise : Promise.resolve({ zorgaanbieders: providers.filter((p) => p.displayName.toLowerCase().includes(q)) }),
      );
    await logIn();
    await expect.element(page.getByText('2 zorgaanbieders gevonden.')).toBeVisible();
    await page.getByLabelText('Zoek een zorgaanbieder').fill('boog');
    await vi.waitFor(() => expect(search).toHaveBeenCalledWith('boog'), SAFETY_NET);
    await page.getByLabelText('Zoek een zorgaanbieder').fill('kroon');
    await expect.element(page.getByText('1 zorgaanbieder gevonden.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Basisgegevens Zorg ophalen bij Huisartsenpraktijk De Kroon' })).toBeVisible();

    boog.resolve({ zorgaanbieders: providers.filter((p) => p.zorgaanbiedernaam === 'deboog@medmij') }); // the answer to the older search
    await afterPendingCallbacks();
    const home = deepQueryAll<LitElement>('pgo-home')[0]!;
    await home.updateComplete;
    expect(page.getByRole('button', { name: /ophalen bij GGZ De Boog/ }).query()).toBeNull();
    expect(page.getByRole('button', { name: 'Basisgegevens Zorg ophalen bij Huisartsenpraktijk De Kroon' }).query()).not.toBeNull();
  });

  it('explains a refused start in plain language', async () => {
    await logIn();
    const assign = vi.spyOn(navigation, 'assign').mockImplementation(() => {});
    await page.getByRole('button', { name: 'Laboratoriumresultaten ophalen bij Huisartsenpraktijk De Kroon' }).click();
    await expect.element(page.getByText(/De Whitelist is verlopen: de PGO haalt nu niets op./)).toBeVisible();
    expect(assign).not.toHaveBeenCalled();
    await expect.element(page.getByText('Verlopen', { exact: true })).toBeVisible();
  });
});
