/** The side-by-side comparison: verdicts per version, the first differing hop, list fetches and masks left out. */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@medmij-sandbox/network';
import { compareVersions, comparisonHtml, formatComparison } from './compare.js';
import type { ScenarioResult } from './runner.js';
import { parseScenario } from './schema.js';

const scenario = (name: string, extra = '') =>
  parseScenario(
    `name: ${name}\ntitle: { nl: Het ${name}, en: The ${name} }\nteaches: { nl: Wat dit voorbeeld de zaal leert., en: What this example teaches the room. }\nrule: { nl: SPEC §4, en: SPEC §4 }\n${extra}steps:\n  - wait: 1m\nexpect: {}\n`,
    `scenarios/${name}.yaml`,
  );

let seq = 0;
const hop = (from: string, to: string, method: string, url: string, status: number, side: 'client' | 'server' = 'client'): TraceEvent => ({
  seq: ++seq,
  at: `2026-06-01T08:00:0${seq % 10}.000Z`,
  kind: 'http',
  side,
  reportedBy: side === 'client' ? from : to,
  from,
  to,
  method,
  url,
  status,
  outcome: status < 400 ? 'ok' : 'refused',
});
const decision = (by: string, reason: string, ruleId?: string): TraceEvent => ({
  seq: ++seq,
  at: '2026-06-01T08:00:00.000Z',
  kind: 'decision',
  reportedBy: by,
  from: by,
  to: by,
  outcome: 'ok',
  reason,
  ...(ruleId ? { ruleId } : {}),
});
const result = (s: ReturnType<typeof scenario>, events: TraceEvent[], ok = true, skipped?: string): ScenarioResult => ({
  scenario: s,
  ok,
  durationMs: 1,
  log: [],
  checks: [],
  events,
  ...(skipped ? { skipped } : {}),
});

const lists = (n: number) =>
  ['Zorgaanbiederslijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst', 'Zorgaanbiederskoppellijst']
    .slice(0, n)
    .flatMap((l) => [
      hop('pgo.localhost', 'stelselnode.localhost', 'GET', `/MedMij_${l}.xml`, 200),
      decision('pgo.localhost', `${l} unchanged (Volgnummer 1)`),
    ]);

describe('compareVersions', () => {
  const flow = (scope: string, tokenStatus: number, port: number) => [
    ...lists(scope.includes('~') ? 4 : 5),
    hop('browser', 'dekroon.dvza.localhost', 'GET', `/oauth/authorize?client_id=pgo.localhost&scope=${encodeURIComponent(scope)}&state=Zq3x9`, 200, 'server'),
    decision('dekroon.dvza.localhost', `scope ${scope} is offered here, port :${port}`),
    hop('pgo.localhost', 'dekroon.dvza.localhost', 'POST', '/oauth/token', tokenStatus),
  ];

  it('finds the first differing hop, shows the scope, and what differs apart from it', () => {
    const s = scenario('happy');
    const [row] = compareVersions([result(s, flow('dekroon~1', 200, 41000))], [result(s, flow('dekroon', 400, 42000), false)]);
    expect(row!.verdicts).toEqual(['passed', 'failed']);
    // The list fetches (four in 1.5, five in 2) are left out: hop 1 is the authorization request.
    expect(row!.hop).toEqual({
      at: 1,
      left: 'browser → dekroon GET /oauth/authorize?scope=dekroon~1 200',
      right: 'browser → dekroon GET /oauth/authorize?scope=dekroon 200',
    });
    expect(row!.beyondScope).toEqual({ at: 2, left: 'pgo → dekroon POST /oauth/token 200', right: 'pgo → dekroon POST /oauth/token 400' });
    // Ports are masked in decisions: the difference is the scope, not the port.
    expect(row!.decision).toEqual({
      at: 1,
      left: 'dekroon ok: scope dekroon~1 is offered here, port :<port>',
      right: 'dekroon ok: scope dekroon is offered here, port :<port>',
    });
    const text = formatComparison([row!], ['1.5', '2']);
    expect(text).toMatch(/happy\s+passed\s+failed\s+hop 1:/);
    expect(text).toContain('apart from the scope, hop 2:');
    expect(text).toContain('1 in both (1 with a different verdict)');
  });

  it('says when the hops are the same, and when a scenario exists in one version only', () => {
    const same = scenario('same');
    const only = scenario('only', 'afsprakenstelsel: ["1.5"]\n');
    const events = () => [hop('pgo.localhost', 'dekroon.dvza.localhost', 'GET', '/fhir/Patient', 200)];
    const rows = compareVersions(
      [result(same, events()), result(only, events())],
      [result(same, events()), result(only, [], true, 'it applies to afsprakenstelsel 1.5 only')],
    );
    expect(rows.map((r) => [r.name, r.verdicts, r.hop])).toEqual([
      ['same', ['passed', 'passed'], undefined],
      ['only', ['passed', 'skipped'], undefined],
    ]);
    const text = formatComparison(rows, ['1.5', '2']);
    expect(text).toMatch(/same\s+passed\s+passed\s+none: the same 1 hops and the same decisions/);
    expect(text).toMatch(/only\s+passed\s+skipped\s+only in afsprakenstelsel 1\.5/);
    expect(text).toContain('2 scenarios: 1 in both (the same verdict), 1 in one version only');
    const html = comparisonHtml(rows, ['1.5', '2']);
    expect(html).toContain('<td class="skip">skipped</td>');
    expect(html).not.toContain('<script');
  });
});
