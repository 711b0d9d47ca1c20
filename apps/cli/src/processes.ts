/**
 * The network as separate processes — one per participant, as in docker-compose or on shared machines.
 *
 * `sandbox init` prepares what the processes share on disk: the PKI, the sandbox clock (clock.json), a fresh
 * trace file and network.json. `sandbox run <participant>` then starts one participant with the same start
 * code as `npm start`. The processes share nothing in memory:
 * - the PKI through its folder (every TLS handshake re-reads a changed state.json);
 * - the sandbox clock through clock.json (a shift made anywhere counts everywhere at the next reading);
 * - the trace through one JSON-lines file every process appends to and reads back (SharedTraceBus);
 * - everything else over HTTPS, as always.
 */
import { existsSync } from 'node:fs';
import {
  SandboxClock,
  SandboxError,
  SharedTraceBus,
  findParticipant,
  hostTable,
  loadTopology,
  outsiderPaths,
  participantsByRole,
  pkiRepositoryUrl,
  traceLimits,
  writeJsonAtomic,
  type ClockState,
  type DvzaParticipant,
  type PgoParticipant,
  type SandboxPaths,
  type StartContext,
  type Topology,
} from '@medmij-sandbox/network';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { SANDBOX, because } from '@medmij-sandbox/rules';
import { findEnrolment } from '@medmij-sandbox/lists';
import { DVZA_PATHS } from '@medmij-sandbox/medmij-oauth';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';
import type { RunningListener } from '@medmij-sandbox/transport';
import { describeNetwork, keepPreviousTrace, watchPkiChanges } from './network.js';
import { startParticipant, type Extras, type NetworkContext, type RunningParticipant } from './participants.js';

export interface InitResult {
  pki: SandboxPki;
  created: boolean;
  changes: string[];
  clock: SandboxClock;
}

/**
 * Prepares a network whose participants run as separate processes: the PKI for every hostname of the
 * topology (created or brought up to date), the shared clock (real time unless told otherwise), a new
 * trace file (the previous one is kept as trace-previous.jsonl) and network.json.
 */
export async function initNetwork(o: { topologyPath: string; paths: SandboxPaths; clock?: ClockState; forcePki?: boolean }): Promise<InitResult> {
  const { paths } = o;
  const topology = loadTopology(o.topologyPath);
  const clock = new SandboxClock().shareVia(paths.clock).set(o.clock ?? { mode: 'real', offsetMs: 0 });
  const pkiOptions = { repositoryUrl: pkiRepositoryUrl(topology), hosts: hostSpecs(topology), clock };
  const { pki, created, changes } = o.forcePki
    ? { pki: await SandboxPki.init(paths.pki, { ...pkiOptions, force: true }), created: true, changes: ['rebuilt the sandbox PKI'] }
    : await SandboxPki.ensure(paths.pki, pkiOptions);
  keepPreviousTrace(paths);
  const bus = new SharedTraceBus(clock, paths.trace, sharedTraceOptions(topology));
  for (const change of changes)
    bus.emit({ reportedBy: 'sandbox', from: 'sandbox', to: 'pki', kind: 'decision', outcome: 'ok', ...because(SANDBOX.pkiChanged, { change }) });
  bus.close();
  const ctx: NetworkContext = { topologyPath: o.topologyPath, topology, pki, clock, bus, paths };
  const description = describeNetwork(
    ctx,
    topology.participants.map((participant) => ({ participant, listeners: [], running: false })),
  );
  writeJsonAtomic(paths.networkJson, {
    ...description,
    description:
      'MedMij Sandbox network - NOT FOR PRODUCTION. Written by `sandbox init`: every participant runs as its own process (`sandbox run <participant>`).',
  });
  return { pki, created, changes, clock };
}

/** What every `sandbox run` process opens: the topology, and the PKI, clock and trace that `init` left on disk. */
export function openSharedNetwork(o: { topologyPath: string; paths: SandboxPaths }): NetworkContext & { bus: SharedTraceBus } {
  const { paths } = o;
  const topology = loadTopology(o.topologyPath);
  if (!existsSync(paths.clock) || !SandboxPki.exists(paths.pki)) {
    throw new SandboxError(
      `${paths.root} has no prepared network (no ${SandboxPki.exists(paths.pki) ? 'clock.json' : 'PKI'})`,
      'prepare it first with: npm run sandbox -- init',
    );
  }
  const clock = new SandboxClock().shareVia(paths.clock);
  const pki = SandboxPki.open(paths.pki, { clock });
  const bus = new SharedTraceBus(clock, paths.trace, sharedTraceOptions(topology));
  const limits = traceLimits(topology);
  bus.streamLimits = { window: limits.streamWindow, queue: limits.streamQueue };
  return { topologyPath: o.topologyPath, topology, pki, clock, bus, paths };
}

/** The topology's trace limits for a process's view of the shared trace file. */
function sharedTraceOptions(topology: Topology): { maxBytes: number; capacity: number } {
  const limits = traceLimits(topology);
  return { maxBytes: limits.maxBytes, capacity: limits.memoryEvents };
}

type Outsider = RunningParticipant & { close(): Promise<void>; trace: string };

/**
 * Runs the reference PGO *as* an enrolled participant, the way an integration team runs its own: with its
 * own state folder, its own trace file (it does not report to the network's trace, so scenarios see it only
 * from the outside) and its own clock on real time. It shares the PKI folder to read its certificates and to
 * judge the others' (what a real PGO learns from the CRLs). Useful to try `--target` without a PGO of your own.
 */
