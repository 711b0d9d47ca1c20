/**
 * Basisgegevens GGZ (afsprakenstelsel 2, gegevensdienst 50): what a mental-health institution adds to the
 * zibs the BgZ already has (Payer, directives, Problem, lab results), as in Nictiz's GGZ 2.0 qualification
 * material: the care team (CareTeam: the referring GP, the therapist, the responsible clinician), the intake
 * (Procedure with its TextResult report, a DiagnosticReport), ROM measurements (HoNOS as zib-GeneralMeasurement
 * Observations, category 'survey'), HelpFromOthers (CarePlan: informal care by the contact person),
 * FamilySituation and ParticipationInSociety.
 *
 * The treatment is for the mental-health problem the record holds (a GGZ's BgZ always has one); without a
 * BgZ the part records the diagnosis itself. Basisgegevens GGZ has no treatment episode of its own (no
 * EpisodeOfCare search): the care team's period and the intake date mark the treatment. Draws from its own
 * stream (see dossier.ts).
 */
import { CONDITIONS, PROBLEM_CATEGORY, type ConditionKey } from '../codes.js';
import { addDays, daysBetween, maxDate, minDate, subtractYears } from '../dates.js';
import { PROFILE, SYSTEM, concept, quantity, referenceTo, snomed, type FhirResource, type Reference } from '../fhir.js';
import {
  CARE_TEAM_ROLES,
  FAMILY_COMPOSITION,
  FAMILY_SITUATION,
  HELP_FROM_OTHERS,
  HISTORY_TAKING,
  HONOS,
  HONOS_AT_INTAKE,
  HONOS_ITEMS,
  HONOS_TOTAL,
  INFORMAL_CARE,
  INTAKE_CONCLUSION,
  LIVES_WITH_PARTNER,
  MENTAL_HEALTH_EVALUATION,
  PARTICIPATION,
  PARTICIPATION_PARTS,
  PARTICIPATION_TEXTS,
  TEXT_RESULT_TYPE,
} from '../ggz-codes.js';
import { MENTAL_HEALTH_CONDITIONS } from '../profiles.js';
import type { DossierContext } from './context.js';
import { between, normal } from './draw.js';
import type { Picture } from './persona-picture.js';

/** ROM every half year, from the intake on. */
const ROM_EVERY_DAYS = 182;

export function addBasisgegevensGgz(ctx: DossierContext, picture: Picture, gp: FhirResource): void {
  const treated = diagnosis(ctx, picture);
  const onset = String(treated.resource.onsetDateTime).slice(0, 10);
  // The intake: after the onset, within the last two years, at least two months before the record ends.
  const intake = between(ctx.stream, maxDate(addDays(onset, 7), subtractYears(ctx.lastDate, 2)), maxDate(addDays(onset, 7), addDays(ctx.lastDate, -60)));
  const staff = ctx.stream.shuffle(ctx.staff.practitioners);
  const therapist = ctx.add(staff[0]!);
  const clinician = ctx.add(staff[1]!);
  const name = (p: FhirResource) => (p.name as { text: string }[])[0]!.text;
  const problem = referenceTo(treated.resource, CONDITIONS[treated.key].display);
  const intakeTime = ctx.dateTime(intake);

  ctx.make('CareTeam', PROFILE.careTeam, {
    status: ctx.persona.deceasedDate ? 'inactive' : 'active',
    subject: ctx.subject,
    period: { start: intake },
    participant: [
      member(CARE_TEAM_ROLES.referrer, referenceTo(gp, name(gp))),
      member(CARE_TEAM_ROLES.attender, referenceTo(therapist, name(therapist)), ctx.organizationRef()),
      member(CARE_TEAM_ROLES.responsible, referenceTo(clinician, name(clinician)), ctx.organizationRef()),
    ],
    managingOrganization: [ctx.organizationRef()],
  });

  const report = ctx.make('DiagnosticReport', PROFILE.textResult, {
    status: 'final',
    code: snomed(TEXT_RESULT_TYPE.code, TEXT_RESULT_TYPE.display),
    subject: ctx.subject,
    effectiveDateTime: intakeTime,
    issued: intakeTime,
    performer: [{ actor: referenceTo(clinician, name(clinician)) }],
    conclusion: INTAKE_CONCLUSION[treated.key] ?? INTAKE_CONCLUSION.depression!,
  });
  ctx.make('Procedure', PROFILE.procedure, {
    status: 'completed',
    category: snomed(MENTAL_HEALTH_EVALUATION.code, MENTAL_HEALTH_EVALUATION.display),
    code: snomed(HISTORY_TAKING.code, HISTORY_TAKING.display),
    subject: ctx.subject,
    performedPeriod: { start: intakeTime, end: intakeTime },
    performer: [{ actor: referenceTo(clinician, name(clinician)) }, { actor: ctx.organizationRef() }],
    reasonReference: [problem],
    report: [referenceTo(report, 'Intakeverslag')],
  });

  addRom(ctx, treated.key, intake);

  const contact = ctx.recorded('RelatedPerson')[0];
  ctx.make('CarePlan', PROFILE.helpFromOthers, {
    status: ctx.persona.deceasedDate ? 'completed' : 'active',
    intent: 'plan',
    category: [snomed(HELP_FROM_OTHERS.code, HELP_FROM_OTHERS.display)],
    subject: ctx.subject,
    period: { start: intake },
    activity: [
      {
        detail: {
          category: snomed(INFORMAL_CARE.code, INFORMAL_CARE.display),
          code: { text: 'Steun bij dagstructuur en afspraken' },
          status: 'in-progress',
          scheduledString: ctx.stream.pick(['Dagelijks', 'Enkele keren per week']),
          ...(contact ? { performer: [referenceTo(contact, (contact.name as { text: string }[])[0]!.text)] } : {}),
        },
      },
    ],
  });

  // Sandbox choice: only a partner's household has a code here (the GGZ example's); other households go unrecorded.
  if (ctx.profile.contact === 'partner') {
    ctx.make('Observation', PROFILE.familySituation, {
      status: 'final',
      code: snomed(FAMILY_SITUATION.code, FAMILY_SITUATION.display),
      subject: ctx.subject,
      effectiveDateTime: intakeTime,
      component: [
        {
          code: snomed(FAMILY_COMPOSITION.code, FAMILY_COMPOSITION.display),
          valueCodeableConcept: snomed(LIVES_WITH_PARTNER.code, LIVES_WITH_PARTNER.display),
        },
      ],
    });
  }
  ctx.make('Observation', PROFILE.participationInSociety, {
    status: 'final',
    code: snomed(PARTICIPATION.code, PARTICIPATION.display),
    subject: ctx.subject,
    effectiveDateTime: intakeTime,
    component: (Object.keys(PARTICIPATION_PARTS) as (keyof typeof PARTICIPATION_PARTS)[]).map((part) => ({
      code: snomed(PARTICIPATION_PARTS[part].code, PARTICIPATION_PARTS[part].display),
      valueString: ctx.stream.pick(PARTICIPATION_TEXTS[part]),
    })),
  });
}

