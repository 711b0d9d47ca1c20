/**
 * The synthetic patients of the sandbox ("personas"): each demonstrates one MedMij situation (several
 * providers, the under-16 rule, the 16th birthday, unknown at every provider, a missing gegevensdienst,
 * a deceased patient, polypharmacy, ...).
 *
 * Determinism: every persona draws from its own stream `fhir-data:persona:<key>` (and its BSN from
 * `fhir-data:bsn:<key>`), so adding a persona or a provider never changes another persona's name, birth
 * date or BSN. Only the provider *assignment* depends on the provider list, and it picks by position and
 * by the gegevensdiensten offered, never by id.
 */
import { SeededRandom, type RandomStream } from '@medmij-sandbox/network';
import { drawTestBsn, isValidBsn } from './bsn.js';
import { addDays, assertDate, daysBetween, referenceAge, subtractYears } from './dates.js';
import { dutchName, seededFaker } from './people.js';
import type { GegevensdienstKey, Persona, PersonaSetOptions, ProviderRef } from './types.js';

type ProviderEntry = Persona['providers'][number];

/** Display names of the gegevensdiensten this package knows, by key, for scenario sentences. */
const GEGEVENSDIENST_NAMES: Record<string, { nl: string; en: string }> = {
  bgz: { nl: 'Basisgegevens Zorg (BgZ)', en: 'Basisgegevens Zorg (patient summary)' },
  medicatie: { nl: 'Medicatiegegevens', en: 'medication data' },
  lab: { nl: 'Laboratoriumresultaten', en: 'laboratory results' },
  'vitale-functies': { nl: 'Meetwaarden vitale functies', en: 'vital signs' },
  huisartsgegevens: { nl: 'Huisartsgegevens', en: 'general practitioner data' },
  ggz: { nl: 'Basisgegevens GGZ', en: 'mental health care data' },
};

function gegevensdienstName(provider: ProviderRef, id: string): { nl: string; en: string } {
  return GEGEVENSDIENST_NAMES[provider.keys[id] ?? ''] ?? { nl: `gegevensdienst ${id}`, en: `gegevensdienst ${id}` };
}

/** The id under which this provider offers the gegevensdienst with this key, if it does. */
function offered(provider: ProviderRef, key: GegevensdienstKey): string | undefined {
  return provider.gegevensdiensten.find((id) => provider.keys[id] === key);
}

const all = (p: ProviderRef): ProviderEntry => ({ providerId: p.id, gegevensdiensten: [...p.gegevensdiensten] });

/** How a persona's age is set. */
type AgeSpec = { years: [number, number] } | { turns: number } | { diedAged: [number, number]; diedDaysAgo: [number, number] };

interface PersonaSpec {
  key: string;
  age: AgeSpec;
  gender?: 'male' | 'female';
  /** Where the persona is known; also returns the tags and scenario, which depend on what could be arranged. */
  place(providers: ProviderRef[]): { providers: ProviderEntry[]; tags: string[]; scenario: { nl: string; en: string } };
}

/** The provider for the 'no data for one gegevensdienst' persona, and the gegevensdienst left empty. */
function missingGegevensdienst(providers: ProviderRef[]): { provider: ProviderRef; missing: string } | undefined {
  if (providers.length === 0) return undefined;
  // Start at the second provider, so this persona does not pile onto the first one with the others.
  const rotated = providers.map((_, i) => providers[(i + 1) % providers.length]!);
  const withLab = rotated.find((p) => offered(p, 'lab') && p.gegevensdiensten.length >= 2);
  if (withLab) return { provider: withLab, missing: offered(withLab, 'lab')! };
  const several = rotated.find((p) => p.gegevensdiensten.length >= 2);
  if (several)
    return { provider: several, missing: several.gegevensdiensten.filter((g) => several.keys[g] !== 'bgz').at(-1) ?? several.gegevensdiensten.at(-1)! };
  return { provider: rotated[0]!, missing: rotated[0]!.gegevensdiensten[0]! };
}

