/**
 * Curated code tables: a few real, well-known codes with Dutch display names, from which the seeded
 * random picks. SNOMED CT for problems, allergens, procedures and devices; LOINC + UCUM for lab and vital
 * signs; WHO ATC for vaccines. The medicines (ATC, G-Standaard) are in medicine-codes.ts.
 */

export interface Code {
  code: string;
  display: string;
}

// ---- problems (zib-Problem, SNOMED CT) -------------------------------------------------------------
export const CONDITIONS = {
  diabetesType2: { code: '44054006', display: 'Diabetes mellitus type 2' },
  hypertension: { code: '38341003', display: 'Hypertensie' },
  asthma: { code: '195967001', display: 'Astma' },
  copd: { code: '13645005', display: 'Chronische obstructieve longziekte (COPD)' },
  atrialFibrillation: { code: '49436004', display: 'Atriumfibrilleren' },
  heartFailure: { code: '84114007', display: 'Hartfalen' },
  osteoarthritis: { code: '396275006', display: 'Artrose' },
  osteoporosis: { code: '64859006', display: 'Osteoporose' },
  hyperlipidaemia: { code: '55822004', display: 'Hyperlipidemie' },
  hypothyroidism: { code: '40930008', display: 'Hypothyreoïdie' },
  gord: { code: '235595009', display: 'Gastro-oesofageale refluxziekte' },
  chronicKidneyDisease: { code: '709044004', display: 'Chronische nierschade' },
  lungCancer: { code: '363358000', display: 'Maligne tumor van long' },
  migraine: { code: '37796009', display: 'Migraine' },
  eczema: { code: '43116000', display: 'Eczeem' },
  allergicRhinitis: { code: '61582004', display: 'Allergische rinitis' },
  adhd: { code: '406506008', display: 'Aandachtstekortstoornis met hyperactiviteit (ADHD)' },
  depression: { code: '35489007', display: 'Depressieve stoornis' },
  anxiety: { code: '197480006', display: 'Angststoornis' },
  ptsd: { code: '47505003', display: 'Posttraumatische stressstoornis' },
  otitisMedia: { code: '65363002', display: 'Otitis media' },
  pneumonia: { code: '233604007', display: 'Pneumonie' },
  urinaryTractInfection: { code: '68566005', display: 'Urineweginfectie' },
  appendicitis: { code: '74400008', display: 'Appendicitis' },
  cholelithiasis: { code: '235919008', display: 'Cholelithiasis' },
  fracture: { code: '125605004', display: 'Fractuur van bot' },
  anaemia: { code: '271737000', display: 'Anemie' },
} satisfies Record<string, Code>;

export type ConditionKey = keyof typeof CONDITIONS;

/** zib-Problem ProblemType 'Diagnose'. */
export const PROBLEM_CATEGORY: Code = { code: '439401001', display: 'Diagnose' };

// ---- allergies (zib-AllergyIntolerance: the causative agent, SNOMED CT substance) -------------------
export interface Allergen extends Code {
  category: 'food' | 'medication' | 'environment' | 'biologic';
}
export const ALLERGENS = {
  penicillin: { code: '373270004', display: 'Penicilline', category: 'medication' },
  ibuprofen: { code: '387207008', display: 'Ibuprofen', category: 'medication' },
  acetylsalicylicAcid: { code: '387458008', display: 'Acetylsalicylzuur', category: 'medication' },
  peanut: { code: '762952008', display: 'Pinda', category: 'food' },
  egg: { code: '102263004', display: 'Kippenei', category: 'food' },
  cowsMilk: { code: '3718001', display: 'Koemelk', category: 'food' },
  grassPollen: { code: '256277009', display: 'Graspollen', category: 'environment' },
  houseDustMite: { code: '260147004', display: 'Huisstofmijt', category: 'environment' },
  latex: { code: '111088007', display: 'Latex', category: 'environment' },
} satisfies Record<string, Allergen>;

export type AllergenKey = keyof typeof ALLERGENS;

