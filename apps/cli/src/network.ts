/**
 * Starting the whole network in one process ("embedded mode"): read the topology, make sure the PKI
 * exists and covers every hostname, start every participant on its own ports and hostname (participants.ts),
 * and write .sandbox/network.json for tools and people.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, watch } from 'node:fs';
import {
  SharedTraceBus,
  TraceBus,
  backchannelUrl,
  frontchannelUrl,
  jsonLinesSink,
  loadTopology,
  pkiRepositoryUrl,
  rotatedTracePath,
  traceLimits,
  writeJsonAtomic,
  type Participant,
  type Role,
  type SandboxClock,
  type SandboxPaths,
} from '@medmij-sandbox/network';
import { LEAF_KINDS, SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { SANDBOX, because } from '@medmij-sandbox/rules';
import type { ScenarioService } from '@medmij-sandbox/console-api';
import { listFileName, listKindsOf } from '@medmij-sandbox/lists';
import { isInfrastructure, startParticipant, type NetworkContext, type RunningParticipant } from './participants.js';
import { formatTable } from './table.js';

export interface RunningNetwork extends NetworkContext {
  participants: RunningParticipant[];
  pkiChanges: string[];
  pkiCreated: boolean;
  networkJson: NetworkDescription;
  /** `keepPorts`: ports reserved in this process stay reserved, for the next network of a run (scenario runs). */
  close(o?: { keepPorts?: boolean }): Promise<void>;
}

export interface StartOptions {
  topologyPath: string;
  paths: SandboxPaths;
  clock: SandboxClock;
  /**
   * Share the trace file with other processes (`npm start`): what a live scenario run or a `sandbox run`
   * process reports shows in this network's inspector too, numbered alike. Off for the throwaway networks
   * of scenario runs, which only write their trace.
   */
  sharedTrace?: boolean;
  /** The console's scenario service (only `up` gives one: a throwaway scenario network has none). */
  scenarios?: (network: NetworkContext) => ScenarioService;
}

export async function startNetwork(opts: StartOptions): Promise<RunningNetwork> {
  const topology = loadTopology(opts.topologyPath);
  const { paths, clock } = opts;
  mkdirSync(paths.root, { recursive: true });

  // One trace file per run; the previous run's stays next to it.
  keepPreviousTrace(paths);
  let bus: TraceBus;
  const limits = traceLimits(topology);
  if (opts.sharedTrace) {
    bus = new SharedTraceBus(clock, paths.trace, { maxBytes: limits.maxBytes, capacity: limits.memoryEvents });
  } else {
    bus = new TraceBus(clock, limits.memoryEvents);
    bus.subscribe(jsonLinesSink(paths.trace, { maxBytes: limits.maxBytes }));
  }
  bus.streamLimits = { window: limits.streamWindow, queue: limits.streamQueue };

  const { pki, created, changes } = await SandboxPki.ensure(paths.pki, {
    repositoryUrl: pkiRepositoryUrl(topology),
    hosts: hostSpecs(topology),
    clock,
  });
  for (const change of changes) {
    bus.emit({ reportedBy: 'sandbox', from: 'sandbox', to: 'pki', kind: 'decision', outcome: 'ok', ...because(SANDBOX.pkiChanged, { change }) });
  }

  const pkiWatcher = watchPkiChanges(pki, bus);

  const ctx: NetworkContext = { topologyPath: opts.topologyPath, topology, pki, clock, bus, paths };
  const extras = opts.scenarios ? { scenarios: opts.scenarios(ctx) } : {};
  const participants: RunningParticipant[] = [];
  // Infrastructure first (the others fetch lists at start), then the DVZAs and PGOs side by side.
  // `participants` keeps topology order whatever finishes first.
  const start = async (participant: Participant): Promise<RunningParticipant> => ({
    participant,
    listeners: await startParticipant(participant, ctx, extras),
    running: true,
  });
  try {
    for (const participant of topology.participants.filter(isInfrastructure)) participants.push(await start(participant));
    const others = await Promise.allSettled(topology.participants.filter((p) => !isInfrastructure(p)).map(start));
    for (const o of others) if (o.status === 'fulfilled') participants.push(o.value);
    const failed = others.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    participants.sort((a, b) => topology.participants.indexOf(a.participant) - topology.participants.indexOf(b.participant));
  } catch (e) {
    pkiWatcher.close();
    if (bus instanceof SharedTraceBus) bus.close();
    // Ports this process reserved stay reserved: the next network of a run may start on them again.
    await Promise.all(participants.flatMap((p) => p.listeners.map((l) => l.close({ keepPort: true }))));
    throw e;
  }

  const networkJson = describeNetwork(ctx, participants);
  writeJsonAtomic(paths.networkJson, networkJson);

  let closed = false;
  return {
    ...ctx,
    participants,
    pkiChanges: changes,
    pkiCreated: created,
    networkJson,
    async close(o = {}) {
      if (closed) return;
      closed = true;
      pkiWatcher.close();
      if (bus instanceof SharedTraceBus) bus.close();
      await Promise.all(participants.flatMap((p) => p.listeners.map((l) => l.close({ keepPort: o.keepPorts }))));
    },
  };
}

/**
 * A new run starts a new trace file; the last one is kept as trace-previous.jsonl, with its rotated older part
 * (trace.1.jsonl) as trace-previous.1.jsonl. The older part first: a process still reading the old file then
 * takes the new one for a new run, never for a rotation.
 */
