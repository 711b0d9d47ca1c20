/**
 * Runs in Node before the browser tests: generates real dossiers with @medmij-sandbox/fhir-data (the
 * same generator the DVZAs serve from) and hands them to the tests as `Collection`s via provide/inject.
 */
import type { TestProject } from 'vitest/node';
import { gegevensdienstQueries, generateDossier, generatePersonas, personaSetOf, resourcesForGegevensdienst } from '@medmij-sandbox/fhir-data';
import { gegevensdienstOf, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import type { Collection } from '@medmij-sandbox/pgo-api';
import type { UiFixtures } from './fixture-types.ts';

const REFERENCE_DATE = '2026-11-23';
const NAMES: Record<string, string> = {
  '1': 'Basisgegevens Zorg',
  '3': 'Medicatiegegevens',
  '4': 'Laboratoriumresultaten',
  '5': 'Meetwaarden vitale functies',
};

export function buildFixtures(): UiFixtures {
  const topology = loadTopology(decodeURIComponent(new URL('../../../../topology.yaml', import.meta.url).pathname));
  const options = personaSetOf(topology, REFERENCE_DATE);
  const personas = generatePersonas(options);
  const dvzas = participantsByRole(topology, 'dvza');
  const collected = (personaKey: string, providerId: string, gegevensdienstId: string): Collection => {
    const persona = personas.find((p) => p.key === personaKey)!;
    const dvza = dvzas.find((d) => d.id === providerId)!;
    const resources = resourcesForGegevensdienst(generateDossier(options, persona, providerId), gegevensdienstId) as Collection['resources'];
    return {
      id: `c-${personaKey}-${providerId}-${gegevensdienstId}`,
      traceId: `trace-${personaKey}-${gegevensdienstId}`,
      zorgaanbiedernaam: dvza.zorgaanbiedernaam,
      displayName: dvza.name,
      gegevensdienstId,
      weergavenaam: NAMES[gegevensdienstId]!,
      startedAt: `${REFERENCE_DATE}T10:00:00Z`,
      status: 'collected',
      resourceCount: resources.length,
      resources,
      queries: gegevensdienstQueries(gegevensdienstOf(topology, gegevensdienstId)?.key).map((q) => ({ ...q, status: 200, entries: 1 })),
    };
  };
  const patientName = (personaKey: string) => personas.find((p) => p.key === personaKey)!;
  return {
    bgz: collected('oudere-polyfarmacie', 'dekroon', '1'),
    bgzPatient: patientName('oudere-polyfarmacie').name.display,
    vitals: collected('volwassene-diabetes', 'dekroon', '5'),
    allergies: collected('volwassene-allergieen', 'rivierenland', '1'),
  };
}

export default function setup(project: TestProject): void {
  project.provide('fixtures', buildFixtures());
}
