/**
 * A persona's dossier at one DVZA: FHIR STU3 resources shaped after the Dutch zibs / nl-core profiles.
 *
 * Streams (all derived from the network seed, so nothing shifts when a persona or provider is added):
 * - `fhir-data:persona-clinical:<key>`: the persona's clinical picture (chronic problems, allergies, medicines,
 *   body size), the same at every provider;
 * - `fhir-data:persona-admin:<key>`: address, phone, insurer, contact person, own GP;
 * - `fhir-data:provider:<id>`: the provider's organisation and staff, the same in every dossier there;
 * - `fhir-data:dossier:<key>:<providerId>`: what this provider recorded (which problems, visits, results).
 *
 * Which parts a provider holds: the BgZ (gegevensdienst 1) is the whole record, except that lab results,
 * medication and vital signs appear only when the provider holds data for their own gegevensdienst (4, 3, 5)
 * or does not offer that gegevensdienst at all. So a provider that offers lab results but holds none for
 * this persona has none in its BgZ either.
 *
 * Ids: patient-specific resources are `<kind>-<8 hex>-<n>` (the hex from `fhir-data:ids:<key>:<providerId>`,
 * no BSN in ids); resources shared by dossiers at one provider (its Organization and Practitioners,
 * insurers, Medication products, a persona's own GP) have fixed ids and identical content everywhere, so a
 * resource server can keep all dossiers of a provider in one store.
 */
import { SeededRandom, type RandomStream } from '@medmij-sandbox/network';
import {
  ADVANCE_DIRECTIVE_CATEGORY,
  ALERT_CATEGORY,
  ALERTS,
  ALLERGENS,
  CHILDHOOD_SCHEDULE,
  CONDITIONS,
  DEVICES,
  INSURERS,
  LAB_CATEGORIES,
  LAB_PANELS,
  LAB_TESTS,
  MEDICINES,
  PROBLEM_CATEGORY,
  PROCEDURE_CATEGORY,
  PROCEDURES,
  REACTIONS,
  RELATIONSHIPS,
  ROUTES,
  SPECIMEN_BLOOD,
  TREATMENT_DIRECTIVE_CATEGORY,
  TREATMENTS,
  VACCINES,
  VITALS,
  type AllergenKey,
  type ConditionKey,
  type LabTest,
  type Medicine,
  type MedicineKey,
} from './codes.js';
import { addDays, assertDate, daysBetween, dutchDateTime, maxDate, minDate, referenceAge, subtractYears } from './dates.js';
import { EXTENSION, PROFILE, SYSTEM, coding, concept, loinc, quantity, referenceTo, snomed, type FhirResource, type Reference } from './fhir.js';
import { dutchAddress, dutchName, emailAddress, landlineNumber, mobileNumber, seededFaker, type DutchAddress, type DutchName } from './people.js';
import { MEDICINES_FOR, MENTAL_HEALTH_CONDITIONS, profileFor, type ClinicalProfile } from './profiles.js';
import type { Dossier, Persona, PersonaSetOptions, ProviderRef } from './types.js';

export function generateDossier(opts: PersonaSetOptions, persona: Persona, providerId: string): Dossier {
  assertDate(opts.referenceDate, 'referenceDate');
  const entry = persona.providers.find((p) => p.providerId === providerId);
  if (!entry) {
    const known = persona.providers.map((p) => p.providerId);
    throw new Error(
      `persona '${persona.key}' has no treatment relation with provider '${providerId}'` +
        (known.length > 0 ? ` (it has one with: ${known.join(', ')})` : ' (it is known to no provider)'),
    );
  }
  const provider = opts.providers.find((p) => p.id === providerId);
  if (!provider) throw new Error(`provider '${providerId}' is not among the providers passed in (${opts.providers.map((p) => p.id).join(', ') || 'none'})`);
  return { persona, providerId, resources: new DossierBuilder(opts, persona, provider, entry.gegevensdiensten).build() };
}

// ---- helpers ---------------------------------------------------------------------------------------------

