/** Test helpers: the default topology's DVZAs, and walking a dossier's dates. */
import { addDays } from './dates.js';
import { generateDossier } from './dossier.js';
import { generatePersonas } from './personas.js';
import type { Dossier, Persona, PersonaSetOptions, ProviderRef } from './types.js';

/** The DVZAs of topology.yaml (copied, so these tests do not depend on the topology file). */
export const TEST_PROVIDERS: ProviderRef[] = [
  {
    id: 'dekroon',
    name: 'Huisartsenpraktijk De Kroon',
    zorgaanbiedernaam: 'dekroon@medmij',
    gegevensdiensten: ['1', '3', '4', '5'],
    keys: { '1': 'bgz', '3': 'medicatie', '4': 'lab', '5': 'vitale-functies' },
    soort: 'huisartsenpraktijk',
  },
  {
    id: 'rivierenland',
    name: 'Ziekenhuis Rivierenland',
    zorgaanbiedernaam: 'rivierenland@medmij',
    gegevensdiensten: ['1', '4'],
    keys: { '1': 'bgz', '4': 'lab' },
    soort: 'ziekenhuis',
  },
  {
    id: 'deboog',
    name: 'GGZ De Boog',
    zorgaanbiedernaam: 'ggzdeboog@medmij',
    gegevensdiensten: ['1', '5'],
    keys: { '1': 'bgz', '5': 'vitale-functies' },
    soort: 'ggz-instelling',
  },
];

export const TEST_OPTS: PersonaSetOptions = { seed: 'medmij-sandbox', referenceDate: '2026-06-01', providers: TEST_PROVIDERS };

/** The same DVZAs as topology.yaml has them in afsprakenstelsel 2 (ids 48, 49, 31, 46, 52, 50). */
export const TEST_PROVIDERS_2: ProviderRef[] = [
  { ...TEST_PROVIDERS[0]!, gegevensdiensten: ['48', '49', '31'], keys: { '31': 'medicatie', '48': 'bgz', '49': 'huisartsgegevens' } },
  { ...TEST_PROVIDERS[1]!, gegevensdiensten: ['48', '46', '52', '31'], keys: { '31': 'medicatie', '46': 'lab', '48': 'bgz', '52': 'vitale-functies' } },
  { ...TEST_PROVIDERS[2]!, gegevensdiensten: ['48', '50'], keys: { '48': 'bgz', '50': 'ggz' } },
];

export const TEST_OPTS_2: PersonaSetOptions = { ...TEST_OPTS, providers: TEST_PROVIDERS_2 };

/** Every persona and every dossier of the set. */
export function generateAll(opts: PersonaSetOptions): { personas: Persona[]; dossiers: Dossier[] } {
  const personas = generatePersonas(opts);
  const dossiers = personas.flatMap((p) => p.providers.map((e) => generateDossier(opts, p, e.providerId)));
  return { personas, dossiers };
}

/** Every string in a resource that is a FHIR date or dateTime, with its path. */
export function datesIn(value: unknown, path = '', into: { path: string; value: string }[] = []): { path: string; value: string }[] {
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) into.push({ path, value });
  } else if (Array.isArray(value)) value.forEach((v, i) => datesIn(v, `${path}/${i}`, into));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) datesIn(v, `${path}/${k}`, into);
  return into;
}

/** The last day anything in a persona's record may be dated: the day before the reference date, or the death. */
export function lastPossibleDate(persona: Persona, referenceDate: string): string {
  const dayBefore = addDays(referenceDate, -1);
  return persona.deceasedDate && persona.deceasedDate < dayBefore ? persona.deceasedDate : dayBefore;
}
