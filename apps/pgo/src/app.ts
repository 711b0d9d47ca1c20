/**
 * The PGO's front channel: the web UI (built by vite into dist/ui), its JSON API (json-api.ts, contract:
 * packages/pgo-api) and the OAuth redirect_uri. Only what a real PGO has: the network's trace, scenarios and
 * resets are the sandbox console's (apps/console).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Clock, RandomStream } from '@medmij-sandbox/network';
import { contentSecurityPolicy, securityHeaders } from '@medmij-sandbox/transport';
import type { PgoLists } from './pgo-lists.js';
import { PGO_PATHS, collectionPage } from '@medmij-sandbox/pgo-api';
import type { Accounts } from './accounts.js';
import type { Collector } from './collector.js';
import { createJsonApi } from './json-api.js';

export interface PgoAppOptions {
  clock: Clock;
  accounts: Accounts;
  collector: Collector;
  lists: PgoLists;
  /** Session ids: a SecretStream (the CSPRNG). */
  sessionIds: RandomStream;
  /** Sandbox only: where the network's console runs, for the UI's links to a flow's hops. */
  consoleUrl?: string;
  /** Show the demo accounts, their passwords and TOTP codes on the login page (topology pgo.demoAccounts). */
  demoAccounts: boolean;
  uiDir: string;
}

/**
 * The web UI's Content-Security-Policy: the vite bundle and its stylesheet from this origin only, no inline script
 * or style (styleProps sets styles through the CSSOM), the API on this origin, no framing.
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
  const { api, userOf, fail, sameOriginPosts } = createJsonApi(o, sessions);
  const app = new Hono();
  // First, so every answer has them: the API's JSON and the OAuth callback are never stored, the UI's files keep their caching.
  app.use(securityHeaders({ contentSecurityPolicy: PGO_CSP, noStore: (path) => !isStaticUiPath(path) }));
  app.use('/api/*', sameOriginPosts);
  app.route('/', api);

  // The redirect_uri: the DVZA sends the browser here with a code (or an error) and the state.
  app.get(PGO_PATHS.callback, async (c) => {
    const username = userOf(c);
    if (!username) return c.redirect('/#/?reason=login_required', 302);
    const collection = await o.collector.callback(username, new URL(c.req.url).searchParams);
    return c.redirect(collectionPage(collection.id), 302);
  });

  app.all('/api/*', (c) => fail(c, 404, 'not_found', { nl: `Onbekend: ${c.req.path}`, en: `Unknown: ${c.req.path}` }));

  // ---- the web UI (built by vite into dist/ui: `npm start` runs the build first) -------------------------------
  const assets: MiddlewareHandler = serveStatic({
    root: o.uiDir,
    // By the request's path, not the file's: a checkout under a folder named assets must not make index.html immutable.
    onFound: (_path, found) => {
      found.header('cache-control', found.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('*', assets);
  app.get('*', (c) => {
    if (!existsSync(join(o.uiDir, 'index.html'))) {
      return c.text('The PGO web UI is not built: run npm start (it runs the build first), or: npm run build -w @medmij-sandbox/pgo', 503);
    }
    return c.text('not found', 404);
  });

  return app;
}
