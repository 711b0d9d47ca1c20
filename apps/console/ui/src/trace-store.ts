/**
 * One live connection to the console's trace stream (EventSource /api/trace/stream, named event 'trace'),
 * shared by every inspector on the page. The stream replays the latest events on (re)connect (a window: a
 * named event 'window' says when older ones were left out), so the store starts afresh on each open: a
 * restarted sandbox (sequence numbers from 1 again) shows correctly. A reader too slow for the stream is
 * dropped by the server; the EventSource reconnects and gets the latest window.
 */
import type { TraceEvent } from '@medmij-sandbox/console-api';
import { api } from './client.ts';

/** `operator`: the stream is closed because this browser is no operator (the trace holds the DVZA's view). */
export type StreamState = 'connecting' | 'open' | 'closed' | 'operator';
/** `olderLeftOut`: the stream began with the latest events only (older ones are in `sandbox trace`). */
export type TraceListener = (events: TraceEvent[], state: StreamState, window: { olderLeftOut: boolean }) => void;

export class TraceStore {
  private events: TraceEvent[] = [];
  private seen = new Set<number>();
  private readonly listeners = new Set<TraceListener>();
  private source?: EventSource;
  private state: StreamState = 'connecting';
  private olderLeftOut = false;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly url = '/api/trace/stream') {}

  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    this.connect();
    listener(this.events, this.state, { olderLeftOut: this.olderLeftOut });
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Reconnect after the server closed the stream for good (e.g. not logged in, server restarted). */
  reconnect(): void {
    this.source?.close();
    this.source = undefined;
    this.connect();
  }

  private connect(): void {
    if (this.source) return;
    this.state = 'connecting';
    const source = new EventSource(this.url);
    this.source = source;
    source.addEventListener('open', () => {
      // The stream replays everything from the start: drop what we had.
      this.events = [];
      this.seen = new Set();
      this.olderLeftOut = false;
      this.state = 'open';
      this.schedule();
    });
    source.addEventListener('window', (message) => {
      try {
        this.olderLeftOut = (JSON.parse((message as MessageEvent<string>).data) as { olderLeftOut?: unknown }).olderLeftOut === true;
      } catch {
        return;
      }
      this.schedule();
    });
    source.addEventListener('trace', (message) => {
      let event: TraceEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as TraceEvent;
      } catch {
        return;
      }
      if (typeof event?.seq !== 'number' || this.seen.has(event.seq)) return;
      this.seen.add(event.seq);
      const last = this.events[this.events.length - 1];
      this.events.push(event);
      if (last && last.seq > event.seq) this.events.sort((a, b) => a.seq - b.seq);
      this.schedule();
    });
    source.addEventListener('error', () => {
      this.state = source.readyState === EventSource.CLOSED ? 'closed' : 'connecting';
      this.schedule();
      // EventSource does not say why it closed: ask whether this browser is an operator at all.
      if (this.state === 'closed')
        void api
          .operator()
          .then(({ role }) => {
            if (role === null && this.source === source) {
              this.state = 'operator';
              this.schedule();
            }
          })
          .catch(() => undefined);
    });
  }

  /** Batches notifications: the replay delivers hundreds of events at once. */
  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const snapshot = [...this.events];
      for (const listener of this.listeners) listener(snapshot, this.state, { olderLeftOut: this.olderLeftOut });
    }, 60);
  }
}

let shared: TraceStore | undefined;

export function traceStore(): TraceStore {
  shared ??= new TraceStore();
  return shared;
}
