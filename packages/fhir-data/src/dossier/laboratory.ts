/**
 * Laboratoriumresultaten (gegevensdienst 4, and the lab part of the BgZ): rounds of blood tests, each a
 * Specimen (zib LaboratoryTestResult.Specimen) and one Observation per test of the chosen panels, LOINC
 * coded with UCUM units, a value drawn around the (persona-shifted) mean, reference range and flag.
 */
import { LAB_CATEGORIES, LAB_PANELS, LAB_TESTS, SPECIMEN_BLOOD, type LabTest } from '../codes.js';
import { PROFILE, SYSTEM, concept, loinc, quantity, referenceTo, snomed, type FhirResource } from '../fhir.js';
import type { DossierContext } from './context.js';
import { between, digits, normal, round, unique } from './draw.js';

export function addLabResults(ctx: DossierContext): void {
  const panels = ctx.profile.labPanels;
  if (panels.length === 0) return;
  const every = ctx.profile.labPanelsEveryRound ?? [];
  const rounds = Math.max(1, ctx.stream.int(...ctx.profile.labRounds));
  const dates = unique(Array.from({ length: rounds }, () => between(ctx.stream, ctx.recentFrom, ctx.lastDate))).sort();
  for (const date of dates) {
    let chosen = panels.filter((p) => every.includes(p) || ctx.stream.int(0, 1) === 0);
    if (chosen.length === 0) chosen = [ctx.stream.pick(panels)];
    const collected = ctx.dateTime(date);
    const specimen = ctx.make('Specimen', PROFILE.labSpecimen, {
      accessionIdentifier: {
        system: `urn:oid:2.16.528.1.1007.3.3.${(ctx.staff.organization.identifier as { value: string }[])[1]!.value}.1`,
        value: digits(ctx.stream, 10),
      },
      status: 'available',
      type: snomed(SPECIMEN_BLOOD.code, SPECIMEN_BLOOD.display),
      subject: ctx.subject,
      receivedTime: collected,
      collection: { collectedDateTime: collected },
    });
    const tests = unique(chosen.flatMap((p) => LAB_PANELS[p]));
    for (const key of tests) labObservation(ctx, LAB_TESTS[key], key, collected, specimen);
  }
}

function labObservation(ctx: DossierContext, test: LabTest, key: keyof typeof LAB_TESTS, effective: string, specimen: FhirResource): void {
  const g = ctx.persona.gender;
  const bound = (b: LabTest['low']) => (b === undefined ? undefined : typeof b === 'number' ? b : b[g]);
  const shift = ctx.profile.labShift?.[key];
  const mean = shift?.mean ?? (typeof test.mean === 'number' ? test.mean : test.mean[g]);
  const sd = shift?.sd ?? test.sd;
  const value = round(Math.max(0, normal(ctx.stream, mean, sd)), test.decimals);
  const low = bound(test.low);
  const high = bound(test.high);
  const flag = low !== undefined && value < low ? ['L', 'Laag'] : high !== undefined && value > high ? ['H', 'Hoog'] : ['N', 'Normaal'];
  const range: Record<string, unknown> = {};
  if (low !== undefined) range.low = quantity(low, test.unit, test.ucum);
  if (high !== undefined) range.high = quantity(high, test.unit, test.ucum);
  ctx.make('Observation', PROFILE.labObservation, {
    status: 'final',
    category: LAB_CATEGORIES.map((c) => snomed(c.code, c.display)),
    code: loinc(test.loinc, test.display),
    subject: ctx.subject,
    effectiveDateTime: effective,
    issued: effective.replace(/T(\d\d)/, (_, h: string) => `T${String(Math.min(23, Number(h) + 4)).padStart(2, '0')}`),
    performer: [ctx.organizationRef()],
    valueQuantity: quantity(value, test.unit, test.ucum),
    interpretation: concept(SYSTEM.interpretation, flag[0]!, flag[1]!),
    specimen: referenceTo(specimen),
    referenceRange: [range],
  });
}
