import { appendFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock } from './clock.js';
import { tempDir } from './testing.js';
import { SharedTraceBus, TraceBus, formatTraceEvent, jsonLinesSink, readTraceFile } from './trace.js';

const hop = {
  reportedBy: 'pgo.localhost',
  from: 'pgo.localhost',
  to: 'dekroon.dvza.localhost',
  kind: 'http' as const,
  method: 'POST',
  url: '/token',
  status: 200,
  outcome: 'ok' as const,
};

describe('TraceBus', () => {
  it('numbers events and stamps them with the sandbox clock', () => {
    const clock = SandboxClock.frozenAt('2026-11-23T10:00:00Z');
    const bus = new TraceBus(clock);
    const first = bus.emit(hop);
    clock.shift('1s');
    const second = bus.emit({ ...hop, status: 400, outcome: 'refused', reason: 'invalid_grant' });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.at).toBe('2026-11-23T10:00:00.000Z');
    expect(second.at).toBe('2026-11-23T10:00:01.000Z');
    expect(bus.events((e) => e.outcome === 'refused')).toEqual([second]);
  });

  it('delivers to subscribers, and a failing subscriber does not break the hop', () => {
    const bus = new TraceBus(new SandboxClock());
    const got: number[] = [];
    bus.subscribe(() => {
      throw new Error('closed live view');
    });
    const off = bus.subscribe((e) => got.push(e.seq));
    bus.emit(hop);
    off();
    bus.emit(hop);
    expect(got).toEqual([1]);
  });

  it('keeps only the most recent events in memory', () => {
    const bus = new TraceBus(new SandboxClock(), 3);
    for (let i = 0; i < 5; i++) bus.emit(hop);
    expect(bus.events().map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('writes JSON lines that read back, skipping a torn last line', async () => {
    const file = join(tempDir(), 'trace', 'trace.jsonl');
    const bus = new TraceBus(SandboxClock.frozenAt('2026-11-23T10:00:00Z'));
    bus.subscribe(jsonLinesSink(file));
    bus.emit(hop);
    bus.emit({ ...hop, kind: 'tls', tls: { peerSubject: 'CN=pgo.localhost', serial: 'AB', verdict: 'CERT_REVOKED' }, outcome: 'refused', reason: 'revoked' });
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, '{"seq": 3, "at"');
    const events = readTraceFile(file);
    expect(events).toHaveLength(2);
    expect(events[1]!.tls?.verdict).toBe('CERT_REVOKED');
    expect(formatTraceEvent(events[1]!)).toContain('pgo.localhost → dekroon.dvza.localhost TLS CN=pgo.localhost serial AB CERT_REVOKED refused — revoked');
  });
});

describe('SharedTraceBus (participants in separate processes)', () => {
  it('numbers the events of every writer the same way, in the order they were written', () => {
    const clock = SandboxClock.frozenAt('2026-11-23T10:00:00Z');
    const file = join(tempDir('shared-trace-'), 'trace.jsonl');
    const pgo = new SharedTraceBus(clock, file);
    const dvza = new SharedTraceBus(clock, file);
    const heardByPgo: number[] = [];
    pgo.subscribe((e) => heardByPgo.push(e.seq));
    expect(pgo.emit(hop).seq).toBe(1);
    expect(dvza.emit({ ...hop, reportedBy: 'dekroon.dvza.localhost' }).seq).toBe(2);
    expect(pgo.emit(hop).seq).toBe(3);
    expect(pgo.events().map((e) => [e.seq, e.reportedBy])).toEqual(dvza.events().map((e) => [e.seq, e.reportedBy]));
    expect(heardByPgo).toEqual([1, 2, 3]);
    expect(readTraceFile(file).map((e) => e.seq)).toEqual([1, 2, 3]);
    pgo.close();
    dvza.close();
  });

  it('waits for a line that is still being written, and starts again (from 1) on a rotated file', () => {
    const clock = SandboxClock.frozenAt('2026-11-23T10:00:00Z');
    const file = join(tempDir('shared-trace-'), 'trace.jsonl');
    const bus = new SharedTraceBus(clock, file);
    const line = JSON.stringify({ at: '2026-11-23T10:00:00.000Z', ...hop, reason: 'toestemming → één gegevensdienst' });
    const bytes = Buffer.from(line);
    const cut = bytes.indexOf(Buffer.from('→')) + 1; // inside a three-byte character
    appendFileSync(file, bytes.subarray(0, cut));
    expect(bus.events()).toEqual([]);
    appendFileSync(file, Buffer.concat([bytes.subarray(cut), Buffer.from('\n')]));
    expect(bus.events().map((e) => [e.seq, e.reason])).toEqual([[1, 'toestemming → één gegevensdienst']]);
    renameSync(file, `${file}.previous`); // `sandbox init` starts a new trace file
    appendFileSync(file, `${line}\n`);
    // Numbered from 1 again, as a process that starts now numbers it: every process keeps agreeing.
    expect(bus.events().map((e) => e.seq)).toEqual([1]);
    expect(new SharedTraceBus(clock, file).events().map((e) => e.seq)).toEqual([1]);
    bus.close();
  });
});
