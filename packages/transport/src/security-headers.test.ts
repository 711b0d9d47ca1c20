import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CSP_NOTHING, HSTS, contentSecurityPolicy, inlineHash, securityHeaders, setSecurityHeaders } from './security-headers.js';

const BASE = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function headersOf(res: Response): Record<string, string> {
  return Object.fromEntries(res.headers.entries());
}

describe('securityHeaders middleware', () => {
  it('puts every header on a JSON answer: nothing loads, nothing frames, not stored, HSTS for one day', async () => {
    const app = new Hono().use(securityHeaders()).get('/token', (c) => c.json({ access_token: 'x' }));
    const res = await app.request('/token');
    expect(headersOf(res)).toMatchObject({
      ...BASE,
      'content-security-policy': CSP_NOTHING,
      'strict-transport-security': 'max-age=86400',
      'cache-control': 'no-store',
    });
    expect(CSP_NOTHING).toContain("frame-ancestors 'none'");
  });

  it('sends HSTS of at most one day, for this host only: no includeSubDomains, no preload', () => {
    const maxAge = Number(/^max-age=(\d+)$/.exec(HSTS)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(86_400);
    expect(HSTS).not.toMatch(/includeSubDomains|preload/i);
  });

  it('covers answers no route made: a 404 and an error answer', async () => {
    const app = new Hono()
      .use(securityHeaders())
      .get('/boom', () => {
        throw new Error('boom');
      })
      .onError((_e, c) => c.json({ error: 'server_error' }, 500));
    for (const path of ['/nowhere', '/boom']) {
      const res = await app.request(path);
      expect(res.status).toBeGreaterThanOrEqual(404);
      expect(headersOf(res), path).toMatchObject({ ...BASE, 'cache-control': 'no-store', 'strict-transport-security': HSTS });
    }
  });

  it('covers redirects, also a Response.redirect whose headers are immutable', async () => {
    const app = new Hono()
      .use(securityHeaders())
      .get('/hono', (c) => c.redirect('https://pgo.localhost/cb?code=abc', 302))
      .get('/web', () => Response.redirect('https://pgo.localhost/cb?code=abc', 302));
    for (const path of ['/hono', '/web']) {
      const res = await app.request(path);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://pgo.localhost/cb?code=abc');
      expect(headersOf(res), path).toMatchObject({ ...BASE, 'cache-control': 'no-store' });
    }
  });

  it("replaces a route's own caching with no-store, except on the paths a participant exempts", async () => {
    const app = new Hono()
      .use(securityHeaders({ noStore: (path) => !path.startsWith('/assets/') }))
      .get('/assets/app.js', (c) => c.body('x', 200, { 'cache-control': 'public, max-age=31536000, immutable' }))
      .get('/api/stream', (c) => c.body('x', 200, { 'cache-control': 'no-cache' }));
    expect((await app.request('/assets/app.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/api/stream')).headers.get('cache-control')).toBe('no-store');
  });

  it('sends no HSTS over plain HTTP (RFC 6797: meaningless there), the other headers still', async () => {
    const app = new Hono().use(securityHeaders({ https: false, noStore: false })).get('/crl', (c) => c.body('crl'));
    const res = await app.request('/crl');
    expect(res.headers.has('strict-transport-security')).toBe(false);
    expect(res.headers.has('cache-control')).toBe(false);
    expect(headersOf(res)).toMatchObject(BASE);
  });

  it("takes the participant's own Content-Security-Policy", async () => {
    const csp = contentSecurityPolicy({ 'script-src': ["'self'"] });
    const app = new Hono().use(securityHeaders({ contentSecurityPolicy: csp })).get('/', (c) => c.html('<p>hi</p>'));
    expect((await app.request('/')).headers.get('content-security-policy')).toBe(csp);
  });
});

describe('contentSecurityPolicy', () => {
  it('starts from nothing allowed, adds what the page needs, and always forbids framing and <base>', () => {
    expect(contentSecurityPolicy({ 'style-src': ["'self'"], 'img-src': ["'self'", 'data:'] })).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it('cannot be talked into allowing framing', () => {
    expect(contentSecurityPolicy({ 'frame-ancestors': ['*'] })).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy({ 'frame-ancestors': ['*'] })).not.toContain('frame-ancestors *');
  });
});

describe('inlineHash', () => {
  it("is the CSP source of the text's SHA-256 in base64", () => {
    // An independent computation of the same digest.
    const digest = createHash('sha256').update('body { margin: 0 }').digest('base64');
    expect(inlineHash('body { margin: 0 }')).toBe(`'sha256-${digest}'`);
    expect(inlineHash('body { margin: 1 }')).not.toBe(inlineHash('body { margin: 0 }'));
  });
});

describe('setSecurityHeaders', () => {
  it('sets the headers on a bare Headers object (answers a listener makes itself)', () => {
    const h = new Headers({ 'content-type': 'application/json' });
    setSecurityHeaders(h);
    expect(Object.fromEntries(h.entries())).toMatchObject({ ...BASE, 'cache-control': 'no-store', 'content-type': 'application/json' });
  });
});
