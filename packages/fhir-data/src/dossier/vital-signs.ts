/**
 * Meetwaarden vitale functies (gegevensdienst 5, and the vital signs of the BgZ): rounds of BloodPressure,
 * HeartRate, BodyWeight and BodyHeight Observations over time. Children are measured as they grow (a rough
 * Dutch growth curve), adults in the recent past with a slowly drifting weight.
 */
import { VITALS } from '../codes.js';
import { maxDate, subtractYears } from '../dates.js';
import { PROFILE, SYSTEM, concept, loinc, quantity } from '../fhir.js';
import type { DossierContext } from './context.js';
import { addYears, between, normal, round, unique } from './draw.js';
import type { Picture } from './persona-picture.js';

export function addVitalSigns(ctx: DossierContext, picture: Picture): void {
  const rounds = Math.max(1, ctx.stream.int(...ctx.profile.vitalRounds));
  const child = ctx.ageOn(ctx.lastDate) < 18;
  // Children are measured over the years they grow; adults in the recent past.
  const from = child ? maxDate(addYears(ctx.persona.birthDate, 4), subtractYears(ctx.lastDate, 10)) : maxDate(ctx.recentFrom, subtractYears(ctx.lastDate, 3));
  const dates = unique(Array.from({ length: rounds }, () => between(ctx.stream, from, ctx.lastDate))).sort();
  const [sys, dia] = ctx.profile.bloodPressure;
  const ageNow = ctx.ageOn(ctx.lastDate);
  const adultHeight = ageNow >= 75 ? picture.height - 3 : picture.height;
  let weightDrift = 0;
  dates.forEach((date, i) => {
    const when = ctx.dateTime(date);
    const who = ctx.practitionerRef();
    const age = ctx.ageOn(date);
    const height = round(adultHeight * growthFraction(age), 0);
    weightDrift += normal(ctx.stream, 0, 0.8);
    const weight = round(picture.bmi * (height / 100) ** 2 + weightDrift, 1);
    const vital = (profile: string, code: { loinc: string; display: string }, body: Record<string, unknown>) =>
      ctx.make('Observation', profile, {
        status: 'final',
        category: [concept(SYSTEM.observationCategory, 'vital-signs', 'Vitale functies')],
        code: loinc(code.loinc, code.display),
        subject: ctx.subject,
        effectiveDateTime: when,
        performer: [who],
        ...body,
      });
    vital(PROFILE.bloodPressure, VITALS.bloodPressure, {
      component: [
        { code: loinc(VITALS.systolic.loinc, VITALS.systolic.display), valueQuantity: quantity(round(normal(ctx.stream, sys, 8), 0), 'mmHg', 'mm[Hg]') },
        { code: loinc(VITALS.diastolic.loinc, VITALS.diastolic.display), valueQuantity: quantity(round(normal(ctx.stream, dia, 6), 0), 'mmHg', 'mm[Hg]') },
      ],
    });
    vital(PROFILE.heartRate, VITALS.heartRate, { valueQuantity: quantity(round(normal(ctx.stream, ctx.profile.heartRate, 7), 0), 'slagen/min', '/min') });
    vital(PROFILE.bodyWeight, VITALS.bodyWeight, { valueQuantity: quantity(weight, 'kg') });
    // Adults' height once (it does not change); children's every time.
    if (child || i === 0) vital(PROFILE.bodyHeight, VITALS.bodyHeight, { valueQuantity: quantity(height, 'cm') });
  });
}

/** Share of adult height reached at an age (a rough Dutch growth curve). */
function growthFraction(age: number): number {
  const points: [number, number][] = [
    [0, 0.3],
    [2, 0.5],
    [6, 0.66],
    [10, 0.79],
    [13, 0.88],
    [15, 0.95],
    [16, 0.97],
    [18, 1],
  ];
  if (age >= 18) return 1;
  for (let i = 1; i < points.length; i++) {
    const [a1, f1] = points[i]!;
    const [a0, f0] = points[i - 1]!;
    if (age <= a1) return f0 + ((f1 - f0) * (age - a0)) / (a1 - a0);
  }
  return 1;
}
