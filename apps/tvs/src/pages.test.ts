import { pageCspNeeds } from '@medmij-sandbox/transport/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { TVS_AUTHORIZE, TVS_LOGIN, type Params, type Text } from '@medmij-sandbox/rules';
import { TVS_PATHS } from '@medmij-sandbox/tvs-client';
import { createTvs } from './app.js';
import { PAGE_CSP, errorPage, homePage, loginPage, texts, type Lang, type PersonaCard } from './pages.js';

const other = (lang: Lang): Lang => (lang === 'nl' ? 'en' : 'nl');

const PERSONA: PersonaCard = {
  key: 'jan',
  bsn: '999990019',
  display: 'Jan Jansen',
  age: 40,
  deceased: false,
  scenario: { nl: 'Volwassene bij twee zorgaanbieders.', en: 'Adult at two care providers.' },
  knownAt: [{ name: 'De Kroon', gegevensdiensten: ['48'] }],
};

const ALL_PAGES = (lang: Lang) => [
  loginPage({
    lang,
    sessionId: 's',
    serviceName: 'De Kroon',
    requestedLevel: 'substantieel',
    expiresAt: '01-06-2026 12:15',
    personas: [PERSONA],
    formAction: '/login',
    toggleHref: '?lang=x',
    error: texts(lang).chooseBsn,
  }),
  errorPage(lang, 'x', '?lang=x'),
  homePage(lang, [PERSONA], '?lang=x'),
];

/** What a browser shows of a page: the body's text without tags, entities decoded as hono escapes them. */
function visibleText(page: string): string {
  const body = /<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? '';
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('the pages and their Content-Security-Policy', () => {
  it('allow exactly the inline <style> the pages carry (by its hash), no script, no framing', async () => {
    for (const page of (await Promise.all([...ALL_PAGES('nl'), ...ALL_PAGES('en')])).map(String)) {
      const needs = pageCspNeeds(page);
      expect(needs.styleSources).toHaveLength(1);
      // The hash of what the browser gets, computed here: the CSP must name it.
      expect(PAGE_CSP).toContain(`style-src ${needs.styleSources[0]}`);
      expect(needs.scripted).toBe(false);
    }
    expect(PAGE_CSP).toMatch(/^default-src 'none'; /);
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).not.toContain('unsafe-inline');
  });
});

describe.each(['nl', 'en'] as const)('every TVS page in %s', (lang) => {
  it('has all its content inside a landmark: the sandbox banner in <header>, the rest in <main>', async () => {
    for (const page of (await Promise.all(ALL_PAGES(lang))).map(String)) {
      expect(page).toMatch(/<body>\s*<header><div class="banner" role="note">[\s\S]*?<\/div><\/header>\s*<main>[\s\S]*<\/main>\s*<\/body>/);
    }
  });

  it(`says <html lang="${lang}"> and none of the other language's sentences`, async () => {
    const mine = texts(lang) as Record<string, unknown>;
    const theirs = texts(other(lang)) as Record<string, unknown>;
    const foreign = Object.keys(theirs).filter((k) => typeof theirs[k] === 'string' && theirs[k] !== mine[k]);
    for (const page of (await Promise.all(ALL_PAGES(lang))).map(String)) {
      expect(page).toContain(`<html lang="${lang}">`);
      const shown = visibleText(page).replace(texts(lang).toggle, '');
      for (const k of foreign) expect(shown, k).not.toContain(theirs[k] as string);
      // The login and home pages describe the test person in the page's language.
      if (shown.includes(PERSONA.display)) expect(shown).toContain(PERSONA.scenario[lang]);
      expect(shown).not.toContain(PERSONA.scenario[other(lang)]);
    }
  });
});

