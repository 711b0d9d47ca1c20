/**
 * A scenario's expectations checked against the trace: the PGO's last collection, the last raw answer, and
 * the hops — in order, `absent` for the whole scenario. With a participant under test, an expectation only it
 * could report is set aside as "not observable" instead of being checked.
 */
import { dutchDate, parseDuration, SandboxError, type Topology, type TraceEvent } from '@medmij-sandbox/network';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';
import { listKindsOf, type AnyListKind } from '@medmij-sandbox/lists';
import type { Collection } from '@medmij-sandbox/pgo-api';
import { eventReason, nestedReasons, type Params } from '@medmij-sandbox/rules';
import type { Cast } from './cast.js';
import { expectationsIn, type Bilingual, type Expectations, type HopExpectation, type Scenario } from './schema.js';

/** One check of a run, in both languages: the console shows the UI language's, the CLI and reports `en`. */
export interface Check {
  what: Bilingual;
  ok: boolean;
  message: Bilingual;
  /** The trace event that satisfied (or, for `absent`, broke) the expectation. */
  event?: TraceEvent;
  /** What the participant under test says of itself (its own API): shown, but no evidence for a rule. */
  selfReported?: boolean;
  /** The check that a target run had evidence at all; failing it makes the verdict "undetermined". */
  evidence?: boolean;
  /** A hop expected but not found: the events that came closest (at most 3), each with the fields it differs in. */
  nearMisses?: NearMiss[];
}

/**
 * An event that came close to an expected hop: how it reads, and each field of the expectation (as the scenario
 * names it: `from`, `path`, `ruleId`, `params.scope` …) where it has something else.
 */
export interface NearMiss {
  seq: number;
  summary: Bilingual;
  differs: Array<{ field: string; expected: string; actual: string }>;
}

/** The reference PGO's account of its last collection (its JSON API, packages/pgo-api): what the checks read. */
export type PgoCollection = Pick<Collection, 'id' | 'traceId' | 'status' | 'refusal' | 'resourceCount' | 'longLivedConsent'>;

/** What the run left behind for the checks. */
export interface RunOutcome {
  lastCollection?: PgoCollection;
  lastResponse?: { status: number; text: string };
  /** How many collections of the person's PGO account hold data at the end (read when an expectation asks). */
  accountCollected?: number;
  /** A person drove the outside PGO: what it showed is on its own screen. */
  personDrove: boolean;
  /** The sandbox time when the scenario began: `{clock+15m}` in an expected reason or params counts from here. */
  startedAt: number;
  /** The Volgnummer of each list the stelselnode had published when the scenario began (`{volgnummer}`). */
  volgnummersAtStart: Partial<Record<AnyListKind, number>>;
  /** The network's afsprakenstelsel: which expectations apply. */
  afsprakenstelsel: Afsprakenstelsel;
  /** Its Gegevensdienstnamenlijst: what `{naam:lab}` and `{id:lab}` in an expected reason stand for. */
  gegevensdiensten: Topology['gegevensdiensten'];
}

