/**
 * Runs in Node before the browser tests: generates real dossiers with @medmij-sandbox/fhir-data (the
 * same generator the DVZAs serve from) and hands them to the tests as `Collection`s via provide/inject.
 */
import type { TestProject } from 'vitest/node';
import { gegevensdienstQueries, generateDossier, generatePersonas, maskBsn, personaSetOf, resourcesForGegevensdienst } from '@medmij-sandbox/fhir-data';
import { gegevensdienstOf, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import type { Collection } from '@medmij-sandbox/pgo-api';
import type { UiFixtures } from './fixture-types.ts';

const REFERENCE_DATE = '2026-11-23';

export function buildFixtures(): UiFixtures {
  const topology = loadTopology(decodeURIComponent(new URL('../../../../topology.yaml', import.meta.url).pathname));
  const options = personaSetOf(topology, REFERENCE_DATE);
  const personas = generatePersonas(options);
  const dvzas = participantsByRole(topology, 'dvza');
  // Named by key: the ids and names are those of the topology's afsprakenstelsel.
  const collected = (personaKey: string, providerId: string, key: string): Collection => {
    const gegevensdienst = gegevensdienstOf(topology, key)!;
    const gegevensdienstId = gegevensdienst.id;
    const persona = personas.find((p) => p.key === personaKey)!;
    const dvza = dvzas.find((d) => d.id === providerId)!;
    // As the PGO keeps them: the DVZA serves the BSN masked (SPEC §10.6).
    const resources = maskBsn(resourcesForGegevensdienst(generateDossier(options, persona, providerId), gegevensdienstId)).masked as Collection['resources'];
    return {
      id: `c-${personaKey}-${providerId}-${gegevensdienstId}`,
      traceId: `trace-${personaKey}-${gegevensdienstId}`,
      zorgaanbiedernaam: dvza.zorgaanbiedernaam,
      displayName: dvza.name,
      gegevensdienstId,
      weergavenaam: gegevensdienst.weergavenaam,
      startedAt: `${REFERENCE_DATE}T10:00:00Z`,
      status: 'collected',
      resourceCount: resources.length,
      resources,
      queries: gegevensdienstQueries(key).map((q) => ({ ...q, status: 200, entries: 1 })),
    };
  };
  const patientName = (personaKey: string) => personas.find((p) => p.key === personaKey)!;
  return {
    bgz: collected('oudere-polyfarmacie', 'dekroon', 'bgz'),
    bgzPatient: patientName('oudere-polyfarmacie').name.display,
    bgzBsn: patientName('oudere-polyfarmacie').bsn,
    vitals: collected('volwassene-diabetes', 'rivierenland', 'vitale-functies'),
    allergies: collected('volwassene-allergieen', 'rivierenland', 'bgz'),
  };
}

export default function setup(project: TestProject): void {
  project.provide('fixtures', buildFixtures());
}
