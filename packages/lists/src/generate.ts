/**
 * What the stelselnode publishes, derived from the topology:
 * - Zorgaanbiederslijst: every DVZA with each gegevensdienst it offers and its endpoints;
 * - OAuthclientlist: every PGO hostname with its organisation name (shown on consent screens);
 * - Whitelist: every MedMij node hostname (stelselnode, TVS, DVZAs, PGOs — not the PKI repository);
 * - Gegevensdienstnamenlijst: the gegevensdienst ids and display names.
 * In afsprakenstelsel 2 (SPEC §10.4) the Zorgaanbiederslijst is release3 (Aanbiedertype, one Interfaceversie), the
 * OAuthclientlist names the gegevensdiensten each client may use, and the Zorgaanbiederskoppellijst gives every
 * DVZA an AGB code drawn from the topology's seed and its gegevensdiensten with their display names.
 */
import {
  frontchannelUrl,
  backchannelUrl,
  participantsByRole,
  SeededRandom,
  type Afsprakenstelsel,
  type DvzaParticipant,
  type Topology,
} from '@medmij-sandbox/network';
import { DVZA_PATHS } from '@medmij-sandbox/medmij-oauth';
import type { Aanbiedertype, ListBody, ListBodyIn } from './model.js';

/** The endpoints of a sandbox DVZA of the topology, as the Zorgaanbiederslijst lists them. */
export function dvzaEndpoints(dvza: DvzaParticipant): { authorize: string; token: string; fhir: string } {
  return {
    authorize: `${frontchannelUrl(dvza)}${DVZA_PATHS.authorize}`,
    token: `${backchannelUrl(dvza)}${DVZA_PATHS.token}`,
    fhir: `${backchannelUrl(dvza)}${DVZA_PATHS.fhir}`,
  };
}

export interface ListBodies {
  Zorgaanbiederslijst: ListBody<'Zorgaanbiederslijst'>;
  OAuthclientlist: ListBody<'OAuthclientlist'>;
  Whitelist: ListBody<'Whitelist'>;
  Gegevensdienstnamenlijst: ListBody<'Gegevensdienstnamenlijst'>;
}

/** The content of the five lists of afsprakenstelsel 2. */
export interface ListBodies2 {
  Zorgaanbiederslijst: ListBodyIn<'2', 'Zorgaanbiederslijst'>;
  Zorgaanbiederskoppellijst: ListBodyIn<'2', 'Zorgaanbiederskoppellijst'>;
  OAuthclientlist: ListBodyIn<'2', 'OAuthclientlist'>;
  Whitelist: ListBodyIn<'2', 'Whitelist'>;
  Gegevensdienstnamenlijst: ListBodyIn<'2', 'Gegevensdienstnamenlijst'>;
}
export type ListBodiesOf<A extends Afsprakenstelsel> = { '1.5': ListBodies; '2': ListBodies2 }[A];

export interface ListsOptions {
  /**
   * Afsprakenstelsel 2: the GegevensdienstIds each OAuth client may use, by its hostname. A client not named here
   * may use every gegevensdienst of the topology.
   */
  clientGegevensdiensten?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The InterfaceversieId under which the sandbox's DVZAs list their endpoints on a release3 Zorgaanbiederslijst (and
 * the Zorgaanbiederskoppellijst). 2.0.0, because what the sandbox's endpoints implement is what afsprakenstelsel
 * 2.0.0 made the interfaces (SPEC §10): scope without `~id`, refresh tokens and long-lived consent (mandatory since
 * 2.0.0), the granted ids in the token response's scope; and since 2.0.0 the list interfaces go by the major version
 * only (`?api=2`), so a later 2.x minor claims nothing the sandbox could show. The examples' 1.3.0/1.4.0 are the
 * 1.x interfaces the sandbox's 2 mode no longer speaks.
 */
export const SANDBOX_INTERFACEVERSIE = '2.0.0';

/** Every sandbox DVZA is a zorgaanbieder with a treatment relationship: Aanbiedertype ZA. */
export const SANDBOX_AANBIEDERTYPE: Aanbiedertype = 'ZA';

