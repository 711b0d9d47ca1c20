/**
 * Waiting for the list consumers: after a change of the lists or a move of the sandbox clock, the runner goes on
 * once the trace shows each consumer's decision on each list it was told of (or polled), never after a fixed time.
 * The wait follows the trace bus (its subscription); a bound is there only as a safety net.
 */
import type { TraceBus, TraceEvent } from '@medmij-sandbox/network';
import { LISTS } from '@medmij-sandbox/rules';

/** Resolves true once `done()` holds, checked at every new trace event; false when `timeoutMs` passed first. */
export function untilTrace(bus: TraceBus, done: () => boolean, timeoutMs: number): Promise<boolean> {
  if (done()) return Promise.resolve(true);
  return new Promise((resolve) => {
    let finished = false;
    let queued = false;
    const finish = (ok: boolean) => {
      if (finished) return;
      finished = true;
      unsubscribe();
      clearTimeout(timer);
      resolve(ok);
    };
    // Checked after the bus delivered (a microtask later): reading the bus inside its own delivery would re-enter it.
    const unsubscribe = bus.subscribe(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        if (!finished && done()) finish(true);
      });
    });
    const timer = setTimeout(() => finish(done()), timeoutMs);
  });
}

/** A consumer's decision on one list it fetched (not the notice it got, not a forget, not a flow's own check). */
function isListDecision(e: TraceEvent, stelselnodeHost: string): boolean {
  return (
    e.kind === 'decision' &&
    e.to === stelselnodeHost &&
    e.from === e.reportedBy &&
    e.traceId === undefined &&
    (e.ruleId ?? '').startsWith('lists.') &&
    e.ruleId !== LISTS.forgotten.id
  );
}

/**
 * Waits until each consumer (hostname → how many lists) has reported that many list decisions after `sinceSeq`.
 * Resolves with the consumers still short of them when the safety net ran out (empty: all decided).
 */
export async function listDecisions(
  bus: TraceBus,
  o: { stelselnodeHost: string; wanted: ReadonlyMap<string, number>; sinceSeq: number; timeoutMs?: number },
): Promise<string[]> {
  const behind = () => {
    const counts = new Map<string, number>();
    for (const e of bus.events((e) => e.seq > o.sinceSeq && isListDecision(e, o.stelselnodeHost)))
      counts.set(e.reportedBy, (counts.get(e.reportedBy) ?? 0) + 1);
    return [...o.wanted].filter(([host, n]) => (counts.get(host) ?? 0) < n).map(([host]) => host);
  };
  await untilTrace(bus, () => behind().length === 0, o.timeoutMs ?? 60_000);
  return behind();
}
