/**
 * Name resolution for sandbox hostnames inside Node. Browsers resolve *.localhost to 127.0.0.1 by
 * themselves; Node's resolver (glibc) does not, and we must not edit /etc/hosts. So every sandbox
 * client resolves participant hostnames from the topology (each participant's `address`) and any
 * other *.localhost name to 127.0.0.1, and hands the rest to the system resolver.
 */
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { Topology } from './topology.js';

export type HostTable = ReadonlyMap<string, string>;

export function hostTable(topology: Topology): HostTable {
  return new Map(topology.participants.map((p) => [p.hostname, p.address]));
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
