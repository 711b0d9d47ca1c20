import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SandboxClock } from './clock.js';
import { tempDir } from './testing.js';
import { newSpanId, parseTraceparent, servingAs, traceparentOf } from './trace-context.js';
import { SharedTraceBus, TraceBus, formatTraceEvent, jsonLinesSink, readTraceFile, rotateTraceFile, rotatedTracePath } from './trace.js';

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

  it('gives every event an id and its real start and end; what is reported while serving a request names it as cause', async () => {
    const bus = new TraceBus(SandboxClock.frozenAt('2026-11-23T10:00:00Z'));
    const outside = bus.emit(hop);
    expect(outside).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), start: expect.any(String), end: outside.start });
    expect(outside.cause).toBeUndefined();
    const inside = await servingAs({ id: 'aaaaaaaaaaaaaaaa', traceHex: 'b'.repeat(32) }, async () => {
      await Promise.resolve(); // across an await, as a handler's hops are
      return bus.emit({ ...hop, kind: 'decision' });
    });
    expect(inside.cause).toBe('aaaaaaaaaaaaaaaa');
    // A reporter that knows better says so: its own id, start and cause, or explicitly none.
    const given = bus.emit({ ...hop, id: 'cccccccccccccccc', start: '2026-12-05T06:00:00.000Z', cause: 'dddddddddddddddd' });
    expect(given).toMatchObject({ id: 'cccccccccccccccc', start: '2026-12-05T06:00:00.000Z', cause: 'dddddddddddddddd' });
    const none = servingAs({ id: 'aaaaaaaaaaaaaaaa', traceHex: 'b'.repeat(32) }, () => bus.emit({ ...hop, cause: undefined }));
    expect('cause' in none).toBe(false);
    expect(Date.parse(given.end!)).toBeGreaterThan(Date.parse('2026-01-01')); // real time, not the frozen sandbox clock
  });

  it('reads a traceparent header as W3C Trace Context says, and refuses a malformed one', () => {
    const id = newSpanId();
    const header = traceparentOf(id, undefined);
    expect(parseTraceparent(header)).toEqual({ traceHex: header.split('-')[1], spanId: id });
    expect(traceparentOf(id, { id: 'x', traceHex: 'e'.repeat(32) })).toBe(`00-${'e'.repeat(32)}-${id}-01`);
    for (const bad of [undefined, '', 'garbage', `00-${'0'.repeat(32)}-${id}-01`, `00-${'e'.repeat(32)}-${'0'.repeat(16)}-01`, `00-${'E'.repeat(32)}-${id}-01`])
      expect(parseTraceparent(bad)).toBeUndefined();
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
  it("keeps the trace file private (0600): it holds the DVZA's view, BSNs among it; an older readable one is made private", () => {
    const clock = SandboxClock.frozenAt('2026-11-23T10:00:00Z');
    const dir = tempDir('shared-trace-');
    const file = join(dir, 'trace.jsonl');
    new SharedTraceBus(clock, file).emit(hop);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const older = join(dir, 'older.jsonl');
    writeFileSync(older, '', { mode: 0o644 });
    jsonLinesSink(older);
    expect(statSync(older).mode & 0o777).toBe(0o600);
  });

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

describe('trace rotation (topology trace.maxBytes)', () => {
  const clock = SandboxClock.frozenAt('2026-11-23T10:00:00Z');
  const line = (i: number) => ({ ...hop, url: `/token?i=${i}` });

  it('rotates a shared file past its cap, keeping one older part, and every process numbers alike', () => {
    const file = join(tempDir('rotate-'), 'trace.jsonl');
    const pgo = new SharedTraceBus(clock, file, { maxBytes: 4096 });
    const dvza = new SharedTraceBus(clock, file, { maxBytes: 4096 });
    const seqs: number[] = [];
    for (let i = 0; i < 200; i++) seqs.push((i % 2 ? dvza : pgo).emit(line(i)).seq);
    // Increasing without a repeat; at each rotation numbering jumps by the margin, never back.
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    expect(statSync(file).size).toBeLessThan(4096 + 400);
    expect(statSync(rotatedTracePath(file)).size).toBeLessThan(4096 + 400);
    // What stays on disk reads back with the numbers the writers got, also for a process that starts now.
    const kept = readTraceFile(file, { withOlder: true });
    const got = new Map(seqs.map((s, i) => [s, `/token?i=${i}`]));
    expect(kept.length).toBeGreaterThan(10);
    for (const e of kept) expect(got.get(e.seq)).toBe(e.url);
    const late = new SharedTraceBus(clock, file);
    expect(late.events().map((e) => [e.seq, e.url])).toEqual(readTraceFile(file).map((e) => [e.seq, e.url]));
    expect(pgo.events().at(-1)).toEqual(dvza.events().at(-1));
    for (const bus of [pgo, dvza, late]) bus.close();
  });

  it('a process that did not read during a rotation still gets every event, in order', () => {
    const file = join(tempDir('rotate-'), 'trace.jsonl');
    const writer = new SharedTraceBus(clock, file, { maxBytes: 64 * 1024 });
    const reader = new SharedTraceBus(clock, file, { maxBytes: 64 * 1024 });
    reader.sync();
    const heard: string[] = [];
    reader.subscribe((e) => heard.push(`${e.seq} ${e.url}`));
    const written: string[] = [];
    // Just past one rotation: the reader's unread lines are all in the older part.
    for (let i = 0; !existsSync(rotatedTracePath(file)) || i % 10 !== 0; i++) {
      const e = writer.emit(line(i));
      written.push(`${e.seq} ${e.url}`);
    }
    reader.sync();
    expect(heard).toEqual(written);
    writer.close();
    reader.close();
  });

  it('is safe with several processes appending at once: no torn line, no line twice, numbers agree', async () => {
    const dir = tempDir('rotate-processes-');
    const file = join(dir, 'trace.jsonl');
    const script = join(dir, 'writer.ts');
    writeFileSync(
      script,
      `import { SharedTraceBus } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'trace.ts')).href)};
import { SandboxClock } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'clock.ts')).href)};
const bus = new SharedTraceBus(SandboxClock.frozenAt('2026-11-23T10:00:00Z'), process.argv[2], { maxBytes: 32 * 1024 });
const got = [];
for (let i = 0; i < 400; i++) got.push([bus.emit({ reportedBy: process.argv[3], from: 'a', to: 'b', kind: 'decision', outcome: 'ok', reason: process.argv[3] + ' ' + i }).seq, i]);
bus.close();
process.stdout.write(JSON.stringify(got));
`,
    );
    const run = (name: string) =>
      new Promise<Array<[number, number]>>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, file, name], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Array<[number, number]>) : reject(new Error(`writer ${name} exited ${code}`))));
      });
    const names = ['p1', 'p2', 'p3'];
    const results = await Promise.all(names.map(run));
    const kept = readTraceFile(file, { withOlder: true });
    // Every line whole, numbers strictly increasing, and each the number its writer got for it.
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(1200); // rotated: the oldest are gone
    expect(kept.every((e, i) => i === 0 || e.seq > kept[i - 1]!.seq)).toBe(true);
    const byReason = new Map(kept.map((e) => [e.reason, e.seq]));
    expect(byReason.size).toBe(kept.length);
    names.forEach((name, n) => {
      const mine = kept.filter((e) => e.reportedBy === name).map((e) => Number(e.reason!.split(' ')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b)); // a writer's own order kept
      for (const [seq, i] of results[n]!) if (byReason.has(`${name} ${i}`)) expect(byReason.get(`${name} ${i}`)).toBe(seq);
    });
    // Nothing newer than the oldest line kept was lost, whichever writer ran ahead on a busy machine (a writer that
    // finished early may have had its last lines rotated out by the others: that is rotation, not loss).
    const oldest = kept[0]!.seq;
    names.forEach((name, n) => {
      for (const [seq, i] of results[n]!) if (seq >= oldest) expect(byReason.has(`${name} ${i}`), `${name} ${i} (#${seq})`).toBe(true);
    });
    // The very newest line of all is there.
    const newest = Math.max(...results.flat().map(([seq]) => seq));
    expect(kept.at(-1)!.seq).toBe(newest);
  }, 60_000);

  it('a one-process trace (jsonLinesSink) rotates too, its lines keep their own numbers', () => {
    const file = join(tempDir('rotate-'), 'trace.jsonl');
    const bus = new TraceBus(clock);
    bus.subscribe(jsonLinesSink(file, { maxBytes: 4096 }));
    for (let i = 0; i < 200; i++) bus.emit(line(i));
    const kept = readTraceFile(file, { withOlder: true });
    expect(statSync(file).size).toBeLessThan(4096 + 400);
    expect(kept.at(-1)!.seq).toBe(200);
    expect(kept.map((e) => e.seq)).toEqual(Array.from({ length: kept.length }, (_, i) => 201 - kept.length + i));
  });

  it('skips a rotation another process holds, and takes over a lock left by a process that died', () => {
    const file = join(tempDir('rotate-'), 'trace.jsonl');
    writeFileSync(file, `${'x'.repeat(5000)}\n`);
    writeFileSync(`${file}.rotating`, '');
    expect(rotateTraceFile(file, 4096, () => 7)).toBe(false);
    expect(existsSync(rotatedTracePath(file))).toBe(false);
    // File times, not the sandbox clock: the trace was written to long after the lock was taken.
    utimesSync(`${file}.rotating`, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    utimesSync(file, new Date('2026-01-01T00:01:00Z'), new Date('2026-01-01T00:01:00Z'));
    expect(rotateTraceFile(file, 4096, () => 7)).toBe(false); // clears the stale lock
    expect(rotateTraceFile(file, 4096, () => 7)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"traceContinues":{"seq":7,"previous":"trace.1.jsonl"}}\n');
    expect(existsSync(`${file}.rotating`)).toBe(false);
    expect(rotateTraceFile(file, 4096, () => 8)).toBe(false); // below the cap now
  });
});