export function checkExpectations(scenario: Scenario, cast: Cast, outcome: RunOutcome, events: TraceEvent[]): { checks: Check[]; unobservable: string[] } {
  const out: Check[] = [];
  const unobservable: string[] = [];
  const want = expectationsIn(scenario, outcome.afsprakenstelsel);
  if (want.pgo && outcome.personDrove) {
    unobservable.push(`PGO shows: ${want.pgo.status}${want.pgo.code ? ` ${want.pgo.code}` : ''} (on its own screen: a person drove it)`);
  } else if (want.pgo) {
    const c = outcome.lastCollection;
    const got = c ? collectionWords(c.status, c.refusal && `${c.refusal.code}`, c.refusal?.step) : { en: 'no collection', nl: 'geen verzameling' };
    const ok =
      !!c && c.status === want.pgo.status && (!want.pgo.code || c.refusal?.code === want.pgo.code) && (!want.pgo.step || c.refusal?.step === want.pgo.step);
    const self = cast.target?.role === 'pgo';
    const expected = collectionWords(want.pgo.status, want.pgo.code, want.pgo.step);
    const expectedNoStep = collectionWords(want.pgo.status, want.pgo.code, undefined);
    out.push({
      what: {
        en: `PGO shows: ${expected.en}${self ? ' (its own account)' : ''}`,
        nl: `de PGO toont: ${expected.nl}${self ? ' (haar eigen opgave)' : ''}`,
      },
      ok,
      message: ok ? got : { en: `expected ${expectedNoStep.en}, got ${got.en}`, nl: `verwacht: ${expectedNoStep.nl}; gekregen: ${got.nl}` },
      ...(self ? { selfReported: true } : {}),
    });
  }
  if (want.pgo?.account && !outcome.personDrove) out.push(accountCheck(want.pgo.account, outcome.accountCollected, cast.target?.role === 'pgo'));
  if (want.response) out.push(answerCheck(want.response, outcome.lastResponse));
  // Hops are matched in order: `cursor` is where the next one is sought. A run of `alongside` hops is sought
  // from where the run's first was (`runStart`), each on an event of its own; what follows comes after all of it.
  let cursor = 0;
  let runStart = 0;
  let run = new Set<number>();
  for (const e of want.hops.map((h) => expandHop(h, cast, outcome))) {
    const what = describeExpectation(e);
    if (!e.absent && !e.alongside) {
      runStart = cursor;
      run = new Set();
    }
    const hidden = hiddenFromUs(cast, e, events);
    if (hidden) {
      unobservable.push(`${what.en} (${hidden})`);
      continue;
    }
    const matches = (ev: TraceEvent) => matchesEvent(cast, e, ev);
    if (e.absent) {
      const found = events.find(matches);
      out.push({
        what,
        ok: !found,
        message: found
          ? { en: `found #${found.seq}: ${summary(found, 'en')}`, nl: `gevonden #${found.seq}: ${summary(found, 'nl')}` }
          : { en: 'none, as expected', nl: 'geen, zoals verwacht' },
        ...(found ? { event: found } : {}),
      });
      continue;
    }
    const from = e.alongside ? runStart : cursor;
    const index = events.findIndex((ev, i) => i >= from && !run.has(i) && matches(ev));
    if (index >= 0) {
      run.add(index);
      cursor = Math.max(cursor, index + 1);
      const ev = events[index]!;
      out.push({ what, ok: true, message: { en: `#${ev.seq}: ${summary(ev, 'en')}`, nl: `#${ev.seq}: ${summary(ev, 'nl')}` }, event: ev });
    } else {
      const anywhere = events.find(matches);
      const near = anywhere ? [] : nearMisses(cast, e, events, from);
      out.push({
        what,
        ok: false,
        ...(near.length ? { nearMisses: near } : {}),
        message: anywhere
          ? {
              en: `only earlier than the ${e.alongside ? 'expectations it is alongside' : 'previous expectation'}: #${anywhere.seq} ${summary(anywhere, 'en')}`,
              nl: `alleen eerder dan ${e.alongside ? 'de verwachtingen waarnaast hij staat' : 'de vorige verwachting'}: #${anywhere.seq} ${summary(anywhere, 'nl')}`,
            }
          : { en: 'no such event in the trace', nl: 'zo’n gebeurtenis staat niet in de trace' },
      });
    }
  }
  return { checks: out, unobservable };
}

/** "collected", "refused access_denied at authorization" — and in Dutch. */
function collectionWords(status: PgoCollection['status'], code: string | undefined, step: string | undefined): Bilingual {
  return {
    en: `${status}${code ? ` ${code}` : ''}${step ? ` at ${step}` : ''}`,
    nl: `${{ collected: 'opgehaald', refused: 'geweigerd', pending: 'bezig' }[status]}${code ? ` ${code}` : ''}${step ? ` bij ${step}` : ''}`,
  };
}

