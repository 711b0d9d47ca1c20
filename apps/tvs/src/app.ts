/**
 * The mock TVS: a DigiD-like login (front channel) and artifact resolution (back channel, mutual TLS).
 *
 *   DVZA ──browser──▶ GET /authorize   checks the service and its redirect_uri, opens a login session
 *                     GET /login        the persona picker (Dutch, or English with lang=en)
 *                     POST /login       the person's choice: a persona or BSN and a level, or another outcome
 *   DVZA ◀─browser── redirect_uri?code=…&state=…  (or ?error=…&tvs_outcome=…&state=…)
 *   DVZA ──mTLS────▶ POST /token       code → identity assertion (signed JWT, BSN as JWE for that DVZA)
 *
 * Protocol choice and its reasons: docs/decisions/0005-tvs-oidc-with-encrypted-bsn.md.
 */
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import { MAX_OPEN_STATE, SecretStream, dutchDate, sameSecret, setBounded, type TraceInput } from '@medmij-sandbox/network';
import { crossSiteSource, securityHeaders, type TlsPeerEnv } from '@medmij-sandbox/transport';
import {
  ASSURANCE_LEVELS,
  BSN_CLAIM,
  DEFAULT_MINIMUM_LEVEL,
  FAILED_OUTCOMES,
  LIFETIMES,
  LOGIN_OUTCOMES,
  TVS_PATHS,
  assuranceLevel,
  type AssuranceLevelId,
  type LoginOutcome,
} from '@medmij-sandbox/tvs-client';
import { isValidBsn } from '@medmij-sandbox/fhir-data';
import { TVS_AUTHORIZE, TVS_LOGIN, asShown, because, said, type NoParams, type Params, type TvsPageRefusal, type TvsRefusal } from '@medmij-sandbox/rules';
import { createCodeResolution } from './code-resolution.js';
import { PAGE_CSP, errorPage, homePage, langOf, loginPage, texts, type Lang } from './pages.js';
import type { IssuedCode, LoginSession, TvsDeps, TvsService } from './state.js';

export type { TvsDeps, TvsService } from './state.js';

type Env = { Bindings: HttpBindings };

