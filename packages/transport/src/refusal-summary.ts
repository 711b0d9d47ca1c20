/**
 * Handshakes refused at the mTLS gate, bounded on the trace: anyone who reaches a back channel can open
 * handshakes without a client certificate, 10,000 of them in seconds. The first refusal of a kind from a peer
 * address is traced in full; the same refusals from that address in the minute of sandbox time after it are
 * counted, and said in one line when that minute is over (seen at the next refusal, at the listener's
 * existing PKI tick, when the sandbox clock is set, or when the listener closes), or sooner when a bound is reached.
 */
import type { Clock } from '@medmij-sandbox/network';

export const REFUSAL_WINDOW_MS = 60_000;
/**
 * Bounds that hold while the sandbox clock stands still (then no window is ever over): a window is also said and
 * closed once it counted this many, and when this many addresses have one open, the oldest is said first.
 */
export const REFUSAL_WINDOW_MAX_COUNT = 10_000;
export const REFUSAL_MAX_WINDOWS = 1_000;

export interface CountedRefusals {
  address: string;
  verdict: string;
  /** Sandbox time of the refusal that was traced in full (ISO 8601). */
  since: string;
  count: number;
}

export class RefusalSummary {
  private readonly windows = new Map<string, { address: string; verdict: string; startMs: number; count: number }>();

  /** @param say traces one summary line (called for windows with at least one refusal counted) */
  constructor(
    private readonly clock: Clock,
    private readonly say: (counted: CountedRefusals) => void,
  ) {}

  /** A refusal: true when it is to be traced in full (the first in its window), false when it was counted. */
  refused(address: string, verdict: string): boolean {
    const now = this.clock.nowMs();
    this.flush(now);
    const key = `${address} ${verdict}`;
    const open = this.windows.get(key);
    if (open) {
      open.count++;
      if (open.count >= REFUSAL_WINDOW_MAX_COUNT) this.close(key);
      return false;
    }
    while (this.windows.size >= REFUSAL_MAX_WINDOWS) this.close(this.windows.keys().next().value!);
    this.windows.set(key, { address, verdict, startMs: now, count: 0 });
    return true;
  }

  /**
   * Says and closes the windows that are over at `now`; `all`: every window (the listener closes, or the
   * sandbox clock was set: a new stretch of sandbox time, such as the next scenario of a live run).
   * A window whose start lies after `now` (the clock was set back) is over too.
   */
  flush(now = this.clock.nowMs(), o: { all?: boolean } = {}): void {
    for (const [key, w] of this.windows) {
      if (!o.all && now >= w.startMs && now - w.startMs < REFUSAL_WINDOW_MS) continue;
      this.close(key);
    }
  }

  private close(key: string): void {
    const w = this.windows.get(key)!;
    this.windows.delete(key);
    if (w.count > 0) this.say({ address: w.address, verdict: w.verdict, since: new Date(w.startMs).toISOString(), count: w.count });
  }
}
