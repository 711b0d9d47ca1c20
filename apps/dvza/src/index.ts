/**
 * A DVZA: one instance per DVZA in the topology, each on its own hostname with its own certificates,
 * patients and audit log. Front channel: the authorization server's pages. Back channel (mutual TLS):
 * the token endpoint and the FHIR resource server.
 */
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import {
  SeededRandom,
  backchannelUrl,
  frontchannelUrl,
  hostTable,
  participantsByRole,
  referenceDateOf,
  type RandomStream,
  type StartContext,
} from '@medmij-sandbox/network';
import { LIST_POLL_MS, ListConsumer, watchEnrolments } from '@medmij-sandbox/lists';
import { LISTS_NOTICE_PATH, answerNotice } from '@medmij-sandbox/stelselnode-client';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { listen, securityHeaders, tlsPeer, withCleanup, type RunningListener, type TlsPeerEnv } from '@medmij-sandbox/transport';
import { DEFAULT_MINIMUM_LEVEL, TvsClient } from '@medmij-sandbox/tvs-client';
import { generateDossier, generatePersonas, personaSetOf, type Dossier, type Persona } from '@medmij-sandbox/fhir-data';
import { DVZA_RULES } from '@medmij-sandbox/rules';
import { AuditLog } from './audit.js';
import { FRONT_PATHS, createAuthorizationServer } from './authorization.js';
import { createConsentOverview } from './consent-overview.js';
import { createFhirServer } from './fhir/server.js';
import { GrantStore } from './grants.js';
import { ConsentStore } from './consents.js';
import { dvzaLists, type DvzaRuntime } from './runtime.js';
import { createTokenEndpoint } from './token.js';
import { createRevocationEndpoint } from './revocation.js';
import { PAGE_CSP } from './pages.js';

export { readAuditLog, type AuditEntry } from './audit.js';
export { FRONT_PATHS } from './authorization.js';
export { LIFETIMES } from './grants.js';

export type DvzaStartContext = StartContext<'dvza', SandboxPki>;

export function createDvzaRuntime(ctx: DvzaStartContext): DvzaRuntime {
  const { participant, topology, clock, bus, pki } = ctx;
  const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
  const tvs = participantsByRole(topology, 'tvs')[0]!;
  const hosts = hostTable(topology);
  const personaSet = personaSetOf(topology, referenceDateOf(topology, clock));
  const personas = new Map(generatePersonas(personaSet).map((p) => [p.bsn, p]));
  const dossiers = new Map<string, Dossier>();
  const seeded = new SeededRandom(topology.seed);
  const streams = new Map<string, RandomStream>();
  // Codes, tokens and flow ids must not repeat after a restart (an old browser or PGO would hold a valid one):
  // the streams are seeded per start. With a frozen sandbox clock (scenarios) they are the same every run.
  const startedAt = clock.nowMs();
  const front = frontchannelUrl(participant)!;
  // Read per request: a PGO enrolled while the DVZA runs can be authorized at once (its port from --web-url).
  const enrolments = watchEnrolments(ctx.paths.enrolments);
  const pgos = participantsByRole(topology, 'pgo');

  return {
    participant,
    topology,
    pki,
    clock,
    bus,
    lists: dvzaLists(
      topology.afsprakenstelsel === '2'
        ? new ListConsumer<'2'>({
            stelselnodeUrl: backchannelUrl(stelselnode)!,
            participant: participant.hostname,
            pki,
            clock,
            bus,
            hosts,
            afsprakenstelsel: '2',
            pollTurn: 1,
          })
        : new ListConsumer<'1.5'>({ stelselnodeUrl: backchannelUrl(stelselnode)!, participant: participant.hostname, pki, clock, bus, hosts, pollTurn: 1 }),
    ),
    tvs: new TvsClient({
      clientHostname: participant.hostname,
      redirectUri: `${front}${FRONT_PATHS.tvsCallback}`,
      tvs: { hostname: tvs.hostname, frontchannelUrl: frontchannelUrl(tvs)!, backchannelUrl: backchannelUrl(tvs)! },
      pki,
      clock,
      bus,
      hosts,
    }),
    patients: {
      byBsn: (bsn) => personas.get(bsn),
      dossier: (patient: Persona) => {
        // Generated on first use: a dossier is a pure function of seed, reference date, patient and DVZA.
        let dossier = dossiers.get(patient.key);
        if (!dossier) dossiers.set(patient.key, (dossier = generateDossier(personaSet, patient, participant.id)));
        return dossier;
      },
    },
    audit: new AuditLog(ctx.paths.dvzaAudit(participant.id), participant.hostname, clock),
    grants: new GrantStore(),
    consents: new ConsentStore({ file: ctx.paths.dvzaConsents(participant.id), clock }),
    random(purpose) {
      // One stream per purpose, kept: asking again must continue the stream, not restart it.
      let stream = streams.get(purpose);
      if (!stream) streams.set(purpose, (stream = seeded.stream(`${purpose}:${participant.id}:${startedAt}`)));
      return stream;
    },
    minimumLevel: DEFAULT_MINIMUM_LEVEL,
    frontchannelUrl: front,
    backchannelUrl: backchannelUrl(participant)!,
    clientFrontchannelPort(hostname) {
      const own = pgos.find((p) => p.hostname === hostname);
      if (own) return own.frontchannelPort;
      const enrolled = enrolments().find((e) => e.role === 'pgo' && e.hostname === hostname);
      const webUrl = enrolled?.role === 'pgo' ? enrolled.webUrl : undefined;
      return webUrl ? Number(new URL(webUrl).port || 443) : 443;
    },
  };
}

