/**
 * The trace bus: every participant reports every hop it makes or receives and every decision
 * it takes, as one structured event. The live inspector, the scenario expectations and the
 * reports all read this one stream, so nothing is logged twice in different shapes.
 */
import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { realTimeIso, type Clock } from './clock.js';
import { currentCause, newSpanId } from './trace-context.js';

export type { TlsPeer, TraceEvent, TraceInput, TraceKind, TraceListener, TraceOutcome } from './trace-event.js';
import type { TraceEvent, TraceInput, TraceListener } from './trace-event.js';

export class TraceBus {
  protected seq = 0;
  protected readonly buffer: TraceEvent[] = [];
  protected readonly listeners = new Set<TraceListener>();
  /**
   * What an inspector streaming this bus gets (topology trace.streamWindow and trace.streamQueue): the latest
   * `window` events on connect, and at most `queue` events waiting for it. Set by the composition root.
   */
  streamLimits = { window: 2_000, queue: 5_000 };

  /**
   * @param clock sandbox clock that stamps the events
   * @param capacity how many recent events stay in memory for late subscribers
   */
  constructor(
    protected readonly clock: Clock,
    protected readonly capacity = 10_000,
  ) {}

  emit(input: TraceInput): TraceEvent {
    return this.deliver({ seq: ++this.seq, at: input.at ?? this.clock.now().toISOString(), ...withoutAt(stamped(input)) });
  }

  /** Keeps an event for late subscribers and hands it to every listener. */
  protected deliver(event: TraceEvent): TraceEvent {
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.shift();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (a closed live view, a full disk) must never break a participant's hop.
      }
    }
    return event;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The events still in memory, optionally filtered. */
  events(filter?: (event: TraceEvent) => boolean): TraceEvent[] {
    return filter ? this.buffer.filter(filter) : [...this.buffer];
  }

  clear(): void {
    this.buffer.length = 0;
  }
}

/**
 * The trace bus of a network whose participants run as separate processes (or containers sharing a
 * volume): every process appends its events to one JSON-lines file and reads everyone's back from it.
 *
 * Why one file: an append (O_APPEND) is one write under the file's lock, so lines never interleave and
 * the file order is the order in which events happened — a request's event is in the file before the
 * server that received it can write its own. Every process numbers the lines the same way (seq = line
 * number), so the inspector, the scenario runner and `sandbox trace` agree on what event 42 is.
 */
export class SharedTraceBus extends TraceBus {
  private offset = 0;
  private inode?: number;
  /** The size of the file at the last read: past `maxBytes`, the next emit rotates it. */
  private lastSize = 0;
  /** Bytes of a line still being written (bytes, not text: a chunk may end inside a character). */
  private partial = Buffer.alloc(0);
  private readonly poller: ReturnType<typeof setInterval>;
  private readonly maxBytes: number;

  /**
   * @param path the shared trace file (created when missing)
   * @param pollMs how often other processes' events are picked up for live listeners
   * @param maxBytes past this size the file is rotated (rotateTraceFile); 0: never
   */
  constructor(
    clock: Clock,
    readonly path: string,
    opts: { capacity?: number; pollMs?: number; maxBytes?: number } = {},
  ) {
    super(clock, opts.capacity);
    this.maxBytes = opts.maxBytes ?? DEFAULT_TRACE_MAX_BYTES;
    mkdirSync(dirname(path), { recursive: true });
    privateTraceFile(path);
    this.poller = setInterval(() => {
      try {
        this.sync();
      } catch {
        // The file is being replaced (`sandbox init`): the next round reads the new one.
      }
    }, opts.pollMs ?? 100);
    this.poller.unref();
  }

  override emit(input: TraceInput): TraceEvent {
    const line = { at: input.at ?? this.clock.now().toISOString(), ...withoutAt(stamped(input)) };
    const text = JSON.stringify(line);
    try {
      appendFileSync(this.path, `${text}\n`, { mode: TRACE_FILE_MODE });
      // Read back up to our own line: the event as every process numbers it.
      const mine = this.sync().findLast((e) => JSON.stringify(withoutSeq(e)) === text);
      this.rotateWhenFull();
      if (mine) return mine;
    } catch {
      // A full disk or a vanished folder must never break a participant's hop: keep the event here at least.
    }
    return this.deliver({ ...line, seq: ++this.seq });
  }

  override events(filter?: (event: TraceEvent) => boolean): TraceEvent[] {
    this.sync();
    return super.events(filter);
  }

  override clear(): void {
    this.sync();
    super.clear();
  }

  /** The file's size in bytes now; a reader waiting for the file to settle compares this. */
  get size(): number {
    return statSync(this.path, { throwIfNoEntry: false })?.size ?? 0;
  }

