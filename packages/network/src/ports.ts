/**
 * Free ports, and a topology moved onto them: for runs that must not collide with a sandbox already running
 * on the topology's own ports (scenario runs, tests).
 *
 * Asking the OS for a free port and closing it again leaves a window in which another process (or the next
 * request of this one) gets the same port. So ports are *reserved*: every port of a topology is bound at once
 * (the OS hands out distinct ports) and stays bound. A participant started in this process on a reserved
 * port takes the held socket over (packages/transport accepts its connections), so no other process can
 * take the port between "written into the topology" and "listening". A listener closes its port for real
 * (callers get "connection refused"), unless it is closed with `keepPort`: then the port goes back to its
 * reservation for the next network of the same run (the scenario runs do this between scenarios).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Afsprakenstelsel } from './afsprakenstelsel.js';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { SandboxError } from './errors.js';
import { parseTopology, type Topology } from './topology.js';

/** A port this process holds for a participant that starts later. */
export interface ReservedPort {
  readonly address: string;
  readonly port: number;
  /** Hand every connection to `onConnection` (a participant's server takes the port over). */
  attach(onConnection: (socket: Socket) => void): void;
  /** The participant closed: connections are dropped again until the next one attaches. */
  detach(): void;
  /** Close the port for real (ECONNREFUSED from now on) and forget the reservation. */
  release(): Promise<void>;
}

const reservations = new Map<string, ReservedPort>();
const keyOf = (address: string, port: number) => `${address}:${port}`;

/**
 * Reserves `count` distinct free ports on `address`, all bound at the same time. They stay bound until a
 * participant takes them over or they are released; they never keep the process alive.
 */
export async function reservePorts(count: number, address = '127.0.0.1'): Promise<number[]> {
  const bound = await Promise.allSettled(Array.from({ length: count }, () => bind(address)));
  const failed = bound.find((b): b is PromiseRejectedResult => b.status === 'rejected');
  const servers = bound.flatMap((b) => (b.status === 'fulfilled' ? [b.value] : []));
  if (failed) {
    // None of a half reservation stays bound.
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    throw new SandboxError(`cannot reserve ${count} free ports on ${address}: ${(failed.reason as Error).message}`);
  }
  return servers.map((server) => hold(server, address));
}

/** Keeps a bound server as the reservation of its port. */
function hold(server: Server, address: string): number {
  const port = (server.address() as { port: number }).port;
  let handler: ((socket: Socket) => void) | undefined;
  server.on('connection', (socket) => (handler ? handler(socket) : socket.destroy()));
  const reserved: ReservedPort = {
    address,
    port,
    attach: (onConnection) => {
      if (handler) throw new SandboxError(`port ${address}:${port} is already taken over by another listener in this process`);
      handler = onConnection;
    },
    detach: () => {
      handler = undefined;
    },
    release: () => {
      reservations.delete(keyOf(address, port));
      handler = undefined;
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  reservations.set(keyOf(address, port), reserved);
  return port;
}

/** The reservation of `address:port` made by this process, if any (for a listener to take over). */
export function reservedPort(address: string, port: number): ReservedPort | undefined {
  return reservations.get(keyOf(address, port));
}

/** Closes the reservations of these ports (all of this process's, without `ports`). */
export async function releasePorts(ports?: number[], address = '127.0.0.1'): Promise<void> {
  const chosen = ports ? ports.map((p) => reservations.get(keyOf(address, p))) : [...reservations.values()];
  await Promise.all(chosen.map((r) => r?.release()));
}

/**
 * A port nothing listens on right now, released at once: only for a server in *another* process (which cannot
 * take a held socket over). Another process may take it before that server binds it; in this process, use
 * reservePorts.
 */
export async function freePort(): Promise<number> {
  const server = await bind('127.0.0.1');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Reserves these very ports again after a participant on them was stopped on purpose (its port closed for
 * real): the next network of the run starts on them. Fails clearly if another process took one meanwhile.
 */
export async function reservePortsAgain(ports: number[], address = '127.0.0.1'): Promise<void> {
  for (const port of ports.filter((p) => !reservations.has(keyOf(address, p)))) {
    const server = await bind(address, port).catch((e: NodeJS.ErrnoException) => {
      throw new SandboxError(`port ${address}:${port} was taken by another process while its participant was stopped (${e.code ?? e.message})`);
    });
    hold(server, address);
  }
}

function bind(address: string, port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, address, () => {
      server.unref();
      resolve(server);
    });
  });
}

export interface FreePortsOptions {
  referenceDate?: string;
  /** Write the topology for this afsprakenstelsel (instead of the file's). */
  afsprakenstelsel?: Afsprakenstelsel;
  /**
   * `true` (default): the ports stay reserved for participants started in this process. `false`: released at
   * once, for participants started in other processes (child processes, `sandbox run`).
   */
  hold?: boolean;
}

/** Copies the topology at `source` into `dir` with every port replaced by a free one. */
export async function writeTopologyOnFreePorts(source: string, dir: string, o: FreePortsOptions = {}): Promise<{ topology: Topology; path: string }> {
  const doc = parse(readFileSync(source, 'utf8')) as { referenceDate?: string; afsprakenstelsel?: string; participants: Array<Record<string, unknown>> };
  const fields = doc.participants.flatMap((p) =>
    ['port', 'frontchannelPort', 'backchannelPort', 'notificationPort'].filter((f) => typeof p[f] === 'number').map((f) => ({ p, f })),
  );
  const byAddress = new Map<string, typeof fields>();
  for (const field of fields) {
    const address = typeof field.p.address === 'string' ? field.p.address : '127.0.0.1';
    byAddress.set(address, [...(byAddress.get(address) ?? []), field]);
  }
  for (const [address, list] of byAddress) {
    const ports = await reservePorts(list.length, address);
    list.forEach(({ p, f }, i) => (p[f] = ports[i]));
    if (o.hold === false) await releasePorts(ports, address);
  }
  if (o.referenceDate) doc.referenceDate = o.referenceDate;
  if (o.afsprakenstelsel) doc.afsprakenstelsel = o.afsprakenstelsel;
  const path = join(dir, 'topology.yaml');
  const text = stringify(doc);
  writeFileSync(path, text);
  return { topology: parseTopology(text, path, o.afsprakenstelsel ? { afsprakenstelsel: o.afsprakenstelsel } : {}), path };
}
