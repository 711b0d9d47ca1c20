/**
 * The one TLS policy of the sandbox: every sandbox TLS server (front and back channels, `listen`) and the
 * sandbox's own client (`hop`) use exactly these settings.
 *
 * Source: NCSC, "ICT-beveiligingsrichtlijnen voor Transport Layer Security (TLS)" (2021), the settings rated
 * "goed" (good): TLS 1.3 and 1.2 only; for TLS 1.2 only ECDHE key exchange with AEAD ciphers (no static RSA key
 * exchange, no CBC, no SHA-1 MACs); ECDHE groups and signature hashes from the "goed" lists; no client-initiated
 * renegotiation. The sandbox's keys are RSA, so the TLS 1.2 suites are the ECDHE-RSA ones.
 */
import { constants } from 'node:crypto';

/** TLS 1.3 suites, strongest first (NCSC "goed"). */
export const TLS13_CIPHERSUITES = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'] as const;

/** TLS 1.2 suites for RSA keys, in OpenSSL's names (NCSC "goed": ECDHE, AES-GCM or ChaCha20-Poly1305). */
export const TLS12_CIPHERS = ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-RSA-AES128-GCM-SHA256'] as const;

export interface TlsPolicy {
  minVersion: 'TLSv1.2';
  /** Node takes the TLS 1.3 suites and the TLS 1.2 ciphers in one OpenSSL list. */
  ciphers: string;
  /** The server's order counts, not the client's (NCSC: the server decides). */
  honorCipherOrder: boolean;
  /** NCSC "goed" groups that OpenSSL 3.0 and browsers share. */
  ecdhCurve: string;
  /** RSA-PSS and PKCS#1 v1.5 with SHA-2 only: no SHA-1 signatures in the handshake. */
  sigalgs: string;
  /**
   * SSL_OP_NO_RENEGOTIATION: OpenSSL refuses every renegotiation (TLS 1.2; 1.3 has none). Without it Node
   * accepts up to 3 client-initiated renegotiations per 10 minutes (tls.CLIENT_RENEG_LIMIT) before it drops the
   * connection: a denial-of-service lever, and a "not good" in the NCSC guidelines.
   */
  secureOptions: number;
}

export const TLS_POLICY: Readonly<TlsPolicy> = Object.freeze({
  minVersion: 'TLSv1.2',
  ciphers: [...TLS13_CIPHERSUITES, ...TLS12_CIPHERS].join(':'),
  honorCipherOrder: true,
  ecdhCurve: 'X25519:P-256:P-384',
  sigalgs: [
    'rsa_pss_rsae_sha256',
    'rsa_pss_rsae_sha384',
    'rsa_pss_rsae_sha512',
    'rsa_pss_pss_sha256',
    'rsa_pss_pss_sha384',
    'rsa_pss_pss_sha512',
    'rsa_pkcs1_sha256',
    'rsa_pkcs1_sha384',
    'rsa_pkcs1_sha512',
  ].join(':'),
  secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
});
