/**
 * The building blocks of the rule catalogue. A Rule is a rule of the MedMij spec (or a sandbox extension)
 * that a trace event demonstrates; a Reason is why a participant decided as it did, with its parameters.
 * Both have an id and a text in English and Dutch. The English text is exactly what the trace has always
 * said (scenarios match it by substring, golden traces compare it byte for byte); the Dutch is for readers.
 * No imports and no Node: the PGO's web UI may load this.
 */

export type Lang = 'en' | 'nl';
/** A reason's parameters, as a trace event carries them: flat, strings and numbers only. */
export type Params = Record<string, string | number>;
/** The parameters of a reason that has none. */
export type NoParams = Record<never, never>;

export interface Rule {
  readonly kind: 'rule';
  /** `<participant>.<area>.<name>`, e.g. `dvza.token.code-single-use`. */
  readonly id: string;
  /** The section of the MedMij spec, e.g. `§2.5`; absent for sandbox extensions and other standards. */
  readonly spec?: string;
  readonly en: string;
  readonly nl: string;
}

export interface Reason<P extends Params = Params> {
  readonly kind: 'reason';
  readonly id: string;
  /** The rule this reason demonstrates, when it is always the same one. */
  readonly rule?: Rule;
  en(params: P): string;
  nl(params: P): string;
}

export type Entry = Rule | Reason;

/** A text in both languages, with the parameters of the reason it belongs to. */
export interface Text<P extends Params = Params> {
  en(params: P): string;
  nl(params: P): string;
}

/** A reason with its parameters: what a participant said, to say again in any language or to nest. */
export interface Said<P extends Params = Params> {
  readonly reason: Reason<P>;
  readonly params: P;
}

// ---- defining entries ------------------------------------------------------------------------------

export function rule(id: string, spec: string | undefined, en: string, nl: string): Rule {
  return spec === undefined ? { kind: 'rule', id, en, nl } : { kind: 'rule', id, spec, en, nl };
}

/**
 * A reason. Its Dutch text sees nested reasons (see `nest`) already in Dutch, so a text simply writes
 * `${p.problem}`; its English text sees them as they were said, so the trace keeps its exact words.
 */
export function reason<P extends Params = NoParams>(id: string, demonstrates: Rule | undefined, en: (p: P) => string, nl: (p: P) => string): Reason<P> {
  return {
    kind: 'reason',
    id,
    ...(demonstrates ? { rule: demonstrates } : {}),
    en,
    nl: (p: P) => nl(localized(p, 'nl') as P),
  };
}

export function text<P extends Params = NoParams>(en: (p: P) => string, nl: (p: P) => string): Text<P> {
  return { en, nl };
}

export function said<P extends Params>(r: Reason<P>, params: P): Said<P> {
  return { reason: r, params };
}

// ---- using entries ---------------------------------------------------------------------------------

/** The rule as the trace's `rule` says it: `SPEC §2.5 <text>`, or the text alone without a spec section. */
export function ruleText(r: Rule, lang: Lang = 'en'): string {
  return r.spec ? `SPEC ${r.spec} ${r[lang]}` : r[lang];
}

/**
 * What a trace event needs to cite a rule beside a reason that names none of its own (which rule depends on the
 * case): `bus.emit({ ..., ...because(R, params), ...citing(RULE) })`.
 */
export function citing(r: Rule): { rule: string; citedRuleId: string } {
  return { rule: ruleText(r), citedRuleId: r.id };
}

/** What a trace event needs to cite a rule: `bus.emit({ ..., ...cite(RULE) })`. */
export function cite(r: Rule): { rule: string; ruleId: string } {
  return { rule: ruleText(r), ruleId: r.id };
}

export interface Because {
  reason: string;
  ruleId: string;
  params?: Params;
  rule?: string;
}

/**
 * What a trace event needs to give a reason: its English text, id and parameters, and the text of its rule
 * when it has one (otherwise a `rule` already on the event stays). `bus.emit({ ..., ...because(R, { ... }) })`.
 */
export function because<P extends Params>(r: Reason<P>, ...args: keyof P extends never ? [] : [params: P]): Because;
/** The same for a reason said already (or built in generic code: `because(said(R, params))`). */
export function because(s: Said): Because;
export function because(first: Reason | Said, params?: Params): Because {
  if (!('kind' in first)) return because(first.reason, first.params);
  const r = first;
  params ??= {};
  return {
    reason: r.en(params),
    ruleId: r.id,
    ...(Object.keys(params).length ? { params } : {}),
    ...(r.rule ? { rule: ruleText(r.rule) } : {}),
  };
}

