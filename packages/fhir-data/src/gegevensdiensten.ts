/**
 * Which resources of a dossier belong to which gegevensdienst, and FHIR Bundles of them.
 */
import { PROFILE, SYSTEM, referencesIn, type FhirResource } from './fhir.js';
import { LAB_CATEGORIES } from './codes.js';
import { MENTAL_HEALTH_EVALUATION } from './ggz-codes.js';
import { BGZ_EMITTED_RESOURCE_TYPES } from './resource-types.js';
import type { Dossier, GegevensdienstKey } from './types.js';

/**
 * Resource types a BgZ server is asked for (SPEC §6.2) that the generator never fills: their searches
 * are valid and answer with an empty searchset.
 */
export const BGZ_TYPES_WITHOUT_DATA = ['NutritionOrder', 'ProcedureRequest', 'ImmunizationRecommendation', 'Appointment', 'DeviceRequest'] as const;

/** Per gegevensdienst: its name and the resource types that belong to it (what its searches may return). */
export const GEGEVENSDIENST_CONTENT: Record<GegevensdienstKey, { nl: string; en: string; resourceTypes: string[] }> = {
  bgz: { nl: 'Basisgegevens Zorg (BgZ)', en: 'Patient summary (BgZ)', resourceTypes: [...BGZ_EMITTED_RESOURCE_TYPES, ...BGZ_TYPES_WITHOUT_DATA] },
  medicatie: {
    nl: 'Medicatiegegevens',
    en: 'Medication data',
    resourceTypes: ['Patient', 'MedicationRequest', 'MedicationDispense', 'MedicationStatement', 'Medication'],
  },
  lab: { nl: 'Laboratoriumresultaten', en: 'Laboratory results', resourceTypes: ['Patient', 'Observation', 'Specimen'] },
  'vitale-functies': { nl: 'Meetwaarden vitale functies', en: 'Vital signs', resourceTypes: ['Patient', 'Observation'] },
  // Condition and Medication are read by reference (an episode's diagnosis, a medication agreement's product).
  huisartsgegevens: {
    nl: 'Huisartsgegevens',
    en: 'General practitioner data',
    resourceTypes: [
      'Patient',
      'EpisodeOfCare',
      'Condition',
      'Encounter',
      'Observation',
      'Composition',
      'MedicationRequest',
      'Medication',
      'AllergyIntolerance',
    ],
  },
  ggz: {
    nl: 'Basisgegevens GGZ',
    en: 'Mental health care data',
    resourceTypes: ['Patient', 'Coverage', 'Consent', 'Observation', 'Condition', 'CarePlan', 'Procedure', 'DiagnosticReport', 'CareTeam'],
  },
};

const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const NHG_45 = SYSTEM.nhgDiagnostic;

/**
 * The searches a PGO makes per gegevensdienst, from the Nictiz qualification scripts (SPEC §6.2): BgZ 3.0's
 * 28 searches, the Medicatiegegevens and Laboratoriumresultaten searches, for vital signs the category and
 * per-measurement searches a chart needs, and the searches of Huisartsgegevens 2.0 (7) and GGZ 2.0 (18)
 * (Nictiz-testscripts GenPractData-2-0 and GGZ-2-0, PHR-Client). Paths are relative to the FHIR base URL.
 */
