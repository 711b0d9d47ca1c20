import { describe, expect, it } from 'vitest';
import { buildDiagram, counterpartOf, httpLabel, lanesOf, traceIdsOf, visibleEvents } from '../src/sequence.ts';
import { TRACE_ID, flowEvents } from './trace-fixture.ts';

describe('sequence diagram model', () => {
  const events = flowEvents();

  it('keeps the caller’s report of a hop, and the callee’s only when the caller does not report', () => {
    const shown = visibleEvents(events);
    const token = shown.filter((e) => e.url === '/oauth/token');
    expect(token.map((e) => e.side)).toEqual(['client']);
    // The browser and curl do not report: their hops come from the server side.
    expect(shown.some((e) => e.from === 'browser' && e.url?.startsWith('/oauth/authorize'))).toBe(true);
    expect(shown.some((e) => e.from === 'curl')).toBe(true);
    // The PKI's report of the CRL download by the PGO is a duplicate of the PGO's own.
    expect(shown.filter((e) => e.url === '/crl/private-services.crl').map((e) => e.reportedBy)).toEqual(['pgo.localhost']);
  });

  it('filters by flow, hides decisions and the app’s own API calls on request', () => {
    expect(visibleEvents(events, { traceId: TRACE_ID, inferBrowserHops: false }).every((e) => e.traceId === TRACE_ID)).toBe(true);
    expect(visibleEvents(events, { hideDecisions: true }).some((e) => e.kind === 'decision')).toBe(false);
    const ui = visibleEvents(events, { hideUiTraffic: true });
    expect(ui.some((e) => e.url === '/api/session')).toBe(false);
    expect(ui.some((e) => e.url === '/api/collect')).toBe(true); // part of the flow: it has a traceId
  });

  it('adds the browser’s untagged hops to a flow while it runs, to the flow’s hosts', () => {
    const shown = visibleEvents(events, { traceId: TRACE_ID, hideUiTraffic: true });
    expect(shown.some((e) => e.url === '/oauth/consent')).toBe(true); // during the flow, to its DVZA
    expect(shown.some((e) => e.url === '/later')).toBe(false); // after another flow started
    expect(shown.some((e) => e.url === '/api/session')).toBe(false); // the app's own call
    const consent = buildDiagram(shown, TRACE_ID).rows.find((r) => r.event.url === '/oauth/consent')!;
    expect(consent.inferred).toBe(true);
  });

  it('orders lanes Browser, PGO, Stelselnode, DVZAs, TVS, PKI, then unknown hosts', () => {
    const lanes = lanesOf(visibleEvents(events));
    expect(lanes.map((l) => l.label)).toEqual([
      'Browser',
      'PGO',
      'Stelselnode',
      'DVZA dekroon',
      'DVZA rivierenland',
      'DVZA deboog',
      'TVS (DigiD)',
      'PKI',
      'curl',
    ]);
  });

  it('draws hops as arrows in their direction and decisions as notes on the reporter’s lane', () => {
    const { lanes, rows } = buildDiagram(visibleEvents(events, { traceId: TRACE_ID }));
    const token = rows.find((r) => r.event.url === '/oauth/token')!;
    expect(token.shape).toBe('arrow');
    expect(lanes[token.from]!.label).toBe('PGO');
    expect(lanes[token.to]!.label).toBe('DVZA dekroon');
    expect(token.label).toBe('POST /oauth/token → 200');
    const decision = rows.find((r) => r.event.kind === 'decision' && r.event.outcome === 'warning')!;
    expect(decision.shape).toBe('note');
    expect(lanes[decision.from]!.label).toBe('DVZA dekroon');
    expect(decision.tone).toBe('warn');
    const revoked = rows.find((r) => r.event.kind === 'tls')!;
    expect(revoked.tone).toBe('bad');
    expect(revoked.label).toContain('CERT_REVOKED');
    const authorize = rows.find((r) => r.event.url?.startsWith('/oauth/authorize'))!;
    expect(authorize.label).toBe('GET /oauth/authorize → 302');
    expect(authorize.query).toBe('?client_id=pgo.localhost&scope=1');
  });

  it('finds the other side of a hop for the details pane', () => {
    const client = events.find((e) => e.url === '/oauth/token' && e.side === 'client')!;
    expect(counterpartOf(client, events)?.side).toBe('server');
    expect(httpLabel({ ...client, status: undefined })).toBe('POST /oauth/token → ✕');
  });

  it('lists the flows newest first', () => {
    expect(traceIdsOf(events).map((f) => f.traceId)).toEqual(['trace-other', TRACE_ID]);
    expect(traceIdsOf(events)[1]!.dvza).toBe('DVZA dekroon');
  });
});
