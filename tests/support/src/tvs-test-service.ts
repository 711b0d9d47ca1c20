/**
 * For tests only: the smallest service that uses the TVS the way a DVZA does — on a DVZA's own hostname
 * and front channel, with the real TvsClient (back channel over mutual TLS with the DVZA's certificate).
 * It keeps the TVS's browser tests independent of the DVZA app.
 */
import { Hono } from 'hono';
import { SeededRandom, type Clock, type TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { TvsClient, assuranceLevel, type AssuranceLevelId, type LoginResult } from '@medmij-sandbox/tvs-client';

export interface TestService extends RunningListener {
  client: TvsClient;
  /** Every completed login, in order. */
  results: LoginResult[];
}

export async function startTestService(o: {
  hostname: string;
  port: number;
  tvs: { hostname: string; frontchannelUrl: string; backchannelUrl: string };
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
}): Promise<TestService> {
  const origin = `https://${o.hostname}:${o.port}`;
  const client = new TvsClient({ clientHostname: o.hostname, redirectUri: `${origin}/tvs/callback`, tvs: o.tvs, pki: o.pki, clock: o.clock, bus: o.bus });
  const random = new SeededRandom(`test-service:${o.hostname}`).stream('login');
  const pending = new Map<string, { nonce: string; traceId: string }>();
  const results: LoginResult[] = [];
  const app = new Hono();
  app.get('/start', (c) => {
    const state = random.hex(16);
    const login = { nonce: random.hex(16), traceId: random.uuid() };
    pending.set(state, login);
    const level = (assuranceLevel(c.req.query('level') ?? '')?.id ?? 'substantieel') as AssuranceLevelId;
    return c.redirect(
      client.authorizationUrl({ state, nonce: login.nonce, traceId: login.traceId, minimumLevel: level, lang: c.req.query('lang') === 'en' ? 'en' : 'nl' }),
      302,
    );
  });
  app.get('/tvs/callback', async (c) => {
    const query = new URL(c.req.url).searchParams;
    const login = pending.get(query.get('state') ?? '');
    if (!login) return c.html('<h1>Onbekende state</h1>', 400);
    pending.delete(query.get('state')!);
    const result = await client.completeLogin(query, { state: query.get('state')!, ...login });
    results.push(result);
    return result.ok
      ? c.html(`<h1>Ingelogd</h1><p id="bsn">${result.identity.bsn}</p><p id="level">${result.identity.level.id}</p>`)
      : c.html(`<h1>Niet ingelogd</h1><p id="outcome">${result.outcome}</p><p id="description">${result.description}</p>`, 403);
  });
  const listener = await listen({
    participant: { id: o.hostname, hostname: o.hostname },
    kind: 'frontchannel',
    port: o.port,
    fetch: app.fetch,
    pki: o.pki,
    clock: o.clock,
    bus: o.bus,
  });
  return { ...listener, client, results };
}