export const GEGEVENSDIENST_QUERIES: Record<GegevensdienstKey, { path: string; description: string }[]> = {
  bgz: [
    { path: 'Patient?_include=Patient:general-practitioner', description: 'Patient' },
    { path: 'Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization', description: 'Payer' },
    { path: `Consent?category=${SCT}|11291000146105`, description: 'TreatmentDirective' },
    { path: `Consent?category=${SCT}|11341000146107`, description: 'AdvanceDirective' },
    { path: `Observation/$lastn?category=${SCT}|118228005,${SCT}|384821006`, description: 'FunctionalOrMentalStatus' },
    { path: 'Condition', description: 'Problem' },
    { path: `Observation/$lastn?code=${SCT}|365508006`, description: 'LivingSituation' },
    { path: `Observation?code=${SCT}|228366006`, description: 'DrugUse' },
    { path: `Observation?code=${SCT}|228273003`, description: 'AlcoholUse' },
    { path: `Observation?code=${SCT}|365980008`, description: 'TobaccoUse' },
    { path: 'NutritionOrder', description: 'NutritionAdvice' },
    { path: 'Flag', description: 'Alert' },
    { path: 'AllergyIntolerance', description: 'AllergyIntolerance' },
    {
      path: 'MedicationStatement?category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3|6&_include=MedicationStatement:medication',
      description: 'MedicationUse',
    },
    { path: `MedicationRequest?category=${SCT}|16076005&_include=MedicationRequest:medication`, description: 'MedicationAgreement' },
    { path: `MedicationDispense?category=${SCT}|422037009&_include=MedicationDispense:medication`, description: 'AdministrationAgreement' },
    { path: 'DeviceUseStatement?_include=DeviceUseStatement:device', description: 'MedicalDevice' },
    { path: 'Immunization?status=completed', description: 'Vaccination' },
    { path: `Observation/$lastn?code=${LOINC}|85354-9`, description: 'BloodPressure' },
    { path: `Observation/$lastn?code=${LOINC}|29463-7`, description: 'BodyWeight' },
    { path: `Observation/$lastn?code=${LOINC}|8302-2,${LOINC}|8306-3,${LOINC}|8308-9`, description: 'BodyHeight' },
    {
      path: `Observation/$lastn?category=${SCT}|275711006&_include=Observation:related-target&_include=Observation:specimen`,
      description: 'LaboratoryTestResult',
    },
    { path: `Procedure?category=${SCT}|387713003`, description: 'Procedure' },
    {
      path: 'Encounter?class=http://hl7.org/fhir/v3/ActCode|IMP,http://hl7.org/fhir/v3/ActCode|ACUTE,http://hl7.org/fhir/v3/ActCode|NONAC',
      description: 'Encounter',
    },
    { path: 'ProcedureRequest?status=active', description: 'PlannedProcedure' },
    { path: 'ImmunizationRecommendation', description: 'PlannedImmunization' },
    { path: 'Appointment?status=booked,pending,proposed', description: 'PlannedEncounter' },
    { path: 'DeviceRequest?status=active&_include=DeviceRequest:device', description: 'PlannedMedicalDevice' },
  ],
  // A PGO also reads the Patient of the narrower gegevensdiensten, for the header it shows above the data.
  medicatie: [
    { path: 'Patient', description: 'Patient' },
    { path: `MedicationRequest?category=${SCT}|16076005&_include=MedicationRequest:medication`, description: 'MedicationAgreement' },
    { path: `MedicationDispense?category=${SCT}|422037009&_include=MedicationDispense:medication`, description: 'Dispense' },
    {
      path: 'MedicationStatement?category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3|6&_include=MedicationStatement:medication',
      description: 'MedicationUse',
    },
  ],
  lab: [
    { path: 'Patient', description: 'Patient' },
    { path: `Observation?category=${SCT}|49581000146104`, description: 'LaboratoryTestResult' },
  ],
  'vitale-functies': [
    { path: 'Patient', description: 'Patient' },
    { path: 'Observation?category=http://hl7.org/fhir/observation-category|vital-signs', description: 'VitalSigns' },
    { path: `Observation?code=${LOINC}|85354-9`, description: 'BloodPressure' },
    { path: `Observation?code=${LOINC}|29463-7`, description: 'BodyWeight' },
    { path: `Observation?code=${LOINC}|8302-2`, description: 'BodyHeight' },
    { path: `Observation?code=${LOINC}|8867-4`, description: 'HeartRate' },
  ],
  // Nictiz's scripts also limit two of these by date: current medication (periodofuse=ge<today>) and results of
  // the last 14 months (date=ge<today - 14 months>). Sandbox choice: paths here are fixed strings, so the PGO
  // asks for the whole record; the DVZA answers both parameters (apps/dvza/src/fhir/search.ts).
  huisartsgegevens: [
    { path: 'Patient?_include=Patient:general-practitioner', description: 'Patient' },
    { path: 'EpisodeOfCare', description: 'Episodes' },
    { path: `MedicationRequest?category=${SCT}|16076005&_include=MedicationRequest:medication`, description: 'CurrentMedication' },
    { path: 'AllergyIntolerance?category=medication', description: 'MedicationIntolerance' },
    {
      path: `Observation?code=${NHG_45}|&_include=Observation:related-target&_include=Observation:specimen`,
      description: 'DiagnosticAndLabResults',
    },
    { path: `Composition?type=${LOINC}|67781-5`, description: 'SOAPEntries' },
    { path: 'Encounter', description: 'Encounters' },
  ],
  ggz: [
    { path: 'Patient?_include=Patient:general-practitioner', description: 'Patient' },
    { path: 'Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization', description: 'Payer' },
    { path: `Consent?category=${SCT}|11291000146105`, description: 'TreatmentDirective' },
    { path: `Consent?category=${SCT}|11341000146107`, description: 'AdvanceDirective' },
    { path: `Observation?category=${SCT}|118228005,${SCT}|384821006`, description: 'FunctionalOrMentalStatus' },
    { path: 'Condition', description: 'Problem' },
    { path: `Observation?code=${SCT}|228366006`, description: 'DrugUse' },
    { path: `Observation?code=${SCT}|228273003`, description: 'AlcoholUse' },
    { path: `Observation?code=${SCT}|365980008`, description: 'TobaccoUse' },
    { path: `Observation/$lastn?code=${SCT}|365508006`, description: 'LivingSituation' },
    { path: `Observation?code=${SCT}|365470003`, description: 'FamilySituation' },
    { path: `Observation?code=${SCT}|314845004`, description: 'ParticipationInSociety' },
    { path: `CarePlan?category=${SCT}|243114000`, description: 'HelpFromOthers' },
    {
      path: `Observation/$lastn?category=${SCT}|275711006&_include=Observation:related-target&_include=Observation:specimen`,
      description: 'LaboratoryTestResult',
    },
    { path: 'Observation?category=http://hl7.org/fhir/observation-category|survey', description: 'GeneralMeasurement' },
    { path: 'Procedure', description: 'Procedure' },
    { path: 'DiagnosticReport', description: 'TextResult' },
    { path: 'CareTeam?_include=CareTeam:participant', description: 'CareTeam' },
  ],
};

