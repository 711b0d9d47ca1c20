/**
 * What every participant is started with, in whatever process starts it (`npm start`, `sandbox run`, a
 * container, a test): itself, the network it belongs to, and the services every participant shares. Defined
 * once here; each app's start function takes `StartContext<its role, SandboxPki>`.
 *
 * The PKI's type is a parameter because packages/pki sits above this package (it reads the clock from here).
 */
import type { Clock } from './clock.js';
import type { SandboxPaths } from './paths.js';
import type { Participant, Role, Topology } from './topology.js';
import type { TraceBus } from './trace.js';

export type ParticipantOf<R extends Role> = Extract<Participant, { role: R }>;

export interface StartContext<R extends Role, Pki> {
  participant: ParticipantOf<R>;
  topology: Topology;
  /** Where the participant keeps its state, and where it finds the network's shared files. */
  paths: SandboxPaths;
  pki: Pki;
  clock: Clock;
  bus: TraceBus;
}
