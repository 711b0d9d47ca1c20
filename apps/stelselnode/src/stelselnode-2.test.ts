/**
 * The stelselnode of an afsprakenstelsel-2 network over real HTTPS: five lists (the release3 Zorgaanbiederslijst
 * and OAuthclientlist, the Zorgaanbiederskoppellijst, the Whitelist and the Gegevensdienstnamenlijst), each valid
 * against its strict schema, taken by a 2.x consumer; a 1.5 consumer refuses them naming the namespace.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, backchannelUrl, participantsByRole, sandboxPaths, type SandboxPaths, type Topology } from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { ListConsumer, ListUnusableError, listKindsOf, parseList, schemaPath, validateList } from '@medmij-sandbox/lists';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, type RunningListener } from '@medmij-sandbox/transport';
import { say } from '@medmij-sandbox/rules';
import { CONTROL_PATH, readControlToken } from '@medmij-sandbox/stelselnode-client';
import { startStelselnode } from './index.js';

describe('stelselnode, afsprakenstelsel 2', () => {
  const clock = new SandboxClock();
  const bus = new TraceBus(clock);
  let topology: Topology;
  let paths: SandboxPaths;
  let pki: SandboxPki;
  let listeners: RunningListener[];
  let url: string;
  const fetchList = (kind: string) => hop(`${url}/MedMij_${kind}.xml?api=2`, { from: 'test', pki, clock, clientCertificate: false });

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { afsprakenstelsel: '2' }));
    paths = sandboxPaths(join(dir, '.sandbox'));
    pki = await SandboxPki.init(paths.pki, { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const participant = participantsByRole(topology, 'stelselnode')[0]!;
    url = backchannelUrl(participant)!;
    listeners = await startStelselnode({ participant, topology, paths, pki, clock, bus });
  });
  afterAll(() => Promise.all(listeners.map((l) => l.close())));

  it('publishes five lists, each valid against the strict schema of afsprakenstelsel 2, also by the system xmllint', async () => {
    expect(listKindsOf('2')).toHaveLength(5);
    for (const kind of listKindsOf('2')) {
      const r = await fetchList(kind);
      expect(r.status, kind).toBe(200);
      const verdict = await validateList(kind, r.body, { afsprakenstelsel: '2', allowSandboxVariant: true });
      expect(verdict, kind).toMatchObject({ valid: true });
      const file = join(tempDir(), `MedMij_${kind}.xml`);
      writeFileSync(file, r.body);
      // The sandbox variant only for the Zorgaanbiederslijst (its front channels have ports on one machine).
      const schema = schemaPath(kind, kind === 'Zorgaanbiederslijst' ? 'sandbox' : 'official', '2');
      expect(execFileSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    }
  });

  it("lists 2.x's gegevensdiensten: ids 48/49/31 for De Kroon under one Interfaceversie, an AGB per provider, the PGO's allowed ids", async () => {
    const zal = parseList('Zorgaanbiederslijst', (await fetchList('Zorgaanbiederslijst')).body, '2');
    const dekroon = zal.zorgaanbieders.find((z) => z.zorgaanbiedernaam === 'dekroon@medmij')!;
    expect(dekroon.aanbiedertype).toBe('ZA');
    expect(dekroon.interfaceversies.map((v) => v.interfaceversieId)).toEqual(['2.0.0']);
    expect(dekroon.interfaceversies[0]!.gegevensdiensten.map((g) => g.gegevensdienstId)).toEqual(['48', '49', '31']);
    const koppel = parseList('Zorgaanbiederskoppellijst', (await fetchList('Zorgaanbiederskoppellijst')).body, '2');
    const agbs = koppel.zorgaanbieders.map((z) => z.identificerendeKenmerken.find((k) => k.type === 'AGB')?.value);
    expect(agbs).toHaveLength(participantsByRole(topology, 'dvza').length);
    expect(new Set(agbs).size).toBe(agbs.length);
    for (const agb of agbs) expect(agb).toMatch(/^\d{8}$/);
    const ocl = parseList('OAuthclientlist', (await fetchList('OAuthclientlist')).body, '2');
    expect(ocl.oauthclients.find((c) => c.hostname === 'pgo.localhost')?.gegevensdiensten).toEqual(topology.gegevensdiensten.map((g) => g.id));
    const gnl = parseList('Gegevensdienstnamenlijst', (await fetchList('Gegevensdienstnamenlijst')).body, '2');
    expect(gnl.gegevensdiensten.find((g) => g.gegevensdienstId === '48')?.weergavenaam).toBe('Verzamelen Basisgegevens zorg 3.0');
  });

  it('a 2.x consumer takes all five; a 1.5 consumer refuses the release3 Zorgaanbiederslijst naming its namespace', async () => {
    const two = new ListConsumer({ stelselnodeUrl: url, participant: 'pgo.localhost', pki, clock, bus, afsprakenstelsel: '2' });
    const states = await two.refresh();
    // The strict schema of 2 ('official': the sandbox's derivations where no 2.x XSD is public), the port-tolerant one for the ZAL.
    expect(states.map((s) => [s.kind, s.status, s.variant])).toEqual(
      listKindsOf('2').map((k) => [k, 'fresh', k === 'Zorgaanbiederslijst' ? 'sandbox' : 'official']),
    );
    const old = new ListConsumer({ stelselnodeUrl: url, participant: 'pgo.localhost', pki, clock, bus });
    await old.refresh(['Zorgaanbiederslijst']);
    let refusal: unknown;
    try {
      old.require('Zorgaanbiederslijst');
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(ListUnusableError);
    expect(say((refusal as ListUnusableError).said)).toMatch(/release3/);
  });

  it('`restrict`: the OAuthclientlist lets a PGO use only some gegevensdiensten, until `all` or a reset', async () => {
    const control = (body: Record<string, string>) =>
      hop(`${url}${CONTROL_PATH}/restrict`, {
        from: 'test',
        pki,
        clock,
        clientCertificate: false,
        method: 'POST',
        headers: { authorization: `Bearer ${readControlToken(paths.stelselnode.controlToken)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const allowed = async () =>
      parseList('OAuthclientlist', (await fetchList('OAuthclientlist')).body, '2').oauthclients.find((c) => c.hostname === 'pgo.localhost')?.gegevensdiensten;
    const restricted = await control({ client: 'pgo', gegevensdiensten: '48,49' });
    expect(restricted.json<{ done: string[] }>().done[0]).toBe('the OAuthclientlist lets pgo.localhost use gegevensdienst 48, 49 only');
    expect(await allowed()).toEqual(['48', '49']);
    const unknown = await control({ client: 'pgo.localhost', gegevensdiensten: '1' });
    expect([unknown.status, unknown.json<{ message: string }>().message]).toEqual([
      400,
      'restrict pgo.localhost: gegevensdienst 1 does not exist in afsprakenstelsel 2',
    ]);
    expect((await control({ client: 'nobody.localhost', gegevensdiensten: '48' })).json<{ message: string }>().message).toBe(
      'nobody.localhost is not on the OAuthclientlist',
    );
    await control({ client: 'pgo', gegevensdiensten: 'all' });
    expect(await allowed()).toEqual(topology.gegevensdiensten.map((g) => g.id));
  });

  it('names the five lists when asked for one it does not publish', async () => {
    const r = await hop(`${url}/MedMij_Foo.xml`, { from: 'test', pki, clock, clientCertificate: false });
    expect(r.status).toBe(404);
    expect(r.text()).toContain('Zorgaanbiederskoppellijst');
  });
});
