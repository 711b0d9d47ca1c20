/**
 * The mock TVS over real HTTPS: the browser side (front channel, one-sided TLS) is driven with plain
 * requests, the DVZA side with the real TvsClient over mutual TLS. Browser rendering is in login.browser.test.ts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { CompactEncrypt, SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  TraceBus,
  frontchannelUrl,
  backchannelUrl,
  findParticipant,
  type Participant,
  type Topology,
  sandboxPaths,
} from '@medmij-sandbox/network';
import { tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs, pemToDer } from '@medmij-sandbox/pki';
import { HopError, hop, type HopResponse, type RunningListener } from '@medmij-sandbox/transport';
import { BSN_CLAIM, TVS_PATHS, TokenRefusedError, TvsAssertionError, TvsClient, type AssertionProblem } from '@medmij-sandbox/tvs-client';
import { generatePersonas, personaSetOf } from '@medmij-sandbox/fhir-data';
import { TVS_RULES, TVS_TOKEN, ruleText } from '@medmij-sandbox/rules';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { StelselnodeControl, type ControlAction, type ControlBodies } from '@medmij-sandbox/stelselnode-client';
import { startTvs } from '@medmij-sandbox/tvs';

const START = '2026-06-01T10:00:00Z';
const FREE_BSN = '999990019'; // 11-proef valid, not a persona

describe('mock TVS: login, code resolution and the identity assertion', () => {
  const clock = SandboxClock.frozenAt(START);
  const bus = new TraceBus(clock);
  let topology: Topology;
  let pki: SandboxPki;
  let listeners: RunningListener[];
  let tvs: { hostname: string; frontchannelUrl: string; backchannelUrl: string };
  // The DVZA's front channel: the TVS sends the login result nowhere else.
  const redirectUri = (host: string) => `${frontchannelUrl(findParticipant(topology, host)!)}/tvs/callback`;
  const clientFor = (host: string) => new TvsClient({ clientHostname: host, redirectUri: redirectUri(host), tvs, pki, clock, bus });

  let dir: string;
  // The stelselnode's control API, as `sandbox lists ...` uses it.
  const control = <A extends ControlAction>(action: A, body?: ControlBodies[A]) =>
    new StelselnodeControl({
      url: backchannelUrl(findParticipant(topology, 'stelselnode')!)!,
      tokenFile: sandboxPaths(dir).stelselnode.controlToken,
      from: 'test',
      pki,
      clock,
    }).call(action, body);

  beforeAll(async () => {
    dir = tempDir();
    ({ topology } = await writeTestTopology(dir, { secondDvza: true, referenceDate: '2026-06-01' }));
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const participant = findParticipant(topology, 'tvs') as Extract<Participant, { role: 'tvs' }>;
    const ctx = { topology, paths: sandboxPaths(dir), pki, clock, bus };
    // The TVS checks its callers against the Whitelist the stelselnode publishes.
    listeners = await startStelselnode({ ...ctx, participant: findParticipant(topology, 'stelselnode') as Extract<Participant, { role: 'stelselnode' }> });
    listeners.push(...(await startTvs({ ...ctx, participant })));
    tvs = { hostname: participant.hostname, frontchannelUrl: frontchannelUrl(participant)!, backchannelUrl: backchannelUrl(participant)! };
  });
  afterAll(async () => Promise.all((listeners ?? []).map((l) => l.close())));
  beforeEach(() => {
    clock.freeze(START);
  });

  /** The browser: front channel only, no client certificate, the sandbox browser CA trusted. */
  const browser = (url: string, o: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<HopResponse> =>
    hop(url, {
      from: 'browser',
      clientCertificate: false,
      expectServerCertificate: 'browser',
      method: o.form ? 'POST' : 'GET',
      headers: { ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...o.headers },
      body: o.form ? new URLSearchParams(o.form).toString() : undefined,
      pki,
      clock,
    });
  const location = (r: HopResponse) => new URL(String(r.headers.location), tvs.frontchannelUrl);

  /** A DVZA sends the browser to the TVS; returns the login session (page URL, cookie, id). */
  async function openLogin(client: TvsClient, o: { nonce?: string; minimumLevel?: 'basis' | 'substantieel' | 'hoog' } = {}) {
    const start = client.authorizationUrl({
      state: 'state-1',
      nonce: o.nonce ?? 'nonce-1',
      minimumLevel: o.minimumLevel ?? 'substantieel',
      traceId: 'trace-1',
    });
    const r = await browser(start);
    expect(r.status).toBe(303);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    const page = location(r);
    // Post where the page's form posts (its action carries the flow's X-Correlation-ID).
    const html = (await browser(page.toString(), { cookie })).text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    return { page, cookie, session: page.searchParams.get('session')!, action };
  }

  /** The person submits the login form; returns where the browser is sent back to. */
  async function submit(login: { page: URL; cookie: string; session: string; action: string }, form: Record<string, string>) {
    const r = await browser(new URL(login.action, tvs.frontchannelUrl).toString(), { cookie: login.cookie, form: { session: login.session, ...form } });
    return r;
  }

  /** A full successful login as `host`; returns the code from the callback. */
  async function loginFor(host: string, o: { bsn?: string; level?: string } = {}) {
    const client = clientFor(host);
    const login = await openLogin(client);
    const r = await submit(login, { outcome: 'success', bsn: 'other', otherBsn: o.bsn ?? FREE_BSN, level: o.level ?? 'substantieel' });
    expect(r.status).toBe(302);
    const back = location(r);
    expect(back.origin + back.pathname).toBe(redirectUri(host));
    return { client, callback: back.searchParams, code: back.searchParams.get('code')! };
  }

  /** Redeems a code at the token endpoint directly, as the DVZA, to get the raw assertion. */
  async function rawAssertion(host: string): Promise<string> {
    const { code } = await loginFor(host);
    const r = await hop(`${tvs.backchannelUrl}${TVS_PATHS.token}`, {
      method: 'POST',
      from: host,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(host), client_id: host }).toString(),
      pki,
      clock,
    });
    expect(r.status).toBe(200);
    return r.json<{ id_token: string }>().id_token;
  }

  const refusal = async (p: Promise<unknown>): Promise<AssertionProblem> => {
    try {
      await p;
    } catch (e) {
      if (e instanceof TvsAssertionError) return e.problem;
      throw e;
    }
    throw new Error('the assertion was accepted');
  };

  it('shows every persona in the picker, with age, BSN and scenario', async () => {
    const login = await openLogin(clientFor('dekroon.dvza.localhost'));
    const r = await browser(login.page.toString(), { cookie: login.cookie });
    expect(r.status).toBe(200);
    const page = r.text();
    const personas = generatePersonas(personaSetOf(topology, '2026-06-01'));
    expect(personas.length).toBeGreaterThanOrEqual(7);
    for (const p of personas) {
      expect(page).toContain(`BSN ${p.bsn}`);
      expect(page).toContain(p.scenario.nl.replace(/'/g, '&#39;'));
    }
    expect(page).toContain('Huisartsenpraktijk De Kroon');
    expect(page).toMatch(/SANDBOX/);
    const english = await browser(`${login.page}&lang=en`.replace('lang=nl&', ''), { cookie: login.cookie });
    expect(english.text()).toContain('Log in with DigiD');
  });

  it('a successful login gives the DVZA the BSN, decrypted with its own key, at the chosen level', async () => {
    const { client, callback } = await loginFor('dekroon.dvza.localhost', { level: 'hoog' });
    const result = await client.completeLogin(callback, { state: 'state-1', nonce: 'nonce-1', traceId: 'trace-1' });
    expect(result).toMatchObject({ ok: true, identity: { bsn: FREE_BSN, level: { id: 'hoog' } } });
    const accepted = bus
      .events()
      .filter((e) => e.reportedBy === 'dekroon.dvza.localhost' && e.outcome === 'ok' && e.reason?.startsWith('identity assertion accepted'));
    expect(accepted.at(-1)?.traceId).toBe('trace-1');
  });

  it('the assertion on the wire: signed RS256 with the TVS certificate chain, BSN only as a JWE, short-lived, a per-DVZA pseudonym', async () => {
    const token = await rawAssertion('dekroon.dvza.localhost');
    expect(token).not.toContain(FREE_BSN);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: tvs.frontchannelUrl, aud: 'dekroon.dvza.localhost', acr: 'urn:etoegang:core:assurance-class:loa3' });
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(String(claims[BSN_CLAIM]).split('.')).toHaveLength(5); // compact JWE
    const other = decodeJwt(await rawAssertion('rivierenland.dvza.localhost'));
    expect(other.sub).not.toBe(claims.sub); // not linkable across services
    expect(decodeJwt(await rawAssertion('dekroon.dvza.localhost')).sub).toBe(claims.sub); // stable for one service
  });

  describe('the DVZA refuses a bad assertion with a clear reason', () => {
    it('changed after signing → forged_signature', async () => {
      const [h, p, s] = (await rawAssertion('dekroon.dvza.localhost')).split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      payload.acr = 'urn:etoegang:core:assurance-class:loa4';
      const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
      expect(await refusal(clientFor('dekroon.dvza.localhost').verifyAssertion(tampered, { nonce: 'nonce-1' }))).toBe('forged_signature');
    });

    it('signed with another key but naming the TVS certificate → forged_signature', async () => {
      const claims = decodeJwt(await rawAssertion('dekroon.dvza.localhost'));
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const x5c = [pemToDer(pki.material('tvs.localhost', 'server').certPem).toString('base64')];
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', x5c }).sign(privateKey);
      expect(await refusal(clientFor('dekroon.dvza.localhost').verifyAssertion(forged, { nonce: 'nonce-1' }))).toBe('forged_signature');
    });

    it('signed by another participant of the sandbox PKI → untrusted_signer', async () => {
      const claims = decodeJwt(await rawAssertion('dekroon.dvza.localhost'));
      const pgo = pki.material('pgo.localhost', 'server');
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', x5c: [pemToDer(pgo.certPem).toString('base64')] })
        .sign(createPrivateKey(pgo.keyPem));
      const client = clientFor('dekroon.dvza.localhost');
      await expect(client.verifyAssertion(forged, { nonce: 'nonce-1' })).rejects.toThrow(/signed by DNS:pgo\.localhost, not by tvs\.localhost/);
    });

    it("signed with the TVS's own client key (its client certificate in x5c) → untrusted_signer", async () => {
      const claims = decodeJwt(await rawAssertion('dekroon.dvza.localhost'));
      const tvsClient = pki.material('tvs.localhost', 'client');
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', x5c: [pemToDer(tvsClient.certPem).toString('base64')] })
        .sign(createPrivateKey(tvsClient.keyPem));
      const client = clientFor('dekroon.dvza.localhost');
      await expect(client.verifyAssertion(forged, { nonce: 'nonce-1' })).rejects.toThrow(
        /signed with the client certificate of tvs\.localhost \(serial [0-9A-F]+\), not with its server certificate/,
      );
    });

    it('an audience list (this DVZA and another) → wrong_audience, though it contains this DVZA', async () => {
      const claims = decodeJwt(await rawAssertion('dekroon.dvza.localhost'));
      const own = pki.material('tvs.localhost', 'server');
      const token = await new SignJWT({ ...claims, aud: ['dekroon.dvza.localhost', 'rivierenland.dvza.localhost'], jti: `${claims.jti}-list` })
        .setProtectedHeader({ alg: 'RS256', x5c: [pemToDer(own.certPem).toString('base64')] })
        .sign(createPrivateKey(own.keyPem));
      const client = clientFor('dekroon.dvza.localhost');
      await expect(client.verifyAssertion(token, { nonce: 'nonce-1' })).rejects.toThrow(
        'the assertion names a list of audiences (dekroon.dvza.localhost, rivierenland.dvza.localhost), not dekroon.dvza.localhost alone',
      );
      // A list of this DVZA alone is a list too.
      const single = await new SignJWT({ ...claims, aud: ['dekroon.dvza.localhost'], jti: `${claims.jti}-one` })
        .setProtectedHeader({ alg: 'RS256', x5c: [pemToDer(own.certPem).toString('base64')] })
        .sign(createPrivateKey(own.keyPem));
      expect(await refusal(client.verifyAssertion(single, { nonce: 'nonce-1' }))).toBe('wrong_audience');
    });

    it('used twice → replayed', async () => {
      const token = await rawAssertion('dekroon.dvza.localhost');
      const client = clientFor('dekroon.dvza.localhost');
      await client.verifyAssertion(token, { nonce: 'nonce-1' });
      expect(await refusal(client.verifyAssertion(token, { nonce: 'nonce-1' }))).toBe('replayed');
    });

    it('older than its two minutes on the sandbox clock → expired', async () => {
      const token = await rawAssertion('dekroon.dvza.localhost');
      clock.shift('121s');
      expect(await refusal(clientFor('dekroon.dvza.localhost').verifyAssertion(token, { nonce: 'nonce-1' }))).toBe('expired');
    });

    it('meant for another DVZA → wrong_audience', async () => {
      const token = await rawAssertion('dekroon.dvza.localhost');
      expect(await refusal(clientFor('rivierenland.dvza.localhost').verifyAssertion(token, { nonce: 'nonce-1' }))).toBe('wrong_audience');
    });

    it('from another login → nonce_mismatch', async () => {
      const token = await rawAssertion('dekroon.dvza.localhost');
      expect(await refusal(clientFor('dekroon.dvza.localhost').verifyAssertion(token, { nonce: 'another-login' }))).toBe('nonce_mismatch');
    });

    it('a BSN encrypted for someone else → bsn_not_decryptable (a misbehaving TVS, played by the test)', async () => {
      const claims = decodeJwt(await rawAssertion('dekroon.dvza.localhost'));
      const own = pki.material('tvs.localhost', 'server');
      const forRivierenland = createPublicKey(pki.material('rivierenland.dvza.localhost', 'client').certPem);
      claims[BSN_CLAIM] = await new CompactEncrypt(new TextEncoder().encode(FREE_BSN))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
        .encrypt(forRivierenland);
      claims.jti = 'another-jti';
      const x5c = own.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.map((pem) => pemToDer(pem).toString('base64'));
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', x5c }).sign(createPrivateKey(own.keyPem));
      expect(await refusal(clientFor('dekroon.dvza.localhost').verifyAssertion(token, { nonce: 'nonce-1' }))).toBe('bsn_not_decryptable');
    });
  });

  describe('the code is an artifact: single-use, short-lived, for one service', () => {
    const redeem = (client: TvsClient, code: string) => client.redeem(code, { nonce: 'nonce-1' });
    const tokenError = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (e instanceof TokenRefusedError) return e.message;
        throw e;
      }
      throw new Error('the code was accepted');
    };

    it('resolved twice → invalid_grant the second time', async () => {
      const { client, code } = await loginFor('dekroon.dvza.localhost');
      await redeem(client, code);
      expect(await tokenError(redeem(client, code))).toMatch(/invalid_grant \(the code was already resolved at .*: a code counts once\)/);
      const refusal = bus.events().find((e) => e.reportedBy === 'tvs.localhost' && e.outcome === 'refused' && e.ruleId === TVS_TOKEN.codeReused.id);
      expect(refusal?.rule).toBe(ruleText(TVS_RULES.resolvedOnce));
    });

    it('resolved by another DVZA → invalid_grant', async () => {
      const { code } = await loginFor('dekroon.dvza.localhost');
      const thief = new TvsClient({ clientHostname: 'rivierenland.dvza.localhost', redirectUri: redirectUri('dekroon.dvza.localhost'), tvs, pki, clock, bus });
      expect(await tokenError(redeem(thief, code))).toMatch(/the code was issued to dekroon\.dvza\.localhost, not to rivierenland\.dvza\.localhost/);
    });

    it('after two minutes → invalid_grant (expired)', async () => {
      const { client, code } = await loginFor('dekroon.dvza.localhost');
      clock.shift('2m1s');
      expect(await tokenError(redeem(client, code))).toMatch(/the code expired at/);
    });

    it('with another redirect_uri → invalid_grant', async () => {
      const { code } = await loginFor('dekroon.dvza.localhost');
      const other = new TvsClient({
        clientHostname: 'dekroon.dvza.localhost',
        redirectUri: 'https://dekroon.dvza.localhost:8443/elsewhere',
        tvs,
        pki,
        clock,
        bus,
      });
      expect(await tokenError(redeem(other, code))).toMatch(/redirect_uri differs/);
    });

    it('for a DVZA taken off the Whitelist → invalid_client; the code stays unused, and counts once it is back', async () => {
      const { client, code } = await loginFor('dekroon.dvza.localhost');
      const before = bus.events().at(-1)!.seq;
      await control('remove', { participant: 'dekroon' });
      // The stelselnode told the TVS before its control call returned: the TVS fetched the new Whitelist then…
      const noticeDecided = bus.events(
        (e) => e.seq > before && e.reportedBy === 'tvs.localhost' && e.kind === 'decision' && (e.reason ?? '').startsWith('accepted Whitelist '),
      );
      expect(noticeDecided).toHaveLength(1);
      const afterNotice = bus.events().at(-1)!.seq;
      try {
        expect(await tokenError(redeem(client, code))).toBe(
          "the TVS refused the code: invalid_client (the client certificate's host dekroon.dvza.localhost is not on the Whitelist the stelselnode publishes now)",
        );
        const refusal = bus.events((e) => e.reportedBy === 'tvs.localhost' && e.kind === 'decision').at(-1)!;
        expect(refusal).toMatchObject({ outcome: 'refused', ruleId: TVS_TOKEN.notOnWhitelist.id, rule: ruleText(TVS_RULES.whitelist) });
        expect(TVS_TOKEN.notOnWhitelist.nl(refusal.params as { host: string })).toContain('staat niet op de Whitelist die de stelselnode nu publiceert');
        // …and fetches no list for a code: it judges on the Whitelist it holds.
        expect(bus.events((e) => e.seq > afterNotice && e.kind === 'http' && e.from === 'tvs.localhost' && e.to === 'stelselnode.localhost')).toEqual([]);
      } finally {
        await control('restore', { participant: 'dekroon' });
      }
      // Nothing lost: the same code still resolves, once.
      expect((await redeem(client, code)).bsn).toBe(FREE_BSN);
    });

    it('while the TVS holds no usable Whitelist → temporarily_unavailable; the code stays unused', async () => {
      const { client, code } = await loginFor('dekroon.dvza.localhost');
      // Lists published a day and a bit ago, and no newer ones: the TVS takes them, expired.
      await control('stale', { age: '25h' });
      try {
        expect(await tokenError(redeem(client, code))).toMatch(
          /^the TVS refused the code: temporarily_unavailable \(the TVS cannot check the Whitelist now, so it resolves no code yet; the code stays valid: Whitelist Volgnummer \d+ has expired/,
        );
        expect(bus.events((e) => e.reportedBy === 'tvs.localhost' && e.kind === 'decision').at(-1)).toMatchObject({ ruleId: TVS_TOKEN.whitelistUnusable.id });
      } finally {
        await control('reset', { consumers: 'keep' });
      }
      expect((await redeem(client, code)).bsn).toBe(FREE_BSN);
    });

    it('without a client certificate the back channel refuses at the TLS handshake', async () => {
      const { code } = await loginFor('dekroon.dvza.localhost');
      const attempt = hop(`${tvs.backchannelUrl}${TVS_PATHS.token}`, {
        method: 'POST',
        from: 'dekroon.dvza.localhost',
        clientCertificate: false,
        body: `code=${code}`,
        pki,
        clock,
      });
      await expect(attempt).rejects.toBeInstanceOf(HopError);
      expect(bus.events().some((e) => e.reportedBy === 'tvs.localhost' && e.kind === 'tls' && e.reason?.includes('NO_CLIENT_CERTIFICATE'))).toBe(true);
    });
  });

  describe('the login request and the login form', () => {
    const authorize = (params: Record<string, string>) => browser(`${tvs.frontchannelUrl}${TVS_PATHS.authorize}?${new URLSearchParams(params)}`);
    const good = {
      response_type: 'code',
      scope: 'openid',
      client_id: 'dekroon.dvza.localhost',
      // Read when spread (after beforeAll started the network on its ports).
      get redirect_uri() {
        return redirectUri('dekroon.dvza.localhost');
      },
      state: 's',
      nonce: 'n',
    };

    it('an unknown service or a redirect_uri on another host gets a page, never a redirect', async () => {
      const unknown = await authorize({ ...good, client_id: 'evil.localhost' });
      expect(unknown.status).toBe(400);
      expect(unknown.text()).toContain('De dienst evil.localhost is niet aangesloten op deze TVS.');
      const elsewhere = await authorize({ ...good, redirect_uri: 'https://evil.localhost/steal' });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.headers.location).toBeUndefined();
      expect(elsewhere.text()).toContain('De terugkeer-URL ligt op evil.localhost, niet op dekroon.dvza.localhost');
    });

    it("a redirect_uri with userinfo or on another port than the service's front channel gets a page, never a redirect; any path is fine", async () => {
      const own = new URL(redirectUri('dekroon.dvza.localhost'));
      const cases: Array<[string, string]> = [
        [`https://evil@${own.host}/tvs/callback`, 'De terugkeer-URL mag geen gebruikersnaam of wachtwoord bevatten (gebruiker@host).'],
        [`https://${own.hostname}@evil.localhost/tvs/callback`, 'De terugkeer-URL mag geen gebruikersnaam of wachtwoord bevatten (gebruiker@host).'],
        [
          `https://${own.hostname}:9/tvs/callback`,
          `De terugkeer-URL gebruikt poort 9; ${own.hostname} ontvangt het inlogresultaat op poort ${own.port || 443}.`,
        ],
      ];
      for (const [uri, page] of cases) {
        const r = await authorize({ ...good, redirect_uri: uri });
        expect([r.status, r.headers.location], uri).toEqual([400, undefined]);
        expect(r.text(), uri).toContain(page);
      }
      const otherPath = await authorize({ ...good, redirect_uri: `${own.origin}/elders/terug` });
      expect(otherPath.status).toBe(303);
    });

    it('a request without nonce goes back to the service as invalid_request', async () => {
      const { nonce: _, ...withoutNonce } = good;
      const r = await authorize(withoutNonce);
      expect(r.status).toBe(302);
      expect(Object.fromEntries(location(r).searchParams)).toMatchObject({ error: 'invalid_request', state: 's' });
    });

    for (const outcome of ['cancelled', 'authentication_failed', 'session_expired', 'tvs_error'] as const) {
      it(`outcome ${outcome} goes back as an OAuth error with tvs_outcome`, async () => {
        const client = clientFor('dekroon.dvza.localhost');
        const r = await submit(await openLogin(client), { outcome });
        const back = location(r).searchParams;
        expect(back.get('tvs_outcome')).toBe(outcome);
        expect(back.get('error')).toBe(outcome === 'tvs_error' ? 'temporarily_unavailable' : 'access_denied');
        expect(await client.completeLogin(back, { state: 'state-1', nonce: 'nonce-1' })).toMatchObject({ ok: false, outcome });
      });
    }

    it('a login page left open for more than 15 minutes on the sandbox clock ends in session_expired', async () => {
      const login = await openLogin(clientFor('dekroon.dvza.localhost'));
      clock.shift('15m1s');
      const r = await submit(login, { outcome: 'success', bsn: 'other', otherBsn: FREE_BSN, level: 'substantieel' });
      expect(location(r).searchParams.get('tvs_outcome')).toBe('session_expired');
    });

    it('refuses a form from another browser (no session cookie), a used session, and an invalid BSN', async () => {
      const login = await openLogin(clientFor('dekroon.dvza.localhost'));
      const noCookie = await browser(new URL(TVS_PATHS.login, tvs.frontchannelUrl).toString(), { form: { session: login.session, outcome: 'cancelled' } });
      expect(noCookie.status).toBe(400);
      expect(noCookie.text()).toContain('hoort bij een andere browser');
      // A cookie forged from the session id (it is in the URL and the trace) proves nothing: its value is random.
      const forged = await browser(new URL(TVS_PATHS.login, tvs.frontchannelUrl).toString(), {
        form: { session: login.session, outcome: 'cancelled' },
        cookie: `tvs_session_${login.session}=1`,
      });
      expect(forged.status).toBe(400);
      expect(login.cookie).toMatch(new RegExp(`^tvs_session_${login.session}=[0-9a-f]{64}$`));
      const bad = await submit(login, { outcome: 'success', bsn: 'other', otherBsn: '123456789' });
      expect(bad.status).toBe(422);
      expect(bad.text()).toContain('11-proef');
      expect((await submit(login, { outcome: 'cancelled' })).status).toBe(302);
      const again = await submit(login, { outcome: 'cancelled' });
      expect(again.status).toBe(400);
      expect(again.text()).toContain('al ingelogd of geannuleerd');
    });

    it("refuses a login form posted from another site's page (CSRF), and the session stays open for the person", async () => {
      const login = await openLogin(clientFor('dekroon.dvza.localhost'));
      const forged = await browser(new URL(login.action, tvs.frontchannelUrl).toString(), {
        cookie: login.cookie,
        form: { session: login.session, outcome: 'cancelled' },
        headers: { origin: 'https://evil.localhost', 'sec-fetch-site': 'cross-site' },
      });
      expect(forged.status).toBe(403);
      expect(forged.text()).toContain('vanaf een andere site verstuurd (https://evil.localhost)');
      // Nothing was used up: the person's own page still logs in.
      expect((await submit(login, { outcome: 'cancelled' })).status).toBe(302);
    });

    it('two logins in one browser (two tabs) do not overwrite each other', async () => {
      const client = clientFor('dekroon.dvza.localhost');
      const first = await openLogin(client);
      const second = await openLogin(client);
      const both = `${first.cookie}; ${second.cookie}`;
      expect((await submit({ ...first, cookie: both }, { outcome: 'cancelled' })).status).toBe(302);
      expect((await submit({ ...second, cookie: both }, { outcome: 'cancelled' })).status).toBe(302);
    });

    it('a level below the requested one is delivered, flagged on the trace for the DVZA to refuse', async () => {
      const client = clientFor('dekroon.dvza.localhost');
      const r = await submit(await openLogin(client, { minimumLevel: 'substantieel' }), {
        outcome: 'success',
        bsn: 'other',
        otherBsn: FREE_BSN,
        level: 'basis',
      });
      const result = await client.completeLogin(location(r).searchParams, { state: 'state-1', nonce: 'nonce-1' });
      expect(result).toMatchObject({ ok: true, identity: { level: { id: 'basis' } } });
      expect(
        bus.events().some((e) => e.reportedBy === 'tvs.localhost' && e.outcome === 'warning' && /below the requested Substantieel/.test(e.reason ?? '')),
      ).toBe(true);
    });

    it("every hop of a login is on the trace under the flow's correlation id", async () => {
      const before = bus.events().length;
      const { client, callback } = await loginFor('dekroon.dvza.localhost');
      await client.completeLogin(callback, { state: 'state-1', nonce: 'nonce-1', traceId: 'trace-1' });
      const flow = bus
        .events()
        .slice(before)
        .filter((e) => e.traceId === 'trace-1');
      const hops = flow.filter((e) => e.kind === 'http').map((e) => `${e.side} ${e.from}→${e.to} ${e.method} ${e.url?.split('?')[0]} ${e.status}`);
      expect(hops).toEqual([
        'server browser→tvs.localhost GET /authorize 303',
        'server browser→tvs.localhost GET /login 200',
        'server browser→tvs.localhost POST /login 302',
        // the server reports while answering, the client once the answer is in
        'server dekroon.dvza.localhost→tvs.localhost POST /token 200',
        'client dekroon.dvza.localhost→tvs.localhost POST /token 200',
      ]);
      expect(flow.filter((e) => e.kind === 'decision').map((e) => e.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    });
  });
});