export function createTvs(deps: TvsDeps): { front: Hono<Env>; back: Hono<TlsPeerEnv> } {
  const { clock, bus } = deps;
  const sessions = new Map<string, LoginSession>();
  const codes = new Map<string, IssuedCode>();
  // Secrets from the CSPRNG: a session id, cookie or code that followed from the public seed could be predicted.
  const secrets = deps.secrets ?? new SecretStream();
  const pseudonymKey = deps.pseudonymKey;

  const decision = (e: Omit<TraceInput, 'reportedBy' | 'kind' | 'to'> & { to?: string }) =>
    bus.emit({ reportedBy: deps.hostname, kind: 'decision', to: deps.hostname, ...e });

  /** Drops what can no longer be used, so a long-running sandbox does not grow. */
  const sweep = () => {
    const now = clock.nowMs();
    for (const [id, s] of sessions) if (now - s.createdAt > 2 * LIFETIMES.loginSessionMs) sessions.delete(id);
    for (const [c, code] of codes) if (now > code.expiresAt + LIFETIMES.codeMs) codes.delete(c);
  };

  const front = new Hono<Env>();
  // First, so every answer has them: the DigiD pages and their redirects carry sessions and codes (no-store).
  front.use(securityHeaders({ contentSecurityPolicy: PAGE_CSP }));

  front.get('/', (c) => {
    const lang = langOf(c.req.query('lang'));
    return c.html(homePage(lang, deps.personas, `/?lang=${lang === 'nl' ? 'en' : 'nl'}`));
  });

  front.get(TVS_PATHS.discovery, (c) =>
    c.json({
      issuer: deps.issuer,
      authorization_endpoint: `${deps.issuer}${TVS_PATHS.authorize}`,
      token_endpoint: `${deps.backchannelUrl}${TVS_PATHS.token}`,
      token_endpoint_auth_methods_supported: ['tls_client_auth'],
      response_types_supported: ['code'],
      scopes_supported: ['openid'],
      acr_values_supported: ASSURANCE_LEVELS.map((l) => l.uri),
      id_token_signing_alg_values_supported: ['RS256'],
      id_token_encryption_note: `${BSN_CLAIM} is a JWE (RSA-OAEP-256, A256GCM) for the key of the client certificate used at the token endpoint`,
    }),
  );

  front.get(TVS_PATHS.authorize, (c) => {
    sweep();
    const q = new URL(c.req.url).searchParams;
    const lang = langOf(q.get('ui_locales'));
    const traceId = q.get('X-Correlation-ID') ?? undefined;
    const fromBrowser = 'browser';
    // Faults in who is asking are shown, never redirected: an unchecked redirect_uri would hand the
    // person (and later the code) to whoever wrote the link.
    const stop = <P extends Params = NoParams>(refusal: TvsPageRefusal<P>, params: P) => {
      const shown = { ...params, lang };
      const reason = asShown(refusal.page, shown);
      decision({ from: fromBrowser, traceId, outcome: 'refused', ...because(said(refusal, shown)) });
      return c.html(errorPage(lang, reason, toggled(c.req.url, 'ui_locales', lang)), 400);
    };
    const clientId = q.get('client_id');
    const service = deps.services.find((s) => s.hostname === clientId);
    if (!clientId) return stop(TVS_AUTHORIZE.clientIdMissing, {});
    if (!service) return stop(TVS_AUTHORIZE.notConnected, { client: clientId });
    const redirectUri = q.get('redirect_uri') ?? '';
    const redirectProblem = checkRedirectUri(redirectUri, service);
    if (redirectProblem) return stop(redirectProblem.refusal, redirectProblem.params);

    const state = q.get('state');
    // The description goes back to the service as error_description.
    const back = <P extends Params = NoParams>(refusal: TvsRefusal<P>, params: P) => {
      const description = refusal.description.en(params);
      decision({ from: service.hostname, traceId, outcome: 'refused', ...because(said(refusal, params)) });
      const url = new URL(redirectUri);
      url.searchParams.set('error', refusal.error);
      url.searchParams.set('error_description', description);
      if (state) url.searchParams.set('state', state);
      return c.redirect(url.toString(), 302);
    };
    if (q.get('response_type') !== 'code') return back(TVS_AUTHORIZE.responseType, {});
    if (!(q.get('scope') ?? '').split(' ').includes('openid')) return back(TVS_AUTHORIZE.scope, {});
    if (!state) return back(TVS_AUTHORIZE.stateMissing, {});
    const nonce = q.get('nonce');
    if (!nonce) return back(TVS_AUTHORIZE.nonceMissing, {});
    const acr = q.get('acr_values');
    const minimumLevel = acr ? assuranceLevel(acr.split(' ')[0]!) : assuranceLevel(DEFAULT_MINIMUM_LEVEL);
    if (!minimumLevel) return back(TVS_AUTHORIZE.unknownAcr, { acr: String(acr), known: ASSURANCE_LEVELS.map((l) => l.uri).join(', ') });

    const session: LoginSession = {
      id: secrets.hex(16),
      cookie: secrets.hex(32),
      service,
      redirectUri,
      state,
      nonce,
      minimumLevel: minimumLevel.id,
      lang,
      traceId,
      createdAt: clock.nowMs(),
    };
    // Bounded too: the sweep goes by the sandbox clock, which may stand still.
    setBounded(sessions, session.id, session, MAX_OPEN_STATE);
    decision({
      from: service.hostname,
      traceId,
      outcome: 'ok',
      ...because(TVS_AUTHORIZE.sessionOpened, { service: service.name, host: service.hostname, level: minimumLevel.nl }),
    });
    // The session id travels in the URL and a cookie: a form posted from another browser is refused.
    // One cookie per session, so two logins in two tabs do not overwrite each other.
    setCookie(c, sessionCookie(session.id), session.cookie, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
    return c.redirect(loginUrl(session, lang), 303);
  });

  front.get(TVS_PATHS.login, (c) => {
    const lang = langOf(c.req.query('lang'));
    const found = findSession(c, c.req.query('session'), lang);
    if ('response' in found) return found.response;
    return c.html(renderLogin(found.session, lang));
  });

  front.post(TVS_PATHS.login, async (c) => {
    sweep();
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const lang = langOf(field('lang'));
    // Another site's page may not log the person in, or out (CSRF): the session stays as it was.
    const crossSite = crossSiteSource(c);
    if (crossSite) {
      const refusal = TVS_LOGIN.crossSitePost;
      decision({ from: 'browser', outcome: 'refused', ...because(refusal, { lang, source: crossSite }) });
      // A form cannot be sent again by a link: the toggle shows the login session's page (or its refusal) in the other language.
      return c.html(errorPage(lang, asShown(refusal.page, { lang, source: crossSite }), toggled(c.req.url, 'lang', lang, { session: field('session') })), 403);
    }
    const found = findSession(c, field('session'), lang);
    if ('response' in found) return found.response;
    const session = found.session;
    const t = texts(lang);

    const chosen = field('outcome') as LoginOutcome | undefined;
    if (!chosen || !LOGIN_OUTCOMES.includes(chosen)) {
      return c.html(renderLogin(session, lang, { error: t.chooseButton }), 422);
    }
    // DigiD ends a login session that was left open too long, whatever the person clicks then.
    const expired = clock.nowMs() - session.createdAt > LIFETIMES.loginSessionMs;
    const outcome: LoginOutcome = expired && chosen !== 'cancelled' ? 'session_expired' : chosen;

    if (outcome !== 'success') {
      session.finished = true;
      const failed = FAILED_OUTCOMES[outcome];
      const ended = { outcome, service: session.service.hostname, error: failed.error, samlStatus: failed.samlStatus };
      decision({
        from: 'browser',
        traceId: session.traceId,
        outcome: 'refused',
        ...(expired && chosen !== outcome
          ? because(TVS_LOGIN.endedSessionTooOld, { ...ended, minutes: LIFETIMES.loginSessionMs / 60_000 })
          : because(TVS_LOGIN.ended, ended)),
      });
      const url = new URL(session.redirectUri);
      url.searchParams.set('error', failed.error);
      url.searchParams.set('error_description', failed[session.lang]);
      url.searchParams.set('tvs_outcome', outcome);
      url.searchParams.set('state', session.state);
      return c.redirect(url.toString(), 302);
    }

    const picked = field('bsn');
    const otherBsn = field('otherBsn')?.replace(/\s/g, '');
    const bsn = picked === 'other' ? otherBsn : picked;
    const levelId = (assuranceLevel(field('level') ?? '')?.id ?? session.minimumLevel) as AssuranceLevelId;
    const again = (error: string) => c.html(renderLogin(session, lang, { error, chosen: { bsn: picked, otherBsn, level: levelId } }), 422);
    if (!bsn) return again(t.chooseBsn);
    if (!isValidBsn(bsn)) return again(t.badBsn);

    session.finished = true;
    const code = secrets.hex(24);
    codes.set(code, {
      service: session.service,
      redirectUri: session.redirectUri,
      nonce: session.nonce,
      bsn,
      level: levelId,
      traceId: session.traceId,
      expiresAt: clock.nowMs() + LIFETIMES.codeMs,
    });
    const level = assuranceLevel(levelId)!;
    const below = level.rank < assuranceLevel(session.minimumLevel)!.rank;
    const persona = deps.personas.find((p) => p.bsn === bsn);
    const person = { bsn, persona: persona?.display ?? '', level: level.nl };
    decision({
      from: 'browser',
      traceId: session.traceId,
      outcome: below ? 'warning' : 'ok',
      ...(below
        ? because(TVS_LOGIN.succeededBelowLevel, { ...person, requested: assuranceLevel(session.minimumLevel)!.nl, service: session.service.hostname })
        : because(TVS_LOGIN.succeeded, person)),
    });
    const url = new URL(session.redirectUri);
    url.searchParams.set('code', code);
    url.searchParams.set('state', session.state);
    return c.redirect(url.toString(), 302);
  });

  const back = createCodeResolution({ deps, codes, sweep, decision, jtis: secrets, pseudonymKey });

  function findSession(c: Context<Env>, id: string | undefined, lang: Lang): { session: LoginSession } | { response: Response | Promise<Response> } {
    const session = id ? sessions.get(id) : undefined;
    const hasCookie = session !== undefined && sameSecret(getCookie(c, sessionCookie(session.id)) ?? '', session.cookie);
    const refusal = !session ? TVS_LOGIN.sessionUnknown : !hasCookie ? TVS_LOGIN.sessionOtherBrowser : session.finished ? TVS_LOGIN.sessionUsed : undefined;
    if (!refusal) return { session: session! };
    const problem = asShown(refusal.page, { lang });
    decision({ from: 'browser', traceId: session?.traceId, outcome: 'refused', ...because(refusal, { lang }) });
    // With the session id: a posted form's URL has none, and without it the toggle would show another refusal.
    return { response: c.html(errorPage(lang, problem, toggled(c.req.url, 'lang', lang, { session: id })), 400) };
  }

  function renderLogin(
    session: LoginSession,
    lang: Lang,
    extra: { error?: string; chosen?: { bsn?: string; otherBsn?: string; level?: AssuranceLevelId } } = {},
  ) {
    const expiresAt = new Date(session.createdAt + LIFETIMES.loginSessionMs);
    return loginPage({
      lang,
      sessionId: session.id,
      serviceName: session.service.name,
      requestedLevel: session.minimumLevel,
      expiresAt: `${dutchDate(expiresAt)} ${new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(expiresAt)}`,
      personas: deps.personas,
      formAction: withTrace(TVS_PATHS.login, session),
      toggleHref: loginUrl(session, lang === 'nl' ? 'en' : 'nl'),
      ...extra,
    });
  }

  return { front, back };
}

function loginUrl(session: { id: string; traceId?: string }, lang: Lang): string {
  return withTrace(`${TVS_PATHS.login}?session=${encodeURIComponent(session.id)}&lang=${lang}`, session);
}

/** Carries the flow's X-Correlation-ID on every TVS URL, so each hop lands in the same trace. */
function withTrace(path: string, session: { traceId?: string }): string {
  if (!session.traceId) return path;
  return `${path}${path.includes('?') ? '&' : '?'}X-Correlation-ID=${encodeURIComponent(session.traceId)}`;
}

/** This request's URL in the other language; `extra` adds what a posted form carried in its body. */
function toggled(url: string, param: string, lang: Lang, extra: Record<string, string | undefined> = {}): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) u.searchParams.set(k, v);
  u.searchParams.set(param, lang === 'nl' ? 'en' : 'nl');
  return `${u.pathname}${u.search}`;
}

