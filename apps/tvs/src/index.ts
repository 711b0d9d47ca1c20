import {
  backchannelUrl,
  frontchannelUrl,
  hostTable,
  loadOrCreateSecrets,
  participantsByRole,
  referenceDateOf,
  type StartContext,
  type Topology,
} from '@medmij-sandbox/network';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { Hono } from 'hono';
import { listen, securityHeaders, tlsPeer, withCleanup, type RunningListener, type TlsPeerEnv } from '@medmij-sandbox/transport';
import { LIST_POLL_MS, ListConsumer, enrolmentHostname, watchEnrolments, type Enrolment } from '@medmij-sandbox/lists';
import { LISTS_NOTICE_PATH, answerNotice } from '@medmij-sandbox/stelselnode-client';
import { TVS_RULES } from '@medmij-sandbox/rules';
import { createTvs, type TvsService } from './app.js';
import type { TvsWhitelist } from './state.js';
import type { PersonaCard } from './pages.js';

export { createTvs, type TvsDeps, type TvsService } from './app.js';

/** The services connected to the TVS: every DVZA of the topology, and every enrolled one (`sandbox enrol dvza`). */
export function tvsServices(topology: Topology, enrolments: readonly Enrolment[]): TvsService[] {
  // An enrolled DVZA's front channel is where its authorization endpoint is (its TVS callback lives beside it).
  const enrolled = enrolments.flatMap((e) =>
    e.role === 'dvza' ? [{ hostname: enrolmentHostname(e), name: e.name, port: Number(new URL(e.authorizeUrl).port || 443) }] : [],
  );
  return [...participantsByRole(topology, 'dvza').map((d) => ({ hostname: d.hostname, name: d.name, port: d.frontchannelPort })), ...enrolled];
}

/** What the persona picker shows: the seeded test persons, with where they are known. */
export function personaCards(topology: Topology, personas: Persona[]): PersonaCard[] {
  const dvzas = participantsByRole(topology, 'dvza');
  return personas.map((p) => ({
    key: p.key,
    bsn: p.bsn,
    display: p.name.display,
    age: p.age,
    deceased: p.deceasedDate !== undefined,
    scenario: p.scenario,
    knownAt: p.providers.map((r) => ({ name: dvzas.find((d) => d.id === r.providerId)?.name ?? r.providerId, gegevensdiensten: r.gegevensdiensten })),
  }));
}

/** The TVS's consumer of the stelselnode's lists: it reads the Whitelist only, in the topology's afsprakenstelsel. */
export function tvsWhitelist(ctx: Pick<StartContext<'tvs', SandboxPki>, 'participant' | 'topology' | 'clock' | 'bus' | 'pki'>): TvsWhitelist & {
  /** The stelselnode announced a new Whitelist: fetch and check it (packages/stelselnode-client answerNotice). */
  noticed(by: string, lists: ReadonlyArray<{ kind: never; volgnummer: number | null }>, traceId?: string): Promise<never[]>;
  startPolling(everyMs: number): void;
  stopPolling(): void;
} {
  const stelselnode = participantsByRole(ctx.topology, 'stelselnode')[0];
  if (!stelselnode) throw new Error('the TVS needs a stelselnode in the topology (it checks its callers against the Whitelist)');
  // The TVS reads the Whitelist alone: its polls fetch nothing else. It polls after the PGOs and DVZAs, in the
  // order the stelselnode tells them (a trace reads the same whichever made the consumers fetch).
  const common = {
    pollTurn: 2,
    stelselnodeUrl: backchannelUrl(stelselnode)!,
    participant: ctx.participant.hostname,
    pki: ctx.pki,
    clock: ctx.clock,
    bus: ctx.bus,
    reads: ['Whitelist'] as const,
  };
  const hosts = hostTable(ctx.topology);
  // The Whitelist has the same name and shape in both afsprakenstelsels; the consumer of each is its own type.
  const polling = (consumer: {
    startPolling(ms: number): void;
    stopPolling(): void;
    noticed(by: string, lists: ReadonlyArray<{ kind: 'Whitelist'; volgnummer: number | null }>, traceId?: string): Promise<unknown[]>;
  }) => ({
    noticed: (by: string, lists: ReadonlyArray<{ kind: never; volgnummer: number | null }>, traceId?: string) =>
      consumer.noticed(by, lists, traceId) as Promise<never[]>,
    startPolling: (everyMs: number) => consumer.startPolling(everyMs),
    stopPolling: () => consumer.stopPolling(),
  });
  if (ctx.topology.afsprakenstelsel === '2') {
    const consumer = new ListConsumer<'2'>({ ...common, hosts, afsprakenstelsel: '2' });
    return { require: (traceId) => consumer.require('Whitelist', traceId), refresh: () => consumer.refresh(['Whitelist']), ...polling(consumer) };
  }
  const consumer = new ListConsumer<'1.5'>({ ...common, hosts });
  return { require: (traceId) => consumer.require('Whitelist', traceId), refresh: () => consumer.refresh(['Whitelist']), ...polling(consumer) };
}

