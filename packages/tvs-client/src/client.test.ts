/**
 * The DVZA side of the TVS contract without a network: the login URL it builds, and how it reads the
 * browser's return. Code resolution and assertion checks run against the real TVS in apps/tvs.
 */
import { describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { TvsClient } from './client.js';
import { ASSURANCE_LEVELS, FAILED_OUTCOMES, assuranceLevel } from './protocol.js';

const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
const bus = new TraceBus(clock);
const client = new TvsClient({
  clientHostname: 'dekroon.dvza.localhost',
  redirectUri: 'https://dekroon.dvza.localhost:8720/tvs/callback',
  tvs: { hostname: 'tvs.localhost', frontchannelUrl: 'https://tvs.localhost:8710', backchannelUrl: 'https://tvs.localhost:8711' },
  // Never touched on these paths: they end before any back-channel call.
  pki: {} as SandboxPki,
  clock,
  bus,
});

describe('TvsClient without the network', () => {
  it('builds the login request: client, redirect, nonce, the minimum level as an eToegang acr, the correlation id', () => {
    const url = new URL(client.authorizationUrl({ state: 's1', nonce: 'n1', minimumLevel: 'substantieel', traceId: 't1', lang: 'en' }));
    expect(url.origin + url.pathname).toBe('https://tvs.localhost:8710/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      scope: 'openid',
      client_id: 'dekroon.dvza.localhost',
      redirect_uri: 'https://dekroon.dvza.localhost:8720/tvs/callback',
      state: 's1',
      nonce: 'n1',
      acr_values: 'urn:etoegang:core:assurance-class:loa3',
      'X-Correlation-ID': 't1',
      ui_locales: 'en',
    });
  });

  it('refuses a return with another state (and says so on the trace)', async () => {
    const result = await client.completeLogin(new URLSearchParams({ state: 'other', code: 'c' }), { state: 's1', nonce: 'n1', traceId: 't2' });
    expect(result).toMatchObject({ ok: false, outcome: 'invalid_callback' });
    expect(bus.events().at(-1)).toMatchObject({ traceId: 't2', outcome: 'refused', reportedBy: 'dekroon.dvza.localhost' });
  });

  it('reads each failed outcome from tvs_outcome, and an unknown one as a TVS error', async () => {
    for (const outcome of Object.keys(FAILED_OUTCOMES)) {
      const r = await client.completeLogin(new URLSearchParams({ state: 's1', error: 'access_denied', tvs_outcome: outcome }), { state: 's1', nonce: 'n1' });
      expect(r).toMatchObject({ ok: false, outcome, error: 'access_denied' });
    }
    const odd = await client.completeLogin(new URLSearchParams({ state: 's1', error: 'server_error' }), { state: 's1', nonce: 'n1' });
    expect(odd).toMatchObject({ ok: false, outcome: 'tvs_error', error: 'server_error' });
  });

  it('refuses a return with neither code nor error', async () => {
    expect(await client.completeLogin(new URLSearchParams({ state: 's1' }), { state: 's1', nonce: 'n1' })).toMatchObject({
      ok: false,
      outcome: 'invalid_callback',
    });
  });

  it('knows the four DigiD levels by id and by URI, in rank order', () => {
    expect(ASSURANCE_LEVELS.map((l) => l.rank)).toEqual([1, 2, 3, 4]);
    expect(assuranceLevel('urn:etoegang:core:assurance-class:loa2plus')?.id).toBe('midden');
    expect(assuranceLevel('hoog')?.uri).toBe('urn:etoegang:core:assurance-class:loa4');
    expect(assuranceLevel('loa3')).toBeUndefined();
  });
});
