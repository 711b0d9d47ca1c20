/**
 * When a consumer fetches: never per request (a flow judges the lists held on the sandbox clock now), on a notice
 * of the stelselnode, and as a fallback once a poll interval of sandbox time passed. Against a counting server
 * over real HTTPS; every wait is for the consumer's own decisions on the trace.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, type TraceEvent } from '@medmij-sandbox/network';
import { freePort, tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { ListConsumer, ListUnusableError } from './consumer.js';
import { listKindsOf } from './kinds.js';
import { listToXml } from './xml.js';

describe('when a ListConsumer fetches', () => {
  const START = '2026-11-23T10:00:00Z';
  let clock: SandboxClock;
  let bus: TraceBus;
  let server: RunningListener;
  let pki: SandboxPki;
  let volgnummer = 5;
  /** Every request the stelselnode got: who (User-Agent) and which list. */
  const requests: Array<{ from: string; path: string }> = [];
  const consumers: ListConsumer[] = [];

  beforeAll(async () => {
    clock = SandboxClock.frozenAt(START);
    pki = await SandboxPki.init(join(tempDir(), 'pki'), {
      repositoryUrl: 'http://pki.localhost:8700',
      clock,
      hosts: [{ hostname: 'stelselnode.localhost', organisation: 'Stelselnode', kinds: ['server', 'client'] }],
    });
    server = await listen({
      participant: { id: 'stelselnode', hostname: 'stelselnode.localhost' },
      kind: 'backchannel',
      clientCertificate: 'none',
      port: 0,
      pki,
      bus: new TraceBus(clock),
      clock,
      fetch: (req) => {
        const url = new URL(req.url);
        requests.push({ from: (req.headers.get('user-agent') ?? '').replace('medmij-sandbox/', ''), path: url.pathname });
        // Only the Whitelist is served; the others answer 404 (a refusal decision each: enough to count).
        if (url.pathname !== '/MedMij_Whitelist.xml') return new Response('no such list', { status: 404 });
        return new Response(listToXml({ kind: 'Whitelist', tijdstempel: START, volgnummer, nodes: ['pgo.localhost'] }));
      },
    });
  });
  afterAll(() => server.close());
  afterEach(() => {
    for (const c of consumers.splice(0)) c.stopPolling();
    clock.freeze(START);
    requests.length = 0;
  });

  const make = (participant = 'pgo.localhost', pollTurn?: number) => {
    bus = new TraceBus(clock);
    const c = new ListConsumer({ stelselnodeUrl: server.url, participant, pki, clock, bus, ...(pollTurn !== undefined ? { pollTurn } : {}) });
    consumers.push(c);
    return c;
  };
  /** Resolves once `n` more list decisions are on the trace (the consumer's own, not a timer). */
  const decisions = (n: number, on = () => bus): Promise<TraceEvent[]> =>
    new Promise((resolve) => {
      const seen: TraceEvent[] = [];
      const off = on().subscribe((e) => {
        if (e.kind !== 'decision' || e.ruleId === 'lists.notice.received') return;
        seen.push(e);
        if (seen.length === n) {
          off();
          resolve(seen);
        }
      });
    });
  const all = listKindsOf('1.5').length;

  it('judges a held list on the sandbox clock now, without fetching: stale after a jump, then expired', async () => {
    const c = make();
    await c.refresh(['Whitelist']);
    expect(requests).toHaveLength(1);
    clock.shift('3h');
    expect(c.state('Whitelist')).toMatchObject({ status: 'stale', ageMs: 3 * 3_600_000 });
    expect(c.require('Whitelist').volgnummer).toBe(5);
    expect(bus.events().at(-1)).toMatchObject({ outcome: 'warning', ruleId: 'lists.age.stale' });
    clock.shift('22h');
    expect(() => c.require('Whitelist')).toThrow(ListUnusableError);
    expect(c.state('Whitelist').status).toBe('expired');
    // Not polling: nothing but the one refresh ever fetched.
    expect(requests).toHaveLength(1);
  });

  it('polls once a poll interval of sandbox time passed: at once after a jump, never while the clock stands still', async () => {
    const c = make();
    await c.refresh(['Whitelist']);
    c.startPolling(30_000);
    clock.shift('10s');
    expect(c.pollDue()).toBe(false);
    // Whatever a clock move starts, starts in a microtask: after a turn of the event loop nothing was fetched.
    await new Promise((r) => setImmediate(r));
    expect(requests).toHaveLength(1);

    const polled = decisions(all);
    clock.shift('25s');
    expect(c.pollDue()).toBe(true);
    // A second move while that poll is queued asks for no second one.
    clock.shift('1s');
    expect((await polled).map((e) => e.reason)[2]).toBe('Whitelist unchanged (Volgnummer 5)');
    expect(requests).toHaveLength(1 + all);
    expect(c.pollDue()).toBe(false);
    expect(c.fetches).toBe(2);

    // The clock put back before the last fetch: due at once too (the stelselnode republishes for it).
    const back = decisions(all);
    clock.shift('-1h');
    await back;
    expect(requests).toHaveLength(1 + 2 * all);
    expect(c.fetches).toBe(3);
  });

  it('takes turns: two refreshes at once take a new list once', async () => {
    const c = make();
    await c.refresh(['Whitelist']);
    volgnummer = 6;
    await Promise.all([c.refresh(['Whitelist']), c.refresh(['Whitelist'])]);
    expect(
      bus
        .events((e) => e.kind === 'decision')
        .slice(-2)
        .map((e) => e.reason),
    ).toEqual(['accepted Whitelist Volgnummer 6 (was 5), valid against the official schema', 'Whitelist unchanged (Volgnummer 6)']);
  });

  it('on a notice: says who announced what, then fetches the named lists only, checked as any list', async () => {
    const c = make();
    volgnummer = 7;
    const states = await c.noticed('stelselnode.localhost', [{ kind: 'Whitelist', volgnummer: 7 }]);
    expect(states).toMatchObject([{ kind: 'Whitelist', status: 'fresh', volgnummer: 7 }]);
    expect(requests.map((r) => r.path)).toEqual(['/MedMij_Whitelist.xml']);
    expect(bus.events((e) => e.kind === 'decision').map((e) => [e.ruleId, e.from])).toEqual([
      ['lists.notice.received', 'stelselnode.localhost'],
      ['lists.validate.accepted', 'pgo.localhost'],
    ]);
    // The notice is no content: one naming a Volgnummer that is not served changes nothing of what is held.
    await c.noticed('stelselnode.localhost', [{ kind: 'Whitelist', volgnummer: 99 }]);
    expect(c.current('Whitelist')!.volgnummer).toBe(7);
    expect(bus.events().at(-1)!.reason).toBe('Whitelist unchanged (Volgnummer 7)');
  });

  it('polls that one clock move makes due take turns by pollTurn, then hostname: the same order on every run', async () => {
    const shared = new TraceBus(clock);
    const started = [
      ['dekroon.dvza.localhost', 1],
      ['pgo.localhost', 0],
      ['deboog.dvza.localhost', 1],
    ] as const;
    for (const [host, turn] of started) {
      const c = new ListConsumer({ stelselnodeUrl: server.url, participant: host, pki, clock, bus: shared, pollTurn: turn });
      consumers.push(c);
      c.startPolling(30_000);
    }
    const polled = decisions(3 * all, () => shared);
    clock.shift('1m');
    await polled;
    expect([...new Set(requests.map((r) => r.from))]).toEqual(['pgo.localhost', 'deboog.dvza.localhost', 'dekroon.dvza.localhost']);
    // One after the other, never interleaved.
    expect(requests.map((r) => r.from)).toEqual(['pgo.localhost', 'deboog.dvza.localhost', 'dekroon.dvza.localhost'].flatMap((h) => Array(all).fill(h)));
  });

  it('a stelselnode not up yet when the consumer starts: tried again on real time until it answers, the sandbox clock frozen', async () => {
    const port = await freePort();
    bus = new TraceBus(clock);
    const c = new ListConsumer({
      stelselnodeUrl: `https://stelselnode.localhost:${port}`,
      participant: 'tvs.localhost',
      pki,
      clock,
      bus,
      reads: ['Whitelist'],
    });
    consumers.push(c);
    const unreachable = decisions(1);
    await c.refresh();
    expect((await unreachable)[0]).toMatchObject({ outcome: 'refused', ruleId: 'lists.fetch.unreachable' });
    c.startPolling(30_000);
    // Up later, on the port the consumer was told: it fetches the Whitelist it reads, and nothing else.
    const accepted = new Promise<TraceEvent>((resolve) => bus.subscribe((e) => e.ruleId === 'lists.validate.accepted' && resolve(e)));
    const late = await listen({
      participant: { id: 'stelselnode', hostname: 'stelselnode.localhost' },
      kind: 'backchannel',
      clientCertificate: 'none',
      port,
      pki,
      bus: new TraceBus(clock),
      clock,
      fetch: (req) => {
        requests.push({ from: 'late', path: new URL(req.url).pathname });
        return new Response(listToXml({ kind: 'Whitelist', tijdstempel: START, volgnummer, nodes: ['pgo.localhost'] }));
      },
    });
    try {
      expect(await accepted).toMatchObject({ reportedBy: 'tvs.localhost', params: { kind: 'Whitelist' } });
      expect(c.require('Whitelist').nodes).toEqual(['pgo.localhost']);
      expect(requests.map((r) => r.path)).toEqual(['/MedMij_Whitelist.xml']);
      expect(clock.now().toISOString()).toBe(new Date(START).toISOString());
    } finally {
      await late.close();
    }
  });
});
