/**
 * From trace events to a sequence diagram: which lanes (participants), in which order, and which rows.
 * Pure functions, no DOM: the inspector renders what these return.
 */
import { causalOrder, causalPlacement } from '@medmij-sandbox/network/trace-order';
import type { TraceEvent } from '@medmij-sandbox/console-api';

export interface Lane {
  key: string;
  /** Short name: Browser, PGO, Stelselnode, DVZA dekroon, TVS, PKI, or the host itself. */
  label: string;
  /** The hostname when it adds information (for DVZAs and unknown hosts). */
  host?: string;
}

export type Tone = 'ok' | 'warn' | 'bad';

export interface DiagramRow {
  event: TraceEvent;
  /** 'arrow' for http/tls between two lanes, 'note' for decisions and hops within one lane. */
  shape: 'arrow' | 'note';
  from: number;
  to: number;
  /** What a hop's row says: "POST /oauth/token → 200", "TLS CERT_REVOKED" (a decision's: empty, diagram.ts says its reason). */
  label: string;
  /** The query string of an http row (shown apart from the label). */
  query?: string;
  tone: Tone;
  /** Shown in a flow without carrying its traceId (see ViewOptions.inferBrowserHops). */
  inferred?: boolean;
  /** How many shown causes are above it: 0 for a browser's click or a poll, 1 for a call made while serving that, … */
  depth: number;
}

export interface ViewOptions {
  /** Only this flow ('' or undefined: everything). */
  traceId?: string;
  hideDecisions?: boolean;
  /** Hide the PGO web app's own calls to its API (no traceId): GET /api/session, the trace stream, ... and favicons. */
  hideUiTraffic?: boolean;
  /**
   * With a traceId: also show the browser's hops that carry no traceId (a DVZA's DigiD redirect, its
   * consent page, the PGO's callback) while the flow runs, to hosts of the flow. Default true.
   */
  inferBrowserHops?: boolean;
}

/** Lane key of a host: lower case, without port; the PKI's short name joins pki.localhost. */
export function laneKey(host: string): string {
  const h = host.trim().toLowerCase().replace(/:\d+$/, '');
  return h === 'pki' ? 'pki.localhost' : h;
}

function laneRank(key: string): number {
  if (key === 'browser') return 0;
  if (key === 'pgo.localhost' || /(^|\.)pgo\.localhost$/.test(key)) return 1;
  if (key === 'stelselnode.localhost') return 2;
  if (key.endsWith('.dvza.localhost')) return 3;
  if (key === 'tvs.localhost') return 4;
  if (key === 'pki.localhost') return 5;
  return 6;
}

export function laneOf(key: string): Lane {
  switch (laneRank(key)) {
    case 0:
      return { key, label: 'Browser' };
    case 1:
      return { key, label: 'PGO', host: key };
    case 2:
      return { key, label: 'Stelselnode', host: key };
    case 3:
      return { key, label: `DVZA ${key.slice(0, -'.dvza.localhost'.length)}`, host: key };
    case 4:
      return { key, label: 'TVS (DigiD)', host: key };
    case 5:
      return { key, label: 'PKI', host: key };
    default:
      return { key, label: key };
  }
}

/** Hosts that report their own hops: every reporter, and every sandbox hostname. */
export function participantsOf(events: TraceEvent[]): Set<string> {
  const set = new Set<string>();
  for (const e of events) set.add(laneKey(e.reportedBy));
  return set;
}

function isParticipant(host: string, reporters: Set<string>): boolean {
  return host !== 'browser' && (reporters.has(host) || host.endsWith('.localhost'));
}

/**
 * Each hop is reported twice: by the caller (side 'client') and by the callee (side 'server'). Keep the
 * caller's report; keep the callee's only when the caller does not report (the browser, curl, ...).
 */
export function isDuplicateServerReport(e: TraceEvent, reporters: Set<string>): boolean {
  return e.kind === 'http' && e.side === 'server' && isParticipant(laneKey(e.from), reporters);
}

