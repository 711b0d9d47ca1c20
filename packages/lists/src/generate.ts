/**
 * What the stelselnode publishes, derived from the topology:
 * - Zorgaanbiederslijst: every DVZA with each gegevensdienst it offers and its endpoints;
 * - OAuthclientlist: every PGO hostname with its organisation name (shown on consent screens);
 * - Whitelist: every MedMij node hostname (stelselnode, TVS, DVZAs, PGOs — not the PKI repository);
 * - Gegevensdienstnamenlijst: the gegevensdienst ids and display names.
 */
import { frontchannelUrl, backchannelUrl, participantsByRole, type DvzaParticipant, type Topology } from '@medmij-sandbox/network';
import { DVZA_PATHS } from '@medmij-sandbox/medmij-oauth';
import type { ListBody } from './model.js';

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

/** The lists' content for a topology, leaving out the participants named in `removed` (ids). */
export function listsFromTopology(topology: Topology, removed: ReadonlySet<string> = new Set()): ListBodies {
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
      nodes: present.filter((p) => p.role !== 'pki').map((p) => p.hostname),
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

/** Do the front channels of this topology need the sandbox schema variant (a port other than 443)? */
export function needsSandboxVariant(topology: Topology): boolean {
  return participantsByRole(topology, 'dvza').some((d) => d.frontchannelPort !== 443);
}