/** What is wrong with the service's redirect_uri (shown on the page), or undefined. */
function checkRedirectUri(redirectUri: string, service: TvsService): { refusal: TvsPageRefusal; params: Params } | undefined {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return { refusal: TVS_AUTHORIZE.redirectUriInvalid, params: {} };
  }
  if (url.protocol !== 'https:') return { refusal: TVS_AUTHORIZE.redirectUriNotHttps, params: {} };
  // Before the host: in https://dvza@elders/ a person reads the first name as the host.
  if (url.username || url.password || /^https:\/\/[^/?#]*@/i.test(redirectUri)) return { refusal: TVS_AUTHORIZE.redirectUriUserinfo, params: {} };
  if (url.hostname !== service.hostname) return { refusal: TVS_AUTHORIZE.redirectUriOtherHost, params: { host: url.hostname, service: service.hostname } };
  // Another port on the service's host may be another program than the DVZA's front channel.
  const port = url.port ? Number(url.port) : 443;
  if (port !== service.port) return { refusal: TVS_AUTHORIZE.redirectUriOtherPort, params: { port, expected: service.port, service: service.hostname } };
  if (url.hash || redirectUri.includes('#')) return { refusal: TVS_AUTHORIZE.redirectUriFragment, params: {} };
  return undefined;
}

/** One cookie per login session: the login page works only in the browser that opened it. */
function sessionCookie(id: string): string {
  return `tvs_session_${id}`;
}
