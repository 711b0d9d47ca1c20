/**
 * The person's own overview of their long-lived consents at the DVZA, on the front channel (afsprakenstelsel 2):
 *
 *   GET  /toestemmingen            → DigiD at the TVS (the overview names whom the person gave consent to)
 *   GET  /tvs/callback             the TVS sends the person back: identity → the overview (the authorization
 *                                  server's callback passes on the logins it did not start)
 *   GET  /toestemmingen/overzicht  the overview again (language toggle)
 *   POST /toestemmingen/intrekken  withdraw one consent: its refresh tokens and access tokens count no more
 *
 * SPEC §10.2 names no withdrawal interface at the DVZA: this page is the sandbox's choice, and says so. The PGO's
 * side is `POST /oauth/revoke` (revocation.ts). A session lives 30 minutes, bound to a random cookie; the form
 * carries a second random value, so another site cannot withdraw for the person.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import { secureRandomBytes } from '@medmij-sandbox/network';
import { CONSENT_OVERVIEW_PATH, consentLapsed, consentLapsesAt } from '@medmij-sandbox/medmij-oauth';
import { assuranceLevel } from '@medmij-sandbox/tvs-client';
import { DVZA_CONSENTS, asShown, because, said, type NoParams, type OnPage, type Params } from '@medmij-sandbox/rules';
import type { LongLivedConsent } from './consents.js';
import { LIFETIMES } from './grants.js';
import { FRONT_PATHS } from './authorization.js';
import { consentOverviewPage, errorPage, langOf, type ConsentRow, type Lang } from './pages.js';
import { decisionReporter, type DvzaRuntime } from './runtime.js';

type Env = { Bindings: HttpBindings };

export const OVERVIEW_PATHS = {
  start: CONSENT_OVERVIEW_PATH,
  overview: `${CONSENT_OVERVIEW_PATH}/overzicht`,
  withdraw: `${CONSENT_OVERVIEW_PATH}/intrekken`,
} as const;

interface OverviewSession {
  /** The cookie's value: the session's only handle. */
  cookie: string;
  /** Sent back by the withdraw form: a request from another site has the cookie but not this. */
  formToken: string;
  tvs: { state: string; nonce: string };
  lang: Lang;
  createdAt: number;
  /** Who logged in, once DigiD said so. */
  bsn?: string;
  loginDone?: boolean;
}

