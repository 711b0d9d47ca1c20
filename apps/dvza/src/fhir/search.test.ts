/**
 * searchDossier on small hand-made dossiers: what the searches of Huisartsgegevens (49) and Basisgegevens GGZ
 * (50) need beyond the BgZ's: the types EpisodeOfCare, Composition, CareTeam, CarePlan and DiagnosticReport,
 * a token with a system and no code, Nictiz's periodofuse, open-ended Periods, and CareTeam:participant.
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '@medmij-sandbox/fhir-data';
import { SearchError, searchDossier, supportedSearch } from './search.js';

const PERIOD_OF_USE = 'http://nictiz.nl/fhir/StructureDefinition/zib-Medication-PeriodOfUse';
const NHG_45 = 'https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen';
const r = (resourceType: string, id: string, body: Record<string, unknown> = {}): FhirResource => ({ resourceType, id, meta: { profile: ['x'] }, ...body });
const ids = (rs: FhirResource[]) => rs.map((x) => x.id);
const search = (type: string, query: string, resources: FhirResource[]) => searchDossier(type, new URLSearchParams(query), resources);

const agreement = (id: string, period: Record<string, string>) =>
  r('MedicationRequest', id, {
    extension: [{ url: PERIOD_OF_USE, valuePeriod: period }],
    category: { coding: [{ system: 'http://snomed.info/sct', code: '16076005' }] },
    medicationReference: { reference: 'Medication/m1' },
  });

describe('searchDossier: Huisartsgegevens and Basisgegevens GGZ', () => {
  it('periodofuse: the medication agreements in use on a day (an open end is in use still)', () => {
    const dossier = [
      agreement('ongoing', { start: '2020-01-01' }),
      agreement('ended', { start: '2020-01-01', end: '2025-12-31' }),
      agreement('until-next-year', { start: '2021-03-01', end: '2027-01-01' }),
      agreement('starts-later', { start: '2026-07-01' }),
      r('Medication', 'm1'),
    ];
    const inUse = search(
      'MedicationRequest',
      'periodofuse=ge2026-06-01&category=http://snomed.info/sct|16076005&_include=MedicationRequest:medication',
      dossier,
    );
    expect(ids(inUse.matches)).toEqual(['ongoing', 'until-next-year', 'starts-later']);
    expect(ids(inUse.included)).toEqual(['m1']);
    expect(ids(search('MedicationRequest', 'periodofuse=le2020-06-01', dossier).matches)).toEqual(['ongoing', 'ended']);
    expect(ids(search('MedicationRequest', 'periodofuse=lt2020-01-01', dossier).matches)).toEqual([]);
  });

  it('date on a Period: gt/ge match an ongoing one, lt/le one without a start; closed periods as before', () => {
    const dossier = [
      r('EpisodeOfCare', 'open', { period: { start: '2019-05-01' } }),
      r('EpisodeOfCare', 'closed', { period: { start: '2019-05-01', end: '2019-06-01' } }),
      r('EpisodeOfCare', 'no-start', { period: { end: '2018-01-01' } }),
    ];
    expect(ids(search('EpisodeOfCare', 'date=ge2024-01-01', dossier).matches)).toEqual(['open']);
    expect(ids(search('EpisodeOfCare', 'date=gt2019-05-15', dossier).matches)).toEqual(['open', 'closed']);
    expect(ids(search('EpisodeOfCare', 'date=le2017-01-01', dossier).matches)).toEqual(['no-start']);
    expect(ids(search('EpisodeOfCare', 'date=2019-05', dossier).matches)).toEqual(['open', 'closed']);
  });

  it('a token with a system and no code matches any code of that system (Observation?code=<NHG Tabel 45>|)', () => {
    const dossier = [
      r('Observation', 'bp', {
        code: {
          coding: [
            { system: NHG_45, code: '1744' },
            { system: 'http://loinc.org', code: '8480-6' },
          ],
        },
      }),
      r('Observation', 'soep', { code: { coding: [{ system: 'http://fhir.nl/fhir/NamingSystem/journaalregeltypen', code: 'S' }] } }),
    ];
    expect(ids(search('Observation', `code=${NHG_45}|`, dossier).matches)).toEqual(['bp']);
  });

  it('EpisodeOfCare, Composition, CarePlan, DiagnosticReport: their token searches', () => {
    const dossier = [
      r('EpisodeOfCare', 'e1', { status: 'active', type: [{ coding: [{ system: 'http://snomed.info/sct', code: '64572001' }] }] }),
      r('EpisodeOfCare', 'e2', { status: 'finished' }),
      r('Composition', 'c1', { status: 'final', type: { coding: [{ system: 'http://loinc.org', code: '67781-5' }] } }),
      r('CarePlan', 'p1', { status: 'active', category: [{ coding: [{ system: 'http://snomed.info/sct', code: '243114000' }] }] }),
      r('DiagnosticReport', 'd1', { status: 'final' }),
    ];
    expect(ids(search('EpisodeOfCare', '', dossier).matches)).toEqual(['e1', 'e2']);
    expect(ids(search('EpisodeOfCare', 'status=active', dossier).matches)).toEqual(['e1']);
    expect(ids(search('Composition', 'type=http://loinc.org|67781-5', dossier).matches)).toEqual(['c1']);
    expect(ids(search('CarePlan', 'category=http://snomed.info/sct|243114000', dossier).matches)).toEqual(['p1']);
    expect(ids(search('DiagnosticReport', '', dossier).matches)).toEqual(['d1']);
  });

  it('CareTeam:participant includes the members', () => {
    const dossier = [
      r('CareTeam', 't1', {
        participant: [{ member: { reference: 'Practitioner/gp' } }, { member: { reference: 'Practitioner/psy' }, onBehalfOf: { reference: 'Organization/o' } }],
      }),
      r('Practitioner', 'gp'),
      r('Practitioner', 'psy'),
      r('Organization', 'o'),
    ];
    const result = search('CareTeam', '_include=CareTeam:participant', dossier);
    expect(ids(result.matches)).toEqual(['t1']);
    expect(ids(result.included)).toEqual(['gp', 'psy']);
  });

  it('refuses periodofuse where it means nothing, naming what is supported; lists it for MedicationRequest', () => {
    expect(() => search('MedicationStatement', 'periodofuse=ge2026-01-01', [])).toThrow(SearchError);
    expect(() => search('MedicationRequest', 'authoredon=ge2026-01-01', [])).toThrow(/supported.*periodofuse/);
    expect(() => search('MedicationRequest', 'periodofuse=ge26-01-01', [])).toThrow(SearchError);
    expect(supportedSearch('MedicationRequest').params).toContainEqual({ name: 'periodofuse', type: 'date' });
    expect(supportedSearch('CareTeam').includes).toEqual(['CareTeam:participant']);
    expect(supportedSearch('EpisodeOfCare').params.map((p) => p.name)).toEqual(['status', 'type', 'date']);
  });
});
