/**
 * The scenario catalogue as files, without running it: every expectation matches trace events by rule id (and
 * parameters), never by the wording of a reason, and every id it names is in the rule catalogue; every text a
 * person reads is there in Dutch and in English.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@medmij-sandbox/network';
import { AFSPRAKENSTELSELS } from '@medmij-sandbox/network/afsprakenstelsel';
import { catalogue, catalogueEntry } from '@medmij-sandbox/rules';
import { expectationsIn, loadCatalogue, type HopExpectation, type Scenario } from '@medmij-sandbox/scenario';

const scenarios = loadCatalogue(join(repositoryRoot(), 'scenarios'));
/** Every hop expectation of a scenario, in each afsprakenstelsel it applies to. */
const hopsOf = (s: Scenario): HopExpectation[] => AFSPRAKENSTELSELS.filter((v) => s.afsprakenstelsel.includes(v)).flatMap((v) => expectationsIn(s, v).hops);
const ids = catalogue().map((e) => e.id);

describe('the scenario catalogue matches trace events by rule id, not by text', () => {
  it('no expectation matches on the text of a reason', () => {
    const byText = scenarios.flatMap((s) => hopsOf(s).flatMap((h) => (h.reason !== undefined ? [`${s.name}: "${h.reason}"`] : [])));
    expect(byText).toEqual([]);
  });

  it('names every decision it expects by rule id (one it rules out may be any: "no refusal at all")', () => {
    const without = scenarios.flatMap((s) =>
      hopsOf(s).flatMap((h) => (h.decision !== undefined && !h.absent && h.ruleId === undefined ? [`${s.name}: ${h.decision}`] : [])),
    );
    expect(without).toEqual([]);
  });

  it('every rule id a scenario names, itself or for a nested reason in its params, is in the rule catalogue', () => {
    const named = scenarios.flatMap((s) =>
      hopsOf(s).flatMap((h) => [
        ...(h.ruleId ? [{ scenario: s.name, id: h.ruleId }] : []),
        ...Object.entries(h.params ?? {})
          .filter(([k]) => k.endsWith('.ruleId'))
          .map(([, v]) => ({ scenario: s.name, id: String(v) })),
      ]),
    );
    expect(named.length).toBeGreaterThan(150);
    const unknown = named.filter(({ id }) => (id.endsWith('.*') ? !ids.some((i) => i.startsWith(id.slice(0, -1))) : !catalogueEntry(id)));
    expect(unknown).toEqual([]);
  });

  it('params belong to a reason: the id they go with names one, not a rule', () => {
    const onRules = scenarios.flatMap((s) =>
      hopsOf(s).flatMap((h) =>
        h.params && h.ruleId && !h.ruleId.endsWith('.*') && catalogueEntry(h.ruleId)?.kind !== 'reason' ? [`${s.name}: ${h.ruleId}`] : [],
      ),
    );
    expect(onRules).toEqual([]);
  });
});

describe('the scenario catalogue speaks Dutch and English', () => {
  it('every title, lesson, rule and "says" is there in both languages, and the Dutch is not the English', () => {
    const same: string[] = [];
    for (const s of scenarios) {
      for (const [field, text] of [
        ['title', s.title],
        ['teaches', s.teaches],
        ['rule', s.rule],
      ] as const) {
        expect(text.nl.trim(), `${s.name} ${field}`).not.toBe('');
        if (text.nl === text.en) same.push(`${s.name} ${field}`);
      }
      for (const h of hopsOf(s)) if (h.says && h.says.nl === h.says.en) same.push(`${s.name} says "${h.says.en}"`);
    }
    expect(same).toEqual([]);
  });

  it('the revocation scenarios say "ingetrokken" in Dutch (what a Dutch trainer searches for)', () => {
    const revoked = scenarios.filter((s) => /revoked/.test(s.name));
    expect(revoked.map((s) => s.name).sort()).toEqual(['dvza-server-certificate-revoked', 'pgo-client-certificate-revoked']);
    for (const s of revoked) expect(`${s.title.nl} ${s.teaches.nl}`, s.name).toMatch(/ingetrokken/);
  });
});