export const REACTIONS: Code[] = [
  { code: '271807003', display: 'Huiduitslag' },
  { code: '126485001', display: 'Urticaria' },
  { code: '418290006', display: 'Jeuk' },
  { code: '267036007', display: 'Kortademigheid' },
  { code: '70076002', display: 'Rinitis' },
  { code: '39579001', display: 'Anafylaxie' },
];

// ---- alerts (zib-Alert) ------------------------------------------------------------------------------
export const ALERT_CATEGORY: Code = { code: '74018-3', display: 'Alert [type] in ^patiënt' }; // LOINC
export const ALERTS = {
  fallRisk: { code: '129839007', display: 'Verhoogd valrisico' },
  mrsaCarrier: { code: '432415000', display: 'Drager van meticillineresistente Staphylococcus aureus (MRSA)' },
  allergicDisposition: { code: '609328004', display: 'Allergische aanleg' },
} satisfies Record<string, Code>;

// ---- procedures (zib-Procedure, category 387713003 'chirurgische verrichting') ----------------------
export const PROCEDURE_CATEGORY: Code = { code: '387713003', display: 'Chirurgische verrichting' };
export const PROCEDURES = {
  appendectomy: { code: '80146002', display: 'Appendectomie' },
  laparoscopicCholecystectomy: { code: '45595009', display: 'Laparoscopische cholecystectomie' },
  colonoscopy: { code: '73761001', display: 'Coloscopie' },
  kneeReplacement: { code: '609588000', display: 'Totale knieprothese' },
  hipReplacement: { code: '52734007', display: 'Totale heupprothese' },
  tonsillectomy: { code: '173422009', display: 'Tonsillectomie' },
  cataractExtraction: { code: '54885007', display: 'Staaroperatie' },
  pci: { code: '415070008', display: 'Percutane coronaire interventie' },
  pacemakerImplantation: { code: '307280005', display: 'Implantatie van pacemaker' },
} satisfies Record<string, Code>;

export type ProcedureKey = keyof typeof PROCEDURES;

// ---- medical devices (zib-MedicalDevice-Product) -----------------------------------------------------
export const DEVICES = {
  hearingAid: { code: '6012004', display: 'Hoortoestel' },
  pacemaker: { code: '14106009', display: 'Pacemaker' },
  glucoseMeter: { code: '337414009', display: 'Bloedglucosemeter' },
  walkingStick: { code: '87405001', display: 'Wandelstok' },
} satisfies Record<string, Code>;

export type DeviceKey = keyof typeof DEVICES;

// ---- vaccinations (zib-Vaccination, ATC) -------------------------------------------------------------
export const VACCINES = {
  influenza: { code: 'J07BB02', display: 'Influenzavaccin' },
  covid19: { code: 'J07BX03', display: 'COVID-19-vaccin' },
  pneumococcal: { code: 'J07AL02', display: 'Pneumokokkenvaccin (geconjugeerd)' },
  dktp: { code: 'J07CA02', display: 'DKTP-vaccin (difterie, kinkhoest, tetanus, polio)' },
  bmr: { code: 'J07BD52', display: 'BMR-vaccin (bof, mazelen, rodehond)' },
  menAcwy: { code: 'J07AH08', display: 'Meningokokken ACWY-vaccin' },
  hpv: { code: 'J07BM02', display: 'HPV-vaccin' },
  dtBooster: { code: 'J07AM51', display: 'DTP-vaccin (difterie, tetanus)' },
} satisfies Record<string, Code>;

export type VaccineKey = keyof typeof VACCINES;

/** The Rijksvaccinatieprogramma shots a child has had, with the age (in years) they are given at. */
export const CHILDHOOD_SCHEDULE: { vaccine: VaccineKey; ageYears: number }[] = [
  { vaccine: 'dktp', ageYears: 4 },
  { vaccine: 'bmr', ageYears: 1.2 },
  { vaccine: 'bmr', ageYears: 9 },
  { vaccine: 'dktp', ageYears: 9 },
  { vaccine: 'menAcwy', ageYears: 1.2 },
  { vaccine: 'hpv', ageYears: 10 },
  { vaccine: 'menAcwy', ageYears: 14 },
];