export function isUiTraffic(e: TraceEvent): boolean {
  if (e.traceId || e.kind !== 'http' || laneKey(e.from) !== 'browser') return false;
  const path = (e.url ?? '').split('?')[0] ?? '';
  if (path === '/favicon.ico') return true;
  return laneRank(laneKey(e.to)) === 1 && (path === '/' || path.startsWith('/api/') || path.startsWith('/assets/'));
}

/**
 * Browser hops without a traceId that belong to a flow by time and place: after the flow's first event
 * and before the next flow starts, to a host the flow involves. Returns their seq numbers.
 */
export function inferredBrowserHops(events: TraceEvent[], traceId: string): Set<number> {
  const tagged = events.filter((e) => e.traceId === traceId);
  const out = new Set<number>();
  if (tagged.length === 0) return out;
  const start = Math.min(...tagged.map((e) => e.seq));
  const firstOfOthers = new Map<string, number>();
  for (const e of events) if (e.traceId && e.traceId !== traceId && !firstOfOthers.has(e.traceId)) firstOfOthers.set(e.traceId, e.seq);
  const end = Math.min(Infinity, ...[...firstOfOthers.values()].filter((seq) => seq > start));
  // Hosts of the flow; the browser's own lane does not count.
  const hosts = new Set(tagged.flatMap((e) => [laneKey(e.from), laneKey(e.to), laneKey(e.reportedBy)]));
  for (const e of events) {
    if (e.traceId || e.seq <= start || e.seq >= end || laneKey(e.from) !== 'browser' || !hosts.has(laneKey(e.to))) continue;
    out.add(e.seq);
  }
  return out;
}

/**
 * The events a view shows, in causal order (packages/network trace-order): each call where it started, followed by
 * what it caused — not in the order the reports ended (then the PGO's callback came after the token request it made).
 */
export function visibleEvents(events: TraceEvent[], opts: ViewOptions = {}): TraceEvent[] {
  const reporters = participantsOf(events);
  const inferred = opts.traceId && opts.inferBrowserHops !== false ? inferredBrowserHops(events, opts.traceId) : new Set<number>();
  const shown = events.filter(
    (e) =>
      !isDuplicateServerReport(e, reporters) &&
      (!opts.traceId || e.traceId === opts.traceId || inferred.has(e.seq)) &&
      !(opts.hideDecisions && e.kind === 'decision') &&
      !(opts.hideUiTraffic && isUiTraffic(e)),
  );
  return causalOrder(shown, events);
}

export function toneOf(e: TraceEvent): Tone {
  return e.outcome === 'refused' || e.outcome === 'error' ? 'bad' : e.outcome === 'warning' ? 'warn' : 'ok';
}

export function splitUrl(url: string | undefined): { path: string; query?: string } {
  if (!url) return { path: '' };
  let u = url;
  // An absolute URL: keep path and query.
  const abs = /^[a-z]+:\/\/[^/]+(\/.*)?$/i.exec(u);
  if (abs) u = abs[1] ?? '/';
  const i = u.indexOf('?');
  return i < 0 ? { path: u } : { path: u.slice(0, i), query: u.slice(i) };
}

/** "POST /oauth/token → 200"; "POST /oauth/token → ✕" when no answer came. */
export function httpLabel(e: TraceEvent): string {
  const { path } = splitUrl(e.url);
  return `${e.method ?? 'GET'} ${path} → ${e.status ?? '✕'}`;
}

/** A hop's row label. A decision's row shows its reason in the UI's language instead (diagram.ts): it has none. */
export function rowLabel(e: TraceEvent): string {
  if (e.kind === 'http') return httpLabel(e);
  if (e.kind === 'tls') {
    const verdict = e.tls?.verdict ?? '?';
    return e.method && e.url ? `${e.method} ${splitUrl(e.url).path} ✕ TLS ${verdict}` : `TLS ${verdict}`;
  }
  return '';
}

