import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTopologyPath } from './paths.js';
import {
  TRACE_LIMITS,
  gegevensdienstOf,
  loadTopology,
  parseTopology,
  participantsByRole,
  pkiRepositoryUrl,
  frontchannelUrl,
  backchannelUrl,
  traceLimits,
} from './topology.js';

const text = readFileSync(defaultTopologyPath(), 'utf8');

function broken(edit: (t: string) => string): string {
  try {
    parseTopology(edit(text), 'topology.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the topology to be refused');
}

describe('the committed default topology', () => {
  const topology = loadTopology(defaultTopologyPath());
  it('has every role: PKI, stelselnode, TVS, three DVZAs of different kinds, a PGO', () => {
    const dvzas = participantsByRole(topology, 'dvza');
    expect(dvzas.length).toBeGreaterThanOrEqual(3);
    expect(new Set(dvzas.map((d) => d.soort))).toEqual(new Set(['huisartsenpraktijk', 'ziekenhuis', 'ggz-instelling']));
    expect(dvzas.every((d) => /^[a-z]+@medmij$/.test(d.zorgaanbiedernaam))).toBe(true);
    expect(participantsByRole(topology, 'pgo').length).toBeGreaterThanOrEqual(1);
    for (const role of ['pki', 'stelselnode', 'tvs'] as const) expect(participantsByRole(topology, role)).toHaveLength(1);
  });
  it('derives URLs', () => {
    expect(pkiRepositoryUrl(topology)).toBe('http://pki.localhost:8700');
    const dekroon = topology.participants.find((p) => p.id === 'dekroon')!;
    expect(frontchannelUrl(dekroon)).toBe('https://dekroon.dvza.localhost:8720');
    expect(backchannelUrl(dekroon)).toBe('https://dekroon.dvza.localhost:8721');
  });
});

describe('an invalid topology is refused with file, line and field', () => {
  it('a Zorgaanbiedernaam that breaks the list pattern', () => {
    const msg = broken((t) => t.replace('zorgaanbiedernaam: dekroon@medmij', 'zorgaanbiedernaam: De-Kroon@medmij'));
    const line = text.split('\n').findIndex((l) => l.includes('dekroon@medmij')) + 1;
    expect(msg).toContain(`topology.yaml:${line}: participants[3].zorgaanbiedernaam: must be lowercase letters followed by '@medmij'`);
  });
  it('a port used twice', () => {
    const msg = broken((t) => t.replace('backchannelPort: 8731', 'backchannelPort: 8721'));
    expect(msg).toMatch(/topology\.yaml:\d+: participants\[4\]\.backchannelPort: port '8721' is already used by participants\[3\]/);
  });
  it('a gegevensdienst that is not in the list', () => {
    const msg = broken((t) => t.replace('"1.5": [bgz, lab]', '"1.5": [bgz, labb]'));
    expect(msg).toMatch(/participants\[4\]\.gegevensdiensten\.1\.5\[1\]: gegevensdienst 'labb' is not in the gegevensdiensten list/);
  });
  it('a gegevensdienst named for an afsprakenstelsel that has no such gegevensdienst', () => {
    const msg = broken((t) => t.replace('"1.5": [bgz, lab]', '"1.5": [bgz, ggz]'));
    expect(msg).toMatch(/participants\[4\]\.gegevensdiensten\.1\.5\[1\]: gegevensdienst 'ggz' has no "1\.5" block in the gegevensdiensten list/);
  });
  it('an afsprakenstelsel that does not exist, or 1.5 unquoted', () => {
    expect(broken((t) => t.replace('afsprakenstelsel: "2"', 'afsprakenstelsel: "3"'))).toMatch(/afsprakenstelsel: must be one of "2", "1\.5"/);
    expect(broken((t) => t.replace('afsprakenstelsel: "2"', 'afsprakenstelsel: 1.5'))).toMatch(/afsprakenstelsel: must be one of .*quoted/);
  });
  it('two gegevensdiensten with one id in an afsprakenstelsel', () => {
    expect(broken((t) => t.replace('id: "46"', 'id: "48"'))).toMatch(/gegevensdiensten\[2\]: gegevensdienst id '48' \(afsprakenstelsel 2\) is also 'bgz'/);
  });
  it('a hostname outside the sandbox domains', () => {
    const msg = broken((t) => t.replace('hostname: pgo.localhost', 'hostname: pgo.example.nl'));
    expect(msg).toMatch(/participants\[6\]\.hostname: must end in \.localhost or \.test/);
  });
  it('a missing field points at the participant', () => {
    const msg = broken((t) => t.replace('    soort: ziekenhuis\n', ''));
    expect(msg).toMatch(/topology\.yaml:\d+: participants\[4\]\.soort: /);
  });
  it('an unknown field (a typo) is named', () => {
    const msg = broken((t) => t.replace('    soort: ziekenhuis\n', '    soort: ziekenhuis\n    frontchanelPort: 1\n'));
    expect(msg).toMatch(/participants\[4\]: .*frontchanelPort/);
  });
  it('a second stelselnode', () => {
    const msg = broken((t) => `${t}\n  - id: stelselnode2\n    role: stelselnode\n    hostname: s2.localhost\n    backchannelPort: 8799\n`);
    expect(msg).toMatch(/participants: needs exactly one participant with role 'stelselnode', found 2/);
  });
  it('trace limits: checked, with their defaults filled in', () => {
    expect(broken((t) => `trace:\n  maxBytes: 1000\n${t}`)).toMatch(/topology\.yaml:\d+: trace\.maxBytes: must be at least 65536/);
    expect(broken((t) => `trace:\n  streamWindow: 2.5\n${t}`)).toMatch(/trace\.streamWindow: must be a whole number/);
    expect(broken((t) => `trace:\n  maxbytes: 100000\n${t}`)).toMatch(/trace: .*maxbytes/);
    const text = readFileSync(defaultTopologyPath(), 'utf8');
    expect(traceLimits(parseTopology(text))).toEqual(TRACE_LIMITS);
    expect(traceLimits(parseTopology(`trace:\n  maxBytes: 100000\n${text}`))).toEqual({ ...TRACE_LIMITS, maxBytes: 100000 });
  });
  it('YAML that does not parse', () => {
    expect(broken((t) => t.replace('version: 1', 'version: [1'))).toMatch(/^topology\.yaml:\d+:\d+: not valid YAML/);
  });
  it('a file that is not there', () => {
    expect(() => loadTopology('/nonexistent/topology.yaml')).toThrow(/cannot read topology file \/nonexistent\/topology\.yaml: ENOENT/);
  });
});

describe('the afsprakenstelsel: one file, the network in 1.5 or in 2', () => {
  const dekroon = (t: ReturnType<typeof loadTopology>) => participantsByRole(t, 'dvza').find((d) => d.id === 'dekroon')!;
  it("resolves each DVZA's offer to the ids of the chosen version, keyed alike", () => {
    const v15 = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '1.5', env: {} });
    const v2 = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '2', env: {} });
    expect(v15.afsprakenstelsel).toBe('1.5');
    expect(dekroon(v15).gegevensdiensten).toEqual(['1', '3', '4', '5']);
    expect(dekroon(v2).gegevensdiensten).toEqual(['48', '49', '31']);
    expect(participantsByRole(v2, 'dvza').map((d) => d.gegevensdiensten)).toEqual([
      ['48', '49', '31'],
      ['48', '46', '52', '31'],
      ['48', '50'],
    ]);
    expect(gegevensdienstOf(v2, 'bgz')).toMatchObject({ id: '48', systeemrolcode: 'MM-2.1-BZB-FHIR' });
    expect(gegevensdienstOf(v15, 'bgz')).toMatchObject({ id: '1', systeemrolcode: 'MM-1.0.0-BZB-FHIR' });
    // Huisartsgegevens and GGZ exist only in 2; the choices MedMij material does not name say so.
    expect(v15.gegevensdiensten.map((g) => g.key)).toEqual(['bgz', 'medicatie', 'lab', 'vitale-functies']);
    expect(v2.gegevensdiensten.filter((g) => g.sandboxChoice).map((g) => g.id)).toEqual(['31', '52']);
  });
  it('SANDBOX_AFSPRAKENSTELSEL overrides the file; an option overrides both; a wrong value is named', () => {
    expect(loadTopology(defaultTopologyPath(), { env: { SANDBOX_AFSPRAKENSTELSEL: '2' } }).afsprakenstelsel).toBe('2');
    expect(loadTopology(defaultTopologyPath(), { afsprakenstelsel: '1.5', env: { SANDBOX_AFSPRAKENSTELSEL: '2' } }).afsprakenstelsel).toBe('1.5');
    expect(() => loadTopology(defaultTopologyPath(), { env: { SANDBOX_AFSPRAKENSTELSEL: '2.1' } })).toThrow(
      /SANDBOX_AFSPRAKENSTELSEL=2\.1: must be one of 2, 1\.5/,
    );
  });
  it('the short form (id, weergavenaam, systeemrolcode; a plain list of ids) is one numbering for both, and 2 is the default', () => {
    const short = text
      .replace(/afsprakenstelsel: "1\.5"\n/, '')
      .replace(
        /gegevensdiensten:\n  - key: bgz[\s\S]*?\n\nparticipants:/,
        'gegevensdiensten:\n  - { id: "1", weergavenaam: Basisgegevens Zorg (BgZ), systeemrolcode: MM-1.0.0-BZB-FHIR }\n\nparticipants:',
      )
      .replace(/gegevensdiensten:\n      "1\.5": \[[^\]]*\]\n      "2": \[[^\]]*\]/g, 'gegevensdiensten: ["1"]');
    const t = parseTopology(short, 'short.yaml', { env: {} });
    expect(t.afsprakenstelsel).toBe('2');
    expect(t.gegevensdiensten).toEqual([{ key: '1', id: '1', weergavenaam: 'Basisgegevens Zorg (BgZ)', systeemrolcode: 'MM-1.0.0-BZB-FHIR' }]);
    expect(dekroon(t).gegevensdiensten).toEqual(['1']);
  });
});
