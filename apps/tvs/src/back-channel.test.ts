/**
 * The TVS's code resolution refusals as unit tests: its back channel behind a TLS peer of the test's choosing,
 * called with `app.request()`. The whole DigiD login, with real TLS and a browser, is in tests/browser.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { TVS_PATHS } from '@medmij-sandbox/tvs-client';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { peerFor, withPeer } from '@medmij-sandbox/transport/testing';
import { ListUnusableError } from '@medmij-sandbox/lists';
import { LISTS, said } from '@medmij-sandbox/rules';
import { createTvs } from './app.js';

describe('TVS back channel (unit, app.request)', () => {
  let bus: TraceBus;
  let whitelistUnusable = false;
  const resolve = (peerHost: string | undefined, form: Record<string, string>) => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    bus = new TraceBus(clock);
    const { back } = createTvs({
      hostname: 'tvs.localhost',
      issuer: 'https://tvs.localhost:8710',
      backchannelUrl: 'https://tvs.localhost:8711',
      services: [
        { hostname: 'dekroon.dvza.localhost', name: 'Huisartsenpraktijk De Kroon', port: 443 },
        { hostname: 'rivierenland.dvza.localhost', name: 'Ziekenhuis Rivierenland', port: 443 },
      ],
      // The Whitelist as the stelselnode would publish it (tests/cross-participant tvs.test.ts fetches the real one): rivierenland was taken off.
      whitelist: {
        require: () => {
          if (whitelistUnusable) throw new ListUnusableError(said(LISTS.noneReceived, { kind: 'Whitelist' }), 'Whitelist', 'none');
          return { nodes: ['dekroon.dvza.localhost', 'stelselnode.localhost'] };
        },
        refresh: async () => undefined,
      },
      personas: [],
      // Refusals happen before anything is signed: the PKI is never asked.
      pki: {} as SandboxPki,
      clock,
      bus,
      pseudonymKey: Buffer.alloc(32, 7),
    });
    const app = new Hono<TlsPeerEnv>().use(withPeer(peerHost ? peerFor(peerHost) : undefined)).route('/', back);
    return app.request(TVS_PATHS.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  };
  const lastReason = () => bus.events((e) => e.kind === 'decision').at(-1)?.reason;

  it('a client certificate of no connected service: invalid_client', async () => {
    const r = await resolve('elders.localhost', { grant_type: 'authorization_code', code: 'x' });
    expect(r.status).toBe(401);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(lastReason()).toBe('code not resolved: invalid_client (the client certificate (elders.localhost) belongs to no service connected to this TVS)');
  });

  it('no client certificate at all: invalid_client', async () => {
    expect((await resolve(undefined, { grant_type: 'authorization_code', code: 'x' })).status).toBe(401);
    expect(lastReason()).toContain('the client certificate (none)');
  });

  it('a connected service that is not on the Whitelist: invalid_client, before the code is looked at', async () => {
    const r = await resolve('rivierenland.dvza.localhost', { grant_type: 'authorization_code', code: 'never-issued' });
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({
      error: 'invalid_client',
      error_description: "the client certificate's host rivierenland.dvza.localhost is not on the Whitelist the stelselnode publishes now",
    });
  });

  it('no usable Whitelist: temporarily_unavailable (503), the list problem named', async () => {
    whitelistUnusable = true;
    try {
      const r = await resolve('dekroon.dvza.localhost', { grant_type: 'authorization_code', code: 'x' });
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ error: 'temporarily_unavailable' });
      expect(lastReason()).toMatch(
        /^code not resolved: temporarily_unavailable \(the TVS cannot check the Whitelist now, so it resolves no code yet; the code stays valid: no valid Whitelist received/,
      );
    } finally {
      whitelistUnusable = false;
    }
  });

  it('client_id of another service, a wrong grant_type, an unknown code', async () => {
    const service = 'dekroon.dvza.localhost';
    expect(await (await resolve(service, { client_id: 'rivierenland.dvza.localhost', grant_type: 'authorization_code', code: 'x' })).json()).toMatchObject({
      error: 'invalid_client',
    });
    expect(await (await resolve(service, { grant_type: 'password', code: 'x' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect(await (await resolve(service, { grant_type: 'authorization_code', code: 'never-issued' })).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'unknown code',
    });
  });
});
