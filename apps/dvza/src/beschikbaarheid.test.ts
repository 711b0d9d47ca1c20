/**
 * The beschikbaarheidstoets for Huisartsgegevens (49) and Basisgegevens GGZ (50) in the afsprakenstelsel-2
 * network: positive where the provider holds the persona's data for it, negative where it does not, and never
 * positive for a gegevensdienst whose part of the dossier would be empty.
 */
import { describe, expect, it } from 'vitest';
import { defaultTopologyPath, gegevensdienstOf, loadTopology } from '@medmij-sandbox/network';
import { generateDossier, generatePersonas, personaSetOf, resourcesForGegevensdienst } from '@medmij-sandbox/fhir-data';
import { DVZA_TO_CLIENT } from '@medmij-sandbox/rules';
import { beschikbaarheidstoets } from './beschikbaarheid.js';

const TODAY = '2026-06-01';
const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '2', env: {} });
const options = personaSetOf(topology, TODAY);
const personas = generatePersonas(options);
const persona = (key: string) => personas.find((p) => p.key === key)!;
const hgb = gegevensdienstOf(topology, 'huisartsgegevens')!.id;
const ggz = gegevensdienstOf(topology, 'ggz')!.id;
const bgz = gegevensdienstOf(topology, 'bgz')!.id;
const toets = (key: string, dvzaId: string, requested: string[]) => {
  const patient = persona(key);
  return beschikbaarheidstoets({ patient, bsn: patient.bsn, dvzaId, requested, today: TODAY });
};

describe('beschikbaarheidstoets for 49 and 50', () => {
  it('positive: the diabetes patient at the GP practice (49), the mental-health patient at the GGZ (50)', () => {
    expect(toets('volwassene-diabetes', 'dekroon', [hgb])).toMatchObject({ ok: true, available: [hgb] });
    expect(toets('volwassene-ggz', 'deboog', [ggz])).toMatchObject({ ok: true, available: [ggz] });
    expect(toets('volwassene-meerdere-zorgaanbieders', 'deboog', [bgz, ggz])).toMatchObject({ ok: true, available: [bgz, ggz] });
  });

  it('negative: no relation with the provider, or a provider that holds no such data for the persona', () => {
    const noRelation = toets('volwassene-ggz', 'dekroon', [hgb]);
    expect(noRelation.ok).toBe(false);
    expect(!noRelation.ok && noRelation.negative).toBe(DVZA_TO_CLIENT.noRelation);
    // De Boog offers no Huisartsgegevens, the hospital neither of them.
    for (const [key, dvzaId, id] of [
      ['volwassene-ggz', 'deboog', hgb],
      ['volwassene-allergieen', 'rivierenland', ggz],
      ['volwassene-allergieen', 'rivierenland', hgb],
    ] as const) {
      const t = toets(key, dvzaId, [id]);
      expect(!t.ok && t.negative, `${key}@${dvzaId} ${id}`).toBe(DVZA_TO_CLIENT.noData);
    }
    // Asked for both, the GGZ makes available only what it has.
    expect(toets('volwassene-ggz', 'deboog', [hgb, ggz])).toMatchObject({ ok: true, available: [ggz] });
  });

  it('the under-16 rule still comes first: the 15-year-old has a GP record, and gets nothing', () => {
    const young = persona('jongere-15-jaar');
    expect(resourcesForGegevensdienst(generateDossier(options, young, 'dekroon'), hgb).length).toBeGreaterThan(1);
    const t = toets('jongere-15-jaar', 'dekroon', [hgb]);
    expect(!t.ok && t.negative).toBe(DVZA_TO_CLIENT.under16);
  });

  it('whenever it is positive for 49 or 50, the dossier holds data for it', () => {
    let positive = 0;
    for (const p of personas) {
      for (const relation of p.providers) {
        for (const id of [hgb, ggz]) {
          const t = beschikbaarheidstoets({ patient: p, bsn: p.bsn, dvzaId: relation.providerId, requested: [id], today: TODAY });
          if (!t.ok) continue;
          positive++;
          const set = resourcesForGegevensdienst(generateDossier(options, p, relation.providerId), id);
          expect(set.filter((r) => r.resourceType !== 'Patient').length, `${p.key}@${relation.providerId} ${id}`).toBeGreaterThan(0);
        }
      }
    }
    expect(positive).toBeGreaterThanOrEqual(4);
  });
});
