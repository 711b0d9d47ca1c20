/**
 * The token endpoint of an afsprakenstelsel-2 DVZA (SPEC §10.1–10.2) as unit tests, like token.test.ts: both MedMij
 * headers, the granted ids as the scope, a refresh token only with long-lived consent, rotation, a replay that
 * revokes the family (its access tokens too), another client's refresh that revokes nothing.
 */
import { join } from 'node:path';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, defaultTopologyPath, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { listsFromTopology } from '@medmij-sandbox/lists';
import { DVZA_PATHS, refreshRequestBody, tokenRequestBody, type OAuthErrorResponse, type TokenResponse } from '@medmij-sandbox/medmij-oauth';
import { peerFor, withPeer } from '@medmij-sandbox/transport/testing';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { AuditLog } from './audit.js';
import { ConsentStore } from './consents.js';
import { GrantStore, LIFETIMES } from './grants.js';
import type { DvzaLists } from './runtime.js';
import { createTokenEndpoint } from './token.js';

const NOW = '2026-06-01T10:00:00.000Z';
const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '2', env: {} });
const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
const PGO = 'pgo.localhost';
const OTHER = 'andere-pgo.localhost';
const REDIRECT = `https://${PGO}:8750/oauth/callback`;
const bodies = listsFromTopology(topology, new Set(), '2');
/** What the OAuthclientlist lets the PGO use, when a test narrows it (the stelselnode's `lists restrict`). */
let pgoMayUse: string[] | undefined;
const lists = {
  require: ((kind: keyof typeof bodies) =>
    kind === 'OAuthclientlist'
      ? {
          oauthclients: [
            ...bodies.OAuthclientlist.oauthclients.map((c) => (pgoMayUse && c.hostname === PGO ? { ...c, gegevensdiensten: pgoMayUse } : c)),
            { hostname: OTHER, organisatienaam: 'Andere PGO', gegevensdiensten: ['48'] },
          ],
        }
      : kind === 'Whitelist'
        ? { nodes: [...bodies.Whitelist.nodes, OTHER] }
        : bodies[kind]) as DvzaLists['require'],
};
const HEADERS = { 'content-type': 'application/x-www-form-urlencoded', 'medmij-request-id': 'r-1', 'x-correlation-id': 'c-1' };

