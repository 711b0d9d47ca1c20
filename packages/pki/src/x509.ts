/**
 * Certificate and CRL building blocks. Certificates are made with node-forge (the design card's
 * choice); node-forge cannot make CRLs, so CRLs come from @peculiar/x509. A few extensions that
 * node-forge has no helper for (authorityInfoAccess, nameConstraints, CRL number) are written as DER.
 */
import 'reflect-metadata';
import { createHash, createPrivateKey, generateKeyPair as generateNodeKeyPair, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const { asn1 } = forge;
const generateKeyPairAsync = promisify(generateNodeKeyPair);

export interface DistinguishedName {
  CN: string;
  O: string;
  OU?: string;
  C?: string;
}

export interface KeyPairPem {
  privateKeyPem: string;
}

/**
 * A fresh RSA-2048 key from Node's native (OpenSSL) key generator, as PKCS#8 PEM: the form jose,
 * WebCrypto and OpenSSL all accept (node-forge's own PKCS#1 output trips jose's importPKCS8).
 * Keys are deliberately NOT derived from the sandbox seed: see random.ts `secureRandomBytes`.
 */
export async function generateRsaKey(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

export type CertificateProfile = 'root' | 'intermediate' | 'server' | 'client';

export interface CertificateRequest {
  profile: CertificateProfile;
  subject: DistinguishedName;
  /** PKCS#8 PEM of the subject's key; or, for a signed CSR, `subjectPublicKeyPem` (the key stays with its owner). */
  subjectKeyPem?: string;
  subjectPublicKeyPem?: string;
  /** Issuer certificate and key; absent for the self-signed root. */
  issuer?: { certPem: string; keyPem: string };
  /** Hex serial, positive. */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames?: string[];
  /** Name-constrain a CA to these DNS subtrees (RFC 5280 §4.2.1.10). */
  permittedDnsSubtrees?: string[];
  crlUrl?: string;
  ocspUrl?: string;
  caIssuersUrl?: string;
}

export function issueCertificate(req: CertificateRequest): string {
  const cert = forge.pki.createCertificate();
  if (req.subjectPublicKeyPem) {
    cert.publicKey = forge.pki.publicKeyFromPem(req.subjectPublicKeyPem);
  } else {
    const subjectKey = forge.pki.privateKeyFromPem(req.subjectKeyPem!) as forge.pki.rsa.PrivateKey;
    cert.publicKey = forge.pki.setRsaPublicKey(subjectKey.n, subjectKey.e);
  }
  cert.serialNumber = req.serialHex;
  cert.validity.notBefore = req.notBefore;
  cert.validity.notAfter = req.notAfter;
  const subjectAttrs = toAttrs(req.subject);
  cert.setSubject(subjectAttrs);
  const issuerCert = req.issuer ? forge.pki.certificateFromPem(req.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subjectAttrs);

  const isCa = req.profile === 'root' || req.profile === 'intermediate';
  const extensions: object[] = [
    isCa
      ? { name: 'basicConstraints', cA: true, critical: true, ...(req.profile === 'intermediate' ? { pathLenConstraint: 0 } : {}) }
      : { name: 'basicConstraints', cA: false, critical: true },
    isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (issuerCert) {
    const ski = issuerCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: ski?.subjectKeyIdentifier ? forge.util.hexToBytes(ski.subjectKeyIdentifier) : true,
    });
  }
  if (req.profile === 'server') extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (req.profile === 'client') extensions.push({ name: 'extKeyUsage', clientAuth: true });
  if (req.dnsNames?.length) extensions.push({ name: 'subjectAltName', altNames: req.dnsNames.map((value) => ({ type: 2, value })) });
  if (req.crlUrl) extensions.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: req.crlUrl }] });
  if (req.ocspUrl || req.caIssuersUrl) extensions.push(authorityInfoAccess(req.ocspUrl, req.caIssuersUrl));
  if (req.permittedDnsSubtrees?.length) extensions.push(nameConstraints(req.permittedDnsSubtrees));
  cert.setExtensions(extensions);

  const signingKey = forge.pki.privateKeyFromPem((req.issuer?.keyPem ?? req.subjectKeyPem)!) as forge.pki.rsa.PrivateKey;
  cert.sign(signingKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function toAttrs(dn: DistinguishedName): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [];
  if (dn.C) attrs.push({ shortName: 'C', value: dn.C });
  attrs.push({ shortName: 'O', value: dn.O });
  if (dn.OU) attrs.push({ shortName: 'OU', value: dn.OU });
  attrs.push({ shortName: 'CN', value: dn.CN });
  return attrs;
}