  /** Reads the lines other processes (and this one) appended since the last read; returns their events. */
  sync(): TraceEvent[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return []; // the folder is being replaced
    }
    const out: TraceEvent[] = [];
    try {
      // Size and inode of the file we actually opened: a rotation between a stat and the open cannot mix files.
      const st = fstatSync(fd);
      if (this.inode !== undefined && st.ino !== this.inode) {
        if (statSync(rotatedTracePath(this.path), { throwIfNoEntry: false })?.ino === this.inode) {
          // Rotated (the file passed maxBytes): first what was still unread of the older part, then the new
          // file, whose first line says how numbering goes on — so every process keeps numbering alike.
          this.drainRotated(out);
        } else {
          this.restart(); // a new file for a new run (`sandbox init` moved the old one aside)
        }
        this.offset = 0;
        this.partial = Buffer.alloc(0);
      } else if (st.size < this.offset) {
        this.restart();
      }
      this.inode = st.ino;
      this.lastSize = st.size;
      this.readUpTo(fd, st.size, out);
    } finally {
      closeSync(fd);
    }
    return out;
  }

  close(): void {
    clearInterval(this.poller);
  }

  /**
   * Numbering starts again at 1, as it does for a process that starts now on a new run's file, so every
   * process keeps numbering events alike.
   */
  private restart(): void {
    this.offset = 0;
    this.partial = Buffer.alloc(0);
    this.seq = 0;
    this.buffer.length = 0;
  }

  private drainRotated(out: TraceEvent[]): void {
    let fd: number;
    try {
      fd = openSync(rotatedTracePath(this.path), 'r');
    } catch {
      return;
    }
    try {
      const st = fstatSync(fd);
      if (st.ino === this.inode) this.readUpTo(fd, st.size, out);
    } finally {
      closeSync(fd);
    }
  }

  private readUpTo(fd: number, size: number, out: TraceEvent[]): void {
    const chunk = Buffer.alloc(1 << 20);
    while (this.offset < size) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - this.offset), this.offset);
      if (n === 0) break;
      this.offset += n;
      const data = Buffer.concat([this.partial, chunk.subarray(0, n)]);
      const end = data.lastIndexOf(0x0a);
      // A line still being written (a large event, or a reader racing the writer) waits for the next read.
      this.partial = Buffer.from(data.subarray(end + 1));
      for (const line of data
        .subarray(0, end + 1)
        .toString('utf8')
        .split('\n')) {
        if (line.trim() === '') continue;
        let parsed: Omit<TraceEvent, 'seq'> | TraceHeader;
        try {
          parsed = JSON.parse(line) as Omit<TraceEvent, 'seq'> | TraceHeader;
        } catch {
          continue;
        }
        if (isTraceHeader(parsed)) {
          this.seq = parsed.traceContinues.seq;
          continue;
        }
        out.push(this.deliver({ ...parsed, seq: ++this.seq }));
      }
    }
  }

  private rotateWhenFull(): void {
    if (this.maxBytes <= 0 || this.lastSize <= this.maxBytes) return;
    // Numbering in the new file goes on past a margin: a line another process was writing to the older part
    // in the instant of the rotation keeps a number of its own there (each process writes one line at a time).
    if (rotateTraceFile(this.path, this.maxBytes, () => (this.sync(), this.seq + ROTATION_MARGIN))) this.sync();
  }
}

/** The default of topology `trace.maxBytes`: past this size a trace file is rotated. */
export const DEFAULT_TRACE_MAX_BYTES = 50 * 1024 * 1024;
/** How far numbering jumps at a rotation of a shared file (see SharedTraceBus.rotateWhenFull). */
const ROTATION_MARGIN = 100;

/**
 * The first line of a trace file that continues a rotated one: the number of the last event before it.
 * Not an event: readers skip it (a shared file's lines carry no number: readers count from this one).
 */
interface TraceHeader {
  traceContinues: { seq: number; previous: string };
}

function isTraceHeader(line: unknown): line is TraceHeader {
  return typeof (line as Partial<TraceHeader> | null)?.traceContinues?.seq === 'number';
}

/** Where a trace file's older part goes when it passes its cap: trace.jsonl → trace.1.jsonl. */
export function rotatedTracePath(path: string): string {
  return path.endsWith('.jsonl') ? `${path.slice(0, -'.jsonl'.length)}.1.jsonl` : `${path}.1`;
}

/**
 * Moves a trace file that passed `maxBytes` to rotatedTracePath (replacing the older part there) and puts a new
 * file in its place whose first line is a header with `lastSeq()`. Returns whether this call rotated.
 *
 * Safe with several processes appending without any lock of their own (an append opens the file by name):
 * - one rotator at a time, by a lock file created exclusively; a lock left by a process that died mid-rotation
 *   is taken over once the trace is written to well after it (file times, not the sandbox clock);
 * - the file never misses from its place: the old one gets its second name by a hard link, and the new one
 *   (header already in it) replaces it with one rename, so an append lands in the old file or after the header.
 */
