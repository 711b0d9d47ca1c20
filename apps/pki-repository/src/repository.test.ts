/**
 * The PKI repository over real HTTP, judged by OpenSSL: the CRL it serves (at the URL the certificates
 * name as their CRL distribution point) makes `openssl verify` accept a fresh certificate and report a
 * revoked one as revoked; its OCSP responder answers `openssl ocsp`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import { freePort, tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { openssl, opensslAsync, opensslVerify } from '@medmij-sandbox/pki/testing';
import { hop, type RunningListener } from '@medmij-sandbox/transport';
import { startPkiRepository } from './index.js';

const PGO = 'pgo.localhost';

describe('PKI repository', () => {
  const clock = new SandboxClock();
  const bus = new TraceBus(clock);
  const work = tempDir();
  let pki: SandboxPki;
  let listeners: RunningListener[];
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://pki.localhost:${port}`;
    pki = await SandboxPki.init(join(work, 'pki'), {
      repositoryUrl: base,
      clock,
      hosts: [{ hostname: PGO, organisation: 'MedMij Sandbox PGO', kinds: ['server', 'client'] }],
    });
    listeners = await startPkiRepository({
      participant: { id: 'pki', role: 'pki', name: 'MedMij Sandbox PKI', hostname: 'pki.localhost', address: '127.0.0.1', port },
      pki,
      clock,
      bus,
    });
  });
  afterAll(async () => Promise.all(listeners.map((l) => l.close())));

  /** Downloads what a certificate's CRL distribution point names, over HTTP, as a relying party would. */
  async function servedCrlsFor(certPath: string): Promise<string[]> {
    const text = openssl(['x509', '-noout', '-ext', 'crlDistributionPoints', '-in', certPath]).out;
    const cdp = /URI:(\S+)/.exec(text)![1]!;
    expect(cdp).toBe(`${base}/crl/private-services.crl`);
    const files: string[] = [];
    for (const url of [cdp, `${base}/crl/root.crl`]) {
      const res = await hop(url, { from: 'openssl-test', clock, bus });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pkix-crl');
      const der = join(work, `${files.length}.crl`);
      writeFileSync(der, res.body);
      const pem = `${der}.pem`;
      expect(openssl(['crl', '-inform', 'DER', '-in', der, '-out', pem]).code).toBe(0);
      files.push(pem);
    }
    return files;
  }

  async function verifyClientCert(): Promise<{ code: number; out: string }> {
    const certPath = pki.path(pki.current(PGO, 'client')!.files.cert);
    const intermediate = join(work, 'private-services.pem');
    const root = join(work, 'root.pem');
    writeFileSync(intermediate, (await hop(`${base}/ca/private-services.pem`, { from: 'openssl-test', clock })).body);
    writeFileSync(root, (await hop(`${base}/ca/root.pem`, { from: 'openssl-test', clock })).body);
    return opensslVerify(certPath, { root, intermediate, crls: await servedCrlsFor(certPath) });
  }

  it('serves CRLs with which openssl verify accepts a fresh certificate', async () => {
    const result = await verifyClientCert();
    expect(result.out).toMatch(/: OK\s*$/);
    expect(result.code).toBe(0);
  });

  it('serves the new CRL right after a revocation: openssl reports the certificate revoked', async () => {
    await pki.revoke(PGO, { kinds: ['client'] });
    const result = await verifyClientCert();
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/error 23 at 0 depth lookup: certificate revoked/);
    await pki.reissue(PGO, { kinds: ['client'] });
    expect((await verifyClientCert()).code).toBe(0);
  });

  it('answers OCSP: good, then revoked', async () => {
    const ask = async () => {
      const record = pki.current(PGO, 'server')!;
      // openssl resolves no *.localhost names, so it is given the address; the path is the AIA's.
      const result = await opensslAsync([
        'ocsp',
        '-issuer',
        pki.path(pki.caRecord('private-services').files.cert),
        '-cert',
        pki.path(record.files.cert),
        '-url',
        `${base.replace('pki.localhost', '127.0.0.1')}/ocsp/private-services`,
        '-CAfile',
        pki.rootCertPath,
        '-VAfile',
        pki.path(pki.caRecord('private-services').files.cert),
      ]);
      return result.out;
    };
    expect(await ask()).toMatch(/Response verify OK[\s\S]*: good/);
    await pki.revoke(PGO, { kinds: ['server'], reason: 'cessationOfOperation' });
    const out = await ask();
    expect(out).toMatch(/: revoked/);
    expect(out).toMatch(/Reason: cessationOfOperation|Revocation Time/);
    const decision = bus.events((e) => e.kind === 'decision').at(-1)!;
    expect(decision.reason).toMatch(/OCSP \(private-services CA\): serial [0-9A-F]+ \(pgo\.localhost server\): revoked \(cessationOfOperation\)/);
  });

  it('reports every request on the trace bus and answers unknown paths with a clear 404', async () => {
    const res = await hop(`${base}/crl/nonsense.crl`, { from: 'openssl-test', clock });
    expect(res.status).toBe(404);
    expect(res.json<{ message: string }>().message).toMatch(/serves \/ca\/<ca>\.crt, \/crl\/<ca>\.crl and \/ocsp\/<ca> for root, private-services, browser/);
    const crlFetch = bus.events((e) => e.side === 'server' && e.url === '/crl/private-services.crl').at(-1)!;
    expect(crlFetch).toMatchObject({ from: 'openssl-test', to: 'pki.localhost', method: 'GET', status: 200, outcome: 'ok' });
  });
});
