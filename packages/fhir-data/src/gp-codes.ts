/**
 * Codes of the Huisartsgegevens part (gegevensdienst 49): ICPC-1 NL for episodes, NHG Tabel 14 and 45 for
 * contacts and measurements, and short Dutch SOEP lines for a GP's journal. The systems and the NHG codes
 * below are those of Nictiz's MedMij qualification material for Huisartsgegevens 2.0 (GenPractData-2-0);
 * the ICPC codes are well-known ICPC-1 NL codes with shortened Dutch titles (sandbox choice: not checked
 * against the licensed NHG table), and the SOEP texts are the sandbox's own.
 */
import type { Code, ConditionKey } from './codes.js';

/** Each problem of a persona's picture as the GP codes the episode (ICPC-1 NL). */
export const ICPC_FOR: Record<ConditionKey, Code> = {
  diabetesType2: { code: 'T90.02', display: 'Diabetes mellitus type 2' },
  hypertension: { code: 'K86', display: 'Hypertensie zonder orgaanbeschadiging' },
  asthma: { code: 'R96', display: 'Astma' },
  copd: { code: 'R95', display: 'COPD' },
  atrialFibrillation: { code: 'K78', display: 'Boezemfibrilleren/-fladderen' },
  heartFailure: { code: 'K77', display: 'Decompensatio cordis' },
  osteoarthritis: { code: 'L91', display: 'Artrose' },
  osteoporosis: { code: 'L95', display: 'Osteoporose' },
  hyperlipidaemia: { code: 'T93', display: 'Vetstofwisselingsstoornis' },
  hypothyroidism: { code: 'T86', display: 'Hypothyreoïdie' },
  gord: { code: 'D84', display: 'Refluxziekte' },
  chronicKidneyDisease: { code: 'U99', display: 'Chronische nierschade' },
  lungCancer: { code: 'R84', display: 'Maligniteit bronchus/long' },
  migraine: { code: 'N89', display: 'Migraine' },
  eczema: { code: 'S87', display: 'Constitutioneel eczeem' },
  allergicRhinitis: { code: 'R97', display: 'Allergische rhinitis' },
  adhd: { code: 'P81', display: 'Hyperkinetisch syndroom (ADHD)' },
  depression: { code: 'P76', display: 'Depressie' },
  anxiety: { code: 'P74', display: 'Angststoornis' },
  ptsd: { code: 'P02', display: 'Posttraumatische stressstoornis' },
  otitisMedia: { code: 'H71', display: 'Otitis media acuta' },
  pneumonia: { code: 'R81', display: 'Pneumonie' },
  urinaryTractInfection: { code: 'U71', display: 'Cystitis/urineweginfectie' },
  appendicitis: { code: 'D88', display: 'Appendicitis' },
  cholelithiasis: { code: 'D98', display: 'Galstenen' },
  fracture: { code: 'L76', display: 'Fractuur' },
  anaemia: { code: 'B82', display: 'Anemie' },
};

/** A short GP episode: its ICPC code and the four SOEP lines of its contact. */
export interface GpComplaint {
  icpc: Code;
  soep: { S: string; O: string; E: string; P: string };
  /** Whether the GP takes the temperature at this contact. */
  fever?: boolean;
}

export const GP_COMPLAINTS = {
  cold: {
    icpc: { code: 'R74', display: 'Acute infectie bovenste luchtwegen' },
    soep: {
      S: 'Sinds vier dagen verkouden, keelpijn en droge hoest. Niet benauwd.',
      O: 'Keel licht rood, geen beslag. Longen: vesiculair ademgeruis, geen bijgeluiden.',
      E: 'Virale bovenste luchtweginfectie.',
      P: 'Uitleg over het natuurlijk beloop; paracetamol zo nodig. Terugkomen bij koorts langer dan drie dagen.',
    },
    fever: true,
  },
  bronchitis: {
    icpc: { code: 'R78', display: 'Acute bronchitis/bronchiolitis' },
    soep: {
      S: 'Twee weken hoesten met opgeven van slijm, sinds gisteren verhoging.',
      O: 'Enkele rhonchi over beide longvelden, geen crepitaties.',
      E: 'Acute bronchitis.',
      P: 'Geen antibiotica nodig. Controle bij toename van benauwdheid.',
    },
    fever: true,
  },
  lowBackPain: {
    icpc: { code: 'L03', display: 'Lage rugpijn zonder uitstraling' },
    soep: {
      S: 'Sinds drie dagen pijn laag in de rug na tillen, geen uitstraling naar de benen.',
      O: 'Paravertebrale spierspanning lumbaal, Lasègue negatief, geen neurologische uitval.',
      E: 'Aspecifieke lage rugpijn.',
      P: 'In beweging blijven, paracetamol zo nodig. Terugkomen als het na zes weken niet beter is.',
    },
  },
  gastroenteritis: {
    icpc: { code: 'D73', display: 'Gastro-enteritis' },
    soep: {
      S: 'Sinds twee dagen diarree en misselijkheid, drinkt voldoende.',
      O: 'Buik soepel, diffuus licht drukpijnlijk, geen défense. Niet gedehydreerd.',
      E: 'Gastro-enteritis, vermoedelijk viraal.',
      P: 'Voldoende drinken, ORS zo nodig. Terugkomen bij bloed bij de ontlasting.',
    },
    fever: true,
  },
  athletesFoot: {
    icpc: { code: 'S74.01', display: 'Tinea pedis' },
    soep: {
      S: 'Jeukende, schilferende huid tussen de tenen.',
      O: 'Maceratie en schilfering interdigitaal tussen dig. 4 en 5.',
      E: 'Tinea pedis.',
      P: 'Miconazolcrème twee keer per dag, vier weken doorgaan na genezing.',
    },
  },
  cystitis: {
    icpc: { code: 'U71', display: 'Cystitis/urineweginfectie' },
    soep: {
      S: 'Branderig gevoel bij het plassen en vaak kleine beetjes, geen koorts.',
      O: 'Urine: nitriet positief, leukocyten positief.',
      E: 'Ongecompliceerde urineweginfectie.',
      P: 'Nitrofurantoïne vijf dagen. Terugkomen als de klachten aanhouden.',
    },
    fever: true,
  },
  ankleSprain: {
    icpc: { code: 'L77', display: 'Distorsie enkel' },
    soep: {
      S: 'Gisteren door de enkel gegaan bij het sporten, kan erop lopen.',
      O: 'Zwelling en drukpijn lateraal, geen drukpijn op de malleoli (Ottawa negatief).',
      E: 'Inversietrauma enkel zonder aanwijzing voor fractuur.',
      P: 'Functionele behandeling: bewegen op geleide van de pijn, tape zo nodig.',
    },
  },
  otitis: {
    icpc: { code: 'H71', display: 'Otitis media acuta' },
    soep: {
      S: 'Sinds gisteren oorpijn rechts en verhoging.',
      O: 'Trommelvlies rechts rood en bomberend, links normaal.',
      E: 'Otitis media acuta rechts.',
      P: 'Pijnstilling; terugkomen als het na drie dagen niet beter gaat.',
    },
    fever: true,
  },
} satisfies Record<string, GpComplaint>;

