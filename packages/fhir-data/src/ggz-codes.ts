/**
 * Codes of the Basisgegevens GGZ part (gegevensdienst 50). The SNOMED CT codes (HoNOS for ROM, the care team
 * roles, HelpFromOthers, the intake procedure and the text result) are those of Nictiz's MedMij qualification
 * material for GGZ 2.0 (GGZ-2-0); the Dutch texts are the sandbox's own.
 */
import type { Code, ConditionKey } from './codes.js';

/**
 * ROM with HoNOS (Health of the Nation Outcome Scales): the scale, its twelve items (each scored 0-4) and the
 * summated score. zib-GeneralMeasurement, category 'survey'.
 */
export const HONOS: Code = { code: '273513009', display: 'Health of the Nation Outcome Scale (HoNOS)' };
export const HONOS_TOTAL: Code = { code: '281113000', display: 'HoNOS totaalscore' };
export const HONOS_ITEMS: Code[] = [
  { code: '281115007', display: 'HoNOS item 1 - agressief/storend gedrag' },
  { code: '281116008', display: 'HoNOS item 2 - zelfbeschadiging' },
  { code: '281117004', display: 'HoNOS item 3 - alcohol- en drugsgebruik' },
  { code: '281118009', display: 'HoNOS item 4 - cognitieve problemen' },
  { code: '281119001', display: 'HoNOS item 5 - lichamelijke ziekte/handicap' },
  { code: '281120007', display: 'HoNOS item 6 - hallucinaties/wanen' },
  { code: '281121006', display: 'HoNOS item 7 - depressieve stemming' },
  { code: '281122004', display: 'HoNOS item 8 - andere psychische problemen' },
  { code: '281123009', display: 'HoNOS item 9 - relatieproblemen' },
  { code: '281124003', display: 'HoNOS item 10 - algemene dagelijkse levensverrichtingen' },
  { code: '281125002', display: 'HoNOS item 11 - woonomstandigheden' },
  { code: '281126001', display: 'HoNOS item 12 - werk en activiteiten' },
];

/**
 * How heavily each item weighs at intake, per problem (mean score 0-4): the items a depression or an anxiety
 * disorder makes high. Sandbox choice; items not listed start around 0.5.
 */
export const HONOS_AT_INTAKE: Partial<Record<ConditionKey, Partial<Record<number, number>>>> = {
  depression: { 1: 1.5, 6: 3.2, 7: 2, 8: 2, 9: 2.2, 11: 2.2 },
  anxiety: { 6: 1.8, 7: 3, 8: 1.5, 9: 1.5, 11: 1.8 },
  ptsd: { 0: 1.5, 6: 2.5, 7: 3.2, 8: 2.2, 9: 1.8, 11: 2 },
  adhd: { 0: 1.8, 3: 2, 7: 2.2, 8: 1.5, 11: 2.2 },
};

/** CareTeam participant roles (HL7 v3 ParticipationType). */
export const CARE_TEAM_ROLES = {
  referrer: { code: 'REF', display: 'Verwijzer' },
  attender: { code: 'ATND', display: 'Behandelaar' },
  responsible: { code: 'RESP', display: 'Hoofdbehandelaar' },
} satisfies Record<string, Code>;

/** zib-HelpFromOthers: CarePlan.category, and the kind of help (informal care by a relative). */
export const HELP_FROM_OTHERS: Code = { code: '243114000', display: 'Ondersteuning' };
export const INFORMAL_CARE: Code = { code: '386229000', display: 'Mantelzorg' };

/** The intake: a mental-health evaluation (Procedure.category) of taking the history (Procedure.code). */
export const MENTAL_HEALTH_EVALUATION: Code = { code: '410223002', display: 'Evaluatie in de geestelijke gezondheidszorg' };
export const HISTORY_TAKING: Code = { code: '84100007', display: 'Afnemen van anamnese' };
/** zib-TextResult's DiagnosticReport.code as the GGZ example has it. */
export const TEXT_RESULT_TYPE: Code = { code: '71388002', display: 'Verrichting' };

/** zib-FamilySituation and zib-ParticipationInSociety: the Observation codes and their components. */
export const FAMILY_SITUATION: Code = { code: '365470003', display: 'Bevinding betreffende gezinssituatie' };
export const FAMILY_COMPOSITION: Code = { code: '224130005', display: 'Gezinssamenstelling' };
export const LIVES_WITH_PARTNER: Code = { code: '408821002', display: 'Samenwonend met partner' };
export const PARTICIPATION: Code = { code: '314845004', display: 'Status van participatie van patiënt' };
export const PARTICIPATION_PARTS = {
  network: { code: '365469004', display: 'Sociaal netwerk' },
  leisure: { code: '405081003', display: 'Vrijetijdsbesteding' },
  work: { code: '364703007', display: 'Arbeidssituatie' },
} satisfies Record<string, Code>;

/** What a GGZ writes down about a patient's life; one line is drawn per part. */
export const PARTICIPATION_TEXTS: Record<keyof typeof PARTICIPATION_PARTS, string[]> = {
  network: [
    'Goede band met partner, weinig contact met vrienden sinds de klachten.',
    'Steun van partner en een zus; trekt zich de laatste maanden terug uit sociale contacten.',
    'Kleine vriendenkring, ziet ouders wekelijks.',
  ],
  leisure: [
    'Sport niet meer, wandelt af en toe met de hond.',
    'Leest en speelt gitaar, komt er weinig aan toe.',
    'Vrijwilliger bij de voetbalclub, sinds kort gestopt.',
  ],
  work: [
    'Werkt 32 uur als administratief medewerker, deels ziekgemeld.',
    'Docent in het voortgezet onderwijs, ervaart veel werkdruk.',
    'Zoekt werk na een reorganisatie, ontvangt een WW-uitkering.',
  ],
};

/** The intake report (zib-TextResult conclusion) per problem. */
export const INTAKE_CONCLUSION: Partial<Record<ConditionKey, string>> = {
  depression:
    'Intake: sinds enkele maanden somberheid, interesseverlies, slecht slapen en concentratieproblemen. Geen psychotische kenmerken. ' +
    'Conclusie: depressieve stoornis, matig ernstig. Advies: cognitieve gedragstherapie, te overwegen met een antidepressivum.',
  anxiety:
    'Intake: sinds een jaar toenemende piekergedachten, spanningsklachten en paniekaanvallen, vermijdt drukke plaatsen. ' +
    'Conclusie: angststoornis. Advies: cognitieve gedragstherapie met exposure.',
  ptsd:
    'Intake: herbelevingen, nachtmerries en schrikreacties na een ingrijpende gebeurtenis, vermijdt herinneringen eraan. ' +
    'Conclusie: posttraumatische stressstoornis. Advies: traumagerichte behandeling (EMDR).',
  adhd:
    'Intake: sinds de kindertijd concentratieproblemen, impulsiviteit en onrust, nu problemen op het werk. ' +
    'Conclusie: ADHD. Advies: psycho-educatie, coaching en te overwegen medicatie.',
};
