/** The generator's inputs taken from a topology, so every participant and the CLI feed it the same way. */
import { gegevensdienstOf, participantsByRole, type Topology } from '@medmij-sandbox/network';
import type { PersonaSetOptions, ProviderRef } from './types.js';

/** The DVZAs of the topology as the generator sees them (in topology order). */
export function providersOf(topology: Topology): ProviderRef[] {
  return participantsByRole(topology, 'dvza').map((d) => ({
    id: d.id,
    name: d.name,
    zorgaanbiedernaam: d.zorgaanbiedernaam,
    gegevensdiensten: [...d.gegevensdiensten],
    keys: Object.fromEntries(d.gegevensdiensten.map((id) => [id, gegevensdienstOf(topology, id)?.key ?? id])),
    soort: d.soort,
  }));
}

/** Seed and DVZAs from the topology, with the reference date the caller decided (see referenceDateOf). */
export function personaSetOf(topology: Topology, referenceDate: string): PersonaSetOptions {
  return { seed: topology.seed, referenceDate, providers: providersOf(topology) };
}
