/**
 * The trace bus: every participant reports every hop it makes or receives and every decision
 * it takes, as one structured event. The live inspector, the scenario expectations and the
 * reports all read this one stream, so nothing is logged twice in different shapes.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from './clock.js';

export type { TlsPeer, TraceEvent, TraceInput, TraceKind, TraceListener, TraceOutcome } from './trace-event.js';
import type { TraceEvent, TraceInput, TraceListener } from './trace-event.js';

export class TraceBus {
  protected seq = 0;
  protected readonly buffer: TraceEvent[] = [];
  protected readonly listeners = new Set<TraceListener>();

  /**
   * @param clock sandbox clock that stamps the events
   * @param capacity how many recent events stay in memory for late subscribers
   */
  constructor(
    protected readonly clock: Clock,
    protected readonly capacity = 10_000,
  ) {}

  emit(input: TraceInput): TraceEvent {
    return this.deliver({ seq: ++this.seq, at: input.at ?? this.clock.now().toISOString(), ...withoutAt(input) });
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
  /** Bytes of a line still being written (bytes, not text: a chunk may end inside a character). */
  private partial = Buffer.alloc(0);
  private readonly poller: ReturnType<typeof setInterval>;

  /**
   * @param path the shared trace file (created when missing)
   * @param pollMs how often other processes' events are picked up for live listeners
   */
  constructor(
    clock: Clock,
    readonly path: string,
    opts: { capacity?: number; pollMs?: number } = {},
  ) {
    super(clock, opts.capacity);
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, '');
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
    const line = { at: input.at ?? this.clock.now().toISOString(), ...withoutAt(input) };
    const text = JSON.stringify(line);
    try {
      appendFileSync(this.path, `${text}\n`);
      // Read back up to our own line: the event as every process numbers it.
      const mine = this.sync().findLast((e) => JSON.stringify(withoutSeq(e)) === text);
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
      return []; // between a rotation's rename and the first new line
    }
    const out: TraceEvent[] = [];
    try {
      // Size and inode of the file we actually opened: a rotation between a stat and the open cannot mix files.
      const st = fstatSync(fd);
      if (st.ino !== this.inode || st.size < this.offset) {
        // A new file (`sandbox init` moved the old one aside): numbering starts again at 1, as it does for a
        // process that starts now, so every process keeps numbering events alike.
        this.inode = st.ino;
        this.offset = 0;
        this.partial = Buffer.alloc(0);
        this.seq = 0;
        this.buffer.length = 0;
      }
      const chunk = Buffer.alloc(1 << 20);
      while (this.offset < st.size) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, st.size - this.offset), this.offset);
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
          let parsed: Omit<TraceEvent, 'seq'>;
          try {
            parsed = JSON.parse(line) as Omit<TraceEvent, 'seq'>;
          } catch {
            continue;
          }
          out.push(this.deliver({ ...parsed, seq: ++this.seq }));
        }
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }

  close(): void {
    clearInterval(this.poller);
  }
}

function withoutSeq(event: TraceEvent): Omit<TraceEvent, 'seq'> {
  const { seq: _seq, ...rest } = event;
  return rest;
}

function withoutAt(input: TraceInput): Omit<TraceEvent, 'seq' | 'at'> {
  const { at: _at, ...rest } = input;
  return rest;
}

/** Appends every event as one JSON line, so a trace survives the process and can be read by the CLI. */
export function jsonLinesSink(path: string): TraceListener {
  mkdirSync(dirname(path), { recursive: true });
  return (event) => appendFileSync(path, `${JSON.stringify(event)}\n`);
}

/** Reads a JSON-lines trace file; a line that is not valid JSON (a half-written last line) is skipped. */
export function readTraceFile(path: string): TraceEvent[] {
  if (!existsSync(path)) return [];
  const events: TraceEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      // A shared (multi-process) trace file numbers its events by line; a one-process one wrote seq itself.
      const event = JSON.parse(line) as TraceEvent;
      events.push({ ...event, seq: event.seq ?? events.length + 1 });
    } catch {
      // skip a torn line
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
