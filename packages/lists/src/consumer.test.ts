/**
 * Consumer rules that the real stelselnode never breaks, proven against a hand-made hostile server
 * over real HTTPS: content changed without a new Volgnummer, XXE served over the network, and a list of the other
 * afsprakenstelsel.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, defaultTopologyPath, loadTopology, type Afsprakenstelsel } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { LISTS_RESET_HEADER, ListConsumer } from './consumer.js';
import { listsFromTopology } from './generate.js';
import { listFileName, listKindsOf, namespaceOf, type AnyListKind } from './kinds.js';
import type { AnyMedMijList } from './model.js';
import { listToXml } from './xml.js';

describe('ListConsumer against a hostile stelselnode', () => {
  const clock = SandboxClock.frozenAt('2026-11-23T10:00:00Z');
  const bus = new TraceBus(clock);
  let served = '';
  let server: RunningListener;
  let consumer: ListConsumer;
  let pki: SandboxPki;
  const whitelist = (volgnummer: number, nodes: string[]) => listToXml({ kind: 'Whitelist', tijdstempel: '2026-11-23T09:59:00Z', volgnummer, nodes });
  const last = () => bus.events((e) => e.kind === 'decision').at(-1)!;

  beforeAll(async () => {
    pki = await SandboxPki.init(join(tempDir(), 'pki'), {
      repositoryUrl: 'http://pki.localhost:8700',
      clock,
      hosts: [
        { hostname: 'stelselnode.localhost', organisation: 'Stelselnode', kinds: ['server', 'client'] },
        { hostname: 'pgo.localhost', organisation: 'PGO', kinds: ['server', 'client'] },
      ],
    });
    server = await listen({
      participant: { id: 'stelselnode', hostname: 'stelselnode.localhost' },
      kind: 'backchannel',
      clientCertificate: 'none',
      port: 0,
      pki,
      bus,
      clock,
      fetch: () => new Response(served),
    });
    consumer = new ListConsumer({ stelselnodeUrl: server.url, participant: 'pgo.localhost', pki, clock, bus });
  });
  afterAll(() => server.close());

  it('refuses content that changed without a new Volgnummer', async () => {
    served = whitelist(5, ['pgo.localhost']);
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({ outcome: 'ok', reason: 'accepted Whitelist Volgnummer 5, valid against the official schema' });
    served = whitelist(5, ['pgo.localhost', 'evil.localhost']);
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({
      outcome: 'refused',
      reason: 'Whitelist changed without a new Volgnummer (still 5); keeping Volgnummer 5 (published 2026-11-23T09:59:00Z)',
    });
    expect(consumer.current('Whitelist')!.nodes).toEqual(['pgo.localhost']);
    served = whitelist(5, ['pgo.localhost']);
    await consumer.refresh(['Whitelist']);
    expect(last().reason).toBe('Whitelist unchanged (Volgnummer 5)');
    served = whitelist(8, ['pgo.localhost']);
    await consumer.refresh(['Whitelist']);
    expect(last().reason).toBe('accepted Whitelist Volgnummer 8 (was 5, 2 publication(s) missed), valid against the official schema');
  });

  it('refuses XXE arriving over the network', async () => {
    served = whitelist(9, ['pgo.localhost']).replace('<Whitelist', '<!DOCTYPE Whitelist [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Whitelist');
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({ outcome: 'refused', rule: expect.stringContaining('no DOCTYPE') });
    expect(last().reason).toMatch(/^Whitelist refused: list contains a DOCTYPE or ENTITY declaration/);
    expect(consumer.current('Whitelist')!.volgnummer).toBe(8);
  });

  it('an afsprakenstelsel 2 consumer takes the five 2.x lists and refuses a release2 Zorgaanbiederslijst', async () => {
    const consumer2 = new ListConsumer({ stelselnodeUrl: server.url, participant: 'pgo.localhost', pki, clock, bus, afsprakenstelsel: '2' });
    const topology = loadTopology(defaultTopologyPath(), { env: {} });
    const header = { tijdstempel: '2026-11-23T09:59:00Z', volgnummer: 3 };
    const lists2 = listsFromTopology(topology, new Set(), '2');
    served = listToXml({ ...lists2.Zorgaanbiederskoppellijst, ...header });
    await consumer2.refresh(['Zorgaanbiederskoppellijst']);
    expect(last()).toMatchObject({ outcome: 'ok', reason: "accepted Zorgaanbiederskoppellijst Volgnummer 3, valid against the sandbox's derived 2.x schema" });
    expect(consumer2.require('Zorgaanbiederskoppellijst').zorgaanbieders[0]!.identificerendeKenmerken[0]!.type).toBe('AGB');

    served = listToXml({ ...listsFromTopology(topology).Zorgaanbiederslijst, ...header });
    await consumer2.refresh(['Zorgaanbiederslijst']);
    expect(last().outcome).toBe('refused');
    expect(last().reason).toContain(
      `Zorgaanbiederslijst fails its XSD: expected a release3 Zorgaanbiederslijst (afsprakenstelsel 2) in namespace ${namespaceOf('Zorgaanbiederslijst', '2')}, got a release2 Zorgaanbiederslijst (afsprakenstelsel 1.5) in namespace ${namespaceOf('Zorgaanbiederslijst')}`,
    );
    served = listToXml({ ...lists2.Zorgaanbiederslijst, ...header });
    await consumer2.refresh(['Zorgaanbiederslijst']);
    expect(last()).toMatchObject({
      outcome: 'ok',
      reason: 'accepted Zorgaanbiederslijst Volgnummer 3, valid against the sandbox schema variant (front-channel ports)',
    });
    expect(consumer2.require('Zorgaanbiederslijst').zorgaanbieders[0]!.interfaceversies[0]!.interfaceversieId).toBe('2.0.0');
    expect(consumer2.states().map((st) => [st.kind, st.status])).toEqual([
      ['Zorgaanbiederslijst', 'fresh'],
      ['Zorgaanbiederskoppellijst', 'fresh'],
      ['OAuthclientlist', 'none'],
      ['Whitelist', 'none'],
      ['Gegevensdienstnamenlijst', 'none'],
    ]);
    // The 1.5 consumer still knows four lists.
    expect(consumer.states().map((st) => st.kind)).toEqual(['Zorgaanbiederslijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst']);
  });

  it('refuses a stelselnode whose certificate is not for the hostname called', async () => {
    // The stelselnode's certificate is checked like every back-channel peer's.
    const stranger = new ListConsumer({
      stelselnodeUrl: server.url.replace('stelselnode.localhost', 'localhost'),
      participant: 'pgo.localhost',
      pki,
      clock,
      bus,
    });
    await stranger.refresh(['Whitelist']);
    expect(last().reason).toMatch(/stelselnode unreachable \(refused the server certificate of localhost: ERR_TLS_CERT_ALTNAME_INVALID/);
  });
});

/**
 * The attacks of issue 16 on the consumer, each against a hand-made stelselnode over real HTTPS: a future-dated
 * list that would pin every consumer, Volgnummers beyond 2^53, a namespace prefix, a BOM, and the reset number
 * that lets `lists reset` clear what consumers hold.
 */
