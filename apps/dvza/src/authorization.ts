/**
 * The DVZA's authorization server on the front channel (in the person's browser), SPEC §2.1–2.4:
 *
 *   GET  /oauth/authorize  the PGO's request, checked in order: lists usable, client_id and redirect_uri once
 *                          each, client on the OAuthclientlist, redirect_uri on the client's hostname and port,
 *                          every other parameter once, response_type, scope (this zorgaanbieder, gegevensdiensten
 *                          it offers), state, PKCE (S256 when sent) → Landingspagina
 *   GET  /oauth/digid      → the TVS (DigiD) with a nonce bound to this flow
 *   GET  /tvs/callback     the TVS sends the person back: identity (BSN, level) → beschikbaarheidstoets → consent page
 *   POST /oauth/consent    ja → a single-use code to the PGO's redirect_uri; nee → access_denied
 *
 * Faults in the client's identity or redirect_uri are shown on a page, never redirected (SPEC §2.4): a
 * redirect to an unchecked address would hand the person to whoever wrote the link. Every answer that does go
 * back to the redirect_uri names this DVZA as its issuer (`iss`, RFC 9207), so a PGO can tell who answered.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import { MAX_OPEN_STATE, dutchDate, gegevensdienstOf, sameSecret, secureRandomBytes, setBounded } from '@medmij-sandbox/network';
import { gegevensdienstContent } from '@medmij-sandbox/fhir-data';
import { ListUnusableError } from '@medmij-sandbox/lists';
import { crossSiteSource } from '@medmij-sandbox/transport';
import {
  AUTHORIZATION_PARAMETERS,
  DVZA_PATHS,
  codeRedirect,
  errorRedirect,
  parsePkceChallenge,
  parseScopeFor,
  redirectUriFault,
  repeatedParameters,
} from '@medmij-sandbox/medmij-oauth';
import { assuranceLevel } from '@medmij-sandbox/tvs-client';
import {
  DVZA_AUTHORIZE,
  DVZA_PAGE,
  DVZA_TO_CLIENT,
  asShown,
  because,
  nest,
  said,
  type NoParams,
  type OnPage,
  type Params,
  type Said,
  type ToClient,
} from '@medmij-sandbox/rules';
import { beschikbaarheidstoets } from './beschikbaarheid.js';
import { LIFETIMES, type Flow } from './grants.js';
import { consentPage, errorPage, landingPage, langOf, pageReason, type Lang } from './pages.js';
import { decisionReporter, type DvzaRuntime } from './runtime.js';

export const FRONT_PATHS = {
  authorize: DVZA_PATHS.authorize,
  digid: '/oauth/digid',
  cancel: '/oauth/cancel',
  tvsCallback: '/tvs/callback',
  consent: '/oauth/consent',
} as const;

type Env = { Bindings: HttpBindings };

export function createAuthorizationServer(rt: DvzaRuntime): Hono<Env> {
  const { participant, clock, grants } = rt;
  const app = new Hono<Env>();
  const decision = decisionReporter(rt);

  /**
   * Back to the PGO with an OAuth error (RFC 6749 §4.1.2.1), after the client and redirect_uri were checked:
   * the refusal's description as error_description; its detail for the trace and the audit log.
   */
  const errorToClient = <P extends Params>(
    c: Context<Env>,
    flow: Pick<Flow, 'redirectUri' | 'traceId' | 'clientId' | 'gegevensdiensten'> & { state?: string; bsn?: string },
    refusal: ToClient<P>,
    params: P,
  ) => {
    const detail = refusal.detail.en(params);
    decision({ from: flow.clientId, traceId: flow.traceId, outcome: 'refused', ...because(said(refusal, { ...params, client: flow.clientId })) });
    rt.audit.record({
      action: 'authorization',
      outcome: 'refused',
      client: flow.clientId,
      bsn: flow.bsn,
      gegevensdiensten: flow.gegevensdiensten,
      reason: detail,
      traceId: flow.traceId,
    });
    return c.redirect(
      errorRedirect(flow.redirectUri, { error: refusal.error, description: refusal.description.en(params), state: flow.state, iss: rt.frontchannelUrl }),
      302,
    );
  };

  /**
   * A refusal shown on a page in `lang`, and in `lang` alone. A page without a usable flow is shown in the
   * language `requestLang` finds; the trace and the audit log keep saying it as both (`nl/en`), as they always
   * have, while the person reads one. The toggle asks for the same page again in the other language.
   */
  const page = <P extends Params = NoParams>(
    c: Context<Env>,
    lang: Lang,
    refusal: OnPage<P>,
    params: P,
    o: { traceId?: string; client?: string; shown?: 'nl/en'; toggleHref?: string } = {},
  ) => {
    const shown = { ...params, lang: o.shown ?? lang };
    const reason = asShown(refusal.page, shown);
    decision({ from: o.client ?? 'browser', traceId: o.traceId, outcome: 'refused', ...because(said(refusal, shown)) });
    rt.audit.record({ action: 'authorization', outcome: 'refused', client: o.client, reason, traceId: o.traceId });
    return c.html(
      errorPage({
        lang,
        zorgaanbieder: participant.name,
        error: refusal.error,
        reason: pageReason(refusal.page, params, lang),
        toggleHref: o.toggleHref ?? toggled(c.req.url, lang),
      }),
      refusal.status,
    );
  };
  /**
   * The language of a page that finds no usable flow: the one the toggle asked for, else that of the flow the
   * request names when there is one (finished, or another browser's), else Dutch.
   */
  const requestLang = (c: Context<Env>, flow?: Pick<Flow, 'lang'>, asked = c.req.query('lang')) => (asked ? langOf(asked) : (flow?.lang ?? 'nl'));

  app.get(FRONT_PATHS.authorize, (c) => {
    grants.sweep(clock.nowMs());
    const q = new URL(c.req.url).searchParams;
    const lang = langOf(q.get('ui_locales') ?? q.get('lang'));
    // SPEC §2.1: correlation ids come as query parameters (2.0.x) or headers (2.1.0A); accept both.
    const traceId = q.get('X-Correlation-ID') ?? c.req.header('x-correlation-id') ?? undefined;

    let ocl;
    try {
      ocl = rt.lists.require('OAuthclientlist', traceId);
    } catch (e) {
      if (!(e instanceof ListUnusableError)) throw e;
      return page(c, lang, DVZA_PAGE.listsUnusable, nest('problem', e.said), { traceId });
    }
    // RFC 6749 §3.1: with two client_ids or redirect_uris it is unknown who asks or where the answer may go.
    const whoTwice = repeatedParameters(q, ['client_id', 'redirect_uri']);
    if (whoTwice) return page(c, lang, DVZA_PAGE.parameterRepeated, { parameters: whoTwice }, { traceId });
    const clientId = q.get('client_id');
    if (!clientId) return page(c, lang, DVZA_PAGE.clientIdMissing, {}, { traceId });
    const client = ocl.oauthclients.find((o) => o.hostname === clientId);
    if (!client) return page(c, lang, DVZA_PAGE.clientNotListed, { client: clientId }, { traceId, client: clientId });
    const redirectUri = q.get('redirect_uri') ?? '';
    // The problem as the page says it, in the person's language. The port too: another port on the client's
    // host may be another program than the client's web app.
    const redirectFault = redirectUriFault(redirectUri, clientId, rt.clientFrontchannelPort(clientId));
    if (redirectFault) return page(c, lang, DVZA_PAGE.redirectUri, nest('problem', redirectFault, lang), { traceId, client: clientId });

    // A state given twice has no exact value to echo (RFC 6749 §4.1.2.1): the refusal goes back without one.
    const twice = repeatedParameters(q, AUTHORIZATION_PARAMETERS);
    if (twice) {
      const state = q.getAll('state').length > 1 ? undefined : (q.get('state') ?? undefined);
      return errorToClient(c, { redirectUri, state, traceId, clientId, gegevensdiensten: [] }, DVZA_TO_CLIENT.parameterRepeated, { parameters: twice });
    }
    const state = q.get('state') ?? '';
    const scope = q.get('scope') ?? '';
    const base = { redirectUri, state, traceId, clientId, gegevensdiensten: [] as string[] };
    if (q.get('response_type') !== 'code') return errorToClient(c, base, DVZA_TO_CLIENT.responseType, {});
    const v2 = rt.topology.afsprakenstelsel === '2';
    let parsed: { ids: string[] } | { problem: string; said: Said };
    if (v2) {
      // 2.x: the scope names the zorgaanbieder only; the person chooses at the consent page among what the
      // OAuthclientlist lets this client use and this zorgaanbieder offers (SPEC §10.1, §10.4).
      const request = parseScopeFor('2', scope, participant.zorgaanbiedernaam, participant.gegevensdiensten);
      if ('problem' in request) return errorToClient(c, base, DVZA_TO_CLIENT.scope2, nest('problem', request.said));
      const allowed = client.gegevensdiensten ?? participant.gegevensdiensten;
      // Only what this DVZA has dossiers for (every gegevensdienst the sandbox generates data for, 49 and 50 too):
      // consenting to a gegevensdienst that returns nothing would teach the wrong thing.
      const withData = (id: string) => gegevensdienstContent(gegevensdienstOf(rt.topology, id)?.key) !== undefined;
      parsed = { ids: request.ids.filter((id) => allowed.includes(id) && withData(id)) };
      if (parsed.ids.length === 0) {
        return errorToClient(c, base, DVZA_TO_CLIENT.clientMayUseNone, {
          client: clientId,
          offered: participant.gegevensdiensten.join(', '),
          allowed: allowed.join(', '),
        });
      }
    } else {
      // The 1.x grammar; a 2.x-style scope is told which grammar this network speaks.
      const request = parseScopeFor('1.5', scope, participant.zorgaanbiedernaam, participant.gegevensdiensten);
      parsed = 'problem' in request ? request : { ids: request.ids };
    }
    if ('problem' in parsed) return errorToClient(c, base, DVZA_TO_CLIENT.scope, nest('problem', parsed.said));
    if (!state) return errorToClient(c, base, DVZA_TO_CLIENT.stateMissing, {});
    // PKCE is optional for a MedMij client; sent, it must be S256, and the code will need its verifier.
    const pkce = parsePkceChallenge(q);
    if (!pkce.ok) return errorToClient(c, { ...base, gegevensdiensten: parsed.ids }, DVZA_TO_CLIENT.pkce, nest('problem', pkce.said));
    let names: Map<string, string>;
    try {
      rt.lists.require('Zorgaanbiederslijst', traceId);
      names = new Map(rt.lists.require('Gegevensdienstnamenlijst', traceId).gegevensdiensten.map((g) => [g.gegevensdienstId, g.weergavenaam]));
    } catch (e) {
      if (!(e instanceof ListUnusableError)) throw e;
      return errorToClient(c, { ...base, gegevensdiensten: parsed.ids }, DVZA_TO_CLIENT.listsUnusable, nest('problem', e.said));
    }

    const flow: Flow = {
      // The flow's secrets from the CSPRNG, in every version: the flow id travels in URLs and the trace; the
      // cookie, known only to the browser that started the flow, is what proves it is that browser.
      id: secret(16),
      cookie: secret(32),
      clientId,
      organisatienaam: client.organisatienaam,
      redirectUri,
      state,
      gegevensdiensten: parsed.ids,
      traceId,
      lang,
      createdAt: clock.nowMs(),
      ...(pkce.pkce ? { pkce: pkce.pkce } : {}),
      tvs: { state: secret(16), nonce: secret(16) },
    };
    // Bounded too: the sweep goes by the sandbox clock, which may stand still.
    setBounded(grants.flows, flow.id, flow, MAX_OPEN_STATE);
    decision({ from: clientId, traceId, outcome: 'ok', ...because(DVZA_AUTHORIZE.accepted, { client: clientId, organisatie: client.organisatienaam, scope }) });
    setCookie(c, flowCookieName(flow.id), flow.cookie, { ...FLOW_COOKIE, maxAge: LIFETIMES.flowMs / 1000 });
    return c.html(
      landingPage({
        lang,
        zorgaanbieder: participant.name,
        pgo: client.organisatienaam,
        gegevensdiensten: parsed.ids.map((id) => names.get(id) ?? `gegevensdienst ${id}`),
        digidHref: `${FRONT_PATHS.digid}?flow=${flow.id}`,
        cancelHref: `${FRONT_PATHS.cancel}?flow=${flow.id}`,
        toggleHref: toggled(c.req.url, lang),
      }),
    );
  });

  app.get(FRONT_PATHS.cancel, (c) => {
    const found = findFlow(c, c.req.query('flow'));
    if ('response' in found) return found.response;
    found.flow.finished = true;
    return errorToClient(c, found.flow, DVZA_TO_CLIENT.cancelledAtLanding, {});
  });

  app.get(FRONT_PATHS.digid, (c) => {
    const found = findFlow(c, c.req.query('flow'));
    if ('response' in found) return found.response;
    const { flow } = found;
    decision({ from: 'browser', traceId: flow.traceId, outcome: 'ok', ...because(DVZA_AUTHORIZE.toDigid, { level: assuranceLevel(rt.minimumLevel)!.nl }) });
    return c.redirect(
      rt.tvs.authorizationUrl({ state: flow.tvs.state, nonce: flow.tvs.nonce, minimumLevel: rt.minimumLevel, traceId: flow.traceId, lang: flow.lang }),
      302,
    );
  });

  app.get(FRONT_PATHS.tvsCallback, async (c) => {
    grants.sweep(clock.nowMs());
    const query = new URL(c.req.url).searchParams;
    const flow = grants.flowByTvsState(query.get('state'));
    if (!flow || flow.finished || !hasFlowCookie(c, flow)) {
      // The toggle without the callback's code and state: a state that finds no flow shows this same page.
      const lang = requestLang(c, flow);
      const toggleHref = `${FRONT_PATHS.tvsCallback}?lang=${lang === 'nl' ? 'en' : 'nl'}`;
      return page(c, lang, DVZA_PAGE.tvsReturnWithoutFlow, {}, { shown: 'nl/en', toggleHref });
    }
    flow.finished = true;
    const login = await rt.tvs.completeLogin(query, { state: flow.tvs.state, nonce: flow.tvs.nonce, traceId: flow.traceId });
    if (!login.ok) {
      const refusal =
        login.outcome === 'cancelled'
          ? DVZA_TO_CLIENT.digidCancelled
          : login.outcome === 'tvs_unreachable'
            ? DVZA_TO_CLIENT.tvsUnreachable
            : DVZA_TO_CLIENT.digidFailed;
      // The TVS client's own reason when it has one; otherwise what the TVS said.
      return errorToClient(c, flow, refusal, { outcome: login.outcome, ...nest('description', login.said ?? login.description) });
    }
    const identity = login.identity;
    const required = assuranceLevel(rt.minimumLevel)!;
    if (identity.level.rank < required.rank) {
      return errorToClient(c, { ...flow, bsn: identity.bsn }, DVZA_TO_CLIENT.levelTooLow, { level: identity.level.nl, required: required.nl });
    }
    flow.identity = identity;

    const today = dutchDate(clock.now());
    const toets = beschikbaarheidstoets({
      patient: rt.patients.byBsn(identity.bsn),
      bsn: identity.bsn,
      dvzaId: participant.id,
      requested: flow.gegevensdiensten,
      today,
    });
    if (!toets.ok) {
      // SPEC §2.2: the PGO must not learn whether a treatment relation exists; the trace and the audit log say why.
      return errorToClient(c, { ...flow, bsn: identity.bsn }, toets.negative, toets.params);
    }
    flow.available = toets.available;
    decision({ from: 'browser', traceId: flow.traceId, outcome: 'ok', ...because(toets.positive) });
    return c.html(renderConsent(flow, flow.lang));
  });

  app.get(FRONT_PATHS.consent, (c) => {
    // Language toggle on the consent page re-renders it for the same flow.
    const flow = grants.flows.get(c.req.query('flow') ?? '');
    const lang = requestLang(c, flow);
    if (!flow?.identity || !flow.available || !hasFlowCookie(c, flow)) return page(c, lang, DVZA_PAGE.noConsentQuestion, {}, { shown: 'nl/en' });
    return c.html(renderConsent(flow, lang));
  });

  app.post(FRONT_PATHS.consent, async (c) => {
    // Another site's page may not answer the consent question for the person (CSRF): nothing of the flow changes.
    const crossSite = crossSiteSource(c);
    // Refused before the form is read; its toggle (a GET of the consent page) shows the flow's own question, untouched.
    if (crossSite)
      return page(c, requestLang(c, grants.flows.get(c.req.query('flow') ?? '')), DVZA_PAGE.crossSitePost, { source: crossSite }, { shown: 'nl/en' });
    // A flow older than its lifetime is gone: a consent page left open too long issues no code.
    grants.sweep(clock.nowMs());
    // all: a 2.x consent form sends one `gegevensdienst` per ticked box.
    const form = await c.req.parseBody({ all: true });
    const flowId = typeof form.flow === 'string' ? form.flow : undefined;
    const flow = flowId ? grants.flows.get(flowId) : undefined;
    if (!flow?.identity || !flow.available || !hasFlowCookie(c, flow) || flow.id !== flowId) {
      // The form's language: the consent page the person answered was in it.
      const lang = requestLang(c, flow, typeof form.lang === 'string' ? form.lang : c.req.query('lang'));
      return page(c, lang, DVZA_PAGE.noConsentQuestionHere, {}, { shown: 'nl/en' });
    }
    const v2 = rt.topology.afsprakenstelsel === '2';
    // 2.x: the person chose among the available gegevensdiensten; consent to none of them is no consent to give.
    const chosen = v2 ? flow.available.filter((id) => [form['gegevensdienst'] ?? []].flat().includes(id)) : flow.available;
    if (v2 && form.toestemming === 'ja' && chosen.length === 0) {
      return c.html(renderConsent(flow, flow.lang, { chooseOne: true }), 400);
    }
    grants.flows.delete(flow.id);
    deleteCookie(c, flowCookieName(flow.id), FLOW_COOKIE);
    const bsn = flow.identity.bsn;
    if (form.toestemming !== 'ja') {
      rt.audit.record({
        action: 'consent',
        outcome: 'refused',
        client: flow.clientId,
        bsn,
        gegevensdiensten: flow.available,
        reason: 'the person refused consent',
        traceId: flow.traceId,
      });
      return errorToClient(c, { ...flow, bsn }, DVZA_TO_CLIENT.consentRefused, {});
    }
    // Codes come from the CSPRNG; in 2.x they are also never issued twice (2.0.0: the DVZA keeps their hashes).
    const code = v2 ? rt.consents.issueSecret('code') : secret(24);
    const longLived = v2 && form.langdurig === 'ja';
    grants.codes.set(code, {
      code,
      clientId: flow.clientId,
      redirectUri: flow.redirectUri,
      bsn,
      gegevensdiensten: chosen,
      traceId: flow.traceId,
      expiresAt: clock.nowMs() + LIFETIMES.codeMs,
      tokens: [],
      ...(longLived ? { longLived } : {}),
      ...(flow.pkce ? { pkce: flow.pkce } : {}),
    });
    rt.audit.record({ action: 'consent', outcome: 'granted', client: flow.clientId, bsn, gegevensdiensten: chosen, traceId: flow.traceId });
    decision({
      from: 'browser',
      traceId: flow.traceId,
      outcome: 'ok',
      ...because(DVZA_AUTHORIZE.consentGiven, {
        gegevensdiensten: chosen.join(', '),
        ...(longLived ? { longLived: 'ja' } : {}),
        organisatie: flow.organisatienaam,
        minutes: LIFETIMES.codeMs / 60_000,
        client: flow.clientId,
      }),
    });
    return c.redirect(codeRedirect(flow.redirectUri, { code, state: flow.state, iss: rt.frontchannelUrl }), 302);
  });

  function renderConsent(flow: Flow, lang: Lang, o: { chooseOne?: boolean } = {}) {
    const names = new Map((rt.lists.current('Gegevensdienstnamenlijst')?.gegevensdiensten ?? []).map((g) => [g.gegevensdienstId, g.weergavenaam]));
    const patient = rt.patients.byBsn(flow.identity!.bsn);
    return consentPage({
      lang,
      zorgaanbieder: participant.name,
      pgo: flow.organisatienaam,
      patientName: patient?.name.display ?? `BSN ${flow.identity!.bsn}`,
      gegevensdiensten: flow.available!.map((id) => names.get(id) ?? `gegevensdienst ${id}`),
      // 2.x: a checkbox per gegevensdienst (the person chooses) and the long-lived option, not pre-selected.
      choose: rt.topology.afsprakenstelsel === '2' ? { ids: flow.available!, chooseOne: o.chooseOne ?? false } : undefined,
      flowId: flow.id,
      formAction: `${FRONT_PATHS.consent}?flow=${flow.id}`,
      toggleHref: `${FRONT_PATHS.consent}?flow=${flow.id}&lang=${lang === 'nl' ? 'en' : 'nl'}`,
    });
  }

  function findFlow(c: Context<Env>, id: string | undefined): { flow: Flow } | { response: Response | Promise<Response> } {
    grants.sweep(clock.nowMs());
    const flow = id ? grants.flows.get(id) : undefined;
    if (flow && !flow.finished && hasFlowCookie(c, flow)) return { flow };
    return {
      response: page(c, requestLang(c, flow), DVZA_PAGE.flowNotInProgress, {}, { shown: 'nl/en' }),
    };
  }

  return app;
}

/**
 * A cookie per flow, so two tabs with two authorizations do not overwrite each other. `__Host-`: only this host
 * can set it (the DVZAs under dvza.localhost are one site, so a sibling could otherwise plant one).
 */
function flowCookieName(id: string): string {
  return `__Host-dvza_flow_${id}`;
}
const FLOW_COOKIE = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const;
function secret(bytes: number): string {
  return secureRandomBytes(bytes).toString('hex');
}
function hasFlowCookie(c: Context<Env>, flow: Pick<Flow, 'id' | 'cookie'>): boolean {
  return sameSecret(getCookie(c, flowCookieName(flow.id)) ?? '', flow.cookie);
}

function toggled(url: string, lang: Lang): string {
  const u = new URL(url);
  u.searchParams.delete('ui_locales');
  u.searchParams.set('lang', lang === 'nl' ? 'en' : 'nl');
  return `${u.pathname}${u.search}`;
}
