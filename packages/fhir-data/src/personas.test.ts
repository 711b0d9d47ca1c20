import { describe, expect, it } from 'vitest';
import { isValidBsn } from './bsn.js';
import { addDays, referenceAge, subtractYears } from './dates.js';
import { generateDossier } from './dossier.js';
import { findPersonaByBsn, generatePersonas } from './personas.js';
import { TEST_OPTS, TEST_PROVIDERS } from './testing.js';
import type { Persona } from './types.js';

const personas = generatePersonas(TEST_OPTS);
const only = (tag: string, list: Persona[] = personas): Persona => {
  const found = list.filter((p) => p.tags.includes(tag));
  expect(found, `personas tagged '${tag}'`).toHaveLength(1);
  return found[0]!;
};

describe('the persona set', () => {
  it('has every required situation, each on exactly one persona', () => {
    for (const tag of ['several-providers', 'under-16', 'turns-16-today', 'unknown', 'no-data-for-gegevensdienst', 'deceased', 'elderly', 'polypharmacy'])
      only(tag);
    expect(personas.filter((p) => p.tags.includes('adult')).length).toBeGreaterThanOrEqual(3);
    expect(new Set(personas.map((p) => p.key)).size).toBe(personas.length);
    for (const p of personas) {
      expect(p.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.scenario.nl.length).toBeGreaterThan(20);
      expect(p.scenario.en.length).toBeGreaterThan(20);
      expect(p.age).toBe(referenceAge(p.birthDate, TEST_OPTS.referenceDate));
    }
  });

  it('ages: 15, exactly 16 today, 80+', () => {
    expect(only('under-16').age).toBe(15);
    const sixteen = only('turns-16-today');
    expect(sixteen.birthDate).toBe('2010-06-01');
    expect(sixteen.age).toBe(16);
    expect(referenceAge(sixteen.birthDate, addDays(TEST_OPTS.referenceDate, -1))).toBe(15);
    expect(only('elderly').age).toBeGreaterThanOrEqual(80);
    for (const p of personas.filter((p) => p.tags.includes('adult'))) expect(p.age).toBeGreaterThanOrEqual(18);
  });

  it('handles 29 February as a reference date', () => {
    for (const referenceDate of ['2024-02-29', '2025-02-28', '2025-03-01', '2028-02-29']) {
      const set = generatePersonas({ ...TEST_OPTS, referenceDate });
      const sixteen = only('turns-16-today', set);
      expect(sixteen.birthDate).toBe(subtractYears(referenceDate, 16));
      expect(sixteen.age).toBe(16);
      expect(referenceAge(sixteen.birthDate, addDays(referenceDate, -1))).toBe(15);
      expect(only('under-16', set).age).toBe(15);
    }
    expect(subtractYears('2024-02-29', 16)).toBe('2008-02-29');
    expect(subtractYears('2024-02-29', 15)).toBe('2009-02-28');
    // Born on 29 February: a year older on 1 March when the year has no 29 February.
    expect(referenceAge('2008-02-29', '2025-02-28')).toBe(16);
    expect(referenceAge('2008-02-29', '2025-03-01')).toBe(17);
  });

  it('the unknown persona has no provider; the others have at least one', () => {
    expect(only('unknown').providers).toEqual([]);
    for (const p of personas.filter((p) => !p.tags.includes('unknown'))) expect(p.providers.length).toBeGreaterThan(0);
    expect(only('several-providers').providers.length).toBeGreaterThanOrEqual(2);
  });

  it('the no-data persona misses exactly one gegevensdienst its provider offers', () => {
    const p = only('no-data-for-gegevensdienst');
    expect(p.providers).toHaveLength(1);
    const offered = TEST_PROVIDERS.find((x) => x.id === p.providers[0]!.providerId)!.gegevensdiensten;
    const missing = offered.filter((g) => !p.providers[0]!.gegevensdiensten.includes(g));
    expect(missing).toEqual(['4']);
    expect(p.scenario.en).toContain('laboratory results');
  });

  it('BSNs are unique, in the 9999 test range and pass the 11-proef', () => {
    expect(new Set(personas.map((p) => p.bsn)).size).toBe(personas.length);
    for (const p of personas) {
      expect(p.bsn).toMatch(/^9999\d{5}$/);
      expect(isValidBsn(p.bsn)).toBe(true);
    }
    expect(isValidBsn('999911120')).toBe(true); // the MedMij qualification test BSN
    const bsn = personas[0]!.bsn;
    const wrongCheck = `${bsn.slice(0, 8)}${(Number(bsn[8]) + 1) % 10}`;
    expect(isValidBsn(wrongCheck)).toBe(false);
    expect(isValidBsn('12345678')).toBe(false);
    expect(isValidBsn('12345678a')).toBe(false);
    expect(isValidBsn('000000000')).toBe(false);
  });

  it('the deceased persona died before the reference date', () => {
    const p = only('deceased');
    expect(p.deceasedDate).toBeDefined();
    expect(p.deceasedDate! < TEST_OPTS.referenceDate).toBe(true);
    expect(p.deceasedDate! > p.birthDate).toBe(true);
    for (const other of personas.filter((x) => x !== p)) expect(other.deceasedDate).toBeUndefined();
  });

  it('the elderly persona uses at least 8 medicines at its first provider', () => {
    const p = only('polypharmacy');
    const dossier = generateDossier(TEST_OPTS, p, p.providers[0]!.providerId);
    const active = dossier.resources.filter((r) => r.resourceType === 'MedicationStatement' && r.status === 'active');
    expect(active.length).toBeGreaterThanOrEqual(8);
    const products = new Set(active.map((r) => (r.medicationReference as { reference: string }).reference));
    expect(products.size).toBe(active.length);
  });

  it('names are Dutch-looking, with the tussenvoegsel apart', () => {
    for (const p of personas) {
      expect(p.name.display).toBe([p.name.given, p.name.prefix, p.name.family].filter(Boolean).join(' '));
      if (p.name.prefix) expect(p.name.prefix).toMatch(/^[a-z' ]+$/);
      expect(p.name.family).toMatch(/^[A-Z]/);
    }
  });

  it('findPersonaByBsn', () => {
    const p = personas[3]!;
    expect(findPersonaByBsn(personas, p.bsn)).toBe(p);
    expect(findPersonaByBsn(personas, '999911120')).toBeUndefined();
  });

  it('degrades gracefully with fewer providers', () => {
    const one = generatePersonas({ ...TEST_OPTS, providers: TEST_PROVIDERS.slice(0, 1) });
    expect(one.map((p) => p.bsn)).toEqual(personas.map((p) => p.bsn));
    expect(one.find((p) => p.key === 'volwassene-meerdere-zorgaanbieders')!.tags).not.toContain('several-providers');
    const noData = one.find((p) => p.key === 'geen-gegevens-voor-gegevensdienst')!;
    expect(noData.providers).toEqual([{ providerId: 'dekroon', gegevensdiensten: ['1', '3', '5'] }]);
    for (const p of one)
      for (const e of p.providers) expect(() => generateDossier({ ...TEST_OPTS, providers: TEST_PROVIDERS.slice(0, 1) }, p, e.providerId)).not.toThrow();

    const none = generatePersonas({ ...TEST_OPTS, providers: [] });
    expect(none).toHaveLength(personas.length);
    for (const p of none) expect(p.providers).toEqual([]);

    // Without `soort` every provider gets a general record.
    const plain = TEST_PROVIDERS.map(({ soort: _, ...p }) => p);
    const set = generatePersonas({ ...TEST_OPTS, providers: plain });
    for (const p of set)
      for (const e of p.providers) expect(generateDossier({ ...TEST_OPTS, providers: plain }, p, e.providerId).resources.length).toBeGreaterThan(1);
  });

  it('rejects a bad reference date', () => {
    expect(() => generatePersonas({ ...TEST_OPTS, referenceDate: '2026-02-30' })).toThrow(/referenceDate: invalid date '2026-02-30'/);
    expect(() => generatePersonas({ ...TEST_OPTS, referenceDate: '1-6-2026' })).toThrow(/YYYY-MM-DD/);
  });
});