describe('ListConsumer hardening', () => {
  const NOW = '2026-11-23T10:00:00Z';
  const clock = SandboxClock.frozenAt(NOW);
  const bus = new TraceBus(clock);
  let server: RunningListener;
  let pki: SandboxPki;
  /** What the hand-made stelselnode serves, by file name; `reset` is its reset number (no header when undefined). */
  const serving = new Map<string, string | Buffer>();
  let reset: string | undefined;
  const last = () => bus.events((e) => e.kind === 'decision').at(-1)!;
  const topologies = {
    '1.5': loadTopology(defaultTopologyPath(), { afsprakenstelsel: '1.5', env: {} }),
    '2': loadTopology(defaultTopologyPath(), { afsprakenstelsel: '2', env: {} }),
  };
  /** A real list of this afsprakenstelsel with this header, as the stelselnode would write it. */
  const list = (afsprakenstelsel: Afsprakenstelsel, kind: AnyListKind, tijdstempel: string, volgnummer: number | string) => {
    const bodies = afsprakenstelsel === '2' ? listsFromTopology(topologies['2'], new Set(), '2') : listsFromTopology(topologies['1.5']);
    const xml = listToXml({ ...(bodies as unknown as Record<string, object>)[kind], tijdstempel, volgnummer: 1 } as AnyMedMijList);
    return xml.replace('<Volgnummer>1</Volgnummer>', `<Volgnummer>${volgnummer}</Volgnummer>`);
  };
  const serve = (kind: AnyListKind, xml: string | Buffer) => serving.set(listFileName(kind), xml);
  const consumerOf = <A extends Afsprakenstelsel>(afsprakenstelsel: A) =>
    new ListConsumer<A>({ stelselnodeUrl: server.url, participant: 'pgo.localhost', pki, clock, bus, afsprakenstelsel });

  beforeAll(async () => {
    pki = await SandboxPki.init(join(tempDir(), 'pki'), {
      repositoryUrl: 'http://pki.localhost:8700',
      clock,
      hosts: [
        { hostname: 'stelselnode.localhost', organisation: 'Stelselnode', kinds: ['server', 'client'] },
        { hostname: 'pgo.localhost', organisation: 'PGO', kinds: ['server', 'client'] },
      ],
    });
    server = await listen({
      participant: { id: 'stelselnode', hostname: 'stelselnode.localhost' },
      kind: 'backchannel',
      clientCertificate: 'none',
      port: 0,
      pki,
      bus,
      clock,
      fetch: (request) => {
        const body = serving.get(new URL(request.url).pathname.slice(1));
        const headers = reset === undefined ? undefined : { [LISTS_RESET_HEADER]: reset };
        return body === undefined ? new Response('no such list', { status: 404, headers }) : new Response(body, { headers });
      },
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    serving.clear();
    reset = undefined;
    clock.freeze(NOW);
  });

  for (const afsprakenstelsel of ['2', '1.5'] as const) {
    for (const kind of listKindsOf(afsprakenstelsel)) {
      it(`afsprakenstelsel ${afsprakenstelsel}: a ${kind} dated in 2099 with Volgnummer 57 is refused and pins nothing; the real one after it is taken`, async () => {
        const consumer = consumerOf(afsprakenstelsel);
        serve(kind, list(afsprakenstelsel, kind, '2026-11-23T09:59:00Z', 3));
        await consumer.refresh([kind]);
        expect(last()).toMatchObject({ outcome: 'ok', reason: expect.stringContaining(`accepted ${kind} Volgnummer 3`) });
        const held = consumer.current(kind);

        // The attack: schema-valid, only the header lies.
        serve(kind, list(afsprakenstelsel, kind, '2099-01-01T00:00:00Z', 57));
        await consumer.refresh([kind]);
        expect(last()).toMatchObject({
          outcome: 'refused',
          ruleId: 'lists.age.future-dated',
          rule: 'SPEC §3.4 a list published in the future is refused (sandbox limit: 5 minutes ahead of the clock)',
          reason: `${kind} Volgnummer 57 is dated in the future: its Tijdstempel 2099-01-01T00:00:00Z is 26336d14h ahead of our time 2026-11-23T10:00:00.000Z (at most 5m allowed); refused, its Volgnummer counts for nothing; keeping Volgnummer 3 (published 2026-11-23T09:59:00Z)`,
        });
        expect(consumer.current(kind)).toEqual(held);
        expect(consumer.state(kind)).toMatchObject({ status: 'fresh', volgnummer: 3, lastDecision: expect.stringContaining('is dated in the future') });

        // The real next list: Volgnummer 4 is above the high-water mark 3 (57 would have made it a "rollback").
        serve(kind, list(afsprakenstelsel, kind, '2026-11-23T10:00:00Z', 4));
        await consumer.refresh([kind]);
        expect(last()).toMatchObject({ outcome: 'ok', reason: expect.stringContaining(`accepted ${kind} Volgnummer 4 (was 3)`) });
        expect(consumer.state(kind).volgnummer).toBe(4);
      });
    }
  }

  it('allows 5 minutes of clock difference, not more; a first list from the future leaves the consumer with none', async () => {
    const consumer = consumerOf('2');
    serve('Whitelist', list('2', 'Whitelist', '2026-11-23T10:06:00Z', 9));
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(
        /is 6m ahead of our time .* \(at most 5m allowed\); refused, its Volgnummer counts for nothing; no earlier list to fall back on$/,
      ),
    });
    expect(consumer.state('Whitelist').status).toBe('none');
    expect(() => consumer.require('Whitelist')).toThrow(
      /no valid Whitelist received from the stelselnode yet \(last attempt: Whitelist Volgnummer 9 is dated in the future/,
    );
    serve('Whitelist', list('2', 'Whitelist', '2026-11-23T10:05:00Z', 10));
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({ outcome: 'ok', reason: 'accepted Whitelist Volgnummer 10, valid against the official schema' });
  });

  it('refuses a Tijdstempel the schema allows but no clock can place (the year 10000)', async () => {
    const consumer = consumerOf('1.5');
    serve('Whitelist', list('1.5', 'Whitelist', '10000-01-01T00:00:00Z', 9));
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({
      outcome: 'refused',
      ruleId: 'lists.age.tijdstempel-unreadable',
      reason: 'Whitelist Volgnummer 9 refused: its Tijdstempel 10000-01-01T00:00:00Z is no time we can compare with our own; no earlier list to fall back on',
    });
    expect(consumer.state('Whitelist').status).toBe('none');
  });

  it('compares Volgnummers beyond 2^53 exactly: 9007199254740993 follows 9007199254740992, and going back is a rollback', async () => {
    const consumer = consumerOf('2');
    serve('Whitelist', list('2', 'Whitelist', '2026-11-23T09:00:00Z', '9007199254740992'));
    await consumer.refresh(['Whitelist']);
    serve('Whitelist', list('2', 'Whitelist', '2026-11-23T09:30:00Z', '9007199254740993'));
    await consumer.refresh(['Whitelist']);
    // As numbers both are 9007199254740992: this was refused as "changed without a new Volgnummer".
    expect(last()).toMatchObject({
      outcome: 'ok',
      reason: 'accepted Whitelist Volgnummer 9007199254740993 (was 9007199254740992), valid against the official schema',
    });
    expect(consumer.state('Whitelist').volgnummer).toBe('9007199254740993');
    serve('Whitelist', list('2', 'Whitelist', '2026-11-23T09:45:00Z', '9007199254740992'));
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({
      outcome: 'refused',
      reason:
        'Whitelist Volgnummer 9007199254740992 is lower than the 9007199254740993 we hold: a rollback; keeping Volgnummer 9007199254740993 (published 2026-11-23T09:30:00Z)',
    });
    serve('Whitelist', list('2', 'Whitelist', '2026-11-23T09:50:00Z', '100000000000000000000'));
    await consumer.refresh(['Whitelist']);
    expect(last().reason).toBe(
      'accepted Whitelist Volgnummer 100000000000000000000 (was 9007199254740993, 99990992800745259006 publication(s) missed), valid against the official schema',
    );
  });

  it('refuses a list in a prefixed namespace, naming SPEC §3.2 and the prefix, and keeps the list it holds', async () => {
    const consumer = consumerOf('2');
    serve('Zorgaanbiederslijst', list('2', 'Zorgaanbiederslijst', '2026-11-23T09:00:00Z', 3));
    await consumer.refresh(['Zorgaanbiederslijst']);
    const prefixed = list('2', 'Zorgaanbiederslijst', '2026-11-23T09:30:00Z', 4)
      .replace(/<(\/?)([A-Z][A-Za-z]*)/g, '<$1zal:$2')
      .replace('xmlns=', 'xmlns:zal=');
    serve('Zorgaanbiederslijst', prefixed);
    await consumer.refresh(['Zorgaanbiederslijst']);
    expect(last()).toMatchObject({
      outcome: 'refused',
      rule: 'SPEC §3.2 lists use the default namespace, without prefix',
      reason: `Zorgaanbiederslijst refused: <zal:Zorgaanbiederslijst> uses the namespace prefix 'zal' (for ${namespaceOf('Zorgaanbiederslijst', '2')}); SPEC §3.2: MedMij lists use the default namespace, without prefix; keeping Volgnummer 3 (published 2026-11-23T09:00:00Z)`,
    });
    expect(consumer.state('Zorgaanbiederslijst').volgnummer).toBe(3);
  });

  it('takes a list with a UTF-8 BOM as the XML it is, and knows the same bytes again', async () => {
    const consumer = consumerOf('1.5');
    serve(
      'Gegevensdienstnamenlijst',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(list('1.5', 'Gegevensdienstnamenlijst', '2026-11-23T09:00:00Z', 5))]),
    );
    await consumer.refresh(['Gegevensdienstnamenlijst']);
    expect(last()).toMatchObject({ outcome: 'ok', reason: 'accepted Gegevensdienstnamenlijst Volgnummer 5, valid against the official schema' });
    await consumer.refresh(['Gegevensdienstnamenlijst']);
    expect(last().reason).toBe('Gegevensdienstnamenlijst unchanged (Volgnummer 5)');
  });

  it('forgets every list and Volgnummer it holds when the stelselnode says it was reset, and only then', async () => {
    const consumer = consumerOf('2');
    reset = '0';
    for (const kind of listKindsOf('2')) serve(kind, list('2', kind, '2026-11-23T09:00:00Z', 57));
    await consumer.refresh();
    expect(consumer.states().map((s) => s.volgnummer)).toEqual([57, 57, 57, 57, 57]);
    // A stelselnode that started over: Volgnummer 1 is a rollback while the reset number stays.
    for (const kind of listKindsOf('2')) serve(kind, list('2', kind, '2026-11-23T09:30:00Z', 1));
    await consumer.refresh(['Whitelist']);
    expect(last()).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('Whitelist Volgnummer 1 is lower than the 57 we hold: a rollback') });

    reset = '1';
    const before = bus.events().at(-1)!.seq;
    await consumer.refresh();
    const decisions = bus.events((e) => e.seq > before && e.kind === 'decision');
    expect(decisions[0]).toMatchObject({
      reportedBy: 'pgo.localhost',
      outcome: 'ok',
      ruleId: 'lists.sandbox.forgotten',
      reason:
        'the stelselnode was reset (reset 1): forgot Zorgaanbiederslijst Volgnummer 57, Zorgaanbiederskoppellijst Volgnummer 57, OAuthclientlist Volgnummer 57, Whitelist Volgnummer 57, Gegevensdienstnamenlijst Volgnummer 57 and every Volgnummer seen; the lists it serves now are taken as on a first fetch',
    });
    // Forgotten once, at the first fetch that saw the new number; then every list is taken as a first one.
    expect(decisions.filter((e) => e.ruleId === 'lists.sandbox.forgotten')).toHaveLength(1);
    expect(decisions.slice(1).map((e) => e.reason)).toEqual(
      listKindsOf('2').map((k) => expect.stringMatching(new RegExp(`^accepted ${k} Volgnummer 1, valid`))),
    );
    expect(consumer.states().map((s) => s.volgnummer)).toEqual([1, 1, 1, 1, 1]);
    await consumer.refresh(['Whitelist']);
    expect(last().reason).toBe('Whitelist unchanged (Volgnummer 1)');

    // A reset seen by a refresh of one list: the others were forgotten too, and are fetched again at once.
    reset = '2';
    for (const kind of listKindsOf('2')) serve(kind, list('2', kind, '2026-11-23T09:40:00Z', 2));
    const states = await consumer.refresh(['Zorgaanbiederslijst']);
    expect(states.map((s) => s.kind)).toEqual(['Zorgaanbiederslijst']);
    expect(consumer.states().map((s) => [s.status, s.volgnummer])).toEqual(listKindsOf('2').map(() => ['fresh', 2]));
  });
});
