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
 * side is `POST /oauth/revoke` (revocation.ts). A session lives 30 minutes, bound to a random `__Host-` cookie that
 * is renewed at login; the form carries a second random value, so another site cannot withdraw for the person.
 * The login and each withdrawal end in a redirect to the overview, so a reload repeats nothing.
 */
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import { MAX_OPEN_STATE, sameSecret, secureRandomBytes, setBounded } from '@medmij-sandbox/network';
import { CONSENT_OVERVIEW_PATH, consentLapsed, consentLapsesAt } from '@medmij-sandbox/medmij-oauth';
import { assuranceLevel, type LoginResult } from '@medmij-sandbox/tvs-client';
import { DVZA_CONSENTS, because, said, type NoParams, type OnPage, type Params } from '@medmij-sandbox/rules';
import { ConsentStore, type LongLivedConsent } from './consents.js';
import { LIFETIMES } from './grants.js';
import { FRONT_PATHS } from './authorization.js';
import { consentOverviewPage, errorPage, langOf, pageReason, type ConsentRow, type Lang } from './pages.js';
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
  /** Whose consent was just withdrawn: said once on the overview the browser is sent to (post/redirect/get). */
  done?: string;
}

// __Host-: only this host sets it (no sibling *.localhost can plant one), Secure, Path=/.
const COOKIE = '__Host-dvza_toestemmingen';
const COOKIE_OPTIONS = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const;
const secret = (bytes: number) => secureRandomBytes(bytes).toString('hex');

