/**
 * The PGO's callback against an answer of another authorization server (RFC 9207 mix-up): the issuer the answer
 * names must be the DVZA the browser was sent to. A unit test on the Collector with the lists given; the answer
 * is refused before any code is redeemed, so no back-channel hop is made.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { Collector } from './collector.js';
import type { PgoLists } from './pgo-lists.js';

const NOW = '2026-06-01T10:00:00.000Z';
const DVZA = 'https://dekroon.dvza.localhost:8720';
const entry = {
  gegevensdienstId: '48',
  authorizationEndpointUri: `${DVZA}/oauth/authorize`,
  tokenEndpointUri: 'https://dekroon.dvza.localhost:8721/oauth/token',
  systeemrollen: [{ systeemrolcode: 'MM-2.1-BZB-FHIR', resourceEndpointUri: 'https://dekroon.dvza.localhost:8721/fhir' }],
};
const list = (kind: string) =>
  ({
    Zorgaanbiederslijst: { volgnummer: 1, zorgaanbieders: [{ zorgaanbiedernaam: 'dekroon@medmij', gegevensdiensten: [entry] }] },
    Gegevensdienstnamenlijst: { gegevensdiensten: [{ gegevensdienstId: '48', weergavenaam: 'Verzamelen Basisgegevens zorg 3.0' }] },
    Whitelist: { nodes: ['dekroon.dvza.localhost'] },
  })[kind];
const lists = {
  afsprakenstelsel: '2',
  current: list,
  require: list,
  identifiersOf: () => [],
  refresh: async () => undefined,
  states: () => [],
  startPolling: () => undefined,
  stopPolling: () => undefined,
} as unknown as PgoLists;

describe('the PGO checks the issuer of the answer (RFC 9207)', () => {
  let clock: SandboxClock;
  let bus: TraceBus;
  let collector: Collector;
  const streams = new Map<string, ReturnType<SeededRandom['stream']>>();
  const start = async () => {
    const started = await collector.start('demo', 'dekroon@medmij', '48');
    if (!('authorizeUrl' in started)) throw new Error('the PGO did not start');
    return new URL(started.authorizeUrl).searchParams.get('state')!;
  };

  beforeEach(() => {
    clock = SandboxClock.frozenAt(NOW);
    bus = new TraceBus(clock);
    streams.clear();
    collector = new Collector(collectorOptions());
  });
  const collectorOptions = (): ConstructorParameters<typeof Collector>[0] => ({
    hostname: 'pgo.localhost',
    redirectUri: 'https://pgo.localhost:8750/oauth/callback',
    lists,
    // Never used: every answer here is refused before the token request.
    pki: undefined as unknown as SandboxPki,
    clock,
    bus,
    random: (purpose) => streams.get(purpose) ?? streams.set(purpose, new SeededRandom('unit').stream(purpose)).get(purpose)!,
    gegevensdienstKey: () => 'bgz',
    directory: new Map(),
    storeDir: tempDir(),
  });

  it('an answer naming another issuer is refused, bilingually, and its code is not redeemed', async () => {
    const state = await start();
    const collection = await collector.callback('demo', new URLSearchParams({ code: 'c', state, iss: 'https://elders.dvza.localhost' }));
    expect(collection).toMatchObject({
      status: 'refused',
      refusal: {
        code: 'issuer_mismatch',
        step: 'callback',
        title: { nl: 'Antwoord van een andere zorgaanbieder', en: 'An answer from another care provider' },
        detail: `iss https://elders.dvza.localhost is not ${DVZA}`,
      },
    });
    expect(collection.refusal!.explanation.nl).toContain('RFC 9207');
    const decision = bus.events((e) => e.kind === 'decision').at(-1)!;
    expect(decision).toMatchObject({ outcome: 'refused', ruleId: 'pgo.callback.issuer-mismatch' });
    expect(bus.events((e) => e.kind === 'http')).toEqual([]);
    // The flow is over: the same state does not count twice.
    expect((await collector.callback('demo', new URLSearchParams({ error: 'access_denied', state, iss: DVZA }))).refusal?.code).toBe('state_mismatch');
  });

  it('an error answer also counts only from its own issuer; with the right one (or none) it reads as the DVZA said it', async () => {
    const wrong = await collector.callback(
      'demo',
      new URLSearchParams({ error: 'access_denied', state: await start(), iss: 'https://dekroon.dvza.localhost' }),
    );
    expect(wrong.refusal?.code).toBe('issuer_mismatch');
    const right = await collector.callback('demo', new URLSearchParams({ error: 'invalid_request', state: await start(), iss: DVZA }));
    expect(right.refusal?.code).toBe('invalid_request');
    const none = await collector.callback('demo', new URLSearchParams({ error: 'invalid_request', state: await start() }));
    expect(none.refusal?.code).toBe('invalid_request');
  });

  it("from a DVZA known to send iss (the sandbox's own), an answer without it is refused (RFC 9207 §2.4)", async () => {
    const strict = new Collector({ ...collectorOptions(), sendsIss: (issuer) => issuer === DVZA });
    const begin = async () => {
      const started = await strict.start('demo', 'dekroon@medmij', '48');
      if (!('authorizeUrl' in started)) throw new Error('the PGO did not start');
      return new URL(started.authorizeUrl).searchParams.get('state')!;
    };
    const collection = await strict.callback('demo', new URLSearchParams({ code: 'c', state: await begin() }));
    expect(collection).toMatchObject({
      status: 'refused',
      refusal: { code: 'issuer_missing', step: 'callback', title: { nl: 'Antwoord zonder afzender', en: 'An answer without its sender' } },
    });
    expect(bus.events((e) => e.kind === 'decision').at(-1)).toMatchObject({ outcome: 'refused', ruleId: 'pgo.callback.issuer-missing' });
    expect(bus.events((e) => e.kind === 'http')).toEqual([]);
    // With its iss it goes on as before (here: the DVZA's error, read as it said it).
    expect((await strict.callback('demo', new URLSearchParams({ error: 'invalid_request', state: await begin(), iss: DVZA }))).refusal?.code).toBe(
      'invalid_request',
    );
  });
});

describe('answers that belong to no request (a forged link to the redirect_uri)', () => {
  const streams = new Map<string, ReturnType<SeededRandom['stream']>>();
  const clock = SandboxClock.frozenAt(NOW);
  const collector = new Collector({
    hostname: 'pgo.localhost',
    redirectUri: 'https://pgo.localhost:8750/oauth/callback',
    lists,
    pki: undefined as unknown as SandboxPki,
    clock,
    bus: new TraceBus(clock),
    random: (purpose) => streams.get(purpose) ?? streams.set(purpose, new SeededRandom('unit').stream(purpose)).get(purpose)!,
    gegevensdienstKey: () => 'bgz',
    directory: new Map(),
    storeDir: tempDir(),
  });

  it("fill no person's list: the newest 20 are kept, their made-up state shortened, real collections untouched", async () => {
    const started = await collector.start('demo', 'dekroon@medmij', '48');
    if (!('authorizeUrl' in started)) throw new Error('the PGO did not start');
    // The sandbox clock stands still: the newest are the last saved.
    for (let i = 0; i < 25; i++) {
      await collector.callback('demo', new URLSearchParams({ code: 'c', state: `forged-${String(i).padStart(2, '0')}-${'x'.repeat(200)}` }));
    }
    const all = collector.list('demo');
    const forged = all.filter((c) => c.refusal?.code === 'state_mismatch');
    expect(forged).toHaveLength(20);
    // The newest stay; the text shown is at most 40 characters of the state.
    expect(forged.map((c) => /forged-(\d+)/.exec(c.refusal!.detail!)![1]).sort()).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 5).padStart(2, '0')));
    expect(forged.map((c) => c.refusal!.detail)).toContain(`state 'forged-24-${'x'.repeat(30)}…' was not issued by this PGO for this user`);
    // The collection the person started is still there.
    expect(all.some((c) => c.id === started.collection.id)).toBe(true);
  });
});
