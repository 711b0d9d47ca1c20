/** Reports: JUnit XML that xmllint accepts, golden traces without volatile values, diagrams in the HTML. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { formatResult, goldenTrace, sequenceSvg, toHtml, toJUnit } from './report.js';
import type { ScenarioResult } from './runner.js';
import { parseScenario } from './schema.js';

const scenario = parseScenario(
  `name: example\ntitle: { nl: Een <voorbeeld>, en: An <example> }\nteaches: { nl: Wat dit voorbeeld de zaal leert., en: What this example teaches the room. }\nrule: { nl: SPEC §4, en: SPEC §4 }\nsteps:\n  - wait: 1m\nexpect: {}\n`,
  'scenarios/example.yaml',
);
const events: TraceEvent[] = [
  {
    seq: 7,
    at: '2026-06-01T08:00:01.123Z',
    kind: 'http',
    side: 'client',
    reportedBy: 'pgo.localhost',
    from: 'pgo.localhost',
    to: 'dekroon.dvza.localhost',
    method: 'POST',
    url: '/oauth/token',
    status: 400,
    outcome: 'refused',
    durationMs: 4,
    reason: 'code 3f9a0c1d2e3b4a5f6a7b8c9d0e1f2a3b used at 2026-06-01T08:00:00.000Z',
  },
  {
    seq: 8,
    at: '2026-06-01T08:00:01.200Z',
    kind: 'tls',
    reportedBy: 'rivierenland.dvza.localhost',
    from: 'pgo.localhost',
    to: 'rivierenland.dvza.localhost',
    outcome: 'refused',
    tls: { verdict: 'CERT_REVOKED', serial: 'ABCDEF0123456789ABCDEF' },
  },
];
const result = (ok: boolean): ScenarioResult => ({
  scenario,
  ok,
  durationMs: 12,
  log: [{ en: 'did a thing', nl: 'deed iets' }],
  checks: [
    {
      what: { en: 'TLS pgo → rivierenland refused: CERT_REVOKED', nl: 'TLS pgo → rivierenland geweigerd: CERT_REVOKED' },
      ok,
      message: ok ? { en: '#8', nl: '#8' } : { en: 'no such event in the trace', nl: 'zo’n gebeurtenis staat niet in de trace' },
      ...(ok
        ? {}
        : {
            nearMisses: [
              {
                seq: 8,
                summary: {
                  en: 'TLS pgo.localhost → rivierenland.dvza.localhost CERT_REVOKED',
                  nl: 'TLS pgo.localhost → rivierenland.dvza.localhost CERT_REVOKED',
                },
                differs: [{ field: 'tls', expected: 'CERT_EXPIRED', actual: 'CERT_REVOKED' }],
              },
            ],
          }),
    },
  ],
  events,
});

describe('scenario reports', () => {
  it('JUnit XML: one testcase per scenario, failures with the unmet expectations; well-formed for xmllint', () => {
    const xml = toJUnit([result(true), result(false)], 1500, { afsprakenstelsel: '2' });
    expect(xml).toContain('<testsuite name="MedMij Sandbox scenarios" tests="2" failures="1"');
    // Which afsprakenstelsel the run's networks spoke: the same catalogue means something else in 1.5.
    expect(xml).toContain('<properties><property name="afsprakenstelsel" value="2"/></properties>');
    expect(toHtml([result(true)], 1500, { afsprakenstelsel: '1.5' })).toContain('<h1>MedMij Sandbox scenarios <small>afsprakenstelsel 1.5</small></h1>');
    // With what came closest, field by field.
    expect(xml).toContain(
      '<failure message="1 expectation(s) not met">TLS pgo → rivierenland refused: CERT_REVOKED: no such event in the trace\n  closest in the trace:\n    #8 TLS pgo.localhost → rivierenland.dvza.localhost CERT_REVOKED\n        tls: expected CERT_EXPIRED, got CERT_REVOKED</failure>',
    );
    expect(xml).toContain('An &lt;example&gt;');
    const file = join(tempDir(), 'junit.xml');
    writeFileSync(file, xml);
    const lint = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    if (lint.error) throw new Error('this test needs xmllint: apt-get install -y libxml2-utils (.ci/run does this)');
    expect(lint.status, lint.stderr).toBe(0);
  });

  it('golden traces keep who, what and why, and mask times, ids, codes and ports', () => {
    expect(goldenTrace(events)).toEqual([
      {
        kind: 'http',
        reportedBy: 'pgo.localhost',
        side: 'client',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        method: 'POST',
        path: '/oauth/token',
        status: 400,
        outcome: 'refused',
        reason: 'code <hex> used at <time>',
      },
      {
        kind: 'tls',
        reportedBy: 'rivierenland.dvza.localhost',
        from: 'pgo.localhost',
        to: 'rivierenland.dvza.localhost',
        verdict: 'CERT_REVOKED',
        outcome: 'refused',
      },
    ]);
  });

  it('the HTML report draws each scenario as an SVG sequence diagram, refusals in red, with its Mermaid source', () => {
    const svg = sequenceSvg(events);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="sequence diagram, 2 hops"/);
    expect(svg).toContain('POST /oauth/token → 400');
    expect(svg).toContain('TLS refused: CERT_REVOKED');
    expect(svg).toContain('stroke="#b00020"');
    const html = toHtml([result(false)], 1500);
    expect(html).toContain(svg);
    expect(html).toContain('sequenceDiagram');
    expect(html).toContain('0 passed, 1 failed');
    expect(html).toContain(
      'closest in the trace:<ol><li>#8 TLS pgo.localhost → rivierenland.dvza.localhost CERT_REVOKED<ul><li><code>tls</code>: expected <code>CERT_EXPIRED</code>, got <code>CERT_REVOKED</code></li></ul></li></ol>',
    );
    expect(formatResult(result(false))).toContain(
      '          closest in the trace:\n            #8 TLS pgo.localhost → rivierenland.dvza.localhost CERT_REVOKED\n                tls: expected CERT_EXPIRED, got CERT_REVOKED',
    );
  });
});
