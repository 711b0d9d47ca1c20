/**
 * The sandbox clock. Every participant reads time from here, never from Date.now(),
 * so scenarios can freeze time or travel forward ("the access token is now 16 minutes old")
 * and replay the same situation every time.
 *
 * This file and random.ts are the only places allowed to touch the wall clock.
 */
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { WatchedFile } from './state-files.js';

export interface Clock {
  /** The current sandbox time. */
  now(): Date;
  /** The current sandbox time in epoch milliseconds. */
  nowMs(): number;
}

/** A serialisable description of the clock, so separate processes can share one sandbox time. */
export type ClockState = { mode: 'real'; offsetMs: number } | { mode: 'frozen'; at: string };

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * Parses a duration such as `15m`, `-2d`, `1h30m` or `900s` into milliseconds.
 * Years and months are left out on purpose: they have no fixed length.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const match = /^([+-])?((?:\d+(?:ms|s|m|h|d|w))+)$/.exec(trimmed);
  if (!match) {
    throw new RangeError(`invalid duration '${text}': use a number with a unit (ms, s, m, h, d, w), e.g. 15m, 2d, 1h30m or -90s`);
  }
  let total = 0;
  for (const part of match[2]!.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) {
    total += Number(part[1]) * UNITS[part[2]!]!;
  }
  return match[1] === '-' ? -total : total;
}

type Listener = (clock: SandboxClock) => void;

/**
 * A clock that follows real time by default and can be frozen or shifted.
 * `source` is injectable so tests and benchmarks can drive time themselves.
 */
export class SandboxClock implements Clock {
  private state: ClockState;
  private readonly listeners = new Set<Listener>();
  /** Set by shareVia: the clock file this clock follows and writes. */
  private file?: WatchedFile<ClockState>;

  constructor(
    initial: ClockState = { mode: 'real', offsetMs: 0 },
    private readonly source: () => number = () => Date.now(),
  ) {
    this.state = normalise(initial);
  }

  /** A clock frozen at one instant: the usual clock for deterministic tests. */
  static frozenAt(at: Date | string): SandboxClock {
    return new SandboxClock({ mode: 'frozen', at: toIso(at) });
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    this.follow();
    return this.state.mode === 'frozen' ? Date.parse(this.state.at) : this.source() + this.state.offsetMs;
  }

  /** Stops time at `at` (default: the current sandbox time). */
  freeze(at: Date | string = this.now()): this {
    return this.set({ mode: 'frozen', at: toIso(at) });
  }

  /** Moves sandbox time by a duration (`'15m'`, `'-1d'`) or milliseconds; works frozen or running. */
  shift(by: string | number): this {
    const ms = typeof by === 'number' ? by : parseDuration(by);
    return this.set(
      this.state.mode === 'frozen'
        ? { mode: 'frozen', at: new Date(Date.parse(this.state.at) + ms).toISOString() }
        : { mode: 'real', offsetMs: this.state.offsetMs + ms },
    );
  }

  /** Lets time run again from the current sandbox time (keeping any shift). */
  resume(): this {
    return this.state.mode === 'frozen' ? this.set({ mode: 'real', offsetMs: Date.parse(this.state.at) - this.source() }) : this;
  }

  /** Back to plain real time. */
  reset(): this {
    return this.set({ mode: 'real', offsetMs: 0 });
  }

  getState(): ClockState {
    this.follow();
    return { ...this.state };
  }

  set(state: ClockState): this {
    this.state = normalise(state);
    this.file?.write(this.state, (v) => `${JSON.stringify(v)}\n`);
    for (const listener of this.listeners) listener(this);
    return this;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Shares this clock with other processes through a clock file (`.sandbox/clock.json`): every reading
   * checks the file (one stat) and adopts a change another process made; every change is written to it.
   * An existing file wins over this clock's state; a missing one is created from it.
   */
  shareVia(path: string): this {
    // A clock file being replaced or damaged: keep the last good time.
    this.file = new WatchedFile(
      path,
      (text) => normalise(JSON.parse(text) as ClockState),
      () => this.state,
      { keepLastGood: true },
    );
    if (!existsSync(path)) this.set(this.state);
    else this.adopt();
    return this;
  }

  private follow(): void {
    if (this.file?.changed()) this.adopt();
  }

  private adopt(): void {
    try {
      this.state = this.file!.get();
    } catch {
      return; // never read a good version yet: keep this clock's own time
    }
    for (const listener of this.listeners) listener(this);
  }

  describe(): string {
    this.follow();
    if (this.state.mode === 'frozen') return `frozen at ${this.state.at}`;
    if (this.state.offsetMs === 0) return 'real time';
    const sign = this.state.offsetMs > 0 ? '+' : '-';
    return `real time ${sign} ${formatDuration(Math.abs(this.state.offsetMs))}`;
  }
}

/**
 * Plain real time, never frozen or shifted: only for what the outside world judges by real time
 * (OpenSSL checks certificate and CRL windows against it) and for lock-file ages.
 */
export const wallClock: Clock = new SandboxClock();

function normalise(state: ClockState): ClockState {
  if (state.mode === 'frozen') {
    if (Number.isNaN(Date.parse(state.at))) throw new RangeError(`invalid clock time '${state.at}'`);
    return { mode: 'frozen', at: new Date(state.at).toISOString() };
  }
  if (!Number.isFinite(state.offsetMs)) throw new RangeError(`invalid clock offset '${state.offsetMs}'`);
  return { mode: 'real', offsetMs: state.offsetMs };
}

function toIso(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid clock time '${String(at)}'`);
  return date.toISOString();
}

export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', UNITS.d!],
    ['h', UNITS.h!],
    ['m', UNITS.m!],
    ['s', UNITS.s!],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  // Milliseconds only matter for short durations.
  if ((rest > 0 && ms < 1000) || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join('');
}

/**
 * The calendar date (YYYY-MM-DD) of a sandbox instant in the Netherlands: birthdays, "turns 16 today"
 * and dossier dates are Dutch calendar days, not UTC ones.
 */
export function dutchDate(at: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * The sandbox clock of a sandbox folder, for a command that judges by sandbox time (`pki status`, `lists`,
 * `personas`): the network's shared clock (`clock.json`, written by `npm start` and `sandbox init`, moved by
 * `sandbox clock`), or real time when no network has made one. Never creates the file.
 */
export function sandboxClockIn(clockFile: string): SandboxClock {
  return existsSync(clockFile) ? new SandboxClock().shareVia(clockFile) : new SandboxClock();
}

/**
 * Real time, ISO 8601 with milliseconds: when a hop started and ended. Not the sandbox clock — that stands still
 * in scenarios — but the machine's (one clock for every process on it), so start order holds across processes.
 * Kept out of golden traces.
 */
export function realTimeIso(): string {
  // performance.now() is monotonic within a process; timeOrigin puts it on the machine's clock shared by all.
  return new Date(performance.timeOrigin + performance.now()).toISOString();
}