/** The lists' content for a topology, leaving out the participants named in `removed` (ids): afsprakenstelsel 1.5. */
export function listsFromTopology(topology: Topology, removed?: ReadonlySet<string>): ListBodies;
/** The lists' content in an afsprakenstelsel: four lists in 1.5, five in 2. */
export function listsFromTopology<A extends Afsprakenstelsel>(
  topology: Topology,
  removed: ReadonlySet<string>,
  afsprakenstelsel: A,
  options?: ListsOptions,
): ListBodiesOf<A>;
export function listsFromTopology(
  topology: Topology,
  removed: ReadonlySet<string> = new Set(),
  afsprakenstelsel: Afsprakenstelsel = '1.5',
  options: ListsOptions = {},
): ListBodies | ListBodies2 {
  return afsprakenstelsel === '2' ? listsOf2(topology, removed, options) : listsOf15(topology, removed);
}

function listsOf15(topology: Topology, removed: ReadonlySet<string>): ListBodies {
  const present = topology.participants.filter((p) => !removed.has(p.id));
  return {
    Zorgaanbiederslijst: {
      kind: 'Zorgaanbiederslijst',
      zorgaanbieders: participantsByRole({ ...topology, participants: present }, 'dvza').map((dvza) =>
        zorgaanbiederEntry(topology, dvza.zorgaanbiedernaam, dvzaEndpoints(dvza), dvza.gegevensdiensten),
      ),
    },
    OAuthclientlist: {
      kind: 'OAuthclientlist',
      oauthclients: present.filter((p) => p.role === 'pgo').map((p) => ({ hostname: p.hostname, organisatienaam: p.name })),
    },
    Whitelist: {
      kind: 'Whitelist',
      // The MedMij nodes: not the PKI repository (plain HTTP, no MedMij role), nor the operator's console.
      nodes: present.filter((p) => p.role !== 'pki' && p.role !== 'console').map((p) => p.hostname),
    },
    Gegevensdienstnamenlijst: {
      kind: 'Gegevensdienstnamenlijst',
      gegevensdiensten: topology.gegevensdiensten.map((g) => ({ gegevensdienstId: g.id, weergavenaam: g.weergavenaam })),
    },
  };
}

/**
 * One Zorgaanbieder on the Zorgaanbiederslijst: each gegevensdienst with the same authorization, token and
 * resource endpoints, under the Systeemrolcode the topology gives that gegevensdienst.
 */
export function zorgaanbiederEntry(
  topology: Topology,
  zorgaanbiedernaam: string,
  endpoints: { authorize: string; token: string; fhir: string },
  gegevensdienstIds: readonly string[],
): ListBody<'Zorgaanbiederslijst'>['zorgaanbieders'][number] {
  const systeemrol = new Map(topology.gegevensdiensten.map((g) => [g.id, g.systeemrolcode]));
  return {
    zorgaanbiedernaam,
    gegevensdiensten: gegevensdienstIds.map((id) => ({
      gegevensdienstId: id,
      authorizationEndpointUri: endpoints.authorize,
      tokenEndpointUri: endpoints.token,
      systeemrollen: [{ systeemrolcode: systeemrol.get(id)!, resourceEndpointUri: endpoints.fhir }],
    })),
  };
}

function listsOf2(topology: Topology, removed: ReadonlySet<string>, options: ListsOptions): ListBodies2 {
  const base = listsOf15(topology, removed);
  const dvzas = participantsByRole(topology, 'dvza').filter((d) => !removed.has(d.id));
  const allIds = topology.gegevensdiensten.map((g) => g.id);
  const taken = new Set<string>();
  return {
    Zorgaanbiederslijst: {
      kind: 'Zorgaanbiederslijst',
      release: 'release3',
      zorgaanbieders: dvzas.map((dvza) => zorgaanbiederEntryRelease3(topology, dvza.zorgaanbiedernaam, dvzaEndpoints(dvza), dvza.gegevensdiensten)),
    },
    Zorgaanbiederskoppellijst: {
      kind: 'Zorgaanbiederskoppellijst',
      zorgaanbieders: dvzas.map((dvza) => {
        const entry = koppellijstEntry(topology, dvza.zorgaanbiedernaam, dvza.gegevensdiensten, { soort: dvza.soort, taken });
        for (const k of entry.identificerendeKenmerken) taken.add(k.value);
        return entry;
      }),
    },
    OAuthclientlist: {
      kind: 'OAuthclientlist',
      release: 'release3',
      oauthclients: base.OAuthclientlist.oauthclients.map((c) => ({ ...c, gegevensdiensten: [...(options.clientGegevensdiensten?.[c.hostname] ?? allIds)] })),
    },
    Whitelist: base.Whitelist,
    Gegevensdienstnamenlijst: base.Gegevensdienstnamenlijst,
  };
}

