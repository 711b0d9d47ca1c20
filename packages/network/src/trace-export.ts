/**
 * Exports of one flow's trace (the PGO inspector, scenario reports): a Mermaid sequence diagram (paste it into any Markdown that renders
 * Mermaid), HAR 1.2 (open it in a browser's network panel) and the raw trace events as JSON.
 */
import type { TraceEvent } from './trace-event.js';

/**
 * Each hop is reported twice when both ends are sandbox participants (client and server side). Keep the
 * caller's report, and the callee's only when the caller does not report (a browser, curl).
 */
export function hopsOf(events: readonly TraceEvent[]): TraceEvent[] {
  const reporters = new Set(events.map((e) => e.reportedBy));
  return events.filter((e) => {
    if (e.kind === 'decision') return false;
    if (e.kind === 'tls') return true;
    if (e.side === 'client') return true;
    return !reporters.has(e.from);
  });
}

const LANE_ORDER = [/^browser$/, /^pgo\./, /^stelselnode\./, /\.dvza\./, /^tvs\./, /^pki\./];

function lanes(events: readonly TraceEvent[]): string[] {
  const seen = new Set<string>();
  for (const e of events) for (const name of e.kind === 'decision' ? [e.reportedBy] : [e.from, e.to]) seen.add(name);
  const rank = (name: string) => {
    const i = LANE_ORDER.findIndex((r) => r.test(name));
    return i < 0 ? LANE_ORDER.length : i;
  };
  return [...seen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function pathOf(e: TraceEvent): string {
  const url = e.url ?? '';
  try {
    const u = new URL(url, 'https://x');
    return u.pathname;
  } catch {
    return url;
  }
}

/** Mermaid `sequenceDiagram` of the hops, refusals and decisions of one flow. */
export function toMermaid(events: readonly TraceEvent[], title?: string): string {
  const hops = hopsOf(events);
  const shown = events.filter((e) => hops.includes(e) || e.kind === 'decision');
  const ids = new Map(lanes(shown).map((name, i) => [name, `P${i}`]));
  const text = (s: string) =>
    s
      .replace(/[;#<>]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 140);
  const lines = ['sequenceDiagram', ...(title ? [`  title ${text(title)}`] : [])];
  for (const [name, id] of ids) lines.push(`  participant ${id} as ${text(name)}`);
  for (const e of shown) {
    const from = ids.get(e.from)!;
    const to = ids.get(e.to)!;
    if (e.kind === 'decision') {
      lines.push(`  Note over ${ids.get(e.reportedBy)}: ${e.outcome === 'ok' ? '' : `${e.outcome.toUpperCase()} `}${text(e.reason ?? '')}`);
    } else if (e.kind === 'tls') {
      lines.push(`  ${from}-x${to}: TLS refused ${text(e.tls?.verdict ?? '')}`);
    } else if (e.status === undefined) {
      lines.push(`  ${from}-x${to}: ${e.method ?? ''} ${text(pathOf(e))} failed ${text(e.reason ?? '')}`);
    } else {
      lines.push(`  ${from}->>${to}: ${e.method ?? ''} ${text(pathOf(e))}`);
      lines.push(`  ${to}-->>${from}: ${e.status}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** HAR 1.2 of the HTTP hops (the trace holds request headers and verdicts, not full bodies). */
export function toHar(events: readonly TraceEvent[], version: string) {
  const entries = hopsOf(events)
    .filter((e) => e.kind === 'http')
    .map((e) => {
      const url = /^https?:/.test(e.url ?? '') ? e.url! : `https://${e.to}${e.url ?? '/'}`;
      const u = new URL(url);
      return {
        startedDateTime: e.at,
        time: e.durationMs ?? 0,
        request: {
          method: e.method ?? 'GET',
          url,
          httpVersion: 'HTTP/1.1',
          headers: Object.entries(e.headers ?? {}).map(([name, value]) => ({ name, value })),
          queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
          cookies: [],
          headersSize: -1,
          bodySize: -1,
        },
        response: {
          status: e.status ?? 0,
          statusText: e.status === undefined ? (e.reason ?? 'no response') : '',
          httpVersion: 'HTTP/1.1',
          headers: [],
          cookies: [],
          content: { size: 0, mimeType: '' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { send: 0, wait: e.durationMs ?? 0, receive: 0 },
        comment: [e.reason, e.rule].filter(Boolean).join(' — ') || undefined,
        _from: e.from,
        _to: e.to,
        _reportedBy: e.reportedBy,
        _traceId: e.traceId,
        _tls: e.tls,
      };
    });
  return { log: { version: '1.2', creator: { name: 'MedMij Sandbox', version }, pages: [], entries } };
}
