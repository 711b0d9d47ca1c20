/**
 * The trace in causal order, on a real BgZ collection (issue 17): the bus numbers reports as hops *end*, so the
 * PGO's `GET /oauth/callback` (which makes the token request and the FHIR queries before it answers) comes last
 * in seq order. Every view orders by cause instead — the inspector's diagram model (sequence.ts), Mermaid and
 * HAR: the callback before its token request before the FHIR queries, each effect nested under its cause, and
 * the DVZA's decisions under the PGO's report of the request they answer (through the DVZA's own report, which
 * the views hide, via `traceparent`).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  TraceBus,
  gegevensdienstOf,
  participantsByRole,
  sandboxPaths,
  toHar,
  toMermaid,
  type TraceEvent,
  type Topology,
} from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import type { RunningListener } from '@medmij-sandbox/transport';
import { HeadlessBrowser, walkThroughFlow } from '@medmij-sandbox/scenario';
import { generatePersonas, personaSetOf } from '@medmij-sandbox/fhir-data';
import { PGO_PATHS, type Collection, type SessionInfo } from '@medmij-sandbox/pgo-api';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';
// The inspector's own diagram model: the web UI's pure functions, run here on the real trace.
import { buildDiagram, visibleEvents } from '../../../apps/console/ui/src/sequence.js';

const DAY = '2026-06-01';

describe('the trace in causal order (a real BgZ collection, afsprakenstelsel 2)', () => {
  const clock = SandboxClock.frozenAt(`${DAY}T10:00:00Z`);
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let topology: Topology;
  let flow: TraceEvent[];
  let all: TraceEvent[];

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel: '2' }));
    const pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, paths: sandboxPaths(dir), pki, clock, bus };
    listeners.push(...(await startStelselnode({ ...ctx, participant: participantsByRole(topology, 'stelselnode')[0]! })));
    listeners.push(...(await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! })));
    for (const dvza of participantsByRole(topology, 'dvza')) listeners.push(...(await startDvza({ ...ctx, participant: dvza })));
    listeners.push(...(await startPgo({ ...ctx, participant: participantsByRole(topology, 'pgo')[0]! })));
    const pgoUrl = listeners.at(-1)!.url;

    const browser = new HeadlessBrowser({ pki, clock });
    const session = (await browser.request(`${pgoUrl}/api/session`)).json<SessionInfo>();
    expect((await browser.request(`${pgoUrl}/api/login`, { json: { username: 'demo', password: 'sandbox', totp: session.demoTotp.demo!.code } })).status).toBe(
      200,
    );
    const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
    const persona = generatePersonas(personaSetOf(topology, DAY)).find((p) => p.tags.includes('several-providers'))!;
    const bgz = gegevensdienstOf(topology, 'bgz')!.id;
    const started = await browser.request(`${pgoUrl}/api/collect`, { json: { zorgaanbiedernaam: dekroon.zorgaanbiedernaam, gegevensdienstId: bgz } });
    expect(started.status, started.text()).toBe(200);
    const { authorizeUrl, collectionId } = started.json<{ authorizeUrl: string; collectionId: string }>();
    await walkThroughFlow(browser, {
      authorizeUrl,
      redirectUri: `${pgoUrl}${PGO_PATHS.callback}`,
      choices: { bsn: persona.bsn, login: 'success', level: 'substantieel', consent: 'ja', gegevensdiensten: [bgz], longLived: false },
      stopAtCallback: false,
    });
    const collection = (await browser.request(`${pgoUrl}/api/collections/${collectionId}`)).json<Collection>();
    expect(collection.status).toBe('collected');
    all = bus.events();
    const traceId = all.find((e) => e.url?.startsWith('/oauth/token') && e.traceId)!.traceId!;
    flow = visibleEvents(all, { traceId, hideUiTraffic: true });
  });
  afterAll(() => Promise.all(listeners.map((l) => l.close())));

  const isCallback = (e: TraceEvent) => e.kind === 'http' && e.url?.startsWith(PGO_PATHS.callback) === true;
  const isToken = (e: TraceEvent) => e.kind === 'http' && e.side === 'client' && e.url === '/oauth/token';
  const isFhir = (e: TraceEvent) => e.kind === 'http' && e.side === 'client' && (e.url ?? '').startsWith('/fhir/');

  it('the reports end effects first (the reason for all this): the callback ends after its token request and FHIR queries', () => {
    const callback = all.find(isCallback)!;
    expect(all.find(isToken)!.seq).toBeLessThan(callback.seq);
    expect(all.filter(isFhir).at(-1)!.seq).toBeLessThan(callback.seq);
  });

  it("the inspector's diagram model: the callback, then its token request, then the FHIR queries, nested under it", () => {
    const { rows } = buildDiagram(flow, undefined, all);
    const at = (test: (e: TraceEvent) => boolean) => rows.findIndex((r) => test(r.event));
    const fhirRows = rows.filter((r) => isFhir(r.event));
    expect(fhirRows.length).toBeGreaterThan(5);
    expect(at(isCallback)).toBeGreaterThanOrEqual(0);
    expect(at(isCallback)).toBeLessThan(at(isToken));
    expect(at(isToken)).toBeLessThan(rows.indexOf(fhirRows[0]!));
    const callbackDepth = rows[at(isCallback)]!.depth;
    expect(rows[at(isToken)]!.depth).toBe(callbackDepth + 1);
    for (const r of fhirRows) expect(r.depth).toBe(callbackDepth + 1);
    // The DVZA's decision to issue the token sits under the PGO's token request (its own report is hidden).
    const issued = rows.findIndex(
      (r) => r.event.kind === 'decision' && r.event.reportedBy === 'dekroon.dvza.localhost' && r.event.cause !== undefined && r.depth === callbackDepth + 2,
    );
    expect(issued).toBeGreaterThan(at(isToken));
    expect(issued).toBeLessThan(rows.indexOf(fhirRows[0]!));
    // Every FHIR query in the order it started.
    const starts = fhirRows.map((r) => r.event.start!);
    expect(starts).toEqual([...starts].sort());
  });

  it('Mermaid: the callback request, then the token request and the FHIR queries, then the callback answer', () => {
    const lines = toMermaid(all).split('\n');
    const callbackIn = lines.findIndex((l) => l.endsWith(' GET /oauth/callback'));
    const [, browser, pgo] = /^\s+(P\d+)->>\+(P\d+): GET \/oauth\/callback$/.exec(lines[callbackIn] ?? '') ?? [];
    // The PGO is active while it serves the callback: its answer comes after everything it did meanwhile.
    expect(browser && pgo, lines[callbackIn]).toBeTruthy();
    const callbackOut = lines.findIndex((l, i) => i > callbackIn && l.trim() === `${pgo}-->>-${browser}: 302`);
    const tokenIn = lines.findIndex((l, i) => i > callbackIn && l.endsWith(' POST /oauth/token'));
    const firstFhir = lines.findIndex((l, i) => i > callbackIn && / GET \/fhir\//.test(l));
    expect([callbackIn < tokenIn, tokenIn < firstFhir, firstFhir < callbackOut]).toEqual([true, true, true]);
  });

  it('HAR: the callback entry first, startedDateTime its real start, the token request and FHIR queries after it', () => {
    const entries = toHar(flow, 'test').log.entries;
    const paths = entries.map((e) => new URL(e.request.url).pathname);
    const callback = paths.indexOf(PGO_PATHS.callback);
    const token = paths.indexOf('/oauth/token');
    const fhir = paths.findIndex((p) => p.startsWith('/fhir/'));
    expect([callback >= 0, callback < token, token < fhir]).toEqual([true, true, true]);
    const started = entries.map((e) => e.startedDateTime);
    expect(started).toEqual([...started].sort());
    // The callback lasted at least as long as the token request it waited for (real time, not the frozen clock).
    expect(entries[callback]!.time).toBeGreaterThanOrEqual(entries[token]!.time);
    expect(entries[token]!._cause).toBe(entries[callback]!._id);
  });
});
