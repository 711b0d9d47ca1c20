/**
 * The rule catalogue (packages/rules) against what the participants really say: the whole scenario
 * catalogue runs once, and every trace event that names a catalogue id must read, in English, exactly as
 * its entry renders it with the event's parameters (so a Dutch reading of the same id and parameters says
 * the same thing). Every rule text on the trace is the catalogue's, and every decision that cites a rule
 * carries an id.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '@medmij-sandbox/network';
import { defaultTopologyPath, repositoryRoot } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { loadCatalogue } from '@medmij-sandbox/scenario';
import { runScenarios } from '@medmij-sandbox/cli';
import { AFSPRAKENSTELSELS } from '@medmij-sandbox/network/afsprakenstelsel';
import { catalogue, catalogueEntry, describe as read, nestedReasons, ruleText, type Rule } from '@medmij-sandbox/rules';

const show = (e: TraceEvent) => `#${e.seq} ${e.reportedBy} ${e.kind} ${e.ruleId ?? '(no id)'}: ${e.reason ?? ''} [${e.rule ?? ''}]`;

describe('the rule catalogue on the trace of every scenario', () => {
  let events: TraceEvent[] = [];

  beforeAll(async () => {
    // Both afsprakenstelsels: 2 has reasons of its own (refresh, consent choices, release3 lists).
    for (const afsprakenstelsel of AFSPRAKENSTELSELS) {
      const results = await runScenarios({
        scenarios: loadCatalogue(join(repositoryRoot(), 'scenarios')),
        topologyPath: defaultTopologyPath(),
        workDir: join(tempDir(), 'runs'),
        afsprakenstelsel,
        print: () => {},
      });
      events.push(...results.flatMap((r) => r.events));
    }
  });

  it('every id on the trace is in the catalogue and renders the event’s own words', () => {
    const named = events.filter((e) => e.ruleId !== undefined);
    expect(named.length).toBeGreaterThan(500);
    const wrong: string[] = [];
    for (const e of named) {
      const entry = catalogueEntry(e.ruleId!);
      if (!entry) {
        wrong.push(`unknown id: ${show(e)}`);
      } else if (entry.kind === 'rule') {
        if (ruleText(entry) !== e.rule) wrong.push(`rule text differs: ${show(e)}`);
      } else {
        if (entry.en(e.params ?? {}) !== e.reason) wrong.push(`reason differs: ${show(e)} ≠ ${entry.en(e.params ?? {})}`);
        if (entry.rule && ruleText(entry.rule) !== e.rule) wrong.push(`rule differs from the reason's: ${show(e)}`);
        if (!entry.nl(e.params ?? {}).trim()) wrong.push(`no Dutch: ${show(e)}`);
      }
      // A nested reason said in English, or in Dutch on a page the person read in Dutch.
      for (const n of nestedReasons(e.params ?? {})) {
        const inner = catalogueEntry(n.ruleId);
        if (inner?.kind !== 'reason') wrong.push(`unknown nested id ${n.ruleId}: ${show(e)}`);
        else if (![inner.en(n.params), inner.nl(n.params)].includes(n.text)) wrong.push(`nested ${n.name} differs: ${show(e)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every rule on the trace is a rule of the catalogue', () => {
    const texts = new Set(
      catalogue()
        .filter((e): e is Rule => e.kind === 'rule')
        .map((r) => ruleText(r)),
    );
    const outside = [...new Set(events.filter((e) => e.rule !== undefined && !texts.has(e.rule)).map((e) => e.rule))];
    expect(outside).toEqual([]);
  });

  it('every decision and every hop that cites a rule carries its id; so do nearly all decisions', () => {
    expect(events.filter((e) => e.rule !== undefined && e.ruleId === undefined).map(show)).toEqual([]);
    const decisions = events.filter((e) => e.kind === 'decision');
    const withId = decisions.filter((e) => e.ruleId !== undefined);
    expect(withId.length / decisions.length).toBeGreaterThan(0.95);
    // Refusals especially: each one names why, by id.
    expect(events.filter((e) => e.outcome === 'refused' && e.reason !== undefined && e.ruleId === undefined).map(show)).toEqual([]);
  });

  it('reads every named event in Dutch too', () => {
    const dutch = events.filter((e) => e.ruleId !== undefined).map((e) => read(e.ruleId!, e.params ?? {}, 'nl'));
    expect(dutch.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    expect(dutch).toContain(
      'beschikbaarheidstoets negatief: Vienna van Dongen is 15 op 2026-06-01 (geboren 2010-10-22); MedMij vereist minstens 16 → access_denied aan pgo.localhost',
    );
  });
});