export function keepPreviousTrace(paths: SandboxPaths): void {
  const older = rotatedTracePath(paths.trace);
  if (existsSync(older)) renameSync(older, rotatedTracePath(paths.tracePrevious));
  else if (existsSync(paths.trace)) rmSync(rotatedTracePath(paths.tracePrevious), { force: true });
  if (existsSync(paths.trace)) renameSync(paths.trace, paths.tracePrevious);
  // A trace an older sandbox wrote may be readable by others: it holds the DVZA's view.
  for (const kept of [paths.tracePrevious, rotatedTracePath(paths.tracePrevious)]) if (existsSync(kept)) chmodSync(kept, 0o600);
}

/**
 * Changes made to the PKI while the network runs (by `sandbox pki ...` in another terminal, or a scenario)
 * are reported on the trace, so the inspector shows why a handshake suddenly fails.
 */
export function watchPkiChanges(pki: SandboxPki, bus: TraceBus): { close(): void } {
  let seenGeneration = pki.generation;
  return watch(pki.dir, () => {
    try {
      pki.refresh();
    } catch {
      return; // caught mid-rewrite; the next event catches up
    }
    for (const change of pki.changesSince(seenGeneration)) {
      // The change in the PKI's own words.
      bus.emit({ reportedBy: 'pki', from: 'sandbox', to: 'pki', kind: 'decision', outcome: 'ok', ...because(SANDBOX.pkiChanged, { change: change.what }) });
    }
    seenGeneration = pki.generation;
  });
}

export interface NetworkDescription {
  description: string;
  startedAt: string;
  /** The sandbox clock at start: real, shifted or frozen. */
  clock: ReturnType<SandboxClock['getState']>;
  topology: string;
  seed: string;
  trace: string;
  pki: { dir: string; installId: string; repositoryUrl: string; rootCertificate: string; caCertificates: Record<string, string>; crls: Record<string, string> };
  participants: Array<{
    id: string;
    role: Role;
    name: string;
    hostname: string;
    running: boolean;
    urls: { frontchannel?: string; backchannel?: string; http?: string };
    zorgaanbiedernaam?: string;
    gegevensdiensten?: string[];
    /** The stelselnode: where each list is published. */
    lists?: Record<string, string>;
    certificates: Record<string, { cert: string; key: string; chain: string; serial: string }>;
  }>;
}

export function describeNetwork(ctx: NetworkContext, running: RunningParticipant[]): NetworkDescription {
  const { pki, topology, clock, paths, topologyPath } = ctx;
  const caPaths = (kind: 'crl' | 'ca') =>
    Object.fromEntries(
      (['root', 'private-services', 'browser'] as const).map((ca) => [
        ca,
        kind === 'ca' ? pki.path(pki.caRecord(ca).files.cert) : pki.path(`crl/${ca}.crl.pem`),
      ]),
    );
  return {
    description: 'MedMij Sandbox network - NOT FOR PRODUCTION. Written by `npm start`; read by tools and tests.',
    startedAt: clock.now().toISOString(),
    clock: clock.getState(),
    topology: topologyPath,
    seed: topology.seed,
    trace: paths.trace,
    pki: {
      dir: paths.pki,
      installId: pki.installId,
      repositoryUrl: pki.repositoryUrl,
      rootCertificate: pki.rootCertPath,
      caCertificates: caPaths('ca'),
      crls: caPaths('crl'),
    },
    participants: running.map(({ participant: p, running: isRunning, listeners }) => {
      const certificates: NetworkDescription['participants'][number]['certificates'] = {};
      for (const kind of LEAF_KINDS) {
        const record = pki.current(p.hostname, kind);
        if (record) {
          certificates[kind] = {
            cert: pki.path(record.files.cert),
            key: pki.path(record.files.key!),
            chain: pki.path(record.files.chain!),
            serial: record.serial,
          };
        }
      }
      const http = listeners.find((l) => l.kind === 'http')?.url;
      return {
        id: p.id,
        role: p.role,
        name: p.name,
        hostname: p.hostname,
        running: isRunning,
        urls: {
          ...(frontchannelUrl(p) ? { frontchannel: frontchannelUrl(p) } : {}),
          ...(backchannelUrl(p) ? { backchannel: backchannelUrl(p) } : {}),
          ...(p.role === 'pki' ? { http: http ?? pkiRepositoryUrl(topology) } : {}),
        },
        ...(p.role === 'dvza' ? { zorgaanbiedernaam: p.zorgaanbiedernaam, gegevensdiensten: p.gegevensdiensten } : {}),
        ...(p.role === 'stelselnode'
          ? { lists: Object.fromEntries(listKindsOf(topology.afsprakenstelsel).map((k) => [k, `${backchannelUrl(p)}/${listFileName(k)}`])) }
          : {}),
        certificates,
      };
    }),
  };
}

/** The start table: one row per participant with its URLs and whether it runs yet. */
export function formatParticipantTable(network: RunningNetwork): string {
  const rows = network.networkJson.participants.map((p) => [
    p.id,
    p.role,
    p.name,
    p.urls.frontchannel ?? p.urls.http ?? '-',
    p.urls.backchannel ?? '-',
    p.running ? 'running' : 'not implemented yet',
  ]);
  return formatTable(['participant', 'role', 'name', 'front channel / http', 'back channel (mTLS)', 'status'], rows);
}