type Concept = { coding?: { system?: string; code?: string }[] };

function hasCategory(resource: FhirResource, system: string, code: string): boolean {
  // Most types have a list of categories, Procedure one.
  const categories = [resource.category ?? []].flat() as Concept[];
  return categories.some((c) => c.coding?.some((x) => x.system === system && x.code === code));
}

const hasProfile = (r: FhirResource, profiles: readonly string[]) => r.meta.profile.some((p) => profiles.includes(p));

const GP_PART_PROFILES = [PROFILE.episodeOfCare, PROFILE.gpEncounter, PROFILE.gpJournalEntry, PROFILE.gpDiagnosticResult, PROFILE.gpEncounterReport];
const GGZ_PART_PROFILES = [
  PROFILE.careTeam,
  PROFILE.helpFromOthers,
  PROFILE.generalMeasurement,
  PROFILE.textResult,
  PROFILE.familySituation,
  PROFILE.participationInSociety,
];

/** An episode's diagnosis: the GP codes it in ICPC, the BgZ's problems are SNOMED CT. */
function isIcpcCondition(r: FhirResource): boolean {
  return r.resourceType === 'Condition' && ((r.code as Concept | undefined)?.coding ?? []).some((c) => c.system === SYSTEM.icpc);
}

/** A resource of the Huisartsgegevens part (dossier/huisartsgegevens.ts). */
export function isHuisartsgegevensResource(r: FhirResource): boolean {
  return hasProfile(r, GP_PART_PROFILES) || isIcpcCondition(r);
}

/** A resource of the Basisgegevens GGZ part (dossier/basisgegevens-ggz.ts); its own diagnosis, if it had to make one, is a Problem like any. */
export function isGgzResource(r: FhirResource): boolean {
  return hasProfile(r, GGZ_PART_PROFILES) || (r.resourceType === 'Procedure' && hasCategory(r, SYSTEM.snomed, MENTAL_HEALTH_EVALUATION.code));
}

export function isLabObservation(r: FhirResource): boolean {
  return r.resourceType === 'Observation' && LAB_CATEGORIES.some((c) => hasCategory(r, SYSTEM.snomed, c.code));
}

export function isVitalSignObservation(r: FhirResource): boolean {
  return r.resourceType === 'Observation' && hasCategory(r, SYSTEM.observationCategory, 'vital-signs');
}

/**
 * The resources a gegevensdienst is *about* (its "content"), without what they refer to. Huisartsgegevens and
 * Basisgegevens GGZ serve their own part and those of the record's zibs their searches ask for; the BgZ is the
 * record without those two parts.
 */
