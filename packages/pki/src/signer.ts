/**
 * Pinning a signer to the sandbox PKI. A signature (XML-DSig on a list, a JWS from the TVS) carries its own
 * certificate; a verifier that trusts whatever certificate arrives trusts anyone. So the certificate must
 * chain to the sandbox private-services CA, not be revoked, be valid on the sandbox clock, and be issued
 * to the participant the verifier expects.
 */
import { X509Certificate } from 'node:crypto';
import type { Clock } from '@medmij-sandbox/network';
import type { SandboxPki } from './store.js';

export interface SignerVerdict {
  ok: boolean;
  reason: string;
  /** Subject (`CN=..., O=...`) and upper-case hex serial of the signing certificate. */
  signer: { subject: string; serial: string };
}

export function judgeSigningCertificate(certPem: string, o: { pki: SandboxPki; clock: Clock; expectedSigner: string; what: string }): SignerVerdict {
  const cert = new X509Certificate(certPem);
  const signer = { subject: cert.subject.split('\n').reverse().join(', '), serial: cert.serialNumber.toUpperCase() };
  const refuse = (reason: string): SignerVerdict => ({ ok: false, reason, signer });
  o.pki.refresh();
  const issuer = new X509Certificate(o.pki.caCertPem('private-services'));
  const sandboxRoot = new X509Certificate(o.pki.caCertPem('root'));
  if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey) || !issuer.verify(sandboxRoot.publicKey)) {
    return refuse(`the certificate that signed ${o.what} does not chain to the sandbox private-services CA`);
  }
  if (o.pki.findBySerial(signer.serial)?.revoked) return refuse(`the certificate that signed ${o.what} (serial ${signer.serial}) is revoked`);
  const now = o.clock.nowMs();
  if (now > Date.parse(cert.validTo) || now < Date.parse(cert.validFrom))
    return refuse(`the certificate that signed ${o.what} is not valid at this (sandbox) time`);
  if (cert.checkHost(o.expectedSigner) === undefined) {
    return refuse(`${o.what} was signed by ${cert.subjectAltName ?? signer.subject}, not by ${o.expectedSigner}`);
  }
  return { ok: true, reason: `signed by ${o.expectedSigner} (serial ${signer.serial})`, signer };
}