/** A hop expectation with its placeholders filled in, and a target's names for the participant it stands in for. */
function expandHop(h: HopExpectation, cast: Cast, outcome: RunOutcome): HopExpectation {
  const out: HopExpectation = { ...h };
  if (h.reason) out.reason = cast.asTargetSays(expandPlaceholders(h.reason, outcome));
  if (h.params) {
    // One text, so that a {volgnummer} counts for the list named in a value before it (a `kind` first).
    const keys = Object.keys(h.params);
    const SEP = '\u0000';
    const raw = keys.map((k) => h.params![k]!);
    const values = expandPlaceholders(raw.map((v) => String(typeof v === 'object' ? v.has : v)).join(SEP), outcome).split(SEP);
    out.params = Object.fromEntries(
      keys.map((k, i) => {
        const value = cast.asTargetSays(values[i]!);
        // Filled in, a placeholder may hold a space (a weergavenaam): then it could never equal one item.
        if (typeof raw[i] === 'object' && /[\s,]/.test(value))
          throw new SandboxError(`params.${k}: { has } became "${value}" once filled in, more than one item: it could never match an item of the list`);
        return [k, typeof raw[i] === 'object' ? { has: value } : value];
      }),
    );
  }
  return out;
}
/** The last raw answer: its status, a text it contains, texts it must not contain (what the page must not show). */
export function answerCheck(want: NonNullable<Expectations['response']>, got: RunOutcome['lastResponse']): Check {
  const shown = (want.lacks ?? []).filter((t) => got?.text.includes(t));
  const ok = !!got && got.status === want.status && (!want.contains || got.text.includes(want.contains)) && shown.length === 0;
  const quoted = (texts: string[]) => texts.map((t) => `"${t}"`).join(', ');
  const lacks = want.lacks?.length ? quoted(want.lacks) : '';
  return {
    what: {
      en: `answer: HTTP ${want.status}${want.contains ? ` containing "${want.contains}"` : ''}${lacks ? ` without ${lacks}` : ''}`,
      nl: `antwoord: HTTP ${want.status}${want.contains ? ` met "${want.contains}"` : ''}${lacks ? ` zonder ${lacks}` : ''}`,
    },
    ok,
    message: got
      ? {
          en: `HTTP ${got.status}: ${readableAnswer(got.text, 'en')}${shown.length ? `; it shows ${quoted(shown)}` : ''}`,
          nl: `HTTP ${got.status}: ${readableAnswer(got.text, 'nl')}${shown.length ? `; het toont ${quoted(shown)}` : ''}`,
        }
      : { en: 'no answer recorded', nl: 'geen antwoord vastgelegd' },
  };
}

/** The person's PGO account at the end: how many of its collections hold data (none of someone else's). */
export function accountCheck(want: { collected: number }, got: number | undefined, selfReported: boolean): Check {
  return {
    what: {
      en: `the person's PGO account gained ${want.collected} collection(s) with data${selfReported ? ' (its own account)' : ''}`,
      nl: `het PGO-account van de persoon kreeg er ${want.collected} verzameling(en) met gegevens bij${selfReported ? ' (haar eigen opgave)' : ''}`,
    },
    ok: got === want.collected,
    message: got === undefined ? { en: 'the account was not read', nl: 'het account is niet gelezen' } : { en: `${got}`, nl: `${got}` },
    ...(selfReported ? { selfReported: true } : {}),
  };
}

/**
 * Why an expectation cannot be checked when a target plays a part: only the target would report such an
 * event (its decisions, a hop between it and the browser, a handshake it refused). Undefined: checkable.
 */
function hiddenFromUs(cast: Cast, e: HopExpectation, events: TraceEvent[]): string | undefined {
  const target = cast.target?.hostname;
  if (!target) return undefined;
  const mine = (who: string | undefined) => who !== undefined && cast.host(who) === target;
  if (e.decision !== undefined) return mine(e.decision) ? `a decision only ${target} could report` : undefined;
  if (e.tls !== undefined && (mine(e.from) || mine(e.to))) {
    // The side that refuses a handshake reports it, with its reason. Checked when our side reported this very
    // refusal, or when our side got an answer over that connection (then there was no refusal: the check
    // fails); otherwise only the target knows why the connection ended.
    const [from, to] = [e.from && cast.host(e.from), e.to && cast.host(e.to)];
    const between = (ev: TraceEvent) => ev.reportedBy !== target && (!from || ev.from === from) && (!to || ev.to === to);
    const seen =
      events.some((ev) => between(ev) && matchesEvent(cast, e, ev)) || events.some((ev) => between(ev) && ev.kind === 'http' && ev.status !== undefined);
    return seen ? undefined : `a handshake only ${target} may have judged`;
  }
  // Every other hop has one side that is ours (the browser reports its own requests during a target run).
  return mine(e.to) && mine(e.from) ? `a hop inside ${target}` : undefined;
}

/** One field of an expectation held against an event. */
interface FieldComparison {
  field: string;
  expected: string;
  actual: string;
  ok: boolean;
}

/**
 * Every field of the expectation against the event, in the scenario's own names: what matching means (all of them
 * hold) and what a near miss shows (those that do not). `kind` first: a decision, a refused handshake or an HTTP hop.
 */
