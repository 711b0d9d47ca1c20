/**
 * A persona's dossier at one DVZA: FHIR STU3 resources shaped after the Dutch zibs / nl-core profiles.
 *
 * Streams (all derived from the network seed, so nothing shifts when a persona or provider is added):
 * - `fhir-data:persona-clinical:<key>`: the persona's clinical picture (chronic problems, allergies, medicines,
 *   body size), the same at every provider;
 * - `fhir-data:persona-admin:<key>`: address, phone, insurer, contact person, own GP;
 * - `fhir-data:provider:<id>`: the provider's organisation and staff, the same in every dossier there;
 * - `fhir-data:dossier:<key>:<providerId>`: what this provider recorded (which problems, visits, results);
 * - `fhir-data:huisartsgegevens:<key>:<providerId>` and `fhir-data:ggz:<key>:<providerId>`: the parts of
 *   gegevensdienst 49 and 50 (afsprakenstelsel 2), each from its own stream and added last, so a provider that
 *   offers them leaves every other resource of the dossier as it was, and one that does not is unchanged.
 *
 * Which parts a provider holds: the BgZ (gegevensdienst 1) is the whole record, except that lab results,
 * medication and vital signs appear only when the provider holds data for their own gegevensdienst (4, 3, 5)
 * or does not offer that gegevensdienst at all. So a provider that offers lab results but holds none for
 * this persona has none in its BgZ either. Huisartsgegevens and Basisgegevens GGZ are added only where the
 * provider holds them, and are not part of the BgZ (gegevensdiensten.ts): the BgZ's zibs already summarise
 * the same record.
 *
 * Ids: patient-specific resources are `<kind>-<8 hex>-<n>` (the hex from `fhir-data:ids:<key>:<providerId>`,
 * no BSN in ids); resources shared by dossiers at one provider (its Organization and Practitioners,
 * insurers, Medication products, a persona's own GP) have fixed ids and identical content everywhere, so a
 * resource server can keep all dossiers of a provider in one store.
 *
 * This file holds the entry point and the DossierBuilder: the record's plumbing (ids, adding each resource
 * once, references, times of day) and the order in which the parts are added, which is part of the
 * output. The parts are in ./dossier/: the persona's picture (persona-picture.ts), shared resources
 * (shared-resources.ts), the BgZ's administrative and clinical zibs (administrative.ts, clinical.ts), and
 * the parts that are also a gegevensdienst of their own: medication.ts (3), laboratory.ts (4) and
 * vital-signs.ts (5), and in afsprakenstelsel 2 huisartsgegevens.ts (49) and basisgegevens-ggz.ts (50).
 */
import { SeededRandom, type RandomStream } from '@medmij-sandbox/network';
import { addDays, assertDate, dutchDateTime, maxDate, minDate, referenceAge, subtractYears } from './dates.js';
import { referenceTo, type FhirResource, type Reference } from './fhir.js';
import { profileFor, type ClinicalProfile } from './profiles.js';
import type { Dossier, Persona, PersonaSetOptions, ProviderRef, GegevensdienstKey } from './types.js';
import { addContactPerson, addCoverage, addDirectives, addPatient } from './dossier/administrative.js';
import { addBasisgegevensGgz } from './dossier/basisgegevens-ggz.js';
import { addAlerts, addAllergies, addConditions, addDevices, addProceduresAndEncounters, addVaccinations } from './dossier/clinical.js';
import type { DossierContext, RecordedCondition } from './dossier/context.js';
import { addHuisartsgegevens } from './dossier/huisartsgegevens.js';
import { addLabResults } from './dossier/laboratory.js';
import { addMedication } from './dossier/medication.js';
import { adminDetails, clinicalPicture, generalPractitioner } from './dossier/persona-picture.js';
import { providerStaff, type Staff } from './dossier/shared-resources.js';
import { addVitalSigns } from './dossier/vital-signs.js';

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
  return { persona, providerId, keys: { ...provider.keys }, resources: new DossierBuilder(opts, persona, provider, entry.gegevensdiensten).build() };
}

class DossierBuilder implements DossierContext {
  readonly random: SeededRandom;
  /** The stream the part being added draws from (see drawingFrom). */
  private current: RandomStream;
  private readonly idTag: string;
  private readonly counters = new Map<string, number>();
  private readonly resources: FhirResource[] = [];
  private readonly byId = new Map<string, FhirResource>();
  readonly profile: ClinicalProfile;
  /** The last day anything can have happened: the day before the reference date, or the day of death. */
  readonly lastDate: string;
  readonly staff: Staff;
  readonly ggz: boolean;
  readonly hospital: boolean;
  readonly primary: boolean;
  private patient!: FhirResource;
  readonly conditions: RecordedCondition[] = [];

