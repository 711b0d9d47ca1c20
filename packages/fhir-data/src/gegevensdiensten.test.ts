import { describe, expect, it } from 'vitest';
import { referencesIn } from './fhir.js';
import {
  GEGEVENSDIENST_CONTENT,
  GEGEVENSDIENST_QUERIES,
  gegevensdienstContent,
  dossierBundle,
  isLabObservation,
  isVitalSignObservation,
  resourcesForGegevensdienst,
} from './gegevensdiensten.js';
import { generateAll, TEST_OPTS, TEST_OPTS_2 } from './testing.js';

const { dossiers } = generateAll(TEST_OPTS);
const dossiers2 = generateAll(TEST_OPTS_2).dossiers;

describe('resourcesForGegevensdienst', () => {
  it('knows the six gegevensdiensten of the topology, by key', () => {
    expect(Object.keys(GEGEVENSDIENST_CONTENT).sort()).toEqual(['bgz', 'ggz', 'huisartsgegevens', 'lab', 'medicatie', 'vitale-functies']);
    expect(GEGEVENSDIENST_CONTENT.medicatie.resourceTypes).toEqual(['Patient', 'MedicationRequest', 'MedicationDispense', 'MedicationStatement', 'Medication']);
  });

  it('every query of a gegevensdienst asks for one of its resource types', () => {
    expect(Object.keys(GEGEVENSDIENST_QUERIES).sort()).toEqual(Object.keys(GEGEVENSDIENST_CONTENT).sort());
    expect(GEGEVENSDIENST_QUERIES.bgz).toHaveLength(28);
    expect(GEGEVENSDIENST_QUERIES.huisartsgegevens).toHaveLength(7);
    expect(GEGEVENSDIENST_QUERIES.ggz).toHaveLength(18);
    for (const [key, queries] of Object.entries(GEGEVENSDIENST_QUERIES)) {
      for (const q of queries) expect(gegevensdienstContent(key)!.resourceTypes, q.path).toContain(q.path.split(/[/?]/)[0]);
    }
  });

  it('every gegevensdienst a provider holds data for gives the Patient, content, and no dangling reference', () => {
    let checked = 0;
    for (const d of [...dossiers, ...dossiers2]) {
      const entry = d.persona.providers.find((p) => p.providerId === d.providerId)!;
      for (const gd of entry.gegevensdiensten) {
        const set = resourcesForGegevensdienst(d, gd);
        const label = `${d.persona.key}@${d.providerId} gd ${gd}`;
        expect(
          set.filter((r) => r.resourceType === 'Patient'),
          label,
        ).toHaveLength(1);
        expect(set.length, label).toBeGreaterThan(1);
        const ids = new Set(set.map((r) => `${r.resourceType}/${r.id}`));
        for (const r of set) for (const ref of referencesIn(r)) expect(ids.has(ref), `${label}: ${ref}`).toBe(true);
        // Anything not of the gegevensdienst's own types is there because something refers to it.
        const referenced = new Set(set.flatMap((r) => referencesIn(r)));
        for (const r of set) {
          if (!gegevensdienstContent(d.keys[gd])!.resourceTypes.includes(r.resourceType))
            expect(referenced.has(`${r.resourceType}/${r.id}`), `${label}: ${r.resourceType}`).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("'1' (BgZ) is the whole dossier", () => {
    for (const d of dossiers.filter((x) => x.persona.providers.find((p) => p.providerId === x.providerId)!.gegevensdiensten.includes('1'))) {
      expect(resourcesForGegevensdienst(d, '1')).toEqual(d.resources);
    }
  });

  it("'3' medication, '4' lab results only, '5' vital signs only", () => {
    const d = dossiers.find((x) => x.persona.key === 'volwassene-diabetes' && x.providerId === 'dekroon')!;
    const meds = resourcesForGegevensdienst(d, '3');
    expect(new Set(meds.map((r) => r.resourceType))).toEqual(
      new Set(['Patient', 'Organization', 'Practitioner', 'MedicationRequest', 'MedicationDispense', 'MedicationStatement', 'Medication']),
    );
    const lab = resourcesForGegevensdienst(d, '4');
    const labObs = lab.filter((r) => r.resourceType === 'Observation');
    expect(labObs.length).toBeGreaterThan(5);
    expect(labObs.every(isLabObservation)).toBe(true);
    expect(lab.some((r) => r.resourceType === 'Specimen')).toBe(true);
    const vitals = resourcesForGegevensdienst(d, '5');
    const vitalObs = vitals.filter((r) => r.resourceType === 'Observation');
    expect(vitalObs.length).toBeGreaterThan(5);
    expect(vitalObs.every(isVitalSignObservation)).toBe(true);
    expect(vitals.some((r) => r.resourceType === 'Specimen' || r.resourceType === 'Condition')).toBe(false);
  });

  it('the no-data persona gets nothing for the gegevensdienst its provider offers but holds nothing for', () => {
    const d = dossiers.find((x) => x.persona.tags.includes('no-data-for-gegevensdienst'))!;
    expect(d.providerId).toBe('rivierenland');
    expect(resourcesForGegevensdienst(d, '4')).toEqual([]);
    // ... and its BgZ holds no lab results either
    expect(d.resources.some(isLabObservation)).toBe(false);
    expect(resourcesForGegevensdienst(d, '1').length).toBeGreaterThan(5);
  });

  it('gives nothing for a gegevensdienst the provider does not offer, or an unknown id', () => {
    const d = dossiers.find((x) => x.providerId === 'rivierenland')!;
    expect(resourcesForGegevensdienst(d, '3')).toEqual([]);
    expect(resourcesForGegevensdienst(d, '5')).toEqual([]);
    expect(resourcesForGegevensdienst(d, '99')).toEqual([]);
  });

  it('dossierBundle: a collection, per gegevensdienst or whole, without empty entry', () => {
    const d = dossiers.find((x) => x.persona.tags.includes('no-data-for-gegevensdienst'))!;
    const whole = dossierBundle(d);
    expect(whole).toMatchObject({ resourceType: 'Bundle', type: 'collection', identifier: { value: 'rivierenland' } });
    expect(whole.entry).toHaveLength(d.resources.length);
    expect(dossierBundle(d, '4')).not.toHaveProperty('entry');
  });
});