export function rotateTraceFile(path: string, maxBytes: number, lastSeq: () => number): boolean {
  const lock = `${path}.rotating`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch {
    const held = statSync(lock, { throwIfNoEntry: false });
    const written = statSync(path, { throwIfNoEntry: false });
    if (held && written && written.mtimeMs - held.mtimeMs > STALE_LOCK_MS) {
      try {
        unlinkSync(lock);
      } catch {
        // another process took it over first
      }
    }
    return false; // someone else rotates now; the next append looks again
  }
  const next = `${path}.${process.pid}.new`;
  const old = `${path}.${process.pid}.old`;
  try {
    if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) <= maxBytes) return false; // rotated just now by another
    const header: TraceHeader = { traceContinues: { seq: lastSeq(), previous: basename(rotatedTracePath(path)) } };
    writeFileSync(next, `${JSON.stringify(header)}\n`, { mode: TRACE_FILE_MODE });
    linkSync(path, old);
    renameSync(old, rotatedTracePath(path));
    renameSync(next, path);
    return true;
  } catch {
    // A full disk: keep appending to the file as it is; the next append tries again.
    for (const leftover of [next, old]) {
      try {
        unlinkSync(leftover);
      } catch {
        // not created
      }
    }
    return false;
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}

const STALE_LOCK_MS = 10_000;

function withoutSeq(event: TraceEvent): Omit<TraceEvent, 'seq'> {
  const { seq: _seq, ...rest } = event;
  return rest;
}

/**
 * An event's id, cause and real start and end (trace-context.ts): what the reporter gave, else its own. A decision
 * or a hop reported while a request is served names that request as its cause; `cause: undefined` says "none".
 */
function stamped(input: TraceInput): TraceInput {
  const end = input.end ?? realTimeIso();
  const { cause: given, ...rest } = input;
  const cause = 'cause' in input ? given : currentCause()?.id;
  return { ...rest, id: input.id ?? newSpanId(), ...(cause ? { cause } : {}), start: input.start ?? end, end };
}

function withoutAt(input: TraceInput): Omit<TraceEvent, 'seq' | 'at'> {
  const { at: _at, ...rest } = input;
  return rest;
}

/**
 * Appends every event as one JSON line, so a trace survives the process and can be read by the CLI.
 * Past `maxBytes` the file is rotated (rotateTraceFile); its lines carry their own numbers.
 */
/** The trace holds the DVZA's view (BSNs, names, codes): only the sandbox's owner may read its files. */
export const TRACE_FILE_MODE = 0o600;

function privateTraceFile(path: string): void {
  appendFileSync(path, '', { mode: TRACE_FILE_MODE });
  // A file an older sandbox left readable for others is made private.
  chmodSync(path, TRACE_FILE_MODE);
}

export function jsonLinesSink(path: string, o: { maxBytes?: number } = {}): TraceListener {
  const maxBytes = o.maxBytes ?? DEFAULT_TRACE_MAX_BYTES;
  mkdirSync(dirname(path), { recursive: true });
  privateTraceFile(path);
  // Counted here rather than a stat per event.
  let size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  return (event) => {
    const line = `${JSON.stringify(event)}\n`;
    appendFileSync(path, line, { mode: TRACE_FILE_MODE });
    size += Buffer.byteLength(line);
    if (maxBytes > 0 && size > maxBytes && rotateTraceFile(path, maxBytes, () => event.seq)) size = statSync(path).size;
  };
}

/**
 * Reads a JSON-lines trace file; a line that is not valid JSON (a half-written last line) is skipped.
 * `withOlder`: the rotated older part first (rotatedTracePath), when there is one.
 */
export function readTraceFile(path: string, o: { withOlder?: boolean } = {}): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (const file of o.withOlder ? [rotatedTracePath(path), path] : [path]) {
    if (!existsSync(file)) continue;
    let seq = 0;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        // A shared (multi-process) trace file numbers its events by line; a one-process one wrote seq itself.
        const parsed = JSON.parse(line) as TraceEvent | TraceHeader;
        if (isTraceHeader(parsed)) {
          seq = parsed.traceContinues.seq;
          continue;
        }
        seq = parsed.seq ?? seq + 1;
        events.push({ ...parsed, seq });
      } catch {
        // skip a torn line
      }
    }
  }
  return events;
}

/** One line of text for a terminal: `12 09:33:02.120 pgo.localhost → dvza ... GET /token 200 ok`. */
export function formatTraceEvent(event: TraceEvent): string {
  const time = event.at.slice(11, 23);
  const what =
    event.kind === 'http'
      ? `${event.method ?? ''} ${event.url ?? ''}${event.status !== undefined ? ` ${event.status}` : ''}`
      : event.kind === 'tls'
        ? `TLS ${event.tls?.peerSubject ?? '(no certificate)'} serial ${event.tls?.serial ?? '-'} ${event.tls?.verdict ?? ''}`
        : 'decision';
  const reason = event.reason ? ` — ${event.reason}` : '';
  const rule = event.rule ? ` [${event.rule}]` : '';
  return `${String(event.seq).padStart(4)} ${time} ${event.from} → ${event.to} ${what.trim()} ${event.outcome}${reason}${rule}`;
}
