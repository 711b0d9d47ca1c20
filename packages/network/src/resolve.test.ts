import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserHostTable, hostTable, resolveSandboxHost, setExtraHost } from './resolve.js';
import { repositoryRoot } from './paths.js';
import { loadTopology } from './topology.js';
import { tempDir, writeTestTopology } from './testing.js';

describe('sandbox host resolution', () => {
  it('the topology addresses, any other *.localhost on 127.0.0.1, the rest to the system resolver', async () => {
    const { topology } = await writeTestTopology(tempDir());
    const table = hostTable(topology);
    expect(resolveSandboxHost('pgo.localhost', table)).toBe('127.0.0.1');
    expect(resolveSandboxHost('unknown.localhost', table)).toBe('127.0.0.1');
    expect(resolveSandboxHost('example.org', table)).toBeUndefined();
  });

  it('follows hosts.json for participants from outside the topology (sandbox enrol --address)', async () => {
    const dir = tempDir();
    const hostsFile = join(dir, 'hosts.json');
    const { topology } = await writeTestTopology(dir);
    const table = hostTable(topology, { hostsFile });
    expect(table.get('teampgo.test')).toBeUndefined();
    await setExtraHost(hostsFile, 'teampgo.test', '172.30.77.50');
    expect(table.get('teampgo.test')).toBe('172.30.77.50'); // no restart: the file is read when it changes
    await setExtraHost(hostsFile, 'teampgo.test', undefined);
    expect(resolveSandboxHost('teampgo.test', table)).toBeUndefined();
    writeFileSync(hostsFile, '{ not json');
    expect(() => table.get('teampgo.test')).toThrow(/cannot read .*hosts\.json/);
  });

  it("a browser on the host reaches compose's front channels through the edge; inside the network it goes straight there", () => {
    const topology = loadTopology(join(repositoryRoot(), 'topology.compose.yaml'));
    const host = browserHostTable(topology, { env: {} });
    expect(host.get('pgo.localhost')).toBe('127.0.0.1');
    expect(host.get('dekroon.dvza.localhost')).toBe('127.0.0.1');
    expect(host.get('pki.localhost')).toBe('172.30.77.10'); // no front channel: never behind the edge
    const inside = browserHostTable(topology, { env: { SANDBOX_NO_EDGE: '1' } });
    expect(inside.get('pgo.localhost')).toBe(topology.participants.find((p) => p.hostname === 'pgo.localhost')?.address);
    expect(inside.get('dekroon.dvza.localhost')).toBe('172.30.77.20');
  });
});
