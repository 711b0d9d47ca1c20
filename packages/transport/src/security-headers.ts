/**
 * The HTTP security headers every participant sends on every answer, pages and APIs alike: one middleware,
 * mounted first in each participant's app, so no route (not even a 404 or an error answer) goes without.
 *
 *   Content-Security-Policy     what a page may load, and `frame-ancestors 'none'`: no other site can frame it
 *                               (clickjacking a consent or login page). No `form-action`: Chromium applies it to
 *                               the redirect after a form post too, and OAuth redirects to another origin.
 *   X-Content-Type-Options      nosniff: a JSON or text answer is never run as a script or page
 *   X-Frame-Options             DENY, for browsers that know no frame-ancestors
 *   Referrer-Policy             no-referrer: a URL with an OAuth code or state never leaks in a Referer
 *   Strict-Transport-Security   max-age=86400, HTTPS only. One day, and no includeSubDomains or preload: a browser
 *                               keeps HSTS per host name, and the sandbox's names (pgo.localhost, ...) are used by
 *                               every sandbox on the machine; a long or subdomain-wide pin would outlive this one.
 *   Cache-Control               no-store: tokens, consent and health data stay out of browser and proxy caches. A
 *                               participant exempts what it serves for caching (the PGO's static UI files).
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** HSTS for one day, for this host name only (see above). */
export const HSTS = 'max-age=86400';

/** The policy for answers that are no page (JSON, FHIR, XML, token answers): nothing may load, nothing may frame. */
export const CSP_NOTHING = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

export interface SecurityHeadersOptions {
  /** The Content-Security-Policy; default CSP_NOTHING. Build a page's with `contentSecurityPolicy`. */
  contentSecurityPolicy?: string;
  /** Whether the listener is HTTPS (default true). HSTS is sent over HTTPS only: over HTTP it means nothing (RFC 6797 §7.2). */
  https?: boolean;
  /**
   * Which answers get `Cache-Control: no-store`, replacing any caching a route chose (default: all). A path for
   * which this is false keeps its own caching: the PGO's static UI files, the PKI repository's public material.
   */
  noStore?: boolean | ((path: string) => boolean);
}

/** A page's Content-Security-Policy: `default-src 'none'` plus what the page needs, and never framed. */
export function contentSecurityPolicy(directives: Record<string, readonly string[]>): string {
  const all: Record<string, readonly string[]> = { 'default-src': ["'none'"], ...directives, 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"] };
  return Object.entries(all)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The CSP source for one inline <style> or <script> text: its SHA-256, so no 'unsafe-inline' is needed. */
export function inlineHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Sets the headers on an answer's headers (also for answers made outside a hono app); `path` is the request's. */
export function setSecurityHeaders(headers: Headers, o: SecurityHeadersOptions = {}, path = '/'): void {
  headers.set('content-security-policy', o.contentSecurityPolicy ?? CSP_NOTHING);
  headers.set('x-content-type-options', 'nosniff');
  headers.set('x-frame-options', 'DENY');
  headers.set('referrer-policy', 'no-referrer');
  if (o.https ?? true) headers.set('strict-transport-security', HSTS);
  const noStore = o.noStore ?? true;
  if (typeof noStore === 'function' ? noStore(path) : noStore) headers.set('cache-control', 'no-store');
}

/** The middleware: mount it first (`app.use(securityHeaders(...))`), so it wraps every route, 404 and error. */
export function securityHeaders(o: SecurityHeadersOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    try {
      setSecurityHeaders(c.res.headers, o, c.req.path);
    } catch {
      // An answer with immutable headers (Response.redirect, a fetched response): set them on a copy.
      const copy = new Response(c.res.body, c.res);
      setSecurityHeaders(copy.headers, o, c.req.path);
      c.res = copy;
    }
  };
}
