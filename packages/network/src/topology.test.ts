import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTopologyPath } from './paths.js';
import { loadTopology, parseTopology, participantsByRole, pkiRepositoryUrl, frontchannelUrl, backchannelUrl } from './topology.js';

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
    const msg = broken((t) => t.replace('gegevensdiensten: ["1", "4"]', 'gegevensdiensten: ["1", "99"]'));
    expect(msg).toMatch(/participants\[4\]\.gegevensdiensten\[1\]: gegevensdienst '99' is not in the gegevensdiensten list/);
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
  it('YAML that does not parse', () => {
    expect(broken((t) => t.replace('version: 1', 'version: [1'))).toMatch(/^topology\.yaml:\d+:\d+: not valid YAML/);
  });
  it('a file that is not there', () => {
    expect(() => loadTopology('/nonexistent/topology.yaml')).toThrow(/cannot read topology file \/nonexistent\/topology\.yaml: ENOENT/);
  });
});
