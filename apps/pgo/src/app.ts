/**
 * The PGO's front channel: the web UI (built by vite into dist/ui), its JSON API (contract: api.ts), the
 * OAuth redirect_uri, and the live trace for the network inspector.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { toHar, toMermaid, type Clock, type RandomStream, type TraceBus, type TraceEvent } from '@medmij-sandbox/network';
import type { ListConsumer } from '@medmij-sandbox/lists';
import type { Accounts } from './accounts.js';
import type { ApiError, Bilingual, CollectRequest, ListsInfo, LoginRequest, ScenarioInfo, ScenarioRun, SessionInfo } from './api.js';
import type { Collector } from './collector.js';

export const CALLBACK_PATH = '/oauth/callback';

/**
 * Scenario runs and resets for trainers. The PGO only exposes them: the sandbox's composition root
 * (`npm start`) provides the implementation, so no participant starts networks or changes the PKI itself.
 */
export interface ScenarioService {
  list(): ScenarioInfo[];
  run(name: string): Promise<ScenarioRun | undefined>;
  reset(): Promise<string[]>;
}

export interface PgoAppOptions {
  clock: Clock;
  scenarios?: ScenarioService;
  accounts: Accounts;
  collector: Collector;
  lists: ListConsumer;
  bus: TraceBus;
  sessionIds: RandomStream;
  uiDir: string;
  version: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function createPgoApp(o: PgoAppOptions): Hono {
  const app = new Hono();
  /** session id → username. In memory: a restart logs everyone out; collections stay on disk. */
  const sessions = new Map<string, string>();

  const userOf = (c: Context) => {
    const id = /(?:^|;\s*)pgo_session=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
    return id ? sessions.get(id) : undefined;
  };
  const fail = (c: Context, status: 400 | 401 | 404 | 409 | 503, error: string, message: Bilingual) => c.json({ error, message } satisfies ApiError, status);
  const needLogin = (c: Context) => fail(c, 401, 'login_required', { nl: 'Log eerst in.', en: 'Log in first.' });

  app.get('/api/session', (c) => {
    const username = userOf(c);
    const account = o.accounts.all.find((a) => a.username === username);
    return c.json({
      loggedIn: account !== undefined,
      ...(account ? { user: { username: account.username, displayName: account.displayName } } : {}),
      demoAccounts: o.accounts.all.map((a) => ({ username: a.username, password: a.password, displayName: a.displayName })),
      demoTotp: Object.fromEntries(o.accounts.all.map((a) => [a.username, o.accounts.currentCode(a)])),
    } satisfies SessionInfo);
  });

  app.post('/api/login', async (c) => {
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
    c.header('set-cookie', `pgo_session=${id}; Path=/; Secure; HttpOnly; SameSite=Lax`);
    return c.json({
      loggedIn: true,
      user: { username: result.account.username, displayName: result.account.displayName },
      demoAccounts: [],
      demoTotp: {},
    } satisfies SessionInfo);
  });

  app.post('/api/logout', (c) => {
    const id = /(?:^|;\s*)pgo_session=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
    if (id) sessions.delete(id);
    c.header('set-cookie', 'pgo_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0');
    return c.body(null, 204);
  });

  app.get('/api/lists', (c) =>
    c.json({
      now: o.clock.now().toISOString(),
      lists: o.lists
        .states()
        .map((s) => ({ kind: s.kind, status: s.status, volgnummer: s.volgnummer, tijdstempel: s.tijdstempel, lastDecision: s.lastDecision })),
    } satisfies ListsInfo),
  );

  app.get('/api/zorgaanbieders', async (c) => {
    if (!userOf(c)) return needLogin(c);
    await o.lists.refresh(['Zorgaanbiederslijst', 'Gegevensdienstnamenlijst']);
    return c.json({ zorgaanbieders: o.collector.zorgaanbieders(c.req.query('q') ?? '') });
  });

  app.post('/api/collect', async (c) => {
    const username = userOf(c);
    if (!username) return needLogin(c);
    const body = (await c.req.json().catch(() => ({}))) as Partial<CollectRequest>;
    if (!body.zorgaanbiedernaam || !body.gegevensdienstId) {
      return fail(c, 400, 'invalid_request', { nl: 'Kies een zorgaanbieder en een gegevensdienst.', en: 'Choose a care provider and a gegevensdienst.' });
    }
    const started = await o.collector.start(username, body.zorgaanbiedernaam, body.gegevensdienstId);
    if ('refusal' in started)
      return c.json({ error: started.refusal.code, message: started.refusal.title, refusal: started.refusal, collectionId: started.collection.id }, 409);
    return c.json({ authorizeUrl: started.authorizeUrl, traceId: started.collection.traceId, collectionId: started.collection.id });
  });

  app.get('/api/collections', (c) => {
    const username = userOf(c);
    if (!username) return needLogin(c);
    return c.json({ collections: o.collector.list(username) });
  });

  app.get('/api/collections/:id', (c) => {
    const username = userOf(c);
    if (!username) return needLogin(c);
    const collection = o.collector.load(username, c.req.param('id'));
    return collection ? c.json(collection) : fail(c, 404, 'not_found', { nl: 'Deze ophaalactie bestaat niet.', en: 'No such collection.' });
  });

  app.post('/api/collections/:id/refresh', async (c) => {
    const username = userOf(c);
    if (!username) return needLogin(c);
    const collection = await o.collector.collectAgain(username, c.req.param('id'));
    return collection ? c.json(collection) : fail(c, 404, 'not_found', { nl: 'Deze ophaalactie bestaat niet.', en: 'No such collection.' });
  });

  // The redirect_uri: the DVZA sends the browser here with a code (or an error) and the state.
  app.get(CALLBACK_PATH, async (c) => {
    const username = userOf(c);
    if (!username) return c.redirect('/#/?reason=login_required', 302);
    const collection = await o.collector.callback(username, new URL(c.req.url).searchParams);
    return c.redirect(`/#/collection/${collection.id}`, 302);
  });

  // ---- the inspector ------------------------------------------------------------------------------
  const eventsOf = (traceId: string | undefined) => o.bus.events().filter((e) => !traceId || e.traceId === traceId);

  app.get('/api/trace', (c) => {
    const since = Number(c.req.query('since') ?? '0');
    return c.json({ events: o.bus.events().filter((e) => e.seq > since) });
  });

  app.get('/api/trace/stream', (c) =>
    streamSSE(c, async (stream) => {
      const queue: TraceEvent[] = [...o.bus.events()];
      let wake: (() => void) | undefined;
      const unsubscribe = o.bus.subscribe((e) => {
        queue.push(e);
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      while (open) {
        while (queue.length) {
          const e = queue.shift()!;
          await stream.writeSSE({ event: 'trace', id: String(e.seq), data: JSON.stringify(e) });
        }
        if (!open) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    }),
  );

  app.get('/api/trace/export', (c) => {
    const traceId = c.req.query('traceId') || undefined;
    const events = eventsOf(traceId);
    const name = `medmij-sandbox-${traceId ?? 'all'}`;
    switch (c.req.query('format') ?? 'json') {
      case 'mermaid':
        return c.body(toMermaid(events, traceId ? `X-Correlation-ID ${traceId}` : 'MedMij Sandbox'), 200, {
          'content-type': 'text/plain; charset=utf-8',
          'content-disposition': `attachment; filename="${name}.mmd"`,
        });
      case 'har':
        return c.body(JSON.stringify(toHar(events, o.version), null, 2), 200, {
          'content-type': 'application/json',
          'content-disposition': `attachment; filename="${name}.har"`,
        });
      case 'json':
        return c.body(JSON.stringify(events, null, 2), 200, {
          'content-type': 'application/json',
          'content-disposition': `attachment; filename="${name}.json"`,
        });
      default:
        return fail(c, 400, 'invalid_request', { nl: 'Formaat: mermaid, har of json.', en: 'Format: mermaid, har or json.' });
    }
  });

  // ---- scenarios (trainers) ------------------------------------------------------------------------
  const unavailable = (c: Context) =>
    fail(c, 404, 'scenarios_unavailable', {
      nl: "Scenario's draaien kan alleen als de PGO in de sandbox draait: start de sandbox met npm start.",
      en: 'Scenarios run only when the PGO runs inside the sandbox: start it with npm start.',
    });
  app.get('/api/scenarios', (c) => (o.scenarios ? c.json({ scenarios: o.scenarios.list() }) : unavailable(c)));
  app.post('/api/scenarios/:name/run', async (c) => {
    if (!o.scenarios) return unavailable(c);
    if (!userOf(c)) return needLogin(c);
    const run = await o.scenarios.run(c.req.param('name'));
    return run ? c.json(run) : fail(c, 404, 'not_found', { nl: `Geen scenario '${c.req.param('name')}'.`, en: `No scenario '${c.req.param('name')}'.` });
  });
  app.post('/api/sandbox/reset', async (c) => {
    if (!o.scenarios) return unavailable(c);
    if (!userOf(c)) return needLogin(c);
    return c.json({ done: await o.scenarios.reset() });
  });

  app.all('/api/*', (c) => fail(c, 404, 'not_found', { nl: `Onbekend: ${c.req.path}`, en: `Unknown: ${c.req.path}` }));

  // ---- the web UI ---------------------------------------------------------------------------------
  app.get('*', (c) => {
    const wanted = c.req.path === '/' ? '/index.html' : c.req.path;
    const file = normalize(join(o.uiDir, wanted));
    if (!file.startsWith(o.uiDir) || !existsSync(file) || !statSync(file).isFile()) {
      if (!existsSync(join(o.uiDir, 'index.html')))
        return c.text('The PGO web UI is not built: run npm start (it builds apps/pgo/ui), or: npm run build -w @medmij-sandbox/pgo', 503);
      return c.text('not found', 404);
    }
    return c.body(readFileSync(file), 200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': wanted.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });

  return app;
}