export async function startDvza(ctx: DvzaStartContext): Promise<RunningListener[]> {
  const rt = createDvzaRuntime(ctx);
  await rt.lists.refresh();
  // A fallback: the stelselnode tells the DVZA of every change (the notice route below).
  rt.lists.startPolling(LIST_POLL_MS);

  const front = new Hono<{ Bindings: HttpBindings }>();
  // First, so every answer has them: the pages, the OAuth redirects, the errors (no-store: codes and consent pass here).
  front.use(securityHeaders({ contentSecurityPolicy: PAGE_CSP }));
  // First: the TVS callback of a login the consent overview started is its own; any other it passes on.
  front.route('/', createConsentOverview(rt));
  front.route('/', createAuthorizationServer(rt));

  const back = new Hono<TlsPeerEnv>();
  // Tokens and FHIR resources: never stored, never a page.
  back.use(securityHeaders());
  // Handlers read the client certificate's verdict from the context (unit tests put one there themselves).
  back.use(tlsPeer());
  // Flows work on the lists held (no fetch per request): the stelselnode says when they changed.
  const stelselnodeHost = participantsByRole(ctx.topology, 'stelselnode')[0]!.hostname;
  back.post(LISTS_NOTICE_PATH, async (c) => {
    const answer = await answerNotice(
      { body: await c.req.text(), peer: c.var.peer, ...(c.req.header('x-correlation-id') ? { traceId: c.req.header('x-correlation-id') } : {}) },
      { participant: ctx.participant.hostname, stelselnodeHost, kinds: rt.lists.kinds, consumer: rt.lists, bus: ctx.bus },
    );
    return c.json(answer.body, answer.status);
  });
  back.route('/', createTokenEndpoint(rt));
  back.route('/', createRevocationEndpoint(rt));
  back.route('/', createFhirServer(rt));

  const common = { participant: ctx.participant, bus: ctx.bus, clock: ctx.clock, pki: ctx.pki };
  const listeners: RunningListener[] = [];
  try {
    listeners.push(
      await listen({
        ...common,
        kind: 'frontchannel',
        port: ctx.participant.frontchannelPort,
        fetch: front.fetch,
        // The browser's later steps carry the flow (or the TVS state), not the PGO's X-Correlation-ID.
        // A browser asking for the tab icon is no MedMij hop.
        untraced: (path) => path === '/favicon.ico',
        traceIdOf: (url) =>
          rt.grants.flows.get(url.searchParams.get('flow') ?? '')?.traceId ?? rt.grants.flowByTvsState(url.searchParams.get('state'))?.traceId,
      }),
    );
    listeners.push(
      await listen({
        ...common,
        kind: 'backchannel',
        port: ctx.participant.backchannelPort,
        fetch: back.fetch,
        gateRule: DVZA_RULES.mutualTls,
      }),
    );
  } catch (e) {
    // Half a DVZA is no DVZA: close what did start, stop fetching lists.
    rt.lists.stopPolling();
    await Promise.all(listeners.map((l) => l.close()));
    throw e;
  }
  return withCleanup(listeners, () => rt.lists.stopPolling());
}
