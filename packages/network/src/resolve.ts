/**
 * Name resolution for sandbox hostnames inside Node. Browsers resolve *.localhost to 127.0.0.1 by
 * themselves; Node's resolver (glibc) does not, and we must not edit /etc/hosts. So every sandbox
 * client resolves participant hostnames from the topology (each participant's `address`) and any
 * other *.localhost name to 127.0.0.1, and hands the rest to the system resolver.
 */
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { WatchedFile, withFileLock, writeJsonAtomic } from './state-files.js';
import { hasFrontchannel, type Topology } from './topology.js';
import { SandboxError } from './errors.js';

export type HostTable = { get(hostname: string): string | undefined };

/**
 * The addresses of the topology's participants; with `hostsFile` (SandboxPaths.hosts), also of participants
 * from outside the topology (`sandbox enrol --address`), read again whenever that file changes.
 */
export function hostTable(topology: Topology, o: { hostsFile?: string } = {}): HostTable {
  const own = new Map(topology.participants.map((p) => [p.hostname, p.address]));
  if (!o.hostsFile) return own;
  const extra = extraHosts(o.hostsFile);
  return { get: (hostname) => own.get(hostname) ?? extra.get()[hostname] };
}

/**
 * Where a browser finds the sandbox hostnames: like hostTable, but the front channels of the topology's
 * participants at the topology's `edge` when it has one (docker compose: the edge container on 127.0.0.1).
 * Only for requests to front channels — a back channel is never behind the edge. The edge is the host's way
 * in: a process inside the compose network (SANDBOX_NO_EDGE=1, set by docker-compose.yml) goes straight to
 * each participant's address, since 127.0.0.1 there is the container itself.
 */
export function browserHostTable(topology: Topology, o: { hostsFile?: string; env?: NodeJS.ProcessEnv } = {}): HostTable {
  const table = hostTable(topology, o);
  const edge = topology.edge?.address;
  if (!edge || (o.env ?? process.env).SANDBOX_NO_EDGE === '1') return table;
  const behindEdge = new Set(topology.participants.filter(hasFrontchannel).map((p) => p.hostname));
  return { get: (hostname) => (behindEdge.has(hostname) ? edge : table.get(hostname)) };
}

function extraHosts(hostsFile: string): WatchedFile<Record<string, string>> {
  return new WatchedFile(
    hostsFile,
    (text) => {
      try {
        return JSON.parse(text) as Record<string, string>;
      } catch (e) {
        throw new SandboxError(`cannot read ${hostsFile}: ${(e as Error).message}`, 'fix or delete it, and enrol again');
      }
    },
    () => ({}),
  );
}

/** Records (or, with no address, forgets) where a hostname from outside the topology lives. */
export async function setExtraHost(hostsFile: string, hostname: string, address: string | undefined): Promise<void> {
  await withFileLock(
    hostsFile,
    async () => {
      const hosts = { ...extraHosts(hostsFile).get() };
      if (address) hosts[hostname] = address;
      else delete hosts[hostname];
      writeJsonAtomic(hostsFile, hosts);
    },
    { what: hostsFile },
  );
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
