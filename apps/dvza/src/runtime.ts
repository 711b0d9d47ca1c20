/** Everything one DVZA instance works with: its own participant, its lists, its TVS client, its patients. */
import type { DvzaParticipant, Clock, RandomStream, Topology, TraceBus, TraceEvent, TraceInput } from '@medmij-sandbox/network';
import type { ListConsumer } from '@medmij-sandbox/lists';
import type { SandboxPki } from '@medmij-sandbox/pki';
import type { AssuranceLevelId, TvsClient } from '@medmij-sandbox/tvs-client';
import type { Dossier, Persona } from '@medmij-sandbox/fhir-data';
import type { AuditLog } from './audit.js';
import type { GrantStore } from './grants.js';

export interface PatientRegistry {
  byBsn(bsn: string): Persona | undefined;
  /** This DVZA's dossier of a patient it has a treatment relation with. */
  dossier(patient: Persona): Dossier;
}

export interface DvzaRuntime {
  participant: DvzaParticipant;
  topology: Topology;
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
  lists: ListConsumer;
  tvs: TvsClient;
  patients: PatientRegistry;
  audit: AuditLog;
  grants: GrantStore;
  /** A seeded stream per purpose (codes, tokens, flow ids): same seed, same run. */
  random(purpose: string): RandomStream;
  /** The DigiD level this DVZA requires (SPEC §5: Substantieel). */
  minimumLevel: AssuranceLevelId;
  frontchannelUrl: string;
  backchannelUrl: string;
}

/** How the DVZA reports one of its decisions (reported by and about itself) on the trace. */
export function decisionReporter(rt: Pick<DvzaRuntime, 'participant' | 'bus'>): (e: Omit<TraceInput, 'reportedBy' | 'kind' | 'to'>) => TraceEvent {
  const host = rt.participant.hostname;
  return (e) => rt.bus.emit({ reportedBy: host, kind: 'decision', to: host, ...e });
}
