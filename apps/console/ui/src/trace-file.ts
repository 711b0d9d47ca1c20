/**
 * A trace from a file, to browse in the inspector like a live one: what the console's JSON export writes (the
 * events), what the sandbox writes to .sandbox/trace/trace.jsonl (one event per line), or a golden trace of a
 * scenario (scenarios/golden/<version>/<name>.json: who, what and why, without times or ids). Pure, no DOM.
 */
import type { Bilingual, TraceEvent } from '@medmij-sandbox/console-api';

export type TraceFile = { events: TraceEvent[]; kind: 'events' | 'golden' } | { error: Bilingual };

const KINDS = new Set(['http', 'tls', 'decision']);
const OUTCOMES = new Set(['ok', 'warning', 'refused', 'error']);
/** What every entry must name, in either form: the rest is optional. */
const REQUIRED = ['kind', 'reportedBy', 'from', 'to', 'outcome'] as const;

/** The events in `text` (the file named `name`), or why it holds none the inspector can show. */
export function parseTraceFile(text: string, name: string): TraceFile {
  const entries = entriesOf(text.trim());
  if ('error' in entries)
    return {
      error: {
        nl: `${name} is geen trace: geen JSON-lijst en geen JSON-regels (${entries.error}).`,
        en: `${name} is not a trace: neither a JSON list nor JSON lines (${entries.error}).`,
      },
    };
  if (entries.list.length === 0) return { error: { nl: `${name} bevat geen gebeurtenissen.`, en: `${name} holds no events.` } };
  for (const [i, entry] of entries.list.entries()) {
    const where = { nl: `${name}, gebeurtenis ${i + 1}`, en: `${name}, event ${i + 1}` };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return { error: { nl: `${where.nl}: geen object.`, en: `${where.en}: not an object.` } };
    const e = entry as Record<string, unknown>;
    const missing = REQUIRED.find((field) => typeof e[field] !== 'string');
    if (missing) return { error: { nl: `${where.nl}: het veld '${missing}' ontbreekt.`, en: `${where.en}: the field '${missing}' is missing.` } };
    if (!KINDS.has(e.kind as string))
      return {
        error: {
          nl: `${where.nl}: kind '${String(e.kind)}' is geen http, tls of decision.`,
          en: `${where.en}: kind '${String(e.kind)}' is not http, tls or decision.`,
        },
      };
    if (!OUTCOMES.has(e.outcome as string))
      return { error: { nl: `${where.nl}: outcome '${String(e.outcome)}' is onbekend.`, en: `${where.en}: outcome '${String(e.outcome)}' is unknown.` } };
  }
  const list = entries.list as Array<Record<string, unknown>>;
  // A golden trace has no seq (and no time): numbered in its order, its `path` and `verdict` put where events keep them.
  if (list.every((e) => typeof e.seq === 'number' && typeof e.at === 'string')) return { events: list as unknown as TraceEvent[], kind: 'events' };
  return { events: list.map((e, i) => fromGolden(e, i)), kind: 'golden' };
}

function entriesOf(text: string): { list: unknown[] } | { error: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return { list: parsed };
    // The console's own answer shape ({ events: [...] }, GET /api/trace) too.
    if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { events?: unknown }).events))
      return { list: (parsed as { events: unknown[] }).events };
    return { error: 'JSON, but no list' };
  } catch (whole) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    try {
      return { list: lines.map((l) => JSON.parse(l) as unknown) };
    } catch {
      return { error: (whole as Error).message };
    }
  }
}

function fromGolden(e: Record<string, unknown>, i: number): TraceEvent {
  const { path, verdict, ...rest } = e;
  return {
    ...(rest as Omit<TraceEvent, 'seq' | 'at'>),
    seq: i + 1,
    // A golden trace keeps no time: the inspector shows none.
    at: '',
    ...(typeof path === 'string' ? { url: path } : {}),
    ...(typeof verdict === 'string' ? { tls: { verdict } } : {}),
  } as TraceEvent;
}
