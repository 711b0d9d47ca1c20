/** Everything one DVZA instance works with: its own participant, its lists, its TVS client, its patients. */
import type { DvzaParticipant, Clock, RandomStream, Topology, TraceBus, TraceEvent, TraceInput } from '@medmij-sandbox/network';
import { listKindsOf, type AnyListKind, type ListConsumer } from '@medmij-sandbox/lists';
import type { NoticedConsumer } from '@medmij-sandbox/stelselnode-client';
import type { ConsentStore } from './consents.js';
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

/**
 * The lists a DVZA reads, as the consumer of either afsprakenstelsel offers them: in 2 the OAuthclientlist says
 * which gegevensdiensten each client may use (release3); in 1.5 it does not (every client may use every one).
 */
export interface DvzaLists {
  require(kind: 'Whitelist', traceId?: string): { nodes: string[] };
  require(
    kind: 'OAuthclientlist',
    traceId?: string,
  ): { oauthclients: ReadonlyArray<{ hostname: string; organisatienaam: string; gegevensdiensten?: string[] }> };
  require(kind: 'Zorgaanbiederslijst', traceId?: string): unknown;
  require(kind: 'Gegevensdienstnamenlijst', traceId?: string): { gegevensdiensten: ReadonlyArray<{ gegevensdienstId: string; weergavenaam: string }> };
  current(kind: 'Gegevensdienstnamenlijst'): { gegevensdiensten: ReadonlyArray<{ gegevensdienstId: string; weergavenaam: string }> } | undefined;
  refresh(): Promise<unknown>;
  /** The lists this DVZA reads (its afsprakenstelsel's). */
  readonly kinds: readonly AnyListKind[];
  /** The stelselnode announced these lists (the notice): fetch and check them; resolves once decided. */
  noticed: NoticedConsumer['noticed'];
  startPolling(everyMs: number): void;
  stopPolling(): void;
}

/** A consumer of either afsprakenstelsel as the DvzaLists a DVZA reads: the kinds it reads have the same names in both. */
export function dvzaLists(consumer: ListConsumer<'1.5'> | ListConsumer<'2'>): DvzaLists {
  const untyped = consumer as unknown as { require(kind: string, traceId?: string): unknown; current(kind: string): unknown };
  return {
    require: ((kind: string, traceId?: string) => untyped.require(kind, traceId)) as DvzaLists['require'],
    current: ((kind: string) => untyped.current(kind)) as DvzaLists['current'],
    refresh: () => consumer.refresh(),
    kinds: listKindsOf(consumer.afsprakenstelsel),
    noticed: (by, lists, traceId) => (consumer as ListConsumer<'1.5'>).noticed(by, lists, traceId),
    startPolling: (everyMs) => consumer.startPolling(everyMs),
    stopPolling: () => consumer.stopPolling(),
  };
}

export interface DvzaRuntime {
  participant: DvzaParticipant;
  topology: Topology;
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
  lists: DvzaLists;
  tvs: TvsClient;
  patients: PatientRegistry;
  audit: AuditLog;
  grants: GrantStore;
  /** Afsprakenstelsel 2: long-lived consents, refresh tokens and the hashes of every secret issued (kept across restarts). */
  consents: ConsentStore;
  /** A seeded stream per purpose (codes, tokens, flow ids): same seed, same run. */
  random(purpose: string): RandomStream;
  /** The DigiD level this DVZA requires (SPEC §5: Substantieel). */
  minimumLevel: AssuranceLevelId;
  /** The DVZA's front-channel base URL: the issuer it names on every authorization response (RFC 9207). */
  frontchannelUrl: string;
  backchannelUrl: string;
  /**
   * The front-channel port of a client (a PGO on the OAuthclientlist), where its redirect_uri must point: its
   * topology port, or its enrolment's --web-url port; 443 when neither names one (the lists carry no ports).
   */
  clientFrontchannelPort(hostname: string): number;
}

/** How the DVZA reports one of its decisions (reported by and about itself) on the trace. */
export function decisionReporter(rt: Pick<DvzaRuntime, 'participant' | 'bus'>): (e: Omit<TraceInput, 'reportedBy' | 'kind' | 'to'>) => TraceEvent {
  const host = rt.participant.hostname;
  return (e) => rt.bus.emit({ reportedBy: host, kind: 'decision', to: host, ...e });
}
