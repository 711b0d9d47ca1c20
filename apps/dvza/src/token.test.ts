/**
 * The token endpoint's refusals as unit tests: the handler behind a TLS peer of the test's choosing (what the
 * mTLS gate would have concluded), called with `app.request()`, no sockets. The real handshake and the flow
 * across participants are tested in tests/cross-participant.
 */
import { join } from 'node:path';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, defaultTopologyPath, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { listsFromTopology, type ListKind, type ListOf } from '@medmij-sandbox/lists';
import { DVZA_PATHS, tokenRequestBody, type OAuthErrorResponse, type TokenResponse } from '@medmij-sandbox/medmij-oauth';
import { peerFor, withPeer } from '@medmij-sandbox/transport/testing';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { AuditLog } from './audit.js';
import { GrantStore, LIFETIMES } from './grants.js';
import { createTokenEndpoint } from './token.js';
import { ConsentStore } from './consents.js';
import type { DvzaLists } from './runtime.js';

const NOW = '2026-06-01T10:00:00.000Z';
const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '1.5', env: {} });
const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
const PGO = 'pgo.localhost';
const REDIRECT = `https://${PGO}:8750/oauth/callback`;

/** The lists as the stelselnode publishes them for the default topology (Volgnummer 1). */
const bodies = listsFromTopology(topology);
const lists = {
  require: (<K extends ListKind>(kind: K) => ({ ...bodies[kind], volgnummer: 1, tijdstempel: NOW }) as unknown as ListOf<K>) as DvzaLists['require'],
};

describe('DVZA token endpoint (unit, app.request)', () => {
  let clock: SandboxClock;
  let bus: TraceBus;
  let grants: GrantStore;
  const app = (peerHost: string | undefined) => {
    const rt = {
      participant: dekroon,
      clock,
      bus,
      grants,
      lists,
      audit: new AuditLog(join(tempDir(), 'audit.jsonl'), dekroon.hostname, clock),
      random: (purpose: string) => new SeededRandom('unit').stream(purpose),
      topology,
      consents: new ConsentStore({ clock }),
    };
    return new Hono<TlsPeerEnv>().use(withPeer(peerHost ? peerFor(peerHost) : undefined)).route('/', createTokenEndpoint(rt));
  };
  const post = (peerHost: string | undefined, form: Record<string, string | null>, code = 'code-1') =>
    app(peerHost).request(DVZA_PATHS.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody({ code, redirect_uri: REDIRECT, client_id: PGO }, form),
    });
  const lastDecision = () => bus.events((e) => e.kind === 'decision').at(-1)!;
  const issueCode = (o: { clientId?: string; expiresAt?: number } = {}) =>
    grants.codes.set('code-1', {
      code: 'code-1',
      clientId: o.clientId ?? PGO,
      redirectUri: REDIRECT,
      bsn: '999907967',
      gegevensdiensten: ['1'],
      expiresAt: o.expiresAt ?? clock.nowMs() + LIFETIMES.codeMs,
      tokens: [],
    });

  beforeEach(() => {
    clock = SandboxClock.frozenAt(NOW);
    bus = new TraceBus(clock);
    grants = new GrantStore();
  });

  it('redeems a valid code once: a bearer token for dekroon~1, not cached', async () => {
    issueCode();
    const r = await post(PGO, {});
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect((await r.json()) as TokenResponse).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: 'dekroon~1' });
    expect(lastDecision()).toMatchObject({ outcome: 'ok', reportedBy: dekroon.hostname, reason: expect.stringContaining('access token for dekroon~1') });
  });

  it('a client certificate whose host is not on the Whitelist: invalid_client, 401, no challenge a library cannot read', async () => {
    issueCode();
    const r = await post('elders.localhost', { client_id: 'elders.localhost' });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBeNull();
    expect((await r.json()) as OAuthErrorResponse).toEqual({
      error: 'invalid_client',
      error_description: "the client certificate's host elders.localhost is not on the Whitelist",
    });
  });

  it('no client certificate at all (no peer on the context) is refused the same way', async () => {
    expect((await post(undefined, {})).status).toBe(401);
    expect(lastDecision().reason).toContain('(none) is not on the Whitelist');
  });

  it('client_id other than the certificate host: invalid_client', async () => {
    issueCode();
    const r = await post(PGO, { client_id: 'stelselnode.localhost' });
    expect(((await r.json()) as OAuthErrorResponse).error_description).toBe(
      'client_id stelselnode.localhost is not the host of the client certificate (pgo.localhost)',
    );
  });

  it('grant_type other than authorization_code: unsupported_grant_type', async () => {
    const r = await post(PGO, { grant_type: 'password' });
    expect([r.status, ((await r.json()) as OAuthErrorResponse).error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('an unknown, expired or foreign code, or another redirect_uri: invalid_grant', async () => {
    expect(((await (await post(PGO, {})).json()) as OAuthErrorResponse).error_description).toBe('unknown code');
    issueCode({ expiresAt: clock.nowMs() - 1 });
    expect(((await (await post(PGO, {})).json()) as OAuthErrorResponse).error_description).toMatch(/^the code expired at /);
    issueCode({ clientId: 'andere-pgo.localhost' });
    expect(((await (await post(PGO, {})).json()) as OAuthErrorResponse).error_description).toBe(
      'the code was issued to andere-pgo.localhost, not to pgo.localhost; nothing is revoked',
    );
    issueCode();
    const other = await post(PGO, { redirect_uri: `https://${PGO}:8750/elders` });
    expect((await other.json()) as OAuthErrorResponse).toEqual({
      error: 'invalid_grant',
      error_description: 'redirect_uri differs from the one in the authorization request',
    });
  });

  it('a replayed code is refused and revokes the token it produced (RFC 6749 §4.1.2)', async () => {
    issueCode();
    const first = (await (await post(PGO, {})).json()) as TokenResponse;
    const replay = await post(PGO, {});
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as OAuthErrorResponse).error_description).toMatch(/already used .*; 1 access token\(s\) issued from it are revoked/);
    expect(grants.tokens.get(first.access_token)?.revoked).toMatch(/offered again/);
  });
});