/**
 * One Zorgaanbieder on a release3 Zorgaanbiederslijst: the release2 entry under one Interfaceversie
 * (SANDBOX_INTERFACEVERSIE). No Abonneren: the sandbox's DVZAs have no subscription endpoint, and listing one
 * would send a PGO to an address that does not answer.
 */
export function zorgaanbiederEntryRelease3(
  topology: Topology,
  zorgaanbiedernaam: string,
  endpoints: { authorize: string; token: string; fhir: string },
  gegevensdienstIds: readonly string[],
  aanbiedertype: Aanbiedertype = SANDBOX_AANBIEDERTYPE,
): ListBodyIn<'2', 'Zorgaanbiederslijst'>['zorgaanbieders'][number] {
  const { gegevensdiensten } = zorgaanbiederEntry(topology, zorgaanbiedernaam, endpoints, gegevensdienstIds);
  return { zorgaanbiedernaam, aanbiedertype, interfaceversies: [{ interfaceversieId: SANDBOX_INTERFACEVERSIE, gegevensdiensten }] };
}

/**
 * One Zorgaanbieder on the Zorgaanbiederskoppellijst: its AGB code (agbCode) and each gegevensdienst with the
 * topology's display name under SANDBOX_INTERFACEVERSIE. `taken`: AGB codes already on the list, never given twice.
 */
export function koppellijstEntry(
  topology: Topology,
  zorgaanbiedernaam: string,
  gegevensdienstIds: readonly string[],
  opts: { soort?: string; taken?: ReadonlySet<string> } = {},
): ListBodyIn<'2', 'Zorgaanbiederskoppellijst'>['zorgaanbieders'][number] {
  const weergavenaam = new Map(topology.gegevensdiensten.map((g) => [g.id, g.weergavenaam]));
  return {
    zorgaanbiedernaam,
    identificerendeKenmerken: [{ type: 'AGB', value: agbCode(topology.seed, zorgaanbiedernaam, opts) }],
    gegevensdiensten: gegevensdienstIds.map((id) => ({
      gegevensdienstId: id,
      weergavenaam: weergavenaam.get(id)!,
      interfaceversies: [SANDBOX_INTERFACEVERSIE],
    })),
  };
}

/**
 * A DVZA's AGB code: 8 digits from the seeded stream `lists:zorgaanbiederskoppellijst:agb:<Zorgaanbiedernaam>`, so
 * it follows from the seed and the name alone (adding or removing another DVZA changes no one else's code). A
 * huisartsenpraktijk's starts with 01, the AGB zorgsoort of huisartsen, as in fhir-data. A code in `taken` is
 * drawn again from the same stream.
 */
export function agbCode(seed: string, zorgaanbiedernaam: string, opts: { soort?: string; taken?: ReadonlySet<string> } = {}): string {
  const random = new SeededRandom(seed).stream(`lists:zorgaanbiederskoppellijst:agb:${zorgaanbiedernaam}`);
  const prefix = opts.soort === 'huisartsenpraktijk' ? '01' : '';
  for (;;) {
    let code = prefix;
    while (code.length < 8) code += String(random.int(0, 9));
    if (!opts.taken?.has(code)) return code;
  }
}

/** Do the front channels of this topology need the sandbox schema variant (a port other than 443)? */
export function needsSandboxVariant(topology: Topology): boolean {
  return participantsByRole(topology, 'dvza').some((d) => d.frontchannelPort !== 443);
}
