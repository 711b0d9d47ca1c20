/**
 * Huisartsgegevens (afsprakenstelsel 2, gegevensdienst 49): the GP's own record, episode by episode, as in
 * Nictiz's Huisartsgegevens 2.0 qualification material. Each problem is an episode (EpisodeOfCare with its
 * ICPC-coded Condition); each consult is a gp-Encounter with its SOEP journal lines (gp-JournalEntry
 * Observations), the measurements taken (gp-DiagnosticResult, NHG Tabel 45) and a contact report
 * (gp-EncounterReport Composition holding the E and P lines, not S and O, as the qualification asks).
 *
 * The episodes are the persona's chronic problems (open since their onset) and one to three short
 * complaints of the last years (closed). The part draws from its own stream (see dossier.ts), so adding it
 * shifts nothing else in the dossier; the medication agreements and medicine intolerances that gegevensdienst
 * 49 also serves are those of the record (medication.ts, clinical.ts).
 */
import { coding, EXTENSION, PROFILE, quantity, referenceTo, SYSTEM, type FhirResource, type Reference } from '../fhir.js';
import { addDays, maxDate, minDate } from '../dates.js';
import type { Code, ConditionKey } from '../codes.js';
import {
  ADULT_COMPLAINTS,
  BLOOD_PRESSURE_CONTROLS,
  CHILD_COMPLAINTS,
  CONTACT_CONSULT,
  ENCOUNTER_NOTE,
  EPISODE_TYPE,
  GP_COMPLAINTS,
  GP_MEASUREMENTS,
  GP_PROBLEM_CATEGORY,
  ICPC_FOR,
  JOURNAL_LINE,
  PULSE_CONTROLS,
  type GpMeasurement,
} from '../gp-codes.js';
import type { DossierContext } from './context.js';
import { between, normal, pickSome, round, unique } from './draw.js';
import type { Picture } from './persona-picture.js';

type Soep = { S: string; O: string; E: string; P: string };

interface Episode {
  icpc: Code;
  start: string;
  /** A complaint resolves; a chronic problem's episode ends only with a deceased patient's death. */
  resolved: boolean;
  end?: string;
  contacts: { date: string; soep: Soep; measure: { key: keyof typeof GP_MEASUREMENTS; value: number }[] }[];
}

export function addHuisartsgegevens(ctx: DossierContext, picture: Picture): void {
  for (const episode of [...chronicEpisodes(ctx, picture), ...complaintEpisodes(ctx)]) addEpisode(ctx, episode);
}

/** The persona's chronic problems: open episodes with one to three control visits in the recent past. */
function chronicEpisodes(ctx: DossierContext, picture: Picture): Episode[] {
  return picture.chronic
    .filter((c) => c.onset <= ctx.lastDate)
    .map((c) => {
      const from = maxDate(c.onset, ctx.recentFrom);
      const dates = unique(Array.from({ length: ctx.stream.int(1, 3) }, () => between(ctx.stream, from, ctx.lastDate))).sort();
      const title = ICPC_FOR[c.key].display;
      return {
        icpc: ICPC_FOR[c.key],
        start: c.onset,
        resolved: false,
        ...(ctx.persona.deceasedDate ? { end: ctx.lastDate } : {}),
        contacts: dates.map((date) => ({ date, soep: controlVisit(c.key, title), measure: controlMeasurements(ctx, c.key) })),
      };
    });
}

function controlVisit(key: ConditionKey, title: string): Soep {
  const measured = BLOOD_PRESSURE_CONTROLS.includes(key);
  return {
    S: 'Controle. Gaat naar omstandigheden goed, geen nieuwe klachten.',
    O: measured ? 'Bloeddruk en pols gemeten, zie uitslagen. Verder geen bijzonderheden.' : 'Geen bijzonderheden bij lichamelijk onderzoek.',
    E: `${title}, stabiel.`,
    P: 'Beleid ongewijzigd, volgende controle over zes maanden.',
  };
}

