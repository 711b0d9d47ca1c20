/** crossSiteSource: what a browser says about where a POST came from (Fetch Metadata, Origin). */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { crossSiteSource } from './same-origin.js';

const app = new Hono().all('/form', (c) => c.json({ source: crossSiteSource(c) ?? null }));
const ask = async (method: string, headers: Record<string, string>) =>
  (
    (await (await app.request('https://pgo.localhost:8750/form', { method, headers: { host: 'pgo.localhost:8750', ...headers } })).json()) as {
      source: string | null;
    }
  ).source;

describe('crossSiteSource', () => {
  it('refuses a POST that another site made the browser send', async () => {
    expect(await ask('POST', { origin: 'https://evil.localhost' })).toBe('https://evil.localhost');
    // Another port is another origin.
    expect(await ask('POST', { origin: 'https://pgo.localhost:9999' })).toBe('https://pgo.localhost:9999');
    expect(await ask('POST', { 'sec-fetch-site': 'cross-site', origin: 'null' })).toBe('cross-site');
    // Same site but another origin (as two DVZAs under dvza.localhost are): still another participant's page.
    expect(await ask('POST', { 'sec-fetch-site': 'same-site', origin: 'https://dekroon.dvza.localhost:8721' })).toBe('https://dekroon.dvza.localhost:8721');
  });

  it('lets through its own pages, Origin: null from a no-referrer page of its own, and clients that are no browser', async () => {
    expect(await ask('POST', { origin: 'https://pgo.localhost:8750', 'sec-fetch-site': 'same-origin' })).toBeNull();
    // Referrer-Policy: no-referrer makes browsers send Origin: null on every POST: Sec-Fetch-Site decides.
    expect(await ask('POST', { origin: 'null', 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(await ask('POST', {})).toBeNull();
    expect(await ask('GET', { origin: 'https://evil.localhost', 'sec-fetch-site': 'cross-site' })).toBeNull();
  });
});
