/**
 * The stelselnode over real HTTPS, and the consumer rules of packages/lists proven against it:
 * every rule gets a real server that misbehaves in exactly that way.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, backchannelUrl, participantsByRole, sandboxPaths, type SandboxPaths, type Topology } from '@medmij-sandbox/network';
import { tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { LIST_KINDS, ListConsumer, ListUnusableError, parseList, removeEnrolment, saveEnrolment, validateList } from '@medmij-sandbox/lists';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, type RunningListener } from '@medmij-sandbox/transport';
import { CONTROL_PATH, readControlToken } from '@medmij-sandbox/stelselnode-client';
import { startStelselnode } from './index.js';

describe('stelselnode', () => {
  const clock = new SandboxClock();
  const bus = new TraceBus(clock);
  let topology: Topology;
  let paths: SandboxPaths;
  let pki: SandboxPki;
  let listeners: RunningListener[];
  let url: string;

  const start = async () => {
    const participant = participantsByRole(topology, 'stelselnode')[0]!;
    listeners = await startStelselnode({ participant, topology, paths, pki, clock, bus });
  };
  const stop = () => Promise.all(listeners.map((l) => l.close()));
  // The raw control API, not the StelselnodeControl client: these tests are about the server's own answers.
  const control = async (action: string, body: Record<string, string> = {}, token = readControlToken(paths.stelselnode.controlToken)) =>
    hop(`${url}${CONTROL_PATH}/${action}`, {
      from: 'test',
      pki,
      clock,
      clientCertificate: false,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const fetchList = (kind: string, query = '?api=2') => hop(`${url}/MedMij_${kind}.xml${query}`, { from: 'test', pki, clock, clientCertificate: false });
  const consumer = (rules = {}) => new ListConsumer({ stelselnodeUrl: url, participant: 'pgo.localhost', pki, clock, bus, rules });
  const lastDecision = () => bus.events((e) => e.kind === 'decision' && e.reportedBy === 'pgo.localhost').at(-1)!;

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeTestTopology(dir));
    paths = sandboxPaths(join(dir, '.sandbox'));
    pki = await SandboxPki.init(paths.pki, { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    url = backchannelUrl(participantsByRole(topology, 'stelselnode')[0]!)!;
    await start();
  });
  afterAll(() => stop());
  beforeEach(async () => {
    clock.reset();
    await control('reset');
  });

  describe('publishing', () => {
    it('serves all four lists over HTTPS, valid against their XSD, with or without ?api', async () => {
      for (const kind of LIST_KINDS) {
        for (const query of ['?api=2', '']) {
          const res = await fetchList(kind, query);
          expect(res.status).toBe(200);
          expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
          expect(res.tls).toMatchObject({ verdict: 'ok', dnsNames: ['stelselnode.localhost'] });
          const validation = await validateList(kind, res.body, { allowSandboxVariant: true });
          expect(validation.valid).toBe(true);
        }
      }
    });

    it('stamps Tijdstempel with seconds and timezone, and raises the Volgnummer by exactly 1 per republication', async () => {
      const before = parseList('Whitelist', (await fetchList('Whitelist')).body);
      expect(before.tijdstempel).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      await control('publish');
      await control('publish');
      const after = parseList('Whitelist', (await fetchList('Whitelist')).body);
      expect(after.volgnummer).toBe(before.volgnummer + 2);
    });

    it('removes and restores participants, republishing only the lists that change', async () => {
      const before = Object.fromEntries(await Promise.all(LIST_KINDS.map(async (k) => [k, parseList(k, (await fetchList(k)).body)])));
      const res = await control('remove', { participant: 'pgo' });
      expect(res.json<{ done: string[] }>().done).toEqual([
        'removed pgo pgo (pgo.localhost) from the lists',
        'published OAuthclientlist Volgnummer ' + (before.OAuthclientlist.volgnummer + 1) + ' (removed pgo pgo (pgo.localhost) from the lists)',
        'published Whitelist Volgnummer ' + (before.Whitelist.volgnummer + 1) + ' (removed pgo pgo (pgo.localhost) from the lists)',
      ]);
      expect(parseList('OAuthclientlist', (await fetchList('OAuthclientlist')).body).oauthclients).toEqual([]);
      expect(parseList('Zorgaanbiederslijst', (await fetchList('Zorgaanbiederslijst')).body).volgnummer).toBe(before.Zorgaanbiederslijst.volgnummer);
      expect(bus.events((e) => e.reportedBy === 'stelselnode.localhost' && e.ruleId === 'stelselnode.lists.changed').at(-1)!.reason).toMatch(
        /^lists: published Whitelist Volgnummer/,
      );
      await control('restore', { participant: 'pgo.localhost' });
      expect(parseList('OAuthclientlist', (await fetchList('OAuthclientlist')).body).oauthclients).toHaveLength(1);
    });

    it('adds participants from outside the topology, after checking them against the schemas', async () => {
      const added = await control('add', { role: 'pgo', hostname: 'eigen-pgo.test', name: 'Eigen PGO BV' });
      expect(added.status).toBe(200);
      expect(parseList('OAuthclientlist', (await fetchList('OAuthclientlist')).body).oauthclients).toContainEqual({
        hostname: 'eigen-pgo.test',
        organisatienaam: 'Eigen PGO BV',
      });
      expect(parseList('Whitelist', (await fetchList('Whitelist')).body).nodes).toContain('eigen-pgo.test');
      const dvza = await control('add', {
        role: 'dvza',
        zorgaanbiedernaam: 'eigendvza@medmij',
        authorizeUrl: 'https://eigen-dvza.test/oauth/authorize',
        tokenUrl: 'https://eigen-dvza.test:8443/oauth/token',
        fhirUrl: 'https://eigen-dvza.test:8443/fhir',
        gegevensdiensten: '1,4',
      });
      expect(dvza.status).toBe(200);
      const zal = parseList('Zorgaanbiederslijst', (await fetchList('Zorgaanbiederslijst')).body);
      expect(zal.zorgaanbieders.find((z) => z.zorgaanbiedernaam === 'eigendvza@medmij')!.gegevensdiensten.map((g) => g.gegevensdienstId)).toEqual(['1', '4']);

      const badHost = await control('add', { role: 'pgo', hostname: 'Eigen_PGO', name: 'Fout' });
      expect(badHost.status).toBe(400);
      expect(badHost.json<{ message: string }>().message).toMatch(
        /^the OAuthclientlist would not be valid with Eigen_PGO: .*Hostname.*'Eigen_PGO' is not accepted by the pattern/,
      );
      const badName = await control('add', {
        role: 'dvza',
        zorgaanbiedernaam: 'Eigen DVZA',
        authorizeUrl: 'https://x.test/a',
        tokenUrl: 'https://x.test/t',
        fhirUrl: 'https://x.test/f',
        gegevensdiensten: '1',
      });
      expect(badName.json<{ message: string }>().message).toMatch(/Zorgaanbiedernaam.*'Eigen DVZA'/);
      const badService = await control('add', {
        role: 'dvza',
        zorgaanbiedernaam: 'anderedvza@medmij',
        authorizeUrl: 'https://x.test/a',
        tokenUrl: 'https://x.test/t',
        fhirUrl: 'https://x.test/f',
        gegevensdiensten: '99',
      });
      expect(badService.json()).toMatchObject({ message: 'unknown gegevensdienst 99', hint: 'gegevensdiensten: 1, 4' });

      await control('remove', { participant: 'eigen-pgo.test' });
      expect(parseList('OAuthclientlist', (await fetchList('OAuthclientlist')).body).oauthclients.map((c) => c.hostname)).toEqual(['pgo.localhost']);
    });

    it('publishes enrolled participants (enrolments.json) at once when told, and keeps them across a reset', async () => {
      const ocl = async () => parseList('OAuthclientlist', (await fetchList('OAuthclientlist')).body);
      await saveEnrolment(paths.enrolments, { role: 'pgo', hostname: 'team-pgo.test', name: 'Team PGO' });
      const before = (await ocl()).volgnummer;
      const told = await control('enrolments');
      expect(told.json<{ done: string[] }>().done).toEqual([
        'enrolments changed',
        `published OAuthclientlist Volgnummer ${before + 1} (enrolments changed)`,
        expect.stringMatching(/^published Whitelist Volgnummer \d+ \(enrolments changed\)$/),
      ]);
      expect((await ocl()).oauthclients).toContainEqual({ hostname: 'team-pgo.test', organisatienaam: 'Team PGO' });
      // A reset (before every live scenario) keeps enrolled participants; remove/restore work on them like on the topology's.
      await control('reset');
      expect((await ocl()).oauthclients.map((c) => c.hostname)).toContain('team-pgo.test');
      await control('remove', { participant: 'team-pgo.test' });
      expect((await ocl()).oauthclients.map((c) => c.hostname)).not.toContain('team-pgo.test');
      await control('restore', { participant: 'team-pgo.test' });
      expect((await ocl()).oauthclients.map((c) => c.hostname)).toContain('team-pgo.test');
      const twice = await control('add', { role: 'pgo', hostname: 'team-pgo.test', name: 'Again' });
      expect(twice.json<{ message: string }>().message).toBe('team-pgo.test is already a participant');
      await removeEnrolment(paths.enrolments, 'team-pgo.test');
      await control('enrolments');
      expect((await ocl()).oauthclients.map((c) => c.hostname)).toEqual(['pgo.localhost']);
    });

    it('keeps Volgnummers rising across a restart', async () => {
      const before = parseList('Whitelist', (await fetchList('Whitelist')).body).volgnummer;
      await stop();
      await start();
      expect(parseList('Whitelist', (await fetchList('Whitelist')).body).volgnummer).toBe(before);
      await control('publish');
      expect(parseList('Whitelist', (await fetchList('Whitelist')).body).volgnummer).toBe(before + 1);
    });

    it('guards the control API with a token and answers mistakes clearly', async () => {
      expect((await control('publish', {}, 'wrong')).status).toBe(401);
      // The right token without the Bearer scheme is no authorization (RFC 6750).
      const bare = await hop(`${url}${CONTROL_PATH}/publish`, {
        from: 'test',
        pki,
        clock,
        clientCertificate: false,
        method: 'POST',
        headers: { authorization: readControlToken(paths.stelselnode.controlToken), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(bare.status).toBe(401);
      const unknown = await control('remove', { participant: 'nobody' });
      expect(unknown.status).toBe(400);
      expect(unknown.json()).toMatchObject({ message: "no participant 'nobody' in the topology", hint: expect.stringContaining('dekroon') });
      expect((await control('fault', { list: 'Whitelist', fault: 'gremlins' })).json()).toMatchObject({ message: "unknown fault 'gremlins'" });
      expect((await control('rollback', { list: 'Banaan' })).json()).toMatchObject({ message: "unknown list 'Banaan'" });
      expect((await fetchList('Telefoonboek')).status).toBe(404);
    });
  });

  describe('consumer rules (packages/lists) against the real stelselnode', () => {
    it('accepts fresh lists and reports it', async () => {
      const c = consumer();
      const states = await c.refresh();
      expect(states.map((s) => s.status)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
      expect(states[0]!.variant).toBe('sandbox');
      expect(c.require('OAuthclientlist').oauthclients[0]!.hostname).toBe('pgo.localhost');
      expect(lastDecision()).toMatchObject({ outcome: 'ok', from: 'pgo.localhost', to: 'stelselnode.localhost' });
    });

    it('refuses a schema-invalid list and keeps the last good one', async () => {
      const c = consumer();
      await c.refresh(['Whitelist']);
      const good = c.current('Whitelist')!.volgnummer;
      await control('fault', { list: 'Whitelist', fault: 'schema-invalid' });
      await control('publish');
      await c.refresh(['Whitelist']);
      expect(lastDecision()).toMatchObject({ outcome: 'refused', rule: expect.stringContaining('XSD') });
      expect(lastDecision().reason).toMatch(/Whitelist fails its XSD: .*SandboxFout.*This element is not expected.*keeping Volgnummer \d+/);
      expect(c.current('Whitelist')!.volgnummer).toBe(good);
    });

    it('refuses a malformed list', async () => {
      const c = consumer();
      await control('fault', { list: 'Gegevensdienstnamenlijst', fault: 'malformed' });
      await c.refresh(['Gegevensdienstnamenlijst']);
      expect(lastDecision()).toMatchObject({ outcome: 'refused' });
      expect(lastDecision().reason).toMatch(/Gegevensdienstnamenlijst fails its XSD: .*no earlier list to fall back on/);
      expect(() => c.require('Gegevensdienstnamenlijst')).toThrow(ListUnusableError);
    });

    it('refuses a Volgnummer rollback', async () => {
      const c = consumer();
      await control('publish');
      await c.refresh(['Zorgaanbiederslijst']);
      const held = c.current('Zorgaanbiederslijst')!.volgnummer;
      await control('rollback', { list: 'Zorgaanbiederslijst' });
      await c.refresh(['Zorgaanbiederslijst']);
      expect(lastDecision()).toMatchObject({ outcome: 'refused', rule: expect.stringContaining('Volgnummer') });
      expect(lastDecision().reason).toBe(
        `Zorgaanbiederslijst Volgnummer ${held - 1} is lower than the ${held} we hold: a rollback; keeping Volgnummer ${held} (published ${c.current('Zorgaanbiederslijst')!.tijdstempel})`,
      );
      expect(c.current('Zorgaanbiederslijst')!.volgnummer).toBe(held);
    });

    it('a stale list is used with a warning; an expired one starts no flow', async () => {
      const c = consumer();
      await c.refresh();
      clock.shift('3h');
      expect(c.state('Zorgaanbiederslijst').status).toBe('stale');
      expect(c.require('Zorgaanbiederslijst').zorgaanbieders).toHaveLength(1);
      expect(lastDecision()).toMatchObject({ outcome: 'warning', reason: expect.stringMatching(/is stale \(published .*, 3h\d*s? ago; stale after 2h\)/) });
      clock.shift('22h');
      expect(() => c.require('Zorgaanbiederslijst')).toThrow(/has expired \(published .*; the limit is 1d\): no new flow can start/);
      expect(lastDecision()).toMatchObject({ outcome: 'refused' });
    });

    it('lists published in the past by the stelselnode ("stale 3h") arrive stale', async () => {
      await control('stale', { age: '3h' });
      const c = consumer();
      const [state] = await c.refresh(['Zorgaanbiederslijst']);
      expect(state!.status).toBe('stale');
      expect(lastDecision()).toMatchObject({ outcome: 'warning', reason: expect.stringContaining('it is stale') });
      // and a frozen stelselnode does not freshen them, however long one waits
      clock.shift('23h');
      await c.refresh(['Zorgaanbiederslijst']);
      expect(c.state('Zorgaanbiederslijst').status).toBe('expired');
    });

    it('a running stelselnode republishes an unchanged list before it could look stale', async () => {
      const c = consumer();
      await c.refresh(['Whitelist']);
      const first = c.current('Whitelist')!.volgnummer;
      clock.shift('90m');
      await c.refresh(['Whitelist']);
      expect(c.current('Whitelist')!.volgnummer).toBe(first + 1);
      expect(c.state('Whitelist').status).toBe('fresh');
    });

    it('signed lists (sandbox extension): accepted when signed by the stelselnode, refused when changed after signing', async () => {
      const c = consumer({ requireSignature: true });
      const [state] = await c.refresh(['Whitelist']);
      expect(lastDecision().reason).toMatch(/^accepted Whitelist Volgnummer \d+, valid against the official schema$/);
      expect(state!.status).toBe('fresh');
      await control('publish');
      await control('fault', { list: 'Whitelist', fault: 'bad-signature' });
      await c.refresh(['Whitelist']);
      expect(lastDecision()).toMatchObject({ outcome: 'refused', rule: expect.stringContaining('XML-DSig') });
      expect(lastDecision().reason).toMatch(
        /^Whitelist signature refused: the signature does not match the list: it was changed after signing; keeping Volgnummer \d+/,
      );
      // the unsigned, production-shaped list is untouched by that fault
      expect((await validateList('Whitelist', (await fetchList('Whitelist')).body)).valid).toBe(true);
    });

    it('a future-dated list (the fault an attacker would make) is refused and pins nothing: the next real one is taken', async () => {
      // Frozen on a whole second (a Tijdstempel has none smaller): the forged one is exactly a year ahead at every fetch.
      clock.freeze(new Date(Math.floor(clock.nowMs() / 1000) * 1000));
      const c = consumer();
      await c.refresh(['Zorgaanbiederslijst']);
      const held = c.current('Zorgaanbiederslijst')!;
      const told = await control('fault', { list: 'Zorgaanbiederslijst', fault: 'future-dated' });
      expect(told.json<{ done: string[] }>().done).toEqual(['Zorgaanbiederslijst: now serving a future-dated list']);
      const forged = parseList('Zorgaanbiederslijst', (await fetchList('Zorgaanbiederslijst')).body);
      // Valid against the schema: only the header lies, a year ahead and 50 Volgnummers on.
      expect((await validateList('Zorgaanbiederslijst', (await fetchList('Zorgaanbiederslijst')).body, { allowSandboxVariant: true })).valid).toBe(true);
      expect(forged.volgnummer).toBe(held.volgnummer + 50);
      expect(Date.parse(forged.tijdstempel) - clock.nowMs()).toBeGreaterThan(364 * 86_400_000);
      await c.refresh(['Zorgaanbiederslijst']);
      expect(lastDecision()).toMatchObject({ outcome: 'refused', ruleId: 'lists.age.future-dated' });
      expect(lastDecision().reason).toMatch(
        new RegExp(
          `^Zorgaanbiederslijst Volgnummer ${held.volgnummer + 50} is dated in the future: its Tijdstempel ${forged.tijdstempel} is 365d ahead of our time`,
        ),
      );
      expect(c.current('Zorgaanbiederslijst')).toEqual(held);
      await control('fault', { list: 'Zorgaanbiederslijst', fault: 'none' });
      await control('publish');
      await c.refresh(['Zorgaanbiederslijst']);
      expect(lastDecision().reason).toContain(`accepted Zorgaanbiederslijst Volgnummer ${held.volgnummer + 1} (was ${held.volgnummer})`);
    });

    it('lists reset: a new reset number on every list answer, the consumers named, and a pinned consumer set free without a restart', async () => {
      // A consumer without the future check (as every consumer was before it) takes the forged list and is pinned.
      const old = consumer({ maxAheadMs: Number.POSITIVE_INFINITY });
      await old.refresh(['Whitelist']);
      const real = old.current('Whitelist')!.volgnummer;
      await control('fault', { list: 'Whitelist', fault: 'future-dated' });
      await old.refresh(['Whitelist']);
      expect(old.current('Whitelist')!.volgnummer).toBe(real + 50);
      await control('fault', { list: 'Whitelist', fault: 'none' });
      await control('publish');
      await old.refresh(['Whitelist']);
      expect(lastDecision().reason).toContain(`Whitelist Volgnummer ${real + 1} is lower than the ${real + 50} we hold: a rollback`);

      const epoch = Number((await fetchList('Whitelist')).headers['x-sandbox-lists-reset']);
      const done = (await control('reset')).json<{ done: string[] }>().done;
      expect(done.at(-1)).toBe(
        `reset ${epoch + 1}: every list consumer forgets the lists and Volgnummers it holds at its next fetch here (told at once; whoever was not told polls within 30 s of sandbox time): pgo.localhost`,
      );
      // The 503 of an unavailable list carries it too: a consumer learns of a reset whatever it is served.
      await control('fault', { list: 'OAuthclientlist', fault: 'unavailable' });
      const unavailable = await fetchList('OAuthclientlist');
      expect([unavailable.status, unavailable.headers['x-sandbox-lists-reset']]).toEqual([503, String(epoch + 1)]);
      await control('fault', { list: 'OAuthclientlist', fault: 'none' });

      const since = bus.events().at(-1)!.seq;
      await old.refresh(['Whitelist']);
      const decisions = bus.events((e) => e.seq > since && e.kind === 'decision' && e.reportedBy === 'pgo.localhost');
      expect(decisions.map((e) => e.reason)).toEqual([
        `the stelselnode was reset (reset ${epoch + 1}): forgot Whitelist Volgnummer ${real + 50} and every Volgnummer seen; the lists it serves now are taken as on a first fetch`,
        `accepted Whitelist Volgnummer ${real + 1}, valid against the official schema`,
        // A reset forgot every list, not only the one asked for: the others are fetched too, so none is left empty.
        expect.stringMatching(/^accepted Zorgaanbiederslijst Volgnummer \d+, valid/),
        expect.stringMatching(/^accepted OAuthclientlist Volgnummer \d+, valid/),
        expect.stringMatching(/^accepted Gegevensdienstnamenlijst Volgnummer \d+, valid/),
      ]);
    });

    it('keeps serving from the last good list while the stelselnode is unavailable or down', async () => {
      const c = consumer();
      await c.refresh();
      await control('fault', { list: 'OAuthclientlist', fault: 'unavailable' });
      await c.refresh(['OAuthclientlist']);
      expect(lastDecision().reason).toMatch(/^stelselnode answered HTTP 503 for MedMij_OAuthclientlist\.xml; keeping Volgnummer \d+/);
      await stop();
      try {
        await c.refresh(['OAuthclientlist']);
        expect(lastDecision().reason).toMatch(
          /^stelselnode unreachable \(nothing listens at stelselnode\.localhost: connection refused.*\); keeping Volgnummer \d+/,
        );
        expect(c.require('OAuthclientlist').oauthclients).toHaveLength(1);
      } finally {
        await start();
      }
    });
  });
});
