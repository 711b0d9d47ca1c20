/**
 * Consumer rules that the real stelselnode never breaks, proven against a hand-made hostile server
 * over real HTTPS: content changed without a new Volgnummer, XXE served over the network, and a list of the other
 * afsprakenstelsel.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, defaultTopologyPath, loadTopology } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { ListConsumer } from './consumer.js';
import { listsFromTopology } from './generate.js';
import { namespaceOf } from './kinds.js';
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
