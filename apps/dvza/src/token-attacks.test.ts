/**
 * The token and revocation endpoints against what an attacker with an ordinary OAuth library tries (issue 16),
 * in both afsprakenstelsels: each attack is refused with the RFC 6749 §5.2 error a library reads, and nothing
 * the rightful client holds is lost. The handlers behind a TLS peer of the test's choosing, as in token.test.ts.
 */
import { join } from 'node:path';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, defaultTopologyPath, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { listsFromTopology } from '@medmij-sandbox/lists';
import { DVZA_PATHS, REVOCATION_PATH, tokenRequestBody, type OAuthErrorResponse, type TokenResponse } from '@medmij-sandbox/medmij-oauth';
import { peerFor, withPeer } from '@medmij-sandbox/transport/testing';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { AuditLog } from './audit.js';
import { ConsentStore } from './consents.js';
import { GrantStore, LIFETIMES } from './grants.js';
import type { DvzaLists } from './runtime.js';
import { createRevocationEndpoint } from './revocation.js';
import { createTokenEndpoint, s256 } from './token.js';

const NOW = '2026-06-01T10:00:00.000Z';
const PGO = 'pgo.localhost';
const THIEF = 'andere-pgo.localhost';
const REDIRECT = `https://${PGO}:8750/oauth/callback`;
// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe.each(['1.5', '2'] as const)('token endpoint attacks, afsprakenstelsel %s (unit, app.request)', (afsprakenstelsel) => {
  const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel, env: {} });
  const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
  const bodies = listsFromTopology(topology, new Set(), afsprakenstelsel);
  // Two enrolled PGOs: the rightful one and another, both on the OAuthclientlist and the Whitelist.
  const lists = {
    require: ((kind: keyof typeof bodies) =>
      kind === 'OAuthclientlist'
        ? { oauthclients: [...bodies.OAuthclientlist.oauthclients, { hostname: THIEF, organisatienaam: 'Andere PGO' }] }
        : kind === 'Whitelist'
          ? { nodes: [...bodies.Whitelist.nodes, THIEF] }
          : bodies[kind]) as DvzaLists['require'],
  };
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'medmij-request-id': 'r-1', 'x-correlation-id': 'c-1' };
  let clock: SandboxClock;
  let bus: TraceBus;
  let grants: GrantStore;
  let consents: ConsentStore;
  const rt = () => ({
    participant: dekroon,
    topology,
    clock,
    bus,
    grants,
    consents,
    lists,
    audit: new AuditLog(join(tempDir(), 'audit.jsonl'), dekroon.hostname, clock),
    random: (purpose: string) => new SeededRandom('unit').stream(purpose),
  });
  const app = (peer: string) =>
    new Hono<TlsPeerEnv>()
      .use(withPeer(peerFor(peer)))
      .route('/', createTokenEndpoint(rt()))
      .route('/', createRevocationEndpoint(rt()));
  const request = async (path: string, init: RequestInit & { peer?: string }) => {
    const r = await app(init.peer ?? PGO).request(path, { headers, ...init });
    return { status: r.status, headers: r.headers, json: (await r.json()) as TokenResponse & OAuthErrorResponse };
  };
  const post = (body: string, peer = PGO) => request(DVZA_PATHS.token, { method: 'POST', body, peer });
  const redeem = (extra: Record<string, string | null> = {}, peer = PGO) =>
    post(tokenRequestBody({ code: 'code-1', redirect_uri: REDIRECT, client_id: peer }, extra), peer);
  const issueCode = (o: { pkce?: boolean; longLived?: boolean } = {}) =>
    grants.codes.set('code-1', {
      code: 'code-1',
      clientId: PGO,
      redirectUri: REDIRECT,
      bsn: '999907967',
      gegevensdiensten: [afsprakenstelsel === '2' ? '48' : '1'],
      expiresAt: clock.nowMs() + LIFETIMES.codeMs,
      tokens: [],
      ...(o.pkce ? { pkce: { codeChallenge: CHALLENGE, method: 'S256' as const } } : {}),
      ...(o.longLived && afsprakenstelsel === '2' ? { longLived: true } : {}),
    });
  const lastDecision = () => bus.events((e) => e.kind === 'decision').at(-1)!;
  const live = (token: string) => grants.tokens.get(token) !== undefined && grants.tokens.get(token)?.revoked === undefined;

  beforeEach(() => {
    clock = SandboxClock.frozenAt(NOW);
    bus = new TraceBus(clock);
    grants = new GrantStore();
    consents = new ConsentStore({ clock });
  });

  it("a foreign client replaying a used code: invalid_grant, and the rightful client's token (and consent) stay valid", async () => {
    issueCode({ longLived: true });
    const first = await redeem();
    expect(first.status).toBe(200);
    const stolen = await redeem({}, THIEF);
    expect([stolen.status, stolen.json]).toEqual([
      400,
      { error: 'invalid_grant', error_description: `the code was issued to ${PGO}, not to ${THIEF}; nothing is revoked` },
    ]);
    expect(lastDecision()).toMatchObject({ outcome: 'refused', ruleId: 'dvza.token.code-other-client', from: THIEF });
    expect(live(first.json.access_token)).toBe(true);
    expect(grants.codes.get('code-1')?.tokens).toEqual([first.json.access_token]);
    if (afsprakenstelsel === '2') {
      // The long-lived consent too: its refresh token still works for the rightful client.
      const refreshed = await post(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token!, client_id: PGO }).toString());
      expect(refreshed.status).toBe(200);
    }
    // The rightful client's own replay still revokes what the code produced (RFC 6749 §4.1.2).
    const replay = await redeem();
    // In 2 with the refresh above: its access token too.
    expect(replay.json.error_description).toMatch(
      new RegExp(`already used .*; ${afsprakenstelsel === '2' ? 2 : 1} access token\\(s\\) issued from it are revoked`),
    );
    expect(live(first.json.access_token)).toBe(false);
  });

  it('a foreign client with an unknown code, or an unused one: invalid_grant, and the code still works for its client', async () => {
    expect((await post(tokenRequestBody({ code: 'nope', redirect_uri: REDIRECT, client_id: THIEF }), THIEF)).json).toEqual({
      error: 'invalid_grant',
      error_description: 'unknown code',
    });
    issueCode();
    expect((await redeem({}, THIEF)).json.error).toBe('invalid_grant');
    expect(grants.codes.get('code-1')?.usedAt).toBeUndefined();
    expect((await redeem()).status).toBe(200);
  });

  it("client_id other than the certificate's host: 401 invalid_client as JSON, without a WWW-Authenticate challenge", async () => {
    issueCode();
    const r = await redeem({ client_id: THIEF });
    expect([r.status, r.headers.get('www-authenticate'), r.headers.get('content-type')]).toEqual([401, null, 'application/json']);
    expect(r.json).toEqual({ error: 'invalid_client', error_description: `client_id ${THIEF} is not the host of the client certificate (${PGO})` });
  });

  it('a missing grant_type is invalid_request; a parameter given twice is invalid_request naming it, and the code stays unused', async () => {
    issueCode();
    expect((await redeem({ grant_type: null })).json).toEqual({ error: 'invalid_request', error_description: 'grant_type is missing' });
    const twice = await post(`${tokenRequestBody({ code: 'code-1', redirect_uri: REDIRECT, client_id: PGO })}&code=code-2`);
    expect([twice.status, twice.json.error, twice.json.error_description]).toEqual([
      400,
      'invalid_request',
      'code given more than once (RFC 6749 §3.2: each parameter once)',
    ]);
    expect(grants.codes.get('code-1')?.usedAt).toBeUndefined();
  });

  it('GET, PUT or DELETE at /oauth/token and /oauth/revoke: 405 with Allow: POST and an OAuth error body', async () => {
    for (const path of [DVZA_PATHS.token, REVOCATION_PATH]) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const r = await request(path, { method });
        expect([r.status, r.headers.get('allow'), r.json.error], `${method} ${path}`).toEqual([405, 'POST', 'invalid_request']);
        expect(r.json.error_description).toBe(`${path} answers POST only, not ${method}: send the request as an application/x-www-form-urlencoded form`);
      }
    }
    expect(lastDecision()).toMatchObject({ outcome: 'refused', ruleId: 'oauth.revoke.method-not-allowed' });
  });

  it('PKCE: a code of an S256 challenge needs its verifier; missing or wrong is invalid_grant and leaves the code unused', async () => {
    issueCode({ pkce: true });
    const missing = await redeem();
    expect([missing.status, missing.json.error, missing.json.error_description]).toEqual([
      400,
      'invalid_grant',
      'the authorization request carried a code_challenge; the token request must carry its code_verifier (RFC 7636 §4.5)',
    ]);
    const wrong = await redeem({ code_verifier: `${VERIFIER.slice(0, -1)}A` });
    expect([wrong.status, wrong.json.error]).toEqual([400, 'invalid_grant']);
    expect(lastDecision()).toMatchObject({ ruleId: 'oauth.pkce.verifier-wrong' });
    expect(grants.codes.get('code-1')?.usedAt).toBeUndefined();
    expect(s256(VERIFIER)).toBe(CHALLENGE);
    const right = await redeem({ code_verifier: VERIFIER });
    expect(right.status).toBe(200);
  });

  it('PKCE: a code_verifier for a code whose authorization request had no challenge is invalid_grant', async () => {
    issueCode();
    const r = await redeem({ code_verifier: VERIFIER });
    expect([r.status, r.json.error, lastDecision().ruleId]).toEqual([400, 'invalid_grant', 'oauth.pkce.verifier-without-challenge']);
    expect((await redeem()).status).toBe(200);
  });
});