function controlMeasurements(ctx: DossierContext, key: ConditionKey): Episode['contacts'][number]['measure'] {
  const out: Episode['contacts'][number]['measure'] = [];
  if (BLOOD_PRESSURE_CONTROLS.includes(key)) {
    const [sys, dia] = ctx.profile.bloodPressure;
    out.push({ key: 'systolic', value: round(normal(ctx.stream, sys, 9), 0) }, { key: 'diastolic', value: round(normal(ctx.stream, dia, 6), 0) });
  }
  // Atrial fibrillation beats faster and more irregularly than the persona's usual rate.
  if (PULSE_CONTROLS.includes(key))
    out.push({ key: 'pulse', value: round(normal(ctx.stream, ctx.profile.heartRate + (key === 'atrialFibrillation' ? 12 : 0), 9), 0) });
  return out;
}

/** One to three short complaints of the recent past, each a closed episode with one consult. */
function complaintEpisodes(ctx: DossierContext): Episode[] {
  const pool = ctx.ageOn(ctx.lastDate) < 18 ? CHILD_COMPLAINTS : ADULT_COMPLAINTS;
  return pickSome(ctx.stream, pool, [1, 3])
    .map((key) => {
      const complaint = GP_COMPLAINTS[key];
      const date = between(ctx.stream, ctx.recentFrom, maxDate(ctx.recentFrom, addDays(ctx.lastDate, -14)));
      const fever = 'fever' in complaint && complaint.fever ? [{ key: 'temperature' as const, value: round(37 + ctx.stream.float() * 1.8, 1) }] : [];
      return {
        icpc: complaint.icpc,
        start: date,
        resolved: true,
        end: minDate(addDays(date, ctx.stream.int(7, 42)), ctx.lastDate),
        contacts: [{ date, soep: complaint.soep, measure: fever }],
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}

function addEpisode(ctx: DossierContext, episode: Episode): void {
  const gp = ctx.practitionerRef();
  const times = episode.contacts.map((c) => ctx.dateTime(c.date));
  const icpc = () => ({ coding: [coding(SYSTEM.icpc, episode.icpc.code, episode.icpc.display)] });
  const condition = ctx.make('Condition', PROFILE.problem, {
    clinicalStatus: episode.resolved ? 'resolved' : 'active',
    verificationStatus: 'confirmed',
    category: [{ coding: [coding(SYSTEM.snomed, GP_PROBLEM_CATEGORY.code, GP_PROBLEM_CATEGORY.display)] }],
    code: { ...icpc(), text: episode.icpc.display },
    subject: ctx.subject,
    onsetDateTime: episode.start,
    ...(episode.resolved && episode.end ? { abatementDateTime: episode.end } : {}),
    asserter: { ...gp },
  });
  const episodeOfCare = ctx.make('EpisodeOfCare', PROFILE.episodeOfCare, {
    extension: [
      // The episode began with a consult; only the consults of the last six years are in the record.
      { url: EXTENSION.episodeFirstEncounter, valueDateTime: episode.start },
      { url: EXTENSION.episodeLastEncounter, valueDateTime: times.at(-1) },
      { url: EXTENSION.episodeTitle, valueString: episode.icpc.display },
    ],
    status: episode.end ? 'finished' : 'active',
    type: [{ coding: [coding(SYSTEM.snomed, EPISODE_TYPE.code, EPISODE_TYPE.display)] }],
    diagnosis: [{ condition: referenceTo(condition, episode.icpc.display) }],
    patient: ctx.subject,
    managingOrganization: ctx.organizationRef(),
    period: { start: episode.start, ...(episode.end ? { end: episode.end } : {}) },
    careManager: { ...gp },
  });
  const episodeRef = referenceTo(episodeOfCare, episode.icpc.display);
  episode.contacts.forEach((contact, i) => addContact(ctx, { time: times[i]!, who: gp, episodeRef, icpc, title: episode.icpc.display, ...contact }));
}

function addContact(
  ctx: DossierContext,
  c: {
    time: string;
    who: Reference;
    episodeRef: Reference;
    icpc: () => { coding: unknown[] };
    title: string;
    soep: Soep;
    measure: Episode['contacts'][number]['measure'];
  },
): void {
  const encounter = ctx.make('Encounter', PROFILE.gpEncounter, {
    status: 'finished',
    class: coding(SYSTEM.actCode, 'AMB', 'ambulatory'),
    type: [{ coding: [coding(SYSTEM.nhgContactType, CONTACT_CONSULT.code, CONTACT_CONSULT.display)] }],
    subject: ctx.subject,
    episodeOfCare: [c.episodeRef],
    participant: [{ individual: { ...c.who } }],
    period: { start: c.time, end: c.time },
    serviceProvider: ctx.organizationRef(),
  });
  const context = referenceTo(encounter, `Consult voor ${c.title}`);
  // What every line and result of this consult shares: the episode, the consult, the time and the GP (fresh objects each time).
  const common = () => ({
    extension: [{ url: EXTENSION.episodeContext, valueReference: { ...c.episodeRef } }],
    status: 'final',
    subject: ctx.subject,
    context: { ...context },
    effectiveDateTime: c.time,
    performer: [{ ...c.who }],
  });
  const line = (type: keyof typeof JOURNAL_LINE, extra: Record<string, unknown> = {}): FhirResource =>
    ctx.make('Observation', PROFILE.gpJournalEntry, {
      ...common(),
      code: { coding: [coding(SYSTEM.journalEntryType, JOURNAL_LINE[type].code, JOURNAL_LINE[type].display)] },
      valueString: c.soep[type],
      ...extra,
    });
  line('S');
  line('O');
  for (const m of c.measure) result(ctx, common(), GP_MEASUREMENTS[m.key], m.value);
  const evaluation = line('E', { component: [{ code: { coding: [coding(SYSTEM.actCode, 'DISDX', 'discharge diagnosis')] }, valueCodeableConcept: c.icpc() }] });
  const plan = line('P');
  const day = c.time.slice(0, 10).split('-').reverse().join('-');
  const section = (type: 'E' | 'P', entry: FhirResource) => ({
    extension: [{ url: EXTENSION.sectionIcpc, valueCodeableConcept: c.icpc() }],
    code: { coding: [coding(SYSTEM.journalEntryType, JOURNAL_LINE[type].code, JOURNAL_LINE[type].display)] },
    entry: [referenceTo(entry, c.soep[type]), { ...c.episodeRef }],
  });
  ctx.make('Composition', PROFILE.gpEncounterReport, {
    status: 'final',
    type: { coding: [coding(SYSTEM.loinc, ENCOUNTER_NOTE.code, ENCOUNTER_NOTE.display)] },
    subject: ctx.subject,
    encounter: context,
    date: c.time,
    author: [{ ...c.who }],
    title: `Contactverslag ${day}`,
    custodian: ctx.organizationRef(),
    section: [section('E', evaluation), section('P', plan)],
  });
}

/** A measurement at the consult, coded with NHG Tabel 45 (what the PGO searches by) and LOINC. */
function result(ctx: DossierContext, common: Record<string, unknown>, m: GpMeasurement, value: number): void {
  // Sandbox choice: no 'vital-signs' category (Nictiz's examples have one), so a GP's consult measurements stay
  // out of the Meetwaarden vitale functies gegevensdienst of a provider that offers both.
  ctx.make('Observation', PROFILE.gpDiagnosticResult, {
    ...common,
    code: { coding: [coding(SYSTEM.nhgDiagnostic, m.nhg.code, m.nhg.display), coding(SYSTEM.loinc, m.loinc.code, m.loinc.display)] },
    valueQuantity: quantity(value, m.unit, m.ucum),
  });
}
