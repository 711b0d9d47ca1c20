/**
 * The clinical zibs of the BgZ (gegevensdienst 1): Problem (Condition), AllergyIntolerance, Alert (Flag),
 * MedicalDevice (DeviceUseStatement with its Device), Vaccination (Immunization), Procedure and Encounter.
 * What a provider records depends on its kind: a GGZ holds mental-health problems only, a hospital
 * operates and admits, the GP vaccinates; the primary provider holds the complete picture.
 */
import {
  ALERT_CATEGORY,
  ALERTS,
  ALLERGENS,
  CHILDHOOD_SCHEDULE,
  CONDITIONS,
  DEVICES,
  PROBLEM_CATEGORY,
  PROCEDURE_CATEGORY,
  PROCEDURES,
  REACTIONS,
  VACCINES,
  type ConditionKey,
} from '../codes.js';
import { addDays, maxDate, minDate, subtractYears } from '../dates.js';
import { PROFILE, SYSTEM, coding, concept, referenceTo, snomed, type FhirResource, type Reference } from '../fhir.js';
import { MENTAL_HEALTH_CONDITIONS } from '../profiles.js';
import type { DossierContext } from './context.js';
import { addYears, between, pickSome } from './draw.js';
import type { Picture } from './persona-picture.js';

export function addConditions(ctx: DossierContext, picture: Picture): void {
  let chronic = picture.chronic;
  if (!ctx.primary) {
    chronic = chronic.filter(() => ctx.stream.int(0, 9) < 6);
    if (chronic.length === 0 && picture.chronic.length > 0) chronic = [ctx.stream.pick(picture.chronic)];
  }
  if (ctx.ggz) {
    // A GGZ record holds mental-health problems only; give the persona one if their picture has none.
    chronic = chronic.filter((c) => MENTAL_HEALTH_CONDITIONS.includes(c.key));
    if (chronic.length === 0)
      chronic = [{ key: ctx.stream.pick(['depression', 'anxiety'] as ConditionKey[]), onset: between(ctx.stream, ctx.recentFrom, addDays(ctx.lastDate, -60)) }];
  }
  for (const c of chronic) condition(ctx, c.key, c.onset);
  if (!ctx.ggz && ctx.profile.episodes) {
    for (const key of pickSome(ctx.stream, ctx.profile.episodes.pool, ctx.profile.episodes.count)) {
      const onset = between(ctx.stream, ctx.recentFrom, addDays(ctx.lastDate, -30));
      condition(ctx, key, onset, minDate(addDays(onset, ctx.stream.int(7, 60)), ctx.lastDate));
    }
  }
}

function condition(ctx: DossierContext, key: ConditionKey, onset: string, abatement?: string): FhirResource {
  const c = CONDITIONS[key];
  const resource = ctx.make('Condition', PROFILE.problem, {
    clinicalStatus: abatement ? 'resolved' : 'active',
    verificationStatus: 'confirmed',
    category: [snomed(PROBLEM_CATEGORY.code, PROBLEM_CATEGORY.display)],
    code: snomed(c.code, c.display),
    subject: ctx.subject,
    onsetDateTime: onset,
    ...(abatement ? { abatementDateTime: abatement } : {}),
    assertedDate: minDate(addDays(onset, ctx.stream.int(0, 14)), ctx.lastDate),
    asserter: ctx.practitionerRef(),
  });
  ctx.conditions.push({ key, resource });
  return resource;
}

export function addAllergies(ctx: DossierContext, picture: Picture): void {
  if (ctx.ggz) return;
  for (const a of picture.allergies) {
    const allergen = ALLERGENS[a.key];
    const reaction = a.severe ? REACTIONS.at(-1)! : REACTIONS[a.reaction]!;
    ctx.make('AllergyIntolerance', PROFILE.allergyIntolerance, {
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
      type: 'allergy',
      category: [allergen.category],
      criticality: a.severe ? 'high' : 'low',
      code: snomed(allergen.code, allergen.display),
      patient: ctx.subject,
      onsetDateTime: a.onset,
      assertedDate: ctx.dateTime(minDate(addDays(a.onset, ctx.stream.int(0, 30)), ctx.lastDate)),
      recorder: ctx.practitionerRef(),
      reaction: [{ manifestation: [snomed(reaction.code, reaction.display)], severity: a.severe ? 'severe' : 'mild' }],
    });
  }
}

export function addAlerts(ctx: DossierContext): void {
  if (!ctx.primary) return;
  for (const key of ctx.profile.alerts ?? []) {
    const alert = ALERTS[key];
    ctx.make('Flag', PROFILE.alert, {
      status: 'active',
      category: concept(SYSTEM.loinc, ALERT_CATEGORY.code, ALERT_CATEGORY.display),
      code: snomed(alert.code, alert.display),
      subject: ctx.subject,
      period: { start: between(ctx.stream, ctx.recentFrom, ctx.lastDate) },
      author: ctx.practitionerRef(),
    });
  }
}

export function addDevices(ctx: DossierContext): void {
  if (!ctx.primary) return;
  for (const key of ctx.profile.devices ?? []) {
    const d = DEVICES[key];
    const start = between(ctx.stream, ctx.recentFrom, ctx.lastDate);
    const device = ctx.make('Device', PROFILE.medicalDeviceProduct, {
      status: 'active',
      type: snomed(d.code, d.display),
      patient: ctx.subject,
    });
    ctx.make('DeviceUseStatement', PROFILE.medicalDevice, {
      status: 'active',
      subject: ctx.subject,
      whenUsed: { start },
      recordedOn: ctx.dateTime(start),
      source: ctx.practitionerRef(),
      device: referenceTo(device, d.display),
    });
  }
}

