/**
 * What the parts of a dossier (administrative, clinical, medication, laboratory, vital signs, Huisartsgegevens,
 * Basisgegevens GGZ) see of the dossier being built: the persona, the provider, the seeded streams and the
 * record so far. DossierBuilder in ../dossier.ts implements it; each part draws from `stream` in the order the
 * builder calls it, so the order of the calls in DossierBuilder.build() is part of the output.
 */
import type { RandomStream, SeededRandom } from '@medmij-sandbox/network';
import type { ConditionKey } from '../codes.js';
import type { FhirResource, Reference } from '../fhir.js';
import type { ClinicalProfile } from '../profiles.js';
import type { Persona, PersonaSetOptions, ProviderRef } from '../types.js';
import type { Staff } from './shared-resources.js';

/** A problem recorded in this dossier, for encounters and a GGZ's prescriptions to refer to. */
export interface RecordedCondition {
  key: ConditionKey;
  resource: FhirResource;
}

export interface DossierContext {
  readonly opts: PersonaSetOptions;
  readonly persona: Persona;
  readonly provider: ProviderRef;
  readonly profile: ClinicalProfile;
  /** The network seed's random, for the persona-level streams (the same at every provider). */
  readonly random: SeededRandom;
  /**
   * `fhir-data:dossier:<key>:<providerId>`: what this provider recorded; while the builder runs the part of
   * Huisartsgegevens or Basisgegevens GGZ, that part's own stream (see DossierBuilder.build).
   */
  readonly stream: RandomStream;
  readonly staff: Staff;
  /** The last day anything can have happened: the day before the reference date, or the day of death. */
  readonly lastDate: string;
  /** Start of "recent history" for visits and results: the last six years, never before birth. */
  readonly recentFrom: string;
  readonly ggz: boolean;
  readonly hospital: boolean;
  /** The first provider in the persona's list holds the complete picture; the others part of it. */
  readonly primary: boolean;
  /** A reference to the dossier's Patient (a new object each time). */
  readonly subject: Reference;
  /** The problems recorded so far (filled by the clinical part). */
  readonly conditions: RecordedCondition[];
  /** Adds a new patient-specific resource with the next `<kind>-<8 hex>-<n>` id and the given profile. */
  make(resourceType: string, profile: string, body: Record<string, unknown>): FhirResource;
  /** Adds a resource once (shared resources may be asked for several times). */
  add(resource: FhirResource): FhirResource;
  /** The resources of a type recorded so far, in order. */
  recorded(resourceType: string): FhirResource[];
  /** One of the provider's practitioners (drawn from `stream`), added to the dossier, as a reference. */
  practitionerRef(): Reference;
  organizationRef(): Reference;
  /** A Dutch dateTime on that day, at a time drawn from `stream`. */
  dateTime(date: string): string;
  ageOn(date: string): number;
}
