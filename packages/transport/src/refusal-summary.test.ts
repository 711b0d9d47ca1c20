import { describe, expect, it } from 'vitest';
import { SandboxClock } from '@medmij-sandbox/network';
import { RefusalSummary, type CountedRefusals } from './refusal-summary.js';

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
});
