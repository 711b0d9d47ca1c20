/**
 * Trace events in the order of causes: calls in the order they *started*, each followed by what it caused
 * (nested one level deeper). Events are reported when they end, so `seq` puts effects before their cause:
 * the PGO's `GET /oauth/callback` ends after the token request and the FHIR queries it made. Every view of
 * a flow — the inspector's diagram, the presenter, Mermaid, HAR — orders by this.
 *
 * No imports and no Node: the console's and the PGO's web UIs load this file too.
 */

/** What ordering needs of an event (TraceEvent has all of it). */
export interface Orderable {
  seq: number;
  id?: string;
  cause?: string;
  start?: string;
}

export interface Placed<E extends Orderable> {
  event: E;
  /** 0 for what nothing shown caused; one more per cause above it. */
  depth: number;
  /** The shown event it is nested under (its nearest shown cause). */
  parent?: E;
}

/**
 * The events of `shown` in causal order, with their depth.
 *
 * @param all the trace they were picked from, to follow a cause through an event that is not shown: the
 *   callee's report of a hop is usually hidden (the caller's report shows it), yet the callee's own calls
 *   name it as their cause — they are nested under the caller's report then.
 */
export function causalPlacement<E extends Orderable>(shown: readonly E[], all: readonly Orderable[] = shown): Placed<E>[] {
  const shownById = new Map<string, E>();
  for (const e of shown) if (e.id) shownById.set(e.id, e);
  const causeOf = new Map<string, string | undefined>();
  for (const e of all) if (e.id) causeOf.set(e.id, e.cause);
  for (const e of shown) if (e.id) causeOf.set(e.id, e.cause);

  /** The nearest shown event up the chain of causes (cycles and missing links end the walk). */
  const shownCause = (e: E): E | undefined => {
    const seen = new Set<string>(e.id ? [e.id] : []);
    let id = e.cause;
    while (id !== undefined && !seen.has(id)) {
      const found = shownById.get(id);
      if (found) return found;
      seen.add(id);
      id = causeOf.get(id);
    }
    return undefined;
  };

  const children = new Map<E | undefined, E[]>();
  const parents = new Map<E, E | undefined>();
  for (const e of shown) {
    const parent = shownCause(e);
    parents.set(e, parent);
    const list = children.get(parent) ?? [];
    list.push(e);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort(byStart);

  const out: Placed<E>[] = [];
  const visit = (parent: E | undefined, depth: number) => {
    for (const e of children.get(parent) ?? []) {
      out.push(parent ? { event: e, depth, parent } : { event: e, depth });
      visit(e, depth + 1);
    }
  };
  visit(undefined, 0);
  // Never lose an event: one in a loop of causes (no real trace has one) is placed at the top, in seq order.
  if (out.length < shown.length) {
    const placed = new Set(out.map((p) => p.event));
    for (const e of [...shown].sort((a, b) => a.seq - b.seq)) if (!placed.has(e)) out.push({ event: e, depth: 0 });
  }
  return out;
}

/** `shown` in causal order (see causalPlacement). */
export function causalOrder<E extends Orderable>(shown: readonly E[], all: readonly Orderable[] = shown): E[] {
  return causalPlacement(shown, all).map((p) => p.event);
}

/**
 * By start, then by seq (the order of ending). Without a start (a trace written before events had one) an event
 * keeps its seq position: then the whole order is seq order, as it always was.
 */
function byStart(a: Orderable, b: Orderable): number {
  if (a.start !== undefined && b.start !== undefined && a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.seq - b.seq;
}
