/**
 * The composition root: how each role starts. The CLI is the one app that imports the others — only their
 * start functions, to run them side by side (`npm start`) or one per process (`sandbox run`). Participants
 * never import each other: they talk over HTTPS.
 */
import type { Participant, Role, SandboxClock, StartContext } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { startPkiRepository } from '@medmij-sandbox/pki-repository';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';
import { startConsole } from '@medmij-sandbox/console';
import type { ScenarioService } from '@medmij-sandbox/console-api';
import type { RunningListener } from '@medmij-sandbox/transport';

/** Everything a participant starts with except itself: the network it joins (its clock one the CLI can move). */
export type NetworkContext = Omit<StartContext<Role, SandboxPki>, 'participant' | 'clock'> & { topologyPath: string; clock: SandboxClock };

/** What only the composition root of a live network adds: the console's scenario runs and resets (`npm start`, `sandbox run console`). */
export interface Extras {
  scenarios?: ScenarioService;
}

export interface RunningParticipant {
  participant: Participant;
  listeners: RunningListener[];
  running: boolean;
}

/** Starts one participant on its own listeners; the same code for every way the network runs. */
export function startParticipant(participant: Participant, ctx: NetworkContext, extras: Extras = {}): Promise<RunningListener[]> {
  const { topology, paths, pki, clock, bus } = ctx;
  const shared = { topology, paths, pki, clock, bus };
  switch (participant.role) {
    case 'pki':
      return startPkiRepository({ ...shared, participant });
    case 'stelselnode':
      return startStelselnode({ ...shared, participant });
    case 'tvs':
      return startTvs({ ...shared, participant });
    case 'dvza':
      return startDvza({ ...shared, participant });
    case 'pgo':
      return startPgo({ ...shared, participant });
    case 'console':
      return startConsole({ ...shared, participant, ...(extras.scenarios ? { scenarios: extras.scenarios } : {}) });
  }
}

/** The PKI repository, stelselnode and TVS start first: the others fetch lists and certificates at start. */
export function isInfrastructure(p: Participant): boolean {
  return p.role === 'pki' || p.role === 'stelselnode' || p.role === 'tvs';
}