/** Lanes in the fixed order (Browser, PGO, Stelselnode, DVZAs, TVS, PKI), unknown hosts after; ties by first appearance. */
export function lanesOf(events: TraceEvent[]): Lane[] {
  const first = new Map<string, number>();
  const see = (host: string) => {
    const key = laneKey(host);
    if (!first.has(key)) first.set(key, first.size);
  };
  for (const e of events) {
    if (e.kind === 'decision') see(e.reportedBy);
    else {
      see(e.from);
      see(e.to);
    }
  }
  return [...first.keys()].sort((a, b) => laneRank(a) - laneRank(b) || first.get(a)! - first.get(b)!).map(laneOf);
}

/**
 * Rows in the order given (visibleEvents: causal order). `traceId`: the flow shown, so rows without it are marked as
 * inferred. `all`: the trace the events were picked from, so a row is nested under its cause through hidden reports.
 */
export function buildDiagram(events: TraceEvent[], traceId?: string, all: TraceEvent[] = events): { lanes: Lane[]; rows: DiagramRow[] } {
  const lanes = lanesOf(events);
  const index = new Map(lanes.map((l, i) => [l.key, i]));
  const depthOf = new Map(causalPlacement(events, all).map((p) => [p.event, p.depth]));
  const rows = events.map((e): DiagramRow => {
    const tone = toneOf(e);
    if (e.kind === 'decision') {
      const at = index.get(laneKey(e.reportedBy)) ?? 0;
      return { event: e, shape: 'note', from: at, to: at, label: rowLabel(e), tone, depth: depthOf.get(e) ?? 0 };
    }
    const from = index.get(laneKey(e.from)) ?? 0;
    const to = index.get(laneKey(e.to)) ?? 0;
    const { query } = splitUrl(e.url);
    const inferred = !!traceId && e.traceId !== traceId;
    return {
      event: e,
      shape: from === to ? 'note' : 'arrow',
      from,
      to,
      label: rowLabel(e),
      ...(query ? { query } : {}),
      tone,
      ...(inferred ? { inferred } : {}),
      depth: depthOf.get(e) ?? 0,
    };
  });
  return { lanes, rows };
}

/** The other side's report of the same hop (the callee's, for a shown client report), for the details pane. */
export function counterpartOf(e: TraceEvent, events: TraceEvent[]): TraceEvent | undefined {
  if (e.kind === 'decision' || !e.side) return undefined;
  const other = e.side === 'client' ? 'server' : 'client';
  const candidates = events.filter(
    (x) => x !== e && x.side === other && x.kind !== 'decision' && laneKey(x.from) === laneKey(e.from) && laneKey(x.to) === laneKey(e.to),
  );
  if (e.requestId) {
    const byId = candidates.find((x) => x.requestId === e.requestId);
    if (byId) return byId;
  }
  const { path } = splitUrl(e.url);
  const near = candidates
    .filter((x) => x.method === e.method && splitUrl(x.url).path === path && (x.status === e.status || e.status === undefined) && Math.abs(x.seq - e.seq) <= 20)
    .sort((a, b) => Math.abs(a.seq - e.seq) - Math.abs(b.seq - e.seq));
  return near[0];
}

/** The flows seen so far, newest first, for the trace filter. */
export function traceIdsOf(events: TraceEvent[]): Array<{ traceId: string; firstAt: string; lastSeq: number; dvza?: string; count: number }> {
  const map = new Map<string, { traceId: string; firstAt: string; lastSeq: number; dvza?: string; count: number }>();
  for (const e of events) {
    if (!e.traceId) continue;
    let entry = map.get(e.traceId);
    if (!entry) {
      entry = { traceId: e.traceId, firstAt: e.at, lastSeq: e.seq, count: 0 };
      map.set(e.traceId, entry);
    }
    entry.count += 1;
    entry.lastSeq = Math.max(entry.lastSeq, e.seq);
    if (!entry.dvza) {
      const host = [e.from, e.to, e.reportedBy].map(laneKey).find((h) => h.endsWith('.dvza.localhost'));
      if (host) entry.dvza = laneOf(host).label;
    }
  }
  return [...map.values()].sort((a, b) => b.lastSeq - a.lastSeq);
}
