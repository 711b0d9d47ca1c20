/**
 * A participant under test (`scenario run --target`): an enrolled PGO or DVZA that is not the sandbox's own
 * takes the part of the scenario's PGO or DVZA. Which scenarios can check it, and in whose place it stands.
 */
import { findParticipant, gegevensdienstOf, participantsByRole, type Topology } from '@medmij-sandbox/network';
import type { Scenario } from './schema.js';

export type ScenarioTarget =
  | {
      role: 'pgo';
      hostname: string;
      /** Its name on the OAuthclientlist. */
      name: string;
      /** Where its web app runs. */
      frontchannelUrl?: string;
      /**
       * Who starts its collections: the runner through the reference PGO's JSON API at `frontchannelUrl`
       * (`api`), or a person at its own screen, told what to do (`person`, through ScenarioNetwork.ask).
       */
      drive: 'api' | 'person';
    }
  | {
      role: 'dvza';
      hostname: string;
      name: string;
      zorgaanbiedernaam: string;
      /** The topology DVZA whose synthetic patients it holds: it takes that DVZA's part in a scenario. */
      standsInFor: string;
      endpoints: { authorize: string; token: string; fhir: string };
      gegevensdiensten: string[];
    };

/** Why a scenario cannot check this DVZA target (it is about another DVZA, or a gegevensdienst it lacks); undefined: it can. */
export function targetApplies(scenario: Scenario, target: Extract<ScenarioTarget, { role: 'dvza' }>, topology: Topology): string | undefined {
  const named = dvzasOf(scenario, topology).map(
    (id) => findParticipant(topology, id)?.id ?? participantsByRole(topology, 'dvza').find((d) => d.zorgaanbiedernaam === id)?.id ?? id,
  );
  if (new Set(named).size !== 1 || named[0] !== target.standsInFor) {
    return `it is about ${[...new Set(named)].join(' and ') || 'no DVZA'}, and ${target.zorgaanbiedernaam} holds the patients of ${target.standsInFor}`;
  }
  // Scenarios name keys (bgz, lab, …); the target offers ids of the network's afsprakenstelsel.
  const wanted = scenario.steps
    .flatMap((s) => ('collect' in s ? [s.collect.gegevensdienst] : 'authorize' in s ? [s.authorize.gegevensdienst] : []))
    .map((g) => gegevensdienstOf(topology, g)?.id ?? g);
  const missing = wanted.filter((g) => !target.gegevensdiensten.includes(g));
  return missing.length ? `${target.zorgaanbiedernaam} does not offer gegevensdienst ${[...new Set(missing)].join(', ')}` : undefined;
}

/** The DVZAs a scenario names (at most one may be replaced by a target DVZA). */
export function dvzasOf(scenario: Scenario, topology: Topology): string[] {
  const ids = new Set<string>();
  for (const step of scenario.steps) {
    if ('collect' in step) ids.add(step.collect.zorgaanbieder);
    if ('authorize' in step) ids.add(step.authorize.zorgaanbieder);
    if ('fhir' in step) ids.add(participantsByRole(topology, 'dvza')[0]!.id);
  }
  for (const a of scenario.setup) for (const who of 'revoke' in a ? [a.revoke.participant] : 'expire' in a ? [a.expire.participant] : []) ids.add(who);
  const dvzas = new Set(participantsByRole(topology, 'dvza').flatMap((d) => [d.id, d.zorgaanbiedernaam]));
  return [...ids].filter((id) => dvzas.has(id));
}
