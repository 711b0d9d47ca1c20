/**
 * A trace event's reason and rule as a reader shows them in a language: from the catalogue by the event's
 * `ruleId` and `params`, and only where the catalogue does not know the event, its own English text (marked
 * `en`, so a UI can tell a screen reader). No imports but the catalogue's, no Node: web UIs load it.
 */
import { catalogue, catalogueEntry, ruleText, type Lang, type Params, type Rule } from './catalogue.js';

/** A text and the language it is in (the asked one, or English where only the event's own words exist). */
export interface ShownText {
  text: string;
  lang: Lang;
}

/** What of a trace event this reads. */
export interface EventWords {
  ruleId?: string;
  params?: Params;
  reason?: string;
  rule?: string;
  citedRuleId?: string;
}

let byEnglish: Map<string, Rule> | undefined;

/**
 * The catalogue rule whose English text (as a trace event's `rule` says it) is this one: only for what was written
 * before events cited rules by id (an older trace.jsonl, an export, a PGO's stored refusal). The sandbox itself
 * cites by id (tests/scenarios holds it to that).
 */
export function ruleByText(text: string): Rule | undefined {
  byEnglish ??= new Map(catalogue().flatMap((e) => (e.kind === 'rule' ? [[ruleText(e), e] as const] : [])));
  return byEnglish.get(text);
}

/** The event's reason in `lang`: the catalogue's reason for its ruleId; else its own (English) reason, if any. */
export function eventReason(e: EventWords, lang: Lang): ShownText | undefined {
  const entry = e.ruleId ? catalogueEntry(e.ruleId) : undefined;
  if (entry?.kind === 'reason') return { text: entry[lang](e.params ?? {}), lang };
  return e.reason ? { text: e.reason, lang: 'en' } : undefined;
}

/**
 * The catalogue rule an event names by id: the rule its ruleId is (or the rule of the reason it names), else the one
 * it cites beside its reason (`citedRuleId`). Undefined for an event that names its rule by text only.
 */
export function eventRuleById(e: EventWords): Rule | undefined {
  const entry = e.ruleId ? catalogueEntry(e.ruleId) : undefined;
  if (entry?.kind === 'rule') return entry;
  if (entry?.kind === 'reason' && entry.rule) return entry.rule;
  const cited = e.citedRuleId ? catalogueEntry(e.citedRuleId) : undefined;
  return cited?.kind === 'rule' ? cited : undefined;
}

/**
 * The event's rule in `lang`: the rule its ruleId names (or the rule of the reason it names); else the rule it
 * cites beside its reason (`citedRuleId`); else, for an older event, the catalogue rule its English `rule` text is;
 * else that text itself, in English.
 */
export function eventRule(e: EventWords, lang: Lang): ShownText | undefined {
  const rule = eventRuleById(e) ?? (e.rule ? ruleByText(e.rule) : undefined);
  if (rule) return { text: ruleText(rule, lang), lang };
  return e.rule ? { text: e.rule, lang: 'en' } : undefined;
}
