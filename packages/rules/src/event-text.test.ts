import { describe, expect, it } from 'vitest';
import { DVZA_RULES, DVZA_TOKEN, LISTS, LISTS_RULES, PGO, because, cite, citing, eventReason, eventRule, nest, ruleText, said } from './index.js';

describe("a trace event's reason and rule in a language", () => {
  it('says the reason again from its ruleId and params, with the rule of that reason', () => {
    const e = because(DVZA_TOKEN.codeReplayed, { usedAt: 'T0', revoked: 1 });
    expect(eventReason(e, 'en')).toEqual({ text: e.reason, lang: 'en' });
    const nl = eventReason(e, 'nl')!;
    expect(nl.lang).toBe('nl');
    expect(nl.text).toBe(DVZA_TOKEN.codeReplayed.nl({ usedAt: 'T0', revoked: 1 }));
    expect(nl.text).not.toBe(e.reason);
    expect(eventRule(e, 'nl')).toEqual({ text: ruleText(DVZA_TOKEN.codeReplayed.rule!, 'nl'), lang: 'nl' });
    expect(eventRule(e, 'en')).toEqual({ text: e.rule, lang: 'en' });
  });

  it('says nested reasons in the language too', () => {
    const inner = said(LISTS.expired, { kind: 'Zorgaanbiederslijst', volgnummer: 1, tijdstempel: 'T', age: '1d1h', limit: '1d' });
    const e = because(DVZA_TOKEN.listsUnusable, nest('problem', inner));
    expect(eventReason(e, 'nl')!.text).toContain(LISTS.expired.nl(inner.params));
    expect(eventReason(e, 'nl')!.text).not.toContain(LISTS.expired.en(inner.params));
  });

  it('gives the rule an event cites by id, also one cited beside a reason that names no rule', () => {
    const cited = { ...cite(DVZA_RULES.client), kind: 'http' };
    expect(eventRule(cited, 'nl')).toEqual({ text: ruleText(DVZA_RULES.client, 'nl'), lang: 'nl' });
    expect(eventReason(cited, 'nl')).toBeUndefined();
    const beside = { ...because(PGO.dvzaAnswered, { error: 'access_denied', description: 'no' }), ...citing(LISTS_RULES.noFlowOnExpired) };
    expect(eventRule(beside, 'nl')).toEqual({ text: ruleText(LISTS_RULES.noFlowOnExpired, 'nl'), lang: 'nl' });
    // An older event with the English text alone: the catalogue rule that text is; one of elsewhere stays English.
    expect(eventRule({ rule: ruleText(LISTS_RULES.noFlowOnExpired) }, 'nl')).toEqual({ text: ruleText(LISTS_RULES.noFlowOnExpired, 'nl'), lang: 'nl' });
  });

  it('falls back to the English words of an event the catalogue does not know, saying they are English', () => {
    expect(eventReason({ reason: 'something happened', rule: 'SPEC §9 a rule of elsewhere' }, 'nl')).toEqual({ text: 'something happened', lang: 'en' });
    expect(eventRule({ rule: 'SPEC §9 a rule of elsewhere' }, 'nl')).toEqual({ text: 'SPEC §9 a rule of elsewhere', lang: 'en' });
    expect(eventReason({ ruleId: 'no.such.id', reason: 'as said' }, 'nl')).toEqual({ text: 'as said', lang: 'en' });
    expect(eventReason({}, 'nl')).toBeUndefined();
    expect(eventRule({}, 'nl')).toBeUndefined();
  });
});
