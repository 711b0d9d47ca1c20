/**
 * Small FHIR STU3 building blocks: the resource shape, code systems, profiles and helpers for
 * Coding/CodeableConcept/Quantity/Reference. Kept free of randomness.
 */

export interface FhirResource {
  resourceType: string;
  id: string;
  meta: { profile: string[] };
  [k: string]: unknown;
}

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Reference {
  reference: string;
  display?: string;
}

export const SYSTEM = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  atc: 'http://www.whocc.no/atc',
  /** G-Standaard PRK (prescription product code), HPK (trade product code) and ZI-nummer (article). */
  gstandaardPrk: 'urn:oid:2.16.840.1.113883.2.4.4.10',
  gstandaardHpk: 'urn:oid:2.16.840.1.113883.2.4.4.7',
  gstandaardZi: 'urn:oid:2.16.840.1.113883.2.4.4.8',
  /** G-Standaard Thesaurus 7 (toedieningswegen) and the basiseenheden table used for doses. */
  gstandaardRoute: 'urn:oid:2.16.840.1.113883.2.4.4.9',
  gstandaardUnit: 'urn:oid:2.16.840.1.113883.2.4.4.1.900.2',
  medicationUseCategory: 'urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3',
  bsn: 'http://fhir.nl/fhir/NamingSystem/bsn',
  agb: 'http://fhir.nl/fhir/NamingSystem/agb-z',
  uzi: 'http://fhir.nl/fhir/NamingSystem/uzi-nr-pers',
  ura: 'http://fhir.nl/fhir/NamingSystem/ura',
  uzovi: 'http://fhir.nl/fhir/NamingSystem/uzovi',
  actCode: 'http://hl7.org/fhir/v3/ActCode',
  roleCode: 'http://hl7.org/fhir/v3/RoleCode',
  observationCategory: 'http://hl7.org/fhir/observation-category',
  interpretation: 'http://hl7.org/fhir/v2/0078',
  /** zib codelists: BehandelingToegestaan (JA/NEE/JA_MAAR), Wilsverklaringtype, Verzekeringssoort, RoleCodeNL (COD472). */
  treatmentPermitted: 'urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4',
  advanceDirectiveType: 'urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.14.1',
  insuranceType: 'urn:oid:2.16.840.1.113883.2.4.3.11.60.101.5.1',
  contactRole: 'urn:oid:2.16.840.1.113883.2.4.3.11.22.472',
  /** Huisartsgegevens: ICPC-1 NL (episodes), NHG Tabel 14 (contactwijze), NHG Tabel 45 (diagnostische bepalingen), SOEP line types. */
  icpc: 'http://hl7.org/fhir/sid/icpc-1-nl',
  nhgContactType: 'https://referentiemodel.nhg.org/tabellen/nhg-tabel-14-contactwijze',
  nhgDiagnostic: 'https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen',
  journalEntryType: 'http://fhir.nl/fhir/NamingSystem/journaalregeltypen',
  /** A CareTeam participant's role (verwijzer, behandelaar, hoofdbehandelaar). */
  participationType: 'http://hl7.org/fhir/v3/ParticipationType',
} as const;

const NL_CORE = 'http://fhir.nl/fhir/StructureDefinition';
const ZIB = 'http://nictiz.nl/fhir/StructureDefinition';

