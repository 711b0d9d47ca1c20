/**
 * The clinical picture behind each persona: which problems, allergies, medicines, measurements and
 * events its dossiers hold. The dossier generator draws the details (dates, values, subsets) from these.
 */
import type { AllergenKey, ConditionKey, DeviceKey, LabPanelKey, LabTestKey, ProcedureKey } from './codes.js';
import type { MedicineKey } from './medicine-codes.js';

export interface ClinicalProfile {
  /** Chronic problems every provider's record starts from. */
  chronic: ConditionKey[];
  /** Extra chronic problems: `count` drawn from `pool` (once per persona). */
  chronicPool?: { pool: ConditionKey[]; count: [number, number] };
  /** Resolved episodes, drawn per provider. */
  episodes?: { pool: ConditionKey[]; count: [number, number] };
  allergies?: { pool: AllergenKey[]; count: [number, number]; mustInclude?: AllergenKey[] };
  /** Medicines beyond those that follow from the problems. */
  extraMedicines?: MedicineKey[];
  vaccinations: 'child' | 'adult' | 'elderly';
  labPanels: LabPanelKey[];
  /** Panels measured at every lab round; the others come and go. */
  labPanelsEveryRound?: LabPanelKey[];
  labRounds: [number, number];
  vitalRounds: [number, number];
  procedures?: { pool: ProcedureKey[]; count: [number, number] };
  devices?: DeviceKey[];
  alerts?: ('fallRisk' | 'mrsaCarrier' | 'allergicDisposition')[];
  directives?: boolean;
  contact: 'parent' | 'partner' | 'child';
  /** Body mass index range, for weights. */
  bmi: [number, number];
  /** Lab results that differ from a healthy adult's: mean and spread. */
  labShift?: Partial<Record<LabTestKey, { mean: number; sd: number }>>;
  /** Blood pressure: systolic/diastolic means. */
  bloodPressure: [number, number];
  heartRate: number;
}

/** Medicines that follow from a problem. */
export const MEDICINES_FOR: Partial<Record<ConditionKey, MedicineKey[]>> = {
  diabetesType2: ['metformin', 'gliclazide'],
  hypertension: ['lisinopril', 'amlodipine'],
  asthma: ['salbutamol', 'fluticasone'],
  copd: ['tiotropium', 'salbutamol'],
  atrialFibrillation: ['apixaban', 'metoprolol'],
  heartFailure: ['furosemide', 'metoprolol'],
  osteoarthritis: ['paracetamol'],
  osteoporosis: ['alendronate', 'calciumVitaminD'],
  hyperlipidaemia: ['simvastatin'],
  hypothyroidism: ['levothyroxine'],
  gord: ['omeprazole'],
  depression: ['sertraline'],
  anxiety: ['sertraline', 'oxazepam'],
  ptsd: ['sertraline', 'quetiapine'],
  eczema: ['hydrocortisoneCream'],
  allergicRhinitis: ['cetirizine'],
  adhd: ['methylphenidate'],
  migraine: ['paracetamol'],
  lungCancer: ['paracetamol', 'metoclopramide', 'macrogol'],
};

export const MENTAL_HEALTH_CONDITIONS: ConditionKey[] = ['depression', 'anxiety', 'ptsd', 'adhd'];

const ADULT_EPISODES: ConditionKey[] = ['pneumonia', 'urinaryTractInfection', 'appendicitis', 'cholelithiasis', 'fracture', 'anaemia'];