const SPECS: PersonaSpec[] = [
  {
    key: 'volwassene-meerdere-zorgaanbieders',
    age: { years: [30, 55] },
    place: (providers) => {
      const chosen = providers.slice(0, 3);
      return {
        providers: chosen.map(all),
        tags: ['adult', ...(chosen.length >= 2 ? ['several-providers'] : [])],
        scenario: {
          nl: `Volwassene met een dossier bij ${chosen.length} zorgaanbieder(s): de PGO haalt de gegevens per zorgaanbieder apart op, elk met een eigen toestemming.`,
          en: `An adult with records at ${chosen.length} care provider(s): the PGO collects from each provider separately, each with its own consent.`,
        },
      };
    },
  },
  {
    key: 'jongere-15-jaar',
    age: { years: [15, 15] },
    place: (providers) => ({
      providers: providers.slice(0, 1).map(all),
      tags: ['under-16'],
      scenario: {
        nl: 'Jongere van 15: heeft wel een dossier, maar in MedMij geen route om het op te halen: zelf pas vanaf 16, ouders alleen voor een kind onder de 12.',
        en: 'A 15-year-old: has a record, but no route in MedMij to collect it: on their own only from 16, parents only for a child under 12.',
      },
    }),
  },
  {
    key: 'wordt-vandaag-16',
    age: { turns: 16 },
    place: (providers) => ({
      providers: providers.slice(0, 1).map(all),
      tags: ['turns-16-today'],
      scenario: {
        nl: 'Wordt vandaag 16: precies op de grens van de leeftijdstoets, en mag vanaf vandaag zelf gegevens ophalen.',
        en: 'Turns 16 today: exactly on the age-check boundary, and may collect their own data from today.',
      },
    }),
  },
  {
    key: 'onbekend-bij-zorgaanbieders',
    age: { years: [25, 60] },
    place: () => ({
      providers: [],
      tags: ['unknown'],
      scenario: {
        nl: 'Geldig BSN, maar bij geen enkele zorgaanbieder bekend: elke zorgaanbieder meldt dat er geen behandelrelatie is.',
        en: 'A valid BSN known to no care provider: every provider reports that there is no treatment relation.',
      },
    }),
  },
  {
    key: 'geen-gegevens-voor-gegevensdienst',
    age: { years: [25, 65] },
    place: (providers) => {
      const found = missingGegevensdienst(providers);
      if (!found)
        return {
          providers: [],
          tags: ['adult'],
          scenario: { nl: 'Volwassene zonder zorgaanbieders in deze topologie.', en: 'An adult; this topology has no care providers.' },
        };
      const { provider, missing } = found;
      const name = gegevensdienstName(provider, missing);
      return {
        providers: [{ providerId: provider.id, gegevensdiensten: provider.gegevensdiensten.filter((g) => g !== missing) }],
        tags: ['adult', 'no-data-for-gegevensdienst'],
        scenario: {
          nl: `Heeft een behandelrelatie met ${provider.name}, maar die heeft geen ${name.nl} van deze patiënt: de beschikbaarheidstoets voor die gegevensdienst is negatief (in 1.5 access_denied; in 2 biedt de toestemmingspagina hem niet aan).`,
          en: `Has a treatment relation with ${provider.name}, which holds no ${name.en} for this patient: the beschikbaarheidstoets for that gegevensdienst is negative (in 1.5 access_denied; in 2 the consent page does not offer it).`,
        },
      };
    },
  },
  {
    key: 'overleden',
    age: { diedAged: [70, 88], diedDaysAgo: [14, 400] },
    place: (providers) => ({
      providers: providers.slice(0, 2).map(all),
      tags: ['deceased'],
      scenario: {
        nl: 'Overleden patiënt: het dossier eindigt op de overlijdensdatum (Patient.deceasedDateTime); wie toch inlogt, krijgt van de zorgaanbieder niets (beschikbaarheidstoets negatief).',
        en: 'A deceased patient: the record ends on the date of death (Patient.deceasedDateTime), and whoever still logs in as them gets nothing from the provider (negative beschikbaarheidstoets).',
      },
    }),
  },
  {
    key: 'oudere-polyfarmacie',
    age: { years: [82, 92] },
    place: (providers) => {
      const medication = providers.find((p) => offered(p, 'medicatie')) ?? providers[0];
      const other = providers.find((p) => p !== medication);
      return {
        providers: [medication, other].filter((p): p is ProviderRef => p !== undefined).map(all),
        tags: ['elderly', 'polypharmacy'],
        scenario: {
          nl: 'Oudere (80+) met polyfarmacie: een lange medicatielijst (8 of meer middelen), een valrisico-alert en een wilsverklaring.',
          en: 'An elderly patient (80+) with polypharmacy: a long medication list (8 or more medicines), a fall-risk alert and an advance directive.',
        },
      };
    },
  },
  {
    key: 'volwassene-allergieen',
    age: { years: [18, 40] },
    place: (providers) => ({
      providers: providers.slice(Math.min(1, providers.length - 1), Math.min(1, providers.length - 1) + 1).map(all),
      tags: ['adult', 'allergies'],
      scenario: {
        nl: 'Volwassene met meerdere allergieën (geneesmiddel, voedsel, omgeving) en een allergie-alert.',
        en: 'An adult with several allergies (a medicine, a food, something in the environment) and an allergy alert.',
      },
    }),
  },
  {
    key: 'volwassene-diabetes',
    age: { years: [50, 70] },
    place: (providers) => {
      const lab = providers.find((p, i) => i > 0 && offered(p, 'lab'));
      return {
        providers: [providers[0], lab].filter((p): p is ProviderRef => p !== undefined).map(all),
        tags: ['adult', 'chronic-condition'],
        scenario: {
          nl: 'Volwassene met diabetes type 2 en hypertensie: jaren aan labwaarden en bloeddrukmetingen, goed voor grafieken.',
          en: 'An adult with type 2 diabetes and hypertension: years of lab results and blood-pressure readings, good for charts.',
        },
      };
    },
  },
  {
    key: 'volwassene-ggz',
    age: { years: [22, 45] },
    place: (providers) => {
      const ggz = providers.find((p) => p.soort === 'ggz-instelling') ?? providers.at(-1);
      return {
        providers: ggz ? [all(ggz)] : [],
        tags: ['adult', 'mental-health'],
        scenario: {
          nl: 'Volwassene in behandeling voor een depressie of angststoornis: een dossier met psychische problematiek en psychofarmaca.',
          en: 'An adult treated for depression or an anxiety disorder: a record with mental-health problems and psychotropic medicines.',
        },
      };
    },
  },
];

