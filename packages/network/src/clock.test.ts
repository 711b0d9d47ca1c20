import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './testing.js';
import { SandboxClock, formatDuration, parseDuration } from './clock.js';

describe('parseDuration', () => {
  it('reads units and combinations', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('-2d')).toBe(-172_800_000);
    expect(parseDuration('250ms')).toBe(250);
  });
  it('refuses what it cannot read, saying how to write it', () => {
    expect(() => parseDuration('15 minutes')).toThrow(/invalid duration '15 minutes'.*15m/);
    expect(() => parseDuration('3y')).toThrow(RangeError);
  });
  it('formats back', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0ms');
  });
});

describe('SandboxClock', () => {
  it('follows its time source by default', () => {
    let t = 1_000_000;
    const clock = new SandboxClock(undefined, () => t);
    expect(clock.nowMs()).toBe(1_000_000);
    t += 5;
    expect(clock.nowMs()).toBe(1_000_005);
  });

  it('freezes, shifts and resumes: time travel', () => {
    let t = Date.parse('2026-11-23T10:00:00Z');
    const clock = new SandboxClock(undefined, () => t);
    clock.freeze();
    t += 60_000;
    expect(clock.now().toISOString()).toBe('2026-11-23T10:00:00.000Z');
    clock.shift('16m');
    expect(clock.now().toISOString()).toBe('2026-11-23T10:16:00.000Z');
    clock.resume();
    t += 1000;
    expect(clock.now().toISOString()).toBe('2026-11-23T10:16:01.000Z');
    // frozen at 10:16 while real time was 10:01, so time now runs 15 minutes ahead
    expect(clock.describe()).toBe('real time + 15m');
    clock.reset();
    expect(clock.nowMs()).toBe(t);
  });

  it('tells listeners and serialises its state', () => {
    const clock = SandboxClock.frozenAt('2026-01-01T00:00:00Z');
    const seen: string[] = [];
    clock.onChange((c) => seen.push(c.describe()));
    clock.shift(1000);
    expect(seen).toEqual(['frozen at 2026-01-01T00:00:01.000Z']);
    const copy = new SandboxClock(clock.getState());
    expect(copy.nowMs()).toBe(clock.nowMs());
  });

  it('refuses an invalid time', () => {
    expect(() => SandboxClock.frozenAt('yesterday')).toThrow(/invalid clock time 'yesterday'/);
  });

  it('shares one sandbox time between clocks (processes) through a clock file', () => {
    const file = join(tempDir('clock-'), 'clock.json');
    const a = SandboxClock.frozenAt('2026-06-01T08:00:00Z').shareVia(file);
    const b = new SandboxClock().shareVia(file); // an existing file wins over b's own (real) time
    expect(b.now().toISOString()).toBe('2026-06-01T08:00:00.000Z');
    const seen: string[] = [];
    b.onChange((c) => seen.push(c.describe()));
    a.shift('16m');
    expect(b.now().toISOString()).toBe('2026-06-01T08:16:00.000Z');
    expect(seen).toEqual(['frozen at 2026-06-01T08:16:00.000Z']);
    b.reset();
    expect(a.describe()).toBe('real time');
    // A damaged file (someone edited it by hand) leaves the last good time in place.
    writeFileSync(file, '{"mode":"frozen","at":"not a time"}');
    expect(a.describe()).toBe('real time');
  });
});
