/**
 * Medicatiegegevens (gegevensdienst 3, and the medication part of the BgZ): per medicine a
 * MedicationAgreement (MedicationRequest), one or two Dispenses (MedicationDispense) and a MedicationUse
 * (MedicationStatement), all referring to the shared Medication product, with the zib InstructionsForUse
 * as the FHIR Dosage.
 */
import { addDays, maxDate, minDate } from '../dates.js';
import { EXTENSION, PROFILE, SYSTEM, coding, concept, quantity, referenceTo, snomed } from '../fhir.js';
import { MEDICINES, ROUTES, type Medicine, type MedicineKey } from '../medicine-codes.js';
import { MEDICINES_FOR } from '../profiles.js';
import type { DossierContext } from './context.js';
import { between } from './draw.js';
import type { Picture } from './persona-picture.js';
import { medicationProduct } from './shared-resources.js';

export function addMedication(ctx: DossierContext, picture: Picture): void {
  let medicines = picture.medicines;
  if (ctx.ggz) {
    // A GGZ prescribes for the problems it treats (which may be its own finding, not in the picture).
    const psychotropic = (key: MedicineKey) => /^N0[56]/.test(MEDICINES[key].atc);
    const fromRecord = ctx.conditions.flatMap((c) =>
      (MEDICINES_FOR[c.key] ?? []).filter(psychotropic).map((key) => ({
        key,
        start: picture.medicines.find((m) => m.key === key)?.start ?? minDate(addDays(String(c.resource.onsetDateTime), 14), ctx.lastDate),
      })),
    );
    medicines = fromRecord.length > 0 ? fromRecord : medicines.filter((m) => psychotropic(m.key));
    medicines = medicines.filter((m, i) => medicines.findIndex((x) => x.key === m.key) === i);
  } else if (!ctx.primary) medicines = medicines.filter(() => ctx.stream.int(0, 9) < 6);
  if (medicines.length === 0) {
    // Every provider that holds medication data has at least something: a course of paracetamol.
    medicines = [{ key: 'paracetamol', start: between(ctx.stream, ctx.recentFrom, ctx.lastDate) }];
  }
  const died = ctx.persona.deceasedDate;
  for (const m of medicines) {
    const med = MEDICINES[m.key];
    const product = ctx.add(medicationProduct(m.key));
    const productRef = referenceTo(product, med.name);
    const prescriber = ctx.practitionerRef();
    const period: Record<string, string> = { start: m.start };
    if (died) period.end = died;
    const agreement = ctx.make('MedicationRequest', PROFILE.medicationAgreement, {
      extension: [{ url: EXTENSION.periodOfUse, valuePeriod: period }],
      status: died ? 'completed' : 'active',
      intent: 'order',
      category: snomed('16076005', 'Voorschrijven'),
      medicationReference: productRef,
      subject: ctx.subject,
      authoredOn: ctx.dateTime(m.start),
      requester: { agent: prescriber },
      dosageInstruction: [dosage(m.key)],
    });
    const dispenses = ctx.stream.int(1, 2);
    for (let i = 0; i < dispenses; i++) {
      const handedOver = between(ctx.stream, maxDate(m.start, addDays(ctx.lastDate, -180)), ctx.lastDate);
      const perDay = (med.frequency * med.dose) / med.periodDays;
      ctx.make('MedicationDispense', PROFILE.dispense, {
        status: 'completed',
        category: snomed('422037009', 'Verstrekken van medicatie'),
        medicationReference: productRef,
        subject: ctx.subject,
        performer: [{ actor: ctx.organizationRef() }],
        authorizingPrescription: [referenceTo(agreement)],
        quantity: doseQuantity(m.key, Math.max(1, Math.ceil(perDay * 90))),
        daysSupply: quantity(90, 'dag', 'd'),
        whenHandedOver: ctx.dateTime(handedOver),
        dosageInstruction: [dosage(m.key)],
      });
    }
    ctx.make('MedicationStatement', PROFILE.medicationUse, {
      status: died ? 'completed' : 'active',
      category: concept(SYSTEM.medicationUseCategory, '6', 'Medicatiegebruik'),
      medicationReference: productRef,
      effectivePeriod: period,
      dateAsserted: ctx.dateTime(between(ctx.stream, m.start, ctx.lastDate)),
      informationSource: ctx.subject,
      subject: ctx.subject,
      taken: 'y',
      dosage: [dosage(m.key)],
    });
  }
}

function doseQuantity(key: MedicineKey, value: number): Record<string, unknown> {
  const unit = MEDICINES[key].unit;
  return unit === 'stuk' ? { value, unit, system: SYSTEM.gstandaardUnit, code: '245' } : { value, unit };
}

function dosage(key: MedicineKey): Record<string, unknown> {
  const m: Medicine = MEDICINES[key];
  const route = ROUTES[m.route];
  const weekly = m.periodDays % 7 === 0;
  return {
    text: m.instruction,
    timing: { repeat: { frequency: m.frequency, period: weekly ? m.periodDays / 7 : m.periodDays, periodUnit: weekly ? 'wk' : 'd' } },
    ...(m.asNeeded ? { asNeededBoolean: true } : {}),
    route: route.code ? { coding: [coding(SYSTEM.gstandaardRoute, route.code, route.display)], text: route.display } : { text: route.display },
    doseQuantity: doseQuantity(key, m.dose),
  };
}
