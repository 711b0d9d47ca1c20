import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperatorAccess, SandboxClock, SecretStream, TraceBus } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import type { ScenarioService } from '@medmij-sandbox/console-api';
import { createConsoleApp } from './app.js';

const ORIGIN = 'https://console.localhost:8760';

function consoleApp(o: { scenarios?: ScenarioService } = {}) {
  const dir = tempDir();
  const bus = new TraceBus(SandboxClock.frozenAt('2026-06-01T08:00:00Z'));
  bus.emit({
    reportedBy: 'pgo.localhost',
    from: 'pgo.localhost',
    to: 'dekroon.dvza.localhost',
    kind: 'http',
    method: 'POST',
    url: '/oauth/token',
    status: 200,
    outcome: 'ok',
    traceId: 't-1',
  });
  const operator = new OperatorAccess(join(dir, 'operator.json'));
  const app = createConsoleApp({
    bus,
    ...o,
    operator,
    sessionIds: new SecretStream(),
    pgos: [{ name: 'MedMij Sandbox PGO', url: 'https://pgo.localhost:8750' }],
    uiDir: join(dir, 'no-ui'),
    version: 'test',
  });
  const request = (path: string, init: RequestInit & { bearer?: string } = {}) =>
    app.request(`${ORIGIN}${path}`, {
      ...init,
      headers: { ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
  return { request, tokens: operator.tokens() };
}

const service: ScenarioService = {
  list: () => [
    {
      name: 'patient-under-16',
      title: { nl: 'Een patiënt onder de 16', en: 'A patient under 16' },
      teaches: { nl: '…', en: '…' },
      rule: { nl: 'SPEC §7', en: 'SPEC §7' },
    },
  ],
  run: async () => undefined,
  reset: async () => [{ nl: 'sandboxklok terug naar de echte tijd', en: 'sandbox clock back to real time' }],
};

describe('the console app', () => {
  it('refuses everything of the network without the operator credential, and says where the link is', async () => {
    const { request } = consoleApp({ scenarios: service });
    for (const path of ['/api/trace?since=0', '/api/trace/stream', '/api/trace/export?format=har', '/api/scenarios']) {
      const r = await request(path);
      expect(r.status, path).toBe(401);
      expect(await r.json(), path).toMatchObject({ error: 'operator_required', message: { nl: expect.stringContaining('npm run sandbox -- operator') } });
    }
    expect((await request('/api/sandbox/reset', { method: 'POST' })).status).toBe(401);
    expect(await (await request('/api/operator')).json()).toEqual({ role: null, pgos: [] });
  });

  it('a viewer reads the trace and the catalogue, a trainer also resets; a bare token is no credential', async () => {
    const { request, tokens } = consoleApp({ scenarios: service });
    const trace = await request('/api/trace?since=0', { bearer: tokens.viewer });
    expect(((await trace.json()) as { events: unknown[] }).events).toHaveLength(1);
    expect((await request('/api/scenarios', { bearer: tokens.viewer })).status).toBe(200);
    expect(await (await request('/api/sandbox/reset', { method: 'POST', bearer: tokens.viewer })).json()).toMatchObject({ error: 'trainer_required' });
    expect(await (await request('/api/sandbox/reset', { method: 'POST', bearer: tokens.trainer })).json()).toEqual({
      done: [{ nl: 'sandboxklok terug naar de echte tijd', en: 'sandbox clock back to real time' }],
    });
    expect((await request('/api/trace?since=0', { headers: { authorization: tokens.viewer } })).status).toBe(401);
    const mermaid = await request('/api/trace/export?traceId=t-1&format=mermaid', { bearer: tokens.viewer });
    expect(await mermaid.text()).toMatch(/^sequenceDiagram/m);
    expect((await request('/api/trace/export?format=pdf', { bearer: tokens.viewer })).status).toBe(400);
  });

  it('without the sandbox scenario service: the operator is told, a stranger learns nothing', async () => {
    const { request, tokens } = consoleApp();
    expect((await request('/api/scenarios')).status).toBe(401);
    expect(await (await request('/api/scenarios', { bearer: tokens.viewer })).json()).toMatchObject({ error: 'scenarios_unavailable' });
  });

  it("exchanges the login link's token for a __Host- cookie, only from its own origin", async () => {
    const { request, tokens } = consoleApp();
    const json = {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, host: 'console.localhost:8760', 'sec-fetch-site': 'same-origin' },
    };
    const wrong = await request('/api/operator/login', { ...json, body: JSON.stringify({ token: '0'.repeat(64) }) });
    expect(wrong.status).toBe(401);
    const cross = await request('/api/operator/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ token: tokens.trainer }),
    });
    expect(cross.status).toBe(403);
    const login = await request('/api/operator/login', { ...json, body: JSON.stringify({ token: tokens.trainer }) });
    expect(await login.json()).toEqual({ role: 'trainer', next: '/#/scenarios' });
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-console_operator=[0-9a-f]{48}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const who = await request('/api/operator', { headers: { cookie: cookie.split(';')[0]! } });
    expect(await who.json()).toEqual({ role: 'trainer', pgos: [{ name: 'MedMij Sandbox PGO', url: 'https://pgo.localhost:8750' }] });
  });

  it('says how to build a UI that was never built', async () => {
    const r = await consoleApp().request('/');
    expect(r.status).toBe(503);
    expect(await r.text()).toContain('npm run build');
  });
});
