/**
 * The words a person reads for FHIR codes in the dossier: clinical status of a problem, criticality and
 * category of an allergy, gender, the class of an encounter (contact), the status of an item, and so on,
 * as Dutch/English pairs. Plain data, apart from the sections that use it, so a translation is fixed in
 * one place; a code without an entry is shown as it came.
 */
import { t } from '@medmij-sandbox/ui/i18n';

type Terms = Record<string, [string, string]>;

export const CLINICAL_STATUS: Terms = {
  active: ['actief', 'active'],
  recurrence: ['teruggekeerd', 'recurrence'],
  inactive: ['niet actief', 'inactive'],
  remission: ['in remissie', 'in remission'],
  resolved: ['genezen', 'resolved'],
};
export const CRITICALITY: Terms = {
  low: ['laag risico', 'low risk'],
  high: ['hoog risico', 'high risk'],
  'unable-to-assess': ['niet te beoordelen', 'unable to assess'],
};
export const ALLERGY_CATEGORY: Terms = {
  food: ['voedsel', 'food'],
  medication: ['geneesmiddel', 'medication'],
  environment: ['omgeving', 'environment'],
  biologic: ['biologisch', 'biologic'],
};
export const SEVERITY: Terms = {
  mild: ['licht', 'mild'],
  moderate: ['matig', 'moderate'],
  severe: ['ernstig', 'severe'],
};
export const GENDER: Terms = {
  female: ['vrouw', 'female'],
  male: ['man', 'male'],
  other: ['anders', 'other'],
  unknown: ['onbekend', 'unknown'],
};
export const ENCOUNTER_CLASS: Terms = {
  AMB: ['poliklinisch / spreekuur', 'outpatient'],
  IMP: ['opname', 'inpatient'],
  ACUTE: ['acute opname', 'acute inpatient'],
  NONAC: ['geplande opname', 'non-acute inpatient'],
  EMER: ['spoedeisende hulp', 'emergency'],
  HH: ['thuis', 'home'],
  VR: ['op afstand', 'virtual'],
  FLD: ['op locatie', 'field'],
  SS: ['dagbehandeling', 'day care'],
};
export const STATUS: Terms = {
  active: ['actief', 'active'],
  completed: ['afgerond', 'completed'],
  finished: ['afgerond', 'finished'],
  stopped: ['gestopt', 'stopped'],
  'on-hold': ['onderbroken', 'on hold'],
  cancelled: ['geannuleerd', 'cancelled'],
  'entered-in-error': ['foutief ingevoerd', 'entered in error'],
  inactive: ['niet actief', 'inactive'],
  draft: ['concept', 'draft'],
  intended: ['voorgenomen', 'intended'],
  'in-progress': ['bezig', 'in progress'],
  preparation: ['in voorbereiding', 'preparation'],
  proposed: ['voorgesteld', 'proposed'],
  rejected: ['afgewezen', 'rejected'],
  unknown: ['onbekend', 'unknown'],
};

/** MedicationStatement.taken: did the patient take it. */
export const TAKEN: Terms = {
  y: ['ja', 'yes'],
  n: ['nee', 'no'],
  unk: ['onbekend', 'unknown'],
  na: ['n.v.t.', 'n/a'],
};

/** The term for a code in the UI language; the code itself when the table has no entry. */
export function translated(map: Terms, code: string | undefined): string {
  if (!code) return '';
  const p = map[code];
  return p ? t(...p) : code;
}
