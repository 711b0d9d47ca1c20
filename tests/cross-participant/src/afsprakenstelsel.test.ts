/**
 * A client written from SPEC §10 and issue 15 alone — raw HTTPS with the PGO's certificate, the authorization
 * request and token requests built by hand, sharing no code with the reference PGO — against every DVZA of the
 * default topology with the real stelselnode and TVS, in each afsprakenstelsel:
 * - 2: authorize (scope = the zorgaanbieder) → consent with long-lived consent → token (refresh_token, scope =
 *   the granted ids) → the BgZ queries → 16 sandbox minutes later the access token is expired → refresh (no
 *   DigiD) → the queries again with the new token;
 * - 1.5: the same up to the queries; then there is no refresh token, and grant_type=refresh_token is
 *   unsupported_grant_type.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  TraceBus,
  backchannelUrl,
  gegevensdienstOf,
  participantsByRole,
  sandboxPaths,
  type Afsprakenstelsel,
  type Topology,
} from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { parseList } from '@medmij-sandbox/lists';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, type RunningListener } from '@medmij-sandbox/transport';
import { HeadlessBrowser, walkThroughFlow } from '@medmij-sandbox/scenario';
import { gegevensdienstQueries, generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';

const DAY = '2026-06-01';
const START = `${DAY}T10:00:00Z`;
const PGO = 'pgo.localhost';

describe.each(['2', '1.5'] as const)('a client written from the spec, afsprakenstelsel %s', (afsprakenstelsel: Afsprakenstelsel) => {
  const clock = SandboxClock.frozenAt(START);
  const bus = new TraceBus(clock);
  let topology: Topology;
  let pki: SandboxPki;
  let personas: Persona[];
  let stelselnodeUrl: string;
  let redirectUri: string;
  const listeners: RunningListener[] = [];
  let n = 0;
  const id = (what: string) => `${what}-${afsprakenstelsel}-${++n}`;

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel }));
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, paths: sandboxPaths(dir), pki, clock, bus };
    const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
    stelselnodeUrl = backchannelUrl(stelselnode)!;
    listeners.push(...(await startStelselnode({ ...ctx, participant: stelselnode })));
    listeners.push(...(await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! })));
    for (const dvza of participantsByRole(topology, 'dvza')) listeners.push(...(await startDvza({ ...ctx, participant: dvza })));
    const pgo = participantsByRole(topology, 'pgo')[0]!;
    redirectUri = `https://${PGO}:${pgo.frontchannelPort}/oauth/callback`;
    personas = generatePersonas(personaSetOf(topology, DAY));
  });
  afterAll(() => Promise.all(listeners.map((l) => l.close())));

  /** The BgZ entry of a zorgaanbieder on the Zorgaanbiederslijst, in either release. */
  async function bgzEndpoints(zorgaanbiedernaam: string) {
    const r = await hop(`${stelselnodeUrl}/MedMij_Zorgaanbiederslijst.xml`, { from: PGO, pki, clock });
    const bgz = gegevensdienstOf(topology, 'bgz')!.id;
    if (afsprakenstelsel === '2') {
      const za = parseList('Zorgaanbiederslijst', r.text(), '2').zorgaanbieders.find((z) => z.zorgaanbiedernaam === zorgaanbiedernaam)!;
      return za.interfaceversies[0]!.gegevensdiensten.find((g) => g.gegevensdienstId === bgz)!;
    }
    return parseList('Zorgaanbiederslijst', r.text())
      .zorgaanbieders.find((z) => z.zorgaanbiedernaam === zorgaanbiedernaam)!
      .gegevensdiensten.find((g) => g.gegevensdienstId === bgz)!;
  }

  const tokenRequest = (tokenUri: string, form: Record<string, string>) =>
    hop(tokenUri, {
      from: PGO,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'medmij-request-id': id('request'), 'x-correlation-id': id('correlation') },
      body: new URLSearchParams(form).toString(),
      pki,
      clock,
      bus,
    });

  const queries = async (resourceUri: string, token: string) => {
    for (const q of gegevensdienstQueries('bgz')) {
      const r = await hop(`${resourceUri}/${q.path}`, {
        from: PGO,
        headers: {
          accept: 'application/fhir+json; fhirVersion=3.0',
          authorization: `Bearer ${token}`,
          'medmij-request-id': id('request'),
          'x-correlation-id': id('correlation'),
        },
        pki,
        clock,
        bus,
      });
      if (r.status !== 200) return `${q.path}: ${r.status} ${r.text().slice(0, 200)}`;
    }
    return 'all 200';
  };

  it('every DVZA: authorize → consent → token → the BgZ queries, and in 2 a refresh after the access token expired', async () => {
    const bgz = gegevensdienstOf(topology, 'bgz')!.id;
    for (const dvza of participantsByRole(topology, 'dvza')) {
      clock.freeze(START);
      const patient = personas.find(
        (p) => !p.deceasedDate && p.age >= 16 && p.providers.some((r) => r.providerId === dvza.id && r.gegevensdiensten.includes(bgz)),
      )!;
      expect(patient, dvza.id).toBeDefined();
      const entry = await bgzEndpoints(dvza.zorgaanbiedernaam);
      const za = dvza.zorgaanbiedernaam.replace(/@medmij$/, '');
      const authorize = new URL(entry.authorizationEndpointUri);
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: PGO,
        redirect_uri: redirectUri,
        // SPEC §10.1: in 2 the zorgaanbieder alone; in 1.5 <zorgaanbieder>~<id>.
        scope: afsprakenstelsel === '2' ? za : `${za}~${bgz}`,
        state: id('state'),
        'MedMij-Request-ID': id('request'),
        'X-Correlation-ID': id('correlation'),
      }))
        authorize.searchParams.set(k, v);
      const end = await walkThroughFlow(new HeadlessBrowser({ pki, clock }), {
        authorizeUrl: authorize.toString(),
        redirectUri,
        choices: { bsn: patient.bsn, login: 'success', level: 'substantieel', consent: 'ja', gegevensdiensten: [bgz], longLived: true },
        stopAtCallback: true,
      });
      const code = end.callback?.searchParams.get('code');
      expect(code, `${dvza.id}: ${end.callback?.toString() ?? end.response.text().slice(0, 300)}`).toBeTruthy();
      if (afsprakenstelsel === '2') {
        expect(end.consentPage).toContain('name="langdurig"');
        expect(end.consentPage).not.toMatch(/name="langdurig"[^>]*checked/);
      }

      const token = await tokenRequest(entry.tokenEndpointUri, { grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri, client_id: PGO });
      expect(token.status, token.text()).toBe(200);
      const granted = token.json<{ access_token: string; token_type: string; expires_in: number; scope: string; refresh_token?: string }>();
      expect(granted).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: afsprakenstelsel === '2' ? bgz : `${za}~${bgz}` });
      const resourceUri = entry.systeemrollen[0]!.resourceEndpointUri;
      expect(await queries(resourceUri, granted.access_token), dvza.id).toBe('all 200');

      if (afsprakenstelsel === '1.5') {
        expect(granted.refresh_token).toBeUndefined();
        const refresh = await tokenRequest(entry.tokenEndpointUri, { grant_type: 'refresh_token', refresh_token: 'x', client_id: PGO });
        expect([refresh.status, refresh.json<{ error: string }>().error]).toEqual([400, 'unsupported_grant_type']);
        continue;
      }
      expect(granted.refresh_token).toMatch(/^[0-9a-f]{64}$/);
      clock.shift('16m');
      expect(await queries(resourceUri, granted.access_token)).toMatch(/401/);
      const refreshed = await tokenRequest(entry.tokenEndpointUri, { grant_type: 'refresh_token', refresh_token: granted.refresh_token!, client_id: PGO });
      expect(refreshed.status, refreshed.text()).toBe(200);
      const next = refreshed.json<{ access_token: string; scope: string; refresh_token: string }>();
      expect(next.scope).toBe(bgz);
      expect(next.refresh_token).not.toBe(granted.refresh_token);
      expect(await queries(resourceUri, next.access_token), `${dvza.id} after the refresh`).toBe('all 200');
    }
  });

  it('a scope of the other afsprakenstelsel: invalid_scope back to the PGO, saying which grammar this network speaks', async () => {
    const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
    const bgz = gegevensdienstOf(topology, 'bgz')!.id;
    const entry = await bgzEndpoints(dekroon.zorgaanbiedernaam);
    const authorize = new URL(entry.authorizationEndpointUri);
    const wrong = afsprakenstelsel === '2' ? `dekroon~${bgz}` : 'dekroon';
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: PGO, redirect_uri: redirectUri, scope: wrong, state: id('state') }))
      authorize.searchParams.set(k, v);
    const r = await new HeadlessBrowser({ pki, clock }).request(authorize.toString());
    expect(r.status).toBe(302);
    const back = new URL(HeadlessBrowser.location(r));
    expect(back.searchParams.get('error')).toBe('invalid_scope');
    expect(back.searchParams.get('error_description')).toContain(`afsprakenstelsel ${afsprakenstelsel}`);
  });

  it('a flow cookie forged from the flow id alone opens no step of the flow (its value is random)', async () => {
    const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
    const entry = await bgzEndpoints(dekroon.zorgaanbiedernaam);
    const authorize = new URL(entry.authorizationEndpointUri);
    const scope = afsprakenstelsel === '2' ? 'dekroon' : `dekroon~${gegevensdienstOf(topology, 'bgz')!.id}`;
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: PGO, redirect_uri: redirectUri, scope, state: id('state') }))
      authorize.searchParams.set(k, v);
    const person = new HeadlessBrowser({ pki, clock });
    const landing = await person.request(authorize.toString());
    const digid = HeadlessBrowser.link(landing.text(), /\/oauth\/digid\?flow=/)!;
    const flowId = new URL(digid, landing.url).searchParams.get('flow')!;
    // A host-only cookie (`__Host-`): a sibling DVZA under dvza.localhost (one site) cannot plant one.
    expect(String(landing.headers['set-cookie'])).toMatch(
      new RegExp(`^__Host-dvza_flow_${flowId}=[0-9a-f]{32,}; Max-Age=\\d+; Path=/; HttpOnly; Secure; SameSite=Lax$`),
    );
    const forged = await hop(new URL(digid, landing.url).toString(), {
      from: 'browser',
      clientCertificate: false,
      expectServerCertificate: 'browser',
      headers: { cookie: `__Host-dvza_flow_${flowId}=1` },
      pki,
      clock,
    });
    // In every version the cookie's value is random: knowing the flow id (it is in the trace) is not enough.
    expect(forged.status).toBe(400);
    expect(forged.text()).toContain('loopt niet (meer) in deze browser');
    // A consent answer posted from another site's page (CSRF) is refused before the flow is even looked at.
    const crossSite = await hop(new URL('/oauth/consent', landing.url).toString(), {
      from: 'browser',
      clientCertificate: false,
      expectServerCertificate: 'browser',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.localhost', 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ flow: flowId, toestemming: 'nee' }).toString(),
      pki,
      clock,
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.text()).toContain('vanaf een andere site verstuurd (https://evil.localhost)');
    // Neither attempt touched the person's flow: their own browser goes on to DigiD.
    const onward = await person.request(new URL(digid, landing.url).toString());
    expect(onward.status).toBe(302);
    expect(HeadlessBrowser.location(onward)).toMatch(/tvs\.localhost:\d+\/authorize/);
  });
  it('withdrawing long-lived consent: at the DVZA only by the person after DigiD, and by the PGO with RFC 7009 (2); neither in 1.5', async () => {
    const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
    const bgz = gegevensdienstOf(topology, 'bgz')!.id;
    const entry = await bgzEndpoints(dekroon.zorgaanbiedernaam);
    const front = new URL(entry.authorizationEndpointUri).origin;
    const revoke = (token: string) =>
      hop(new URL('/oauth/revoke', entry.tokenEndpointUri).toString(), {
        from: PGO,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'medmij-request-id': id('request'), 'x-correlation-id': id('correlation') },
        body: new URLSearchParams({ token, token_type_hint: 'refresh_token', client_id: PGO }).toString(),
        pki,
        clock,
        bus,
      });
    if (afsprakenstelsel === '1.5') {
      const overview = await new HeadlessBrowser({ pki, clock }).request(`${front}/toestemmingen`);
      expect(overview.status).toBe(404);
      expect(overview.text()).toContain('geen langdurige toestemming');
      const r = await revoke('x');
      expect([r.status, r.json<{ error: string }>().error]).toEqual([400, 'invalid_request']);
      expect(r.json<{ error_description: string }>().error_description).toMatch(/^this network speaks afsprakenstelsel 1\.5/);
      return;
    }
    // The last two who can: the first test of this file gave the first one a long-lived consent already.
    const [alice, bob] = personas
      .filter((p) => !p.deceasedDate && p.age >= 16 && p.providers.some((r) => r.providerId === dekroon.id && r.gegevensdiensten.includes(bgz)))
      .slice(-2);
    /** A long-lived consent of `person` for the PGO at De Kroon, and its refresh token. */
    const consent = async (person: Persona) => {
      const authorize = new URL(entry.authorizationEndpointUri);
      for (const [k, v] of Object.entries({ response_type: 'code', client_id: PGO, redirect_uri: redirectUri, scope: 'dekroon', state: id('state') }))
        authorize.searchParams.set(k, v);
      const end = await walkThroughFlow(new HeadlessBrowser({ pki, clock }), {
        authorizeUrl: authorize.toString(),
        redirectUri,
        choices: { bsn: person.bsn, login: 'success', level: 'substantieel', consent: 'ja', longLived: true },
        stopAtCallback: true,
      });
      const code = end.callback!.searchParams.get('code')!;
      return tokenRequest(entry.tokenEndpointUri, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: PGO }).then(
        (r) => r.json<{ refresh_token: string }>().refresh_token,
      );
    };
    /** The person logs in at the DVZA's overview; its withdraw forms (consent id, form token). */
    const overview = async (person: Persona) => {
      const browser = new HeadlessBrowser({ pki, clock });
      const end = await walkThroughFlow(browser, {
        authorizeUrl: `${front}/toestemmingen`,
        redirectUri: `${front}/never`,
        choices: { bsn: person.bsn, login: 'success', level: 'substantieel', consent: 'nee' },
        stopAtCallback: true,
      });
      expect(end.response.status).toBe(200);
      const forms = [...end.response.text().matchAll(/name="consent" value="([^"]+)">\s*<input type="hidden" name="token" value="([^"]+)"/g)];
      // A withdrawal answers with a redirect to the overview (post/redirect/get): followed, as a browser does.
      const withdraw = async (consentId: string, token: string) => {
        const r = await browser.request(`${front}/toestemmingen/intrekken`, { form: { consent: consentId, token, lang: 'nl', intrekken: 'ja' } });
        return r.status === 303 ? browser.request(HeadlessBrowser.location(r)) : r;
      };
      return { page: end.response.text(), forms: forms.map(([, consentId, token]) => ({ consentId: consentId!, token: token! })), withdraw };
    };
    const refreshWith = (token: string) => tokenRequest(entry.tokenEndpointUri, { grant_type: 'refresh_token', refresh_token: token, client_id: PGO });

    const refreshToken = await consent(alice!);
    const mine = await overview(alice!);
    expect(mine.forms).toHaveLength(1);
    const [{ consentId, token }] = mine.forms as [{ consentId: string; token: string }];
    // Someone else, logged in as themselves, with their own form token: not their consent, nothing withdrawn.
    await consent(bob!);
    const theirs = await overview(bob!);
    expect(theirs.forms).toHaveLength(1);
    expect(theirs.forms[0]!.consentId).not.toBe(consentId);
    const notYours = await theirs.withdraw(consentId, theirs.forms[0]!.token);
    expect([notYours.status, notYours.text()]).toEqual([400, expect.stringContaining('Deze toestemming is niet van u')]);
    // Another site posting with the person's cookie but without the form token; a browser with no session at all.
    const forged = await mine.withdraw(consentId, 'f'.repeat(64));
    expect([forged.status, forged.text()]).toEqual([400, expect.stringContaining('Uw toestemmingenoverzicht is niet (meer) geopend')]);
    expect((await new HeadlessBrowser({ pki, clock }).request(`${front}/toestemmingen/intrekken`, { form: { consent: consentId, token } })).status).toBe(400);
    const rotated = await refreshWith(refreshToken);
    expect(rotated.status).toBe(200);
    // Now the person withdraws it: the PGO's next refresh, with the newest refresh token, is refused for that reason.
    const done = await mine.withdraw(consentId, token);
    expect(done.status).toBe(200);
    expect(done.text()).toContain('U hebt de toestemming voor');
    expect(done.text()).toMatch(/ingetrokken op \d{4}-\d\d-\d\d/);
    const refused = await refreshWith(rotated.json<{ refresh_token: string }>().refresh_token);
    expect([refused.status, refused.json<{ error_description: string }>().error_description]).toEqual([
      400,
      expect.stringMatching(/^the person withdrew this long-lived consent at /),
    ]);
    // A second press changes nothing and says nothing.
    const again = await mine.withdraw(consentId, token);
    expect([again.status, again.text().includes('U hebt de toestemming voor')]).toEqual([200, false]);

    // The PGO's own withdrawal: RFC 7009 at /oauth/revoke, 200, and its refresh token counts no more.
    const second = await consent(alice!);
    expect((await revoke(second)).status).toBe(200);
    const afterRevoke = await refreshWith(second);
    expect([afterRevoke.status, afterRevoke.json<{ error_description: string }>().error_description]).toEqual([
      400,
      expect.stringMatching(/^the person withdrew this long-lived consent at /),
    ]);
  });
});