  constructor(
    readonly opts: PersonaSetOptions,
    readonly persona: Persona,
    readonly provider: ProviderRef,
    private readonly held: string[],
  ) {
    this.random = new SeededRandom(opts.seed);
    this.current = this.random.stream(`fhir-data:dossier:${persona.key}:${provider.id}`);
    this.idTag = this.random.stream(`fhir-data:ids:${persona.key}:${provider.id}`).hex(4);
    this.profile = profileFor(persona.key);
    this.lastDate = persona.deceasedDate ? minDate(persona.deceasedDate, addDays(opts.referenceDate, -1)) : addDays(opts.referenceDate, -1);
    this.staff = providerStaff(opts.seed, opts.referenceDate, provider);
    this.ggz = provider.soort === 'ggz-instelling';
    this.hospital = provider.soort === 'ziekenhuis';
    // The first provider in the persona's list holds the complete picture; the others part of it.
    this.primary = persona.providers[0]?.providerId === provider.id;
  }

  /** Does this provider hold (data for) the gegevensdienst with this key? */
  private has(ids: string[], key: GegevensdienstKey): boolean {
    return ids.some((id) => this.provider.keys[id] === key);
  }

  /** Does this provider hold the data of gegevensdienst `own`, directly or as part of its BgZ? */
  private holds(own: GegevensdienstKey): boolean {
    return this.has(this.held, own) || (this.has(this.held, 'bgz') && !this.has(this.provider.gegevensdiensten, own));
  }

  build(): FhirResource[] {
    const picture = clinicalPicture(this);
    const admin = adminDetails(this);
    const bgz = this.has(this.held, 'bgz');
    const gp = generalPractitioner(this, admin);
    this.patient = addPatient(this, admin, gp); // first, so a dossier reads from the patient outwards
    this.add(this.staff.organization);
    this.add(gp);
    if (bgz) {
      addCoverage(this, admin);
      addContactPerson(this, admin);
      if (this.profile.directives) addDirectives(this);
      addConditions(this, picture);
      addAllergies(this, picture);
      addAlerts(this);
      addDevices(this);
      addVaccinations(this);
      addProceduresAndEncounters(this);
    }
    if (this.holds('medicatie')) addMedication(this, picture);
    if (this.holds('lab')) addLabResults(this);
    if (this.holds('vitale-functies')) addVitalSigns(this, picture);
    // Afsprakenstelsel 2's parts: only where held (never inside the BgZ), last, each from a stream of its own.
    if (this.has(this.held, 'huisartsgegevens')) this.drawingFrom('huisartsgegevens', () => addHuisartsgegevens(this, picture));
    if (this.has(this.held, 'ggz')) this.drawingFrom('ggz', () => addBasisgegevensGgz(this, picture, gp));
    return this.resources;
  }

  get stream(): RandomStream {
    return this.current;
  }

  /** Runs a part with `fhir-data:<part>:<key>:<providerId>` as the stream, so its draws move nothing else. */
  private drawingFrom(part: string, add: () => void): void {
    const main = this.current;
    this.current = this.random.stream(`fhir-data:${part}:${this.persona.key}:${this.provider.id}`);
    try {
      add();
    } finally {
      this.current = main;
    }
  }

  // ---- plumbing ----

  private nextId(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}-${this.idTag}-${n}`;
  }

  make(resourceType: string, profile: string, body: Record<string, unknown>): FhirResource {
    const resource: FhirResource = { resourceType, id: this.nextId(resourceType.toLowerCase()), meta: { profile: [profile] }, ...body };
    return this.add(resource);
  }

  /** Adds a resource once (shared resources may be asked for several times). */
  add(resource: FhirResource): FhirResource {
    const seen = this.byId.get(`${resource.resourceType}/${resource.id}`);
    if (seen) return seen;
    this.byId.set(`${resource.resourceType}/${resource.id}`, resource);
    this.resources.push(resource);
    return resource;
  }

  recorded(resourceType: string): FhirResource[] {
    return this.resources.filter((r) => r.resourceType === resourceType);
  }

  get subject(): Reference {
    return referenceTo(this.patient, this.persona.name.display);
  }

  private practitioner(): FhirResource {
    return this.add(this.stream.pick(this.staff.practitioners));
  }

  practitionerRef(): Reference {
    const p = this.practitioner();
    return referenceTo(p, (p.name as { text: string }[])[0]!.text);
  }

  organizationRef(): Reference {
    return referenceTo(this.staff.organization, this.provider.name);
  }

  dateTime(date: string): string {
    return dutchDateTime(date, this.stream.int(8, 16), this.stream.pick([0, 15, 30, 45]));
  }

  /** Start of "recent history" for visits and results: the last six years, never before birth. */
  get recentFrom(): string {
    return maxDate(this.persona.birthDate, subtractYears(this.lastDate, 6));
  }

  ageOn(date: string): number {
    return referenceAge(this.persona.birthDate, date);
  }
}
