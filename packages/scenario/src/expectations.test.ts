/** The checks of a run: the last raw answer (what it must and must not show), the person's PGO account, the hops in order. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadTopology, repositoryRoot, SandboxClock, type TraceEvent } from '@medmij-sandbox/network';
import { Cast } from './cast.js';
import { accountCheck, answerCheck, checkExpectations, type RunOutcome } from './expectations.js';
import { parseScenario } from './schema.js';

const refusalPage =
  '<!doctype html><html lang="nl"><head><title>Geweigerd — Huisartsenpraktijk De Kroon</title></head><body><p role="alert">Geen toestemmingsvraag open.</p></body></html>';
const consentPage =
  '<!doctype html><html lang="nl"><head><title>Toestemming geven — Huisartsenpraktijk De Kroon</title></head><body><p class="note">Ingelogd als Lilian Groen.</p></body></html>';

describe('the last raw answer', () => {
  const want = { status: 400, contains: 'Geen toestemmingsvraag open', lacks: ['Lilian Groen', 'Ingelogd als'] };

  it('holds when the status and the text are right and nothing it must lack is shown', () => {
    const c = answerCheck(want, { status: 400, text: refusalPage });
    expect(c.ok).toBe(true);
    expect(c.what).toBe('answer: HTTP 400 containing "Geen toestemmingsvraag open" without "Lilian Groen", "Ingelogd als"');
    expect(c.message).toBe('HTTP 400: an HTML page titled "Geweigerd — Huisartsenpraktijk De Kroon": "Geen toestemmingsvraag open."');
  });

  it('fails, naming what the page shows, when a text it must lack is there', () => {
    const c = answerCheck({ status: 200, lacks: want.lacks }, { status: 200, text: consentPage });
    expect(c.ok).toBe(false);
    expect(c.message).toBe('HTTP 200: an HTML page titled "Toestemming geven — Huisartsenpraktijk De Kroon"; it shows "Lilian Groen", "Ingelogd als"');
  });

  it('fails on another status, a missing text, or no answer at all', () => {
    expect(answerCheck(want, { status: 200, text: refusalPage }).ok).toBe(false);
    expect(answerCheck(want, { status: 400, text: 'Bad Request' }).ok).toBe(false);
    expect(answerCheck(want, undefined)).toMatchObject({ ok: false, message: 'no answer recorded' });
    // Without contains or lacks: the status alone.
    expect(answerCheck({ status: 400 }, { status: 400, text: consentPage }).ok).toBe(true);
  });
});

describe("the person's PGO account", () => {
  it('holds exactly the number of collections with data expected; an account not read fails', () => {
    expect(accountCheck({ collected: 0 }, 0, false)).toEqual({ what: "the person's PGO account gained 0 collection(s) with data", ok: true, message: '0' });
    expect(accountCheck({ collected: 0 }, 1, false)).toMatchObject({ ok: false, message: '1' });
    expect(accountCheck({ collected: 0 }, undefined, false)).toMatchObject({ ok: false, message: 'the account was not read' });
    // An outside PGO's account is what it says of itself: shown, but no evidence.
    expect(accountCheck({ collected: 1 }, 1, true)).toMatchObject({
      ok: true,
      selfReported: true,
      what: "the person's PGO account gained 1 collection(s) with data (its own account)",
    });
  });
});

describe('hops in order, and hops alongside each other', () => {
  const topology = loadTopology(join(repositoryRoot(), 'topology.yaml'));
  const outcome: RunOutcome = {
    personDrove: false,
    startedAt: Date.parse('2026-06-01T10:00:00Z'),
    volgnummersAtStart: { Zorgaanbiederslijst: 3 },
    afsprakenstelsel: '2',
    gegevensdiensten: topology.gegevensdiensten,
  };
  const decision = (seq: number, reportedBy: string, reason: string): TraceEvent => ({
    seq,
    at: '2026-06-01T10:00:00.000Z',
    reportedBy,
    from: 'stelselnode.localhost',
    to: reportedBy,
    kind: 'decision',
    outcome: 'ok',
    reason,
  });
  const scenario = (hops: string) =>
    parseScenario(
      `name: t\ntitle: two consumers\nteaches: two consumers decide on one list\nrule: SPEC §3.2\nsteps:\n  - wait: 2h\nexpect:\n  hops:\n${hops}`,
      'scenarios/t.yaml',
    );
  const republished = (reportedBy: string, seq: number) => decision(seq, reportedBy, 'accepted Zorgaanbiederslijst Volgnummer 4 (was 3)');
  const collected = (seq: number) => decision(seq, 'pgo.localhost', 'collected 41 resources');
  const hops = (pgo: string, dekroon: string) => `    - { decision: stelselnode, reason: published }
    - { decision: pgo, reason: "accepted Zorgaanbiederslijst Volgnummer {volgnummer+1}"${pgo} }
    - { decision: dekroon, reason: "accepted Zorgaanbiederslijst Volgnummer {volgnummer+1}"${dekroon} }
    - { decision: pgo, reason: collected }
`;
  const check = (yaml: string, events: TraceEvent[]) => {
    const s = scenario(yaml);
    return checkExpectations(s, new Cast(s, topology, SandboxClock.frozenAt('2026-06-01T10:00:00Z')), outcome, events).checks.map((c) => c.ok);
  };
  const pgoFirst = [decision(1, 'stelselnode.localhost', 'published'), republished('pgo.localhost', 2), republished('dekroon.dvza.localhost', 3), collected(4)];
  const dvzaFirst = [
    decision(1, 'stelselnode.localhost', 'published'),
    republished('dekroon.dvza.localhost', 2),
    republished('pgo.localhost', 3),
    collected(4),
  ];

  it('without alongside, the order is part of the expectation', () => {
    expect(check(hops('', ''), pgoFirst)).toEqual([true, true, true, true]);
    expect(check(hops('', ''), dvzaFirst)).toEqual([true, true, false, true]);
  });

  it('alongside: two consumers deciding on one change may report in either order; what follows comes after both', () => {
    expect(check(hops('', ', alongside: true'), pgoFirst)).toEqual([true, true, true, true]);
    expect(check(hops('', ', alongside: true'), dvzaFirst)).toEqual([true, true, true, true]);
    // Not before the hop the run follows, and the next hop still comes after the whole run.
    const beforeThePublication = [
      republished('dekroon.dvza.localhost', 1),
      decision(2, 'stelselnode.localhost', 'published'),
      republished('pgo.localhost', 3),
      collected(4),
    ];
    expect(check(hops('', ', alongside: true'), beforeThePublication)).toEqual([true, true, false, true]);
    const collectedBetween = [
      decision(1, 'stelselnode.localhost', 'published'),
      republished('pgo.localhost', 2),
      collected(3),
      republished('dekroon.dvza.localhost', 4),
    ];
    expect(check(hops('', ', alongside: true'), collectedBetween)).toEqual([true, true, true, false]);
    // Each hop of a run is its own event: one decision does not satisfy two expectations.
    const once = [decision(1, 'stelselnode.localhost', 'published'), republished('pgo.localhost', 2), collected(3)];
    expect(check(hops('', ', alongside: true').replace('decision: dekroon', 'decision: pgo'), once)).toEqual([true, true, false, true]);
  });

  it('alongside needs an expected hop before it', () => {
    expect(() => check(hops(', alongside: true', '').replace('    - { decision: stelselnode, reason: published }\n', ''), [])).toThrow(
      /hops\.0\.alongside|alongside needs/,
    );
    expect(() => check(hops('', ', alongside: true, absent: true'), [])).toThrow(/alongside needs an expected hop before it/);
  });
});
