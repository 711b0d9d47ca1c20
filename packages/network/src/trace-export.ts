/**
 * Exports of one flow's trace (the PGO inspector, scenario reports): a Mermaid sequence diagram (paste it into any Markdown that renders
 * Mermaid), HAR 1.2 (open it in a browser's network panel) and the raw trace events as JSON.
 */
import type { TraceEvent } from './trace-event.js';
import { causalOrder, causalPlacement } from './trace-order.js';

/** How long a hop took in real time; the sandbox-clock duration when it has no start and end (an older trace). */
function elapsedMs(e: TraceEvent): number {
  if (e.start && e.end) return Math.max(0, Date.parse(e.end) - Date.parse(e.start));
  return e.durationMs ?? 0;
}

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

/**
 * Mermaid's entity codes for the characters its grammar reads itself (`;` ends a statement, `#` starts an entity
 * code, `<` and `>` are markup): the text shows them as written.
 */
const MERMAID_ENTITIES: Record<string, string> = { ';': '#59;', '#': '#35;', '<': '#lt;', '>': '#gt;' };

function mermaidText(s: string): string {
  return s.replace(/[;#<>]/g, (c) => MERMAID_ENTITIES[c]!);
}

/**
 * A note's or a failed hop's words in lines of at most `width` characters, broken between words (Mermaid's `<br/>`)
 * rather than cut off; a word longer than a line (a URL, a token) gets a line of its own.
 */
function wrapped(s: string, width = 60): string {
  const lines: string[] = [];
  for (const word of s.replace(/\s+/g, ' ').trim().split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.map(mermaidText).join('<br/>');
}

/**
 * Mermaid `sequenceDiagram` of the hops, refusals and decisions of one flow, in causal order: a request, then
 * what the callee did while serving it (its own calls, its decisions), then the answer — as it happened, not
 * in the order the reports ended.
 */
export function toMermaid(events: readonly TraceEvent[], title?: string): string {
  const hops = new Set(hopsOf(events));
  const shown = events.filter((e) => hops.has(e) || e.kind === 'decision');
  const ids = new Map(lanes(shown).map((name, i) => [name, `P${i}`]));
  const text = (s: string) => mermaidText(s.replace(/\s+/g, ' ').trim());
  const lines = ['sequenceDiagram', ...(title ? [`  title ${text(title)}`] : [])];
  for (const [name, id] of ids) lines.push(`  participant ${id} as ${text(name)}`);
  const placement = causalPlacement(shown, events);
  const children = new Map<TraceEvent | undefined, TraceEvent[]>();
  for (const p of placement) children.set(p.parent, [...(children.get(p.parent) ?? []), p.event]);
  const write = (e: TraceEvent) => {
    const from = ids.get(e.from)!;
    const to = ids.get(e.to)!;
    const effects = children.get(e) ?? [];
    if (e.kind === 'decision') {
      lines.push(`  Note over ${ids.get(e.reportedBy)}: ${wrapped(`${e.outcome === 'ok' ? '' : `${e.outcome.toUpperCase()} `}${e.reason ?? ''}`)}`);
    } else if (e.kind === 'tls') {
      lines.push(`  ${from}-x${to}: TLS refused ${text(e.tls?.verdict ?? '')}`);
    } else if (e.status === undefined) {
      lines.push(`  ${from}-x${to}: ${wrapped(`${e.method ?? ''} ${pathOf(e)} failed ${e.reason ?? ''}`)}`);
    } else {
      // The callee is active while it serves the request: its own calls and decisions sit inside, the answer after them.
      const activate = effects.length > 0 && from !== to;
      lines.push(`  ${from}->>${activate ? '+' : ''}${to}: ${e.method ?? ''} ${text(pathOf(e))}`);
      effects.forEach(write);
      lines.push(`  ${to}-->>${activate ? '-' : ''}${from}: ${e.status}`);
      return;
    }
    effects.forEach(write);
  };
  (children.get(undefined) ?? []).forEach(write);
  return `${lines.join('\n')}\n`;
}

/**
 * HAR 1.2 of the hops: every HTTP request with its URL (port included), the request's and the answer's headers as
 * the trace holds them (cookies and tokens hidden) and its redirect target; a hop that got no answer — a refused
 * handshake, a connection refused — as an entry with status 0 and `_error`, as browsers export a failed request.
 * Bodies are not on the trace.
 */
export function toHar(events: readonly TraceEvent[], version: string) {
  const nameValues = (headers: Record<string, string> | undefined) => Object.entries(headers ?? {}).map(([name, value]) => ({ name, value }));
  // In the order the requests started (HAR's startedDateTime), each before the calls it caused.
  const reporters = new Set(events.map((e) => e.reportedBy));
  const entries = causalOrder(hopsOf(events), events)
    // A refused handshake as its caller saw it; one only the server saw (a caller that reports nothing: a browser, an
    // outside participant) as the server judged it. Not the server's count of a burst of refusals (no request).
    .filter(
      (e) =>
        e.kind === 'http' ||
        (e.kind === 'tls' && (e.side === 'client' || (e.side === 'server' && !reporters.has(e.from) && e.ruleId !== 'transport.tls.refusals-counted'))),
    )
    .map((e) => {
      const url = /^https?:/.test(e.url ?? '') ? e.url! : `${e.origin ?? `https://${e.to}`}${e.url ?? '/'}`;
      const u = new URL(url);
      const answered = e.kind === 'http' && e.status !== undefined;
      const location = e.responseHeaders?.location;
      let redirectURL = '';
      try {
        // Relative to the request, as HAR asks for the Location header's target.
        redirectURL = location ? new URL(location, url).href : '';
      } catch {
        // A Location that is no URL (an outside participant's): as it was sent.
        redirectURL = location ?? '';
      }
      return {
        // Real time: the sandbox clock (`at`, kept as _sandboxTime) may stand still and stamps a hop when it ends.
        startedDateTime: e.start ?? e.at,
        time: elapsedMs(e),
        request: {
          method: e.method ?? 'GET',
          url,
          httpVersion: 'HTTP/1.1',
          headers: nameValues(e.headers),
          queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
          cookies: [],
          headersSize: -1,
          bodySize: -1,
        },
        response: {
          status: answered ? e.status! : 0,
          statusText: answered ? '' : (e.reason ?? 'no response'),
          httpVersion: answered ? 'HTTP/1.1' : '',
          headers: nameValues(e.responseHeaders),
          cookies: [],
          content: { size: 0, mimeType: e.responseHeaders?.['content-type'] ?? '' },
          redirectURL,
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { send: 0, wait: elapsedMs(e), receive: 0 },
        ...([e.reason, e.rule].some(Boolean) ? { comment: [e.reason, e.rule].filter(Boolean).join(' — ') } : {}),
        ...(answered ? {} : { _error: e.tls?.verdict ?? e.reason ?? 'no response' }),
        _from: e.from,
        _to: e.to,
        _reportedBy: e.reportedBy,
        ...(e.traceId ? { _traceId: e.traceId } : {}),
        ...(e.tls ? { _tls: e.tls } : {}),
        _sandboxTime: e.at,
        ...(e.id ? { _id: e.id } : {}),
        ...(e.cause ? { _cause: e.cause } : {}),
      };
    });
  return { log: { version: '1.2', creator: { name: 'MedMij Sandbox', version }, pages: [], entries } };
}
