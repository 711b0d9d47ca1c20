/**
 * The FHIR STU3 resource types the dossier generator emits. scripts/vendor-stu3-schema.ts keeps only
 * the schema definitions reachable from these (plus Bundle and OperationOutcome), so the vendored schema
 * stays small; a test checks that every generated resource has its type listed here.
 */

/** The types of the BgZ part of a dossier (and of the medication, lab and vital-signs parts inside it). */
export const BGZ_EMITTED_RESOURCE_TYPES = [
  'Patient',
  'Practitioner',
  'Organization',
  'RelatedPerson',
  'Coverage',
  'Consent',
  'Condition',
  'AllergyIntolerance',
  'Flag',
  'MedicationStatement',
  'MedicationRequest',
  'MedicationDispense',
  'Medication',
  'Observation',
  'Specimen',
  'Procedure',
  'Encounter',
  'Immunization',
  'DeviceUseStatement',
  'Device',
] as const;

/** The BgZ's types, and those only Huisartsgegevens (49) and Basisgegevens GGZ (50) have. */
export const EMITTED_RESOURCE_TYPES = [...BGZ_EMITTED_RESOURCE_TYPES, 'EpisodeOfCare', 'Composition', 'CareTeam', 'CarePlan', 'DiagnosticReport'] as const;

export type EmittedResourceType = (typeof EMITTED_RESOURCE_TYPES)[number];

/** Resource types the sandbox sends that the generator does not emit: search results and errors. */
export const ENVELOPE_RESOURCE_TYPES = ['Bundle', 'OperationOutcome'] as const;
