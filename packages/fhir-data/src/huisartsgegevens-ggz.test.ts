/**
 * Huisartsgegevens (49) and Basisgegevens GGZ (50) in the afsprakenstelsel-2 network: what each holds, that it
 * answers the searches Nictiz's qualification material makes, and that the BgZ does not carry it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FhirResource } from './fhir.js';
import { GEGEVENSDIENST_QUERIES, isGgzResource, isHuisartsgegevensResource, resourcesForGegevensdienst } from './gegevensdiensten.js';
import { HONOS_ITEMS } from './ggz-codes.js';
import { generateAll, TEST_OPTS_2 } from './testing.js';
import type { Dossier } from './types.js';

const { personas, dossiers } = generateAll(TEST_OPTS_2);
const at = (personaKey: string, providerId: string) => dossiers.find((d) => d.persona.key === personaKey && d.providerId === providerId)!;
const ofType = (rs: FhirResource[], type: string) => rs.filter((r) => r.resourceType === type);
const coded = (value: unknown, system: string, code?: string): boolean =>
  JSON.stringify(value ?? null).includes(code === undefined ? `"system":"${system}"` : `"system":"${system}","code":"${code}"`);
const byRef = (d: Dossier) => new Map(d.resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
const SNOMED = 'http://snomed.info/sct';
const ICPC = 'http://hl7.org/fhir/sid/icpc-1-nl';
const NHG_45 = 'https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen';
const SOEP = 'http://fhir.nl/fhir/NamingSystem/journaalregeltypen';

describe('Huisartsgegevens (49)', () => {
  const atGp = dossiers.filter((d) => d.keys['49'] === 'huisartsgegevens');

  it('every patient of the GP practice has a GP record, adults included', () => {
    expect(atGp.map((d) => d.persona.key)).toEqual(personas.filter((p) => p.providers.some((e) => e.providerId === 'dekroon')).map((p) => p.key));
    expect(atGp.filter((d) => d.persona.age >= 18).length).toBeGreaterThanOrEqual(3);
    for (const d of atGp) {
      expect(d.persona.providers.find((e) => e.providerId === 'dekroon')!.gegevensdiensten).toContain('49');
      expect(ofType(resourcesForGegevensdienst(d, '49'), 'EpisodeOfCare').length, d.persona.key).toBeGreaterThan(0);
    }
  });

  it('episodes: a type, an ICPC-coded diagnosis, consults with SOEP lines and a report of E and P', () => {
    for (const d of atGp) {
      const set = resourcesForGegevensdienst(d, '49');
      const refs = byRef(d);
      for (const e of ofType(set, 'EpisodeOfCare')) {
        expect(e.type).toBeDefined();
        const diagnosis = refs.get((e.diagnosis as { condition: { reference: string } }[])[0]!.condition.reference)!;
        expect(coded(diagnosis.code, ICPC)).toBe(true);
        expect(set).toContain(diagnosis);
        const consults = ofType(set, 'Encounter').filter((x) => (x.episodeOfCare as { reference: string }[])[0]!.reference === `EpisodeOfCare/${e.id}`);
        expect(consults.length, `${d.persona.key} ${e.id}`).toBeGreaterThan(0);
        for (const c of consults) {
          expect(c.class).toBeDefined();
          expect(c.type).toBeDefined();
          const lines = ofType(set, 'Observation').filter((o) => (o.context as { reference?: string } | undefined)?.reference === `Encounter/${c.id}`);
          const soep = lines.filter((o) => coded(o.code, SOEP)).map((o) => (o.code as { coding: { code: string }[] }).coding[0]!.code);
          expect(soep).toEqual(['S', 'O', 'E', 'P']);
          const report = ofType(set, 'Composition').find((x) => (x.encounter as { reference: string }).reference === `Encounter/${c.id}`)!;
          expect(report.title).toMatch(/^Contactverslag \d\d-\d\d-\d{4}$/);
          const sections = (report.section as { code: { coding: { code: string }[] } }[]).map((s) => s.code.coding[0]!.code);
          expect(sections).toEqual(['E', 'P']); // never S or O
        }
      }
    }
  });

  it('the diabetes patient: episodes T90.02 and K86, blood pressures coded with NHG Tabel 45 and LOINC', () => {
    const set = resourcesForGegevensdienst(at('volwassene-diabetes', 'dekroon'), '49');
    const icpc = ofType(set, 'Condition').map((c) => (c.code as { coding: { code: string }[] }).coding[0]!.code);
    expect(icpc).toEqual(expect.arrayContaining(['T90.02', 'K86']));
    const results = ofType(set, 'Observation').filter((o) => coded(o.code, NHG_45));
    expect(results.some((o) => coded(o.code, NHG_45, '1744') && coded(o.code, 'http://loinc.org', '8480-6'))).toBe(true);
    for (const o of results) expect((o.valueQuantity as { value: number }).value).toBeGreaterThan(0);
  });

  it('serves the medication agreements (with their product) and the medicine intolerances of the record', () => {
    const d = at('oudere-polyfarmacie', 'dekroon');
    const set = resourcesForGegevensdienst(d, '49');
    expect(ofType(set, 'MedicationRequest')).toEqual(ofType(d.resources, 'MedicationRequest'));
    expect(ofType(set, 'Medication').length).toBeGreaterThan(0);
    expect(ofType(set, 'MedicationDispense')).toEqual([]);
    for (const a of ofType(set, 'AllergyIntolerance')) expect(a.category).toContain('medication');
  });

  it('has something for every resource type its searches ask for, in the set', () => {
    const set = atGp.flatMap((d) => resourcesForGegevensdienst(d, '49'));
    for (const q of GEGEVENSDIENST_QUERIES.huisartsgegevens) expect(ofType(set, q.path.split(/[/?]/)[0]!).length, q.path).toBeGreaterThan(0);
  });
});

describe('Basisgegevens GGZ (50)', () => {
  const ggz = at('volwassene-ggz', 'deboog');
  const set = resourcesForGegevensdienst(ggz, '50');

  it('the mental-health patient at GGZ De Boog has GGZ data, and so has every patient there', () => {
    expect(ggz.persona.tags).toContain('mental-health');
    for (const d of dossiers.filter((x) => x.providerId === 'deboog'))
      expect(resourcesForGegevensdienst(d, '50').some(isGgzResource), d.persona.key).toBe(true);
  });

  it('a care team of referring GP, therapist and responsible clinician, each in the set (CareTeam:participant)', () => {
    const [team] = ofType(set, 'CareTeam');
    const participants = team!.participant as { role: unknown; member: { reference: string } }[];
    expect(participants.map((p) => (p.role as { coding: { code: string }[] }).coding[0]!.code)).toEqual(['REF', 'ATND', 'RESP']);
    const ids = new Set(set.map((r) => `${r.resourceType}/${r.id}`));
    for (const p of participants) expect(ids.has(p.member.reference)).toBe(true);
    const patient = ofType(set, 'Patient')[0]!;
    expect(participants[0]!.member.reference).toBe((patient.generalPractitioner as { reference: string }[])[0]!.reference);
  });

  it('a problem, the intake with its text result, help from others', () => {
    const [condition] = ofType(set, 'Condition');
    expect(coded(condition!.code, SNOMED)).toBe(true);
    const [intake] = ofType(set, 'Procedure');
    expect((intake!.reasonReference as { reference: string }[])[0]!.reference).toBe(`Condition/${condition!.id}`);
    expect((intake!.report as { reference: string }[])[0]!.reference).toBe(`DiagnosticReport/${ofType(set, 'DiagnosticReport')[0]!.id}`);
    expect(String(ofType(set, 'DiagnosticReport')[0]!.conclusion)).toMatch(/^Intake: /);
    expect(ofType(set, 'CarePlan').every((c) => coded(c.category, SNOMED, '243114000'))).toBe(true);
    expect(ofType(set, 'Coverage')).toHaveLength(1);
  });

  it('ROM: HoNOS rounds of twelve items scored 0-4, a total that is their sum, and the scale holding both', () => {
    const surveys = ofType(set, 'Observation').filter((o) => coded(o.category, 'http://hl7.org/fhir/observation-category', 'survey'));
    const scales = surveys.filter((o) => coded(o.code, SNOMED, '273513009'));
    expect(scales.length).toBeGreaterThanOrEqual(1);
    expect(surveys).toHaveLength(scales.length * 14);
    const refs = byRef(ggz);
    for (const scale of scales) {
      const members = (scale.related as { type: string; target: { reference: string } }[]).map((x) => refs.get(x.target.reference)!);
      expect(members).toHaveLength(13);
      const items = members.slice(0, 12).map((m) => (m.valueQuantity as { value: number }).value);
      expect(members.slice(0, 12).map((m) => (m.code as { coding: { code: string }[] }).coding[0]!.code)).toEqual(HONOS_ITEMS.map((i) => i.code));
      for (const v of items) expect(v >= 0 && v <= 4).toBe(true);
      expect((members[12]!.valueQuantity as { value: number }).value).toBe(items.reduce((a, b) => a + b, 0));
      for (const m of members) expect(m.effectiveDateTime).toBe(scale.effectiveDateTime);
    }
  });

  it('has something for the searches of its own part; the others are the record’s zibs, empty where it has none', () => {
    for (const type of ['Patient', 'Coverage', 'Condition', 'CarePlan', 'Procedure', 'DiagnosticReport', 'CareTeam'])
      expect(ofType(set, type).length, type).toBeGreaterThan(0);
    for (const code of ['365470003', '314845004']) expect(set.some((r) => coded(r.code, SNOMED, code))).toBe(true);
    expect(ofType(set, 'Encounter')).toEqual([]);
  });
});

describe('the two parts and the BgZ', () => {
  it('the BgZ (48) carries neither part: it is what the same network without 49 and 50 has', () => {
    const providers = TEST_OPTS_2.providers.map((p) => {
      const ids = p.gegevensdiensten.filter((id) => id !== '49' && id !== '50');
      return { ...p, gegevensdiensten: ids, keys: Object.fromEntries(ids.map((id) => [id, p.keys[id]!])) };
    });
    const without = generateAll({ ...TEST_OPTS_2, providers }).dossiers;
    for (const d of dossiers) {
      const bgz = resourcesForGegevensdienst(d, '48');
      expect(
        bgz.some((r) => isHuisartsgegevensResource(r) || isGgzResource(r)),
        d.persona.key,
      ).toBe(false);
      const twin = without.find((x) => x.persona.key === d.persona.key && x.providerId === d.providerId)!;
      expect(JSON.stringify(bgz)).toBe(JSON.stringify(resourcesForGegevensdienst(twin, '48')));
    }
  });

  it('each part holds none of the other; the GP record only its own problems (ICPC), the GGZ none of those', () => {
    for (const d of dossiers) {
      const gp = resourcesForGegevensdienst(d, '49');
      const mentalHealth = resourcesForGegevensdienst(d, '50');
      expect(gp.some(isGgzResource), d.persona.key).toBe(false);
      expect(mentalHealth.some(isHuisartsgegevensResource), d.persona.key).toBe(false);
      for (const c of ofType(gp, 'Condition')) expect(coded(c.code, ICPC)).toBe(true);
      for (const c of ofType(mentalHealth, 'Condition')) expect(coded(c.code, ICPC)).toBe(false);
    }
  });

  it('a provider that does not offer 49 or 50 serves nothing for them', () => {
    const hospital = at('volwassene-allergieen', 'rivierenland');
    expect(resourcesForGegevensdienst(hospital, '49')).toEqual([]);
    expect(resourcesForGegevensdienst(hospital, '50')).toEqual([]);
    expect(hospital.resources.some((r) => isHuisartsgegevensResource(r) || isGgzResource(r))).toBe(false);
  });
});

describe('determinism of the parts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('same seed, byte-identical; another wall clock, the same', () => {
    const json = () => JSON.stringify(generateAll(TEST_OPTS_2).dossiers.map((d) => d.resources));
    const a = json();
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2049-07-15T21:30:00Z'));
    expect(json()).toBe(a);
    expect(a).toBe(JSON.stringify(dossiers.map((d) => d.resources)));
  });

  it('another seed, another GP record', () => {
    const other = generateAll({ ...TEST_OPTS_2, seed: 'another-seed' }).dossiers.find(
      (d) => d.persona.key === 'volwassene-diabetes' && d.providerId === 'dekroon',
    )!;
    const part = (d: Dossier) => JSON.stringify(d.resources.filter(isHuisartsgegevensResource).map(({ id: _, ...r }) => r));
    expect(part(other)).not.toBe(part(at('volwassene-diabetes', 'dekroon')));
  });
});
