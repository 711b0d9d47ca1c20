import { describe, expect, it } from 'vitest';
import { PGO_PATHS, collectionIdIn, collectionPage, pgoApiClient } from './index.js';

describe('the PGO API contract', () => {
  it('the typed client calls the paths of the schema with the method, JSON body and path parameters it names', async () => {
    const calls: Array<{ method: string; url: string; body?: string }> = [];
    const client = pgoApiClient('https://pgo.localhost:8750', {
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const request = new Request(input, init);
        calls.push({ method: request.method, url: request.url, ...(request.body ? { body: await request.text() } : {}) });
        return Response.json({ ok: true });
      },
    });
    await client.api.login.$post({ json: { username: 'demo', password: 'sandbox', totp: '123456' } });
    await client.api.collections[':id'].refresh.$post({ param: { id: 'abc' } });
    await client.api.zorgaanbieders.$get({ query: { q: 'kroon' } });
    expect(calls).toEqual([
      { method: 'POST', url: 'https://pgo.localhost:8750/api/login', body: '{"username":"demo","password":"sandbox","totp":"123456"}' },
      { method: 'POST', url: 'https://pgo.localhost:8750/api/collections/abc/refresh' },
      { method: 'GET', url: 'https://pgo.localhost:8750/api/zorgaanbieders?q=kroon' },
    ]);
  });

  it('names the collection page the PGO sends the browser to, and finds it back in a Location', () => {
    expect(collectionPage('0af3')).toBe('/#/collection/0af3');
    expect(collectionIdIn(`https://pgo.localhost${collectionPage('0af3')}`)).toBe('0af3');
    expect(collectionIdIn('https://pgo.localhost/#/')).toBeUndefined();
    expect(PGO_PATHS.callback).toBe('/oauth/callback');
  });
});
