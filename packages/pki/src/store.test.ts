import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki, type HostSpec } from './store.js';
import { openssl, opensslVerify } from './testing.js';

const hosts: HostSpec[] = [
  { hostname: 'dekroon.dvza.localhost', organisation: 'Huisartsenpraktijk De Kroon', kinds: ['server', 'client', 'browser'] },
  { hostname: 'pgo.localhost', organisation: 'MedMij Sandbox PGO', kinds: ['server', 'client', 'browser'] },
];
const repositoryUrl = 'http://pki.localhost:8700';

function verify(pki: SandboxPki, host: string, kind: 'server' | 'client' | 'browser') {
  const issuer = kind === 'browser' ? 'browser' : 'private-services';
  return opensslVerify(pki.path(pki.current(host, kind)!.files.cert), {
    root: pki.rootCertPath,
    intermediate: pki.path(pki.caRecord(issuer).files.cert),
    crls: ['root', issuer].map((ca) => pki.path(`crl/${ca}.crl.pem`)),
  });
}

/** Real time: these tests are about certificates valid now. */
const realTime = new SandboxClock();

describe('the sandbox PKI', () => {
  let dir: string;
  let pki: SandboxPki;
  beforeAll(async () => {
    dir = join(tempDir(), 'pki');
    pki = await SandboxPki.init(dir, { repositoryUrl, hosts, clock: realTime });
  });

  it('is a two-tier hierarchy whose every name says NOT FOR PRODUCTION', () => {
    const root = new X509Certificate(pki.caCertPem('root'));
    expect(root.subject).toContain('CN=MedMij Sandbox Root CA - NOT FOR PRODUCTION');
    expect(root.ca).toBe(true);
    for (const ca of ['private-services', 'browser'] as const) {
      const inter = new X509Certificate(pki.caCertPem(ca));
      expect(inter.subject).toContain('NOT FOR PRODUCTION');
      expect(inter.checkIssued(root)).toBe(true);
      expect(inter.verify(root.publicKey)).toBe(true);
    }
    const text = openssl(['x509', '-noout', '-text', '-in', pki.rootCertPath]).out;
    // The root can only vouch for sandbox domains: trusting it endangers no real site.
    expect(text).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:localhost\s+DNS:test/);
  });

  it('gives each hostname a server, client and browser certificate with SAN, EKU, CRL and OCSP pointers', () => {
    for (const [kind, eku, issuer] of [
      ['server', 'TLS Web Server Authentication', 'private-services'],
      ['client', 'TLS Web Client Authentication', 'private-services'],
      ['browser', 'TLS Web Server Authentication', 'browser'],
    ] as const) {
      const record = pki.current('pgo.localhost', kind)!;
      const text = openssl(['x509', '-noout', '-text', '-in', pki.path(record.files.cert)]).out;
      expect(text).toContain('DNS:pgo.localhost');
      expect(text).toContain(eku);
      expect(text).toContain(`URI:${repositoryUrl}/crl/${issuer}.crl`);
      expect(text).toContain(`OCSP - URI:${repositoryUrl}/ocsp/${issuer}`);
      expect(new X509Certificate(pki.material('pgo.localhost', kind).certPem).checkHost('pgo.localhost')).toBe('pgo.localhost');
      expect(verify(pki, 'pgo.localhost', kind).out).toMatch(/: OK\s*$/);
    }
  });

  it('revokes: openssl verify then reports the certificate as revoked, and reissue brings a valid one', async () => {
    const before = pki.current('dekroon.dvza.localhost', 'server')!;
    const [revoked] = await pki.revoke('dekroon.dvza.localhost', { kinds: ['server'] });
    expect(revoked!.serial).toBe(before.serial);
    const result = verify(pki, 'dekroon.dvza.localhost', 'server');
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/error 23 at 0 depth lookup: certificate revoked/);
    expect(openssl(['crl', '-noout', '-text', '-in', pki.path('crl/private-services.crl.pem')]).out).toContain(`Serial Number: ${before.serial}`);
    // the other certificates of the host are untouched
    expect(verify(pki, 'dekroon.dvza.localhost', 'client').code).toBe(0);
    await expect(pki.revoke('dekroon.dvza.localhost', { kinds: ['server'] })).rejects.toThrow(/already revoked/);

    const [fresh] = await pki.reissue('dekroon.dvza.localhost', { kinds: ['server'] });
    expect(fresh!.serial).not.toBe(before.serial);
    expect(verify(pki, 'dekroon.dvza.localhost', 'server').code).toBe(0);
    expect(pki.changesSince(1).map((c) => c.what)).toEqual([
      `revoked the server certificate of dekroon.dvza.localhost (serial ${before.serial}, reason keyCompromise)`,
      `issued a new server certificate for dekroon.dvza.localhost (serial ${fresh!.serial}, valid until ${fresh!.notAfter})`,
    ]);
    // the revoked serial stays on the CRL: revocation is forever
    expect(openssl(['crl', '-noout', '-text', '-in', pki.path('crl/private-services.crl.pem')]).out).toContain(`Serial Number: ${before.serial}`);
  });

  it('expires: the new certificate has already ended, for openssl and on the sandbox clock', async () => {
    const [expired] = await pki.expire('pgo.localhost', { kinds: ['client'] });
    expect(pki.stateOf(expired!)).toBe('expired');
    expect(verify(pki, 'pgo.localhost', 'client').out).toMatch(/certificate has expired/);
    await pki.reissue('pgo.localhost', { kinds: ['client'] });
    expect(verify(pki, 'pgo.localhost', 'client').code).toBe(0);
  });

  it('judges validity on the sandbox clock: time travel past the end expires a certificate', () => {
    const clock = new SandboxClock();
    const view = SandboxPki.open(dir, { clock });
    const record = view.current('pgo.localhost', 'browser')!;
    expect(view.stateOf(record)).toBe('valid');
    clock.shift('400d');
    expect(view.stateOf(record)).toBe('expired');
  });

  it('does not renew at start what only the time-travelling clock sees as expired', async () => {
    const clock = new SandboxClock().shift('400d');
    const { changes, pki: view } = await SandboxPki.ensure(dir, { repositoryUrl, hosts, clock });
    expect(changes.filter((c) => c.startsWith('renewed'))).toEqual([]);
    expect(view.stateOf(view.current('pgo.localhost', 'browser')!)).toBe('expired');
  });

  it('is stable across restarts, and refuses to be overwritten without --force', async () => {
    const again = SandboxPki.open(dir, { clock: realTime });
    expect(again.caRecord('root').fingerprint256).toBe(pki.caRecord('root').fingerprint256);
    await expect(SandboxPki.init(dir, { repositoryUrl, hosts, clock: realTime })).rejects.toThrow(/already exists.*/);
    const {
      pki: ensured,
      created,
      changes,
    } = await SandboxPki.ensure(dir, {
      repositoryUrl,
      clock: realTime,
      hosts: [...hosts, { hostname: 'rivierenland.dvza.localhost', organisation: 'Ziekenhuis Rivierenland', kinds: ['server', 'client'] }],
    });
    expect(created).toBe(false);
    expect(changes).toEqual(['issued server certificate for rivierenland.dvza.localhost', 'issued client certificate for rivierenland.dvza.localhost']);
    expect(ensured.caRecord('root').fingerprint256).toBe(pki.caRecord('root').fingerprint256);
    await expect(SandboxPki.ensure(dir, { repositoryUrl: 'http://pki.localhost:9999', hosts, clock: realTime })).rejects.toMatchObject({
      message: expect.stringContaining('points its CRL distribution points at http://pki.localhost:8700'),
      hint: expect.stringContaining('pki init --force'),
    });
  });

  it('names the known hosts when asked about an unknown one', async () => {
    await expect(pki.revoke('nobody.localhost')).rejects.toMatchObject({
      message: "no certificates for 'nobody.localhost' in the sandbox PKI",
      hint: expect.stringContaining('pgo.localhost'),
    });
  });

  it('rebuilds everything with force: a new root', async () => {
    const old = pki.caRecord('root').fingerprint256;
    const rebuilt = await SandboxPki.init(dir, { repositoryUrl, hosts, force: true, clock: realTime });
    expect(rebuilt.caRecord('root').fingerprint256).not.toBe(old);
    expect(rebuilt.installId).not.toBe(pki.installId);
    expect(rebuilt.certificates().filter((c) => c.revoked)).toEqual([]);
  });
});

it('tells how to create a PKI that does not exist', () => {
  expect(() => SandboxPki.open(join(tempDir(), 'none'), { clock: realTime })).toThrow(/no sandbox PKI in .*none/);
});
