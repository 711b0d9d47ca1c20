import { describe, expect, it } from 'vitest';
import { SecretStream, SeededRandom, sameSecret } from './random.js';

describe('SeededRandom', () => {
  it('gives the same stream for the same seed and purpose', () => {
    const a = new SeededRandom('seed').stream('fhir-data:persona:3');
    const b = new SeededRandom('seed').stream('fhir-data:persona:3');
    expect(a.bytes(100).equals(b.bytes(100))).toBe(true);
    expect(a.uuid()).toBe(b.uuid());
  });

  it('keeps purposes independent: drawing from one stream never shifts another', () => {
    const r1 = new SeededRandom('seed');
    const untouched = r1.stream('lists').hex(16);
    const r2 = new SeededRandom('seed');
    r2.stream('fhir-data').bytes(1000);
    expect(r2.stream('lists').hex(16)).toBe(untouched);
    expect(new SeededRandom('seed').stream('other').hex(16)).not.toBe(untouched);
    expect(new SeededRandom('seed2').stream('lists').hex(16)).not.toBe(untouched);
  });

  it('has stable known output (a change in the algorithm would change every generated patient)', () => {
    const s = new SeededRandom('medmij-sandbox').stream('golden');
    expect(s.hex(8)).toMatchInlineSnapshot(`"b475fcfceab5e009"`);
  });

  it('draws integers within bounds and covers the range', () => {
    const s = new SeededRandom('x').stream('ints');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = s.int(-3, 3);
      expect(n).toBeGreaterThanOrEqual(-3);
      expect(n).toBeLessThanOrEqual(3);
      seen.add(n);
    }
    expect(seen.size).toBe(7);
    expect(() => s.int(5, 1)).toThrow(RangeError);
  });

  it('makes version-4 shaped UUIDs and floats in [0, 1)', () => {
    const s = new SeededRandom('x').stream('ids');
    expect(s.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (let i = 0; i < 100; i++) {
      const f = s.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect(s.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(() => s.pick([])).toThrow(/empty/);
  });

  it('SecretStream: the same helpers over the CSPRNG, so two streams never agree; a source can be injected (tests)', () => {
    const [a, b] = [new SecretStream(), new SecretStream()];
    expect(a.hex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(a.hex(16)).not.toBe(b.hex(16));
    expect(a.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const fixed = new SecretStream((n) => Buffer.alloc(n, 0xab));
    expect(fixed.hex(2)).toBe('abab');
  });

  it('sameSecret: equal only for the same text; another length or one character off is not', () => {
    expect(sameSecret('a1b2', 'a1b2')).toBe(true);
    expect(sameSecret('a1b3', 'a1b2')).toBe(false);
    expect(sameSecret('a1b', 'a1b2')).toBe(false);
    expect(sameSecret('', 'a1b2')).toBe(false);
  });
});