/** AuthorityInfoAccess: where to ask OCSP and where to download the issuer's certificate. */
function authorityInfoAccess(ocspUrl?: string, caIssuersUrl?: string): object {
  const access = (oid: string, url: string) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url),
    ]);
  const items = [];
  if (ocspUrl) items.push(access('1.3.6.1.5.5.7.48.1', ocspUrl));
  if (caIssuersUrl) items.push(access('1.3.6.1.5.5.7.48.2', caIssuersUrl));
  return { id: '1.3.6.1.5.5.7.1.1', critical: false, value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items) };
}

/** NameConstraints with permitted dNSName subtrees only: the CA can vouch for these domains and nothing else. */
function nameConstraints(dnsSubtrees: string[]): object {
  const subtrees = dnsSubtrees.map((d) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, d)]));
  return {
    id: '2.5.29.30',
    critical: true,
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, subtrees)]),
  };
}

export interface RevokedEntry {
  serialHex: string;
  revokedAt: Date;
  reason: RevocationReason;
}

export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface CrlRequest {
  issuerCertPem: string;
  issuerKeyPem: string;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  entries: RevokedEntry[];
}

/** A signed CRL as DER and as PEM labelled `X509 CRL` (OpenSSL and Node reject @peculiar's `BEGIN CRL`). */
export async function createCrl(req: CrlRequest): Promise<{ der: Buffer; pem: string }> {
  const issuer = new x509.X509Certificate(req.issuerCertPem);
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(req.issuerKeyPem).export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const ski = issuer.getExtension(x509.SubjectKeyIdentifierExtension);
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.subjectName,
    thisUpdate: req.thisUpdate,
    nextUpdate: req.nextUpdate,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signingKey: signingKey as never,
    extensions: [...(ski ? [new x509.AuthorityKeyIdentifierExtension(ski.keyId)] : []), new x509.Extension('2.5.29.20', false, derInteger(req.crlNumber))],
    entries: req.entries.map((e) => ({
      serialNumber: e.serialHex,
      revocationDate: e.revokedAt,
      reason: x509.X509CrlReason[e.reason],
    })),
  });
  const der = Buffer.from(crl.rawData);
  const pem = crl.toString('pem').replace(/-----(BEGIN|END) CRL-----/g, '-----$1 X509 CRL-----');
  return { der, pem };
}

/** DER of a non-negative INTEGER (the CRL number extension's value). */
function derInteger(n: number): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`; // keep it positive
  return new Uint8Array(Buffer.concat([Buffer.from([0x02, hex.length / 2]), Buffer.from(hex, 'hex')]));
}

export function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

/** SHA-256 fingerprint in the colon-separated upper-case form browsers and OpenSSL show. */
export function fingerprint256(certPem: string): string {
  return createHash('sha256')
    .update(pemToDer(certPem))
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/**
 * The public key of a PKCS#10 certificate signing request, after checking the request's own signature (the
 * requester holds the key). RSA only, like every other sandbox key. A malformed CSR is a clear error.
 */
export function publicKeyOfCsr(csrPem: string): { publicKeyPem: string; subject: string } {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (e) {
    throw new Error(`not a PEM certificate signing request (PKCS#10, RSA): ${(e as Error).message}`);
  }
  if (!csr.publicKey || !csr.verify()) throw new Error('the signing request is not signed by its own key');
  const bits = (csr.publicKey as forge.pki.rsa.PublicKey).n?.bitLength();
  if (!bits || bits < 2048) throw new Error(`the signing request's RSA key has ${bits ?? 'no'} bits; MedMij (PKIoverheid) needs at least 2048`);
  const subject = csr.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
  return { publicKeyPem: forge.pki.publicKeyToPem(csr.publicKey), subject };
}
