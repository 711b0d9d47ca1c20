import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTable, resolveSandboxHost, setExtraHost } from './resolve.js';
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
});