// ---- laboratory (zib-LaboratoryTestResult, LOINC + UCUM with Dutch (SI) units) -----------------------
export interface LabTest {
  loinc: string;
  display: string;
  unit: string;
  ucum: string;
  /** Reference range; a missing bound is open. Per gender where it differs. */
  low?: number | { male: number; female: number };
  high?: number | { male: number; female: number };
  /** Typical value for a healthy adult (mean) and its spread. */
  mean: number | { male: number; female: number };
  sd: number;
  decimals: number;
}

export const LAB_TESTS = {
  haemoglobin: {
    loinc: '59260-0',
    display: 'Hemoglobine [mol/volume] in bloed',
    unit: 'mmol/l',
    ucum: 'mmol/L',
    low: { male: 8.5, female: 7.5 },
    high: { male: 11.0, female: 10.0 },
    mean: { male: 9.4, female: 8.4 },
    sd: 0.5,
    decimals: 1,
  },
  leukocytes: {
    loinc: '6690-2',
    display: 'Leukocyten [#/volume] in bloed',
    unit: '10^9/l',
    ucum: '10*9/L',
    low: 4.0,
    high: 10.0,
    mean: 6.8,
    sd: 1.5,
    decimals: 1,
  },
  platelets: {
    loinc: '777-3',
    display: 'Trombocyten [#/volume] in bloed',
    unit: '10^9/l',
    ucum: '10*9/L',
    low: 150,
    high: 400,
    mean: 260,
    sd: 50,
    decimals: 0,
  },
  glucose: {
    loinc: '14749-6',
    display: 'Glucose [mol/volume] in serum of plasma',
    unit: 'mmol/l',
    ucum: 'mmol/L',
    low: 4.0,
    high: 6.1,
    mean: 5.2,
    sd: 0.5,
    decimals: 1,
  },
  hba1c: { loinc: '59261-8', display: 'HbA1c (IFCC) in bloed', unit: 'mmol/mol', ucum: 'mmol/mol', low: 20, high: 42, mean: 36, sd: 3, decimals: 0 },
  creatinine: {
    loinc: '14682-9',
    display: 'Kreatinine [mol/volume] in serum of plasma',
    unit: 'µmol/l',
    ucum: 'umol/L',
    low: { male: 60, female: 45 },
    high: { male: 110, female: 90 },
    mean: { male: 85, female: 68 },
    sd: 10,
    decimals: 0,
  },
  egfr: { loinc: '62238-1', display: 'eGFR (CKD-EPI)', unit: 'ml/min/1,73m²', ucum: 'mL/min/{1.73_m2}', low: 60, mean: 85, sd: 10, decimals: 0 },
  potassium: {
    loinc: '2823-3',
    display: 'Kalium [mol/volume] in serum of plasma',
    unit: 'mmol/l',
    ucum: 'mmol/L',
    low: 3.5,
    high: 5.0,
    mean: 4.2,
    sd: 0.3,
    decimals: 1,
  },
  sodium: {
    loinc: '2951-2',
    display: 'Natrium [mol/volume] in serum of plasma',
    unit: 'mmol/l',
    ucum: 'mmol/L',
    low: 135,
    high: 145,
    mean: 140,
    sd: 2,
    decimals: 0,
  },
  cholesterol: {
    loinc: '14647-2',
    display: 'Cholesterol [mol/volume] in serum of plasma',
    unit: 'mmol/l',
    ucum: 'mmol/L',
    high: 6.5,
    mean: 5.2,
    sd: 0.7,
    decimals: 1,
  },
  ldl: {
    loinc: '22748-8',
    display: 'LDL-cholesterol [mol/volume] in serum of plasma',
    unit: 'mmol/l',
    ucum: 'mmol/L',
    high: 3.0,
    mean: 2.9,
    sd: 0.6,
    decimals: 1,
  },
  crp: { loinc: '1988-5', display: 'C-reactief proteïne [massa/volume] in serum of plasma', unit: 'mg/l', ucum: 'mg/L', high: 10, mean: 3, sd: 2, decimals: 0 },
  tsh: {
    loinc: '3016-3',
    display: 'TSH [eenheden/volume] in serum of plasma',
    unit: 'mU/l',
    ucum: 'm[IU]/L',
    low: 0.4,
    high: 4.0,
    mean: 1.8,
    sd: 0.6,
    decimals: 2,
  },
  alt: {
    loinc: '1742-6',
    display: 'ALAT [enzymactiviteit/volume] in serum of plasma',
    unit: 'U/l',
    ucum: 'U/L',
    high: { male: 45, female: 35 },
    mean: { male: 25, female: 20 },
    sd: 6,
    decimals: 0,
  },
} satisfies Record<string, LabTest>;

