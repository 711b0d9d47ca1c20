/**
 * TLS for participants: the options a front-channel (browser) or back-channel (mutual TLS) server
 * needs, the options a participant's client needs, and the verdict on a peer certificate.
 *
 * Why the back channel runs with `rejectUnauthorized: false`: when Node refuses a client certificate
 * itself, it just drops the socket — no TLS alert, no reason anywhere ("socket hang up"). We let the
 * handshake finish, judge the certificate ourselves the moment it completes (before any HTTP byte is
 * read), report the reason (CERT_REVOKED, CERT_HAS_EXPIRED, ...) on the trace bus and then drop the
 * connection. To the client it looks the same; to the person watching, it is explained.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext, type PeerCertificate, type SecureContext, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { Clock, TlsPeer } from '@medmij-sandbox/network';
import { CA_IDS, CA_NAMES, type LeafKind } from './hierarchy.js';
import type { SandboxPki } from './store.js';

export type Channel = 'frontchannel' | 'backchannel';

/** Protocol settings laid over the PKI material: the sandbox's TLS policy (packages/transport tls-policy.ts). */
export type TlsProtocolSettings = Pick<SecureContextOptions, 'ciphers' | 'honorCipherOrder' | 'ecdhCurve' | 'sigalgs' | 'secureOptions'>;

export interface ServerTlsOptions extends TlsProtocolSettings {
  key: string;
  cert: string;
  ca: string[];
  crl: string[];
  requestCert: boolean;
  rejectUnauthorized: boolean;
  minVersion: 'TLSv1.2';
}

/**
 * Server TLS material for one participant hostname. The back channel presents the private-services
 * server certificate and asks for a client certificate; the front channel presents the browser
 * certificate and asks for none (MedMij: one-sided TLS in the browser, two-sided between servers).
 */
export function serverTlsOptions(
  pki: SandboxPki,
  hostname: string,
  channel: Channel,
  opts: { requestClientCertificate?: boolean; protocol?: TlsProtocolSettings } = {},
): ServerTlsOptions {
  pki.refresh();
  const own = pki.material(hostname, channel === 'frontchannel' ? 'browser' : 'server');
  const requestCert = channel === 'backchannel' && (opts.requestClientCertificate ?? true);
  return {
    ...opts.protocol,
    key: own.keyPem,
    cert: own.chainPem,
    ca: [pki.caCertPem('root')],
    // Node turns on CRL_CHECK_ALL with any CRL: it then needs one for every CA in the chain, root included.
    crl: pki.allCrlPems(),
    requestCert,
    rejectUnauthorized: false,
    // MedMij: TLS 1.2 at least, 1.3 where possible (Node negotiates the highest).
    minVersion: 'TLSv1.2',
  };
}

/**
 * A secure-context source that follows the PKI on disk: it rebuilds the context when state.json
 * changed, so a revocation made by the CLI counts from the very next handshake.
 */
export function secureContextSource(
  pki: SandboxPki,
  hostname: string,
  channel: Channel,
  opts: { requestClientCertificate?: boolean; protocol?: TlsProtocolSettings } = {},
) {
  let version = '';
  let cached: { context: SecureContext; options: ServerTlsOptions } | undefined;
  return {
    current(): { context: SecureContext; changed: boolean; options: ServerTlsOptions } {
      // One stat per handshake; the files are read again only when the PKI changed.
      pki.refresh();
      const changed = pki.version !== version;
      if (changed || !cached) {
        const options = serverTlsOptions(pki, hostname, channel, opts);
        cached = { context: createSecureContext(options), options };
        version = pki.version;
      }
      return { ...cached, changed };
    },
  };
}

export interface ClientTlsOptions {
  ca: string[];
  crl: string[];
  cert?: string;
  key?: string;
  minVersion: 'TLSv1.2';
}

/**
 * Client TLS material: trust the sandbox root, check the server against the CRLs, and (when the caller
 * is a participant) present its private-services client certificate.
 */
export function clientTlsOptions(pki: SandboxPki, ownHostname?: string): ClientTlsOptions {
  pki.refresh();
  // Cached per PKI generation: a hop reads the files again only after the PKI changed.
  const perPki = clientOptionsCache.get(pki) ?? new Map<string, { version: string; options: ClientTlsOptions }>();
  clientOptionsCache.set(pki, perPki);
  const hit = perPki.get(ownHostname ?? '');
  if (hit && hit.version === pki.version) return hit.options;
  const options: ClientTlsOptions = { ca: [pki.caCertPem('root')], crl: pki.allCrlPems(), minVersion: 'TLSv1.2' };
  if (ownHostname) {
    const own = pki.material(ownHostname, 'client');
    options.cert = own.chainPem;
    options.key = own.keyPem;
  }
  perPki.set(ownHostname ?? '', { version: pki.version, options });
  return options;
}

const clientOptionsCache = new WeakMap<SandboxPki, Map<string, { version: string; options: ClientTlsOptions }>>();

