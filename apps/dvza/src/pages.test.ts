import { join } from 'node:path';
import { pageCspNeeds } from '@medmij-sandbox/transport/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, defaultTopologyPath, frontchannelUrl, loadTopology, participantsByRole, type TraceEvent } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { ListUnusableError, listKindsOf, listsFromTopology } from '@medmij-sandbox/lists';
import { DVZA_CONSENTS, DVZA_PAGE, LISTS, said, type Params, type Text } from '@medmij-sandbox/rules';
import { ASSURANCE_LEVELS, type LoginResult } from '@medmij-sandbox/tvs-client';
import { AuditLog } from './audit.js';
import { FRONT_PATHS, createAuthorizationServer } from './authorization.js';
import { OVERVIEW_PATHS, createConsentOverview } from './consent-overview.js';
import { ConsentStore } from './consents.js';
import { GrantStore } from './grants.js';
import { PAGE_CSP, consentOverviewPage, consentPage, errorPage, landingPage, texts, type Lang } from './pages.js';
import type { DvzaLists, DvzaRuntime } from './runtime.js';

const other = (lang: Lang): Lang => (lang === 'nl' ? 'en' : 'nl');

/** What a browser shows of a page: the body's text without tags, entities decoded as hono escapes them. */
function visibleText(page: string): string {
  const body = /<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? '';
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The body with its <header> and <main> taken out: what axe's region rule would find outside a landmark. */
function outsideLandmarks(page: string): string {
  const body = /<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? '';
  return body
    .replace(/<header>[\s\S]*?<\/header>/, '')
    .replace(/<main>[\s\S]*?<\/main>/, '')
    .trim();
}

/** Every fixed sentence of the pages' own texts in one language that the other language says differently. */
function ownSentences(lang: Lang): string[] {
  const mine = texts(lang) as Record<string, unknown>;
  const theirs = texts(other(lang)) as Record<string, unknown>;
  return Object.keys(mine)
    .filter((k) => typeof mine[k] === 'string' && mine[k] !== theirs[k])
    .map((k) => mine[k] as string);
}

const ALL_PAGES = (lang: Lang) => [
  landingPage({ lang, zorgaanbieder: 'De Kroon', pgo: 'PGO', gegevensdiensten: ['BgZ'], digidHref: '/digid', cancelHref: '/cancel', toggleHref: '?lang=x' }),
  consentPage({
    lang,
    zorgaanbieder: 'De Kroon',
    pgo: 'PGO',
    patientName: 'A. Jansen',
    gegevensdiensten: ['BgZ'],
    flowId: 'f',
    formAction: '/oauth/consent?flow=f',
    toggleHref: '?lang=x',
  }),
  consentPage({
    lang,
    zorgaanbieder: 'De Kroon',
    pgo: 'PGO',
    patientName: 'A. Jansen',
    gegevensdiensten: ['BgZ'],
    flowId: 'f',
    formAction: '/oauth/consent?flow=f',
    toggleHref: '?lang=x',
    choose: { ids: ['48'], chooseOne: true },
  }),
  errorPage({ lang, zorgaanbieder: 'De Kroon', error: 'invalid_request', reason: 'x', toggleHref: '?lang=x' }),
  consentOverviewPage({
    lang,
    zorgaanbieder: 'De Kroon',
    patientName: 'A. Jansen',
    consents: [{ id: 'k', pgo: 'PGO', gegevensdiensten: ['BgZ'], grantedAt: '2026-06-01', lastCollectedAt: '2026-06-01', state: { active: '2026-12-01' } }],
    formAction: '/toestemmingen/intrekken',
    formToken: 't',
    toggleHref: '?lang=x',
    done: 'PGO',
  }),
];

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

describe.each(['nl', 'en'] as const)('every page in %s', (lang) => {
  it('has all its content inside a landmark: the sandbox banner and the zorgaanbieder in <header>, the rest in <main>', async () => {
    for (const page of (await Promise.all(ALL_PAGES(lang))).map(String)) {
      expect(page).toMatch(/<header>\s*<div class="banner" role="note">[\s\S]*<\/div>\s*<div class="brand"><strong>De Kroon<\/strong><\/div>\s*<\/header>/);
      expect(outsideLandmarks(page)).toBe('');
    }
  });

  it(`says <html lang="${lang}">, and none of the other language's sentences (but its toggle, marked in that language)`, async () => {
    for (const page of (await Promise.all(ALL_PAGES(lang))).map(String)) {
      expect(page).toContain(`<html lang="${lang}">`);
      expect(page).toContain(`<a href="?lang=x" lang="${other(lang)}">${texts(lang).toggle}</a>`);
      const shown = visibleText(page).replace(texts(lang).toggle, '');
      for (const sentence of ownSentences(other(lang))) expect(shown, sentence).not.toContain(sentence);
    }
  });
});

// ---- the refusal pages, through the apps ------------------------------------------------------------

const NOW = '2026-06-01T10:00:00.000Z';
const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '2', env: {} });
const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
const PGO = 'pgo.localhost';
const pgoPort = participantsByRole(topology, 'pgo')[0]!.frontchannelPort;
const bodies = listsFromTopology(topology, new Set(), '2');