/** A page's text as the person saw it: in `lang` (nl or en), or both (`nl/en`) on a page that knows no language. */
export function asShown<P extends Params>(t: Text<P>, p: P & { lang: string }): string {
  return p.lang === 'nl' ? t.nl(p) : p.lang === 'en' ? t.en(p) : `${t.nl(p)} / ${t.en(p)}`;
}

/** The text of what was said, in a language (English: the trace's words). */
export function say(s: Said, lang: Lang = 'en'): string {
  return s.reason[lang](s.params);
}

/**
 * Another reason inside a reason's parameters, kept flat as a trace event's params must be: `name` holds its
 * text as it was said (in `lang`, English unless a page showed it in the person's language), `name.ruleId`
 * its id and `name.<param>` its own parameters, so a reader can say it again in Dutch. A plain string is an
 * open-ended text from elsewhere (an OpenSSL or Node message, another party's error_description): it is
 * kept as it came, in whatever language that was.
 */
export function nest<N extends string>(name: N, inner: Said | string, lang: Lang = 'en'): { [K in N]: string } & Params {
  if (typeof inner === 'string') return { [name]: inner } as { [K in N]: string } & Params;
  const out: Params = { [name]: say(inner, lang), [`${name}.ruleId`]: inner.reason.id };
  for (const [k, v] of Object.entries(inner.params)) out[`${name}.${k}`] = v;
  return out as { [K in N]: string } & Params;
}

/** The reasons nested in these parameters (one level): name, id, own parameters and the text as said. */
export function nestedReasons(params: Params): Array<{ name: string; ruleId: string; params: Params; text: string }> {
  return Object.keys(params)
    .filter((k) => k.endsWith('.ruleId') && !k.slice(0, -'.ruleId'.length).includes('.'))
    .map((k) => {
      const name = k.slice(0, -'.ruleId'.length);
      return { name, ruleId: String(params[k]), params: innerParams(params, name), text: String(params[name] ?? '') };
    });
}

/** The parameters of reason `id` when an event gives it, itself or nested one level deep (`nest`); otherwise undefined. */
export function paramsOfReason(event: { ruleId?: string; params?: Params }, id: string): Params | undefined {
  if (event.ruleId === id) return event.params ?? {};
  return nestedReasons(event.params ?? {}).find((n) => n.ruleId === id)?.params;
}

function innerParams(params: Params, name: string): Params {
  const prefix = `${name}.`;
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) if (k.startsWith(prefix) && k !== `${name}.ruleId`) out[k.slice(prefix.length)] = v;
  return out;
}

/** The parameters with each nested reason said again in `lang` (unknown ids keep the text as said). */
function localized(params: Params, lang: Lang): Params {
  const nested = nestedReasons(params);
  if (nested.length === 0) return params;
  const out: Params = { ...params };
  for (const n of nested) {
    const entry = registry.get(n.ruleId);
    if (entry?.kind === 'reason') out[n.name] = entry[lang](n.params);
  }
  return out;
}

// ---- the registry: every entry by id, for readers ----------------------------------------------------

const registry = new Map<string, Entry>();
const registered: Entry[] = [];

/** Adds every entry found in these groups (objects of entries, possibly nested); index.ts registers them all. */
export function register(...groups: object[]): void {
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    const kind = (value as { kind?: unknown }).kind;
    if ((kind === 'rule' || kind === 'reason') && typeof (value as { id?: unknown }).id === 'string') {
      const entry = value as Entry;
      if (registered.includes(entry)) return;
      registered.push(entry);
      // A duplicate id keeps the first entry; the catalogue's tests report it.
      if (!registry.has(entry.id)) registry.set(entry.id, entry);
      return;
    }
    for (const v of Object.values(value)) walk(v);
  };
  for (const g of groups) walk(g);
}

/** Every entry of the catalogue, in the order registered. */
export function catalogue(): readonly Entry[] {
  return registered;
}

export function catalogueEntry(id: string): Entry | undefined {
  return registry.get(id);
}

/** A trace event's rule or reason in a language, from its `ruleId` and `params`; undefined for an unknown id. */
export function describe(ruleId: string, params: Params = {}, lang: Lang = 'en'): string | undefined {
  const entry = registry.get(ruleId);
  if (!entry) return undefined;
  return entry.kind === 'rule' ? ruleText(entry, lang) : entry[lang](params);
}
