/**
 * The administrative zibs of the BgZ: Patient, Payer (Coverage with the insurer's Organization),
 * ContactPerson (RelatedPerson), and the TreatmentDirective and AdvanceDirective (both Consent).
 * The Patient is in every dossier; the rest only where the provider holds the BgZ (gegevensdienst 1).
 */
import { ADVANCE_DIRECTIVE_CATEGORY, RELATIONSHIPS, TREATMENT_DIRECTIVE_CATEGORY, TREATMENTS } from '../codes.js';
import { dutchDateTime, maxDate } from '../dates.js';
import { EXTENSION, PROFILE, SYSTEM, coding, concept, referenceTo, snomed, type FhirResource } from '../fhir.js';
import { emailAddress } from '../people.js';
import type { DossierContext } from './context.js';
import { addYears, between } from './draw.js';
import { address, humanName } from './nl-core-datatypes.js';
import type { Admin } from './persona-picture.js';
import { insurerOrganization } from './shared-resources.js';

/** The Patient (nl-core-patient), with `gp` as their general practitioner. */
export function addPatient(ctx: DossierContext, admin: Admin, gp: FhirResource): FhirResource {
  const p = ctx.persona;
  return ctx.make('Patient', PROFILE.patient, {
    identifier: [{ system: SYSTEM.bsn, value: p.bsn }],
    active: !p.deceasedDate,
    name: [humanName(p.name)],
    telecom: [
      { system: 'phone', value: admin.phone, use: 'mobile' },
      { system: 'email', value: emailAddress(p.name), use: 'home' },
    ],
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.deceasedDate ? { deceasedDateTime: dutchDateTime(p.deceasedDate, ctx.stream.int(0, 23), ctx.stream.int(0, 59)) } : { deceasedBoolean: false }),
    address: [address(admin.address, 'home')],
    generalPractitioner: [referenceTo(gp, (gp.name as { text: string }[])[0]!.text)],
    managingOrganization: ctx.organizationRef(),
  });
}

export function addCoverage(ctx: DossierContext, admin: Admin): void {
  const insurer = ctx.add(insurerOrganization(admin.insurer));
  const period: Record<string, string> = { start: admin.coverageStart };
  if (ctx.persona.deceasedDate) period.end = ctx.persona.deceasedDate;
  ctx.make('Coverage', PROFILE.payer, {
    status: ctx.persona.deceasedDate ? 'cancelled' : 'active',
    type: concept(SYSTEM.insuranceType, 'B', 'Basis verzekerd'),
    subscriber: ctx.subject,
    subscriberId: admin.policyNumber,
    beneficiary: ctx.subject,
    period,
    payor: [referenceTo(insurer, admin.insurer.name)],
  });
}

export function addContactPerson(ctx: DossierContext, admin: Admin): void {
  const rel = RELATIONSHIPS[admin.contact.relationship];
  ctx.make('RelatedPerson', PROFILE.relatedPerson, {
    extension: [{ url: EXTENSION.relatedPersonRole, valueCodeableConcept: concept(SYSTEM.contactRole, '1', 'Eerste relatie/contactpersoon') }],
    patient: ctx.subject,
    relationship: concept(SYSTEM.roleCode, rel.code, rel.display),
    name: [humanName(admin.contact.name)],
    telecom: [{ system: 'phone', value: admin.contact.phone, use: 'mobile' }],
    address: [address(admin.address, 'home')],
  });
}

/** A do-not-resuscitate treatment directive and the advance directive (wilsverklaring) behind it. */
export function addDirectives(ctx: DossierContext): void {
  const date = between(ctx.stream, maxDate(ctx.recentFrom, addYears(ctx.persona.birthDate, 60)), ctx.lastDate);
  const status = ctx.persona.deceasedDate ? 'inactive' : 'active';
  ctx.make('Consent', PROFILE.treatmentDirective, {
    extension: [{ url: EXTENSION.treatment, valueCodeableConcept: snomed(TREATMENTS.cpr.code, TREATMENTS.cpr.display) }],
    modifierExtension: [{ url: EXTENSION.treatmentPermitted, valueCodeableConcept: concept(SYSTEM.treatmentPermitted, 'NEE', 'Nee') }],
    status,
    category: [snomed(TREATMENT_DIRECTIVE_CATEGORY.code, TREATMENT_DIRECTIVE_CATEGORY.display)],
    patient: ctx.subject,
    period: { start: date },
    policy: [{ uri: 'http://wetten.overheid.nl/' }],
    except: [{ type: 'deny', code: [coding(SYSTEM.snomed, TREATMENTS.cpr.code, TREATMENTS.cpr.display)] }],
  });
  ctx.make('Consent', PROFILE.advanceDirective, {
    status,
    category: [
      snomed(ADVANCE_DIRECTIVE_CATEGORY.code, ADVANCE_DIRECTIVE_CATEGORY.display),
      concept(SYSTEM.advanceDirectiveType, 'NR', 'Niet reanimeren verklaring'),
    ],
    patient: ctx.subject,
    dateTime: ctx.dateTime(date),
    policy: [{ uri: 'http://wetten.overheid.nl/' }],
  });
}
