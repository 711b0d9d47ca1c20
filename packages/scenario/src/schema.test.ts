/** The scenario file format: the catalogue parses, and a mistake names the file, the line and the field. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@medmij-sandbox/network';
import { loadCatalogue, parseScenario } from './schema.js';

const minimal = `name: example
title: An example
teaches: What this example teaches the room.
rule: SPEC §1.2
steps:
  - collect: { zorgaanbieder: dekroon, gegevensdienst: 1, persona: under-16 }
expect:
  pgo: { status: refused, code: access_denied }
`;

describe('scenario files', () => {
  it('every file of the catalogue is a valid scenario named after its file', () => {
    const dir = join(repositoryRoot(), 'scenarios');
    const catalogue = loadCatalogue(dir);
    expect(catalogue.map((s) => `${s.name}.yaml`)).toEqual(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort());
    expect(catalogue.length).toBeGreaterThanOrEqual(3);
  });

  it('fills in the defaults: DigiD success at Substantieel, consent ja', () => {
    const s = parseScenario(minimal, 'scenarios/example.yaml');
    expect(s.steps[0]).toEqual({ collect: { zorgaanbieder: 'dekroon', gegevensdienst: '1', persona: 'under-16', login: 'success', level: 'substantieel', consent: 'ja' } });
    expect(s.setup).toEqual([]);
    expect(s.expect.hops).toEqual([]);
  });

  it('names file, line and field of a mistake', () => {
    expect(() => parseScenario(minimal.replace('login: success', '').replace('persona: under-16', 'persona: under-16, level: medium'), 'scenarios/example.yaml')).toThrow(
      /scenarios\/example\.yaml:6: steps\[0\]/,
    );
    expect(() => parseScenario(minimal.replace('status: refused', 'status: denied'), 'scenarios/example.yaml')).toThrow(/scenarios\/example\.yaml:8: expect\.pgo\.status: Invalid option: expected one of "collected"\|"refused"/);
    expect(() => parseScenario(`${minimal}setup:\n  - clock: { shift: soon }\n`, 'scenarios/example.yaml')).toThrow(/scenarios\/example\.yaml:10: setup\[0\]/);
    expect(() => parseScenario(minimal, 'scenarios/other-name.yaml')).toThrow("scenarios/other-name.yaml: name 'example' must equal the file name 'other-name'");
    expect(() => parseScenario('name: [unclosed', 'scenarios/broken.yaml')).toThrow(/^scenarios\/broken\.yaml:1:\d+: not valid YAML/);
  });
});
