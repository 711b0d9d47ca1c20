/**
 * The HTTP security headers on real answers of every participant, over real HTTPS (and the PKI repository's plain
 * HTTP), in the whole network as `npm start` runs it (startNetwork): a person's journey through DVZA, TVS and
 * consent step by step, the PGO's token and FHIR calls on the back channel, the TVS's code resolution, the
 * stelselnode's lists and control API, the PGO's UI and API, and a 404 on every listener.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  backchannelUrl,
  frontchannelUrl,
  gegevensdienstOf,
  participantsByRole,
  pkiRepositoryUrl,
  sandboxPaths,
  type Participant,
} from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { parseList } from '@medmij-sandbox/lists';
import { startNetwork, type RunningNetwork } from '@medmij-sandbox/cli';
import { generatePersonas, personaSetOf } from '@medmij-sandbox/fhir-data';
import { HeadlessBrowser, walkThroughFlow, type BrowserResponse } from '@medmij-sandbox/scenario';
import { hop, type HopResponse } from '@medmij-sandbox/transport';

const DAY = '2026-06-01';

/** The person's browser, keeping every answer it got. */
class RecordingBrowser extends HeadlessBrowser {
  readonly answers: BrowserResponse[] = [];
  override async request(url: string, o?: Parameters<HeadlessBrowser['request']>[1]): Promise<BrowserResponse> {
    const r = await super.request(url, o);
    this.answers.push(r);
    return r;
  }
}

type Answer = Pick<HopResponse, 'status' | 'headers'>;

/** The headers every HTTPS answer carries, whatever it is. */
function expectHardened(r: Answer, where: string, o: { cache?: string } = {}) {
  const h = r.headers;
  expect(h['x-content-type-options'], where).toBe('nosniff');
  expect(h['referrer-policy'], where).toBe('no-referrer');
  expect(h['x-frame-options'], where).toBe('DENY');
  expect(h['strict-transport-security'], where).toBe('max-age=86400');
  expect(h['content-security-policy'], where).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy'], where).toMatch(/^default-src 'none'; /);
  expect(h['cache-control'], where).toBe(o.cache ?? 'no-store');
}