/** How a DigiD login ended, as the refusal page says it (the trace keeps the outcome's code). */
const LOGIN_ENDED: Record<Extract<LoginResult, { ok: false }>['outcome'], Record<Lang, string>> = {
  cancelled: { nl: 'geannuleerd', en: 'cancelled' },
  authentication_failed: { nl: 'de gegevens klopten niet', en: 'the credentials were wrong' },
  session_expired: { nl: 'de DigiD-sessie is verlopen', en: 'the DigiD session expired' },
  tvs_error: { nl: 'storing bij de Toegangsverleningservice', en: 'a failure at the Toegangsverleningservice' },
  invalid_callback: { nl: 'het antwoord van DigiD klopte niet', en: 'the answer from DigiD was not valid' },
  token_refused: { nl: 'de Toegangsverleningservice gaf uw identiteit niet vrij', en: 'the Toegangsverleningservice did not release your identity' },
  tvs_unreachable: { nl: 'de Toegangsverleningservice is niet bereikbaar', en: 'the Toegangsverleningservice cannot be reached' },
  assertion_refused: { nl: 'het bewijs van DigiD werd niet aanvaard', en: 'the proof from DigiD was not accepted' },
};

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
  /**
   * A refusal on a page in `lang` alone. `o.page`: the parameters as the page says them when the trace's differ
   * (a DigiD level by its name in `lang`; the trace keeps the Dutch name). `o.again`: the path that shows this
   * page again, for the toggle; by default the start, never the callback's URL (its code and state).
   */
  const refusePage = <P extends Params = NoParams>(c: Context<Env>, lang: Lang, refusal: OnPage<P>, params: P, o: { page?: P; again?: string } = {}) => {
    const shown = { ...params, lang };
    decision({ from: 'browser', outcome: 'refused', ...because(said(refusal, shown)) });
    const toggleHref = `${o.again ?? OVERVIEW_PATHS.start}?lang=${lang === 'nl' ? 'en' : 'nl'}`;
    const reason = pageReason(refusal.page, o.page ?? params, lang);
    return c.html(errorPage({ lang, zorgaanbieder: participant.name, error: refusal.error, reason, toggleHref }), refusal.status);
  };
  const v2 = () => rt.topology.afsprakenstelsel === '2';
  const newCookie = (c: Context<Env>, session: OverviewSession) => {
    setBounded(sessions, session.cookie, session, MAX_OPEN_STATE);
    setCookie(c, COOKIE, session.cookie, { ...COOKIE_OPTIONS, maxAge: LIFETIMES.flowMs / 1000 });
  };

  app.get(OVERVIEW_PATHS.start, (c) => {
    const lang = langOf(c.req.query('lang'));
    if (!v2()) return refusePage(c, lang, DVZA_CONSENTS.notIn15, {});
    sweep();
    const session: OverviewSession = {
      cookie: secret(32),
      formToken: secret(32),
      tvs: { state: secret(16), nonce: secret(16) },
      lang,
      createdAt: clock.nowMs(),
    };
    newCookie(c, session);
    decision({ from: 'browser', outcome: 'ok', ...because(DVZA_CONSENTS.toDigid) });
    return c.redirect(rt.tvs.authorizationUrl({ state: session.tvs.state, nonce: session.tvs.nonce, minimumLevel: rt.minimumLevel, lang }), 302);
  });

  // The TVS has one redirect_uri per DVZA: a login this overview started is finished here, any other passes on.
  app.get(FRONT_PATHS.tvsCallback, async (c, next) => {
    const query = new URL(c.req.url).searchParams;
    const session = sessionOf(c);
    if (!session || session.loginDone || !query.get('state') || !sameSecret(query.get('state')!, session.tvs.state)) return next();
    session.loginDone = true;
    const login = await rt.tvs.completeLogin(query, { state: session.tvs.state, nonce: session.tvs.nonce });
    const lang = session.lang;
    if (!login.ok) return refusePage(c, lang, DVZA_CONSENTS.loginFailed, { outcome: login.outcome }, { page: { outcome: LOGIN_ENDED[login.outcome][lang] } });
    const required = assuranceLevel(rt.minimumLevel)!;
    if (login.identity.level.rank < required.rank) {
      const page = { level: login.identity.level[lang], required: required[lang] };
      return refusePage(c, lang, DVZA_CONSENTS.levelTooLow, { level: login.identity.level.nl, required: required.nl }, { page });
    }
    // Logged in: a new cookie and form token (a session planted before the login gains nothing from it).
    sessions.delete(session.cookie);
    const loggedIn: OverviewSession = { ...session, cookie: secret(32), formToken: secret(32), bsn: login.identity.bsn, createdAt: clock.nowMs() };
    newCookie(c, loggedIn);
    const consents = rt.consents.consentsOf(loggedIn.bsn!);
    decision({ from: 'browser', outcome: 'ok', ...because(DVZA_CONSENTS.shown, { count: consents.length }) });
    // Post/redirect/get: a reload shows the overview again, not the callback (whose code is spent).
    return c.redirect(`${OVERVIEW_PATHS.overview}?lang=${session.lang}`, 303);
  });

  app.get(OVERVIEW_PATHS.overview, (c) => {
    const session = sessionOf(c);
    const lang = langOf(c.req.query('lang'));
    const again = { again: OVERVIEW_PATHS.overview };
    if (!v2()) return refusePage(c, lang, DVZA_CONSENTS.notIn15, {}, again);
    if (!session?.bsn) return refusePage(c, lang, DVZA_CONSENTS.notInProgress, {}, again);
    const done = session.done;
    delete session.done;
    return c.html(overview(c, session, lang, done));
  });

  app.post(OVERVIEW_PATHS.withdraw, async (c) => {
    const session = sessionOf(c);
    // A body that is no form is a request without the form's token.
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const lang = langOf(typeof form.lang === 'string' ? form.lang : undefined);
    // A form cannot be sent again by a link: the toggle shows the overview, where the form was.
    const toOverview = { again: OVERVIEW_PATHS.overview };
    if (!v2()) return refusePage(c, lang, DVZA_CONSENTS.notIn15, {}, toOverview);
    if (!session?.bsn || typeof form.token !== 'string' || !sameSecret(form.token, session.formToken)) {
      return refusePage(c, lang, DVZA_CONSENTS.notInProgress, {}, toOverview);
    }
    const again = `${OVERVIEW_PATHS.overview}?lang=${lang}`;
    const before = typeof form.consent === 'string' ? rt.consents.consentsOf(session.bsn).find((k) => k.id === form.consent) : undefined;
    if (!before) return refusePage(c, lang, DVZA_CONSENTS.notYours, {}, toOverview);
    // Withdrawn already (a second click, a reload): nothing changes, nothing to report.
    if (!ConsentStore.active(before)) return c.redirect(again, 303);
    const consent = rt.consents.withdraw(before.id, session.bsn)!;
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
    session.done = organisatie;
    return c.redirect(again, 303);
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
