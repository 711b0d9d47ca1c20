/**
 * Helpers for tests that start real servers: free ports, temporary sandbox folders and topologies.
 * Imported as `@medmij-sandbox/network/testing`; never used by participants.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { releasePorts, reservePorts, writeTopologyOnFreePorts, type FreePortsOptions } from './ports.js';
import { defaultTopologyPath } from './paths.js';
import { parseTopology, type Topology } from './topology.js';

export { freePort, releasePorts, reservePorts } from './ports.js';

export function tempDir(prefix = 'medmij-sandbox-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A small but complete topology (every role, one DVZA, one PGO) on free ports, written to `dir`.
 * Returns the parsed topology and its path. The ports stay reserved for servers this process starts; with
 * `hold: false` they are released for a child process to bind (see ports.ts).
 */
export async function writeTestTopology(
  dir: string,
  overrides: {
    seed?: string;
    referenceDate?: string;
    /** adds DVZA 'rivierenland' (BgZ only) */ secondDvza?: boolean;
    /** adds the operator's console (console.localhost) */ console?: boolean;
    hold?: boolean;
  } = {},
): Promise<{ topology: Topology; path: string }> {
  const ports = await reservePorts(11);
  if (overrides.hold === false) await releasePorts(ports);
  else {
    if (!overrides.secondDvza) await releasePorts(ports.slice(7, 9));
    if (!overrides.console) await releasePorts(ports.slice(10, 11));
  }
  const second = {
    id: 'rivierenland',
    role: 'dvza',
    name: 'Ziekenhuis Rivierenland',
    zorgaanbiedernaam: 'rivierenland@medmij',
    soort: 'ziekenhuis',
    hostname: 'rivierenland.dvza.localhost',
    frontchannelPort: ports[7],
    backchannelPort: ports[8],
    gegevensdiensten: ['1'],
  };
  const doc = {
    version: 1,
    seed: overrides.seed ?? 'test-seed',
    // These small test networks speak 1.5: the tests written on them keep the 1.5 behaviour green (what worked in
    // 1.5 stays green in 1.5); the 2.x tests run the committed topology, whose default is 2.
    afsprakenstelsel: '1.5',
    ...(overrides.referenceDate ? { referenceDate: overrides.referenceDate } : {}),
    gegevensdiensten: [
      { key: 'bgz', id: '1', weergavenaam: 'Basisgegevens Zorg (BgZ)', systeemrolcode: 'MM-1.0.0-BZB-FHIR' },
      { key: 'lab', id: '4', weergavenaam: 'Laboratoriumresultaten', systeemrolcode: 'LAB-1.0.0-LRB-FHIR' },
    ],
    participants: [
      { id: 'pki', role: 'pki', hostname: 'pki.localhost', port: ports[0] },
      { id: 'stelselnode', role: 'stelselnode', hostname: 'stelselnode.localhost', backchannelPort: ports[1] },
      { id: 'tvs', role: 'tvs', hostname: 'tvs.localhost', frontchannelPort: ports[2], backchannelPort: ports[3] },
      {
        id: 'dekroon',
        role: 'dvza',
        name: 'Huisartsenpraktijk De Kroon',
        zorgaanbiedernaam: 'dekroon@medmij',
        soort: 'huisartsenpraktijk',
        hostname: 'dekroon.dvza.localhost',
        frontchannelPort: ports[4],
        backchannelPort: ports[5],
        gegevensdiensten: ['1', '4'],
      },
      ...(overrides.secondDvza ? [second] : []),
      { id: 'pgo', role: 'pgo', name: 'MedMij Sandbox PGO', hostname: 'pgo.localhost', frontchannelPort: ports[6], notificationPort: ports[9] },
      ...(overrides.console ? [{ id: 'console', role: 'console', hostname: 'console.localhost', frontchannelPort: ports[10] }] : []),
    ],
  };
  const path = join(dir, 'topology.yaml');
  const text = stringify(doc);
  writeFileSync(path, text);
  return { topology: parseTopology(text, path), path };
}

/**
 * The default topology (topology.yaml at the repository root: every DVZA, every gegevensdienst) with each
 * port replaced by a free one, written to `dir`: for tests that must cover "every DVZA of the default
 * topology" without colliding with a running sandbox.
 */
export async function writeDefaultTopologyOnFreePorts(dir: string, o: FreePortsOptions = {}): Promise<{ topology: Topology; path: string }> {
  return writeTopologyOnFreePorts(defaultTopologyPath(), dir, o);
}

export { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
