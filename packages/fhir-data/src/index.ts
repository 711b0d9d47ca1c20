/**
 * @medmij-sandbox/fhir-data: deterministic synthetic patients (personas) and their FHIR STU3 dossiers.
 * Same (seed, referenceDate, providers) → byte-identical output; nothing here reads a clock.
 *
 * The JSON-schema validator lives in ./fhir-schema.ts and is deliberately not exported here: it needs
 * ajv, a devDependency, and only tests (and the CLI's --validate) load it.
 */
export type { Dossier, GegevensdienstKey, Persona, PersonaSetOptions, ProviderRef } from './types.js';
export type { FhirResource, Coding, CodeableConcept, Reference } from './fhir.js';
export { referencesIn } from './fhir.js';
export { generatePersonas, findPersonaByBsn, PERSONA_KEYS } from './personas.js';
export { isValidBsn, drawTestBsn, TEST_BSN_PREFIX } from './bsn.js';
export { BSN_SYSTEMS, DATA_ABSENT_REASON, bsnValuePaths, isMaskedBsn, maskBsn, maskedValue } from './bsn-mask.js';
export { generateDossier } from './dossier.js';
export {
  GEGEVENSDIENST_CONTENT,
  GEGEVENSDIENST_QUERIES,
  BGZ_TYPES_WITHOUT_DATA,
  resourcesForGegevensdienst,
  gegevensdienstContent,
  gegevensdienstQueries,
  dossierBundle,
  isLabObservation,
  isVitalSignObservation,
  isHuisartsgegevensResource,
  isGgzResource,
  type FhirBundle,
} from './gegevensdiensten.js';
export { referenceAge, subtractYears, addDays } from './dates.js';
export { BGZ_EMITTED_RESOURCE_TYPES, EMITTED_RESOURCE_TYPES } from './resource-types.js';
export { providersOf, personaSetOf } from './topology.js';
