import {
  backchannelUrl,
  frontchannelUrl,
  loadOrCreateSecrets,
  participantsByRole,
  referenceDateOf,
  type StartContext,
  type Topology,
} from '@medmij-sandbox/network';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { Hono } from 'hono';
import { listen, securityHeaders, tlsPeer, type RunningListener, type TlsPeerEnv } from '@medmij-sandbox/transport';
import { enrolmentHostname, watchEnrolments, type Enrolment } from '@medmij-sandbox/lists';
import { TVS_RULES } from '@medmij-sandbox/rules';
import { createTvs, type TvsService } from './app.js';
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

/** Starts the TVS: the login pages on the front channel, code resolution on the mutual-TLS back channel. */
export async function startTvs(ctx: StartContext<'tvs', SandboxPki>): Promise<RunningListener[]> {
  const { participant, topology, clock, bus, pki } = ctx;
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
      fetch: new Hono<TlsPeerEnv>().use(securityHeaders()).use(tlsPeer()).route('/', back).fetch,
      gateRule: TVS_RULES.mutualTls,
    });
    return [frontListener, backListener];
  } catch (e) {
    await frontListener.close();
    throw e;
  }
}
