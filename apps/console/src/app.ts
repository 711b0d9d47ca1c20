/**
 * The console's front channel: its web UI (built by vite into dist/ui), its JSON API (json-api.ts, contract:
 * packages/console-api), the trace's stream and exports (trace-routes.ts) and the operator's login page
 * (operator-login.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { OPERATOR_LOGIN_PATH, type OperatorAccess, type RandomStream, type TraceBus } from '@medmij-sandbox/network';
import { contentSecurityPolicy, securityHeaders } from '@medmij-sandbox/transport';
import type { ScenarioService } from '@medmij-sandbox/console-api';
import { createJsonApi } from './json-api.js';
import { OPERATOR_LOGIN_SCRIPT, openedByThePerson, operatorLoginPage, operatorLoginScript } from './operator-login.js';
import { createTraceRoutes } from './trace-routes.js';

export interface ConsoleAppOptions {
  bus: TraceBus;
  /** Scenario runs and resets, when the sandbox's composition root provides them (`npm start`, `sandbox run console`). */
  scenarios?: ScenarioService;
  /** Who may read the trace (viewer) and run scenarios or resets (trainer): .sandbox/operator.json. */
  operator: OperatorAccess;
  /** Operator session ids: a SecretStream (the CSPRNG). */
  sessionIds: RandomStream;
  /** The network's PGOs, linked from the console's header. */
  pgos: Array<{ name: string; url: string }>;
  uiDir: string;
  version: string;
}

/**
 * The UI's Content-Security-Policy: the vite bundle and its stylesheet from this origin only, no inline script or
 * style (styleProps sets styles through the CSSOM), the API and the trace stream on this origin, no framing.
 */
export const CONSOLE_CSP = contentSecurityPolicy({
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
});

/** The UI's static files, served with their own caching; everything else is no-store. */
export const isStaticUiPath = (path: string) => path === '/' || path === '/index.html' || path.startsWith('/assets/');

export function createConsoleApp(o: ConsoleAppOptions): Hono {
  const operatorSessions = new Map<string, string>();
  const { api, fail, operatorRefusal, sameOriginPosts } = createJsonApi(o, operatorSessions);
  const app = new Hono();
  // First, so every answer has them: the API's JSON and the trace are never stored, the UI's files keep their caching.
  app.use(securityHeaders({ contentSecurityPolicy: CONSOLE_CSP, noStore: (path) => !isStaticUiPath(path) }));
  app.use('/api/*', sameOriginPosts);
  app.route('/', api);
  app.route(
    '/',
    createTraceRoutes(o, fail, (c) => operatorRefusal(c, 'viewer')),
  );
  app.all('/api/*', (c) => fail(c, 404, 'not_found', { nl: `Onbekend: ${c.req.path}`, en: `Unknown: ${c.req.path}` }));

  // The operator's login link (operator-login.ts): a page whose script posts the token from the link's fragment.
  app.get(OPERATOR_LOGIN_PATH, (c) => c.html(operatorLoginPage(openedByThePerson(c))));
  app.get(OPERATOR_LOGIN_SCRIPT, (c) => c.body(operatorLoginScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }));

  // ---- the web UI (built by vite into dist/ui: `npm start` runs the build first) ------------------------------
  const assets: MiddlewareHandler = serveStatic({
    root: o.uiDir,
    // By the request's path, not the file's: a checkout under a folder named assets must not make index.html immutable.
    onFound: (_path, found) => {
      found.header('cache-control', found.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('*', assets);
  app.get('*', (c) => {
    if (!existsSync(join(o.uiDir, 'index.html')))
      return c.text('The console web UI is not built: run npm start (it runs the build first), or: npm run build -w @medmij-sandbox/console', 503);
    return c.text('not found', 404);
  });
  return app;
}