/** A normally distributed value (Box–Muller) from the stream. */
function normal(random: RandomStream, mean: number, sd: number): number {
  const u = 1 - random.float();
  const v = random.float();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function between(random: RandomStream, from: string, to: string): string {
  const span = daysBetween(from, to);
  return span <= 0 ? minDate(from, to) : addDays(from, random.int(0, span));
}

function addYears(date: string, years: number): string {
  return subtractYears(date, -years);
}

function pickSome<T>(random: RandomStream, pool: readonly T[], [min, max]: [number, number]): T[] {
  return random.shuffle(pool).slice(0, Math.min(pool.length, random.int(min, max)));
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

function humanName(name: DutchName, use: 'official' | 'usual' = 'official'): Record<string, unknown> {
  const family: Record<string, unknown>[] = [];
  if (name.prefix) family.push({ url: EXTENSION.ownPrefix, valueString: name.prefix });
  family.push({ url: EXTENSION.ownName, valueString: name.family });
  return {
    extension: [{ url: EXTENSION.assemblyOrder, valueCode: 'NL1' }],
    use,
    text: name.display,
    family: name.prefix ? `${name.prefix} ${name.family}` : name.family,
    _family: { extension: family },
    given: [name.given, `${name.given.charAt(0)}.`],
    _given: [{ extension: [{ url: EXTENSION.nameQualifier, valueCode: 'BR' }] }, { extension: [{ url: EXTENSION.nameQualifier, valueCode: 'IN' }] }],
  };
}

function address(a: DutchAddress, use: 'home' | 'work'): Record<string, unknown> {
  return {
    use,
    type: 'physical',
    line: [`${a.street} ${a.houseNumber}`],
    _line: [
      {
        extension: [
          { url: EXTENSION.streetName, valueString: a.street },
          { url: EXTENSION.houseNumber, valueString: a.houseNumber },
        ],
      },
    ],
    city: a.city,
    postalCode: a.postalCode,
    country: 'NLD',
  };
}

function digits(random: RandomStream, n: number, prefix = ''): string {
  let out = prefix;
  while (out.length < n) out += String(random.int(0, 9));
  return out;
}

// ---- shared resources: the provider, its staff, insurers, products --------------------------------------

interface Staff {
  organization: FhirResource;
  practitioners: FhirResource[];
}

/** The provider's Organization and three Practitioners; identical in every dossier at that provider. */
function providerStaff(seed: string, referenceDate: string, provider: ProviderRef): Staff {
  const random = new SeededRandom(seed).stream(`fhir-data:provider:${provider.id}`);
  const faker = seededFaker(random, referenceDate);
  const gp = provider.soort === 'huisartsenpraktijk';
  const organization: FhirResource = {
    resourceType: 'Organization',
    id: `organization-${provider.id}`,
    meta: { profile: [PROFILE.organization] },
    identifier: [
      { system: SYSTEM.agb, value: digits(random, 8, gp ? '01' : '') },
      { system: SYSTEM.ura, value: digits(random, 8) },
    ],
    active: true,
    ...(provider.soort ? { type: [{ text: provider.soort }] } : {}),
    name: provider.name,
    telecom: [{ system: 'phone', value: landlineNumber(faker), use: 'work' }],
    address: [address(dutchAddress(faker), 'work')],
  };
  const practitioners = [1, 2, 3].map((n): FhirResource => {
    const gender = random.int(0, 1) === 0 ? 'female' : 'male';
    const name = dutchName(faker, gender);
    return {
      resourceType: 'Practitioner',
      id: `practitioner-${provider.id}-${n}`,
      meta: { profile: [PROFILE.practitioner] },
      identifier: [
        { system: SYSTEM.uzi, value: digits(random, 9) },
        { system: SYSTEM.agb, value: digits(random, 8, gp ? '01' : '') },
      ],
      active: true,
      name: [humanName(name)],
      telecom: [{ system: 'phone', value: (organization.telecom as { value: string }[])[0]!.value, use: 'work' }],
      gender,
    };
  });
  return { organization, practitioners };
}

function insurerOrganization(insurer: (typeof INSURERS)[number]): FhirResource {
  return {
    resourceType: 'Organization',
    id: `organization-uzovi-${insurer.uzovi}`,
    meta: { profile: [PROFILE.organization] },
    identifier: [{ system: SYSTEM.uzovi, value: insurer.uzovi }],
    name: insurer.name,
    address: [{ type: 'postal', city: insurer.city, country: 'NLD' }],
  };
}

function medicationProduct(key: MedicineKey): FhirResource {
  const m = MEDICINES[key];
  const codings = [...('gstandaard' in m ? [m.gstandaard] : []), coding(SYSTEM.atc, m.atc, m.atcDisplay)];
  return {
    resourceType: 'Medication',
    id: `medication-${m.atc.toLowerCase()}`,
    meta: { profile: [PROFILE.product] },
    code: { coding: codings, text: m.name },
  };
}

// ---- the persona's picture, the same at every provider --------------------------------------------------

interface DatedCondition {
  key: ConditionKey;
  onset: string;
}

interface Picture {
  chronic: DatedCondition[];
  allergies: { key: AllergenKey; onset: string; reaction: number; severe: boolean }[];
  medicines: { key: MedicineKey; start: string }[];
  /** Adult height in cm, and body mass index. */
  height: number;
  bmi: number;
}

interface Admin {
  address: DutchAddress;
  phone: string;
  insurer: (typeof INSURERS)[number];
  policyNumber: string;
  coverageStart: string;
  contact: { name: DutchName; relationship: keyof typeof RELATIONSHIPS; phone: string };
  ownGp: FhirResource;
}

class DossierBuilder {
  private readonly random: SeededRandom;
  private readonly stream: RandomStream;
  private readonly idTag: string;
  private readonly counters = new Map<string, number>();
  private readonly resources: FhirResource[] = [];
  private readonly byId = new Map<string, FhirResource>();
  private readonly profile: ClinicalProfile;
  /** The last day anything can have happened: the day before the reference date, or the day of death. */
  private readonly lastDate: string;
  private readonly staff: Staff;
  private readonly ggz: boolean;
  private readonly hospital: boolean;
  private readonly primary: boolean;
  private patient!: FhirResource;
  private gp!: FhirResource;
  private conditions: { key: ConditionKey; resource: FhirResource }[] = [];

  constructor(
    private readonly opts: PersonaSetOptions,
    private readonly persona: Persona,
    private readonly provider: ProviderRef,
    private readonly held: string[],
  ) {
    this.random = new SeededRandom(opts.seed);
    this.stream = this.random.stream(`fhir-data:dossier:${persona.key}:${provider.id}`);
    this.idTag = this.random.stream(`fhir-data:ids:${persona.key}:${provider.id}`).hex(4);
    this.profile = profileFor(persona.key);
    this.lastDate = persona.deceasedDate ? minDate(persona.deceasedDate, addDays(opts.referenceDate, -1)) : addDays(opts.referenceDate, -1);
    this.staff = providerStaff(opts.seed, opts.referenceDate, provider);
    this.ggz = provider.soort === 'ggz-instelling';
    this.hospital = provider.soort === 'ziekenhuis';
    // The first provider in the persona's list holds the complete picture; the others part of it.
    this.primary = persona.providers[0]?.providerId === provider.id;
  }

  /** Does this provider hold the data of gegevensdienst `own`, directly or as part of its BgZ? */
  private holds(own: string): boolean {
    return this.held.includes(own) || (this.held.includes('1') && !this.provider.gegevensdiensten.includes(own));
  }

  build(): FhirResource[] {
    const picture = this.picture();
    const admin = this.admin();
    const bgz = this.held.includes('1');
    this.gp = this.generalPractitioner(admin);
    this.addPatient(admin); // first, so a dossier reads from the patient outwards
    this.add(this.staff.organization);
    this.add(this.gp);
    if (bgz) {
      this.addCoverage(admin);
      this.addContactPerson(admin);
      if (this.profile.directives) this.addDirectives();
      this.addConditions(picture);
      this.addAllergies(picture);
      this.addAlerts();
      this.addDevices();
      this.addVaccinations();
      this.addProceduresAndEncounters();
    }
    if (this.holds('3')) this.addMedication(picture);
    if (this.holds('4')) this.addLabResults();
    if (this.holds('5')) this.addVitalSigns(picture);
    return this.resources;
  }

  // ---- plumbing ----

  private nextId(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}-${this.idTag}-${n}`;
  }

  private make(resourceType: string, profile: string, body: Record<string, unknown>): FhirResource {
    const resource: FhirResource = { resourceType, id: this.nextId(resourceType.toLowerCase()), meta: { profile: [profile] }, ...body };
    return this.add(resource);
  }

  /** Adds a resource once (shared resources may be asked for several times). */
  private add(resource: FhirResource): FhirResource {
    const seen = this.byId.get(`${resource.resourceType}/${resource.id}`);
    if (seen) return seen;
    this.byId.set(`${resource.resourceType}/${resource.id}`, resource);
    this.resources.push(resource);
    return resource;
  }

  private get subject(): Reference {
    return referenceTo(this.patient, this.persona.name.display);
  }

  private practitioner(): FhirResource {
    return this.add(this.stream.pick(this.staff.practitioners));
  }

  private practitionerRef(): Reference {
    const p = this.practitioner();
    return referenceTo(p, (p.name as { text: string }[])[0]!.text);
  }

  private organizationRef(): Reference {
    return referenceTo(this.staff.organization, this.provider.name);
  }

  private dateTime(date: string): string {
    return dutchDateTime(date, this.stream.int(8, 16), this.stream.pick([0, 15, 30, 45]));
  }

  /** Start of "recent history" for visits and results: the last six years, never before birth. */
  private get recentFrom(): string {
    return maxDate(this.persona.birthDate, subtractYears(this.lastDate, 6));
  }

  private ageOn(date: string): number {
    return referenceAge(this.persona.birthDate, date);
  }

  // ---- the persona's picture and admin details (persona-level streams) ----

  private picture(): Picture {
    const r = this.random.stream(`fhir-data:persona-clinical:${this.persona.key}`);
    const p = this.profile;
    const { birthDate } = this.persona;
    const adultFrom = addYears(birthDate, this.ageOn(this.lastDate) < 18 ? 2 : 18);
    const onsetFrom = maxDate(adultFrom, subtractYears(this.lastDate, 20));
    const onsetTo = maxDate(onsetFrom, addDays(this.lastDate, -120));
    const extra = p.chronicPool ? pickSome(r, p.chronicPool.pool, p.chronicPool.count) : [];
    // The problems that define the persona predate the six years of results in the record.
    const definingTo = maxDate(onsetFrom, minDate(onsetTo, subtractYears(this.lastDate, 7)));
    const chronic = unique([...p.chronic, ...extra]).map((key) => ({ key, onset: between(r, onsetFrom, p.chronic.includes(key) ? definingTo : onsetTo) }));
    const allergyKeys = p.allergies ? unique([...(p.allergies.mustInclude ?? []), ...pickSome(r, p.allergies.pool, p.allergies.count)]) : [];
    const allergies = allergyKeys.map((key) => ({
      key,
      onset: between(r, maxDate(addYears(birthDate, 1), subtractYears(this.lastDate, 20)), onsetTo),
      reaction: r.int(0, REACTIONS.length - 2), // anaphylaxis (the last) only when severe
      severe: r.int(0, 5) === 0,
    }));
    const onsetOf = new Map(chronic.map((c) => [c.key, c.onset]));
    const medicineKeys = unique([...chronic.flatMap((c) => MEDICINES_FOR[c.key] ?? []), ...(p.extraMedicines ?? [])]);
    if (this.persona.gender === 'male' && this.ageOn(this.lastDate) >= 65) medicineKeys.push('tamsulosin');
    const medicines = medicineKeys.map((key) => {
      const because = chronic.find((c) => (MEDICINES_FOR[c.key] ?? []).includes(key));
      const from = because ? onsetOf.get(because.key)! : onsetFrom;
      return { key, start: minDate(addDays(from, r.int(0, 90)), this.lastDate) };
    });
    const tall = this.persona.gender === 'male' ? r.int(172, 192) : r.int(158, 178);
    return { chronic, allergies, medicines, height: tall, bmi: p.bmi[0] + r.float() * (p.bmi[1] - p.bmi[0]) };
  }

  private admin(): Admin {
    const r = this.random.stream(`fhir-data:persona-admin:${this.persona.key}`);
    const faker = seededFaker(r, this.opts.referenceDate);
    const insurer = r.pick(INSURERS);
    const last = this.lastDate;
    const coverageYear = Number(last.slice(0, 4)) - r.int(0, 8);
    const coverageStart = maxDate(`${String(coverageYear).padStart(4, '0')}-01-01`, this.persona.birthDate);
    const relationship = ((): keyof typeof RELATIONSHIPS => {
      const female = r.int(0, 1) === 0;
      if (this.profile.contact === 'parent') return female ? 'mother' : 'father';
      if (this.profile.contact === 'child') return female ? 'daughter' : 'son';
      return this.persona.gender === 'male' ? 'wife' : 'husband';
    })();
    const relativeGender = ['mother', 'daughter', 'wife'].includes(relationship) ? 'female' : 'male';
    const { prefix, family } = this.persona.name;
    // Parents and children usually share the family name; a partner keeps their own.
    const contactName = dutchName(faker, relativeGender, this.profile.contact === 'partner' ? undefined : { prefix, family });
    const gpGender = r.int(0, 1) === 0 ? 'female' : 'male';
    const gpName = dutchName(faker, gpGender);
    const ownGp: FhirResource = {
      resourceType: 'Practitioner',
      id: `practitioner-huisarts-${this.random.stream(`fhir-data:ids:${this.persona.key}`).hex(4)}`,
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
  private generalPractitioner(admin: Admin): FhirResource {
    const practice = this.persona.providers.map((e) => this.opts.providers.find((p) => p.id === e.providerId)).find((p) => p?.soort === 'huisartsenpraktijk');
    if (!practice) return admin.ownGp;
    return providerStaff(this.opts.seed, this.opts.referenceDate, practice).practitioners[0]!;
  }

  // ---- administrative resources ----

  private addPatient(admin: Admin): void {
    const p = this.persona;
    this.patient = this.make('Patient', PROFILE.patient, {
      identifier: [{ system: SYSTEM.bsn, value: p.bsn }],
      active: !p.deceasedDate,
      name: [humanName(p.name)],
      telecom: [
        { system: 'phone', value: admin.phone, use: 'mobile' },
        { system: 'email', value: emailAddress(p.name), use: 'home' },
      ],
      gender: p.gender,
      birthDate: p.birthDate,
      ...(p.deceasedDate ? { deceasedDateTime: dutchDateTime(p.deceasedDate, this.stream.int(0, 23), this.stream.int(0, 59)) } : { deceasedBoolean: false }),
      address: [address(admin.address, 'home')],
      generalPractitioner: [referenceTo(this.gp, (this.gp.name as { text: string }[])[0]!.text)],
      managingOrganization: this.organizationRef(),
    });
  }

  private addCoverage(admin: Admin): void {
    const insurer = this.add(insurerOrganization(admin.insurer));
    const period: Record<string, string> = { start: admin.coverageStart };
    if (this.persona.deceasedDate) period.end = this.persona.deceasedDate;
    this.make('Coverage', PROFILE.payer, {
      status: this.persona.deceasedDate ? 'cancelled' : 'active',
      type: concept(SYSTEM.insuranceType, 'B', 'Basis verzekerd'),
      subscriber: this.subject,
      subscriberId: admin.policyNumber,
      beneficiary: this.subject,
      period,
      payor: [referenceTo(insurer, admin.insurer.name)],
    });
  }

  private addContactPerson(admin: Admin): void {
    const rel = RELATIONSHIPS[admin.contact.relationship];
    this.make('RelatedPerson', PROFILE.relatedPerson, {
      extension: [{ url: EXTENSION.relatedPersonRole, valueCodeableConcept: concept(SYSTEM.contactRole, '1', 'Eerste relatie/contactpersoon') }],
      patient: this.subject,
      relationship: concept(SYSTEM.roleCode, rel.code, rel.display),
      name: [humanName(admin.contact.name)],
      telecom: [{ system: 'phone', value: admin.contact.phone, use: 'mobile' }],
      address: [address(admin.address, 'home')],
    });
  }

  /** A do-not-resuscitate treatment directive and the advance directive (wilsverklaring) behind it. */
  private addDirectives(): void {
    const date = between(this.stream, maxDate(this.recentFrom, addYears(this.persona.birthDate, 60)), this.lastDate);
    const status = this.persona.deceasedDate ? 'inactive' : 'active';
    this.make('Consent', PROFILE.treatmentDirective, {
      extension: [{ url: EXTENSION.treatment, valueCodeableConcept: snomed(TREATMENTS.cpr.code, TREATMENTS.cpr.display) }],
      modifierExtension: [{ url: EXTENSION.treatmentPermitted, valueCodeableConcept: concept(SYSTEM.treatmentPermitted, 'NEE', 'Nee') }],
      status,
      category: [snomed(TREATMENT_DIRECTIVE_CATEGORY.code, TREATMENT_DIRECTIVE_CATEGORY.display)],
      patient: this.subject,
      period: { start: date },
      policy: [{ uri: 'http://wetten.overheid.nl/' }],
      except: [{ type: 'deny', code: [coding(SYSTEM.snomed, TREATMENTS.cpr.code, TREATMENTS.cpr.display)] }],
    });
    this.make('Consent', PROFILE.advanceDirective, {
      status,
      category: [
        snomed(ADVANCE_DIRECTIVE_CATEGORY.code, ADVANCE_DIRECTIVE_CATEGORY.display),
        concept(SYSTEM.advanceDirectiveType, 'NR', 'Niet reanimeren verklaring'),
      ],
      patient: this.subject,
      dateTime: this.dateTime(date),
      policy: [{ uri: 'http://wetten.overheid.nl/' }],
    });
  }

  // ---- clinical resources ----

  private addConditions(picture: Picture): void {
    let chronic = picture.chronic;
    if (!this.primary) {
      chronic = chronic.filter(() => this.stream.int(0, 9) < 6);
      if (chronic.length === 0 && picture.chronic.length > 0) chronic = [this.stream.pick(picture.chronic)];
    }
    if (this.ggz) {
      // A GGZ record holds mental-health problems only; give the persona one if their picture has none.
      chronic = chronic.filter((c) => MENTAL_HEALTH_CONDITIONS.includes(c.key));
      if (chronic.length === 0)
        chronic = [
          { key: this.stream.pick(['depression', 'anxiety'] as ConditionKey[]), onset: between(this.stream, this.recentFrom, addDays(this.lastDate, -60)) },
        ];
    }
    for (const c of chronic) this.condition(c.key, c.onset);
    if (!this.ggz && this.profile.episodes) {
      for (const key of pickSome(this.stream, this.profile.episodes.pool, this.profile.episodes.count)) {
        const onset = between(this.stream, this.recentFrom, addDays(this.lastDate, -30));
        this.condition(key, onset, minDate(addDays(onset, this.stream.int(7, 60)), this.lastDate));
      }
    }
  }

  private condition(key: ConditionKey, onset: string, abatement?: string): FhirResource {
    const c = CONDITIONS[key];
    const resource = this.make('Condition', PROFILE.problem, {
      clinicalStatus: abatement ? 'resolved' : 'active',
      verificationStatus: 'confirmed',
      category: [snomed(PROBLEM_CATEGORY.code, PROBLEM_CATEGORY.display)],
      code: snomed(c.code, c.display),
      subject: this.subject,
      onsetDateTime: onset,
      ...(abatement ? { abatementDateTime: abatement } : {}),
      assertedDate: minDate(addDays(onset, this.stream.int(0, 14)), this.lastDate),
      asserter: this.practitionerRef(),
    });
    this.conditions.push({ key, resource });
    return resource;
  }

  private addAllergies(picture: Picture): void {
    if (this.ggz) return;
    for (const a of picture.allergies) {
      const allergen = ALLERGENS[a.key];
      const reaction = a.severe ? REACTIONS.at(-1)! : REACTIONS[a.reaction]!;
      this.make('AllergyIntolerance', PROFILE.allergyIntolerance, {
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
        type: 'allergy',
        category: [allergen.category],
        criticality: a.severe ? 'high' : 'low',
        code: snomed(allergen.code, allergen.display),
        patient: this.subject,
        onsetDateTime: a.onset,
        assertedDate: this.dateTime(minDate(addDays(a.onset, this.stream.int(0, 30)), this.lastDate)),
        recorder: this.practitionerRef(),
        reaction: [{ manifestation: [snomed(reaction.code, reaction.display)], severity: a.severe ? 'severe' : 'mild' }],
      });
    }
  }

  private addAlerts(): void {
    if (!this.primary) return;
    for (const key of this.profile.alerts ?? []) {
      const alert = ALERTS[key];
      this.make('Flag', PROFILE.alert, {
        status: 'active',
        category: concept(SYSTEM.loinc, ALERT_CATEGORY.code, ALERT_CATEGORY.display),
        code: snomed(alert.code, alert.display),
        subject: this.subject,
        period: { start: between(this.stream, this.recentFrom, this.lastDate) },
        author: this.practitionerRef(),
      });
    }
  }

  private addDevices(): void {
    if (!this.primary) return;
    for (const key of this.profile.devices ?? []) {
      const d = DEVICES[key];
      const start = between(this.stream, this.recentFrom, this.lastDate);
      const device = this.make('Device', PROFILE.medicalDeviceProduct, {
        status: 'active',
        type: snomed(d.code, d.display),
        patient: this.subject,
      });
      this.make('DeviceUseStatement', PROFILE.medicalDevice, {
        status: 'active',
        subject: this.subject,
        whenUsed: { start },
        recordedOn: this.dateTime(start),
        source: this.practitionerRef(),
        device: referenceTo(device, d.display),
      });
    }
  }

  /** Vaccinations are recorded by the GP (or, when the kind of provider is unknown, the first provider). */
  private addVaccinations(): void {
    const gpPractice = this.provider.soort ? this.provider.soort === 'huisartsenpraktijk' : this.primary;
    if (!gpPractice) return;
    const shots: { vaccine: keyof typeof VACCINES; date: string }[] = [];
    const { birthDate } = this.persona;
    if (this.profile.vaccinations === 'child') {
      for (const s of CHILDHOOD_SCHEDULE)
        shots.push({ vaccine: s.vaccine, date: addDays(birthDate, Math.round(s.ageYears * 365.25) + this.stream.int(0, 40)) });
    } else {
      const lastYear = Number(this.lastDate.slice(0, 4));
      const flu = this.profile.vaccinations === 'elderly' ? 3 : this.stream.int(0, 1);
      for (let i = 0; i < flu; i++) shots.push({ vaccine: 'influenza', date: `${lastYear - i}-10-${String(this.stream.int(10, 31)).padStart(2, '0')}` });
      shots.push({ vaccine: 'covid19', date: between(this.stream, subtractYears(this.lastDate, 4), this.lastDate) });
      if (this.profile.vaccinations === 'elderly') shots.push({ vaccine: 'pneumococcal', date: between(this.stream, this.recentFrom, this.lastDate) });
    }
    for (const shot of shots.filter((s) => s.date >= birthDate && s.date <= this.lastDate).sort((a, b) => a.date.localeCompare(b.date))) {
      const v = VACCINES[shot.vaccine];
      this.make('Immunization', PROFILE.vaccination, {
        status: 'completed',
        notGiven: false,
        vaccineCode: concept(SYSTEM.atc, v.code, v.display),
        patient: this.subject,
        date: shot.date,
        primarySource: true,
        practitioner: [{ actor: this.practitionerRef() }],
      });
    }
  }

  /** Operations (hospital, or any provider when the kind is unknown) and visits. */
  private addProceduresAndEncounters(): void {
    const operates = !this.ggz && (this.hospital || !this.provider.soort);
    const procedures = operates && this.profile.procedures ? pickSome(this.stream, this.profile.procedures.pool, this.profile.procedures.count) : [];
    for (const key of procedures) {
      const p = PROCEDURES[key];
      // Children's operations happen in childhood (tonsils at 4-8), adults' in the recent past.
      const from = key === 'tonsillectomy' ? addYears(this.persona.birthDate, 4) : this.recentFrom;
      const to = key === 'tonsillectomy' ? minDate(addYears(this.persona.birthDate, 8), this.lastDate) : addDays(this.lastDate, -14);
      const date = between(this.stream, from, maxDate(from, to));
      const performer = this.practitionerRef();
      this.make('Procedure', PROFILE.procedure, {
        status: 'completed',
        category: snomed(PROCEDURE_CATEGORY.code, PROCEDURE_CATEGORY.display),
        code: snomed(p.code, p.display),
        subject: this.subject,
        performedPeriod: { start: this.dateTime(date), end: this.dateTime(date).replace(/T\d\d/, 'T17') },
        performer: [{ actor: performer }],
      });
      const discharge = minDate(addDays(date, this.stream.int(1, 4)), this.lastDate);
      this.encounter('IMP', date, discharge, performer, p.display);
    }
    const visits = this.ggz ? this.stream.int(3, 6) : this.hospital ? this.stream.int(1, 3) : this.stream.int(2, 5);
    for (let i = 0; i < visits; i++) {
      const date = between(this.stream, this.recentFrom, this.lastDate);
      const cls = this.hospital && i === 0 ? 'ACUTE' : 'AMB';
      const reason = this.conditions.length > 0 ? this.stream.pick(this.conditions) : undefined;
      this.encounter(cls, date, date, this.practitionerRef(), undefined, reason?.resource);
    }
    // The final admission of a deceased patient, at the hospital (or, kind unknown, the second provider).
    const died = this.persona.deceasedDate;
    if (died && died <= this.lastDate && (this.hospital || (!this.provider.soort && !this.primary))) {
      const admitted = maxDate(addDays(died, -this.stream.int(3, 12)), this.persona.birthDate);
      this.encounter('IMP', admitted, died, this.practitionerRef(), 'Opname in verband met achteruitgang');
    }
  }

  private encounter(cls: 'IMP' | 'AMB' | 'ACUTE', start: string, end: string, who: Reference, reasonText?: string, diagnosis?: FhirResource): void {
    const display = { IMP: 'inpatient encounter', AMB: 'ambulatory', ACUTE: 'inpatient acute' }[cls];
    const reason = reasonText ?? (diagnosis ? (diagnosis.code as { text: string }).text : undefined);
    const startTime = this.dateTime(start);
    let endTime = this.dateTime(end);
    if (endTime < startTime) endTime = startTime; // same day: never end before the start
    this.make('Encounter', PROFILE.encounter, {
      status: 'finished',
      class: coding(SYSTEM.actCode, cls, display),
      subject: this.subject,
      participant: [{ individual: who }],
      period: { start: startTime, end: endTime },
      ...(reason ? { reason: [{ text: reason }] } : {}),
      ...(diagnosis ? { diagnosis: [{ condition: referenceTo(diagnosis, (diagnosis.code as { text: string }).text) }] } : {}),
      serviceProvider: this.organizationRef(),
    });
  }

  // ---- medication (zib MedicationAgreement / Dispense / MedicationUse, with the Product) ----

  private addMedication(picture: Picture): void {
    let medicines = picture.medicines;
    if (this.ggz) {
      // A GGZ prescribes for the problems it treats (which may be its own finding, not in the picture).
      const psychotropic = (key: MedicineKey) => /^N0[56]/.test(MEDICINES[key].atc);
      const fromRecord = this.conditions.flatMap((c) =>
        (MEDICINES_FOR[c.key] ?? []).filter(psychotropic).map((key) => ({
          key,
          start: picture.medicines.find((m) => m.key === key)?.start ?? minDate(addDays(String(c.resource.onsetDateTime), 14), this.lastDate),
        })),
      );
      medicines = fromRecord.length > 0 ? fromRecord : medicines.filter((m) => psychotropic(m.key));
      medicines = medicines.filter((m, i) => medicines.findIndex((x) => x.key === m.key) === i);
    } else if (!this.primary) medicines = medicines.filter(() => this.stream.int(0, 9) < 6);
    if (medicines.length === 0) {
      // Every provider that holds medication data has at least something: a course of paracetamol.
      medicines = [{ key: 'paracetamol', start: between(this.stream, this.recentFrom, this.lastDate) }];
    }
    const died = this.persona.deceasedDate;
    for (const m of medicines) {
      const med = MEDICINES[m.key];
      const product = this.add(medicationProduct(m.key));
      const productRef = referenceTo(product, med.name);
      const prescriber = this.practitionerRef();
      const period: Record<string, string> = { start: m.start };
      if (died) period.end = died;
      const agreement = this.make('MedicationRequest', PROFILE.medicationAgreement, {
        extension: [{ url: EXTENSION.periodOfUse, valuePeriod: period }],
        status: died ? 'completed' : 'active',
        intent: 'order',
        category: snomed('16076005', 'Voorschrijven'),
        medicationReference: productRef,
        subject: this.subject,
        authoredOn: this.dateTime(m.start),
        requester: { agent: prescriber },
        dosageInstruction: [this.dosage(m.key)],
      });
      const dispenses = this.stream.int(1, 2);
      for (let i = 0; i < dispenses; i++) {
        const handedOver = between(this.stream, maxDate(m.start, addDays(this.lastDate, -180)), this.lastDate);
        const perDay = (med.frequency * med.dose) / med.periodDays;
        this.make('MedicationDispense', PROFILE.dispense, {
          status: 'completed',
          category: snomed('422037009', 'Verstrekken van medicatie'),
          medicationReference: productRef,
          subject: this.subject,
          performer: [{ actor: this.organizationRef() }],
          authorizingPrescription: [referenceTo(agreement)],
          quantity: this.doseQuantity(m.key, Math.max(1, Math.ceil(perDay * 90))),
          daysSupply: quantity(90, 'dag', 'd'),
          whenHandedOver: this.dateTime(handedOver),
          dosageInstruction: [this.dosage(m.key)],
        });
      }
      this.make('MedicationStatement', PROFILE.medicationUse, {
        status: died ? 'completed' : 'active',
        category: concept(SYSTEM.medicationUseCategory, '6', 'Medicatiegebruik'),
        medicationReference: productRef,
        effectivePeriod: period,
        dateAsserted: this.dateTime(between(this.stream, m.start, this.lastDate)),
        informationSource: this.subject,
        subject: this.subject,
        taken: 'y',
        dosage: [this.dosage(m.key)],
      });
    }
  }

  private doseQuantity(key: MedicineKey, value: number): Record<string, unknown> {
    const unit = MEDICINES[key].unit;
    return unit === 'stuk' ? { value, unit, system: SYSTEM.gstandaardUnit, code: '245' } : { value, unit };
  }

  private dosage(key: MedicineKey): Record<string, unknown> {
    const m: Medicine = MEDICINES[key];
    const route = ROUTES[m.route];
    const weekly = m.periodDays % 7 === 0;
    return {
      text: m.instruction,
      timing: { repeat: { frequency: m.frequency, period: weekly ? m.periodDays / 7 : m.periodDays, periodUnit: weekly ? 'wk' : 'd' } },
      ...(m.asNeeded ? { asNeededBoolean: true } : {}),
      route: route.code ? { coding: [coding(SYSTEM.gstandaardRoute, route.code, route.display)], text: route.display } : { text: route.display },
      doseQuantity: this.doseQuantity(key, m.dose),
    };
  }

  // ---- laboratory results ----

  private addLabResults(): void {
    const panels = this.profile.labPanels;
    if (panels.length === 0) return;
    const every = this.profile.labPanelsEveryRound ?? [];
    const rounds = Math.max(1, this.stream.int(...this.profile.labRounds));
    const dates = unique(Array.from({ length: rounds }, () => between(this.stream, this.recentFrom, this.lastDate))).sort();
    for (const date of dates) {
      let chosen = panels.filter((p) => every.includes(p) || this.stream.int(0, 1) === 0);
      if (chosen.length === 0) chosen = [this.stream.pick(panels)];
      const collected = this.dateTime(date);
      const specimen = this.make('Specimen', PROFILE.labSpecimen, {
        accessionIdentifier: {
          system: `urn:oid:2.16.528.1.1007.3.3.${(this.staff.organization.identifier as { value: string }[])[1]!.value}.1`,
          value: digits(this.stream, 10),
        },
        status: 'available',
        type: snomed(SPECIMEN_BLOOD.code, SPECIMEN_BLOOD.display),
        subject: this.subject,
        receivedTime: collected,
        collection: { collectedDateTime: collected },
      });
      const tests = unique(chosen.flatMap((p) => LAB_PANELS[p]));
      for (const key of tests) this.labObservation(LAB_TESTS[key], key, collected, specimen);
    }
  }

  private labObservation(test: LabTest, key: keyof typeof LAB_TESTS, effective: string, specimen: FhirResource): void {
    const g = this.persona.gender;
    const bound = (b: LabTest['low']) => (b === undefined ? undefined : typeof b === 'number' ? b : b[g]);
    const shift = this.profile.labShift?.[key];
    const mean = shift?.mean ?? (typeof test.mean === 'number' ? test.mean : test.mean[g]);
    const sd = shift?.sd ?? test.sd;
    const value = round(Math.max(0, normal(this.stream, mean, sd)), test.decimals);
    const low = bound(test.low);
    const high = bound(test.high);
    const flag = low !== undefined && value < low ? ['L', 'Laag'] : high !== undefined && value > high ? ['H', 'Hoog'] : ['N', 'Normaal'];
    const range: Record<string, unknown> = {};
    if (low !== undefined) range.low = quantity(low, test.unit, test.ucum);
    if (high !== undefined) range.high = quantity(high, test.unit, test.ucum);
    this.make('Observation', PROFILE.labObservation, {
      status: 'final',
      category: LAB_CATEGORIES.map((c) => snomed(c.code, c.display)),
      code: loinc(test.loinc, test.display),
      subject: this.subject,
      effectiveDateTime: effective,
      issued: effective.replace(/T(\d\d)/, (_, h: string) => `T${String(Math.min(23, Number(h) + 4)).padStart(2, '0')}`),
      performer: [this.organizationRef()],
      valueQuantity: quantity(value, test.unit, test.ucum),
      interpretation: concept(SYSTEM.interpretation, flag[0]!, flag[1]!),
      specimen: referenceTo(specimen),
      referenceRange: [range],
    });
  }

  // ---- vital signs: blood pressure, heart rate, weight, height over time ----

  private addVitalSigns(picture: Picture): void {
    const rounds = Math.max(1, this.stream.int(...this.profile.vitalRounds));
    const child = this.ageOn(this.lastDate) < 18;
    // Children are measured over the years they grow; adults in the recent past.
    const from = child
      ? maxDate(addYears(this.persona.birthDate, 4), subtractYears(this.lastDate, 10))
      : maxDate(this.recentFrom, subtractYears(this.lastDate, 3));
    const dates = unique(Array.from({ length: rounds }, () => between(this.stream, from, this.lastDate))).sort();
    const [sys, dia] = this.profile.bloodPressure;
    const ageNow = this.ageOn(this.lastDate);
    const adultHeight = ageNow >= 75 ? picture.height - 3 : picture.height;
    let weightDrift = 0;
    dates.forEach((date, i) => {
      const when = this.dateTime(date);
      const who = this.practitionerRef();
      const age = this.ageOn(date);
      const height = round(adultHeight * growthFraction(age), 0);
      weightDrift += normal(this.stream, 0, 0.8);
      const weight = round(picture.bmi * (height / 100) ** 2 + weightDrift, 1);
      const vital = (profile: string, code: { loinc: string; display: string }, body: Record<string, unknown>) =>
        this.make('Observation', profile, {
          status: 'final',
          category: [concept(SYSTEM.observationCategory, 'vital-signs', 'Vitale functies')],
          code: loinc(code.loinc, code.display),
          subject: this.subject,
          effectiveDateTime: when,
          performer: [who],
          ...body,
        });
      vital(PROFILE.bloodPressure, VITALS.bloodPressure, {
        component: [
          { code: loinc(VITALS.systolic.loinc, VITALS.systolic.display), valueQuantity: quantity(round(normal(this.stream, sys, 8), 0), 'mmHg', 'mm[Hg]') },
          { code: loinc(VITALS.diastolic.loinc, VITALS.diastolic.display), valueQuantity: quantity(round(normal(this.stream, dia, 6), 0), 'mmHg', 'mm[Hg]') },
        ],
      });
      vital(PROFILE.heartRate, VITALS.heartRate, { valueQuantity: quantity(round(normal(this.stream, this.profile.heartRate, 7), 0), 'slagen/min', '/min') });
      vital(PROFILE.bodyWeight, VITALS.bodyWeight, { valueQuantity: quantity(weight, 'kg') });
      // Adults' height once (it does not change); children's every time.
      if (child || i === 0) vital(PROFILE.bodyHeight, VITALS.bodyHeight, { valueQuantity: quantity(height, 'cm') });
    });
  }
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