export async function runEnrolledPgo(o: { topologyPath: string; paths: SandboxPaths; hostname: string; port: number }): Promise<Outsider> {
  const topology = loadTopology(o.topologyPath);
  const enrolment = findEnrolment(o.paths.enrolments, o.hostname);
  if (enrolment?.role !== 'pgo') throw new SandboxError(`no PGO enrolled as '${o.hostname}'`, `enrol it first: npm run sandbox -- enrol pgo ${o.hostname}`);
  const address = hostTable(topology, { hostsFile: o.paths.hosts }).get(enrolment.hostname) ?? '127.0.0.1';
  const participant: PgoParticipant = {
    id: 'pgo',
    role: 'pgo',
    name: enrolment.name,
    hostname: enrolment.hostname,
    address,
    frontchannelPort: o.port,
    demoAccounts: true,
  };
  return startAsOutsider(outsiderPaths(o.paths, participant.hostname), topology, participant, (ctx) => startPgo({ ...ctx, topology, participant }));
}

/**
 * Runs the reference DVZA *as* an enrolled DVZA, like runEnrolledPgo: own state, own trace, own clock. Its
 * synthetic patients are those of the topology DVZA it enrolled with (`--patients-of`), since the personas
 * belong to the topology's care providers. Its endpoints must be the reference DVZA's paths.
 */
export async function runEnrolledDvza(o: { topologyPath: string; paths: SandboxPaths; key: string }): Promise<Outsider> {
  const topology = loadTopology(o.topologyPath);
  const enrolment = findEnrolment(o.paths.enrolments, o.key);
  if (enrolment?.role !== 'dvza') throw new SandboxError(`no DVZA enrolled as '${o.key}'`);
  const dvzas = participantsByRole(topology, 'dvza');
  const stand = dvzas.find((d) => d.id === enrolment.patientsOf);
  if (!stand) {
    throw new SandboxError(
      `${o.key} holds the patients of '${enrolment.patientsOf}', which is not a DVZA of the topology`,
      'enrol it again with --patients-of <dvza>',
    );
  }
  const [authorize, token, fhir] = [enrolment.authorizeUrl, enrolment.tokenUrl, enrolment.fhirUrl].map((u) => new URL(u));
  if (
    authorize!.pathname !== DVZA_PATHS.authorize ||
    token!.pathname !== DVZA_PATHS.token ||
    fhir!.pathname.replace(/\/$/, '') !== DVZA_PATHS.fhir ||
    fhir!.port !== token!.port
  ) {
    throw new SandboxError(
      `the reference DVZA serves ${DVZA_PATHS.authorize} on its front channel and ${DVZA_PATHS.token} and ${DVZA_PATHS.fhir} on one back channel; ${o.key} is enrolled with ${enrolment.authorizeUrl}, ${enrolment.tokenUrl}, ${enrolment.fhirUrl}`,
      'enrol it with such URLs to run the reference DVZA as it',
    );
  }
  const portOf = (u: URL) => Number(u.port || 443);
  if (portOf(authorize!) === portOf(token!)) {
    throw new SandboxError(`the reference DVZA needs two ports (front and back channel); ${o.key} is enrolled with one (${portOf(token!)})`);
  }
  const participant: DvzaParticipant = {
    ...stand,
    name: enrolment.name,
    hostname: token!.hostname,
    address: hostTable(topology, { hostsFile: o.paths.hosts }).get(token!.hostname) ?? '127.0.0.1',
    zorgaanbiedernaam: enrolment.zorgaanbiedernaam,
    gegevensdiensten: enrolment.gegevensdiensten,
    frontchannelPort: portOf(authorize!),
    backchannelPort: portOf(token!),
  };
  return startAsOutsider(outsiderPaths(o.paths, participant.hostname), topology, participant, (ctx) => startDvza({ ...ctx, topology, participant }));
}

/** What an outside participant has of its own: a real-time clock and a trace file in its own folder. */
async function startAsOutsider(
  paths: SandboxPaths,
  topology: Topology,
  participant: PgoParticipant | DvzaParticipant,
  start: (ctx: Pick<StartContext<'pgo', SandboxPki>, 'paths' | 'pki' | 'clock' | 'bus'>) => Promise<RunningListener[]>,
): Promise<Outsider> {
  const clock = new SandboxClock();
  const bus = new SharedTraceBus(clock, paths.trace, sharedTraceOptions(topology));
  let listeners: RunningListener[];
  try {
    listeners = await start({ paths, pki: SandboxPki.open(paths.pki, { clock }), clock, bus });
  } catch (e) {
    bus.close();
    throw e;
  }
  return {
    participant,
    listeners,
    running: true,
    trace: paths.trace,
    async close() {
      await Promise.all(listeners.map((l) => l.close()));
      bus.close();
    },
  };
}

/** Starts one participant (by id or hostname) of a prepared network in this process. */
export async function runParticipant(ctx: NetworkContext, idOrHostname: string, extras: Extras = {}): Promise<RunningParticipant & { close(): Promise<void> }> {
  const participant = findParticipant(ctx.topology, idOrHostname);
  if (!participant) {
    throw new SandboxError(`no participant '${idOrHostname}' in ${ctx.topologyPath}`, `participants: ${ctx.topology.participants.map((p) => p.id).join(', ')}`);
  }
  const listeners = await startParticipant(participant, ctx, extras);
  // The PKI repository is the participant that reports changes to the PKI (a revocation from another terminal).
  const watcher = participant.role === 'pki' ? watchPkiChanges(ctx.pki, ctx.bus) : undefined;
  return {
    participant,
    listeners,
    running: true,
    async close() {
      watcher?.close();
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
