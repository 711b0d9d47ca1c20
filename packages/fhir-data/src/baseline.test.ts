/**
 * What the generator produced before the gegevensdiensten Huisartsgegevens (49) and Basisgegevens GGZ (50) got
 * data: hashes recorded on that code. A network where no provider offers them (1.5, or 2 without 49 and 50)
 * must give byte-identical personas and dossiers; where a provider offers them, the dossier may only grow at
 * its end, every resource it had staying as it was.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateAll, TEST_OPTS, TEST_OPTS_2 } from './testing.js';
import type { PersonaSetOptions } from './types.js';

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
/** The people and their data, without the explanatory `scenario` text (words a person reads, free to improve). */
const people = (personas: readonly { scenario: unknown }[]) => personas.map(({ scenario: _text, ...data }) => data);

/** The same network with the new keys taken out of every provider. */
function withoutNewKeys(opts: PersonaSetOptions): PersonaSetOptions {
  return {
    ...opts,
    providers: opts.providers.map((p) => {
      const ids = p.gegevensdiensten.filter((id) => !['huisartsgegevens', 'ggz'].includes(p.keys[id] ?? ''));
      return { ...p, gegevensdiensten: ids, keys: Object.fromEntries(ids.map((id) => [id, p.keys[id]!])) };
    }),
  };
}

/** Per dossier of the afsprakenstelsel-2 set, before: [number of resources, hash of them]. */
const BEFORE_2: Record<string, [number, string]> = {
  'volwassene-meerdere-zorgaanbieders@dekroon': [62, 'c70c97c8bedf5088'],
  'volwassene-meerdere-zorgaanbieders@rivierenland': [56, '3cddb8afcf9d8f42'],
  'volwassene-meerdere-zorgaanbieders@deboog': [56, 'b6123b76927b7fd2'],
  'jongere-15-jaar@dekroon': [62, 'e6444466136bda5d'],
  'wordt-vandaag-16@dekroon': [52, '2fab94345efca4ce'],
  'geen-gegevens-voor-gegevensdienst@rivierenland': [29, 'c9ac250e8e9b35f3'],
  'overleden@dekroon': [91, 'a2048af2421ab7d4'],
  'overleden@rivierenland': [78, 'c61835e7d6cbeab0'],
  'oudere-polyfarmacie@dekroon': [159, '7a5b88d9dde0cfb5'],
  'oudere-polyfarmacie@rivierenland': [110, '38ac47204408bfbf'],
  'volwassene-allergieen@rivierenland': [35, '5143350f67d4e4b5'],
  'volwassene-diabetes@dekroon': [101, 'd1bb915948ae3f6e'],
  'volwassene-diabetes@rivierenland': [84, '323576955a6ec60b'],
  'volwassene-ggz@deboog': [44, '43c14addc9c3d078'],
};

describe('dossiers stay as they were', () => {
  it('1.5 (no provider offers 49 or 50): byte-identical personas and dossiers', () => {
    const { personas, dossiers } = generateAll(TEST_OPTS);
    expect(sha(people(personas))).toBe('bac0a8b2afce5736');
    expect(sha(dossiers.map((d) => d.resources))).toBe('d7f697cf2f88618c');
  });

  it('2 without 49 and 50: byte-identical personas and dossiers', () => {
    const { personas, dossiers } = generateAll(withoutNewKeys(TEST_OPTS_2));
    expect(sha(people(personas))).toBe('60425862aba240d9');
    expect(sha(dossiers.map((d) => d.resources))).toBe('d7f697cf2f88618c');
  });

  it('2: the same personas, and every dossier starts with exactly the resources it had', () => {
    const { personas, dossiers } = generateAll(TEST_OPTS_2);
    expect(sha(people(personas))).toBe('76e356f4e8eecd27');
    expect(dossiers.map((d) => `${d.persona.key}@${d.providerId}`)).toEqual(Object.keys(BEFORE_2));
    for (const d of dossiers) {
      const [count, hash] = BEFORE_2[`${d.persona.key}@${d.providerId}`]!;
      expect(sha(d.resources.slice(0, count)), `${d.persona.key}@${d.providerId}`).toBe(hash);
    }
  });
});
