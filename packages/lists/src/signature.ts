/**
 * A sandbox extension for practising signature checks: the stelselnode also serves each list with an
 * enveloped XML-DSig signature (exc-c14n, RSA-SHA256, SHA-256 digests) made with its private-services
 * certificate, at `/signed/MedMij_<Lijst>.xml`. The production-shaped lists stay unsigned, as the official
 * schemas require (a Signature element would make them invalid) — hence a separate, sandbox-only path.
 *
 * Verifying takes more than `checkSignature`: xml-crypto trusts whatever certificate the KeyInfo carries,
 * so the signer is pinned to the sandbox PKI (chain to the root, not revoked, valid on the sandbox clock,
 * issued to the stelselnode's hostname), and only the XML that was actually signed is used afterwards
 * (getSignedReferences), which defeats signature-wrapping attacks.
 */
import { DOMParser, type Element, type Node as XmlNode } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { Clock } from '@medmij-sandbox/network';
import { judgeSigningCertificate, type SandboxPki } from '@medmij-sandbox/pki';
import { LISTS, said, say, type NoParams, type Reason, type Said } from '@medmij-sandbox/rules';
import { assertSafeXml } from './xml.js';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

/** Signs a list (enveloped); the KeyInfo carries the signer's certificate chain. */
export function signList(xml: string, keyPem: string, chainPem: string): string {
  const sig = new SignedXml({ privateKey: keyPem, publicCert: chainPem });
  sig.canonicalizationAlgorithm = EXC_C14N;
  sig.signatureAlgorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  sig.addReference({
    xpath: '/*',
    // An empty URI signs the whole document without adding an Id attribute to it.
    isEmptyUri: true,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [`${DSIG}enveloped-signature`, EXC_C14N],
  });
  sig.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}

export interface SignatureVerdict {
  ok: boolean;
  reason: string;
  /** The reason as a catalogue entry, when it is this file's (a verdict on the certificate is the PKI's text). */
  said?: Said;
  /** Subject and serial of the signing certificate, when one was found. */
  signer?: { subject: string; serial: string };
  /** The canonical XML that was signed (without the Signature): the only part to trust. */
  signedXml?: string;
}

/** Verifies a signed list and pins its signer to the sandbox PKI and the expected hostname. */
export function verifySignedList(xml: string | Buffer, o: { pki: SandboxPki; clock: Clock; expectedSigner: string }): SignatureVerdict {
  const text = assertSafeXml(xml);
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const elements = (parent: XmlNode | null, name: string, ns: string) =>
    parent
      ? Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ns)
      : [];
  const refused = (r: Reason<NoParams>, signer?: SignatureVerdict['signer']): SignatureVerdict => {
    const s = said(r, {});
    return { ok: false, reason: say(s), said: s, ...(signer ? { signer } : {}) };
  };
  const signatures = elements(doc.documentElement, 'Signature', DSIG);
  if (signatures.length !== 1) return refused(signatures.length === 0 ? LISTS.signature.none : LISTS.signature.several);

  const sig = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo });
  sig.loadSignature(signatures[0] as never);
  const certPem = SignedXml.getCertFromKeyInfo((elements(signatures[0]!, 'KeyInfo', DSIG)[0] ?? null) as never);
  if (!certPem) return refused(LISTS.signature.noCertificate);
  let valid = false;
  try {
    valid = sig.checkSignature(text);
  } catch (e) {
    const s = said(LISTS.signature.unreadable, { message: (e as Error).message });
    return { ok: false, reason: say(s), said: s };
  }
  const pinned = judgeSigningCertificate(certPem, { ...o, what: 'the list' });
  if (!valid) return refused(LISTS.signature.mismatch, pinned.signer);
  if (!pinned.ok) return pinned;
  const signer = pinned.signer;
  const [signedXml] = sig.getSignedReferences();
  if (!signedXml) return refused(LISTS.signature.coversNothing, signer);
  return { ok: true, reason: `signed by ${o.expectedSigner} (serial ${signer.serial})`, signer, signedXml };
}
