/**
 * The persona's picture, the same in every dossier of that persona, drawn from persona-level streams so
 * that it does not depend on the provider: the clinical picture (`fhir-data:persona-clinical:<key>`:
 * chronic problems, allergies, medicines, body size) and the administrative details
 * (`fhir-data:persona-admin:<key>`: address, phone, insurer, contact person, own GP).
 */
import { INSURERS, REACTIONS, RELATIONSHIPS, type AllergenKey, type ConditionKey } from '../codes.js';
import { addDays, maxDate, minDate, subtractYears } from '../dates.js';
import { PROFILE, SYSTEM, type FhirResource } from '../fhir.js';
import type { MedicineKey } from '../medicine-codes.js';
import { dutchAddress, dutchName, landlineNumber, mobileNumber, seededFaker, type DutchAddress, type DutchName } from '../people.js';
import { MEDICINES_FOR } from '../profiles.js';
import type { DossierContext } from './context.js';
import { addYears, between, digits, pickSome, unique } from './draw.js';
import { humanName } from './nl-core-datatypes.js';
import { providerStaff } from './shared-resources.js';

export interface DatedCondition {
  key: ConditionKey;
  onset: string;
}

export interface Picture {
  chronic: DatedCondition[];
  allergies: { key: AllergenKey; onset: string; reaction: number; severe: boolean }[];
  medicines: { key: MedicineKey; start: string }[];
  /** Adult height in cm, and body mass index. */
  height: number;
  bmi: number;
}

export interface Admin {
  address: DutchAddress;
  phone: string;
  insurer: (typeof INSURERS)[number];
  policyNumber: string;
  coverageStart: string;
  contact: { name: DutchName; relationship: keyof typeof RELATIONSHIPS; phone: string };
  ownGp: FhirResource;
}

/** The clinical picture: chronic problems with onsets, allergies, medicines with start dates, height and BMI. */
export function clinicalPicture(ctx: DossierContext): Picture {
  const r = ctx.random.stream(`fhir-data:persona-clinical:${ctx.persona.key}`);
  const p = ctx.profile;
  const { birthDate } = ctx.persona;
  const adultFrom = addYears(birthDate, ctx.ageOn(ctx.lastDate) < 18 ? 2 : 18);
  const onsetFrom = maxDate(adultFrom, subtractYears(ctx.lastDate, 20));
  const onsetTo = maxDate(onsetFrom, addDays(ctx.lastDate, -120));
  const extra = p.chronicPool ? pickSome(r, p.chronicPool.pool, p.chronicPool.count) : [];
  // The problems that define the persona predate the six years of results in the record.
  const definingTo = maxDate(onsetFrom, minDate(onsetTo, subtractYears(ctx.lastDate, 7)));
  const chronic = unique([...p.chronic, ...extra]).map((key) => ({ key, onset: between(r, onsetFrom, p.chronic.includes(key) ? definingTo : onsetTo) }));
  const allergyKeys = p.allergies ? unique([...(p.allergies.mustInclude ?? []), ...pickSome(r, p.allergies.pool, p.allergies.count)]) : [];
  const allergies = allergyKeys.map((key) => ({
    key,
    onset: between(r, maxDate(addYears(birthDate, 1), subtractYears(ctx.lastDate, 20)), onsetTo),
    reaction: r.int(0, REACTIONS.length - 2), // anaphylaxis (the last) only when severe
    severe: r.int(0, 5) === 0,
  }));
  const onsetOf = new Map(chronic.map((c) => [c.key, c.onset]));
  const medicineKeys = unique([...chronic.flatMap((c) => MEDICINES_FOR[c.key] ?? []), ...(p.extraMedicines ?? [])]);
  if (ctx.persona.gender === 'male' && ctx.ageOn(ctx.lastDate) >= 65) medicineKeys.push('tamsulosin');
  const medicines = medicineKeys.map((key) => {
    const because = chronic.find((c) => (MEDICINES_FOR[c.key] ?? []).includes(key));
    const from = because ? onsetOf.get(because.key)! : onsetFrom;
    return { key, start: minDate(addDays(from, r.int(0, 90)), ctx.lastDate) };
  });
  const tall = ctx.persona.gender === 'male' ? r.int(172, 192) : r.int(158, 178);
  return { chronic, allergies, medicines, height: tall, bmi: p.bmi[0] + r.float() * (p.bmi[1] - p.bmi[0]) };
}

/** Address, phone, insurance, the first contact person, and the GP the persona has outside the topology. */
export function adminDetails(ctx: DossierContext): Admin {
  const r = ctx.random.stream(`fhir-data:persona-admin:${ctx.persona.key}`);
  const faker = seededFaker(r, ctx.opts.referenceDate);
  const insurer = r.pick(INSURERS);
  const last = ctx.lastDate;
  const coverageYear = Number(last.slice(0, 4)) - r.int(0, 8);
  const coverageStart = maxDate(`${String(coverageYear).padStart(4, '0')}-01-01`, ctx.persona.birthDate);
  const relationship = ((): keyof typeof RELATIONSHIPS => {
    const female = r.int(0, 1) === 0;
    if (ctx.profile.contact === 'parent') return female ? 'mother' : 'father';
    if (ctx.profile.contact === 'child') return female ? 'daughter' : 'son';
    return ctx.persona.gender === 'male' ? 'wife' : 'husband';
  })();
  const relativeGender = ['mother', 'daughter', 'wife'].includes(relationship) ? 'female' : 'male';
  const { prefix, family } = ctx.persona.name;
  // Parents and children usually share the family name; a partner keeps their own.
  const contactName = dutchName(faker, relativeGender, ctx.profile.contact === 'partner' ? undefined : { prefix, family });
  const gpGender = r.int(0, 1) === 0 ? 'female' : 'male';
  const gpName = dutchName(faker, gpGender);
  const ownGp: FhirResource = {
    resourceType: 'Practitioner',
    id: `practitioner-huisarts-${ctx.random.stream(`fhir-data:ids:${ctx.persona.key}`).hex(4)}`,
    meta: { profile: [PROFILE.practitioner] },
    identifier: [
      { system: SYSTEM.uzi, value: digits(r, 9) },
      { system: SYSTEM.agb, value: digits(r, 8, '01') },
    ],
    active: true,
    name: [humanName(gpName)],
    telecom: [{ system: 'phone', value: landlineNumber(faker), use: 'work' }],
    gender: gpGender,
  };
  return {
    address: dutchAddress(faker),
    phone: mobileNumber(faker),
    insurer,
    policyNumber: digits(r, 9),
    coverageStart,
    contact: { name: contactName, relationship, phone: mobileNumber(faker) },
    ownGp,
  };
}

/** The persona's GP: a practitioner of a huisartsenpraktijk they are registered with, else their own. */
export function generalPractitioner(ctx: DossierContext, admin: Admin): FhirResource {
  const practice = ctx.persona.providers.map((e) => ctx.opts.providers.find((p) => p.id === e.providerId)).find((p) => p?.soort === 'huisartsenpraktijk');
  if (!practice) return admin.ownGp;
  return providerStaff(ctx.opts.seed, ctx.opts.referenceDate, practice).practitioners[0]!;
}
