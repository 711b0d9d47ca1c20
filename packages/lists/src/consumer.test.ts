/**
 * Consumer rules that the real stelselnode never breaks, proven against a hand-made hostile server
 * over real HTTPS: content changed without a new Volgnummer, and XXE served over the network.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { ListConsumer } from './consumer.js';
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