export type GpComplaintKey = keyof typeof GP_COMPLAINTS;

/** Complaints a GP sees in adults and in children (under 18). */
export const ADULT_COMPLAINTS: GpComplaintKey[] = ['cold', 'bronchitis', 'lowBackPain', 'gastroenteritis', 'athletesFoot', 'cystitis', 'ankleSprain'];
export const CHILD_COMPLAINTS: GpComplaintKey[] = ['cold', 'otitis', 'gastroenteritis', 'ankleSprain'];

/** zib-Problem ProblemType 'Diagnose' as the GP examples code it; EpisodeOfCare.type 'aandoening'. */
export const GP_PROBLEM_CATEGORY: Code = { code: '282291009', display: 'Diagnose' };
export const EPISODE_TYPE: Code = { code: '64572001', display: 'Aandoening' };

/** NHG Tabel 14: the way of contact. */
export const CONTACT_CONSULT: Code = { code: '03', display: 'Consult' };

/** The SOEP line types (journaalregeltypen). */
export const JOURNAL_LINE = {
  S: { code: 'S', display: 'Subjectief' },
  O: { code: 'O', display: 'Objectief' },
  E: { code: 'E', display: 'Evaluatie' },
  P: { code: 'P', display: 'Plan' },
} satisfies Record<string, Code>;

/** A contact report (gp-EncounterReport, Composition.type, LOINC). */
export const ENCOUNTER_NOTE: Code = { code: '67781-5', display: 'Summarization of encounter note Narrative' };

/** GP measurements (gp-DiagnosticResult): NHG Tabel 45 code, the LOINC code beside it, and the unit. */
export interface GpMeasurement {
  nhg: Code;
  loinc: Code;
  unit: string;
  ucum: string;
}

export const GP_MEASUREMENTS = {
  systolic: {
    nhg: { code: '1744', display: 'Systolische bloeddruk' },
    loinc: { code: '8480-6', display: 'Systolische bloeddruk' },
    unit: 'mmHg',
    ucum: 'mm[Hg]',
  },
  diastolic: {
    nhg: { code: '1740', display: 'Diastolische bloeddruk' },
    loinc: { code: '8462-4', display: 'Diastolische bloeddruk' },
    unit: 'mmHg',
    ucum: 'mm[Hg]',
  },
  pulse: { nhg: { code: '1875', display: 'Polsfrequentie' }, loinc: { code: '8893-0', display: 'Hartfrequentie (palpatie)' }, unit: '/min', ucum: '/min' },
  temperature: {
    nhg: { code: '1915', display: 'Temperatuur patiënt (oraal gemeten)' },
    loinc: { code: '8310-5', display: 'Lichaamstemperatuur' },
    unit: '°C',
    ucum: 'Cel',
  },
} satisfies Record<string, GpMeasurement>;

/** Chronic problems whose control visits include a blood pressure, and those with a pulse too. */
export const BLOOD_PRESSURE_CONTROLS: ConditionKey[] = [
  'hypertension',
  'diabetesType2',
  'heartFailure',
  'atrialFibrillation',
  'hyperlipidaemia',
  'chronicKidneyDisease',
];
export const PULSE_CONTROLS: ConditionKey[] = ['atrialFibrillation', 'heartFailure'];
