/**
 * Runs in Node before the browser tests: the real scenario catalogue (scenarios/*.yaml, loaded and checked by
 * packages/scenario), the checks a run of each reports (packages/scenario names them), one trace event per entry of
 * the rule catalogue (packages/rules), and every English text of both — handed to the tests with provide/inject,
 * so ui/test/dutch.test.ts can show that none of them reaches a Dutch page.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ScenarioRun, TraceEvent } from '@medmij-sandbox/console-api';
import { repositoryRoot } from '@medmij-sandbox/network';
import { because, catalogue, cite, ruleText, type Params, type Reason } from '@medmij-sandbox/rules';
import { describeExpectation, expectationsIn, loadCatalogue } from '@medmij-sandbox/scenario';
import type { CatalogueFixtures } from './fixture-types.ts';

/** An English text that is its Dutch too (names, codes, values only) says nothing a Dutch page must not. */
const translated = (en: string, nl: string) => (en === nl ? [] : [en]);

/**
 * Parameters for a reason: every name its texts read, each holding a neutral stand-in («name»), so the English and
 * the Dutch differ only in their words.
 */
function sampleParams(r: Reason): Params {
  const names = new Set<string>();
  const probe = new Proxy({} as Params, {
    get: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      names.add(key);
      return `«${key}»`;
    },
  });
  r.en(probe);
  r.nl(probe);
  return Object.fromEntries([...names].map((n) => [n, `«${n}»`]));
}

/** Who reports an entry's event: the participant its id starts with. */
function reporter(id: string): string {
  const area = id.split('.')[0];
  return area === 'dvza' ? 'dekroon.dvza.localhost' : area === 'tvs' ? 'tvs.localhost' : area === 'stelselnode' ? 'stelselnode.localhost' : 'pgo.localhost';
}

export function buildCatalogueFixtures(): CatalogueFixtures {
  const scenarios = loadCatalogue(join(repositoryRoot(), 'scenarios'));
  const english: string[] = [];
  const checks: CatalogueFixtures['checks'] = {};
  for (const s of scenarios) {
    english.push(...translated(s.title.en, s.title.nl), ...translated(s.teaches.en, s.teaches.nl), ...translated(s.rule.en, s.rule.nl));
    const version = s.afsprakenstelsel[0]!;
    const hops = s.afsprakenstelsel.flatMap((v) => expectationsIn(s, v).hops);
    for (const h of hops) if (h.says) english.push(...translated(h.says.en, h.says.nl));
    checks[s.name] = expectationsIn(s, version).hops.map((h): ScenarioRun['checks'][number] => {
      const what = describeExpectation(h);
      english.push(...translated(what.en, what.nl));
      return { what, ok: true, message: h.absent ? { en: 'none, as expected', nl: 'geen, zoals verwacht' } : { en: '#1: matched', nl: '#1: gevonden' } };
    });
  }
  const at = '2026-06-01T08:00:00.000Z';
  const events: TraceEvent[] = catalogue().map((entry, i): TraceEvent => {
    const base = { seq: i + 1, at, traceId: 'catalogue', reportedBy: reporter(entry.id), outcome: 'ok' as const };
    if (entry.kind === 'rule') {
      english.push(...translated(entry.en, entry.nl), ...translated(ruleText(entry, 'en'), ruleText(entry, 'nl')));
      // A hop that cites the rule, as transport's hops do.
      return { ...base, kind: 'http', side: 'server', from: 'browser', to: base.reportedBy, method: 'GET', url: `/rule/${i}`, status: 200, ...cite(entry) };
    }
    const params = sampleParams(entry);
    const why = because(entry, params);
    english.push(...translated(why.reason, entry.nl(params)));
    return { ...base, kind: 'decision', from: base.reportedBy, to: base.reportedBy, ...why };
  });
  return { scenarios: scenarios.map((s) => ({ name: s.name, title: s.title, teaches: s.teaches, rule: s.rule })), checks, events, english };
}

export default function setup(project: TestProject): void {
  project.provide('catalogue', buildCatalogueFixtures());
}