describe('DVZA token endpoint, afsprakenstelsel 2 (unit, app.request)', () => {
  let clock: SandboxClock;
  let grants: GrantStore;
  let consents: ConsentStore;
  const app = (peerHost: string) =>
    new Hono<TlsPeerEnv>().use(withPeer(peerFor(peerHost))).route(
      '/',
      createTokenEndpoint({
        participant: dekroon,
        topology,
        clock,
        bus: new TraceBus(clock),
        grants,
        consents,
        lists,
        audit: new AuditLog(join(tempDir(), 'audit.jsonl'), dekroon.hostname, clock),
        random: (purpose: string) => new SeededRandom('unit').stream(purpose),
      }),
    );
  const post = async (body: string, o: { peer?: string; headers?: Record<string, string> } = {}) => {
    const r = await app(o.peer ?? PGO).request(DVZA_PATHS.token, { method: 'POST', headers: o.headers ?? HEADERS, body });
    return { status: r.status, json: (await r.json()) as TokenResponse & OAuthErrorResponse };
  };
  const redeem = (o: { longLived?: boolean } = {}) => {
    grants.codes.set('code-1', {
      code: 'code-1',
      clientId: PGO,
      redirectUri: REDIRECT,
      bsn: '999907967',
      gegevensdiensten: ['48', '49'],
      expiresAt: clock.nowMs() + LIFETIMES.codeMs,
      tokens: [],
      ...(o.longLived ? { longLived: true } : {}),
    });
    return post(tokenRequestBody({ code: 'code-1', redirect_uri: REDIRECT, client_id: PGO }));
  };
  const refresh = (token: string, clientId = PGO) => post(refreshRequestBody({ refresh_token: token, client_id: clientId }), { peer: clientId });

  beforeEach(() => {
    pgoMayUse = undefined;
    clock = SandboxClock.frozenAt(NOW);
    grants = new GrantStore();
    consents = new ConsentStore({ clock });
  });

  it('without long-lived consent: the granted ids as scope, no refresh token', async () => {
    const r = await redeem();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: '48 49' });
    expect(r.json.refresh_token).toBeUndefined();
    expect(r.json.access_token).toMatch(/^[0-9a-f]{64}$/);
    expect(consents.wasIssued(r.json.access_token)).toBe(true);
  });

  it('a token request without the MedMij headers: invalid_request naming the header', async () => {
    const r = await post(tokenRequestBody({ code: 'x', redirect_uri: REDIRECT, client_id: PGO }), {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'medmij-request-id': 'r-1' },
    });
    expect([r.status, r.json.error]).toEqual([400, 'invalid_request']);
    expect(r.json.error_description).toContain('X-Correlation-ID');
  });

  it('with long-lived consent: a refresh token, rotated on every refresh after the access token expired', async () => {
    const first = await redeem({ longLived: true });
    expect(first.json.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    clock.shift('16m');
    const second = await refresh(first.json.refresh_token!);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ token_type: 'bearer', scope: '48 49' });
    expect(second.json.refresh_token).not.toBe(first.json.refresh_token);
    expect(grants.tokens.get(second.json.access_token)?.expiresAt).toBe(clock.nowMs() + LIFETIMES.accessTokenMs);
  });

  it('a refresh follows the OAuthclientlist of now: what the client may no longer use is left out, or refused unspent', async () => {
    const first = await redeem({ longLived: true });
    pgoMayUse = ['49', '31'];
    const narrowed = await refresh(first.json.refresh_token!);
    expect([narrowed.status, narrowed.json.scope]).toEqual([200, '49']);
    expect(grants.tokens.get(narrowed.json.access_token)?.gegevensdiensten).toEqual(['49']);
    pgoMayUse = ['31'];
    const refused = await refresh(narrowed.json.refresh_token!);
    expect(refused).toEqual({
      status: 400,
      json: {
        error: 'invalid_grant',
        error_description: `the OAuthclientlist no longer lets ${PGO} use gegevensdienst 48, 49, the ones this consent is for; the refresh token stays unused`,
      },
    });
    // Unspent: once the list allows it again, the same refresh token works (and the consent was never revoked).
    pgoMayUse = undefined;
    expect(await refresh(narrowed.json.refresh_token!)).toMatchObject({ status: 200, json: { scope: '48 49' } });
  });

  it('a replay is a replay, also when the OAuthclientlist no longer allows what the consent is for', async () => {
    const first = await redeem({ longLived: true });
    const second = await refresh(first.json.refresh_token!);
    pgoMayUse = ['31'];
    expect((await refresh(first.json.refresh_token!)).json.error_description).toMatch(/already exchanged/);
    pgoMayUse = undefined;
    expect((await refresh(second.json.refresh_token!)).json.error_description).toMatch(/^every token of this long-lived consent was revoked/);
  });

  it("a replayed refresh token revokes the family and its access tokens; another client's offer revokes nothing", async () => {
    const first = await redeem({ longLived: true });
    const second = await refresh(first.json.refresh_token!);
    const stolen = await refresh(second.json.refresh_token!, OTHER);
    expect([stolen.status, stolen.json.error]).toEqual([400, 'invalid_grant']);
    expect(grants.tokens.get(second.json.access_token)).toBeDefined();
    expect(grants.tokens.get(second.json.access_token)?.revoked).toBeUndefined();
    const replay = await refresh(first.json.refresh_token!);
    expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
    expect(replay.json.error_description).toMatch(/already exchanged/);
    expect(grants.tokens.get(second.json.access_token)?.revoked).toMatch(/already exchanged/);
    expect((await refresh(second.json.refresh_token!)).json.error).toBe('invalid_grant');
  });

  it('a replayed code revokes the long-lived consent it started and every access token refreshed from it', async () => {
    const first = await redeem({ longLived: true });
    const refreshed = await refresh(first.json.refresh_token!);
    expect(grants.tokens.get(refreshed.json.access_token)).toBeDefined();
    const again = await post(tokenRequestBody({ code: 'code-1', redirect_uri: REDIRECT, client_id: PGO }));
    expect(again.json.error).toBe('invalid_grant');
    expect(grants.tokens.get(first.json.access_token)?.revoked).toMatch(/offered again/);
    expect(grants.tokens.get(refreshed.json.access_token)?.revoked).toMatch(/offered again/);
    expect((await refresh(refreshed.json.refresh_token!)).json.error_description).toMatch(/revoked/);
  });

  it('another client offering a used code is refused and revokes nothing (the client binding comes first)', async () => {
    const first = await redeem({ longLived: true });
    const stolen = await post(tokenRequestBody({ code: 'code-1', redirect_uri: REDIRECT, client_id: OTHER }), { peer: OTHER });
    expect([stolen.status, stolen.json.error]).toEqual([400, 'invalid_grant']);
    expect(grants.tokens.get(first.json.access_token)).toBeDefined();
    expect(grants.tokens.get(first.json.access_token)?.revoked).toBeUndefined();
    expect((await refresh(first.json.refresh_token!)).status).toBe(200);
  });
});