describe('a TVS refusal page: one language, and a toggle that shows the same page in the other', () => {
  const SERVICE = { hostname: 'dekroon.dvza.localhost', name: 'Huisartsenpraktijk De Kroon', port: 8720 };
  const REDIRECT = `https://${SERVICE.hostname}:${SERVICE.port}/tvs/callback`;
  let front: ReturnType<typeof createTvs>['front'];

  beforeEach(() => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    ({ front } = createTvs({
      hostname: 'tvs.localhost',
      issuer: 'https://tvs.localhost:8710',
      backchannelUrl: 'https://tvs.localhost:8711',
      services: [SERVICE],
      whitelist: { require: () => ({ nodes: [SERVICE.hostname] }), refresh: async () => undefined },
      personas: [PERSONA],
      // The login pages sign nothing: the PKI is never asked.
      pki: {} as SandboxPki,
      clock,
      bus: new TraceBus(clock),
      pseudonymKey: Buffer.alloc(32, 7),
    }));
  });

  async function expectOneLanguage<P extends Params>(r: Response, lang: Lang, page: Text<P>, params: P): Promise<string> {
    const html = await r.text();
    expect(html).toContain(`<html lang="${lang}">`);
    const shown = visibleText(html);
    expect(shown).toContain(page[lang](params));
    expect(shown).not.toContain(page[other(lang)](params));
    const toggle = /<a href="([^"]+)" lang="(nl|en)">/.exec(html)!;
    expect(toggle[2]).toBe(other(lang));
    return toggle[1]!.replace(/&amp;/g, '&');
  }

  it.each(['nl', 'en'] as const)('a service that is not connected (%s): the toggle keeps the request', async (lang) => {
    const r = await front.request(`${TVS_PATHS.authorize}?client_id=elders.localhost&state=s&ui_locales=${lang}`);
    expect(r.status).toBe(400);
    const toggle = await expectOneLanguage(r, lang, TVS_AUTHORIZE.notConnected.page, { client: 'elders.localhost' });
    await expectOneLanguage(await front.request(toggle), other(lang), TVS_AUTHORIZE.notConnected.page, { client: 'elders.localhost' });
  });

  /** A login session opened the way a DVZA opens it, with its cookie. */
  async function openSession(lang: Lang) {
    const query = new URLSearchParams({
      client_id: SERVICE.hostname,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 's',
      nonce: 'n',
      ui_locales: lang,
    });
    const r = await front.request(`${TVS_PATHS.authorize}?${query}`);
    expect(r.status).toBe(303);
    const login = new URL(r.headers.get('location')!, 'https://tvs.localhost');
    return { session: login.searchParams.get('session')!, cookie: r.headers.get('set-cookie')!.split(';')[0]! };
  }
  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

  it.each(['nl', 'en'] as const)('a posted login of a session used already (%s): the toggle names the session, so it shows that refusal', async (lang) => {
    const { session, cookie } = await openSession(lang);
    expect((await front.request(TVS_PATHS.login, post({ session, lang, outcome: 'cancelled' }, { cookie }))).status).toBe(302);
    const r = await front.request(TVS_PATHS.login, post({ session, lang, outcome: 'cancelled' }, { cookie }));
    expect(r.status).toBe(400);
    const toggle = await expectOneLanguage(r, lang, TVS_LOGIN.sessionUsed.page, {});
    expect(new URL(toggle, 'https://tvs.localhost').searchParams.get('session')).toBe(session);
    await expectOneLanguage(await front.request(toggle, { headers: { cookie } }), other(lang), TVS_LOGIN.sessionUsed.page, {});
  });

  it('a login form from another site: refused in the form’s language; the toggle leads to that session’s login page', async () => {
    const { session, cookie } = await openSession('en');
    const r = await front.request(
      TVS_PATHS.login,
      post({ session, lang: 'en', outcome: 'success' }, { cookie, 'sec-fetch-site': 'cross-site', origin: 'https://elders.localhost' }),
    );
    expect(r.status).toBe(403);
    const toggle = await expectOneLanguage(r, 'en', TVS_LOGIN.crossSitePost.page, { source: 'https://elders.localhost' });
    const login = await front.request(toggle, { headers: { cookie } });
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain(`<h1>${texts('nl').title}</h1>`);
  });

  it('a login form without a button chosen: told so in the page language', async () => {
    const { session, cookie } = await openSession('en');
    const r = await front.request(TVS_PATHS.login, post({ session, lang: 'en' }, { cookie }));
    expect(r.status).toBe(422);
    const shown = visibleText(await r.text());
    expect(shown).toContain(texts('en').chooseButton);
    expect(shown).not.toContain(texts('nl').chooseButton);
  });
});
