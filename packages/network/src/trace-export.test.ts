/** The trace exports: one report per hop, a Mermaid sequence diagram, HAR 1.2. */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from './trace-event.js';
import { hopsOf, toHar, toMermaid } from './trace-export.js';

const START = '2026-06-01T10:00:00Z';

describe('trace exports', () => {
  const event = (e: Partial<TraceEvent> & Pick<TraceEvent, 'seq' | 'from' | 'to' | 'kind' | 'reportedBy'>): TraceEvent => ({
    at: START,
    outcome: 'ok',
    traceId: 't',
    ...e,
  });
  const events: TraceEvent[] = [
    event({
      seq: 1,
      kind: 'http',
      side: 'server',
      reportedBy: 'dekroon.dvza.localhost',
      from: 'browser',
      to: 'dekroon.dvza.localhost',
      method: 'GET',
      url: '/oauth/authorize?x=1',
      status: 200,
    }),
    event({
      seq: 2,
      kind: 'http',
      side: 'server',
      reportedBy: 'dekroon.dvza.localhost',
      from: 'pgo.localhost',
      to: 'dekroon.dvza.localhost',
      method: 'POST',
      url: '/oauth/token',
      status: 200,
    }),
    event({
      seq: 3,
      kind: 'http',
      side: 'client',
      reportedBy: 'pgo.localhost',
      from: 'pgo.localhost',
      to: 'dekroon.dvza.localhost',
      method: 'POST',
      url: '/oauth/token',
      status: 200,
      durationMs: 7,
      headers: { 'x-correlation-id': 't' },
    }),
    event({
      seq: 4,
      kind: 'decision',
      reportedBy: 'dekroon.dvza.localhost',
      from: 'pgo.localhost',
      to: 'dekroon.dvza.localhost',
      outcome: 'refused',
      reason: 'token refused: invalid_grant',
    }),
    event({
      seq: 5,
      kind: 'tls',
      reportedBy: 'rivierenland.dvza.localhost',
      from: 'pgo.localhost',
      to: 'rivierenland.dvza.localhost',
      outcome: 'refused',
      tls: { verdict: 'CERT_REVOKED' },
    }),
  ];

  it("keeps one report per hop: the caller's, or the callee's when the caller (a browser) does not report", () => {
    expect(hopsOf(events).map((e) => e.seq)).toEqual([1, 3, 5]);
  });

  it('writes a Mermaid sequence diagram with lanes in flow order', () => {
    expect(toMermaid(events, 'flow t')).toBe(
      [
        'sequenceDiagram',
        '  title flow t',
        '  participant P0 as browser',
        '  participant P1 as pgo.localhost',
        '  participant P2 as dekroon.dvza.localhost',
        '  participant P3 as rivierenland.dvza.localhost',
        '  P0->>P2: GET /oauth/authorize',
        '  P2-->>P0: 200',
        '  P1->>P2: POST /oauth/token',
        '  P2-->>P1: 200',
        '  Note over P2: REFUSED token refused: invalid_grant',
        '  P1-xP3: TLS refused CERT_REVOKED',
        '',
      ].join('\n'),
    );
  });

  it('wraps a long Mermaid note between words and keeps every character, semicolons and # too', () => {
    const reason =
      'authorization request refused: scope dekroon~48 is the form of afsprakenstelsel 1.5; in 2 the scope is the Zorgaanbiedernaam (#4 of the list <Zorgaanbiederslijst>) and nothing else';
    const mermaid = toMermaid([
      event({
        seq: 1,
        kind: 'decision',
        reportedBy: 'dekroon.dvza.localhost',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        outcome: 'refused',
        reason,
      }),
    ]);
    const note = mermaid
      .split('\n')
      .find((l) => l.startsWith('  Note over P0: '))!
      .slice('  Note over P0: '.length);
    const lines = note.split('<br/>');
    expect(lines.length).toBeGreaterThan(2);
    const decoded = lines.map((l) => l.replace(/#59;/g, ';').replace(/#35;/g, '#').replace(/#lt;/g, '<').replace(/#gt;/g, '>'));
    for (const l of decoded) expect(l.length).toBeLessThanOrEqual(60);
    // Nothing cut: the lines are the reason, word for word; Mermaid's own characters only as entity codes.
    expect(decoded.join(' ')).toBe(`REFUSED ${reason}`);
    expect(note.replace(/<br\/>/g, '').replace(/#(59|35|lt|gt);/g, '')).not.toMatch(/[;#<>]/);
  });

  it('writes HAR 1.2 entries for the HTTP hops', () => {
    const har = toHar(events, '0.1.0');
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.map((e) => `${e.request.method} ${e.request.url} ${e.response.status}`)).toEqual([
      'GET https://dekroon.dvza.localhost/oauth/authorize?x=1 200',
      'POST https://dekroon.dvza.localhost/oauth/token 200',
    ]);
    expect(har.log.entries[1]).toMatchObject({ time: 7, request: { headers: [{ name: 'x-correlation-id', value: 't' }] } });
  });

  it("HAR: the port, both sides' headers, the redirect target, and a refused handshake as an entry with _error", () => {
    const har = toHar(
      [
        event({
          seq: 1,
          kind: 'http',
          side: 'client',
          reportedBy: 'pgo.localhost',
          from: 'pgo.localhost',
          to: 'dekroon.dvza.localhost',
          method: 'GET',
          url: '/oauth/authorize?scope=dekroon',
          origin: 'https://dekroon.dvza.localhost:8720',
          status: 302,
          headers: { 'user-agent': 'medmij-sandbox/pgo.localhost' },
          responseHeaders: { location: '/consent?flow=f', 'content-type': 'text/html' },
        }),
        event({
          seq: 2,
          kind: 'tls',
          side: 'client',
          reportedBy: 'pgo.localhost',
          from: 'pgo.localhost',
          to: 'rivierenland.dvza.localhost',
          method: 'POST',
          url: '/oauth/token',
          origin: 'https://rivierenland.dvza.localhost:8721',
          outcome: 'refused',
          tls: { verdict: 'CERT_REVOKED' },
          reason: 'the server certificate of rivierenland.dvza.localhost was refused: CERT_REVOKED',
        }),
      ],
      '0.1.0',
    );
    const [redirect, refused] = har.log.entries;
    expect(redirect).toMatchObject({
      request: {
        url: 'https://dekroon.dvza.localhost:8720/oauth/authorize?scope=dekroon',
        headers: [{ name: 'user-agent', value: 'medmij-sandbox/pgo.localhost' }],
      },
      response: {
        status: 302,
        redirectURL: 'https://dekroon.dvza.localhost:8720/consent?flow=f',
        content: { mimeType: 'text/html' },
        headers: [
          { name: 'location', value: '/consent?flow=f' },
          { name: 'content-type', value: 'text/html' },
        ],
      },
    });
    expect(redirect).not.toHaveProperty('_error');
    expect(refused).toMatchObject({
      request: { method: 'POST', url: 'https://rivierenland.dvza.localhost:8721/oauth/token' },
      response: { status: 0, statusText: 'the server certificate of rivierenland.dvza.localhost was refused: CERT_REVOKED' },
      _error: 'CERT_REVOKED',
    });
    // Plain HTTP where the hop was plain (the PKI repository); a Location that is no URL, kept as sent.
    const [crl] = toHar(
      [
        event({
          seq: 1,
          kind: 'http',
          side: 'server',
          reportedBy: 'pki.localhost',
          from: 'curl',
          to: 'pki.localhost',
          method: 'GET',
          url: '/crl/root.crl',
          origin: 'http://pki.localhost:8701',
          status: 302,
          responseHeaders: { location: 'http://[x' },
        }),
      ],
      '0.1.0',
    ).log.entries;
    expect(crl).toMatchObject({ request: { url: 'http://pki.localhost:8701/crl/root.crl' }, response: { redirectURL: 'http://[x' } });
  });

  describe('in causal order', () => {
    // A PGO callback as the bus numbers its reports (by ending): the token request and its decision end first.
    const iso = (ms: number) => new Date(Date.UTC(2026, 11, 5, 6, 0, 0, ms)).toISOString();
    const flow: TraceEvent[] = [
      event({
        seq: 1,
        kind: 'decision',
        reportedBy: 'dekroon.dvza.localhost',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        reason: 'code redeemed',
        id: 'd',
        cause: 'ts',
        start: iso(30),
        end: iso(30),
      }),
      event({
        seq: 2,
        kind: 'http',
        side: 'server',
        reportedBy: 'dekroon.dvza.localhost',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        method: 'POST',
        url: '/oauth/token',
        status: 200,
        id: 'ts',
        cause: 'tc',
        start: iso(20),
        end: iso(35),
      }),
      event({
        seq: 3,
        kind: 'http',
        side: 'client',
        reportedBy: 'pgo.localhost',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        method: 'POST',
        url: '/oauth/token',
        status: 200,
        id: 'tc',
        cause: 'cb',
        start: iso(10),
        end: iso(40),
      }),
      event({
        seq: 4,
        kind: 'http',
        side: 'client',
        reportedBy: 'pgo.localhost',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        method: 'GET',
        url: '/fhir/Patient',
        status: 200,
        id: 'f',
        cause: 'cb',
        start: iso(50),
        end: iso(70),
      }),
      event({
        seq: 5,
        kind: 'http',
        side: 'server',
        reportedBy: 'pgo.localhost',
        from: 'browser',
        to: 'pgo.localhost',
        method: 'GET',
        url: '/oauth/callback?code=x',
        status: 302,
        id: 'cb',
        start: iso(0),
        end: iso(80),
      }),
    ];

    it('Mermaid: the request, what the callee did while serving it, then its answer', () => {
      expect(toMermaid(flow)).toBe(
        [
          'sequenceDiagram',
          '  participant P0 as browser',
          '  participant P1 as pgo.localhost',
          '  participant P2 as dekroon.dvza.localhost',
          '  P0->>+P1: GET /oauth/callback',
          '  P1->>+P2: POST /oauth/token',
          '  Note over P2: code redeemed',
          '  P2-->>-P1: 200',
          '  P1->>P2: GET /fhir/Patient',
          '  P2-->>P1: 200',
          '  P1-->>-P0: 302',
          '',
        ].join('\n'),
      );
    });

    it('HAR: entries in start order, startedDateTime the real start, time from start to end', () => {
      const entries = toHar(flow, '0.1.0').log.entries;
      expect(entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`)).toEqual([
        'GET /oauth/callback',
        'POST /oauth/token',
        'GET /fhir/Patient',
      ]);
      expect(entries.map((e) => [e.startedDateTime, e.time, e._cause])).toEqual([
        [iso(0), 80, undefined],
        [iso(10), 30, 'cb'],
        [iso(50), 20, 'cb'],
      ]);
      expect(entries[0]).toMatchObject({ _sandboxTime: START, _id: 'cb' });
    });
  });
});
