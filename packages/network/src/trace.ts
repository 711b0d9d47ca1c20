/**
 * The trace bus: every participant reports every hop it makes or receives and every decision
 * it takes, as one structured event. The live inspector, the scenario expectations and the
 * reports all read this one stream, so nothing is logged twice in different shapes.
 */
import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from './clock.js';

export type { TlsPeer, TraceEvent, TraceInput, TraceKind, TraceListener, TraceOutcome } from './trace-event.js';
import type { TraceEvent, TraceInput, TraceListener } from './trace-event.js';

export class TraceBus {
  private seq = 0;
  private readonly buffer: TraceEvent[] = [];
  private readonly listeners = new Set<TraceListener>();

  /**
   * @param clock sandbox clock that stamps the events
   * @param capacity how many recent events stay in memory for late subscribers
   */
  constructor(
    private readonly clock: Clock,
    private readonly capacity = 10_000,
  ) {}

  emit(input: TraceInput): TraceEvent {
    const event: TraceEvent = { seq: ++this.seq, at: input.at ?? this.clock.now().toISOString(), ...withoutAt(input) };
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
      events.push(JSON.parse(line) as TraceEvent);
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
