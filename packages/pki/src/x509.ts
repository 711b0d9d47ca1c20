/**
 * Certificate, CRL and CSR building blocks, all on @peculiar/x509 (WebCrypto signatures, RSA-SHA256). The
 * one extension it has no class for, nameConstraints, and the CRL number are encoded with the ASN.1
 * schemas of @peculiar/asn1-x509. Keys come from Node's own generator.
 */
import 'reflect-metadata';
import { createHash, createPrivateKey, createPublicKey, generateKeyPair as generateNodeKeyPair, webcrypto, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints, id_ce_cRLNumber, id_ce_nameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

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
 * WebCrypto and OpenSSL all accept (a PKCS#1 key would trip jose's importPKCS8).
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

/**
 * A signed certificate as PEM. Extensions in this order: basicConstraints, keyUsage (both critical),
 * subjectKeyIdentifier, authorityKeyIdentifier, extKeyUsage, subjectAltName, cRLDistributionPoints,
 * authorityInfoAccess, nameConstraints (critical).
 */
export async function issueCertificate(req: CertificateRequest): Promise<string> {
  // The subject's public key: from its own private key, or (a signed CSR) the public key the requester sent.
  const spki = createPublicKey((req.subjectPublicKeyPem ?? req.subjectKeyPem)!).export({ type: 'spki', format: 'der' });
  const issuerCert = req.issuer ? new x509.X509Certificate(req.issuer.certPem) : undefined;
  const subject = toName(req.subject);

  const isCa = req.profile === 'root' || req.profile === 'intermediate';
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(isCa, req.profile === 'intermediate' ? 0 : undefined, true),
    new x509.KeyUsagesExtension(
      isCa
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(spki),
  ];
  if (issuerCert) {
    const ski = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension);
    extensions.push(ski ? new x509.AuthorityKeyIdentifierExtension(ski.keyId) : await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey));
  }
  if (req.profile === 'server') extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
  if (req.profile === 'client') extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]));
  if (req.dnsNames?.length) extensions.push(new x509.SubjectAlternativeNameExtension(req.dnsNames.map((value) => ({ type: 'dns' as const, value }))));
  if (req.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([req.crlUrl]));
  if (req.ocspUrl || req.caIssuersUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: req.ocspUrl, caIssuers: req.caIssuersUrl }));
  if (req.permittedDnsSubtrees?.length) extensions.push(nameConstraints(req.permittedDnsSubtrees));

  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: req.serialHex,
    subject,
    // The issuer's subject exactly as encoded in its certificate: chain building compares the two.
    issuer: issuerCert ? issuerCert.subjectName : subject,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    publicKey: spki,
    signingKey: await rsaSigningKey((req.issuer?.keyPem ?? req.subjectKeyPem)!),
    signingAlgorithm: RSA_SHA256,
    extensions,
  });
  return toPem(cert.rawData, 'CERTIFICATE');
}

const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** A PEM private key as a WebCrypto key for RSA-SHA256 signatures. */
async function rsaSigningKey(keyPem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, RSA_SHA256, false, ['sign']);
}

/** Subject DN in the order C, O, OU, CN; every value a PrintableString, as the sandbox has always written them. */
function toName(dn: DistinguishedName): x509.Name {
  const attrs: Record<string, { printableString: string }[]>[] = [];
  if (dn.C) attrs.push({ C: [{ printableString: dn.C }] });
  attrs.push({ O: [{ printableString: dn.O }] });
  if (dn.OU) attrs.push({ OU: [{ printableString: dn.OU }] });
  attrs.push({ CN: [{ printableString: dn.CN }] });
  return new x509.Name(attrs);
}

/** NameConstraints with permitted dNSName subtrees only: the CA can vouch for these domains and nothing else. */
function nameConstraints(dnsSubtrees: string[]): x509.Extension {
  const value = new NameConstraints({
    permittedSubtrees: new GeneralSubtrees(dnsSubtrees.map((dNSName) => new GeneralSubtree({ base: new GeneralName({ dNSName }) }))),
  });
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(value));
}

/** PEM as the sandbox has always written it: 64-character lines, CRLF line ends (node-forge's form). */
function toPem(der: ArrayBuffer | Uint8Array, label: string): string {
  const lines =
    Buffer.from(new Uint8Array(der))
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\r\n');
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
  const ski = issuer.getExtension(x509.SubjectKeyIdentifierExtension);
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.subjectName,
    thisUpdate: req.thisUpdate,
    nextUpdate: req.nextUpdate,
    signingAlgorithm: RSA_SHA256,
    signingKey: await rsaSigningKey(req.issuerKeyPem),
    extensions: [
      ...(ski ? [new x509.AuthorityKeyIdentifierExtension(ski.keyId)] : []),
      new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(req.crlNumber))),
    ],
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
export async function publicKeyOfCsr(csrPem: string): Promise<{ publicKeyPem: string; subject: string }> {
  const notACsr = (why: string) => new Error(`not a PEM certificate signing request (PKCS#10, RSA): ${why}`);
  const [block] = x509.PemConverter.isPem(csrPem) ? x509.PemConverter.decodeWithHeaders(csrPem) : [];
  if (!block) throw notACsr('no PEM block found');
  if (block.type !== 'CERTIFICATE REQUEST') throw notACsr(`the PEM block is a ${block.type}, not a CERTIFICATE REQUEST`);
  let csr: x509.Pkcs10CertificateRequest;
  let spki: Buffer;
  let key: KeyObject;
  try {
    csr = new x509.Pkcs10CertificateRequest(block.rawData);
    spki = Buffer.from(csr.publicKey.rawData);
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw notACsr('the PEM body is no DER-encoded PKCS#10 CertificationRequest with a public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw notACsr(`its key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not RSA`);
  if (!(await csr.verify().catch(() => false))) throw new Error('the signing request is not signed by its own key');
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits || bits < 2048) throw new Error(`the signing request's RSA key has ${bits ?? 'no'} bits; MedMij (PKIoverheid) needs at least 2048`);
  const subject = csr.subjectName
    .toJSON()
    .flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((value) => `${type}=${value}`)))
    .join(', ');
  return { publicKeyPem: toPem(spki, 'PUBLIC KEY'), subject };
}