/** Vaccinations are recorded by the GP (or, when the kind of provider is unknown, the first provider). */
export function addVaccinations(ctx: DossierContext): void {
  const gpPractice = ctx.provider.soort ? ctx.provider.soort === 'huisartsenpraktijk' : ctx.primary;
  if (!gpPractice) return;
  const shots: { vaccine: keyof typeof VACCINES; date: string }[] = [];
  const { birthDate } = ctx.persona;
  if (ctx.profile.vaccinations === 'child') {
    for (const s of CHILDHOOD_SCHEDULE) shots.push({ vaccine: s.vaccine, date: addDays(birthDate, Math.round(s.ageYears * 365.25) + ctx.stream.int(0, 40)) });
  } else {
    const lastYear = Number(ctx.lastDate.slice(0, 4));
    const flu = ctx.profile.vaccinations === 'elderly' ? 3 : ctx.stream.int(0, 1);
    for (let i = 0; i < flu; i++) shots.push({ vaccine: 'influenza', date: `${lastYear - i}-10-${String(ctx.stream.int(10, 31)).padStart(2, '0')}` });
    shots.push({ vaccine: 'covid19', date: between(ctx.stream, subtractYears(ctx.lastDate, 4), ctx.lastDate) });
    if (ctx.profile.vaccinations === 'elderly') shots.push({ vaccine: 'pneumococcal', date: between(ctx.stream, ctx.recentFrom, ctx.lastDate) });
  }
  for (const shot of shots.filter((s) => s.date >= birthDate && s.date <= ctx.lastDate).sort((a, b) => a.date.localeCompare(b.date))) {
    const v = VACCINES[shot.vaccine];
    ctx.make('Immunization', PROFILE.vaccination, {
      status: 'completed',
      notGiven: false,
      vaccineCode: concept(SYSTEM.atc, v.code, v.display),
      patient: ctx.subject,
      date: shot.date,
      primarySource: true,
      practitioner: [{ actor: ctx.practitionerRef() }],
    });
  }
}

/** Operations (hospital, or any provider when the kind is unknown) and visits. */
export function addProceduresAndEncounters(ctx: DossierContext): void {
  const operates = !ctx.ggz && (ctx.hospital || !ctx.provider.soort);
  const procedures = operates && ctx.profile.procedures ? pickSome(ctx.stream, ctx.profile.procedures.pool, ctx.profile.procedures.count) : [];
  for (const key of procedures) {
    const p = PROCEDURES[key];
    // Children's operations happen in childhood (tonsils at 4-8), adults' in the recent past.
    const from = key === 'tonsillectomy' ? addYears(ctx.persona.birthDate, 4) : ctx.recentFrom;
    const to = key === 'tonsillectomy' ? minDate(addYears(ctx.persona.birthDate, 8), ctx.lastDate) : addDays(ctx.lastDate, -14);
    const date = between(ctx.stream, from, maxDate(from, to));
    const performer = ctx.practitionerRef();
    ctx.make('Procedure', PROFILE.procedure, {
      status: 'completed',
      category: snomed(PROCEDURE_CATEGORY.code, PROCEDURE_CATEGORY.display),
      code: snomed(p.code, p.display),
      subject: ctx.subject,
      performedPeriod: { start: ctx.dateTime(date), end: ctx.dateTime(date).replace(/T\d\d/, 'T17') },
      performer: [{ actor: performer }],
    });
    const discharge = minDate(addDays(date, ctx.stream.int(1, 4)), ctx.lastDate);
    encounter(ctx, 'IMP', date, discharge, performer, p.display);
  }
  const visits = ctx.ggz ? ctx.stream.int(3, 6) : ctx.hospital ? ctx.stream.int(1, 3) : ctx.stream.int(2, 5);
  for (let i = 0; i < visits; i++) {
    const date = between(ctx.stream, ctx.recentFrom, ctx.lastDate);
    const cls = ctx.hospital && i === 0 ? 'ACUTE' : 'AMB';
    const reason = ctx.conditions.length > 0 ? ctx.stream.pick(ctx.conditions) : undefined;
    encounter(ctx, cls, date, date, ctx.practitionerRef(), undefined, reason?.resource);
  }
  // The final admission of a deceased patient, at the hospital (or, kind unknown, the second provider).
  const died = ctx.persona.deceasedDate;
  if (died && died <= ctx.lastDate && (ctx.hospital || (!ctx.provider.soort && !ctx.primary))) {
    const admitted = maxDate(addDays(died, -ctx.stream.int(3, 12)), ctx.persona.birthDate);
    encounter(ctx, 'IMP', admitted, died, ctx.practitionerRef(), 'Opname in verband met achteruitgang');
  }
}

function encounter(
  ctx: DossierContext,
  cls: 'IMP' | 'AMB' | 'ACUTE',
  start: string,
  end: string,
  who: Reference,
  reasonText?: string,
  diagnosis?: FhirResource,
): void {
  const display = { IMP: 'inpatient encounter', AMB: 'ambulatory', ACUTE: 'inpatient acute' }[cls];
  const reason = reasonText ?? (diagnosis ? (diagnosis.code as { text: string }).text : undefined);
  const startTime = ctx.dateTime(start);
  let endTime = ctx.dateTime(end);
  if (endTime < startTime) endTime = startTime; // same day: never end before the start
  ctx.make('Encounter', PROFILE.encounter, {
    status: 'finished',
    class: coding(SYSTEM.actCode, cls, display),
    subject: ctx.subject,
    participant: [{ individual: who }],
    period: { start: startTime, end: endTime },
    ...(reason ? { reason: [{ text: reason }] } : {}),
    ...(diagnosis ? { diagnosis: [{ condition: referenceTo(diagnosis, (diagnosis.code as { text: string }).text) }] } : {}),
    serviceProvider: ctx.organizationRef(),
  });
}