function compareFields(cast: Cast, e: HopExpectation, ev: TraceEvent): FieldComparison[] {
  const out: FieldComparison[] = [];
  // `ok` given: the comparison decides (a `path: "*"` holds for an event without a URL, as an empty `reason` does);
  // otherwise the event must have the value.
  const field = (name: string, expected: string | number, actual: string | number | undefined, ok?: boolean) =>
    out.push({
      field: name,
      expected: String(expected),
      actual: actual === undefined ? '–' : String(actual),
      ok: ok ?? (actual !== undefined && String(actual) === String(expected)),
    });
  field('kind', e.decision !== undefined ? 'decision' : e.tls !== undefined ? 'tls' : 'http', ev.kind);
  if (e.decision !== undefined) field('decision', cast.host(e.decision), ev.kind === 'decision' ? ev.reportedBy : undefined);
  if (e.tls !== undefined) field('tls', e.tls, ev.tls?.verdict);
  if (e.from !== undefined) field('from', cast.host(e.from), ev.from);
  if (e.to !== undefined) field('to', cast.host(e.to), ev.to);
  if (e.method !== undefined) field('method', e.method, ev.method);
  if (e.path !== undefined) {
    const path = (ev.url ?? '').split('?')[0]!;
    field('path', e.path, ev.url === undefined ? undefined : path, e.path.endsWith('*') ? path.startsWith(e.path.slice(0, -1)) : path === e.path);
  }
  if (e.status !== undefined) field('status', e.status, ev.status);
  if (e.outcome !== undefined) field('outcome', e.outcome, ev.outcome);
  if (e.ruleId !== undefined) {
    // The reason (the event's own or one nested in it) that gives the id with every parameter, else the first that
    // gives the id: its parameters are the ones compared, as givesReason compares them.
    const idMatches = ruleIdMatcher(e.ruleId);
    const given = reasonsGiven(ev).filter((g) => idMatches(g.ruleId));
    const chosen = given.find((g) => paramsHold(g.params, e.params)) ?? given[0];
    field('ruleId', e.ruleId, chosen?.ruleId ?? ev.ruleId, chosen !== undefined);
    const params = chosen?.params ?? ev.params ?? {};
    for (const [k, want] of Object.entries(e.params ?? {})) {
      const actual = k in params ? String(params[k]) : undefined;
      field(`params.${k}`, typeof want === 'object' ? `∋${want.has}` : want, actual, actual !== undefined && paramMatches(actual, want));
    }
  }
  if (e.reason !== undefined) field('reason', `…${e.reason}…`, ev.reason, (ev.reason ?? '').includes(e.reason));
  return out;
}

function matchesEvent(cast: Cast, e: HopExpectation, ev: TraceEvent): boolean {
  return compareFields(cast, e, ev).every((f) => f.ok);
}

/** The fields that say who: they count double in a near miss. */
const WHO = new Set(['decision', 'from', 'to']);

/**
 * The events that came closest to an expected hop nobody made: most fields held beyond `kind` (at least one), who
 * (`decision`, `from`, `to`) counting double — a request to the right participant is closer than one with the right
 * status elsewhere; then those where the search began (`from`) or after it, nearest first. At most three.
 */
function nearMisses(cast: Cast, e: HopExpectation, events: TraceEvent[], from: number): NearMiss[] {
  return (
    events
      .map((ev, i) => {
        const fields = compareFields(cast, e, ev);
        const weight = (f: FieldComparison) => (f.field === 'kind' ? 0 : WHO.has(f.field) ? 2 : 1);
        return { ev, i, fields, held: fields.reduce((n, f) => n + (f.ok ? weight(f) : 0), 0) + (fields[0]!.ok ? 0.5 : 0) };
      })
      // At least one field besides `kind` held; where the expectation names nothing else (`{ tls: CERT_EXPIRED }`), the
      // right kind of event is close enough.
      .filter((c) => c.held >= (c.fields.length <= 2 ? 0.5 : 1))
      .sort((a, b) => b.held - a.held || Number(a.i < from) - Number(b.i < from) || Math.abs(a.i - from) - Math.abs(b.i - from))
      .slice(0, 3)
      .map(({ ev, fields }) => ({
        seq: ev.seq,
        summary: { en: summary(ev, 'en'), nl: summary(ev, 'nl') },
        differs: fields
          .filter((f) => !f.ok)
          .map(({ field, expected, actual }) => ({ field, expected, actual: actual.length > 160 ? `${actual.slice(0, 160)}…` : actual })),
      }))
  );
}

