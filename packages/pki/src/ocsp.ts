/**
 * An OCSP responder (RFC 6960) for the sandbox CAs, built with pkijs. Every certificate names it in its
 * AuthorityInfoAccess, so `openssl ocsp` and external participants can ask for a certificate's status
 * the way they would in production. Each CA answers for the certificates it issued, signed with its own
 * key (no delegated responder certificate needed).
 *
 * Node's own TLS does not consult OCSP; the sandbox participants use the CRLs.
 */
import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Clock } from '@medmij-sandbox/network';
import { CA_IDS, type CaId } from './hierarchy.js';
import { normaliseSerial, type SandboxPki } from './store.js';
import { pemToDer } from './x509.js';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

export const OCSP_STATUS = { successful: 0, malformedRequest: 1, internalError: 2, unauthorized: 6 } as const;

export interface OcspAnswer {
  der: Buffer;
  /** One line per certificate asked about, for the trace: `serial 1A2B...: revoked (keyCompromise)`. */
  summary: string[];
}

export function isCaId(value: string): value is CaId {
  return (CA_IDS as readonly string[]).includes(value);
}

/** Answers one DER-encoded OCSPRequest for the certificates issued by `ca`. */
export async function answerOcsp(pki: SandboxPki, ca: CaId, requestDer: Uint8Array, clock: Clock): Promise<OcspAnswer> {
  let request: pkijs.OCSPRequest;
  try {
    request = pkijs.OCSPRequest.fromBER(requestDer);
  } catch {
    return { der: statusOnly(OCSP_STATUS.malformedRequest), summary: ['malformed OCSP request'] };
  }
  pki.refresh();
  const caPem = pki.caCertPem(ca);
  const caCert = pkijs.Certificate.fromBER(pemToDer(caPem));
  const ourKeyHash = createHash('sha1').update(Buffer.from(caCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)).digest('hex');
  const now = clock.now();
  const nextUpdate = new Date(now.getTime() + 3_600_000);

  const basic = new pkijs.BasicOCSPResponse();
  basic.tbsResponseData.responderID = caCert.subject;
  basic.tbsResponseData.producedAt = now;
  const summary: string[] = [];
  for (const item of request.tbsRequest.requestList) {
    const id = item.reqCert;
    const serial = normaliseSerial(Buffer.from(id.serialNumber.valueBlock.valueHexView).toString('hex'));
    const theirKeyHash = Buffer.from(id.issuerKeyHash.valueBlock.valueHexView).toString('hex');
    const record = theirKeyHash === ourKeyHash ? pki.findBySerial(serial) : undefined;
    let certStatus: asn1js.BaseBlock;
    if (!record || record.kind === 'root' || (record.kind === 'intermediate' ? ca !== 'root' : record.ca !== ca)) {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } }); // unknown
      summary.push(`serial ${serial}: unknown to the ${ca} CA`);
    } else if (record.revoked) {
      certStatus = new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [new asn1js.GeneralizedTime({ valueDate: new Date(record.revoked.at) })],
      });
      summary.push(`serial ${serial} (${record.host ?? record.kind} ${record.kind}): revoked (${record.revoked.reason})`);
    } else {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } }); // good
      summary.push(`serial ${serial} (${record.host ?? record.kind} ${record.kind}): good`);
    }
    basic.tbsResponseData.responses.push(new pkijs.SingleResponse({ certID: id, certStatus, thisUpdate: now, nextUpdate }));
  }
  // Echo the nonce so clients (openssl ocsp) can tie the answer to their question.
  const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OCSP_NONCE);
  if (nonce) basic.tbsResponseData.responseExtensions = [nonce];

  const keyDer = createPrivateKey(pki.caKeyPem(ca)).export({ type: 'pkcs8', format: 'der' });
  const key = await webcrypto.subtle.importKey('pkcs8', keyDer, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  await basic.sign(key as never, 'SHA-256');

  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: OCSP_STATUS.successful }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OCSP_BASIC,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  });
  return { der: Buffer.from(response.toSchema().toBER(false)), summary };
}

/** An OCSPResponse without a body, for malformed or unauthorized requests. */
export function statusOnly(status: number): Buffer {
  return Buffer.from(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER(false));
}
