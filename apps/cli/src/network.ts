/**
 * Starting the whole network in one process ("embedded mode"): read the topology, make sure the PKI
 * exists and covers every hostname, start each participant that has an implementation on its own
 * ports and hostname, and write .sandbox/network.json for tools and people.
 *
 * The CLI is the one app allowed to import other apps — only their start functions, to run them side
 * by side. Participants themselves never import each other: they talk over HTTPS.
 */
import { existsSync, mkdirSync, renameSync, watch } from 'node:fs';
import {
  SandboxClock,
  SharedTraceBus,
  TraceBus,
  backchannelUrl,
  frontchannelUrl,
  jsonLinesSink,
  loadTopology,
  pkiRepositoryUrl,
  sandboxPaths,
  type Participant,
  type Role,
  type SandboxPaths,
  type Topology,
  writeFileAtomic,
} from '@medmij-sandbox/network';
import { LEAF_KINDS, SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { startPkiRepository } from '@medmij-sandbox/pki-repository';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';
import { LIST_KINDS, listFileName } from '@medmij-sandbox/lists';
import type { RunningListener } from '@medmij-sandbox/transport';
import { scenarioService } from './scenario.js';
import { formatTable } from './table.js';

export interface StartContext {
  topologyPath: string;
  topology: Topology;
  pki: SandboxPki;
  clock: SandboxClock;
  bus: TraceBus;
  paths: SandboxPaths;
}

type Starter = (participant: Participant, ctx: StartContext) => Promise<RunningListener[]>;

/** How each role starts: the same code in one process (`up`) and in a process of its own (`run`). */
export const STARTERS: Partial<Record<Role, Starter>> = {
  pki: (p, ctx) => startPkiRepository({ participant: p as Extract<Participant, { role: 'pki' }>, pki: ctx.pki, clock: ctx.clock, bus: ctx.bus }),
  stelselnode: (p, ctx) =>
    startStelselnode({
      participant: p as Extract<Participant, { role: 'stelselnode' }>,
      topology: ctx.topology,
      sandboxDir: ctx.paths.root,
      pki: ctx.pki,
      clock: ctx.clock,
      bus: ctx.bus,
    }),
  tvs: (p, ctx) =>
    startTvs({
      participant: p as Extract<Participant, { role: 'tvs' }>,
      topology: ctx.topology,
      pki: ctx.pki,
      clock: ctx.clock,
      bus: ctx.bus,
      sandboxDir: ctx.paths.root,
    }),
  dvza: (p, ctx) =>
    startDvza({
      participant: p as Extract<Participant, { role: 'dvza' }>,
      topology: ctx.topology,
      sandboxDir: ctx.paths.root,
      pki: ctx.pki,
      clock: ctx.clock,
      bus: ctx.bus,
    }),
  pgo: (p, ctx) =>
    startPgo({
      participant: p as Extract<Participant, { role: 'pgo' }>,
      topology: ctx.topology,
      sandboxDir: ctx.paths.root,
      pki: ctx.pki,
      clock: ctx.clock,
      bus: ctx.bus,
      scenarios: scenarioService(ctx),
    }),
};

export interface RunningParticipant {
  participant: Participant;
  listeners: RunningListener[];
  running: boolean;
}

export interface RunningNetwork extends StartContext {
  topologyPath: string;
  participants: RunningParticipant[];
  pkiChanges: string[];
  pkiCreated: boolean;
  networkJson: NetworkDescription;
  close(): Promise<void>;
}

export interface StartOptions {
  topologyPath: string;
  dir?: string;
  clock?: SandboxClock;
  /**
   * Share the trace file with other processes (`npm start`): what a live scenario run or a `sandbox run`
   * process reports shows in this network's inspector too, numbered alike. Off for the throwaway networks
   * of scenario runs, which only write their trace.
   */
  sharedTrace?: boolean;
}

export async function startNetwork(opts: StartOptions): Promise<RunningNetwork> {
  const topology = loadTopology(opts.topologyPath);
  const paths = sandboxPaths(opts.dir);
  mkdirSync(paths.root, { recursive: true });
  const clock = opts.clock ?? new SandboxClock();

  // One trace file per run; the previous run's stays next to it.
  if (existsSync(paths.trace)) renameSync(paths.trace, paths.trace.replace(/\.jsonl$/, '-previous.jsonl'));
  let bus: TraceBus;
  if (opts.sharedTrace) {
    bus = new SharedTraceBus(clock, paths.trace);
  } else {
    bus = new TraceBus(clock);
    bus.subscribe(jsonLinesSink(paths.trace));
  }

  const { pki, created, changes } = await SandboxPki.ensure(paths.pki, {
    repositoryUrl: pkiRepositoryUrl(topology),
    hosts: hostSpecs(topology),
    clock,
  });
  for (const change of changes) {
    bus.emit({ reportedBy: 'sandbox', from: 'sandbox', to: 'pki', kind: 'decision', outcome: 'ok', reason: `PKI: ${change}` });
  }

  const pkiWatcher = watchPkiChanges(pki, bus);

  const ctx: StartContext = { topologyPath: opts.topologyPath, topology, pki, clock, bus, paths };
  const participants: RunningParticipant[] = [];
  // The PKI repository, stelselnode and TVS first (the others fetch lists at start), then the DVZAs and PGOs
  // side by side. `participants` keeps topology order whatever finishes first.
  const start = async (participant: Participant): Promise<RunningParticipant> => {
    const starter = STARTERS[participant.role];
    return { participant, listeners: starter ? await starter(participant, ctx) : [], running: starter !== undefined };
  };
  const infrastructure = (p: Participant) => p.role === 'pki' || p.role === 'stelselnode' || p.role === 'tvs';
  try {
    for (const participant of topology.participants.filter(infrastructure)) participants.push(await start(participant));
    const others = await Promise.allSettled(topology.participants.filter((p) => !infrastructure(p)).map(start));
    for (const o of others) if (o.status === 'fulfilled') participants.push(o.value);
    const failed = others.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    participants.sort((a, b) => topology.participants.indexOf(a.participant) - topology.participants.indexOf(b.participant));
  } catch (e) {
    pkiWatcher.close();
    if (bus instanceof SharedTraceBus) bus.close();
    await Promise.all(participants.flatMap((p) => p.listeners.map((l) => l.close())));
    throw e;
  }

  const networkJson = describeNetwork(ctx, paths, opts.topologyPath, participants);
  writeJson(paths.networkJson, networkJson);

  let closed = false;
  return {
    ...ctx,
    topologyPath: opts.topologyPath,
    participants,
    pkiChanges: changes,
    pkiCreated: created,
    networkJson,
    async close() {
      if (closed) return;
      closed = true;
      pkiWatcher.close();
      if (bus instanceof SharedTraceBus) bus.close();
      await Promise.all(participants.flatMap((p) => p.listeners.map((l) => l.close())));
    },
  };
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
      bus.emit({ reportedBy: 'pki', from: 'sandbox', to: 'pki', kind: 'decision', outcome: 'ok', reason: `PKI: ${change.what}` });
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

export function describeNetwork(ctx: StartContext, paths: SandboxPaths, topologyPath: string, running: RunningParticipant[]): NetworkDescription {
  const { pki, topology, clock } = ctx;
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
        ...(p.role === 'stelselnode' ? { lists: Object.fromEntries(LIST_KINDS.map((k) => [k, `${backchannelUrl(p)}/${listFileName(k)}`])) } : {}),
        certificates,
      };
    }),
  };
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
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