const CONTENT: Record<GegevensdienstKey, (r: FhirResource) => boolean> = {
  bgz: (r) => r.resourceType !== 'Patient' && !isHuisartsgegevensResource(r) && !isGgzResource(r),
  medicatie: (r) => ['MedicationRequest', 'MedicationDispense', 'MedicationStatement'].includes(r.resourceType),
  lab: isLabObservation,
  'vitale-functies': isVitalSignObservation,
  // Episodes, consults, journal lines, results and reports; the medication agreements (the PGO asks for those in use) and medicine intolerances.
  huisartsgegevens: (r) =>
    hasProfile(r, GP_PART_PROFILES) ||
    (r.resourceType === 'MedicationRequest' && hasCategory(r, SYSTEM.snomed, '16076005')) ||
    (r.resourceType === 'AllergyIntolerance' && ((r.category ?? []) as string[]).includes('medication')),
  // The GGZ's part, and the record's Payer, directives, problems (not a GP's episodes), procedures and lab results.
  ggz: (r) =>
    isGgzResource(r) ||
    ['Coverage', 'Consent', 'Procedure'].includes(r.resourceType) ||
    (r.resourceType === 'Condition' && !isIcpcCondition(r)) ||
    isLabObservation(r),
};

function isKey(key: string | undefined): key is GegevensdienstKey {
  return key !== undefined && Object.hasOwn(CONTENT, key);
}

/** What this package knows of a gegevensdienst by its key (undefined for one it generates no data for). */
export function gegevensdienstContent(key: string | undefined): (typeof GEGEVENSDIENST_CONTENT)[GegevensdienstKey] | undefined {
  return isKey(key) ? GEGEVENSDIENST_CONTENT[key] : undefined;
}

/** A PGO's searches for a gegevensdienst, by key ([] for one this package does not know). */
export function gegevensdienstQueries(key: string | undefined): { path: string; description: string }[] {
  return isKey(key) ? GEGEVENSDIENST_QUERIES[key] : [];
}

/**
 * The part of a dossier one gegevensdienst delivers: the Patient, the gegevensdienst's own resources, and
 * every resource those refer to (transitively: Medication for a MedicationRequest, Specimen for a lab
 * result, the GP and organisation of the Patient), so the set has no dangling references. Dossier order.
 *
 * Returns [] when the provider holds no data for this gegevensdienst for this persona (the persona's
 * provider entry does not list it, as for the 'no-data-for-gegevensdienst' persona), or for an id this
 * package does not know.
 */
export function resourcesForGegevensdienst(dossier: Dossier, gegevensdienstId: string): FhirResource[] {
  const key = dossier.keys[gegevensdienstId];
  const isContent = isKey(key) ? CONTENT[key] : undefined;
  const entry = dossier.persona.providers.find((p) => p.providerId === dossier.providerId);
  if (!isContent || !entry?.gegevensdiensten.includes(gegevensdienstId)) return [];
  const content = dossier.resources.filter(isContent);
  if (content.length === 0) return [];
  const byRef = new Map(dossier.resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const chosen = new Set<FhirResource>();
  const include = (r: FhirResource) => {
    if (chosen.has(r)) return;
    chosen.add(r);
    for (const ref of referencesIn(r)) {
      const target = byRef.get(ref);
      if (target) include(target);
    }
  };
  for (const r of dossier.resources.filter((r) => r.resourceType === 'Patient')) include(r);
  for (const r of content) include(r);
  return dossier.resources.filter((r) => chosen.has(r));
}

export interface FhirBundle {
  resourceType: 'Bundle';
  id: string;
  identifier: { system: string; value: string };
  type: 'collection';
  entry?: { resource: FhirResource }[];
}

/**
 * A dossier (or one gegevensdienst of it) as a FHIR Bundle of type 'collection', for export. References
 * inside are relative (`Patient/<id>`) and resolve within the Bundle; the Bundle identifier names the DVZA.
 */
export function dossierBundle(dossier: Dossier, gegevensdienstId?: string): FhirBundle {
  const resources = gegevensdienstId === undefined ? dossier.resources : resourcesForGegevensdienst(dossier, gegevensdienstId);
  const patient = dossier.resources.find((r) => r.resourceType === 'Patient');
  const suffix = gegevensdienstId === undefined ? '' : `-gd${gegevensdienstId}`;
  return {
    resourceType: 'Bundle',
    id: `dossier-${patient?.id ?? dossier.persona.key}${suffix}`.slice(0, 64),
    identifier: { system: 'urn:medmij-sandbox:dvza', value: dossier.providerId },
    type: 'collection',
    // FHIR JSON has no empty arrays: an empty Bundle has no `entry`.
    ...(resources.length > 0 ? { entry: resources.map((resource) => ({ resource })) } : {}),
  };
}