// Both afsprakenstelsels: 2 adds the consent overview (and its login through DigiD).
describe.each(['2', '1.5'] as const)('security headers on every participant, over the real network, afsprakenstelsel %s', (afsprakenstelsel) => {
  const clock = SandboxClock.frozenAt(`${DAY}T10:00:00Z`);
  let network: RunningNetwork;
  let dvza: Extract<Participant, { role: 'dvza' }>;
  let pgoHost: Extract<Participant, { role: 'pgo' }>;
  let redirectUri: string;
  let n = 0;
  const id = (what: string) => `${what}-headers-${afsprakenstelsel}-${++n}`;

  beforeAll(async () => {
    const dir = tempDir();
    const { path } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel });
    network = await startNetwork({ topologyPath: path, paths: sandboxPaths(dir), clock });
    dvza = participantsByRole(network.topology, 'dvza')[0]!;
    pgoHost = participantsByRole(network.topology, 'pgo')[0]!;
    redirectUri = `${frontchannelUrl(pgoHost)}/oauth/callback`;
  });
  afterAll(async () => {
    await network?.close();
  });

  const browserGet = (url: string) =>
    hop(url, { from: 'browser', clientCertificate: false, expectServerCertificate: 'browser', pki: network.pki, clock, bus: network.bus });
  const serverCall = (url: string, from: string, o: Partial<Parameters<typeof hop>[1]> = {}) =>
    hop(url, { from, pki: network.pki, clock, bus: network.bus, ...o });

  /** The BgZ entry of the DVZA on the Zorgaanbiederslijst, in either release. */
  async function bgzEndpoints() {
    const node = backchannelUrl(participantsByRole(network.topology, 'stelselnode')[0]!)!;
    const r = await hop(`${node}/MedMij_Zorgaanbiederslijst.xml`, { from: pgoHost.hostname, pki: network.pki, clock });
    const bgz = gegevensdienstOf(network.topology, 'bgz')!.id;
    if (afsprakenstelsel === '2') {
      const za = parseList('Zorgaanbiederslijst', r.text(), '2').zorgaanbieders.find((z) => z.zorgaanbiedernaam === dvza.zorgaanbiedernaam)!;
      return za.interfaceversies[0]!.gegevensdiensten.find((g) => g.gegevensdienstId === bgz)!;
    }
    return parseList('Zorgaanbiederslijst', r.text())
      .zorgaanbieders.find((z) => z.zorgaanbiedernaam === dvza.zorgaanbiedernaam)!
      .gegevensdiensten.find((g) => g.gegevensdienstId === bgz)!;
  }

  const tokenRequest = (tokenUri: string, form: Record<string, string>) =>
    serverCall(tokenUri, pgoHost.hostname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'medmij-request-id': id('request'), 'x-correlation-id': id('correlation') },
      body: new URLSearchParams(form).toString(),
    });
  const fhirRead = (resourceUri: string, path: string, token: string) =>
    serverCall(`${resourceUri}/${path}`, pgoHost.hostname, {
      headers: {
        accept: 'application/fhir+json; fhirVersion=3.0',
        authorization: `Bearer ${token}`,
        'medmij-request-id': id('request'),
        'x-correlation-id': id('correlation'),
      },
    });

  it("a person's journey: every answer of the DVZA's and the TVS's front channels, the consent page too; then token and FHIR", async () => {
    const bgz = gegevensdienstOf(network.topology, 'bgz')!.id;
    const personas = generatePersonas(personaSetOf(network.topology, DAY));
    const patient = personas.find(
      (p) => !p.deceasedDate && p.age >= 16 && p.providers.some((r) => r.providerId === dvza.id && r.gegevensdiensten.includes(bgz)),
    )!;
    const entry = await bgzEndpoints();
    const za = dvza.zorgaanbiedernaam.replace(/@medmij$/, '');
    const authorize = new URL(entry.authorizationEndpointUri);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: pgoHost.hostname,
      redirect_uri: redirectUri,
      scope: afsprakenstelsel === '2' ? za : `${za}~${bgz}`,
      state: id('state'),
      'MedMij-Request-ID': id('request'),
      'X-Correlation-ID': id('correlation'),
    }))
      authorize.searchParams.set(k, v);
    const browser = new RecordingBrowser({ pki: network.pki, clock });
    const end = await walkThroughFlow(browser, {
      authorizeUrl: authorize.toString(),
      redirectUri,
      choices: { bsn: patient.bsn, login: 'success', level: 'substantieel', consent: 'ja', gegevensdiensten: [bgz], longLived: true },
      stopAtCallback: true,
    });
    const code = end.callback?.searchParams.get('code');
    expect(code, end.response.text().slice(0, 300)).toBeTruthy();
    expect(end.consentPage).toBeDefined();
    expect([...new Set(browser.answers.map((a) => a.url.hostname))].sort()).toEqual([dvza.hostname, 'tvs.localhost'].sort());
    // Pages, redirects and all: landing page, DigiD redirect, TVS login page, login post, consent page, consent post.
    expect(browser.answers.length).toBeGreaterThanOrEqual(6);
    for (const a of browser.answers) {
      expectHardened(a, `${a.url.hostname} ${a.url.pathname} ${a.status}`);
      // Pages allow their own inline style by hash and no script at all.
      if (String(a.headers['content-type']).startsWith('text/html')) {
        expect(a.headers['content-security-policy']).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
        expect(a.headers['content-security-policy']).not.toMatch(/script-src|unsafe-inline/);
      }
    }

    const token = await tokenRequest(entry.tokenEndpointUri, {
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: redirectUri,
      client_id: pgoHost.hostname,
    });
    expect(token.status, token.text()).toBe(200);
    expectHardened(token, 'token endpoint');
    expect(token.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    const resourceUri = entry.systeemrollen[0]!.resourceEndpointUri;
    const patientRead = await fhirRead(resourceUri, 'Patient', token.json<{ access_token: string }>().access_token);
    expect(patientRead.status, patientRead.text().slice(0, 300)).toBe(200);
    expectHardened(patientRead, 'FHIR Patient');
    // A refusal of the resource server (an OperationOutcome) too.
    const refused = await fhirRead(resourceUri, 'Patient', 'not-a-token');
    expect(refused.status).toBe(401);
    expectHardened(refused, 'FHIR 401');
    // A refused token request (OAuth error JSON): the code was used already.
    const again = await tokenRequest(entry.tokenEndpointUri, {
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: redirectUri,
      client_id: pgoHost.hostname,
    });
    expect(again.status).toBe(400);
    expectHardened(again, 'token endpoint, code used twice');
  });

  it("the DVZA's consent overview (in 2: its DigiD login and the overview page), and a 404 on both of its channels", async () => {
    const front = frontchannelUrl(dvza)!;
    const browser = new RecordingBrowser({ pki: network.pki, clock });
    if (afsprakenstelsel === '2') {
      const personas = generatePersonas(personaSetOf(network.topology, DAY));
      const person = personas.find((p) => !p.deceasedDate && p.age >= 16 && p.providers.some((r) => r.providerId === dvza.id))!;
      const end = await walkThroughFlow(browser, {
        authorizeUrl: `${front}/toestemmingen`,
        redirectUri: `${front}/never`,
        choices: { bsn: person.bsn, login: 'success', level: 'substantieel', consent: 'nee' },
        stopAtCallback: true,
      });
      expect(end.response.status).toBe(200);
      expect(browser.answers.length).toBeGreaterThanOrEqual(3);
    } else {
      // 1.5 has no overview: its 404 page.
      expect((await browser.request(`${front}/toestemmingen`)).status).toBe(404);
    }
    for (const a of browser.answers) expectHardened(a, `${a.url.hostname} ${a.url.pathname} ${a.status}`);
    expectHardened(await browserGet(`${front}/no-such-page`), 'DVZA front 404');
    const back404 = await serverCall(`${backchannelUrl(dvza)}/no-such-thing`, pgoHost.hostname);
    expect(back404.status).toBe(404);
    expectHardened(back404, 'DVZA back 404');
  });

  it('the TVS: its home page and discovery on the front channel, a refused code resolution and a 404 on the back channel', async () => {
    const tvs = participantsByRole(network.topology, 'tvs')[0]!;
    expectHardened(await browserGet(`${frontchannelUrl(tvs)}/`), 'TVS home');
    expectHardened(await browserGet(`${frontchannelUrl(tvs)}/.well-known/openid-configuration`), 'TVS discovery');
    const token = await serverCall(`${backchannelUrl(tvs)}/token`, dvza.hostname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=nonsense',
    });
    expect(token.status).toBeGreaterThanOrEqual(400);
    expectHardened(token, 'TVS token refusal');
    expectHardened(await serverCall(`${backchannelUrl(tvs)}/nowhere`, dvza.hostname), 'TVS back 404');
  });

  it("the stelselnode: its index, a list, the control API's refusal", async () => {
    const node = backchannelUrl(participantsByRole(network.topology, 'stelselnode')[0]!)!;
    for (const path of ['/', '/MedMij_Zorgaanbiederslijst.xml', '/_sandbox/control/status']) {
      const r = await serverCall(`${node}${path}`, pgoHost.hostname);
      expectHardened(r, `stelselnode ${path} ${r.status}`);
    }
  });

  it("the PGO: the UI's files keep their caching, its API and callback are never stored, its CSP allows only its own origin", async () => {
    const base = frontchannelUrl(pgoHost)!;
    const index = await browserGet(`${base}/`);
    expect(index.status).toBe(200);
    expectHardened(index, 'PGO index.html', { cache: 'no-cache' });
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(index.text())?.[1];
    expect(script, index.text()).toBeDefined();
    const asset = await browserGet(`${base}${script}`);
    expect(asset.status).toBe(200);
    expectHardened(asset, 'PGO asset', { cache: 'public, max-age=31536000, immutable' });
    for (const path of ['/api/session', '/api/no-such-endpoint', '/oauth/callback?state=unknown&code=x']) {
      const r = await browserGet(`${base}${path}`);
      expectHardened(r, `PGO ${path} ${r.status}`);
    }
  });

  it('the PKI repository (plain HTTP, public material): nosniff, no framing, no referrer, but no HSTS and its own caching', async () => {
    const r = await hop(`${pkiRepositoryUrl(network.topology)}/crl/root.crl`, { from: 'browser', clock, bus: network.bus });
    expect(r.status).toBe(200);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['cache-control']).toBeUndefined();
  });
});
