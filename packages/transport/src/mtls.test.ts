/**
 * Mutual TLS between real participants' servers and clients, judged on the real sandbox PKI:
 * a revoked, expired or missing client certificate is refused at the handshake, and the refusal is
 * reported with its reason (not a bare "socket hang up").
 */
import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, sandboxLookup, type TraceEvent } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { openssl } from '@medmij-sandbox/pki/testing';
import { HopError, hop } from './client.js';
import { listen, type RunningListener } from './server.js';
import { peerOf } from './peer.js';

const DVZA = 'dekroon.dvza.localhost';
const PGO = 'pgo.localhost';

describe('back channel: mutual TLS with the sandbox PKI', () => {
  const clock = new SandboxClock();
  const bus = new TraceBus(clock);
  let pki: SandboxPki;
  let back: RunningListener;
  let front: RunningListener;
  let handled = 0;
  // The server's view of the connection each request came in on.
  const sockets: Socket[] = [];

  beforeAll(async () => {
    pki = await SandboxPki.init(join(tempDir(), 'pki'), {
      repositoryUrl: 'http://pki.localhost:8700',
      clock,
      hosts: [
        { hostname: DVZA, organisation: 'Huisartsenpraktijk De Kroon', kinds: ['server', 'client', 'browser'] },
        { hostname: PGO, organisation: 'MedMij Sandbox PGO', kinds: ['server', 'client', 'browser'] },
      ],
    });
    const participant = { id: 'dekroon', hostname: DVZA };
    back = await listen({
      participant,
      kind: 'backchannel',
      port: 0,
      pki,
      bus,
      clock,
      // A path the trace leaves out (as the PGO's UI files): judged all the same.
      untraced: (path) => path === '/untraced',
      fetch: (_req, env) => {
        handled++;
        sockets.push(env.incoming.socket);
        return Response.json({ youAre: peerOf(env.incoming)?.dnsNames?.[0] });
      },
    });
    front = await listen({ participant, kind: 'frontchannel', port: 0, pki, bus, clock, fetch: () => new Response('<h1>Inloggen</h1>') });
  });
  afterAll(async () => {
    await back?.close();
    await front?.close();
  });

  const call = (opts: Partial<Parameters<typeof hop>[1]> = {}) => hop(`${back.url}/token`, { from: PGO, pki, bus, clock, method: 'POST', ...opts });
  const last = (filter: (e: TraceEvent) => boolean) => bus.events(filter).at(-1);

  it('accepts a valid client certificate and knows who called', async () => {
    const res = await call();
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ youAre: PGO });
    expect(res.tls).toMatchObject({ verdict: 'ok', dnsNames: [DVZA] });
    const seen = last((e) => e.side === 'server' && e.kind === 'http')!;
    expect(seen).toMatchObject({ from: PGO, to: DVZA, method: 'POST', url: '/token', status: 200, outcome: 'ok', tls: { verdict: 'ok', dnsNames: [PGO] } });
  });

  it('refuses a revoked client certificate at the handshake, and says why: CERT_REVOKED', async () => {
    const before = handled;
    const [revoked] = await pki.revoke(PGO, { kinds: ['client'] });
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HopError);
    // What the client sees: the connection closed, nothing more (Node sends no TLS alert).
    expect((error as HopError).code).toBe('ECONNRESET');
    // The handler never ran: no HTTP byte was read.
    expect(handled).toBe(before);
    // The server's trace event carries the reason.
    const refusal = last((e) => e.side === 'server' && e.kind === 'tls')!;
    expect(refusal).toMatchObject({ from: PGO, to: DVZA, outcome: 'refused', tls: { verdict: 'CERT_REVOKED', serial: revoked!.serial } });
    expect(refusal.reason).toMatch(/client certificate refused at the TLS handshake: CERT_REVOKED/);
    const clientView = last((e) => e.side === 'client' && e.kind === 'tls')!;
    expect(clientView.reason).toMatch(/closed the connection during or right after the TLS handshake/);

    await pki.reissue(PGO, { kinds: ['client'] });
    expect((await call()).status).toBe(200);
  });

  it('a kept-alive connection is refused on its next request once its client certificate is revoked (by another PKI process)', async () => {
    // A client that keeps its connection and its TLS options, whatever happens to the PKI (an outside PGO, curl -K):
    // one connection at most, and a count of the connections the agent opened.
    let opened = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof createConnection>) => {
      opened++;
      return createConnection(...args);
    }) as typeof agent.createConnection;
    const own = pki.material(PGO, 'client');
    const send = (path = '/token') =>
      new Promise<{ status: number; socket: Socket; reused: boolean }>((resolve, reject) => {
        const req = httpsRequest(`${back.url}${path}`, {
          method: 'POST',
          agent,
          lookup: sandboxLookup(),
          ca: pki.caCertPem('root'),
          cert: own.chainPem,
          key: own.keyPem,
        });
        req.on('error', reject);
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, socket: req.socket!, reused: req.reusedSocket }));
        });
        req.end();
      });
    let revoked: { serial: string } | undefined;
    try {
      const first = await send();
      const second = await send();
      expect([first.status, second.status]).toEqual([200, 200]);
      // The same connection, seen from both ends.
      expect(second.reused).toBe(true);
      expect(second.socket).toBe(first.socket);
      expect(sockets.at(-1)).toBe(sockets.at(-2));
      expect(opened).toBe(1);
      const before = handled;
      const refusalsBefore = bus.events((e) => e.side === 'server' && e.kind === 'tls').length;

      // As `sandbox pki revoke` does it: another SandboxPki on the same folder (another process), not the server's.
      const cli = SandboxPki.open(pki.dir, { clock });
      [revoked] = await cli.revoke(PGO, { kinds: ['client'] });

      // To a path the trace leaves out: no shortcut past the judgement.
      const error = (await send('/untraced').catch((e: unknown) => e)) as NodeJS.ErrnoException;
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe('ECONNRESET');
      // Still the one connection: the request went over it, and its handler never ran.
      expect(opened).toBe(1);
      expect(first.socket.destroyed).toBe(true);
      expect(handled).toBe(before);
      const refusals = bus.events((e) => e.side === 'server' && e.kind === 'tls');
      expect(refusals).toHaveLength(refusalsBefore + 1);
      expect(refusals.at(-1)).toMatchObject({
        from: PGO,
        to: DVZA,
        outcome: 'refused',
        ruleId: 'transport.tls.client-certificate-refused-since-handshake',
        tls: { verdict: 'CERT_REVOKED', serial: revoked!.serial },
      });
      expect(refusals.at(-1)!.reason).toMatch(/client certificate refused on a kept-alive connection, before reading the request: CERT_REVOKED/);
      // No HTTP request was traced for it (a request the gate ends is no exchange).
      expect(bus.events((e) => e.side === 'server' && e.kind === 'http' && e.status === 403)).toHaveLength(0);
      // A new connection with the same certificate is refused at its handshake, as before, though the agent resumes
      // its TLS session (a resumed session skips OpenSSL's CRL check).
      await expect(send()).rejects.toThrow();
      expect(handled).toBe(before);
      expect(opened).toBe(2);
      // Traced in full, or counted: an earlier CERT_REVOKED from this address in this minute of sandbox time makes it
      // one of a burst (refusal-summary.ts), reported when the minute is over.
      const handshake = bus.events((e) => e.side === 'server' && e.kind === 'tls').at(-1)!;
      if (handshake.ruleId !== 'transport.tls.client-certificate-refused') {
        clock.shift('61s');
        await expect(send()).rejects.toThrow();
        expect(bus.events((e) => e.side === 'server' && e.kind === 'tls' && e.ruleId === 'transport.tls.refusals-counted').length).toBeGreaterThan(0);
      }
    } finally {
      agent.destroy();
      await pki.reissue(PGO, { kinds: ['client'] });
    }
    expect((await call()).status).toBe(200);
  });

  it('a kept-alive connection is refused once the sandbox clock passes the end of its client certificate', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await call({ agent })).status).toBe(200);
      const before = handled;
      // Only the client's view of the server is re-checked by the client at a new handshake; a kept-alive one has none.
      clock.shift('400d');
      const error = (await call({ agent }).catch((e: unknown) => e)) as HopError;
      expect(error.code).toBe('ECONNRESET');
      // The caller's trace says it was the kept-alive connection that ended, not a handshake.
      expect(error.message).toContain(`${DVZA} closed the kept-alive connection without answering`);
      expect(handled).toBe(before);
      expect(last((e) => e.side === 'server' && e.kind === 'tls')!.tls!.verdict).toBe('CERT_HAS_EXPIRED');
    } finally {
      clock.reset();
      agent.destroy();
    }
  });

  it('refuses a self-signed client certificate and says so (not UNABLE_TO_GET_CRL)', async () => {
    const dir = tempDir();
    const made = openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      `/CN=${PGO}`,
      '-addext',
      `subjectAltName=DNS:${PGO}`,
      '-addext',
      'extendedKeyUsage=clientAuth',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    expect(made.code, made.out).toBe(0);
    const before = handled;
    await new Promise<void>((resolve) => {
      const req = httpsRequest(`${back.url}/token`, {
        method: 'POST',
        lookup: sandboxLookup(),
        ca: pki.caCertPem('root'),
        cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
        key: readFileSync(join(dir, 'key.pem'), 'utf8'),
        agent: false,
      });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.end();
    });
    expect(handled).toBe(before);
    const refusal = last((e) => e.side === 'server' && e.kind === 'tls')!;
    expect(refusal.tls).toMatchObject({ verdict: 'DEPTH_ZERO_SELF_SIGNED_CERT', dnsNames: [PGO] });
    expect(refusal.reason).toContain('DEPTH_ZERO_SELF_SIGNED_CERT (a self-signed certificate, not one from the sandbox PKI)');
  });

  it('refuses an expired client certificate: CERT_HAS_EXPIRED', async () => {
    await pki.expire(PGO, { kinds: ['client'] });
    await expect(call()).rejects.toBeInstanceOf(HopError);
    expect(last((e) => e.side === 'server' && e.kind === 'tls')!.tls!.verdict).toBe('CERT_HAS_EXPIRED');
    await pki.reissue(PGO, { kinds: ['client'] });
  });

  it('expires certificates by time travel on the sandbox clock', async () => {
    clock.shift('400d');
    try {
      const error = (await call().catch((e: unknown) => e)) as HopError;
      // The client checks the server first and refuses its (by sandbox time) expired certificate.
      expect(error.code).toBe('CERT_HAS_EXPIRED');
      expect(error.message).toContain(`refused the server certificate of ${DVZA}: CERT_HAS_EXPIRED`);
    } finally {
      clock.reset();
    }
  });

  it('refuses a client that presents no certificate: NO_CLIENT_CERTIFICATE', async () => {
    await expect(call({ clientCertificate: false })).rejects.toBeInstanceOf(HopError);
    expect(last((e) => e.side === 'server' && e.kind === 'tls')!.tls!.verdict).toBe('NO_CLIENT_CERTIFICATE');
  });

  it('refuses a browser-facing certificate used as a client certificate (wrong key usage)', async () => {
    // A hand-made client that presents the PGO's front-channel certificate instead of its client certificate.
    const browserCert = pki.material(PGO, 'browser');
    await new Promise<void>((resolve) => {
      const req = httpsRequest(`${back.url}/token`, {
        method: 'POST',
        lookup: sandboxLookup(),
        ca: pki.caCertPem('root'),
        cert: browserCert.chainPem,
        key: browserCert.keyPem,
        agent: false,
      });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.end();
    });
    const refusal = last((e) => e.side === 'server' && e.kind === 'tls')!;
    expect(refusal.tls).toMatchObject({ verdict: 'INVALID_PURPOSE', dnsNames: [PGO] });
  });

  it('the client refuses a server whose certificate is revoked: CERT_REVOKED, no request sent', async () => {
    const before = handled;
    await pki.revoke(DVZA, { kinds: ['server'] });
    const error = (await call().catch((e: unknown) => e)) as HopError;
    expect(error.code).toBe('CERT_REVOKED');
    expect(error.tls).toMatchObject({ verdict: 'CERT_REVOKED', dnsNames: [DVZA] });
    expect(handled).toBe(before);
    await pki.reissue(DVZA, { kinds: ['server'] });
    expect((await call()).status).toBe(200);
  });

  it('the client refuses a server certificate for another hostname', async () => {
    const error = (await hop(back.url.replace(DVZA, 'localhost'), { from: PGO, pki, bus, clock, to: 'localhost' }).catch((e: unknown) => e)) as HopError;
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('front channel: one-sided TLS with the browser certificate, no client certificate asked', async () => {
    const res = await hop(`${front.url}/authorize`, { from: 'browser', pki, bus, clock, clientCertificate: false, expectServerCertificate: 'browser' });
    expect(res.status).toBe(200);
    expect(res.tls?.issuer).toContain('MedMij Sandbox Browser CA - NOT FOR PRODUCTION');
    // and a back-channel client refuses it: it is not a private-services certificate
    const error = (await hop(`${front.url}/authorize`, { from: PGO, pki, bus, clock }).catch((e: unknown) => e)) as HopError;
    expect(error.code).toBe('WRONG_ISSUING_CA');
  });
});
