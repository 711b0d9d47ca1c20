/**
 * Name resolution for sandbox hostnames inside Node. Browsers resolve *.localhost to 127.0.0.1 by
 * themselves; Node's resolver (glibc) does not, and we must not edit /etc/hosts. So every sandbox
 * client resolves participant hostnames from the topology (each participant's `address`) and any
 * other *.localhost name to 127.0.0.1, and hands the rest to the system resolver.
 */
import { existsSync, readFileSync } from 'node:fs';
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { join } from 'node:path';
import { fileStamp, writeFileAtomic } from './files.js';
import type { Topology } from './topology.js';
import { SandboxError } from './errors.js';

export type HostTable = { get(hostname: string): string | undefined };

/**
 * The addresses of the topology's participants; with `sandboxDir`, also of participants from outside the
 * topology (`sandbox enrol --address`), read from `<sandboxDir>/hosts.json` whenever that file changes.
 */
export function hostTable(topology: Topology, o: { sandboxDir?: string } = {}): HostTable {
  const own = new Map(topology.participants.map((p) => [p.hostname, p.address]));
  if (!o.sandboxDir) return own;
  const file = extraHostsPath(o.sandboxDir);
  let stamp = '';
  let extra: Record<string, string> = {};
  return {
    get(hostname) {
      const known = own.get(hostname);
      if (known) return known;
      const now = fileStamp(file);
      if (now !== stamp) {
        stamp = now;
        extra = readExtraHosts(o.sandboxDir!);
      }
      return extra[hostname];
    },
  };
}

export function extraHostsPath(sandboxDir: string): string {
  return join(sandboxDir, 'hosts.json');
}

function readExtraHosts(sandboxDir: string): Record<string, string> {
  const path = extraHostsPath(sandboxDir);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (e) {
    throw new SandboxError(`cannot read ${path}: ${(e as Error).message}`, 'fix or delete it, and enrol again');
  }
}

/** Records (or, with no address, forgets) where a hostname from outside the topology lives. */
export function setExtraHost(sandboxDir: string, hostname: string, address: string | undefined): void {
  const hosts = readExtraHosts(sandboxDir);
  if (address) hosts[hostname] = address;
  else delete hosts[hostname];
  writeFileAtomic(extraHostsPath(sandboxDir), `${JSON.stringify(hosts, null, 2)}\n`);
}

export function resolveSandboxHost(hostname: string, table: HostTable = new Map()): string | undefined {
  const known = table.get(hostname);
  if (known) return known;
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return '127.0.0.1';
  return undefined;
}

/** A `lookup` for net/tls/https options that knows the sandbox hostnames. */
export function sandboxLookup(table: HostTable = new Map()): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    const address = resolveSandboxHost(hostname, table);
    if (!address) return systemLookup(hostname, options, callback as never);
    if (options?.all) {
      callback(null, [{ address, family: 4 } satisfies LookupAddress]);
    } else {
      callback(null, address, 4);
    }
  }) as LookupFunction;
}
