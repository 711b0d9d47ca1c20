/**
 * The DVZA's revocation endpoint (RFC 7009, the sandbox's withdrawal interface for a PGO) as unit tests beside the
 * token endpoint: a revoked refresh token withdraws its consent and the consent's access tokens; another client's
 * token revokes nothing; an unknown token gets 200; 1.5 has nothing to revoke.
 */
import { join } from 'node:path';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, defaultTopologyPath, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { listsFromTopology } from '@medmij-sandbox/lists';
import { REVOCATION_PATH, revocationRequestBody } from '@medmij-sandbox/medmij-oauth';
import { peerFor, withPeer } from '@medmij-sandbox/transport/testing';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { AuditLog } from './audit.js';
import { ConsentStore } from './consents.js';
import { GrantStore, LIFETIMES } from './grants.js';
import type { DvzaLists } from './runtime.js';
import { createRevocationEndpoint } from './revocation.js';

const NOW = '2026-06-01T10:00:00.000Z';
const PGO = 'pgo.localhost';
const OTHER = 'andere-pgo.localhost';
const BSN = '999907967';

describe('DVZA revocation endpoint (unit, app.request)', () => {
  let clock: SandboxClock;
  let grants: GrantStore;
  let consents: ConsentStore;
  let bus: TraceBus;
  const app = (afsprakenstelsel: '1.5' | '2', peerHost = PGO) => {
    const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel, env: {} });
    const bodies = listsFromTopology(topology, new Set(), '2');
    const lists = {
      require: ((kind: keyof typeof bodies) =>
        kind === 'OAuthclientlist'
          ? { oauthclients: [...bodies.OAuthclientlist.oauthclients, { hostname: OTHER, organisatienaam: 'Andere PGO', gegevensdiensten: ['48'] }] }
          : kind === 'Whitelist'
            ? { nodes: [...bodies.Whitelist.nodes, OTHER] }
            : bodies[kind]) as DvzaLists['require'],
    };
    return new Hono<TlsPeerEnv>().use(withPeer(peerFor(peerHost))).route(
      '/',
      createRevocationEndpoint({
        participant: participantsByRole(topology, 'dvza')[0]!,
        topology,
        clock,
        bus,
        grants,
        consents,
        lists,
        audit: new AuditLog(join(tempDir(), 'audit.jsonl'), 'dekroon.dvza.localhost', clock),
        random: (purpose: string) => new SeededRandom('unit').stream(purpose),
      }),
    );
  };
  const revoke = async (
    body: Parameters<typeof revocationRequestBody>[0],
    o: { peer?: string; afsprakenstelsel?: '1.5' | '2'; headers?: Record<string, string> } = {},
  ) => {
    const r = await app(o.afsprakenstelsel ?? '2', o.peer ?? PGO).request(REVOCATION_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(o.headers ?? { 'medmij-request-id': 'r-1', 'x-correlation-id': 'c-1' }) },
      body: revocationRequestBody(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as { error: string; error_description: string }) : undefined };
  };
  const accessToken = (token: string, consentId: string, clientId = PGO) =>
    grants.tokens.set(token, {
      token,
      clientId,
      bsn: BSN,
      gegevensdiensten: ['48'],
      issuedAt: clock.nowMs(),
      expiresAt: clock.nowMs() + LIFETIMES.accessTokenMs,
      consentId,
    });
  const lastDecision = () =>
    bus
      .events()
      .filter((e) => e.kind === 'decision')
      .at(-1)!;

  beforeEach(() => {
    clock = SandboxClock.frozenAt(NOW);
    bus = new TraceBus(clock);
    grants = new GrantStore();
    consents = new ConsentStore({ clock });
  });

  it('a refresh token revoked by its client: the consent is withdrawn, with every access token of it', async () => {
    const { consent, refreshToken } = consents.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48', '49'] });
    accessToken('at-1', consent.id);
    accessToken('at-other', 'another-consent');
    expect(await revoke({ token: refreshToken, token_type_hint: 'refresh_token', client_id: PGO })).toEqual({ status: 200, body: undefined });
    expect(consents.consent(consent.id)?.withdrawnAt).toBe(clock.nowMs());
    expect(grants.tokens.get('at-1')?.revoked).toBe(
      `${PGO} revoked its refresh token (RFC 7009): the long-lived consent for gegevensdienst 48, 49 is withdrawn, with 1 access token(s)`,
    );
    expect(grants.tokens.get('at-other')?.revoked).toBeUndefined();
    expect(lastDecision()).toMatchObject({ outcome: 'ok', ruleId: 'oauth.revoke.withdrawn' });
    // The refresh token counts no more, and revoking it again is nothing to revoke (200 all the same).
    expect(consents.refresh(refreshToken, PGO).verdict).toMatchObject({ ok: false, refusal: { id: 'oauth.refresh.consent-withdrawn' } });
    expect(await revoke({ token: refreshToken, client_id: PGO })).toEqual({ status: 200, body: undefined });
    expect(lastDecision()).toMatchObject({ ruleId: 'oauth.revoke.nothing-to-revoke' });
  });

  it("another client's token: refused, and nothing is revoked", async () => {
    const { consent, refreshToken } = consents.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48'] });
    accessToken('at-1', consent.id);
    const r = await revoke({ token: refreshToken, client_id: OTHER }, { peer: OTHER });
    expect(r).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: `the token was not issued to ${OTHER}; nothing is revoked` },
    });
    expect(await revoke({ token: 'at-1', token_type_hint: 'access_token', client_id: OTHER }, { peer: OTHER })).toMatchObject({ status: 400 });
    expect(consents.consent(consent.id)?.withdrawnAt).toBeUndefined();
    expect(grants.tokens.get('at-1')?.revoked).toBeUndefined();
  });

  it('an access token alone: it stops counting, the consent stays', async () => {
    const { consent } = consents.grant({ clientId: PGO, bsn: BSN, gegevensdiensten: ['48'] });
    accessToken('at-1', consent.id);
    expect((await revoke({ token: 'at-1', token_type_hint: 'access_token', client_id: PGO })).status).toBe(200);
    expect(grants.tokens.get('at-1')?.revoked).toMatch(/revoked an access token/);
    expect(ConsentStore.active(consents.consent(consent.id)!)).toBe(true);
  });

  it('client authentication first; a form that is not one; 1.5 has nothing to revoke', async () => {
    expect((await revoke({ token: 'x', client_id: OTHER })).body?.error_description).toBe(
      `client_id ${OTHER} is not the host of the client certificate (${PGO})`,
    );
    expect((await revoke({ token: '', client_id: PGO })).body).toEqual({
      error: 'invalid_request',
      error_description: 'a revocation request is a form with token, client_id and optionally token_type_hint: token missing',
    });
    expect((await revoke({ token: 'x', client_id: PGO }, { headers: {} })).body?.error_description).toMatch(/MedMij-Request-ID/);
    expect((await revoke({ token: 'x', client_id: PGO }, { afsprakenstelsel: '1.5' })).body?.error_description).toMatch(
      /^this network speaks afsprakenstelsel 1\.5, which has no long-lived consent to withdraw/,
    );
  });
});