const COOKIE = 'dvza_toestemmingen';
const COOKIE_OPTIONS = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const;
const secret = (bytes: number) => secureRandomBytes(bytes).toString('hex');
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createConsentOverview(rt: DvzaRuntime): Hono<Env> {
  const { participant, clock } = rt;
  const app = new Hono<Env>();
  const decision = decisionReporter(rt);
  const sessions = new Map<string, OverviewSession>();

  const sweep = () => {
    const now = clock.nowMs();
    for (const [k, s] of sessions) if (now - s.createdAt > LIFETIMES.flowMs) sessions.delete(k);
  };
  const sessionOf = (c: Context<Env>) => {
    sweep();
    const cookie = getCookie(c, COOKIE);
    return cookie ? sessions.get(cookie) : undefined;
  };
  const toggled = (url: string, lang: Lang) => {
    const u = new URL(url);
    u.searchParams.set('lang', lang === 'nl' ? 'en' : 'nl');
    return `${u.pathname}${u.search}`;
  };
  const refusePage = <P extends Params = NoParams>(c: Context<Env>, lang: Lang, refusal: OnPage<P>, params: P) => {
    const shown = { ...params, lang };
    const reason = asShown(refusal.page, shown);
    decision({ from: 'browser', outcome: 'refused', ...because(said(refusal, shown)) });
    return c.html(errorPage({ lang, zorgaanbieder: participant.name, error: refusal.error, reason, toggleHref: toggled(c.req.url, lang) }), refusal.status);
  };

  app.get(OVERVIEW_PATHS.start, (c) => {
    const lang = langOf(c.req.query('lang'));
    if (rt.topology.afsprakenstelsel !== '2') return refusePage(c, lang, DVZA_CONSENTS.notIn15, {});
    sweep();
    const session: OverviewSession = {
      cookie: secret(32),
      formToken: secret(32),
      tvs: { state: secret(16), nonce: secret(16) },
      lang,
      createdAt: clock.nowMs(),
    };
    sessions.set(session.cookie, session);
    setCookie(c, COOKIE, session.cookie, { ...COOKIE_OPTIONS, maxAge: LIFETIMES.flowMs / 1000 });
    decision({ from: 'browser', outcome: 'ok', ...because(DVZA_CONSENTS.toDigid) });
    return c.redirect(rt.tvs.authorizationUrl({ state: session.tvs.state, nonce: session.tvs.nonce, minimumLevel: rt.minimumLevel, lang }), 302);
  });

  // The TVS has one redirect_uri per DVZA: a login this overview started is finished here, any other passes on.
  app.get(FRONT_PATHS.tvsCallback, async (c, next) => {
    const query = new URL(c.req.url).searchParams;
    const session = sessionOf(c);
    if (!session || session.loginDone || !query.get('state') || !same(query.get('state')!, session.tvs.state)) return next();
    session.loginDone = true;
    const login = await rt.tvs.completeLogin(query, { state: session.tvs.state, nonce: session.tvs.nonce });
    if (!login.ok) return refusePage(c, session.lang, DVZA_CONSENTS.loginFailed, { outcome: login.outcome });
    const required = assuranceLevel(rt.minimumLevel)!;
    if (login.identity.level.rank < required.rank) {
      return refusePage(c, session.lang, DVZA_CONSENTS.levelTooLow, { level: login.identity.level.nl, required: required.nl });
    }
    session.bsn = login.identity.bsn;
    const consents = rt.consents.consentsOf(session.bsn);
    decision({ from: 'browser', outcome: 'ok', ...because(DVZA_CONSENTS.shown, { count: consents.length }) });
    return c.html(overview(c, session, session.lang));
  });

  app.get(OVERVIEW_PATHS.overview, (c) => {
    const session = sessionOf(c);
    const lang = langOf(c.req.query('lang'));
    if (!session?.bsn) return refusePage(c, lang, DVZA_CONSENTS.notInProgress, {});
    return c.html(overview(c, session, lang));
  });

  app.post(OVERVIEW_PATHS.withdraw, async (c) => {
    const session = sessionOf(c);
    const form = await c.req.parseBody();
    const lang = langOf(typeof form.lang === 'string' ? form.lang : undefined);
    if (!session?.bsn || typeof form.token !== 'string' || !same(form.token, session.formToken)) {
      return refusePage(c, lang, DVZA_CONSENTS.notInProgress, {});
    }
    const consent = typeof form.consent === 'string' ? rt.consents.withdraw(form.consent, session.bsn) : undefined;
    if (!consent) return refusePage(c, lang, DVZA_CONSENTS.notYours, {});
    const organisatie = organisationOf(consent.clientId);
    const ofConsent = (t: { consentId?: string; revoked?: string }) => t.consentId === consent.id && !t.revoked;
    const why = said(DVZA_CONSENTS.withdrawn, {
      organisatie,
      client: consent.clientId,
      gegevensdiensten: consent.gegevensdiensten.join(', '),
      revoked: [...rt.grants.tokens.values()].filter(ofConsent).length,
    });
    rt.grants.revokeTokens(ofConsent, why);
    rt.audit.record({
      action: 'consent-withdrawal',
      outcome: 'granted',
      client: consent.clientId,
      bsn: session.bsn,
      gegevensdiensten: consent.gegevensdiensten,
    });
    decision({ from: 'browser', outcome: 'ok', ...because(why) });
    return c.html(overview(c, session, lang, organisatie));
  });

  function organisationOf(clientId: string): string {
    try {
      return rt.lists.require('OAuthclientlist').oauthclients.find((o) => o.hostname === clientId)?.organisatienaam ?? clientId;
    } catch {
      // Lists unusable: the overview still shows the person's consents, by the client's hostname.
      return clientId;
    }
  }

  function overview(c: Context<Env>, session: OverviewSession, lang: Lang, done?: string) {
    const names = new Map((rt.lists.current('Gegevensdienstnamenlijst')?.gegevensdiensten ?? []).map((g) => [g.gegevensdienstId, g.weergavenaam]));
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const now = clock.nowMs();
    const row = (k: LongLivedConsent): ConsentRow => ({
      id: k.id,
      pgo: organisationOf(k.clientId),
      gegevensdiensten: k.gegevensdiensten.map((id) => names.get(id) ?? `gegevensdienst ${id}`),
      grantedAt: day(k.grantedAt),
      lastCollectedAt: day(k.lastCollectedAt),
      state:
        k.withdrawnAt !== undefined
          ? { withdrawn: day(k.withdrawnAt) }
          : k.revokedAt !== undefined
            ? { revoked: day(k.revokedAt) }
            : consentLapsed(k.lastCollectedAt, now)
              ? { lapsed: day(consentLapsesAt(k.lastCollectedAt)) }
              : { active: day(consentLapsesAt(k.lastCollectedAt)) },
    });
    const patient = rt.patients.byBsn(session.bsn!);
    return consentOverviewPage({
      lang,
      zorgaanbieder: participant.name,
      patientName: patient?.name.display ?? `BSN ${session.bsn}`,
      consents: rt.consents.consentsOf(session.bsn!).map(row),
      formAction: OVERVIEW_PATHS.withdraw,
      formToken: session.formToken,
      toggleHref: `${OVERVIEW_PATHS.overview}?lang=${lang === 'nl' ? 'en' : 'nl'}`,
      ...(done ? { done } : {}),
    });
  }

  return app;
}
