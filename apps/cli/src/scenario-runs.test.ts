/** A live run's wait for the list consumers after a reset, on a trace bus of its own (no network needed). */
import { describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, defaultTopologyPath, loadTopology } from '@medmij-sandbox/network';
import { LISTS, STELSELNODE, because, nest, said } from '@medmij-sandbox/rules';
import { consumersCatchUp } from './scenario-runs.js';

const topology = loadTopology(defaultTopologyPath());
const consumers = topology.participants.filter((p) => p.role === 'pgo' || p.role === 'dvza').map((p) => p.hostname);

function published(bus: TraceBus, kind: string, volgnummer: number) {
  // As the stelselnode reports it: its "changed" decision with the publication nested as `what`.
  const what = said(STELSELNODE.published, { kind, volgnummer, ...nest('why', said(STELSELNODE.why.reset, {})) });
  bus.emit({
    reportedBy: 'stelselnode.localhost',
    from: 'stelselnode.localhost',
    to: 'stelselnode.localhost',
    kind: 'decision',
    outcome: 'ok',
    ...because(STELSELNODE.changed, nest('what', what)),
  });
}

function accepted(bus: TraceBus, host: string, kind: string, volgnummer: number) {
  const p = { kind, volgnummer, was: volgnummer - 1, missed: 0, variant: 'sandbox', status: 'fresh', tijdstempel: '2026-06-01T08:00:00Z' };
  bus.emit({ reportedBy: host, from: host, to: host, kind: 'decision', outcome: 'ok', ...because(LISTS.accepted, p) });
}

describe('a live reset waits for the list consumers', () => {
  it('waits for nothing when the reset republished nothing', async () => {
    const bus = new TraceBus(SandboxClock.frozenAt('2026-06-01T08:00:00Z'));
    expect(await consumersCatchUp(topology, bus, 0)).toBeUndefined();
  });

  it('is done once every running consumer reported the republished Volgnummer, and names who stays behind', async () => {
    const bus = new TraceBus(SandboxClock.frozenAt('2026-06-01T08:00:00Z'));
    for (const host of consumers) accepted(bus, host, 'Zorgaanbiederslijst', 1);
    const since = bus.events().at(-1)!.seq;
    published(bus, 'Zorgaanbiederslijst', 2);
    // All but the last take it: the last is named after the (here short) bound, and then no longer waited for.
    for (const host of consumers.slice(0, -1)) accepted(bus, host, 'Zorgaanbiederslijst', 2);
    const late = consumers.at(-1)!;
    const waited = await consumersCatchUp(topology, bus, since, { timeoutMs: 300 });
    expect(waited?.behind).toEqual([late]);
    expect(waited?.warning).toContain(`${late} (Zorgaanbiederslijst 2)`);
    expect((await consumersCatchUp(topology, bus, since, { timeoutMs: 60_000, ignore: new Set([late]) }))?.behind).toEqual([]);
    // Once it reports the new list, nobody is behind (an answer as soon as the trace says so, not after the bound).
    accepted(bus, late, 'Zorgaanbiederslijst', 2);
    expect((await consumersCatchUp(topology, bus, since, { timeoutMs: 60_000 }))?.behind).toEqual([]);
  });

  it('does not wait for a consumer that never reported anything (it does not run)', async () => {
    const bus = new TraceBus(SandboxClock.frozenAt('2026-06-01T08:00:00Z'));
    accepted(bus, consumers[0]!, 'Whitelist', 1);
    published(bus, 'Whitelist', 2);
    const since = 1;
    accepted(bus, consumers[0]!, 'Whitelist', 2);
    expect((await consumersCatchUp(topology, bus, since, { timeoutMs: 60_000 }))?.behind).toEqual([]);
  });
});
