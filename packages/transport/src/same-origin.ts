/**
 * Cross-site request forgery: a state-changing request (a login, a consent, a form) that another site's page made
 * the browser send. Every participant with a front channel refuses it the same way, by what the browser says:
 *
 * - `Sec-Fetch-Site` (Fetch Metadata): `cross-site`, and `same-site` too (another origin of the same site — the
 *   DVZAs under dvza.localhost are one site — is still another participant), is refused; `same-origin` and
 *   `none` (typed, a bookmark) are fine;
 * - `Origin`: another origin is refused. `Origin: null` proves nothing either way — browsers send it on every
 *   POST from a page with `Referrer-Policy: no-referrer`, which the sandbox's pages have — so then Sec-Fetch-Site decides.
 *
 * A request with neither header comes from no browser (curl, a test, a PGO's back channel): no browser to forge.
 */
import type { Context } from 'hono';

/** The other site a POST came from (`https://evil.localhost`, or `cross-site`), or undefined when it is fine. */
export function crossSiteSource(c: Context): string | undefined {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return undefined;
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  if (site === 'cross-site' || site === 'same-site') return origin && origin !== 'null' ? origin : site;
  if (origin === undefined || origin === 'null') return undefined;
  return origin === `https://${c.req.header('host') ?? ''}` ? undefined : origin;
}
