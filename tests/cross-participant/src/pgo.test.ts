/**
 * The PGO server over real HTTPS, without a browser: two-factor login, the lists it will not start on,
 * a callback whose state it never issued, and the back-channel refusals of a careful client. The full browser journeys are
 * in tests/browser (pgo.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OperatorAccess, SandboxClock, TraceBus, backchannelUrl, participantsByRole, sandboxPaths } from '@medmij-sandbox/network';
import { freePort, tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, type HopResponse, type RunningListener } from '@medmij-sandbox/transport';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { StelselnodeControl, type AddRequest } from '@medmij-sandbox/stelselnode-client';
import type { Collection, CollectionSummary, SessionInfo } from '@medmij-sandbox/pgo-api';
import { startPgo } from '@medmij-sandbox/pgo';
import { startConsole } from '@medmij-sandbox/console';

const START = '2026-06-01T10:00:00Z';

describe('PGO server', () => {
  const clock = SandboxClock.frozenAt(START);
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let dir: string;
  let pki: SandboxPki;
  let pgoUrl: string;
  let consoleUrl: string;
  let stelselnodeUrl: string;
  let startAnotherPgo: (demoAccounts: boolean) => Promise<string>;

  beforeAll(async () => {
    dir = tempDir();
    const { topology } = await writeTestTopology(dir, { referenceDate: '2026-06-01', console: true });
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, pki, clock, bus, paths: sandboxPaths(dir) };
    startAnotherPgo = async (demoAccounts: boolean) => {
      const pgo = { ...participantsByRole(topology, 'pgo')[0]!, demoAccounts, frontchannelPort: await freePort(), notificationPort: await freePort() };
      listeners.push(...(await startPgo({ ...ctx, paths: sandboxPaths(join(dir, 'other-pgo')), participant: pgo })));
      return listeners.at(-1)!.url;
    };
    const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
    stelselnodeUrl = backchannelUrl(stelselnode)!;
    listeners.push(...(await startStelselnode({ ...ctx, participant: stelselnode })));
    listeners.push(...(await startPgo({ ...ctx, participant: participantsByRole(topology, 'pgo')[0]! })));
    pgoUrl = listeners.at(-1)!.url;
    // The operator's console beside it: the PGO's trace is there, not at the PGO.
    listeners.push(...(await startConsole({ ...ctx, participant: participantsByRole(topology, 'console')[0]! })));
    consoleUrl = listeners.at(-1)!.url;
  });
  afterAll(async () => Promise.all(listeners.map((l) => l.close())));
  beforeEach(() => {
    clock.freeze(START);
  });

  const browser = (path: string, o: { cookie?: string; json?: unknown } = {}): Promise<HopResponse> =>
    hop(`${pgoUrl}${path}`, {
      from: 'browser',
      clientCertificate: false,
      expectServerCertificate: 'browser',
      method: o.json === undefined ? 'GET' : 'POST',
      headers: { ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: o.json === undefined ? undefined : JSON.stringify(o.json),
      pki,
      clock,
    });

  const control = () => new StelselnodeControl({ url: stelselnodeUrl, tokenFile: sandboxPaths(dir).stelselnode.controlToken, from: 'test', pki, clock });

  async function login(): Promise<string> {
    const session = (await browser('/api/session')).json<SessionInfo>();
    const r = await browser('/api/login', { json: { username: 'demo', password: 'sandbox', totp: session.demoTotp.demo!.code } });
    expect(r.status).toBe(200);
    return String(r.headers['set-cookie']).split(';')[0]!;
  }

  describe('two-factor login', () => {
    it('needs the password and the current TOTP code of the sandbox clock', async () => {
      const session = (await browser('/api/session')).json<SessionInfo>();
      expect(session).toMatchObject({ loggedIn: false, demoAccounts: expect.arrayContaining([expect.objectContaining({ username: 'demo' })]) });
      const code = session.demoTotp.demo!.code;
      expect(code).toMatch(/^\d{6}$/);
      expect((await browser('/api/login', { json: { username: 'demo', password: 'wrong', totp: code } })).json()).toMatchObject({
        error: 'invalid_credentials',
      });
      const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      expect((await browser('/api/login', { json: { username: 'demo', password: 'sandbox', totp: wrongCode } })).json()).toMatchObject({
        error: 'invalid_totp',
      });
      clock.shift('2m'); // four periods later: the old code no longer counts
      expect((await browser('/api/login', { json: { username: 'demo', password: 'sandbox', totp: code } })).status).toBe(401);
      clock.freeze(START);
      const cookie = await login();
      expect((await browser('/api/session', { cookie })).json()).toMatchObject({ loggedIn: true, user: { username: 'demo' } });
    });

    it('login CSRF: JSON only, and no POST from another origin (nor Sec-Fetch-Site: cross-site); the session stays as it was', async () => {
      const cookie = await login();
      const totp = (await browser('/api/session')).json<SessionInfo>().demoTotp.demo!.code;
      /** A POST to the PGO's API with exactly these headers (no browser adds any). */
      const post = (path: string, headers: Record<string, string>, body: string) =>
        hop(`${pgoUrl}${path}`, {
          from: 'browser',
          clientCertificate: false,
          expectServerCertificate: 'browser',
          method: 'POST',
          headers,
          body,
          pki,
          clock,
        });
      const raw = (headers: Record<string, string>, body: string) => post('/api/login', headers, body);
      const form = await raw({ 'content-type': 'application/x-www-form-urlencoded' }, `username=demo&password=sandbox&totp=${totp}`);
      expect(form.status).toBe(415);
      expect(form.json()).toMatchObject({ error: 'invalid_request', message: { en: 'The PGO API takes JSON only (Content-Type: application/json).' } });
      expect((await raw({ 'content-type': 'text/plain' }, JSON.stringify({ username: 'demo', password: 'sandbox', totp }))).status).toBe(415);
      const json = JSON.stringify({ username: 'demo', password: 'sandbox', totp });
      const foreign = await raw({ 'content-type': 'application/json', origin: 'https://evil.localhost' }, json);
      expect(foreign.status).toBe(403);
      expect(foreign.json()).toMatchObject({ error: 'cross_origin', message: { en: expect.stringContaining('https://evil.localhost') } });
      expect(foreign.headers['set-cookie']).toBeUndefined();
      expect((await raw({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, json)).status).toBe(403);
      // A JSON body sent as text/plain (what an HTML form of another site can send) is no API call either.
      const start = JSON.stringify({ zorgaanbiedernaam: 'dekroon@medmij', gegevensdienstId: '1' });
      const plain = await post('/api/collect', { cookie, 'content-type': 'text/plain', origin: 'null' }, start);
      expect(plain.status).toBe(415);
      // The same refusal for every state-changing call: a forged collect from another site starts nothing.
      const collect = await post('/api/collect', { cookie, 'content-type': 'application/json', origin: 'https://evil.localhost' }, start);
      expect(collect.status).toBe(403);
      // Its own origin is fine, and the session was never touched.
      expect((await raw({ 'content-type': 'application/json', origin: pgoUrl }, json)).status).toBe(200);
      expect((await browser('/api/session', { cookie })).json()).toMatchObject({ loggedIn: true, user: { username: 'demo' } });
    });

    /** What the console's login page script does with the token of the link's fragment: a JSON POST from the console's own origin. */
    const operatorLogin = (token: string, headers: Record<string, string> = {}, body = JSON.stringify({ token })) =>
      hop(`${consoleUrl}/api/operator/login`, {
        from: 'browser',
        clientCertificate: false,
        expectServerCertificate: 'browser',
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: consoleUrl, 'sec-fetch-site': 'same-origin', ...headers },
        body,
        pki,
        clock,
      });

    it('the operator login link: the token in the fragment, exchanged by a same-origin JSON POST; no login CSRF', async () => {
      const { viewer, trainer } = new OperatorAccess(sandboxPaths(dir).operator).tokens();
      const page = (headers: Record<string, string>) =>
        hop(`${consoleUrl}/operator/login`, { from: 'browser', clientCertificate: false, expectServerCertificate: 'browser', headers, pki, clock });
      // Opened by the person (a terminal, the address bar): the page logs in by itself. It never holds the token.
      const own = await page({ 'sec-fetch-site': 'none' });
      expect(own.status).toBe(200);
      expect(own.text()).toContain('data-auto="yes"');
      expect(own.text()).not.toContain(viewer);
      expect(own.headers['cache-control']).toContain('no-store');
      // Sent there by another site's page: it asks first (a viewer cannot quietly turn a trainer into a viewer).
      for (const site of ['cross-site', 'same-site']) expect((await page({ 'sec-fetch-site': site })).text()).toContain('data-auto="no"');
      const script = await hop(`${consoleUrl}/operator/login.js`, {
        from: 'browser',
        clientCertificate: false,
        expectServerCertificate: 'browser',
        pki,
        clock,
      });
      expect(script.headers['content-type']).toContain('text/javascript');
      expect(script.text()).toContain("history.replaceState(null, '', location.pathname)");
      // The exchange: another site's page, a form, a wrong token get nothing, and no cookie.
      const foreign = await operatorLogin(trainer, { origin: 'https://evil.localhost', 'sec-fetch-site': 'cross-site' });
      expect(foreign.status).toBe(403);
      expect(foreign.json()).toMatchObject({ error: 'cross_origin' });
      const form = await operatorLogin(trainer, { 'content-type': 'application/x-www-form-urlencoded' }, `token=${trainer}`);
      expect(form.status).toBe(415);
      const wrong = await operatorLogin('0'.repeat(64));
      expect(wrong.status).toBe(401);
      expect(wrong.json()).toMatchObject({ error: 'operator_required', message: { nl: expect.stringContaining('npm run sandbox -- operator') } });
      expect((await operatorLogin(trainer, {}, '{"token":7}')).status).toBe(401);
      for (const r of [foreign, form, wrong]) expect(r.headers['set-cookie']).toBeUndefined();
      // The old form of the link (the token in the query) logs nobody in: a GET changes nothing.
      const old = await hop(`${consoleUrl}/operator/login?token=${trainer}`, {
        from: 'browser',
        clientCertificate: false,
        expectServerCertificate: 'browser',
        pki,
        clock,
      });
      expect(old.status).toBe(200);
      expect(old.headers['set-cookie']).toBeUndefined();
      // Right: an HttpOnly, Secure, SameSite=Strict cookie, and where the role goes next.
      const ok = await operatorLogin(viewer);
      expect(ok.json()).toEqual({ role: 'viewer', next: '/#/inspector' });
      expect(String(ok.headers['set-cookie'])).toMatch(/^__Host-console_operator=[0-9a-f]{48}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
      // A link of another role than this browser's session (however it was opened) is asked about, never taken quietly.
      const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
      const swap = await operatorLogin(trainer, { cookie });
      expect(swap.status).toBe(409);
      expect(swap.json()).toMatchObject({ error: 'role_change', message: { nl: expect.stringContaining('Je bent al ingelogd als kijker') } });
      expect(swap.headers['set-cookie']).toBeUndefined();
      // The same role again needs no question; the person's yes swaps it.
      expect((await operatorLogin(viewer, { cookie })).status).toBe(200);
      const confirmed = await operatorLogin(trainer, { cookie }, JSON.stringify({ token: trainer, confirm: true }));
      expect(confirmed.json()).toEqual({ role: 'trainer', next: '/#/scenarios' });
    });

    it('operator sessions are capped per role: many viewer logins never push the trainer out', async () => {
      const { viewer, trainer } = new OperatorAccess(sandboxPaths(dir).operator).tokens();
      const trainerCookie = String((await operatorLogin(trainer)).headers['set-cookie']).split(';')[0]!;
      const firstViewer = String((await operatorLogin(viewer)).headers['set-cookie']).split(';')[0]!;
      const role = async (cookie: string) =>
        (
          await hop(`${consoleUrl}/api/operator`, {
            from: 'browser',
            clientCertificate: false,
            expectServerCertificate: 'browser',
            headers: { cookie },
            pki,
            clock,
          })
        ).json();
      for (let i = 0; i < 100; i++) expect((await operatorLogin(viewer)).status).toBe(200);
      expect(await role(trainerCookie)).toMatchObject({ role: 'trainer' });
      // The oldest viewer session made room.
      expect(await role(firstViewer)).toMatchObject({ role: null });
    });

    it("the trace is the console's, for the operator only: the PGO has none; a logged-in PGO user gets 401 at the console, the viewer token (Bearer) 200", async () => {
      const cookie = await login();
      expect((await browser('/api/trace?since=0', { cookie })).status).toBe(404);
      const trace = (headers: Record<string, string>) =>
        hop(`${consoleUrl}/api/trace?since=0`, { from: 'browser', clientCertificate: false, expectServerCertificate: 'browser', headers, pki, clock });
      const refused = await trace({ cookie });
      expect(refused.status).toBe(401);
      expect(refused.json()).toMatchObject({ error: 'operator_required' });
      expect(refused.text()).not.toMatch(/"bsn"|\d{9}/);
      const { viewer } = new OperatorAccess(sandboxPaths(dir).operator).tokens();
      expect((await trace({ authorization: viewer })).status).toBe(401);
      const r = await trace({ authorization: `Bearer ${viewer}` });
      expect(r.status).toBe(200);
      expect(r.json<{ events: unknown[] }>().events.length).toBeGreaterThan(0);
      // The login link's token never reaches the trace a viewer reads (else a viewer could become the trainer).
      const { trainer } = new OperatorAccess(sandboxPaths(dir).operator).tokens();
      expect((await trace({ authorization: `Bearer ${trainer}` })).status).toBe(200);
      const link = await operatorLogin(trainer);
      expect(link.status).toBe(200);
      expect(link.json()).toEqual({ role: 'trainer', next: '/#/scenarios' });
      const after = await trace({ authorization: `Bearer ${viewer}` });
      expect(after.text()).not.toContain(trainer);
      expect(after.text()).not.toContain(trainer.slice(0, 12));
      // A session opened with a token ends when the tokens change (a new .sandbox while the console runs).
      const session = String(link.headers['set-cookie']).split(';')[0]!;
      expect((await trace({ cookie: session })).status).toBe(200);
      writeFileSync(sandboxPaths(dir).operator, JSON.stringify({ secrets: { viewer: 'a'.repeat(64), trainer: 'b'.repeat(64) } }), { mode: 0o600 });
      expect((await trace({ cookie: session })).status).toBe(401);
    });

    it('topology pgo.demoAccounts: false (a shared machine): the login page gets no passwords or codes', async () => {
      const url = await startAnotherPgo(false);
      const r = await hop(`${url}/api/session`, { from: 'browser', clientCertificate: false, expectServerCertificate: 'browser', pki, clock });
      expect(r.json()).toEqual({ loggedIn: false, demoAccounts: [], demoTotp: {}, consoleUrl });
    });

    it('keeps the API closed without a session', async () => {
      const r = await browser('/api/collections');
      expect(r.status).toBe(401);
      expect(r.json()).toMatchObject({ error: 'login_required', message: { nl: 'Log eerst in.', en: 'Log in first.' } });
    });
  });

  it('refuses a callback whose state it never issued (CSRF), and says why', async () => {
    const cookie = await login();
    const r = await browser('/oauth/callback?code=stolen-code&state=forged', { cookie });
    expect(r.status).toBe(302);
    const id = /#\/collection\/([0-9a-f]+)/.exec(String(r.headers.location))![1]!;
    const collection = (await browser(`/api/collections/${id}`, { cookie })).json<Collection>();
    expect(collection).toMatchObject({
      status: 'refused',
      refusal: { code: 'state_mismatch', step: 'callback', title: { nl: 'Antwoord hoort niet bij jouw aanvraag' } },
    });
    expect(
      bus
        .events()
        .some((e) => e.reportedBy === 'pgo.localhost' && e.outcome === 'refused' && /state 'forged' belongs to no authorization request/.test(e.reason ?? '')),
    ).toBe(true);
    // the code was never offered to any DVZA
    expect(bus.events().some((e) => e.reportedBy === 'pgo.localhost' && e.kind === 'http' && e.url?.includes('/oauth/token'))).toBe(false);
  });

  it('does not start on expired lists; the refusal is stored with the collection', async () => {
    const cookie = await login();
    await control().call('freeze');
    try {
      clock.shift('25h');
      const r = await browser('/api/collect', { cookie, json: { zorgaanbiedernaam: 'dekroon@medmij', gegevensdienstId: '1' } });
      expect(r.status).toBe(409);
      expect(r.json()).toMatchObject({
        error: 'list_expired',
        refusal: {
          step: 'lists',
          rule: { en: 'SPEC §3.4 no new flow on an expired list', nl: 'SPEC §3.4 geen nieuwe uitwisseling op een verlopen lijst' },
          ruleId: 'lists.age.no-flow-on-expired',
        },
      });
      const list = (await browser('/api/collections', { cookie })).json<{ collections: CollectionSummary[] }>();
      expect(list.collections[0]).toMatchObject({ status: 'refused', refusal: { code: 'list_expired' } });
    } finally {
      clock.freeze(START);
      await control().call('unfreeze');
    }
  });

  describe('a careful client: refusals on the back channel', () => {
    const add = (participant: AddRequest) => control().call('add', participant);
    const remove = (participant: string) => control().call('remove', { participant });
    const stelselnodePort = () => new URL(stelselnodeUrl).port;

    it('a resource endpoint whose host is not on the Whitelist: the PGO does not start', async () => {
      const cookie = await login();
      await add({
        role: 'dvza',
        zorgaanbiedernaam: 'elders@medmij',
        authorizeUrl: 'https://dekroon.dvza.localhost/oauth/authorize',
        tokenUrl: 'https://dekroon.dvza.localhost/oauth/token',
        fhirUrl: 'https://elders.localhost/fhir',
        gegevensdiensten: ['1'],
      });
      try {
        const r = await browser('/api/collect', { cookie, json: { zorgaanbiedernaam: 'elders@medmij', gegevensdienstId: '1' } });
        expect(r.status).toBe(409);
        expect(r.json()).toMatchObject({
          error: 'not_on_whitelist',
          refusal: { title: { nl: 'Zorgaanbieder niet op de Whitelist' }, explanation: { nl: expect.stringContaining('elders.localhost') } },
        });
      } finally {
        await remove('elders@medmij');
      }
    });

    it("a token endpoint that shows another host's certificate: the code is never sent (ERR_TLS_CERT_ALTNAME_INVALID)", async () => {
      const cookie = await login();
      // dekroon's hostname, but the port of the stelselnode: the server presents stelselnode.localhost's certificate.
      const wrong = `https://dekroon.dvza.localhost:${stelselnodePort()}`;
      await add({
        role: 'dvza',
        zorgaanbiedernaam: 'verkeerd@medmij',
        authorizeUrl: `${wrong}/oauth/authorize`,
        tokenUrl: `${wrong}/oauth/token`,
        fhirUrl: `${wrong}/fhir`,
        gegevensdiensten: ['1'],
      });
      try {
        const started = (await browser('/api/collect', { cookie, json: { zorgaanbiedernaam: 'verkeerd@medmij', gegevensdienstId: '1' } })).json<{
          authorizeUrl: string;
        }>();
        const state = new URL(started.authorizeUrl).searchParams.get('state')!;
        // The browser comes back with a code (as if the DVZA had issued one); the PGO must not hand it over.
        const back = await browser(`/oauth/callback?code=some-code&state=${state}`, { cookie });
        const id = /#\/collection\/([0-9a-f]+)/.exec(String(back.headers.location))![1]!;
        const collection = (await browser(`/api/collections/${id}`, { cookie })).json<Collection>();
        expect(collection).toMatchObject({
          status: 'refused',
          refusal: { code: 'ERR_TLS_CERT_ALTNAME_INVALID', step: 'token', title: { nl: 'Het certificaat hoort niet bij deze zorgaanbieder' } },
        });
        const reached = bus.events().filter((e) => e.side === 'server' && e.url?.startsWith('/oauth/token'));
        expect(reached).toEqual([]);
      } finally {
        await remove('verkeerd@medmij');
      }
    });
  });

  it('starts a collection: the authorization request per SPEC §2.1', async () => {
    const cookie = await login();
    const r = await browser('/api/collect', { cookie, json: { zorgaanbiedernaam: 'dekroon@medmij', gegevensdienstId: '4' } });
    expect(r.status).toBe(200);
    const { authorizeUrl, traceId } = r.json<{ authorizeUrl: string; traceId: string }>();
    const url = new URL(authorizeUrl);
    expect(url.hostname).toBe('dekroon.dvza.localhost');
    expect(url.pathname).toBe('/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'pgo.localhost',
      redirect_uri: `${pgoUrl}/oauth/callback`,
      scope: 'dekroon~4',
      state: expect.stringMatching(/^[0-9a-f]{32}$/),
      'X-Correlation-ID': traceId,
      'MedMij-Request-ID': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('searches the Zorgaanbiederslijst with names from the Gegevensdienstnamenlijst', async () => {
    const cookie = await login();
    const r = (await browser('/api/zorgaanbieders?q=kroon', { cookie })).json<{
      zorgaanbieders: Array<{ zorgaanbiedernaam: string; displayName: string; gegevensdiensten: unknown[] }>;
    }>();
    expect(r.zorgaanbieders).toEqual([
      expect.objectContaining({
        zorgaanbiedernaam: 'dekroon@medmij',
        displayName: 'Huisartsenpraktijk De Kroon',
        gegevensdiensten: [
          { id: '1', weergavenaam: 'Basisgegevens Zorg (BgZ)' },
          { id: '4', weergavenaam: 'Laboratoriumresultaten' },
        ],
      }),
    ]);
  });
});