/** The fields of a peer certificate worth showing in a trace. */
export function describeCertificate(cert: PeerCertificate | undefined): Omit<TlsPeer, 'verdict'> {
  if (!cert || !cert.subject) return {};
  const dnsNames = (cert.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  return {
    peerSubject: formatDn(cert.subject as unknown as Record<string, string | string[]>),
    issuer: formatDn(cert.issuer as unknown as Record<string, string | string[]>),
    serial: cert.serialNumber?.toUpperCase(),
    dnsNames,
  };
}

function formatDn(dn: Record<string, string | string[]> | undefined): string | undefined {
  if (!dn) return undefined;
  const order = ['CN', 'OU', 'O', 'C'];
  return order
    .filter((k) => dn[k] !== undefined)
    .map((k) => `${k}=${Array.isArray(dn[k]) ? (dn[k] as string[]).join('+') : dn[k]}`)
    .join(', ');
}

/**
 * Judges the certificate a client presented on a back-channel connection, after the handshake:
 * OpenSSL's verdict (chain, signature, CRL, wall-clock validity), then the sandbox's own rules:
 * issued by the private-services CA, and valid on the *sandbox* clock (so time travel expires it).
 */
export function judgeClientCertificate(socket: TLSSocket, clock: Clock, pki?: SandboxPki): TlsPeer {
  const cert = socket.getPeerCertificate();
  const described = describeCertificate(cert);
  if (!cert || !cert.subject) return { verdict: 'NO_CLIENT_CERTIFICATE' };
  if (!socket.authorized) {
    const error = String(socket.authorizationError ?? 'UNAUTHORIZED');
    // OpenSSL looks for a CRL of the certificate's issuer before it notices that issuer is unknown: a self-signed
    // or foreign certificate then comes out as UNABLE_TO_GET_CRL. Say what it really is.
    return { ...described, verdict: error === 'UNABLE_TO_GET_CRL' ? (foreignIssuer(cert, pki) ?? error) : error };
  }
  return { ...described, verdict: sandboxVerdict(cert, clock, 'client') };
}

/** DEPTH_ZERO_SELF_SIGNED_CERT or UNABLE_TO_GET_ISSUER_CERT_LOCALLY when a certificate is none of the sandbox PKI's. */
function foreignIssuer(cert: PeerCertificate, pki: SandboxPki | undefined): string | undefined {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert.raw);
  } catch {
    return undefined;
  }
  if (leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey)) return 'DEPTH_ZERO_SELF_SIGNED_CERT';
  if (!pki) return undefined;
  const sandboxCas = CA_IDS.map((ca) => new X509Certificate(pki.caCertPem(ca)));
  return sandboxCas.some((ca) => leaf.checkIssued(ca) && leaf.verify(ca.publicKey)) ? undefined : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
}

/**
 * Judges again a client certificate that was accepted at its connection's handshake, on the PKI as it is now:
 * a kept-alive connection must not outlive `pki revoke` (or `pki init --force`, or time travel past its end).
 * Cheap enough for every request: the PKI re-reads its state only when state.json changed.
 */
export function rejudgeClientCertificate(cert: PeerCertificate, pki: SandboxPki, clock: Clock): string {
  pki.refresh();
  const leaf = new X509Certificate(cert.raw);
  const issuer = new X509Certificate(pki.caCertPem('private-services'));
  // A rebuilt PKI (`pki init --force`): the certificate no longer chains to the sandbox's CA.
  if (!leaf.checkIssued(issuer) || !leaf.verify(issuer.publicKey)) return 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  // The CRLs are written from these records in the same change (store.ts mutate): the same answer as the CRL.
  if (pki.findBySerial(leaf.serialNumber)?.revoked) return 'CERT_REVOKED';
  return sandboxVerdict(cert, clock, 'client');
}

/** The sandbox's checks on a certificate OpenSSL already accepted. */
export function sandboxVerdict(cert: PeerCertificate, clock: Clock, expected: LeafKind): string {
  const issuerCn = (cert.issuer as unknown as Record<string, string>)?.CN;
  const wantedIssuer = expected === 'browser' ? CA_NAMES.browser : CA_NAMES['private-services'];
  if (issuerCn !== wantedIssuer) return 'WRONG_ISSUING_CA';
  const now = clock.nowMs();
  if (now > Date.parse(cert.valid_to)) return 'CERT_HAS_EXPIRED';
  if (now < Date.parse(cert.valid_from)) return 'CERT_NOT_YET_VALID';
  return 'ok';
}

/** The hostname a certificate vouches for (first DNS SAN), the identity MedMij uses on the Whitelist. */
export function certificateHostname(peer: Pick<TlsPeer, 'dnsNames' | 'peerSubject'>): string | undefined {
  return peer.dnsNames?.[0] ?? /CN=([^,]+)/.exec(peer.peerSubject ?? '')?.[1];
}

/** Human explanations of the verdicts, for traces and error pages. */
export const VERDICT_EXPLANATIONS: Record<string, string> = {
  ok: 'certificate accepted',
  NO_CLIENT_CERTIFICATE: 'no client certificate was presented; the back channel requires mutual TLS',
  CERT_REVOKED: 'the certificate is on the CRL of its issuing CA (revoked)',
  CERT_HAS_EXPIRED: 'the certificate validity period has ended',
  CERT_NOT_YET_VALID: 'the certificate validity period has not started yet',
  WRONG_ISSUING_CA: 'the certificate was not issued by the sandbox private-services CA',
  UNABLE_TO_GET_CRL: 'no CRL is available for a CA in the chain, so revocation cannot be checked',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate does not chain to the sandbox root',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the certificate is unknown (not the sandbox PKI)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a root that is not the sandbox root',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'a self-signed certificate, not one from the sandbox PKI',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not for the hostname that was called',
};

export function explainVerdict(verdict: string): string {
  return VERDICT_EXPLANATIONS[verdict] ?? verdict;
}
