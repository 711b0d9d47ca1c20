/** A trace from a file: the console's JSON export, trace.jsonl, a golden trace; a wrong file says what is wrong. */
import { describe, expect, it } from 'vitest';
import { parseTraceFile } from '../src/trace-file.ts';
import { flowEvents } from './trace-fixture.ts';

describe('a trace from a file', () => {
  const events = flowEvents();

  it('reads the events of a JSON export, of GET /api/trace and of trace.jsonl as they are', () => {
    expect(parseTraceFile(JSON.stringify(events), 'trace.json')).toEqual({ events, kind: 'events' });
    expect(parseTraceFile(JSON.stringify({ events }), 'api.json')).toEqual({ events, kind: 'events' });
    expect(parseTraceFile(events.map((e) => JSON.stringify(e)).join('\n') + '\n', 'trace.jsonl')).toEqual({ events, kind: 'events' });
  });

  it('numbers a golden trace in its order, its path and verdict where events keep them', () => {
    const golden = [
      {
        kind: 'http',
        reportedBy: 'dekroon.dvza.localhost',
        side: 'server',
        from: 'browser',
        to: 'dekroon.dvza.localhost',
        method: 'GET',
        path: '/oauth/authorize',
        status: 200,
        outcome: 'ok',
      },
      { kind: 'tls', reportedBy: 'pgo.localhost', from: 'pgo.localhost', to: 'dekroon.dvza.localhost', verdict: 'CERT_REVOKED', outcome: 'refused' },
    ];
    const read = parseTraceFile(JSON.stringify(golden), 'happy-path-bgz.json');
    expect(read).toMatchObject({
      kind: 'golden',
      events: [
        { seq: 1, at: '', url: '/oauth/authorize', method: 'GET', status: 200 },
        { seq: 2, at: '', tls: { verdict: 'CERT_REVOKED' } },
      ],
    });
    expect('events' in read && read.events[0]).not.toHaveProperty('path');
  });

  it('names the file and the entry when it is no trace', () => {
    expect(parseTraceFile('<html>', 'page.html')).toMatchObject({ error: { nl: expect.stringMatching(/^page\.html is geen trace: geen JSON-lijst/) } });
    expect(parseTraceFile('{"a":1}', 'x.json')).toMatchObject({
      error: { en: 'x.json is not a trace: neither a JSON list nor JSON lines (JSON, but no list).' },
    });
    expect(parseTraceFile('[]', 'x.json')).toEqual({ error: { nl: 'x.json bevat geen gebeurtenissen.', en: 'x.json holds no events.' } });
    expect(parseTraceFile(JSON.stringify([{ kind: 'http', reportedBy: 'a', from: 'a', to: 'b' }]), 'x.json')).toEqual({
      error: { nl: "x.json, gebeurtenis 1: het veld 'outcome' ontbreekt.", en: "x.json, event 1: the field 'outcome' is missing." },
    });
    expect(parseTraceFile(JSON.stringify([{ kind: 'smtp', reportedBy: 'a', from: 'a', to: 'b', outcome: 'ok' }]), 'x.json')).toMatchObject({
      error: { en: "x.json, event 1: kind 'smtp' is not http, tls or decision." },
    });
    expect(parseTraceFile('[1]', 'x.json')).toMatchObject({ error: { en: 'x.json, event 1: not an object.' } });
  });
});