/** The persona keys in generation order. */
export const PERSONA_KEYS: readonly string[] = SPECS.map((s) => s.key);

export function generatePersonas(opts: PersonaSetOptions): Persona[] {
  assertDate(opts.referenceDate, 'referenceDate');
  const ids = new Set<string>();
  for (const p of opts.providers) {
    if (ids.has(p.id)) throw new Error(`provider '${p.id}' is listed twice`);
    ids.add(p.id);
  }
  const random = new SeededRandom(opts.seed);
  const bsns = new Set<string>();
  return SPECS.map((spec) => {
    const stream = random.stream(`fhir-data:persona:${spec.key}`);
    const faker = seededFaker(stream, opts.referenceDate);
    const gender = spec.gender ?? (stream.int(0, 1) === 0 ? 'female' : 'male');
    const name = dutchName(faker, gender);
    const { birthDate, deceasedDate } = drawDates(spec.age, opts.referenceDate, stream);
    // A clash between two personas' BSNs (rare: ~9,000 valid test BSNs) is resolved by drawing again.
    const bsn = drawTestBsn(random.stream(`fhir-data:bsn:${spec.key}`), bsns);
    bsns.add(bsn);
    const placed = spec.place(opts.providers);
    const persona: Persona = {
      key: spec.key,
      bsn,
      name,
      gender,
      birthDate,
      ...(deceasedDate ? { deceasedDate } : {}),
      age: referenceAge(birthDate, opts.referenceDate),
      scenario: placed.scenario,
      tags: placed.tags,
      providers: placed.providers,
    };
    return persona;
  });
}

/**
 * Birth (and death) dates. An exact age A is a birth date in the year before `referenceDate − A years`;
 * the day offset stays 1..300 days so nobody else has their birthday on the reference date.
 */
function drawDates(age: AgeSpec, referenceDate: string, stream: RandomStream): { birthDate: string; deceasedDate?: string } {
  if ('turns' in age) return { birthDate: subtractYears(referenceDate, age.turns) };
  if ('years' in age) {
    const years = stream.int(age.years[0], age.years[1]);
    // The 15-year-old stays well clear of both birthdays, so "15" holds for weeks around the date.
    const offset = years < 18 ? stream.int(30, 300) : stream.int(1, 300);
    return { birthDate: addDays(subtractYears(referenceDate, years), -offset) };
  }
  const deceasedDate = addDays(referenceDate, -stream.int(age.diedDaysAgo[0], age.diedDaysAgo[1]));
  const years = stream.int(age.diedAged[0], age.diedAged[1]);
  const birthDate = addDays(subtractYears(deceasedDate, years), -stream.int(1, 300));
  if (daysBetween(birthDate, deceasedDate) <= 0) throw new Error('internal: death before birth');
  return { birthDate, deceasedDate };
}

export function findPersonaByBsn(personas: Persona[], bsn: string): Persona | undefined {
  return personas.find((p) => p.bsn === bsn);
}

export { isValidBsn };