/** A rule id as an expectation names it: one id, or an area ending in `.*` (`dvza.beschikbaarheid.*`). */
function ruleIdMatcher(ruleId: string): (id: string) => boolean {
  return ruleId.endsWith('.*') ? (id) => id.startsWith(ruleId.slice(0, -1)) : (id) => id === ruleId;
}

/** Whether a reason's parameters hold every expected one (compared as text; the others are free). */
function paramsHold(given: Params, wanted: ExpectedParams | undefined): boolean {
  return Object.entries(wanted ?? {}).every(([k, want]) => k in given && paramMatches(String(given[k]), want));
}

/** The reasons an event gives: its own (by ruleId) and those nested one level deep in its parameters. */
function reasonsGiven(ev: Pick<TraceEvent, 'ruleId' | 'params'>): Array<{ ruleId: string; params: Params }> {
  return [...(ev.ruleId ? [{ ruleId: ev.ruleId, params: ev.params ?? {} }] : []), ...nestedReasons(ev.params ?? {})];
}

/**
 * Whether an event gives this rule or reason (or one of an area, `dvza.beschikbaarheid.*`), itself or nested one
 * level deep, with these parameters (compared as text; the others are free).
 */
export function givesReason(ev: Pick<TraceEvent, 'ruleId' | 'params'>, ruleId: string, params?: ExpectedParams): boolean {
  const idMatches = ruleIdMatcher(ruleId);
  return reasonsGiven(ev).some((g) => idMatches(g.ruleId) && paramsHold(g.params, params));
}

/** Expected parameters: a value matched exactly, or `{ has }` an item of a list-valued one. */
export type ExpectedParams = Record<string, string | number | { has: string | number }>;

function paramMatches(given: string, want: ExpectedParams[string]): boolean {
  if (typeof want !== 'object') return given === String(want);
  return given.split(/[\s,]+/).includes(String(want.has));
}

/** An expected parameter as a check names it: `scope=48` or, for an item of a list, `scope∋48`. */
function paramText([k, v]: [string, ExpectedParams[string]]): string {
  // A value with spaces is quoted: it is text a participant sends (often in English), shown as it is matched.
  const shown = (x: string | number) => (/\s/.test(String(x)) ? `"${x}"` : String(x));
  return typeof v === 'object' ? `${k}∋${shown(v.has)}` : `${k}=${shown(v)}`;
}

/**
 * Every placeholder of an expected reason, from the state at the scenario's start, so one catalogue reads right
 * on a fresh network and on a live one (where lists have been republished and the day is another):
 * - `{clock}`, `{clock+15m}`, `{clock-1d}`: the sandbox time, ± a duration, as ISO text;
 * - `{date}`: the Dutch calendar date of the sandbox clock (YYYY-MM-DD), the day ages are counted on;
 * - `{volgnummer}`, `{volgnummer+1}`: the Volgnummer the stelselnode had published of the list named last before
 *   it in the same reason (the Zorgaanbiederslijst when none is named), + or − a number. A fresh network: 1.
 */
export function expandPlaceholders(
  text: string,
  at: Pick<RunOutcome, 'startedAt' | 'volgnummersAtStart'> & Partial<Pick<RunOutcome, 'afsprakenstelsel' | 'gegevensdiensten'>>,
): string {
  let list: AnyListKind = 'Zorgaanbiederslijst';
  return text
    .replace(/\{(naam|id):([a-z][a-z0-9-]*)\}/g, (_m, what: 'naam' | 'id', key: string) => {
      const g = at.gegevensdiensten?.find((d) => d.key === key);
      if (!g) {
        const known = at.gegevensdiensten?.flatMap((d) => d.key ?? []).join(', ') || 'none';
        throw new SandboxError(`{${what}:${key}}: no gegevensdienst '${key}' in afsprakenstelsel ${at.afsprakenstelsel ?? '?'} (keys: ${known})`);
      }
      return what === 'naam' ? g.weergavenaam : g.id;
    })
    .replace(/\{date\}/g, () => dutchDate(new Date(at.startedAt)))
    .replace(
      new RegExp(`(${listKindsOf('2').join('|')})|\\{volgnummer(?:([+-])(\\d+))?\\}`, 'g'),
      (m, kind: AnyListKind | undefined, sign?: string, n?: string) => {
        if (kind) {
          list = kind;
          return m;
        }
        return String((at.volgnummersAtStart[list] ?? 1) + (sign === '-' ? -1 : 1) * Number(n ?? 0));
      },
    )
    .replace(/\{clock(?:([+-])([0-9a-z]+))?\}/g, (_m, sign: string | undefined, d: string | undefined) =>
      new Date(at.startedAt + (sign ? (sign === '-' ? -1 : 1) * parseDuration(d!) : 0)).toISOString(),
    );
}

