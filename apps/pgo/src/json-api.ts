/**
 * The PGO's JSON API (contract: packages/pgo-api), as chained hono routes so their answers are typed and
 * checked against the contract (api-contract.ts). The session is a cookie (HttpOnly, Secure, SameSite=Lax)
 * holding an id that only this process knows.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
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
  const fail = <S extends 400 | 401 | 404 | 409 | 503>(c: Context, status: S, error: string, message: Bilingual) =>
    c.json({ error, message } satisfies ApiError, status);
  const needLogin = (c: Context) => fail(c, 401, 'login_required', { nl: 'Log eerst in.', en: 'Log in first.' });
  const notFound = (c: Context) => fail(c, 404, 'not_found', { nl: 'Deze ophaalactie bestaat niet.', en: 'No such collection.' });
  const unavailable = (c: Context) =>
    fail(c, 404, 'scenarios_unavailable', {
      nl: "Scenario's draaien kan alleen als de PGO in de sandbox draait: start de sandbox met npm start.",
      en: 'Scenarios run only when the PGO runs inside the sandbox: start it with npm start.',
    });

  const api = new Hono()
    .get('/api/session', (c) => {
      const username = userOf(c);
      const account = o.accounts.all.find((a) => a.username === username);
      return c.json(
        {
          loggedIn: account !== undefined,
          ...(account ? { user: { username: account.username, displayName: account.displayName } } : {}),
          demoAccounts: o.accounts.all.map((a) => ({ username: a.username, password: a.password, displayName: a.displayName })),
          demoTotp: Object.fromEntries(o.accounts.all.map((a) => [a.username, o.accounts.currentCode(a)])),
        } satisfies SessionInfo,
        200,
      );
    })
    .post('/api/login', async (c) => {
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
      sessions.set(id, result.account.username);
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
          lists: o.lists
            .states()
            .map((s) => ({ kind: s.kind, status: s.status, volgnummer: s.volgnummer, tijdstempel: s.tijdstempel, lastDecision: s.lastDecision })),
        } satisfies ListsInfo,
        200,
      ),
    )
    .get('/api/zorgaanbieders', async (c) => {
      if (!userOf(c)) return needLogin(c);
      await o.lists.refresh(['Zorgaanbiederslijst', 'Gegevensdienstnamenlijst']);
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
    })
    .get('/api/trace', (c) => {
      const since = Number(c.req.query('since') ?? '0');
      return c.json({ events: o.bus.events().filter((e) => e.seq > since) }, 200);
    })
    // ---- scenarios (trainers) ----------------------------------------------------------------------
    .get('/api/scenarios', (c) => (o.scenarios ? c.json({ scenarios: o.scenarios.list() }, 200) : unavailable(c)))
    .post('/api/scenarios/:name/run', async (c) => {
      if (!o.scenarios) return unavailable(c);
      if (!userOf(c)) return needLogin(c);
      const run = await o.scenarios.run(c.req.param('name'));
      return run ? c.json(run, 200) : fail(c, 404, 'not_found', { nl: `Geen scenario '${c.req.param('name')}'.`, en: `No scenario '${c.req.param('name')}'.` });
    })
    .post('/api/sandbox/reset', async (c) => {
      if (!o.scenarios) return unavailable(c);
      if (!userOf(c)) return needLogin(c);
      return c.json({ done: await o.scenarios.reset() }, 200);
    });

  return { api, userOf, fail };
}

export type PgoJsonApi = ReturnType<typeof createJsonApi>['api'];