/** Starts the TVS: the login pages on the front channel, code resolution on the mutual-TLS back channel. */
export async function startTvs(ctx: StartContext<'tvs', SandboxPki>): Promise<RunningListener[]> {
  const { participant, topology, clock, bus, pki } = ctx;
  const whitelist = tvsWhitelist(ctx);
  const stelselnodeHost = participantsByRole(topology, 'stelselnode')[0]!.hostname;
  // Never throws: a stelselnode not up yet leaves the TVS without a list, refusing codes until one comes.
  await whitelist.refresh();
  // An enrolled DVZA may log patients in too.
  const enrolments = watchEnrolments(ctx.paths.enrolments);
  const personas = generatePersonas(personaSetOf(topology, referenceDateOf(topology, clock)));
  const { front, back } = createTvs({
    hostname: participant.hostname,
    issuer: frontchannelUrl(participant)!,
    backchannelUrl: backchannelUrl(participant)!,
    // Read per request: a DVZA enrolled while the TVS runs can log patients in at once.
    get services() {
      return tvsServices(topology, enrolments());
    },
    whitelist,
    personas: personaCards(topology, personas),
    pki,
    clock,
    bus,
    // Session ids, cookies, codes and assertion ids come from the CSPRNG (createTvs). The pseudonym key too,
    // but kept in a 0600 file: a person keeps their pseudonym across restarts.
    pseudonymKey: loadOrCreateSecrets(ctx.paths.tvsSecrets, {
      description: 'MedMij Sandbox TVS: the key pseudonyms are derived with (from the CSPRNG, never from the seed). Keep this file private.',
      names: ['pseudonymKey'],
      bytes: 32,
    }).pseudonymKey,
  });
  const common = { participant, bus, clock, pki };
  // A browser asking for the tab icon is no MedMij hop.
  const frontListener = await listen({
    ...common,
    kind: 'frontchannel',
    port: participant.frontchannelPort,
    fetch: front.fetch,
    untraced: (path) => path === '/favicon.ico',
  });
  try {
    const backListener = await listen({
      ...common,
      kind: 'backchannel',
      port: participant.backchannelPort,
      // Token answers: never stored, never a page (on every answer of the back channel, its 404s too).
      fetch: new Hono<TlsPeerEnv>()
        .use(securityHeaders())
        .use(tlsPeer())
        // Codes are resolved on the Whitelist held (no fetch per request): the stelselnode says when it changed,
        // so a service taken off it is refused from the moment the change is made.
        .post(LISTS_NOTICE_PATH, async (c) => {
          const traceId = c.req.header('x-correlation-id');
          const answer = await answerNotice(
            { body: await c.req.text(), peer: c.var.peer, ...(traceId ? { traceId } : {}) },
            { participant: participant.hostname, stelselnodeHost, kinds: ['Whitelist'], consumer: whitelist, bus },
          );
          return c.json(answer.body, answer.status);
        })
        .route('/', back).fetch,
      gateRule: TVS_RULES.mutualTls,
    });
    whitelist.startPolling(LIST_POLL_MS);
    return withCleanup([frontListener, backListener], () => whitelist.stopPolling());
  } catch (e) {
    await frontListener.close();
    throw e;
  }
}
