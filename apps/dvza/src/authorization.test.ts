/**
 * The authorization endpoint against what an attacker (or a careless client) sends, as unit tests in both
 * afsprakenstelsels: every answer to the redirect_uri names the DVZA as issuer (RFC 9207); a parameter given
 * twice, PKCE other than S256, a redirect_uri with userinfo or on another port are refused. The handlers are
 * called with `app.request()`, no sockets; the TVS and the patients are never reached on these paths.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, defaultTopologyPath, frontchannelUrl, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { listKindsOf, listsFromTopology } from '@medmij-sandbox/lists';
import { ASSURANCE_LEVELS } from '@medmij-sandbox/tvs-client';
import { AuditLog } from './audit.js';
import { FRONT_PATHS, createAuthorizationServer } from './authorization.js';
import { ConsentStore } from './consents.js';
import { GrantStore, LIFETIMES, type Flow } from './grants.js';
import type { DvzaLists, DvzaRuntime } from './runtime.js';

const NOW = '2026-06-01T10:00:00.000Z';
const PGO = 'pgo.localhost';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe.each(['1.5', '2'] as const)('DVZA authorization endpoint, afsprakenstelsel %s (unit, app.request)', (afsprakenstelsel) => {
  const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel, env: {} });
  const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
  const pgoPort = participantsByRole(topology, 'pgo')[0]!.frontchannelPort;
  const REDIRECT = `https://${PGO}:${pgoPort}/oauth/callback`;
  const ISSUER = frontchannelUrl(dekroon)!;
  const bodies = listsFromTopology(topology, new Set(), afsprakenstelsel);
  // The lists as published; a flow start here never refreshes or polls them (the server's middleware does).
  const lists: DvzaLists = {
    require: ((kind: keyof typeof bodies) => bodies[kind]) as DvzaLists['require'],
    current: () => undefined,
    refresh: async () => undefined,
    kinds: listKindsOf(afsprakenstelsel),
    noticed: async () => [],
    startPolling: () => undefined,
    stopPolling: () => undefined,
  };
  const scope = afsprakenstelsel === '2' ? 'dekroon' : 'dekroon~1';
  let clock: SandboxClock;
  let bus: TraceBus;
  let grants: GrantStore;
  // One stream per purpose, kept (as the runtime does): 1.5's flow ids come from it.
  let streams: Map<string, ReturnType<SeededRandom['stream']>>;
  const app = () => {
    // What the authorization request and the consent's answer use; the TVS and the patients are never reached here.
    const rt = {
      participant: dekroon,
      topology,
      clock,
      bus,
      grants,
      lists,
      audit: new AuditLog(join(tempDir(), 'audit.jsonl'), dekroon.hostname, clock),
      consents: new ConsentStore({ clock }),
      random: (purpose: string) => streams.get(purpose) ?? streams.set(purpose, new SeededRandom('unit').stream(purpose)).get(purpose)!,
      frontchannelUrl: ISSUER,
      clientFrontchannelPort: (host: string) => (host === PGO ? pgoPort : 443),
    } as Partial<DvzaRuntime> as DvzaRuntime;
    return createAuthorizationServer(rt);
  };
  const authorize = (query: string) => app().request(`${FRONT_PATHS.authorize}?${query}`);
  const base = (extra = '') => `response_type=code&client_id=${PGO}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=${scope}&state=s-1${extra}`;
  const location = (r: Response) => new URL(r.headers.get('location') ?? 'about:blank');
  const lastDecision = () => bus.events((e) => e.kind === 'decision').at(-1)!;

  beforeEach(() => {
    clock = SandboxClock.frozenAt(NOW);
    bus = new TraceBus(clock);
    grants = new GrantStore();
    streams = new Map();
  });

  it('a well-formed request opens a flow (the landing page); any path on the client host and port is fine', async () => {
    expect((await authorize(base())).status).toBe(200);
    const otherPath = await authorize(base().replace(encodeURIComponent('/oauth/callback'), encodeURIComponent('/elders/terug')));
    expect(otherPath.status).toBe(200);
    expect(grants.flows.size).toBe(2);
  });

  it('an error back to the redirect_uri names the issuer, with the state (RFC 9207)', async () => {
    const r = await authorize(base().replace('response_type=code', 'response_type=token'));
    expect(r.status).toBe(302);
    const to = location(r);
    expect([to.origin + to.pathname, to.searchParams.get('error'), to.searchParams.get('state'), to.searchParams.get('iss')]).toEqual([
      REDIRECT,
      'unsupported_response_type',
      's-1',
      ISSUER,
    ]);
  });

  it('the code back to the redirect_uri names the issuer too', async () => {
    const flow: Flow = {
      id: 'f1',
      cookie: 'c'.repeat(64),
      clientId: PGO,
      organisatienaam: 'MedMij Sandbox PGO',
      redirectUri: REDIRECT,
      state: 's-1',
      gegevensdiensten: [afsprakenstelsel === '2' ? '48' : '1'],
      lang: 'nl',
      createdAt: clock.nowMs(),
      tvs: { state: 't', nonce: 'n' },
      identity: { bsn: '999907967', level: ASSURANCE_LEVELS.at(-1)!, pseudonym: 'p', jti: 'j', issuedAt: NOW, expiresAt: NOW } as Flow['identity'],
      available: [afsprakenstelsel === '2' ? '48' : '1'],
      pkce: { codeChallenge: CHALLENGE, method: 'S256' },
    };
    grants.flows.set(flow.id, flow);
    const r = await app().request(FRONT_PATHS.consent, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-dvza_flow_f1=${flow.cookie}` },
      body: new URLSearchParams({ flow: 'f1', toestemming: 'ja', gegevensdienst: flow.available![0]! }).toString(),
    });
    expect(r.status).toBe(302);
    const to = location(r);
    expect([to.searchParams.get('state'), to.searchParams.get('iss')]).toEqual(['s-1', ISSUER]);
    // The code remembers the flow's PKCE challenge: the token endpoint will ask for its verifier.
    const code = grants.codes.get(to.searchParams.get('code')!);
    expect([code?.pkce, code!.expiresAt - clock.nowMs()]).toEqual([{ codeChallenge: CHALLENGE, method: 'S256' }, LIFETIMES.codeMs]);
  });

  it('a state given twice: invalid_request naming it, back without a state (none is exact), and no flow', async () => {
    const r = await authorize(base('&state=s-2'));
    const to = location(r);
    expect([r.status, to.searchParams.get('error'), to.searchParams.get('error_description')]).toEqual([
      302,
      'invalid_request',
      'state given more than once (RFC 6749 §3.1: each parameter once)',
    ]);
    expect([to.searchParams.has('state'), to.searchParams.get('iss')]).toEqual([false, ISSUER]);
    expect(lastDecision()).toMatchObject({ outcome: 'refused', ruleId: 'dvza.authorize.parameter-repeated' });
    expect(grants.flows.size).toBe(0);
  });

  it('scope, response_type or code_challenge given twice: invalid_request naming them, with the state', async () => {
    const to = location(await authorize(base('&scope=dekroon&response_type=code')));
    expect([to.searchParams.get('error_description'), to.searchParams.get('state')]).toEqual([
      'response_type and scope given more than once (RFC 6749 §3.1: each parameter once)',
      's-1',
    ]);
  });

  it('client_id or redirect_uri given twice: shown on a page, never redirected', async () => {
    for (const extra of [`&client_id=${PGO}`, `&redirect_uri=${encodeURIComponent('https://elders.localhost/cb')}`]) {
      const r = await authorize(base(extra));
      expect([r.status, r.headers.get('location')], extra).toEqual([400, null]);
      expect(await r.text()).toMatch(/meer dan één keer/);
    }
    expect(lastDecision()).toMatchObject({ ruleId: 'dvza.authorize.parameter-repeated-page', reason: expect.stringContaining('redirect_uri') });
  });

  it('a redirect_uri with userinfo, or on another port than the client’s: shown on a page, never redirected', async () => {
    const cases: Array<[string, RegExp]> = [
      [`https://evil@${PGO}:${pgoPort}/oauth/callback`, /geen gebruikersnaam of wachtwoord/],
      [`https://${PGO}@evil.localhost/oauth/callback`, /geen gebruikersnaam of wachtwoord/],
      [`https://${PGO}:9/oauth/callback`, new RegExp(`gebruikt poort 9; ${PGO} ontvangt zijn antwoorden op poort ${pgoPort}`)],
      [`https://${PGO}/oauth/callback`, new RegExp(`gebruikt poort 443; ${PGO} ontvangt zijn antwoorden op poort ${pgoPort}`)],
    ];
    for (const [uri, page] of cases) {
      const r = await authorize(base().replace(encodeURIComponent(REDIRECT), encodeURIComponent(uri)));
      expect([r.status, r.headers.get('location')], uri).toEqual([400, null]);
      expect(await r.text(), uri).toMatch(page);
    }
    expect(grants.flows.size).toBe(0);
  });

  it('PKCE: S256 is kept with the flow; plain, a missing method or a malformed challenge is invalid_request', async () => {
    expect((await authorize(base(`&code_challenge=${CHALLENGE}&code_challenge_method=S256`))).status).toBe(200);
    expect([...grants.flows.values()][0]!.pkce).toEqual({ codeChallenge: CHALLENGE, method: 'S256' });
    const refused: Array<[string, string]> = [
      [`&code_challenge=${CHALLENGE}&code_challenge_method=plain`, 'code_challenge_method must be S256, not plain'],
      [`&code_challenge=${CHALLENGE}`, 'code_challenge without code_challenge_method means plain'],
      ['&code_challenge_method=S256', 'code_challenge_method without code_challenge'],
      ['&code_challenge=abc&code_challenge_method=S256', 'code_challenge must be BASE64URL(SHA-256(code_verifier))'],
    ];
    for (const [extra, description] of refused) {
      const to = location(await authorize(base(extra)));
      expect([to.searchParams.get('error'), to.searchParams.get('state'), to.searchParams.get('iss')], extra).toEqual(['invalid_request', 's-1', ISSUER]);
      expect(to.searchParams.get('error_description'), extra).toContain(description);
    }
    expect(lastDecision()).toMatchObject({ outcome: 'refused', ruleId: 'dvza.authorize.pkce-refused' });
    expect(grants.flows.size).toBe(1);
  });
});