function member(role: { code: string; display: string }, who: Reference, onBehalfOf?: Reference): Record<string, unknown> {
  return { role: concept(SYSTEM.participationType, role.code, role.display), member: who, ...(onBehalfOf ? { onBehalfOf } : {}) };
}

/** The mental-health problem the GGZ treats: one the record holds, or (no BgZ, or none there) its own diagnosis. */
function diagnosis(ctx: DossierContext, picture: Picture): { key: ConditionKey; resource: FhirResource } {
  const recorded = ctx.conditions.find((c) => MENTAL_HEALTH_CONDITIONS.includes(c.key) && c.resource.clinicalStatus === 'active');
  if (recorded) return recorded;
  const known = picture.chronic.find((c) => MENTAL_HEALTH_CONDITIONS.includes(c.key) && c.onset <= ctx.lastDate);
  const key = known?.key ?? ctx.stream.pick(['depression', 'anxiety'] as ConditionKey[]);
  const onset = known?.onset ?? between(ctx.stream, ctx.recentFrom, maxDate(ctx.recentFrom, addDays(ctx.lastDate, -90)));
  const resource = ctx.make('Condition', PROFILE.problem, {
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    category: [snomed(PROBLEM_CATEGORY.code, PROBLEM_CATEGORY.display)],
    code: snomed(CONDITIONS[key].code, CONDITIONS[key].display),
    subject: ctx.subject,
    onsetDateTime: onset,
    assertedDate: minDate(addDays(onset, ctx.stream.int(7, 30)), ctx.lastDate),
    asserter: ctx.practitionerRef(),
  });
  return { key, resource };
}

/**
 * HoNOS at the intake and every half year after: the scale (has-member its items and total), twelve items
 * scored 0-4, and the total. Scores fall as the treatment takes effect.
 */
function addRom(ctx: DossierContext, key: ConditionKey, intake: string): void {
  const weights = HONOS_AT_INTAKE[key] ?? HONOS_AT_INTAKE.depression!;
  const rounds = Math.min(4, 1 + Math.floor(daysBetween(intake, ctx.lastDate) / ROM_EVERY_DAYS));
  for (let r = 0; r < rounds; r++) {
    const day = minDate(addDays(intake, r * ROM_EVERY_DAYS + (r === 0 ? 0 : ctx.stream.int(-14, 14))), ctx.lastDate);
    const time = ctx.dateTime(day);
    const better = 1 - 0.25 * r;
    const scores = HONOS_ITEMS.map((_, i) => Math.max(0, Math.min(4, Math.round(normal(ctx.stream, (weights[i] ?? 0.5) * better, 0.6)))));
    const survey = () => ({
      status: 'final',
      category: [concept(SYSTEM.observationCategory, 'survey', 'Vragenlijst')],
      subject: ctx.subject,
      effectiveDateTime: time,
    });
    const items = HONOS_ITEMS.map((item, i) =>
      ctx.make('Observation', PROFILE.generalMeasurement, { ...survey(), code: snomed(item.code, item.display), valueQuantity: score(scores[i]!) }),
    );
    const total = ctx.make('Observation', PROFILE.generalMeasurement, {
      ...survey(),
      code: snomed(HONOS_TOTAL.code, HONOS_TOTAL.display),
      valueQuantity: score(scores.reduce((a, b) => a + b, 0)),
    });
    ctx.make('Observation', PROFILE.generalMeasurement, {
      ...survey(),
      code: snomed(HONOS.code, HONOS.display),
      related: [...items, total].map((o) => ({ type: 'has-member', target: referenceTo(o, (o.code as { text: string }).text) })),
    });
  }
}

function score(value: number): Record<string, unknown> {
  const { system, code } = quantity(value, '{score}');
  return { value, system, code };
}
