import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { signList, verifySignedList } from './signature.js';
import { validateList } from './validate.js';
import { listToXml, parseList } from './xml.js';

describe('signed lists (sandbox XML-DSig extension)', () => {
  const clock = new SandboxClock();
  const work = tempDir();
  let pki: SandboxPki;
  const xml = listToXml({ kind: 'Whitelist', tijdstempel: '2026-11-23T10:00:00Z', volgnummer: 3, nodes: ['pgo.localhost', 'stelselnode.localhost'] });
  const sign = (host: string) => {
    const own = pki.material(host, 'server');
    return signList(xml, own.keyPem, own.chainPem);
  };
  const verify = (signed: string) => verifySignedList(signed, { pki, clock, expectedSigner: 'stelselnode.localhost' });
  const xmlsec = (signed: string) => {
    if (spawnSync('xmlsec1', ['--version']).error) throw new Error('this test needs xmlsec1: apt-get install -y xmlsec1 (.ci/run does this)');
    const file = join(work, 'signed.xml');
    writeFileSync(file, signed);
    return spawnSync(
      'xmlsec1',
      ['--verify', '--trusted-pem', pki.rootCertPath, '--untrusted-pem', pki.path(pki.caRecord('private-services').files.cert), file],
      { encoding: 'utf8' },
    );
  };

  beforeAll(async () => {
    pki = await SandboxPki.init(join(work, 'pki'), {
      repositoryUrl: 'http://pki.localhost:8700',
      clock,
      hosts: [
        { hostname: 'stelselnode.localhost', organisation: 'Stelselnode', kinds: ['server'] },
        { hostname: 'pgo.localhost', organisation: 'PGO', kinds: ['server'] },
      ],
    });
  });

  it('signs enveloped with exc-c14n and RSA-SHA256; the signed part is the schema-valid list', async () => {
    const signed = sign('stelselnode.localhost');
    expect(signed).toContain('<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
    expect(signed).toContain('<Reference URI="">');
    const verdict = verify(signed);
    expect(verdict).toMatchObject({ ok: true, reason: expect.stringMatching(/^signed by stelselnode\.localhost \(serial [0-9A-F]+\)$/) });
    expect((await validateList('Whitelist', verdict.signedXml!)).valid).toBe(true);
    expect(parseList('Whitelist', verdict.signedXml!).nodes).toEqual(['pgo.localhost', 'stelselnode.localhost']);
  });

  it('xmlsec1 (an independent implementation) verifies it, and fails the tampered one', () => {
    const signed = sign('stelselnode.localhost');
    const good = xmlsec(signed);
    expect(good.status).toBe(0);
    expect(good.stderr).toMatch(/^OK$/m);
    const bad = xmlsec(signed.replace('pgo.localhost', 'evil.localhost'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/FAIL/);
  });

  it('refuses a list changed after signing', () => {
    expect(verify(sign('stelselnode.localhost').replace('<Volgnummer>3<', '<Volgnummer>4<'))).toMatchObject({
      ok: false,
      reason: 'the signature does not match the list: it was changed after signing',
    });
  });

  it('refuses a valid signature by another participant', () => {
    expect(verify(sign('pgo.localhost'))).toMatchObject({ ok: false, reason: 'the list was signed by DNS:pgo.localhost, not by stelselnode.localhost' });
  });

  it('refuses a signature by a revoked certificate', async () => {
    const signed = sign('stelselnode.localhost');
    await pki.revoke('stelselnode.localhost');
    try {
      expect(verify(signed).reason).toMatch(/^the certificate that signed the list \(serial [0-9A-F]+\) is revoked$/);
    } finally {
      await pki.reissue('stelselnode.localhost');
    }
  });

  it('refuses an unsigned list and a signature wrapped around other content', () => {
    expect(verify(xml)).toMatchObject({ ok: false, reason: 'the list carries no signature' });
    const signed = sign('stelselnode.localhost');
    const signature = signed.slice(signed.indexOf('<Signature'), signed.indexOf('</Signature>') + '</Signature>'.length);
    const wrapped = xml.replace('</Whitelist>', `${signature}${signature}</Whitelist>`);
    expect(verify(wrapped)).toMatchObject({ ok: false, reason: 'the list carries more than one signature' });
  });
});