const OUTCOME_NL = { ok: 'ok', warning: 'waarschuwing', refused: 'geweigerd', error: 'fout' } as const;

/** An expectation as the checks name it: what is looked for, and what it shows (`says`). */
export function describeExpectation(e: HopExpectation): Bilingual {
  const en: string[] = [];
  const nl: string[] = [];
  if (e.absent) {
    en.push('no');
    nl.push('geen');
  }
  if (e.decision) {
    en.push(`decision by ${e.decision}${e.outcome ? ` (${e.outcome})` : ''}`);
    nl.push(`besluit van ${e.decision}${e.outcome ? ` (${OUTCOME_NL[e.outcome]})` : ''}`);
  } else if (e.tls) {
    en.push(`TLS ${e.from ?? '*'} → ${e.to ?? '*'} refused: ${e.tls}`);
    nl.push(`TLS ${e.from ?? '*'} → ${e.to ?? '*'} geweigerd: ${e.tls}`);
  } else {
    const hop = `${e.from ?? '*'} → ${e.to ?? '*'} ${e.method ?? ''} ${e.path ?? ''}${e.status !== undefined ? ` ${e.status}` : ''}`;
    en.push(`${hop}${e.outcome ? ` (${e.outcome})` : ''}`.replace(/\s+/g, ' ').trim());
    nl.push(`${hop}${e.outcome ? ` (${OUTCOME_NL[e.outcome]})` : ''}`.replace(/\s+/g, ' ').trim());
  }
  if (e.ruleId) {
    const params = Object.entries(e.params ?? {}).map((p) => ` ${paramText(p)}`);
    en.push(`[${e.ruleId}${params.join('')}]`);
    nl.push(`[${e.ruleId}${params.join('')}]`);
  }
  if (e.reason) {
    en.push(`"…${e.reason}…"`);
    nl.push(`"…${e.reason}…"`);
  }
  if (e.alongside) {
    en.push('(either before or after the one above)');
    nl.push('(voor of na de vorige)');
  }
  return { en: `${en.join(' ')}${e.says ? ` — ${e.says.en}` : ''}`, nl: `${nl.join(' ')}${e.says ? ` — ${e.says.nl}` : ''}` };
}

/** An event in a line: who decided what and why (in that language, from the rule catalogue), or the hop. */
function summary(e: TraceEvent, lang: 'en' | 'nl'): string {
  if (e.kind === 'decision') {
    const outcome = lang === 'en' ? e.outcome : OUTCOME_NL[e.outcome];
    // English: the trace's own words; Dutch: the catalogue's, from the event's ruleId and params. An event the
    // catalogue does not know keeps its English words, quoted (a plain-text message cannot mark their language).
    const shown = lang === 'en' ? undefined : eventReason(e, lang);
    const why = lang === 'en' ? (e.reason ?? '') : shown?.lang === 'en' ? `"${shown.text}"` : (shown?.text ?? '');
    return `${e.reportedBy} ${outcome}: ${why}`.slice(0, 220);
  }
  if (e.kind === 'tls') return `TLS ${e.from} → ${e.to} ${e.tls?.verdict ?? ''}`;
  const outcome = lang === 'en' ? e.outcome : OUTCOME_NL[e.outcome];
  return `${e.side ?? ''} ${e.from} → ${e.to} ${e.method ?? ''} ${(e.url ?? '').split('?')[0]} ${e.status ?? outcome}`.trim();
}

/**
 * An answer as a person reads it: a page (a DVZA's error page) by its title and what its alert says — the reason
 * the participant gave — rather than the first characters of its markup; anything else, its first 200 characters.
 */
export function readableAnswer(text: string, lang: 'en' | 'nl' = 'en'): string {
  if (!/^\s*<!doctype html/i.test(text)) return text.slice(0, 200);
  const plain = (html: string) =>
    html
      .replace(/<[^>]*>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const alert = /role="alert"[^>]*>([\s\S]*?)<\/(?:p|div|section)>/i.exec(text)?.[1];
  const said = alert ? `: "${plain(alert).slice(0, 400)}"` : '';
  return lang === 'en'
    ? `an HTML page${title ? ` titled "${plain(title)}"` : ''}${said}`
    : `een HTML-pagina${title ? ` met de titel "${plain(title)}"` : ''}${said}`;
}