const PROFILES: Record<string, ClinicalProfile> = {
  'volwassene-meerdere-zorgaanbieders': {
    chronic: [],
    chronicPool: { pool: ['hypertension', 'migraine', 'hypothyroidism', 'gord', 'asthma', 'allergicRhinitis'], count: [1, 2] },
    episodes: { pool: ADULT_EPISODES, count: [0, 2] },
    allergies: { pool: ['penicillin', 'grassPollen', 'houseDustMite', 'peanut'], count: [0, 1] },
    vaccinations: 'adult',
    labPanels: ['bloodCount', 'kidney', 'lipids', 'thyroid'],
    labPanelsEveryRound: ['bloodCount'],
    labRounds: [2, 4],
    vitalRounds: [3, 6],
    procedures: { pool: ['appendectomy', 'laparoscopicCholecystectomy', 'colonoscopy'], count: [1, 1] },
    contact: 'partner',
    bmi: [21, 28],
    bloodPressure: [126, 80],
    heartRate: 72,
  },
  'jongere-15-jaar': {
    chronic: ['asthma'],
    chronicPool: { pool: ['eczema', 'allergicRhinitis'], count: [1, 1] },
    episodes: { pool: ['otitisMedia', 'fracture'], count: [0, 1] },
    allergies: { pool: ['grassPollen', 'houseDustMite'], count: [1, 1] },
    vaccinations: 'child',
    labPanels: ['bloodCount'],
    labRounds: [1, 1],
    vitalRounds: [4, 6],
    procedures: { pool: ['tonsillectomy'], count: [0, 1] },
    contact: 'parent',
    bmi: [17, 21],
    bloodPressure: [110, 66],
    heartRate: 80,
  },
  'wordt-vandaag-16': {
    chronic: [],
    chronicPool: { pool: ['adhd', 'eczema', 'migraine', 'asthma'], count: [1, 1] },
    episodes: { pool: ['otitisMedia', 'fracture'], count: [0, 1] },
    allergies: { pool: ['peanut', 'egg', 'cowsMilk'], count: [0, 1] },
    vaccinations: 'child',
    labPanels: ['bloodCount', 'thyroid'],
    labRounds: [1, 2],
    vitalRounds: [3, 5],
    contact: 'parent',
    bmi: [18, 22],
    bloodPressure: [112, 68],
    heartRate: 78,
  },
  'onbekend-bij-zorgaanbieders': {
    chronic: [],
    vaccinations: 'adult',
    labPanels: [],
    labRounds: [0, 0],
    vitalRounds: [0, 0],
    contact: 'partner',
    bmi: [20, 27],
    bloodPressure: [124, 80],
    heartRate: 70,
  },
  'geen-gegevens-voor-gegevensdienst': {
    chronic: [],
    chronicPool: { pool: ['hypertension', 'hyperlipidaemia', 'gord'], count: [1, 2] },
    episodes: { pool: ADULT_EPISODES, count: [1, 2] },
    vaccinations: 'adult',
    labPanels: ['bloodCount', 'kidney'],
    labRounds: [1, 3],
    vitalRounds: [2, 4],
    procedures: { pool: ['colonoscopy', 'laparoscopicCholecystectomy'], count: [1, 1] },
    contact: 'partner',
    bmi: [22, 29],
    bloodPressure: [134, 84],
    heartRate: 74,
  },
  overleden: {
    chronic: ['copd', 'heartFailure'],
    chronicPool: { pool: ['lungCancer', 'chronicKidneyDisease', 'diabetesType2'], count: [1, 1] },
    episodes: { pool: ['pneumonia', 'urinaryTractInfection'], count: [1, 2] },
    vaccinations: 'elderly',
    labPanels: ['bloodCount', 'kidney', 'inflammation'],
    labPanelsEveryRound: ['kidney'],
    labRounds: [3, 5],
    vitalRounds: [4, 7],
    procedures: { pool: ['pci', 'pacemakerImplantation'], count: [1, 1] },
    alerts: ['mrsaCarrier'],
    directives: true,
    contact: 'child',
    bmi: [19, 25],
    labShift: { egfr: { mean: 48, sd: 8 }, creatinine: { mean: 120, sd: 15 }, crp: { mean: 28, sd: 12 }, haemoglobin: { mean: 7.4, sd: 0.5 } },
    bloodPressure: [132, 76],
    heartRate: 88,
  },
  'oudere-polyfarmacie': {
    // The problems alone give at least 11 medicines: the polypharmacy is structural, not luck.
    chronic: ['diabetesType2', 'hypertension', 'atrialFibrillation', 'osteoarthritis', 'osteoporosis', 'hyperlipidaemia', 'gord'],
    chronicPool: { pool: ['heartFailure', 'copd', 'hypothyroidism'], count: [1, 1] },
    episodes: { pool: ['pneumonia', 'urinaryTractInfection', 'fracture'], count: [0, 1] },
    allergies: { pool: ['penicillin', 'acetylsalicylicAcid'], count: [0, 1] },
    vaccinations: 'elderly',
    labPanels: ['kidney', 'diabetes', 'bloodCount', 'lipids'],
    labPanelsEveryRound: ['kidney', 'diabetes'],
    labRounds: [3, 6],
    vitalRounds: [4, 8],
    procedures: { pool: ['cataractExtraction', 'hipReplacement', 'kneeReplacement'], count: [1, 1] },
    devices: ['hearingAid', 'walkingStick'],
    alerts: ['fallRisk'],
    directives: true,
    contact: 'child',
    bmi: [23, 29],
    labShift: { egfr: { mean: 52, sd: 8 }, creatinine: { mean: 108, sd: 12 }, hba1c: { mean: 54, sd: 5 }, glucose: { mean: 7.6, sd: 1.2 } },
    bloodPressure: [142, 78],
    heartRate: 76,
  },
  'volwassene-allergieen': {
    chronic: ['allergicRhinitis'],
    chronicPool: { pool: ['asthma', 'eczema'], count: [0, 1] },
    allergies: { pool: ['ibuprofen', 'peanut', 'egg', 'houseDustMite', 'latex', 'grassPollen'], count: [3, 4], mustInclude: ['penicillin'] },
    vaccinations: 'adult',
    labPanels: ['bloodCount', 'inflammation'],
    labRounds: [1, 2],
    vitalRounds: [2, 4],
    alerts: ['allergicDisposition'],
    contact: 'partner',
    bmi: [20, 26],
    bloodPressure: [118, 76],
    heartRate: 70,
  },
  'volwassene-diabetes': {
    chronic: ['diabetesType2', 'hypertension', 'hyperlipidaemia'],
    episodes: { pool: ['urinaryTractInfection', 'pneumonia'], count: [0, 1] },
    vaccinations: 'adult',
    labPanels: ['diabetes', 'kidney', 'lipids', 'liver'],
    labPanelsEveryRound: ['diabetes'],
    labRounds: [5, 8],
    vitalRounds: [6, 10],
    procedures: { pool: ['colonoscopy'], count: [0, 1] },
    devices: ['glucoseMeter'],
    contact: 'partner',
    bmi: [28, 34],
    labShift: { hba1c: { mean: 58, sd: 7 }, glucose: { mean: 8.6, sd: 1.4 }, ldl: { mean: 2.6, sd: 0.5 } },
    bloodPressure: [146, 90],
    heartRate: 76,
  },
  'volwassene-ggz': {
    chronic: [],
    chronicPool: { pool: ['depression', 'anxiety', 'ptsd'], count: [1, 1] },
    vaccinations: 'adult',
    labPanels: ['bloodCount', 'liver', 'lipids'],
    labRounds: [1, 2],
    vitalRounds: [3, 6],
    contact: 'partner',
    bmi: [20, 30],
    bloodPressure: [122, 78],
    heartRate: 76,
  },
};

/** Personas made outside generatePersonas (unknown key) get an ordinary adult's record. */
export function profileFor(personaKey: string): ClinicalProfile {
  return PROFILES[personaKey] ?? PROFILES['volwassene-meerdere-zorgaanbieders']!;
}
