import { describe, expect, it } from 'vitest';
import { generateDossier } from './dossier.js';
import { referencesIn, type FhirResource } from './fhir.js';
import { validateFhirResource } from './fhir-schema.js';
import { dossierBundle } from './gegevensdiensten.js';
import { BGZ_EMITTED_RESOURCE_TYPES, EMITTED_RESOURCE_TYPES } from './resource-types.js';
import { datesIn, generateAll, lastPossibleDate, TEST_OPTS, TEST_OPTS_2 } from './testing.js';

const { personas, dossiers } = generateAll(TEST_OPTS);
const byTag = (tag: string) => personas.find((p) => p.tags.includes(tag))!;
const all = dossiers.flatMap((d) => d.resources);
/** The afsprakenstelsel-2 network too: its providers offer Huisartsgegevens (49) and Basisgegevens GGZ (50). */
const every = [...dossiers, ...generateAll(TEST_OPTS_2).dossiers];
const everyResource = every.flatMap((d) => d.resources);

/** Every resource of the set matching a MedMij search: the sandbox's resource servers must be able to answer it. */
const has = (type: string, predicate: (r: FhirResource) => boolean = () => true) => all.some((r) => r.resourceType === type && predicate(r));
const coded = (value: unknown, system: string, code: string): boolean => JSON.stringify(value ?? null).includes(`"system":"${system}","code":"${code}"`);

