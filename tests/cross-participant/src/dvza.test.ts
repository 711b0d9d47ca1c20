/**
 * The DVZAs of the default topology, driven over real HTTPS/mTLS by a scripted PGO and browser, with the
 * real stelselnode (lists) and TVS (DigiD) beside them: the full flow for every DVZA and gegevensdienst,
 * then each refusal of the authorization server, the token endpoint and the resource server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  TraceBus,
  backchannelUrl,
  gegevensdienstOf,
  participantsByRole,
  sandboxPaths,
  type Participant,
  type Topology,
} from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { ListConsumer } from '@medmij-sandbox/lists';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { HopError, type HopResponse, type RunningListener } from '@medmij-sandbox/transport';
import { gegevensdienstQueries, generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { StelselnodeControl, type ControlAction, type ControlBodies } from '@medmij-sandbox/stelselnode-client';
import { startTvs } from '@medmij-sandbox/tvs';
import { readAuditLog, startDvza } from '@medmij-sandbox/dvza';
import { ScriptedPgo } from '@medmij-sandbox/test-support';

const DAY = '2026-06-01';
const START = `${DAY}T10:00:00Z`;
const GENERIC_REFUSAL = 'the care provider makes no data available for this request';

describe('DVZAs: authorization server, token endpoint and FHIR resource server', () => {
  const clock = SandboxClock.frozenAt(START);
  const bus = new TraceBus(clock);
  let dir: string;
  let topology: Topology;
  let pki: SandboxPki;
  let pgo: ScriptedPgo;
  let personas: Persona[];
  let dvzas: Extract<Participant, { role: 'dvza' }>[];
  let stelselnodeUrl: string;
  const listeners: RunningListener[] = [];

  const persona = (tag: string) => {
    const found = personas.find((p) => p.tags.includes(tag));
    if (!found) throw new Error(`no persona tagged ${tag}`);
    return found;
  };
  /** A persona with data at this DVZA for this gegevensdienst, old enough, alive. */
  const patientFor = (dvzaId: string, gd: string) =>
    personas.find((p) => !p.deceasedDate && p.age >= 16 && p.providers.some((r) => r.providerId === dvzaId && r.gegevensdiensten.includes(gd)));

  const control = <A extends ControlAction>(action: A, body?: ControlBodies[A]) =>
    new StelselnodeControl({ url: stelselnodeUrl, tokenFile: sandboxPaths(dir).stelselnode.controlToken, from: 'test', pki, clock }).call(action, body);

  beforeAll(async () => {
    dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel: '1.5' }));
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, paths: sandboxPaths(dir), pki, clock, bus };
    const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
    stelselnodeUrl = backchannelUrl(stelselnode)!;
    listeners.push(...(await startStelselnode({ ...ctx, participant: stelselnode })));
    listeners.push(...(await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! })));
    dvzas = participantsByRole(topology, 'dvza');
    for (const dvza of dvzas) listeners.push(...(await startDvza({ ...ctx, participant: dvza })));
    const pgoHost = participantsByRole(topology, 'pgo')[0]!;
    const lists = new ListConsumer({ stelselnodeUrl, participant: pgoHost.hostname, pki, clock, bus });
    await lists.refresh();
    pgo = new ScriptedPgo({
      pgoHostname: pgoHost.hostname,
      redirectUri: `https://${pgoHost.hostname}:${pgoHost.frontchannelPort}/oauth/callback`,
      pki,
      clock,
      bus,
      lists,
    });
    personas = generatePersonas(personaSetOf(topology, DAY));
  });
  afterAll(async () => Promise.all(listeners.map((l) => l.close())));
  beforeEach(() => {
    clock.freeze(START);
  });

  /** Authorize with consent and redeem the code: the PGO's access token for one DVZA and gegevensdienst. */
  async function tokenFor(dvzaId: string, gd: string, patient = patientFor(dvzaId, gd)!) {
    const dvza = dvzas.find((d) => d.id === dvzaId)!;
    const flow = await pgo.authorize(dvza.zorgaanbiedernaam, gd, { bsn: patient.bsn });
    const code = flow.callback.get('code');
    if (!code) throw new Error(`no code: ${flow.callback}`);
    const entry = pgo.endpoints(dvza.zorgaanbiedernaam, gd);
    const token = await pgo.token(entry, code, { traceId: flow.traceId });
    expect(token.status).toBe(200);
    return { entry, code, flow, patient, token: token.json<{ access_token: string; token_type: string; expires_in: number; scope: string }>() };
  }

  const outcome = (r: HopResponse) => r.json<{ resourceType: string; issue: Array<{ code: string; diagnostics: string }> }>();

  it('the full flow works against every DVZA of the default topology, for every gegevensdienst it offers, with every query of that gegevensdienst', async () => {
    expect(dvzas.map((d) => d.id)).toEqual(['dekroon', 'rivierenland', 'deboog']);
    for (const dvza of dvzas) {
      for (const gd of dvza.gegevensdiensten) {
        const patient = patientFor(dvza.id, gd);
        expect(patient, `a persona with data at ${dvza.id} for ${gd}`).toBeDefined();
        const { entry, token, flow } = await tokenFor(dvza.id, gd, patient);
        expect(token).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: `${dvza.zorgaanbiedernaam.replace('@medmij', '')}~${gd}` });
        let resources = 0;
        for (const query of gegevensdienstQueries(gegevensdienstOf(topology, gd)?.key)) {
          const r = await pgo.fhir(entry, query.path, { token: token.access_token, traceId: flow.traceId });
          expect(r.status, `${dvza.id} ${query.path}: ${r.text().slice(0, 300)}`).toBe(200);
          expect(r.headers['content-type']).toMatch(/^application\/fhir\+json/);
          const bundle = r.json<{
            resourceType: string;
            type: string;
            total: number;
            entry?: Array<{ resource: { resourceType: string; id: string }; search: { mode: string } }>;
          }>();
          expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
          const type = query.path.split(/[/?]/)[0]!;
          for (const e of bundle.entry ?? []) if (e.search.mode === 'match') expect(e.resource.resourceType).toBe(type);
          resources += bundle.entry?.length ?? 0;
        }
        expect(resources, `${dvza.id} gegevensdienst ${gd} returns data`).toBeGreaterThan(0);
      }
    }
    // The BSN never travels between PGO and DVZA (SPEC §2.7, §7).
    const pgoSide = bus.events().filter((e) => e.reportedBy === 'pgo.localhost' && e.kind === 'http');
    expect(pgoSide.length).toBeGreaterThan(50);
    for (const e of pgoSide) for (const p of personas) expect(e.url ?? '').not.toContain(p.bsn);
  });

  it("every front-channel step of the person's journey is traced under the PGO's X-Correlation-ID", async () => {
    const { flow } = await tokenFor('dekroon', '1');
    const steps = bus
      .events()
      .filter((e) => e.traceId === flow.traceId && e.kind === 'http' && e.side === 'server' && e.from === 'browser')
      .map((e) => `${e.to} ${e.method} ${e.url?.split('?')[0]}`);
    expect(steps).toEqual([
      'dekroon.dvza.localhost GET /oauth/authorize',
      'dekroon.dvza.localhost GET /oauth/digid',
      'tvs.localhost GET /authorize',
      'tvs.localhost GET /login',
      'tvs.localhost POST /login',
      'dekroon.dvza.localhost GET /tvs/callback',
      'dekroon.dvza.localhost POST /oauth/consent',
    ]);
  });

  it("only the token decides the patient: the dossier returned is the logged-in person's", async () => {
    const { entry, token, patient } = await tokenFor('dekroon', '1');
    const r = await pgo.fhir(entry, 'Patient', { token: token.access_token });
    const bundle = r.json<{ entry: Array<{ resource: { identifier: unknown[]; name: Array<{ text: string }>; birthDate: string } }> }>();
    expect(bundle.entry).toHaveLength(1);
    // The person by name and date of birth: the BSN itself never leaves the DVZA (SPEC §10.6), it comes masked.
    const served = bundle.entry[0]!.resource;
    expect(served.name[0]!.text).toBe(patient.name.display);
    expect(served.birthDate).toBe(patient.birthDate);
    expect(served.identifier).toContainEqual({
      system: 'http://fhir.nl/fhir/NamingSystem/bsn',
      _value: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] },
    });
    expect(r.text()).not.toContain(patient.bsn);
  });

  describe('authorization request refusals', () => {
    const authorize = (params: Record<string, string | null>, gd = '1') =>
      pgo.authorize('dekroon@medmij', gd, { bsn: patientFor('dekroon', '1')!.bsn }, params);

    it('client_id not on the OAuthclientlist: a page (401 invalid_client), not a redirect', async () => {
      const r = await authorize({ client_id: 'evil.localhost', redirect_uri: 'https://evil.localhost/cb' });
      expect(r.landing.status).toBe(401);
      expect(r.landing.headers.location).toBeUndefined();
      expect(r.landing.text()).toContain('De app evil.localhost staat niet op de OAuthclientlist van MedMij.');
    });

    it('redirect_uri outside the client hostname, or with a query: a page (400 invalid_request)', async () => {
      const elsewhere = await authorize({ redirect_uri: 'https://evil.localhost/cb' });
      expect(elsewhere.landing.status).toBe(400);
      expect(elsewhere.landing.text()).toContain('De redirect_uri ligt op evil.localhost, niet op pgo.localhost');
      const query = await authorize({ redirect_uri: `${pgo.o.redirectUri}?next=/x` });
      expect(query.landing.status).toBe(400);
      expect(query.landing.text()).toContain('geen query');
    });

    it('response_type other than code → unsupported_response_type at the redirect_uri', async () => {
      const r = await authorize({ response_type: 'token' });
      expect(r.callback.get('error')).toBe('unsupported_response_type');
      expect(r.callback.get('state')).toBe(r.state);
    });

    it('scope for another zorgaanbieder, or a gegevensdienst not offered → invalid_scope', async () => {
      expect((await authorize({ scope: 'rivierenland~1' })).callback.get('error_description')).toBe(
        "scope names zorgaanbieder 'rivierenland', this is 'dekroon'",
      );
      const notOffered = await pgo.authorize('ggzdeboog@medmij', '1', { bsn: '999990019' }, { scope: 'ggzdeboog~4' });
      expect(Object.fromEntries(notOffered.callback)).toMatchObject({
        error: 'invalid_scope',
        error_description: 'gegevensdienst 4 is not offered by ggzdeboog (offered: 1, 5)',
      });
    });

    it('expired lists: no new flow (503 page)', async () => {
      await control('freeze');
      try {
        clock.shift('25h');
        const r = await authorize({});
        expect(r.landing.status).toBe(503);
        // A page without a flow's language is Dutch, the reason too (never English inside a Dutch page).
        expect(r.landing.text()).toMatch(/OAuthclientlist met Volgnummer \d+ is verlopen/);
        expect(r.landing.text()).not.toMatch(/has expired/);
      } finally {
        clock.freeze(START);
        await control('unfreeze');
      }
    });
  });

  describe('login and beschikbaarheidstoets refusals come back as access_denied, without revealing why to the PGO', () => {
    const flowFor = (patient: Persona | { bsn: string }, o: { gd?: string; level?: 'basis'; outcome?: 'cancelled'; consent?: 'nee'; dvza?: string } = {}) =>
      pgo.authorize(o.dvza ?? 'dekroon@medmij', o.gd ?? '1', { bsn: patient.bsn, level: o.level, outcome: o.outcome, consent: o.consent });
    const refusedOnTrace = (traceId: string) =>
      bus
        .events()
        .filter((e) => e.traceId === traceId && e.reportedBy === 'dekroon.dvza.localhost' && e.outcome === 'refused')
        .map((e) => e.reason)
        .join('\n');

    it('DigiD cancelled', async () => {
      const r = await flowFor(patientFor('dekroon', '1')!, { outcome: 'cancelled' });
      expect(Object.fromEntries(r.callback)).toMatchObject({
        error: 'access_denied',
        error_description: 'the person cancelled the DigiD login',
        state: r.state,
      });
    });

    it('DigiD level too low (Basis where Substantieel is required)', async () => {
      const r = await flowFor(patientFor('dekroon', '1')!, { level: 'basis' });
      expect(r.callback.get('error_description')).toBe('DigiD level Basis is too low: Substantieel is required');
    });

    it('patient under 16', async () => {
      const child = persona('under-16');
      const r = await flowFor(child, { dvza: zorgaanbiederOf(child) });
      expect(Object.fromEntries(r.callback)).toMatchObject({ error: 'access_denied', error_description: GENERIC_REFUSAL });
      expect(refusedOnTraceAny(r.traceId)).toMatch(new RegExp(`is 15 on ${DAY}.*at least 16`));
    });

    it('a patient who turns 16 today is let through to consent', async () => {
      const sixteen = persona('turns-16-today');
      const r = await flowFor(sixteen, { dvza: zorgaanbiederOf(sixteen) });
      expect(r.callback.get('code')).toBeTruthy();
      expect(r.consentPage).toContain(sixteen.name.display);
    });

    it('a patient unknown at the provider gets the same answer as the under-16 one', async () => {
      const r = await flowFor(persona('unknown'));
      expect(Object.fromEntries(r.callback)).toMatchObject({ error: 'access_denied', error_description: GENERIC_REFUSAL });
      expect(refusedOnTrace(r.traceId)).toMatch(/no treatment relation/);
    });

    it('no data for the gegevensdienst', async () => {
      const p = persona('no-data-for-gegevensdienst');
      const relation = p.providers.find((r) => dvzas.find((d) => d.id === r.providerId)!.gegevensdiensten.some((g) => !r.gegevensdiensten.includes(g)))!;
      const dvza = dvzas.find((d) => d.id === relation.providerId)!;
      const missing = dvza.gegevensdiensten.find((g) => !relation.gegevensdiensten.includes(g))!;
      const r = await flowFor(p, { dvza: dvza.zorgaanbiedernaam, gd: missing });
      expect(r.callback.get('error_description')).toBe(GENERIC_REFUSAL);
      expect(refusedOnTraceAny(r.traceId)).toMatch(new RegExp(`no data for .* for gegevensdienst ${missing}`));
    });

    it('a deceased patient', async () => {
      const p = persona('deceased');
      const r = await flowFor(p, { dvza: zorgaanbiederOf(p) });
      expect(r.callback.get('error_description')).toBe(GENERIC_REFUSAL);
      expect(refusedOnTraceAny(r.traceId)).toMatch(/died on/);
    });

    it('consent refused', async () => {
      const r = await flowFor(patientFor('dekroon', '1')!, { consent: 'nee' });
      expect(r.consentPage).toContain('Toestemming geven');
      expect(r.consentPage).toContain('MedMij Sandbox PGO');
      expect(r.consentPage).toContain('Basisgegevens Zorg (BgZ)');
      expect(Object.fromEntries(r.callback)).toMatchObject({ error: 'access_denied', error_description: 'the person did not give consent' });
    });

    function zorgaanbiederOf(p: Persona): string {
      return dvzas.find((d) => d.id === p.providers[0]!.providerId)!.zorgaanbiedernaam;
    }
    function refusedOnTraceAny(traceId: string): string {
      return bus
        .events()
        .filter((e) => e.traceId === traceId && e.outcome === 'refused')
        .map((e) => e.reason)
        .join('\n');
    }
  });

  describe('token endpoint refusals', () => {
    const codeFor = async () => {
      const patient = patientFor('dekroon', '1')!;
      const flow = await pgo.authorize('dekroon@medmij', '1', { bsn: patient.bsn });
      return { entry: pgo.endpoints('dekroon@medmij', '1'), code: flow.callback.get('code')! };
    };
    const error = (r: HopResponse) => r.json<{ error: string; error_description: string }>();

    it('a replayed code: invalid_grant, and the token issued from it is revoked', async () => {
      const { entry, code } = await codeFor();
      const first = await pgo.token(entry, code);
      const token = first.json<{ access_token: string }>().access_token;
      expect((await pgo.fhir(entry, 'Condition', { token })).status).toBe(200);
      const replay = await pgo.token(entry, code);
      expect(replay.status).toBe(400);
      expect(error(replay)).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringMatching(/already used .*1 access token\(s\) issued from it are revoked/),
      });
      const after = await pgo.fhir(entry, 'Condition', { token });
      expect(after.status).toBe(401);
      expect(after.headers['www-authenticate']).toMatch(/error="invalid_token", error_description="the access token was revoked"/);
    });

    it('an expired code (5 minutes on the sandbox clock)', async () => {
      const { entry, code } = await codeFor();
      clock.shift('5m1s');
      expect(error(await pgo.token(entry, code)).error_description).toMatch(/^the code expired at/);
    });

    it('another redirect_uri, or none', async () => {
      const { entry, code } = await codeFor();
      expect(error(await pgo.token(entry, code, { form: { redirect_uri: null } }))).toMatchObject({
        error: 'invalid_request',
        error_description: 'redirect_uri is missing',
      });
      expect(error(await pgo.token(entry, code, { form: { redirect_uri: 'https://pgo.localhost/other' } }))).toMatchObject({ error: 'invalid_grant' });
    });

    it('a client certificate of another host than client_id: invalid_client', async () => {
      const { entry, code } = await codeFor();
      const r = await pgo.token(entry, code, { from: 'rivierenland.dvza.localhost' });
      expect(r.status).toBe(401);
      expect(error(r).error_description).toBe('client_id pgo.localhost is not the host of the client certificate (rivierenland.dvza.localhost)');
    });

    it('a PGO taken off the Whitelist: invalid_client', async () => {
      const { entry, code } = await codeFor();
      await control('remove', { participant: 'pgo' });
      try {
        const r = await pgo.token(entry, code);
        expect(error(r)).toMatchObject({ error: 'invalid_client', error_description: "the client certificate's host pgo.localhost is not on the Whitelist" });
      } finally {
        await control('restore', { participant: 'pgo' });
      }
    });

    it('without a client certificate, or with a revoked one: refused at the TLS handshake', async () => {
      const { entry, code } = await codeFor();
      await expect(pgo.token(entry, code, { clientCertificate: false })).rejects.toBeInstanceOf(HopError);
      await pki.revoke('pgo.localhost', { kinds: ['client'] });
      try {
        await expect(pgo.token(entry, code)).rejects.toBeInstanceOf(HopError);
        const gate = bus
          .events()
          .filter((e) => e.reportedBy === 'dekroon.dvza.localhost' && e.kind === 'tls')
          .at(-1);
        expect(gate?.tls?.verdict).toBe('CERT_REVOKED');
      } finally {
        await pki.reissue('pgo.localhost', { kinds: ['client'] });
      }
    });

    it('grant_type other than authorization_code', async () => {
      const { entry, code } = await codeFor();
      expect(error(await pgo.token(entry, code, { form: { grant_type: 'password' } })).error).toBe('unsupported_grant_type');
    });
  });

  describe('resource server refusals (OperationOutcome with the right status)', () => {
    it('no token: 401 with a Bearer challenge; an unknown token: 401 invalid_token', async () => {
      const entry = pgo.endpoints('dekroon@medmij', '1');
      const none = await pgo.fhir(entry, 'Condition');
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="dekroon.dvza.localhost"');
      expect(outcome(none)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
      const unknown = await pgo.fhir(entry, 'Condition', { token: 'not-a-token' });
      expect(unknown.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    });

    it('an expired token after 15 minutes on the sandbox clock: 401 invalid_token', async () => {
      const { entry, token } = await tokenFor('dekroon', '1');
      clock.shift('15m1s');
      const r = await pgo.fhir(entry, 'Condition', { token: token.access_token });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/error="invalid_token", error_description="the access token expired"/);
      expect(outcome(r).issue[0]).toMatchObject({ code: 'expired' });
    });

    it('patient= or subject= in the URL: 400', async () => {
      const { entry, token, patient } = await tokenFor('dekroon', '1');
      for (const query of [
        `Condition?patient=${patient.bsn}`,
        'Observation?subject=Patient/x',
        'Patient?identifier=http://fhir.nl/fhir/NamingSystem/bsn|999990019',
      ]) {
        const r = await pgo.fhir(entry, query, { token: token.access_token });
        expect(r.status, query).toBe(400);
        expect(outcome(r).issue[0]!.diagnostics).toMatch(/is not allowed: the access token alone decides whose data this is/);
      }
    });

    it("a resource outside the token's gegevensdienst: 403 insufficient_scope", async () => {
      const { entry, token } = await tokenFor('dekroon', '4');
      const r = await pgo.fhir(entry, 'Condition', { token: token.access_token });
      expect(r.status).toBe(403);
      expect(r.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
      expect(outcome(r).issue[0]!.diagnostics).toBe("Condition is not part of gegevensdienst 4 (the token's scope)");
    });

    it('missing MedMij headers, unsupported parameters: 400', async () => {
      const { entry, token } = await tokenFor('dekroon', '1');
      const noHeader = await pgo.fhir(entry, 'Condition', { token: token.access_token, headers: { 'medmij-request-id': '' } });
      expect(noHeader.status).toBe(400);
      expect(outcome(noHeader).issue[0]!.diagnostics).toBe('missing header MedMij-Request-ID');
      const unsupported = await pgo.fhir(entry, 'Condition?onset-date=ge2020', { token: token.access_token });
      expect(unsupported.status).toBe(400);
      expect(outcome(unsupported).issue[0]!.diagnostics).toMatch(/search parameter 'onset-date' is not supported for Condition/);
    });

    it('a token used with another client certificate: 401', async () => {
      const { entry, token } = await tokenFor('dekroon', '1');
      const r = await pgo.fhir(entry, 'Condition', { token: token.access_token, from: 'rivierenland.dvza.localhost' });
      expect(r.status).toBe(401);
      expect(outcome(r).issue[0]!.diagnostics).toBe('the access token was issued to pgo.localhost, not to rivierenland.dvza.localhost');
    });

    it('serves a CapabilityStatement at /metadata', async () => {
      const r = await pgo.fhir(pgo.endpoints('dekroon@medmij', '1'), 'metadata');
      expect(r.json()).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '3.0.2', rest: [{ mode: 'server' }] });
    });
  });

  it('writes an audit log of every access: who, which patient, which gegevensdienst, when, outcome', async () => {
    const { entry, token, patient, flow } = await tokenFor('dekroon', '1');
    await pgo.fhir(entry, 'AllergyIntolerance', { token: token.access_token, traceId: flow.traceId });
    await pgo.fhir(entry, 'Condition?patient=x', { token: token.access_token, traceId: flow.traceId });
    const mine = readAuditLog(sandboxPaths(dir).dvzaAudit('dekroon')).filter((e) => e.traceId === flow.traceId);
    expect(mine.map((e) => `${e.action}:${e.outcome}`)).toEqual(['consent:granted', 'token:granted', 'fhir-search:granted', 'fhir-search:refused']);
    expect(mine.every((e) => e.bsn === patient.bsn && e.client === 'pgo.localhost')).toBe(true);
    expect(mine[2]).toMatchObject({
      gegevensdiensten: ['1'],
      at: '2026-06-01T10:00:00.000Z',
      request: expect.stringContaining('GET /fhir/AllergyIntolerance'),
      resources: expect.any(Number),
    });
    expect(mine[3]!.reason).toMatch(/parameter patient is not allowed/);
  });
});
