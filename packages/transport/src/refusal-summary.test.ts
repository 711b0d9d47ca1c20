import { describe, expect, it } from 'vitest';
import { SandboxClock } from '@medmij-sandbox/network';
import { REFUSAL_MAX_WINDOWS, REFUSAL_WINDOW_MAX_COUNT, RefusalSummary, type CountedRefusals } from './refusal-summary.js';

describe('RefusalSummary: refused handshakes counted per peer address and reason', () => {
  const setup = () => {
    const clock = SandboxClock.frozenAt('2026-06-01T08:00:00Z');
    const said: CountedRefusals[] = [];
    return { clock, said, summary: new RefusalSummary(clock, (c) => said.push(c)) };
  };

  it('traces the first in full, counts the rest, and says the count at the first refusal after the minute', () => {
    const { clock, said, summary } = setup();
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    for (let i = 0; i < 499; i++) expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(false);
    clock.shift('59s');
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(false);
    expect(said).toEqual([]);
    clock.shift('1s');
    // The minute is over: the count is said, and this refusal opens the next minute (traced in full).
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    expect(said).toEqual([{ address: '127.0.0.1', verdict: 'NO_CLIENT_CERTIFICATE', since: '2026-06-01T08:00:00.000Z', count: 500 }]);
  });

  it('keeps peer addresses and reasons apart', () => {
    const { summary } = setup();
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    expect(summary.refused('127.0.0.2', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    expect(summary.refused('127.0.0.1', 'CERT_REVOKED')).toBe(true);
    expect(summary.refused('127.0.0.1', 'CERT_REVOKED')).toBe(false);
  });

  it('says nothing for a minute with only the first refusal, and says what is open when flushed (a tick, a close)', () => {
    const { clock, said, summary } = setup();
    summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE');
    summary.refused('127.0.0.1', 'CERT_REVOKED');
    summary.refused('127.0.0.1', 'CERT_REVOKED');
    summary.flush();
    expect(said).toEqual([]); // the minute is not over
    clock.shift('2m');
    summary.flush();
    expect(said.map((c) => [c.verdict, c.count])).toEqual([['CERT_REVOKED', 1]]);
    summary.refused('127.0.0.1', 'CERT_REVOKED');
    summary.refused('127.0.0.1', 'CERT_REVOKED');
    summary.flush(undefined, { all: true });
    expect(said.map((c) => [c.verdict, c.count])).toEqual([
      ['CERT_REVOKED', 1],
      ['CERT_REVOKED', 1],
    ]);
  });

  it('a clock set back (the next scenario of a live run) ends the minute', () => {
    const { clock, said, summary } = setup();
    summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE');
    summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE');
    clock.shift('-1s');
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    expect(said.map((c) => c.count)).toEqual([1]);
  });

  it('bounded while the sandbox clock stands still: a full window is said and closed, and the oldest address makes room', () => {
    const { said, summary } = setup();
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    for (let i = 0; i < REFUSAL_WINDOW_MAX_COUNT; i++) expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(false);
    expect(said).toEqual([{ address: '127.0.0.1', verdict: 'NO_CLIENT_CERTIFICATE', since: '2026-06-01T08:00:00.000Z', count: REFUSAL_WINDOW_MAX_COUNT }]);
    // The next one opens a new window, traced in full.
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    expect(summary.refused('127.0.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(false);
    // Many addresses (127.0.0.0/8 is all loopback): the oldest window is said when a new one would be one too many.
    for (let i = 1; i < REFUSAL_MAX_WINDOWS; i++) expect(summary.refused(`127.1.${i >> 8}.${i & 255}`, 'NO_CLIENT_CERTIFICATE')).toBe(true);
    expect(said).toHaveLength(1);
    expect(summary.refused('127.2.0.1', 'NO_CLIENT_CERTIFICATE')).toBe(true);
    expect(said.at(-1)).toEqual({ address: '127.0.0.1', verdict: 'NO_CLIENT_CERTIFICATE', since: '2026-06-01T08:00:00.000Z', count: 1 });
  });
});
