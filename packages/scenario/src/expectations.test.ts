/** The checks of a run: the last raw answer (what it must and must not show), the person's PGO account, the hops in order. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadTopology, repositoryRoot, SandboxClock, type TraceEvent } from '@medmij-sandbox/network';
import { DVZA_TOKEN, LISTS, PGO, STELSELNODE, because, nest, said } from '@medmij-sandbox/rules';
import { Cast } from './cast.js';
import { accountCheck, answerCheck, checkExpectations, givesReason, type RunOutcome } from './expectations.js';
import { parseScenario } from './schema.js';
import { nearMissLines } from './report.js';

const refusalPage =
  '<!doctype html><html lang="nl"><head><title>Geweigerd — Huisartsenpraktijk De Kroon</title></head><body><p role="alert">Geen toestemmingsvraag open.</p></body></html>';
const consentPage =
  '<!doctype html><html lang="nl"><head><title>Toestemming geven — Huisartsenpraktijk De Kroon</title></head><body><p class="note">Ingelogd als Lilian Groen.</p></body></html>';

describe('the last raw answer', () => {
  const want = { status: 400, contains: 'Geen toestemmingsvraag open', lacks: ['Lilian Groen', 'Ingelogd als'] };

  it('holds when the status and the text are right and nothing it must lack is shown', () => {
    const c = answerCheck(want, { status: 400, text: refusalPage });
    expect(c.ok).toBe(true);
    expect(c.what).toEqual({
      en: 'answer: HTTP 400 containing "Geen toestemmingsvraag open" without "Lilian Groen", "Ingelogd als"',
      nl: 'antwoord: HTTP 400 met "Geen toestemmingsvraag open" zonder "Lilian Groen", "Ingelogd als"',
    });
    expect(c.message).toEqual({
      en: 'HTTP 400: an HTML page titled "Geweigerd — Huisartsenpraktijk De Kroon": "Geen toestemmingsvraag open."',
      nl: 'HTTP 400: een HTML-pagina met de titel "Geweigerd — Huisartsenpraktijk De Kroon": "Geen toestemmingsvraag open."',
    });
  });

  it('fails, naming what the page shows, when a text it must lack is there', () => {
    const c = answerCheck({ status: 200, lacks: want.lacks }, { status: 200, text: consentPage });
    expect(c.ok).toBe(false);
    expect(c.message.en).toBe('HTTP 200: an HTML page titled "Toestemming geven — Huisartsenpraktijk De Kroon"; it shows "Lilian Groen", "Ingelogd als"');
    expect(c.message.nl).toBe(
      'HTTP 200: een HTML-pagina met de titel "Toestemming geven — Huisartsenpraktijk De Kroon"; het toont "Lilian Groen", "Ingelogd als"',
    );
  });

  it('fails on another status, a missing text, or no answer at all', () => {
    expect(answerCheck(want, { status: 200, text: refusalPage }).ok).toBe(false);
    expect(answerCheck(want, { status: 400, text: 'Bad Request' }).ok).toBe(false);
    expect(answerCheck(want, undefined)).toMatchObject({ ok: false, message: { en: 'no answer recorded', nl: 'geen antwoord vastgelegd' } });
    // Without contains or lacks: the status alone.
    expect(answerCheck({ status: 400 }, { status: 400, text: consentPage }).ok).toBe(true);
  });
});

describe("the person's PGO account", () => {
  it('holds exactly the number of collections with data expected; an account not read fails', () => {
    expect(accountCheck({ collected: 0 }, 0, false)).toEqual({
      what: {
        en: "the person's PGO account gained 0 collection(s) with data",
        nl: 'het PGO-account van de persoon kreeg er 0 verzameling(en) met gegevens bij',
      },
      ok: true,
      message: { en: '0', nl: '0' },
    });
    expect(accountCheck({ collected: 0 }, 1, false)).toMatchObject({ ok: false, message: { en: '1' } });
    expect(accountCheck({ collected: 0 }, undefined, false)).toMatchObject({
      ok: false,
      message: { en: 'the account was not read', nl: 'het account is niet gelezen' },
    });
    // An outside PGO's account is what it says of itself: shown, but no evidence.
    expect(accountCheck({ collected: 1 }, 1, true)).toMatchObject({
      ok: true,
      selfReported: true,
      what: { en: "the person's PGO account gained 1 collection(s) with data (its own account)" },
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
  // Decisions as participants report them: the English text, the catalogue's id and the parameters.
  const decision = (seq: number, reportedBy: string, why: ReturnType<typeof because>): TraceEvent => ({
    seq,
    at: '2026-06-01T10:00:00.000Z',
    reportedBy,
    from: 'stelselnode.localhost',
    to: reportedBy,
    kind: 'decision',
    outcome: 'ok',
    ...why,
  });
  const scenario = (hops: string) =>
    parseScenario(
      `name: t\ntitle: { nl: twee afnemers, en: two consumers }\nteaches: { nl: twee afnemers besluiten over één lijst, en: two consumers decide on one list }\nrule: { nl: SPEC §3.2, en: SPEC §3.2 }\nsteps:\n  - wait: 2h\nexpect:\n  hops:\n${hops}`,
      'scenarios/t.yaml',
    );
  const accepted = (volgnummer: number, was: number) =>
    because(LISTS.accepted, { kind: 'Zorgaanbiederslijst', volgnummer, was, missed: '', variant: 'official', status: 'fresh', tijdstempel: 'T' });
  const published = () =>
    because(STELSELNODE.changed, nest('what', said(STELSELNODE.published, { kind: 'Zorgaanbiederslijst', volgnummer: 4, why: 'periodic republication' })));
  const republished = (reportedBy: string, seq: number) => decision(seq, reportedBy, accepted(4, 3));
  const collected = (seq: number) =>
    decision(seq, 'pgo.localhost', because(PGO.collected, { resources: 41, gegevensdienst: 'BgZ', zorgaanbieder: 'De Kroon', queries: 28 }));
  const hops = (
    pgo: string,
    dekroon: string,
  ) => `    - { decision: stelselnode, ruleId: stelselnode.publish.published, params: { kind: Zorgaanbiederslijst, volgnummer: "{volgnummer+1}" } }
    - { decision: pgo, ruleId: lists.validate.accepted, params: { kind: Zorgaanbiederslijst, volgnummer: "{volgnummer+1}" }${pgo} }
    - { decision: dekroon, ruleId: lists.validate.accepted, params: { kind: Zorgaanbiederslijst, volgnummer: "{volgnummer+1}" }${dekroon} }
    - { decision: pgo, ruleId: pgo.fhir.collected }
`;
  const checks = (yaml: string, events: TraceEvent[]) => {
    const s = scenario(yaml);
    return checkExpectations(s, new Cast(s, topology, SandboxClock.frozenAt('2026-06-01T10:00:00Z')), outcome, events).checks;
  };
  const check = (yaml: string, events: TraceEvent[]) => checks(yaml, events).map((c) => c.ok);
  const pgoFirst = [decision(1, 'stelselnode.localhost', published()), republished('pgo.localhost', 2), republished('dekroon.dvza.localhost', 3), collected(4)];
  const dvzaFirst = [
    decision(1, 'stelselnode.localhost', published()),
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
      decision(2, 'stelselnode.localhost', published()),
      republished('pgo.localhost', 3),
      collected(4),
    ];
    expect(check(hops('', ', alongside: true'), beforeThePublication)).toEqual([true, true, false, true]);
    const collectedBetween = [
      decision(1, 'stelselnode.localhost', published()),
      republished('pgo.localhost', 2),
      collected(3),
      republished('dekroon.dvza.localhost', 4),
    ];
    expect(check(hops('', ', alongside: true'), collectedBetween)).toEqual([true, true, true, false]);
    // Each hop of a run is its own event: one decision does not satisfy two expectations.
    const once = [decision(1, 'stelselnode.localhost', published()), republished('pgo.localhost', 2), collected(3)];
    expect(check(hops('', ', alongside: true').replace('decision: dekroon', 'decision: pgo'), once)).toEqual([true, true, false, true]);
  });

  it('alongside needs an expected hop before it', () => {
    expect(() => check(hops(', alongside: true', '').split('\n').slice(1).join('\n'), [])).toThrow(/hops\.0\.alongside|alongside needs/);
    expect(() => check(hops('', ', alongside: true, absent: true'), [])).toThrow(/alongside needs an expected hop before it/);
  });

  it('matches a ruleId on the event itself or on a reason it nests, and an area ending in .*', () => {
    const event = decision(1, 'stelselnode.localhost', published());
    expect(givesReason(event, 'stelselnode.lists.changed')).toBe(true);
    expect(givesReason(event, 'stelselnode.publish.published', { kind: 'Zorgaanbiederslijst', volgnummer: '4' })).toBe(true);
    expect(givesReason(event, 'stelselnode.*')).toBe(true);
    expect(givesReason(event, 'stelselnode.publish.*', { volgnummer: 4 })).toBe(true);
    expect(givesReason(event, 'lists.*')).toBe(false);
    expect(givesReason(event, 'stelselnode.publish.published', { kind: 'Whitelist' })).toBe(false);
    // A parameter the reason does not have is no match, not a wildcard.
    expect(givesReason(event, 'stelselnode.publish.published', { missing: '' })).toBe(false);
    // Parameters are matched exactly, not as a part of the text.
    expect(givesReason(decision(2, 'pgo.localhost', accepted(14, 13)), 'lists.validate.accepted', { volgnummer: 4 })).toBe(false);
  });

  it('params hold placeholders, a {volgnummer} counting for the list named before it', () => {
    const yaml = `    - { decision: pgo, ruleId: lists.validate.accepted, params: { kind: Zorgaanbiederslijst, volgnummer: "{volgnummer+1}", was: "{volgnummer}" } }\n`;
    expect(check(yaml, [republished('pgo.localhost', 1)])).toEqual([true]);
    expect(check(yaml, [decision(1, 'pgo.localhost', accepted(5, 4))])).toEqual([false]);
    const [c] = checks(
      `    - { decision: pgo, ruleId: lists.validate.accepted, params: { volgnummer: 4 }, says: { nl: de PGO neemt hem, en: the PGO takes it } }\n`,
      [republished('pgo.localhost', 1)],
    );
    expect(c!.what).toEqual({
      en: 'decision by pgo [lists.validate.accepted volgnummer=4] — the PGO takes it',
      nl: 'besluit van pgo [lists.validate.accepted volgnummer=4] — de PGO neemt hem',
    });
    expect(c!.message.en).toBe('#1: pgo.localhost ok: accepted Zorgaanbiederslijst Volgnummer 4 (was 3), valid against the official schema');
    expect(c!.message.nl).toBe('#1: pgo.localhost ok: Zorgaanbiederslijst met Volgnummer 4 geaccepteerd (was 3), geldig volgens het officiële schema');
  });

  it('{ has } matches an item of a list-valued parameter in any position, so an absent check holds for every combination', () => {
    const token = (seq: number, scope: string) =>
      decision(seq, 'dekroon.dvza.localhost', because(DVZA_TOKEN.issued, { clientId: 'pgo.localhost', scope, expiresAt: 'T' }));
    for (const scope of ['48 46 52 31', '46', '31 46', '48, 46'])
      expect(givesReason(token(1, scope), 'dvza.token.issued', { scope: { has: '46' } })).toBe(true);
    // An item, not a part of one: 146 and 460 hold no 46.
    for (const scope of ['48 52 31', '146 460', '']) expect(givesReason(token(1, scope), 'dvza.token.issued', { scope: { has: '46' } })).toBe(false);
    const yaml = `    - { decision: dekroon, ruleId: dvza.token.issued, params: { scope: { has: "46" } }, absent: true, says: { nl: geen token voor 46, en: no token for 46 } }\n`;
    expect(check(yaml, [token(1, '48 52 31')])).toEqual([true]);
    const [c] = checks(yaml, [token(1, '52 46 48')]);
    expect(c!.ok).toBe(false);
    expect(c!.what.en).toBe('no decision by dekroon [dvza.token.issued scope∋46] — no token for 46');
    expect(() => check(`    - { decision: dekroon, ruleId: dvza.token.issued, params: { scope: { contains: "46" } } }\n`, [])).toThrow(
      /expect\.hops\[0\]\.params\.scope/,
    );
    // Nor one that a placeholder turns into two (a weergavenaam with spaces).
    expect(() => checks(`    - { decision: dekroon, ruleId: dvza.token.issued, params: { scope: { has: "{naam:bgz}" } }, absent: true }\n`, [])).toThrow(
      /params\.scope: \{ has \} became "Verzamelen Basisgegevens zorg 3\.0" once filled in, more than one item/,
    );
    // Two items in one `has` could never match an item: refused, with how to write it.
    expect(() => check(`    - { decision: dekroon, ruleId: dvza.token.issued, params: { scope: { has: "46 48" } } }\n`, [])).toThrow(
      /expect\.hops\[0\]\.params\.scope.*one item, without spaces or commas/,
    );
  });

  it('a hop expected but not found names the three events that came closest, with the fields each differs in', () => {
    const http = (seq: number, from: string, to: string, method: string, url: string, status: number): TraceEvent => ({
      seq,
      at: '2026-06-01T10:00:00.000Z',
      reportedBy: to,
      side: 'server',
      from,
      to,
      kind: 'http',
      method,
      url,
      status,
      outcome: status < 400 ? 'ok' : 'refused',
    });
    const events = [
      http(1, 'pgo.localhost', 'stelselnode.localhost', 'GET', '/MedMij_Zorgaanbiederslijst.xml', 200),
      http(2, 'pgo.localhost', 'dekroon.dvza.localhost', 'POST', '/oauth/token', 200),
      http(3, 'pgo.localhost', 'dekroon.dvza.localhost', 'GET', '/fhir/Patient?_include=x', 401),
      http(4, 'pgo.localhost', 'rivierenland.dvza.localhost', 'GET', '/fhir/Patient', 200),
      decision(5, 'pgo.localhost', accepted(4, 3)),
      collected(6),
    ];
    const [c] = checks(`    - { from: pgo, to: dekroon, method: GET, path: /fhir/Patient, status: 200 }\n`, events);
    expect(c!.ok).toBe(false);
    expect(c!.message.en).toBe('no such event in the trace');
    // Most fields held first, who (from, to) counting double; on a tie the nearer to where the search began. The
    // list fetch (to the stelselnode) holds method and status only besides its sender: not among them.
    expect(c!.nearMisses).toEqual([
      {
        seq: 3,
        summary: {
          en: 'server pgo.localhost → dekroon.dvza.localhost GET /fhir/Patient 401',
          nl: 'server pgo.localhost → dekroon.dvza.localhost GET /fhir/Patient 401',
        },
        differs: [{ field: 'status', expected: '200', actual: '401' }],
      },
      {
        seq: 2,
        summary: expect.objectContaining({ en: 'server pgo.localhost → dekroon.dvza.localhost POST /oauth/token 200' }),
        differs: [
          { field: 'method', expected: 'GET', actual: 'POST' },
          { field: 'path', expected: '/fhir/Patient', actual: '/oauth/token' },
        ],
      },
      {
        seq: 4,
        summary: expect.objectContaining({ en: 'server pgo.localhost → rivierenland.dvza.localhost GET /fhir/Patient 200' }),
        differs: [{ field: 'to', expected: 'dekroon.dvza.localhost', actual: 'rivierenland.dvza.localhost' }],
      },
    ]);
    // A reason's parameters are fields too; a decision by someone else differs in `decision`.
    const [r] = checks(`    - { decision: pgo, ruleId: lists.validate.accepted, params: { kind: Zorgaanbiederslijst, volgnummer: 5 } }\n`, [
      ...events,
      republished('dekroon.dvza.localhost', 7),
    ]);
    expect(r!.nearMisses?.map((m) => [m.seq, m.differs])).toEqual([
      [5, [{ field: 'params.volgnummer', expected: '5', actual: '4' }]],
      [
        6,
        [
          { field: 'ruleId', expected: 'lists.validate.accepted', actual: 'pgo.fhir.collected' },
          { field: 'params.kind', expected: 'Zorgaanbiederslijst', actual: '–' },
          { field: 'params.volgnummer', expected: '5', actual: '–' },
        ],
      ],
      [
        7,
        [
          { field: 'decision', expected: 'pgo.localhost', actual: 'dekroon.dvza.localhost' },
          { field: 'params.volgnummer', expected: '5', actual: '4' },
        ],
      ],
    ]);
    // In the run log and the reports, under the check.
    const lines = nearMissLines(c!, '  ');
    expect(lines[0]).toBe('  closest in the trace:');
    expect(lines).toContain('        status: expected 200, got 401');
    // An expectation that names only the kind of event and its verdict: the handshake with another verdict is close.
    const handshake: TraceEvent = {
      ...http(8, 'pgo.localhost', 'dekroon.dvza.localhost', 'POST', '/oauth/token', 0),
      kind: 'tls',
      tls: { verdict: 'CERT_REVOKED' },
    };
    expect(checks(`    - { tls: CERT_EXPIRED }\n`, [...events, handshake])[0]!.nearMisses).toEqual([
      expect.objectContaining({ seq: 8, differs: [{ field: 'tls', expected: 'CERT_EXPIRED', actual: 'CERT_REVOKED' }] }),
    ]);
    // A hop found, or one found only too early, has none.
    expect(checks(`    - { from: pgo, to: dekroon, path: /oauth/token }\n`, events)[0]!.nearMisses).toBeUndefined();
  });

  it('params need the ruleId of the reason they belong to', () => {
    expect(() => check(`    - { decision: pgo, params: { kind: Zorgaanbiederslijst } }\n`, [])).toThrow(
      /scenarios\/t\.yaml:\d+: expect\.hops\[0\]\.params: params are those of a reason: name it with ruleId/,
    );
    expect(() => check(`    - { decision: pgo, ruleId: "lists.*.accepted" }\n`, [])).toThrow(/expect\.hops\[0\]\.ruleId: a rule id such as/);
  });
});
