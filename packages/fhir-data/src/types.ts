import type { FhirResource } from './fhir.js';

/**
 * The gegevensdiensten whose data this package generates, by version-neutral key (topology.yaml `key`).
 * Huisartsgegevens (49) and Basisgegevens GGZ (50) exist in afsprakenstelsel 2 only.
 */
export type GegevensdienstKey = 'bgz' | 'medicatie' | 'lab' | 'vitale-functies' | 'huisartsgegevens' | 'ggz';

/** A DVZA participant of the topology, as far as the generator needs it. */
export interface ProviderRef {
  id: string;
  name: string;
  zorgaanbiedernaam: string;
  /** The ids it offers, in the network's afsprakenstelsel (BgZ is 1 in 1.5, 48 in 2). */
  gegevensdiensten: string[];
  /** The version-neutral key of each of those ids (bgz, medicatie, lab, vitale-functies, huisartsgegevens, ggz): what the generator decides by. */
  keys: Record<string, GegevensdienstKey | string>;
  /**
   * Optional: the kind of care provider from the topology ('huisartsenpraktijk', 'ziekenhuis',
   * 'ggz-instelling', ...). When given, dossiers fit it (a GGZ record holds mental-health problems,
   * a hospital has admissions); when absent every provider gets a general record.
   */
  soort?: string;
}

export interface PersonaSetOptions {
  /** The network seed (topology.yaml `seed`). */
  seed: string;
  /** The day ages and dossier dates are computed against, YYYY-MM-DD. */
  referenceDate: string;
  /** The DVZAs, in topology order. */
  providers: ProviderRef[];
}

export interface Persona {
  /** Stable slug, e.g. 'volwassene-meerdere-zorgaanbieders'. */
  key: string;
  /** 9 digits, valid 11-proef, in the test range 9999xxxxx, unique within the set. */
  bsn: string;
  name: { given: string; prefix?: string; family: string; display: string };
  gender: 'male' | 'female';
  birthDate: string;
  deceasedDate?: string;
  /** Whole years on the reference date. */
  age: number;
  /** One sentence: which MedMij situation this persona demonstrates. */
  scenario: { nl: string; en: string };
  tags: string[];
  /** Where the persona has a treatment relation, and for which gegevensdiensten that provider holds data. */
  providers: { providerId: string; gegevensdiensten: string[] }[];
}

export interface Dossier {
  persona: Persona;
  providerId: string;
  /** The provider's gegevensdienst ids and their keys (ProviderRef.keys), so a dossier splits by id. */
  keys: Record<string, string>;
  resources: FhirResource[];
}