describe('a refusal page says its reason in the page language alone; the trace keeps its words', () => {
  let clock: SandboxClock;
  let bus: TraceBus;
  let grants: GrantStore;
  /** Set by a test: the lists are unusable with this reason. */
  let unusable: ListUnusableError | undefined;
  /** What the TVS client answers the consent overview's callback. */
  let login: LoginResult;

  const runtime = () => {
    const lists: DvzaLists = {
      require: ((kind: keyof typeof bodies) => {
        if (unusable) throw unusable;
        return bodies[kind];
      }) as DvzaLists['require'],
      current: () => undefined,
      refresh: async () => undefined,
      kinds: listKindsOf('2'),
      noticed: async () => [],
      startPolling: () => undefined,
      stopPolling: () => undefined,
    };
    return {
      participant: dekroon,
      topology,
      clock,
      bus,
      grants,
      lists,
      audit: new AuditLog(join(tempDir(), 'audit.jsonl'), dekroon.hostname, clock),
      consents: new ConsentStore({ clock }),
      minimumLevel: 'substantieel',
      frontchannelUrl: frontchannelUrl(dekroon)!,
      clientFrontchannelPort: (host: string) => (host === PGO ? pgoPort : 443),
      tvs: {
        authorizationUrl: (o: { state: string }) => `https://tvs.localhost/authorize?state=${o.state}`,
        completeLogin: async () => login,
        // Only what the overview asks of the TVS client: the rest of its class (private state) is not needed here.
      } as unknown as DvzaRuntime['tvs'],
      // Nobody is known here: the refusals come before a dossier would be read.
      patients: { byBsn: () => undefined, dossier: () => expect.unreachable('no dossier is read on a refusal page') },
    } as Partial<DvzaRuntime> as DvzaRuntime;
  };
  const lastDecision = () => bus.events((e) => e.kind === 'decision').at(-1)! as TraceEvent & { reason: string; params?: Params };

  beforeEach(() => {
    clock = SandboxClock.frozenAt(NOW);
    bus = new TraceBus(clock);
    grants = new GrantStore();
    unusable = undefined;
  });

  /** The page in `lang`: its reason in `lang`, not in the other language; the toggle's page says it in the other. */
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

  const app = () => createAuthorizationServer(runtime());

  it.each(['nl', 'en'] as const)('pages without a flow (%s): one language, the toggle shows the same page in the other', async (lang) => {
    const a = app();
    const cases: Array<[string, RequestInit, Text<Params>, Params]> = [
      [`${FRONT_PATHS.cancel}?flow=unknown`, {}, DVZA_PAGE.flowNotInProgress.page, {}],
      [`${FRONT_PATHS.digid}?flow=unknown`, {}, DVZA_PAGE.flowNotInProgress.page, {}],
      [`${FRONT_PATHS.tvsCallback}?code=c0de&state=unknown`, {}, DVZA_PAGE.tvsReturnWithoutFlow.page, {}],
      [`${FRONT_PATHS.consent}?flow=unknown`, {}, DVZA_PAGE.noConsentQuestion.page, {}],
    ];
    for (const [path, init, page, params] of cases) {
      const url = lang === 'en' ? `${path}&lang=en` : path;
      const r = await a.request(url, init);
      expect(r.status, url).toBe(400);
      const toggle = await expectOneLanguage(r, lang, page, params);
      expect(toggle, url).toContain(`lang=${other(lang)}`);
      // The trace says it as it always did: in both languages, the page having no flow.
      expect(lastDecision().reason, url).toBe(`${page.nl(params)} / ${page.en(params)} (invalid_request; shown to the person, not redirected)`);
      await expectOneLanguage(await a.request(toggle), other(lang), page, params);
    }
  });

  it('the return from DigiD without a flow: the toggle does not carry the callback’s code and state', async () => {
    const r = await app().request(`${FRONT_PATHS.tvsCallback}?code=c0de&state=unknown`);
    const toggle = await expectOneLanguage(r, 'nl', DVZA_PAGE.tvsReturnWithoutFlow.page, {});
    expect(toggle).toBe(`${FRONT_PATHS.tvsCallback}?lang=en`);
  });

  it('a consent form from another site, or without a consent question: in the language asked or the form’s', async () => {
    const a = app();
    const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
    const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://elders.localhost' };
    const source = { source: 'https://elders.localhost' };
    let r = await a.request(`${FRONT_PATHS.consent}?flow=f`, form({ flow: 'f', toestemming: 'ja' }, crossSite));
    expect(r.status).toBe(403);
    await expectOneLanguage(r, 'nl', DVZA_PAGE.crossSitePost.page, source);
    r = await a.request(`${FRONT_PATHS.consent}?flow=f&lang=en`, form({ flow: 'f', toestemming: 'ja' }, crossSite));
    await expectOneLanguage(r, 'en', DVZA_PAGE.crossSitePost.page, source);
    r = await a.request(`${FRONT_PATHS.consent}?flow=f`, form({ flow: 'f', lang: 'en', toestemming: 'ja' }));
    expect(r.status).toBe(400);
    const toggle = await expectOneLanguage(r, 'en', DVZA_PAGE.noConsentQuestionHere.page, {});
    // A form cannot be posted again by a link: the toggle asks for the flow's consent question in Dutch.
    expect(toggle).toBe(`${FRONT_PATHS.consent}?flow=f&lang=nl`);
    expect(lastDecision().params).toMatchObject({ lang: 'nl/en' });
  });

  it.each(['nl', 'en'] as const)('lists unusable (%s): the nested reason in the page language too, the trace in English', async (lang) => {
    const why = said(LISTS.noneReceived, { kind: 'OAuthclientlist' });
    unusable = new ListUnusableError(why, 'OAuthclientlist', 'none');
    const r = await app().request(`${FRONT_PATHS.authorize}?client_id=${PGO}&ui_locales=${lang}`);
    expect(r.status).toBe(503);
    const html = visibleText(await r.clone().text());
    expect(html).toContain(LISTS.noneReceived[lang]({ kind: 'OAuthclientlist' }));
    expect(html).not.toContain(LISTS.noneReceived[other(lang)]({ kind: 'OAuthclientlist' }));
    const toggle = await expectOneLanguage(r, lang, DVZA_PAGE.listsUnusable.page, { problem: LISTS.noneReceived[lang]({ kind: 'OAuthclientlist' }) });
    expect(new URL(toggle, 'https://x').searchParams.get('client_id')).toBe(PGO);
    // The trace quotes the lists' reason as it was said: in English.
    expect(lastDecision().params).toMatchObject({ problem: LISTS.noneReceived.en({ kind: 'OAuthclientlist' }), 'problem.ruleId': LISTS.noneReceived.id });
  });

  it.each(['nl', 'en'] as const)('the consent overview (%s): a failed DigiD login and a level too low in the page language', async (lang) => {
    const a = createConsentOverview(runtime());
    /** Start the overview and come back from DigiD with `login`'s answer. */
    const back = async () => {
      const start = await a.request(`${OVERVIEW_PATHS.start}?lang=${lang}`);
      const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      return a.request(`${FRONT_PATHS.tvsCallback}?code=c&state=${state}`, { headers: { cookie } });
    };
    login = { ok: false, outcome: 'cancelled', error: 'access_denied', description: 'x' };
    let r = await back();
    expect(r.status).toBe(401);
    await expectOneLanguage(r, lang, DVZA_CONSENTS.loginFailed.page, { outcome: lang === 'nl' ? 'geannuleerd' : 'cancelled' });
    expect(lastDecision().params).toMatchObject({ outcome: 'cancelled' });

    const basis = ASSURANCE_LEVELS[0];
    const required = ASSURANCE_LEVELS[2];
    login = {
      ok: true,
      identity: { bsn: '999907967', level: basis, pseudonym: 'p', jti: 'j', issuedAt: NOW, expiresAt: NOW, signer: { subject: 's', serial: '1' } },
    };
    r = await back();
    const toggle = await expectOneLanguage(r, lang, DVZA_CONSENTS.levelTooLow.page, { level: basis[lang], required: required[lang] });
    // The toggle starts the overview again: never the callback's URL with its code.
    expect(toggle).toBe(`${OVERVIEW_PATHS.start}?lang=${other(lang)}`);
    // The trace names the levels in Dutch, as it always has.
    expect(lastDecision().params).toMatchObject({ level: 'Basis', required: 'Substantieel' });
  });

  it('the consent overview without a session: the toggle shows the same refusal in the other language', async () => {
    const a = createConsentOverview(runtime());
    const r = await a.request(`${OVERVIEW_PATHS.overview}?lang=en`);
    const toggle = await expectOneLanguage(r, 'en', DVZA_CONSENTS.notInProgress.page, {});
    expect(toggle).toBe(`${OVERVIEW_PATHS.overview}?lang=nl`);
    await expectOneLanguage(await a.request(toggle), 'nl', DVZA_CONSENTS.notInProgress.page, {});
  });
});