describe('dossiers', () => {
  it('every resource of every dossier validates against the FHIR STU3 schema', () => {
    const failures: string[] = [];
    for (const d of every) {
      for (const r of d.resources) {
        const v = validateFhirResource(r);
        if (!v.valid) failures.push(`${d.persona.key}@${d.providerId} ${r.resourceType}/${r.id}: ${v.errors.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(all.length).toBeGreaterThan(500);
  });

  it('a dossier as a Bundle validates too', () => {
    for (const d of [...dossiers.slice(0, 3), ...every.slice(-3)]) expect(validateFhirResource(dossierBundle(d))).toEqual({ valid: true, errors: [] });
  });

  it('emits only the resource types the schema subset was built for, each with a profile', () => {
    for (const r of everyResource) {
      expect(EMITTED_RESOURCE_TYPES).toContain(r.resourceType);
      expect(r.meta.profile.length).toBeGreaterThan(0);
      expect(r.meta.profile[0]).toMatch(/^http:\/\/(fhir\.nl\/fhir\/StructureDefinition\/nl-core-|nictiz\.nl\/fhir\/StructureDefinition\/(zib|gp)-)/);
    }
    // and every emitted type occurs somewhere; 1.5 has those of the BgZ only
    expect(new Set(everyResource.map((r) => r.resourceType))).toEqual(new Set(EMITTED_RESOURCE_TYPES));
    expect(new Set(all.map((r) => r.resourceType))).toEqual(new Set(BGZ_EMITTED_RESOURCE_TYPES));
  });

  it('every reference resolves inside its dossier; ids are unique and carry no BSN', () => {
    for (const d of every) {
      const ids = d.resources.map((r) => `${r.resourceType}/${r.id}`);
      expect(new Set(ids).size, `${d.persona.key}@${d.providerId}`).toBe(ids.length);
      for (const r of d.resources) {
        expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
        expect(r.id).not.toContain(d.persona.bsn);
        for (const ref of referencesIn(r)) expect(ids, `${r.resourceType}/${r.id} -> ${ref}`).toContain(ref);
      }
      expect(d.resources.filter((r) => r.resourceType === 'Patient')).toHaveLength(1);
      expect(d.resources[0]!.resourceType).toBe('Patient');
    }
  });

  it('nothing is dated before birth or after the reference date (or the death)', () => {
    for (const d of every) {
      const last = lastPossibleDate(d.persona, TEST_OPTS.referenceDate);
      for (const r of d.resources) {
        for (const { path, value } of datesIn(r)) {
          const day = value.slice(0, 10);
          expect(day <= last, `${d.persona.key}@${d.providerId} ${r.resourceType}${path} = ${value} after ${last}`).toBe(true);
          expect(day >= d.persona.birthDate, `${r.resourceType}${path} = ${value} before birth ${d.persona.birthDate}`).toBe(true);
        }
      }
    }
  });

  it('the deceased patient: deceasedDateTime, and nothing after the death', () => {
    const p = byTag('deceased');
    const mine = dossiers.filter((d) => d.persona === p);
    expect(mine.length).toBeGreaterThan(0);
    for (const d of mine) {
      const patient = d.resources.find((r) => r.resourceType === 'Patient')!;
      expect(String(patient.deceasedDateTime).slice(0, 10)).toBe(p.deceasedDate);
      for (const r of d.resources) for (const { value } of datesIn(r)) expect(value.slice(0, 10) <= p.deceasedDate!).toBe(true);
    }
  });

  it('follows FHIR JSON rules: no empty strings, arrays or objects, no nulls', () => {
    const check = (v: unknown, path: string): void => {
      expect(v, path).not.toBeNull();
      if (typeof v === 'string') expect(v.trim(), path).not.toBe('');
      else if (Array.isArray(v)) {
        expect(v.length, path).toBeGreaterThan(0);
        v.forEach((x, i) => check(x, `${path}/${i}`));
      } else if (typeof v === 'object') {
        expect(Object.keys(v as object).length, path).toBeGreaterThan(0);
        for (const [k, x] of Object.entries(v as object)) check(x, `${path}/${k}`);
      }
    };
    for (const r of everyResource) check(r, `${r.resourceType}/${r.id}`);
  });

  it('resources shared by dossiers at one provider are identical in each', () => {
    for (const set of [dossiers, every.slice(dossiers.length)]) {
      for (const providerId of new Set(set.map((d) => d.providerId))) {
        const seen = new Map<string, string>();
        for (const d of set.filter((x) => x.providerId === providerId)) {
          for (const r of d.resources) {
            const key = `${r.resourceType}/${r.id}`;
            const json = JSON.stringify(r);
            if (seen.has(key)) expect(json, key).toBe(seen.get(key));
            else seen.set(key, json);
          }
        }
      }
    }
  });

  it('a persona at two providers gets two different dossiers', () => {
    const p = byTag('several-providers');
    const [a, b] = p.providers.map((e) => generateDossier(TEST_OPTS, p, e.providerId));
    expect(JSON.stringify(a!.resources)).not.toBe(JSON.stringify(b!.resources));
    const bsnOf = (rs: FhirResource[]) => (rs[0]!.identifier as { value: string }[])[0]!.value;
    expect(bsnOf(a!.resources)).toBe(p.bsn);
    expect(bsnOf(b!.resources)).toBe(p.bsn);
  });

  it('answers the MedMij BgZ searches (SPEC §6.2)', () => {
    const snomed = 'http://snomed.info/sct';
    const loinc = 'http://loinc.org';
    expect(has('Patient', (r) => Array.isArray(r.generalPractitioner))).toBe(true);
    expect(has('Coverage', (r) => Array.isArray(r.payor))).toBe(true);
    expect(has('Consent', (r) => coded(r.category, snomed, '11291000146105'))).toBe(true);
    expect(has('Consent', (r) => coded(r.category, snomed, '11341000146107'))).toBe(true);
    expect(has('Condition')).toBe(true);
    expect(has('Flag')).toBe(true);
    expect(has('AllergyIntolerance')).toBe(true);
    expect(has('MedicationStatement', (r) => coded(r.category, 'urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3', '6'))).toBe(true);
    expect(has('MedicationRequest', (r) => coded(r.category, snomed, '16076005'))).toBe(true);
    expect(has('MedicationDispense', (r) => coded(r.category, snomed, '422037009'))).toBe(true);
    expect(has('DeviceUseStatement')).toBe(true);
    expect(has('Immunization', (r) => r.status === 'completed')).toBe(true);
    for (const code of ['85354-9', '29463-7', '8302-2', '8867-4'])
      expect(
        has('Observation', (r) => coded(r.code, loinc, code)),
        code,
      ).toBe(true);
    expect(has('Observation', (r) => coded(r.category, snomed, '275711006') && coded(r.category, snomed, '49581000146104'))).toBe(true);
    expect(has('Procedure', (r) => coded(r.category, snomed, '387713003'))).toBe(true);
    for (const cls of ['IMP', 'AMB', 'ACUTE'])
      expect(
        has('Encounter', (r) => (r.class as { code: string }).code === cls),
        cls,
      ).toBe(true);
    expect(has('RelatedPerson')).toBe(true);
    // Every lab result has both category codings, every medication resource a category.
    for (const r of all.filter((r) => r.resourceType === 'Observation' && coded(r.category, snomed, '275711006'))) {
      expect(coded(r.category, snomed, '49581000146104')).toBe(true);
    }
  });

  it('vital signs form a series: several blood pressures over time', () => {
    const d = dossiers.find((x) => x.persona.tags.includes('chronic-condition') && x.providerId === 'dekroon')!;
    const bp = d.resources.filter((r) => r.resourceType === 'Observation' && coded(r.code, 'http://loinc.org', '85354-9'));
    expect(bp.length).toBeGreaterThanOrEqual(4);
    const days = new Set(bp.map((r) => String(r.effectiveDateTime).slice(0, 10)));
    expect(days.size).toBe(bp.length);
    for (const r of bp) {
      const components = r.component as { code: unknown; valueQuantity: { code: string; value: number } }[];
      expect(components.map((c) => coded(c.code, 'http://loinc.org', '8480-6') || coded(c.code, 'http://loinc.org', '8462-4'))).toEqual([true, true]);
      expect(components[0]!.valueQuantity.value).toBeGreaterThan(components[1]!.valueQuantity.value);
    }
  });

  it('refuses a dossier where there is no treatment relation', () => {
    const unknown = byTag('unknown');
    expect(() => generateDossier(TEST_OPTS, unknown, 'dekroon')).toThrow(
      /persona 'onbekend-bij-zorgaanbieders' has no treatment relation with provider 'dekroon' \(it is known to no provider\)/,
    );
    const young = byTag('under-16');
    expect(() => generateDossier(TEST_OPTS, young, 'deboog')).toThrow(/no treatment relation with provider 'deboog' \(it has one with: dekroon\)/);
  });
});