export type LabTestKey = keyof typeof LAB_TESTS;

export const LAB_PANELS = {
  bloodCount: ['haemoglobin', 'leukocytes', 'platelets'],
  kidney: ['creatinine', 'egfr', 'potassium', 'sodium'],
  diabetes: ['glucose', 'hba1c'],
  lipids: ['cholesterol', 'ldl'],
  thyroid: ['tsh'],
  inflammation: ['crp', 'leukocytes'],
  liver: ['alt'],
} satisfies Record<string, LabTestKey[]>;

export type LabPanelKey = keyof typeof LAB_PANELS;

/** Both categories the MedMij searches use: BgZ (275711006) and Laboratoriumresultaten (49581000146104). */
export const LAB_CATEGORIES: Code[] = [
  { code: '275711006', display: 'Klinische chemie' },
  { code: '49581000146104', display: 'Laboratoriumuitslag' },
];

export const SPECIMEN_BLOOD: Code = { code: '119297000', display: 'Bloedmonster' };

// ---- vital signs --------------------------------------------------------------------------------------
export const VITALS = {
  bloodPressure: { loinc: '85354-9', display: 'Bloeddruk' },
  systolic: { loinc: '8480-6', display: 'Systolische bloeddruk' },
  diastolic: { loinc: '8462-4', display: 'Diastolische bloeddruk' },
  bodyWeight: { loinc: '29463-7', display: 'Lichaamsgewicht' },
  bodyHeight: { loinc: '8302-2', display: 'Lichaamslengte' },
  heartRate: { loinc: '8867-4', display: 'Hartfrequentie' },
} as const;

// ---- payers (zib-Payer) -------------------------------------------------------------------------------
/** Menzis 3332 is from a Nictiz fixture; Zilveren Kruis 3311 from the Vektis UZOVI register as remembered. */
export const INSURERS = [
  { uzovi: '3332', name: 'Menzis Zorgverzekeraar N.V.', city: 'Enschede' },
  { uzovi: '3311', name: 'Zilveren Kruis Zorgverzekeringen N.V.', city: 'Leusden' },
];

// ---- treatment and advance directives ------------------------------------------------------------------
export const TREATMENT_DIRECTIVE_CATEGORY: Code = { code: '11291000146105', display: 'Behandelaanwijzing' };
export const ADVANCE_DIRECTIVE_CATEGORY: Code = { code: '11341000146107', display: 'Wilsverklaring' };
export const TREATMENTS = {
  cpr: { code: '89666000', display: 'Reanimatie' },
  ventilation: { code: '40617009', display: 'Kunstmatige beademing' },
} satisfies Record<string, Code>;

// ---- contact persons ------------------------------------------------------------------------------------
export const RELATIONSHIPS = {
  mother: { code: 'MTH', display: 'Moeder' },
  father: { code: 'FTH', display: 'Vader' },
  daughter: { code: 'DAUC', display: 'Dochter' },
  son: { code: 'SONC', display: 'Zoon' },
  wife: { code: 'WIFE', display: 'Echtgenote' },
  husband: { code: 'HUSB', display: 'Echtgenoot' },
} satisfies Record<string, Code>;
