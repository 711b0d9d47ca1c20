import { describe, expect, it } from 'vitest';
import { CONSOLE_PATHS, consoleApiClient, inspectorPage } from './index.js';

describe('the console API contract', () => {
  it('the typed client calls the paths of the schema with the method, JSON body and path parameters it names', async () => {
    const calls: Array<{ method: string; url: string; body?: string }> = [];
    const client = consoleApiClient('https://console.localhost:8760', {
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const request = new Request(input, init);
        calls.push({ method: request.method, url: request.url, ...(request.body ? { body: await request.text() } : {}) });
        return Response.json({ ok: true });
      },
    });
    await client.api.operator.login.$post({ json: { token: 'ab', confirm: true } });
    await client.api.scenarios[':name'].run.$post({ param: { name: 'patient-under-16' } });
    await client.api.trace.$get({ query: { since: '3' } });
    expect(calls).toEqual([
      { method: 'POST', url: 'https://console.localhost:8760/api/operator/login', body: '{"token":"ab","confirm":true}' },
      { method: 'POST', url: 'https://console.localhost:8760/api/scenarios/patient-under-16/run' },
      { method: 'GET', url: 'https://console.localhost:8760/api/trace?since=3' },
    ]);
  });

  it('names the inspector page of one flow, its id escaped', () => {
    expect(inspectorPage('https://console.localhost:8760', 'a b')).toBe('https://console.localhost:8760/#/inspector/a%20b');
    expect(inspectorPage('https://console.localhost')).toBe('https://console.localhost/#/inspector');
    expect(CONSOLE_PATHS.traceExport).toBe('/api/trace/export');
  });
});
