import { describe, expect, it } from 'vitest';
import { setBounded } from './bounded.js';

describe('setBounded', () => {
  it('keeps at most max entries, dropping the oldest first; replacing a key drops nothing', () => {
    const m = new Map<string, number>();
    for (let i = 0; i < 5; i++) setBounded(m, `k${i}`, i, 3);
    expect([...m.keys()]).toEqual(['k2', 'k3', 'k4']);
    setBounded(m, 'k3', 33, 3);
    expect([...m]).toEqual([
      ['k2', 2],
      ['k3', 33],
      ['k4', 4],
    ]);
  });
});
