/**
 * The PGO's front channel: the web UI (built by vite into dist/ui), its JSON API (json-api.ts, contract:
 * packages/pgo-api), the OAuth redirect_uri, and the live trace for the network inspector (inspector.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { OPERATOR_LOGIN_PATH, type Clock, type OperatorAccess, type RandomStream, type TraceBus } from '@medmij-sandbox/network';
import { setCookie } from 'hono/cookie';
import { contentSecurityPolicy, securityHeaders } from '@medmij-sandbox/transport';
import type { PgoLists } from './pgo-lists.js';
import { PGO_PATHS, collectionPage, type ScenarioInfo, type ScenarioRun } from '@medmij-sandbox/pgo-api';
import type { Accounts } from './accounts.js';
import type { Collector } from './collector.js';
import { createInspectorRoutes } from './inspector.js';
import { OPERATOR_COOKIE, OPERATOR_COOKIE_OPTIONS, createJsonApi, operatorRoleOf } from './json-api.js';
import { OPERATOR_EXCHANGE_PATH, OPERATOR_HOME, OPERATOR_LOGIN_SCRIPT, openedByThePerson, operatorLoginPage, operatorLoginScript } from './operator-login.js';

/** Operator sessions kept per role (the oldest of that role goes first): far more browsers than any workshop has. */
const MAX_OPERATOR_SESSIONS_PER_ROLE = 100;

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
  lists: PgoLists;
  bus: TraceBus;
  /** Session ids of users and operators: a SecretStream (the CSPRNG). */
  sessionIds: RandomStream;
  /** Who may read the trace and run scenarios (.sandbox/operator.json). */
  operator: OperatorAccess;
  /** Show the demo accounts, their passwords and TOTP codes on the login page (topology pgo.demoAccounts). */
  demoAccounts: boolean;
  uiDir: string;
  version: string;
}

/**
 * The web UI's Content-Security-Policy: the vite bundle and its stylesheet from this origin only, no inline script
 * or style (styleProps sets styles through the CSSOM), the API and the trace stream on this origin, no framing.
 */
export const PGO_CSP = contentSecurityPolicy({
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
});

/** The UI's static files, served with their own caching (app.get('*') below); everything else is no-store. */
export const isStaticUiPath = (path: string) => path === '/' || path === '/index.html' || path.startsWith('/assets/');

export function createPgoApp(o: PgoAppOptions): Hono {
  /** session id → username. In memory: a restart logs everyone out; collections stay on disk. */
  const sessions = new Map<string, string>();
  /**
   * operator session id → the token it was opened with. In memory: after a restart the login link is opened again.
   * The role is looked up afresh on every request, so new tokens (a reset .sandbox) end the old sessions at once.
   */
  const operatorSessions = new Map<string, string>();
  const { api, userOf, fail, operatorRefusal, sameOriginPosts } = createJsonApi(o, sessions, operatorSessions);
  const app = new Hono();
  // First, so every answer has them: the API's JSON and the OAuth callback are never stored, the UI's files keep their caching.
  app.use(securityHeaders({ contentSecurityPolicy: PGO_CSP, noStore: (path) => !isStaticUiPath(path) }));
  app.use('/api/*', sameOriginPosts);
  // The token of the login link, exchanged for the operator cookie (JSON from this origin only: sameOriginPosts).
  app.post(OPERATOR_EXCHANGE_PATH, async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { token?: unknown; confirm?: unknown } | undefined;
    const token = typeof body?.token === 'string' ? body.token : undefined;
    const role = o.operator.roleOf(token);
    if (!role)
      return fail(c, 401, 'operator_required', {
        nl: 'Deze operator-link klopt niet (meer): neem de link die npm start nu toont (npm run sandbox -- operator).',
        en: 'This operator link is wrong (or old): take the link npm start prints now (npm run sandbox -- operator).',
      });
    // A link of another role than this browser's session (someone sent a trainer a viewer's link): asked, never quietly.
    const current = operatorRoleOf(o, operatorSessions, c);
    if (current && current !== role && body?.confirm !== true)
      return fail(c, 409, 'role_change', {
        nl: `Je bent al ingelogd als ${current === 'trainer' ? 'trainer' : 'kijker'}. Deze link maakt je ${role === 'trainer' ? 'trainer' : 'kijker'}: doe dat alleen als je deze link zelf wilde openen.`,
        en: `You are logged in as ${current} already. This link makes you ${role}: go on only if you meant to open this link yourself.`,
      });
    // A cap per role, so a script posting in a loop cannot grow the map without end, nor push the trainer out.
    const sameRole = [...operatorSessions].filter(([, t]) => o.operator.roleOf(t) === role);
    if (sameRole.length >= MAX_OPERATOR_SESSIONS_PER_ROLE) operatorSessions.delete(sameRole[0]![0]);
    const id = o.sessionIds.hex(24);
    operatorSessions.set(id, token!);
    setCookie(c, OPERATOR_COOKIE, id, OPERATOR_COOKIE_OPTIONS);
    return c.json({ role, next: OPERATOR_HOME[role] }, 200);
  });
  app.route('/', api);

  // The operator's login link (operator-login.ts): a page whose script posts the token from the link's fragment.
  app.get(OPERATOR_LOGIN_PATH, (c) => c.html(operatorLoginPage(openedByThePerson(c))));
  app.get(OPERATOR_LOGIN_SCRIPT, (c) => c.body(operatorLoginScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }));

  // The redirect_uri: the DVZA sends the browser here with a code (or an error) and the state.
  app.get(PGO_PATHS.callback, async (c) => {
    const username = userOf(c);
    if (!username) return c.redirect('/#/?reason=login_required', 302);
    const collection = await o.collector.callback(username, new URL(c.req.url).searchParams);
    return c.redirect(collectionPage(collection.id), 302);
  });

  app.route(
    '/',
    createInspectorRoutes(o, fail, (c) => operatorRefusal(c, 'viewer')),
  );
  app.all('/api/*', (c) => fail(c, 404, 'not_found', { nl: `Onbekend: ${c.req.path}`, en: `Unknown: ${c.req.path}` }));

  // ---- the web UI (built by vite into dist/ui) ------------------------------------------------------
  let assets: MiddlewareHandler | undefined;
  app.get('*', async (c, next) => {
    // Made on the first request: the UI is built just before the PGO starts (ensureUiBuilt).
    assets ??= serveStatic({
      root: o.uiDir,
      // By the request's path, not the file's: a checkout under a folder named assets must not make index.html immutable.
      onFound: (_path, found) => {
        found.header('cache-control', found.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    return assets(c, next);
  });
  app.get('*', (c) => {
    if (!existsSync(join(o.uiDir, 'index.html'))) {
      return c.text('The PGO web UI is not built: run npm start (it builds apps/pgo/ui), or: npm run build -w @medmij-sandbox/pgo', 503);
    }
    return c.text('not found', 404);
  });

  return app;
}