export const PROFILE = {
  patient: `${NL_CORE}/nl-core-patient`,
  practitioner: `${NL_CORE}/nl-core-practitioner`,
  organization: `${NL_CORE}/nl-core-organization`,
  relatedPerson: `${NL_CORE}/nl-core-relatedperson`,
  payer: `${ZIB}/zib-Payer`,
  treatmentDirective: `${ZIB}/zib-TreatmentDirective`,
  advanceDirective: `${ZIB}/zib-AdvanceDirective`,
  problem: `${ZIB}/zib-Problem`,
  allergyIntolerance: `${ZIB}/zib-AllergyIntolerance`,
  alert: `${ZIB}/zib-Alert`,
  medicationUse: `${ZIB}/zib-MedicationUse`,
  medicationAgreement: `${ZIB}/zib-MedicationAgreement`,
  dispense: `${ZIB}/zib-Dispense`,
  product: `${ZIB}/zib-Product`,
  bloodPressure: `${ZIB}/zib-BloodPressure`,
  bodyWeight: `${ZIB}/zib-BodyWeight`,
  bodyHeight: `${ZIB}/zib-BodyHeight`,
  heartRate: `${ZIB}/zib-HeartRate`,
  labObservation: `${ZIB}/zib-LaboratoryTestResult-Observation`,
  labSpecimen: `${ZIB}/zib-LaboratoryTestResult-Specimen`,
  procedure: `${ZIB}/zib-Procedure`,
  encounter: `${ZIB}/zib-Encounter`,
  vaccination: `${ZIB}/zib-Vaccination`,
  medicalDevice: `${ZIB}/zib-MedicalDevice`,
  medicalDeviceProduct: `${ZIB}/zib-MedicalDevice-Product`,
  // Huisartsgegevens (gegevensdienst 49)
  episodeOfCare: `${NL_CORE}/nl-core-episodeofcare`,
  gpEncounter: `${ZIB}/gp-Encounter`,
  gpJournalEntry: `${ZIB}/gp-JournalEntry`,
  gpDiagnosticResult: `${ZIB}/gp-DiagnosticResult`,
  gpEncounterReport: `${ZIB}/gp-EncounterReport`,
  // Basisgegevens GGZ (gegevensdienst 50)
  careTeam: `${NL_CORE}/nl-core-careteam`,
  helpFromOthers: `${ZIB}/zib-HelpFromOthers`,
  generalMeasurement: `${ZIB}/zib-GeneralMeasurement`,
  textResult: `${ZIB}/zib-TextResult`,
  familySituation: `${ZIB}/zib-FamilySituation`,
  participationInSociety: `${ZIB}/zib-ParticipationInSociety`,
} as const;

export const EXTENSION = {
  ownPrefix: 'http://hl7.org/fhir/StructureDefinition/humanname-own-prefix',
  ownName: 'http://hl7.org/fhir/StructureDefinition/humanname-own-name',
  assemblyOrder: 'http://hl7.org/fhir/StructureDefinition/humanname-assembly-order',
  nameQualifier: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier',
  streetName: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetName',
  houseNumber: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-houseNumber',
  periodOfUse: `${ZIB}/zib-Medication-PeriodOfUse`,
  treatment: `${ZIB}/zib-TreatmentDirective-Treatment`,
  treatmentPermitted: `${ZIB}/zib-TreatmentDirective-TreatmentPermitted`,
  relatedPersonRole: `${NL_CORE}/nl-core-relatedperson-role`,
  episodeTitle: `${ZIB}/EpisodeOfCare-Title`,
  episodeFirstEncounter: `${ZIB}/EpisodeOfCare-DateFirstEncounter`,
  episodeLastEncounter: `${ZIB}/EpisodeOfCare-DateLastEncounter`,
  /** On a journal entry or result: the episode it belongs to. */
  episodeContext: `${ZIB}/extension-context-nl-core-episodeofcare`,
  /** On a contact report's section: the episode's ICPC code. */
  sectionIcpc: `${ZIB}/code-icpc-1-nl`,
} as const;

export function coding(system: string, code: string, display?: string): Coding {
  return display === undefined ? { system, code } : { system, code, display };
}

export function concept(system: string, code: string, display: string): CodeableConcept {
  return { coding: [coding(system, code, display)], text: display };
}

export function snomed(code: string, display: string): CodeableConcept {
  return concept(SYSTEM.snomed, code, display);
}

export function loinc(code: string, display: string): CodeableConcept {
  return { coding: [coding(SYSTEM.loinc, code, display)] };
}

/** A UCUM quantity; `unit` is the human-readable form, `code` the UCUM code. */
export function quantity(value: number, unit: string, code = unit): { value: number; unit: string; system: string; code: string } {
  return { value, unit, system: SYSTEM.ucum, code };
}

export function referenceTo(resource: FhirResource, display?: string): Reference {
  const ref = `${resource.resourceType}/${resource.id}`;
  return display === undefined ? { reference: ref } : { reference: ref, display };
}

/** Every `reference` string anywhere inside a resource (Reference.reference), in document order. */
export function referencesIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, into);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') into.push(v);
      else referencesIn(v, into);
    }
  }
  return into;
}
