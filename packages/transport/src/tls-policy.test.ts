/**
 * The TLS policy judged by an independent client, the system's `openssl s_client`, against real sandbox
 * listeners (front channel, and back channel with a client certificate): NCSC "goed" suites accepted, static RSA,
 * CBC and TLS 1.1 refused, renegotiation refused. Each refusal is also tried against a control server with Node's
 * defaults (what the sandbox ran before), which accepts it: the same command can tell the difference.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { opensslAsync } from '@medmij-sandbox/pki/testing';
import { HopError, hop } from './client.js';
import { listen, type RunningListener } from './server.js';
import { TLS12_CIPHERS, TLS13_CIPHERSUITES, TLS_POLICY } from './tls-policy.js';

const DVZA = 'dekroon.dvza.localhost';
const PGO = 'pgo.localhost';

describe('the TLS policy (NCSC "goed"), judged by openssl s_client', () => {
  const clock = new SandboxClock();
  const bus = new TraceBus(clock);
  let pki: SandboxPki;
  let front: RunningListener;
  let back: RunningListener;
  let control: Server;
  let controlPort: number;
  let clientCert: string;
  let clientKey: string;

  beforeAll(async () => {
    const dir = tempDir();
    pki = await SandboxPki.init(join(dir, 'pki'), {
      repositoryUrl: 'http://pki.localhost:8700',
      clock,
      hosts: [
        { hostname: DVZA, organisation: 'Huisartsenpraktijk De Kroon', kinds: ['server', 'client', 'browser'] },
        { hostname: PGO, organisation: 'MedMij Sandbox PGO', kinds: ['server', 'client', 'browser'] },
      ],
    });
    const participant = { id: 'dekroon', hostname: DVZA };
    const fetch = () => new Response('hallo\n');
    front = await listen({ participant, kind: 'frontchannel', port: 0, pki, bus, clock, fetch });
    back = await listen({ participant, kind: 'backchannel', port: 0, pki, bus, clock, fetch });
    const pgo = pki.material(PGO, 'client');
    clientCert = join(dir, 'pgo-client.pem');
    clientKey = join(dir, 'pgo-client.key');
    writeFileSync(clientCert, pgo.chainPem);
    writeFileSync(clientKey, pgo.keyPem);
    // Node's defaults, plus TLS 1.0/1.1 opened up: what an unhardened server accepts.
    const own = pki.material(DVZA, 'browser');
    control = createServer({ key: own.keyPem, cert: own.chainPem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (_req, res) => res.end('hallo\n'));
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    controlPort = (control.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await front?.close();
    await back?.close();
    control?.closeAllConnections();
    await new Promise((resolve) => control?.close(resolve));
  });

  const portOf = (l: RunningListener) => String(l.port);
  /** One handshake: the client's offer in `args`; stdin closed, so s_client ends right after the handshake. */
  const handshake = (port: string, args: string[], o: { clientCertificate?: boolean } = {}) =>
    opensslAsync([
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-servername',
      DVZA,
      '-brief',
      // -cert sends the leaf only; -cert_chain adds the intermediate, as the sandbox's own clients do.
      ...(o.clientCertificate ? ['-cert', clientCert, '-cert_chain', clientCert, '-key', clientKey] : []),
      ...args,
    ]);
  const established = (out: string) => /CONNECTION ESTABLISHED/.test(out);

  it('is one policy: minimum TLS 1.2, exactly the six NCSC "goed" suites, no renegotiation', () => {
    expect(TLS_POLICY.minVersion).toBe('TLSv1.2');
    expect(TLS_POLICY.ciphers.split(':')).toEqual([...TLS13_CIPHERSUITES, ...TLS12_CIPHERS]);
    expect(TLS_POLICY.secureOptions & 0x40000000).toBe(0x40000000); // SSL_OP_NO_RENEGOTIATION
  });

  for (const suite of TLS13_CIPHERSUITES) {
    it(`accepts TLS 1.3 with ${suite} (front and back channel)`, async () => {
      for (const [port, cert] of [
        [portOf(front), false],
        [portOf(back), true],
      ] as const) {
        const r = await handshake(port, ['-tls1_3', '-ciphersuites', suite], { clientCertificate: cert });
        expect(r.out).toContain('Protocol version: TLSv1.3');
        expect(r.out).toContain(`Ciphersuite: ${suite}`);
      }
    });
  }

  for (const cipher of TLS12_CIPHERS) {
    it(`accepts TLS 1.2 with ${cipher} (front and back channel)`, async () => {
      for (const [port, cert] of [
        [portOf(front), false],
        [portOf(back), true],
      ] as const) {
        const r = await handshake(port, ['-tls1_2', '-cipher', cipher], { clientCertificate: cert });
        expect(r.out).toContain('Protocol version: TLSv1.2');
        expect(r.out).toContain(`Ciphersuite: ${cipher}`);
      }
    });
  }

  // Static RSA key exchange (no forward secrecy), CBC with SHA-1 or SHA-2 MACs: all "onvoldoende" or "uit te faseren".
  for (const cipher of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
    it(`refuses TLS 1.2 with ${cipher}, which an unhardened Node server accepts`, async () => {
      const args = ['-tls1_2', '-cipher', `${cipher}@SECLEVEL=0`];
      expect(established((await handshake(String(controlPort), args)).out), 'control').toBe(true);
      for (const port of [portOf(front), portOf(back)]) {
        const r = await handshake(port, args, { clientCertificate: port === portOf(back) });
        expect(established(r.out), r.out).toBe(false);
        expect(r.out).toMatch(/handshake failure|no shared cipher/);
        expect(r.code).not.toBe(0);
      }
    });
  }

  it('refuses TLS 1.1 (and so 1.0), which the control accepts', async () => {
    const args = ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'];
    expect((await handshake(String(controlPort), args)).out).toContain('Protocol version: TLSv1.1');
    for (const port of [portOf(front), portOf(back)]) {
      const r = await handshake(port, args);
      expect(established(r.out), r.out).toBe(false);
      expect(r.out).toMatch(/protocol version|unsupported protocol/i);
    }
  });

  /**
   * s_client's "R" command renegotiates a TLS 1.2 connection; afterwards an HTTP request goes over it. Against
   * Node's defaults the server renegotiates and answers; the sandbox's server refuses with a no_renegotiation
   * alert, which OpenSSL's client treats as fatal, and never answers.
   */
  function renegotiate(port: string, servername: boolean): Promise<{ out: string; code: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...(servername ? ['-servername', DVZA] : []), '-tls1_2'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let step = 0;
      const onData = (d: Buffer) => {
        out += d.toString();
        // Once the handshake is done ("Verify return code" ends s_client's session summary): renegotiate.
        if (step === 0 && /Verify return code/.test(out)) {
          step = 1;
          child.stdin.write('R\n');
        }
        // s_client said it renegotiates: now a request over the same connection.
        if (step === 1 && /RENEGOTIATING/.test(out)) {
          step = 2;
          child.stdin.write(`GET / HTTP/1.1\r\nHost: ${DVZA}\r\nConnection: close\r\n\r\n`);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.stdin.on('error', () => {}); // the server may have closed the connection, and s_client exited, first
      child.on('error', (e) => reject(new Error(`openssl is needed for this test (apt-get install openssl): ${e.message}`)));
      child.on('close', (code) => resolve({ out, code: code ?? -1 }));
    });
  }

  it('the control (Node defaults) accepts a client-initiated renegotiation and answers after it', async () => {
    const r = await renegotiate(String(controlPort), true);
    expect(r.out).toContain('RENEGOTIATING');
    expect(r.out).toContain('HTTP/1.1 200 OK');
  });

  for (const [name, servername] of [
    ['with SNI', true],
    ['without SNI (the default context)', false],
  ] as const) {
    it(`refuses a client-initiated TLS 1.2 renegotiation, ${name}: no_renegotiation, no answer`, async () => {
      const r = await renegotiate(portOf(front), servername);
      expect(r.out).toContain('RENEGOTIATING');
      expect(r.out).toMatch(/no renegotiation/);
      expect(r.out).not.toContain('HTTP/1.1 200');
    });
  }

  it("the sandbox's own client (hop) speaks the policy: it reaches a policy server, and will not talk CBC or TLS 1.1", async () => {
    expect((await hop(`${back.url}/`, { from: PGO, pki, bus, clock })).status).toBe(200);
    const own = pki.material(DVZA, 'server');
    for (const weak of [
      { ciphers: 'AES128-SHA:ECDHE-RSA-AES128-SHA', maxVersion: 'TLSv1.2' as const },
      { ciphers: 'DEFAULT@SECLEVEL=0', minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const },
    ]) {
      const server = createServer({ key: own.keyPem, cert: own.chainPem, ...weak }, (_req, res) => res.end('hallo\n'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        // openssl gets an answer from it: the server works, only the sandbox client refuses it.
        expect(
          established(
            (await handshake(String(port), weak.maxVersion === 'TLSv1.1' ? ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'] : ['-cipher', 'AES128-SHA@SECLEVEL=0']))
              .out,
          ),
        ).toBe(true);
        const error = await hop(`https://${DVZA}:${port}/`, { from: PGO, pki, bus, clock }).catch((e: unknown) => e);
        expect(error, weak.ciphers).toBeInstanceOf(HopError);
        expect((error as HopError).message).not.toContain('hallo');
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});
