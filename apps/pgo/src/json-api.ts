/**
 * The PGO's JSON API (contract: packages/pgo-api), as chained hono routes so their answers are typed and
 * checked against the contract (api-contract.ts). The session is a cookie (HttpOnly, Secure, SameSite=Lax)
 * holding an id that only this process knows.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { MAX_OPEN_STATE, setBounded } from '@medmij-sandbox/network';
import { crossSiteSource } from '@medmij-sandbox/transport';
import type { ApiError, Bilingual, CollectRequest, ListsInfo, LoginRequest, SessionInfo } from '@medmij-sandbox/pgo-api';
import type { PgoAppOptions } from './app.js';

const SESSION_COOKIE = 'pgo_session';
const COOKIE_OPTIONS = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const;
/** Who is logged in on this request's session cookie. */
export type SessionLookup = (c: Context) => string | undefined;

export function createJsonApi(o: PgoAppOptions, sessions: Map<string, string>) {
  const userOf: SessionLookup = (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    return id ? sessions.get(id) : undefined;
  };
  const fail = <S extends 400 | 401 | 403 | 404 | 409 | 415>(c: Context, status: S, error: string, message: Bilingual) =>
    c.json({ error, message } satisfies ApiError, status);
  const needLogin = (c: Context) => fail(c, 401, 'login_required', { nl: 'Log eerst in.', en: 'Log in first.' });
  const notFound = (c: Context) => fail(c, 404, 'not_found', { nl: 'Deze ophaalactie bestaat niet.', en: 'No such collection.' });
  // Login CSRF and its kin: a state-changing request from another site's page is refused (transport's
  // crossSiteSource: Sec-Fetch-Site and Origin; a client with neither is no browser to forge).
  const sameOriginPosts: MiddlewareHandler = async (c, next) => {
    const source = crossSiteSource(c);
    if (source !== undefined)
      return fail(c, 403, 'cross_origin', {
        nl: `Geweigerd: dit verzoek komt van een andere site (${source}), niet van de PGO zelf.`,
        en: `Refused: this request comes from another site (${source}), not from the PGO itself.`,
      });
    // A body only as JSON: an HTML form of another site (text/plain, form-encoded) can post without a preflight,
    // and a browser without Fetch Metadata that sends `Origin: null` would otherwise get it through.
    const hasBody = Number(c.req.header('content-length') ?? '0') > 0 || c.req.header('transfer-encoding') !== undefined;
    if (c.req.method === 'POST' && hasBody && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
      return fail(c, 415, 'invalid_request', {
        nl: 'De PGO-API neemt alleen JSON aan (Content-Type: application/json).',
        en: 'The PGO API takes JSON only (Content-Type: application/json).',
      });
    return next();
  };

  const api = new Hono()
    .get('/api/session', (c) => {
      const username = userOf(c);
      const account = o.accounts.all.find((a) => a.username === username);
      // On a shared machine (topology pgo.demoAccounts: false) the login page shows no passwords or codes.
      const demo = o.demoAccounts ? o.accounts.all : [];
      return c.json(
        {
          loggedIn: account !== undefined,
          ...(account ? { user: { username: account.username, displayName: account.displayName } } : {}),
          demoAccounts: demo.map((a) => ({ username: a.username, password: a.password, displayName: a.displayName })),
          demoTotp: Object.fromEntries(demo.map((a) => [a.username, o.accounts.currentCode(a)])),
          ...(o.consoleUrl ? { consoleUrl: o.consoleUrl } : {}),
        } satisfies SessionInfo,
        200,
      );
    })
    .post('/api/login', async (c) => {
      // JSON only: a cross-site HTML form can post form-encoded or text/plain without a CORS preflight, not JSON.
      if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
        return fail(c, 415, 'invalid_request', {
          nl: 'Inloggen kan alleen met Content-Type: application/json.',
          en: 'Log in with Content-Type: application/json only.',
        });
      const body = (await c.req.json().catch(() => ({}))) as Partial<LoginRequest>;
      const result = o.accounts.check(String(body.username ?? ''), String(body.password ?? ''), String(body.totp ?? ''));
      if ('error' in result) {
        return fail(
          c,
          401,
          result.error,
          result.error === 'invalid_totp'
            ? { nl: 'De code uit je authenticator-app klopt niet (of is verlopen).', en: 'The code from your authenticator app is wrong (or expired).' }
            : { nl: 'Gebruikersnaam of wachtwoord klopt niet.', en: 'Username or password is wrong.' },
        );
      }
      const id = o.sessionIds.hex(24);
      // Bounded: sessions live until a restart, and logins in a loop must not grow the map without end.
      setBounded(sessions, id, result.account.username, MAX_OPEN_STATE);
      setCookie(c, SESSION_COOKIE, id, COOKIE_OPTIONS);
      return c.json(
        {
          loggedIn: true,
          user: { username: result.account.username, displayName: result.account.displayName },
          demoAccounts: [],
          demoTotp: {},
        } satisfies SessionInfo,
        200,
      );
    })
    .post('/api/logout', (c) => {
      const id = getCookie(c, SESSION_COOKIE);
      if (id) sessions.delete(id);
      deleteCookie(c, SESSION_COOKIE, COOKIE_OPTIONS);
      return c.body(null, 204);
    })
    .get('/api/lists', (c) =>
      c.json(
        {
          now: o.clock.now().toISOString(),
          lists: o.lists.states().map((s) => ({
            kind: s.kind,
            status: s.status,
            volgnummer: s.volgnummer,
            tijdstempel: s.tijdstempel,
            ...(s.lastDecision ? { lastDecision: { nl: s.lastDecisionNl ?? s.lastDecision, en: s.lastDecision } } : {}),
          })),
        } satisfies ListsInfo,
        200,
      ),
    )
    .get('/api/zorgaanbieders', async (c) => {
      if (!userOf(c)) return needLogin(c);
      // The lists the PGO holds: the stelselnode says when one changed (no fetch per search, issue 16).
      return c.json({ zorgaanbieders: o.collector.zorgaanbieders(c.req.query('q') ?? '') }, 200);
    })
    .post('/api/collect', async (c) => {
      const username = userOf(c);
      if (!username) return needLogin(c);
      const body = (await c.req.json().catch(() => ({}))) as Partial<CollectRequest>;
      if (!body.zorgaanbiedernaam || !body.gegevensdienstId) {
        return fail(c, 400, 'invalid_request', { nl: 'Kies een zorgaanbieder en een gegevensdienst.', en: 'Choose a care provider and a gegevensdienst.' });
      }
      const started = await o.collector.start(username, body.zorgaanbiedernaam, body.gegevensdienstId);
      if ('refusal' in started) {
        return c.json({ error: started.refusal.code, message: started.refusal.title, refusal: started.refusal, collectionId: started.collection.id }, 409);
      }
      return c.json({ authorizeUrl: started.authorizeUrl, traceId: started.collection.traceId, collectionId: started.collection.id }, 200);
    })
    .get('/api/collections', (c) => {
      const username = userOf(c);
      if (!username) return needLogin(c);
      return c.json({ collections: o.collector.list(username) }, 200);
    })
    .get('/api/collections/:id', (c) => {
      const username = userOf(c);
      if (!username) return needLogin(c);
      const collection = o.collector.load(username, c.req.param('id'));
      return collection ? c.json(collection, 200) : notFound(c);
    })
    .post('/api/collections/:id/refresh', async (c) => {
      const username = userOf(c);
      if (!username) return needLogin(c);
      const collection = await o.collector.collectAgain(username, c.req.param('id'));
      return collection ? c.json(collection, 200) : notFound(c);
    })
    .post('/api/collections/:id/withdraw', async (c) => {
      const username = userOf(c);
      if (!username) return needLogin(c);
      const outcome = await o.collector.withdrawConsent(username, c.req.param('id'));
      if (!outcome) return notFound(c);
      if ('nothing' in outcome)
        return fail(c, 409, 'no_long_lived_consent', {
          nl: 'Voor deze ophaalactie is geen langdurige toestemming actief: er is niets in te trekken.',
          en: 'This collection has no active long-lived consent: there is nothing to withdraw.',
        });
      return c.json(outcome.collection, 200);
    });

  return { api, userOf, fail, sameOriginPosts };
}

export type PgoJsonApi = ReturnType<typeof createJsonApi>['api'];
