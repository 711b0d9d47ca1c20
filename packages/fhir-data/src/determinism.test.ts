import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateAll, TEST_OPTS, TEST_PROVIDERS } from './testing.js';
import { generatePersonas } from './personas.js';
import type { PersonaSetOptions } from './types.js';

const json = (opts: PersonaSetOptions) => {
  const { personas, dossiers } = generateAll(opts);
  return { personas: JSON.stringify(personas), dossiers: dossiers.map((d) => JSON.stringify(d.resources)) };
};

describe('determinism', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('same seed, reference date and providers give byte-identical personas and dossiers', () => {
    const a = json(TEST_OPTS);
    const b = json({ ...TEST_OPTS, providers: TEST_PROVIDERS.map((p) => ({ ...p, gegevensdiensten: [...p.gegevensdiensten] })) });
    expect(b.personas).toBe(a.personas);
    expect(b.dossiers).toEqual(a.dossiers);
    expect(a.dossiers.length).toBeGreaterThan(10);
  });

  it('another seed gives other names and BSNs', () => {
    const a = generatePersonas(TEST_OPTS);
    const b = generatePersonas({ ...TEST_OPTS, seed: 'another-seed' });
    expect(b.map((p) => p.key)).toEqual(a.map((p) => p.key));
    expect(b.map((p) => p.name.display)).not.toEqual(a.map((p) => p.name.display));
    const sameBsn = b.filter((p, i) => p.bsn === a[i]!.bsn);
    expect(sameBsn.length).toBeLessThanOrEqual(1); // ~1 in 9,000 per persona by chance
    expect(new Set([...a, ...b].map((p) => p.bsn)).size).toBeGreaterThan(a.length);
  });

  it('does not depend on the wall clock', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2001-01-01T03:00:00Z'));
    const early = json(TEST_OPTS);
    vi.setSystemTime(new Date('2049-07-15T21:30:00Z'));
    const late = json(TEST_OPTS);
    expect(late.personas).toBe(early.personas);
    expect(late.dossiers).toEqual(early.dossiers);
  });

  it('the reference date moves ages and dates, not names or BSNs', () => {
    const a = generatePersonas(TEST_OPTS);
    const b = generatePersonas({ ...TEST_OPTS, referenceDate: '2030-01-15' });
    expect(b.map((p) => [p.name.display, p.bsn])).toEqual(a.map((p) => [p.name.display, p.bsn]));
    expect(b.map((p) => p.birthDate)).not.toEqual(a.map((p) => p.birthDate));
  });

  it('adding a provider changes no persona identity, and no dossier whose relations stayed the same', () => {
    const extra = {
      id: 'extra',
      name: 'Extra Ziekenhuis',
      zorgaanbiedernaam: 'extra@medmij',
      gegevensdiensten: ['1', '4'],
      keys: { '1': 'bgz', '4': 'lab' },
      soort: 'ziekenhuis',
    };
    const fewer = { ...TEST_OPTS, providers: TEST_PROVIDERS.slice(0, 2) };
    const more = { ...TEST_OPTS, providers: [...TEST_PROVIDERS, extra] };
    const identity = (opts: PersonaSetOptions) => generatePersonas(opts).map((p) => [p.key, p.name, p.bsn, p.birthDate, p.gender, p.deceasedDate]);
    expect(identity(fewer)).toEqual(identity(TEST_OPTS));
    expect(identity(more)).toEqual(identity(TEST_OPTS));

    const base = generateAll(TEST_OPTS);
    const after = generateAll(more);
    let compared = 0;
    for (const d of base.dossiers) {
      const persona = after.personas.find((p) => p.key === d.persona.key)!;
      if (JSON.stringify(persona.providers) !== JSON.stringify(d.persona.providers)) continue;
      const twin = after.dossiers.find((x) => x.persona.key === d.persona.key && x.providerId === d.providerId)!;
      expect(JSON.stringify(twin.resources)).toBe(JSON.stringify(d.resources));
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });
});
