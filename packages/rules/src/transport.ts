/**
 * packages/transport: how every participant listens and calls. The server's mTLS gate refuses client
 * certificates at the handshake; a caller's hop that gets no HTTP answer says why. The explanation of a
 * certificate verdict comes from packages/pki (its Dutch from the table below) and a Node error message from
 * Node, an open-ended parameter in English.
 */
import { reason, rule } from './catalogue.js';

/**
 * The Dutch of packages/pki's certificate verdicts (VERDICT_EXPLANATIONS there, in English; packages/transport's
 * tests hold the two tables to the same codes). A verdict the table does not know keeps the English explanation.
 */
export const VERDICT_EXPLANATIONS_NL: Record<string, string> = {
  ok: 'certificaat geaccepteerd',
  NO_CLIENT_CERTIFICATE: 'er werd geen clientcertificaat getoond; het back channel vraagt tweezijdig TLS',
  CERT_REVOKED: 'het certificaat staat op de CRL van de uitgevende CA (ingetrokken)',
  CERT_HAS_EXPIRED: 'de geldigheidsduur van het certificaat is voorbij',
  CERT_NOT_YET_VALID: 'de geldigheidsduur van het certificaat is nog niet begonnen',
  WRONG_ISSUING_CA: 'het certificaat is niet uitgegeven door de CA voor private diensten van de sandbox',
  UNABLE_TO_GET_CRL: 'voor een CA in de keten is geen CRL beschikbaar, dus intrekking kan niet worden gecontroleerd',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'het certificaat leidt niet naar de root van de sandbox',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'de uitgever van het certificaat is onbekend (niet de PKI van de sandbox)',
  SELF_SIGNED_CERT_IN_CHAIN: 'de keten eindigt in een root die niet de root van de sandbox is',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'een zelfondertekend certificaat, niet een van de PKI van de sandbox',
  ERR_TLS_CERT_ALTNAME_INVALID: 'het certificaat is niet voor de hostnaam die werd aangeroepen',
};
const nl = (code: string, explanation: string) => VERDICT_EXPLANATIONS_NL[code] ?? explanation;

export const TRANSPORT_RULES = {
  mutualTls: rule(
    'transport.backchannel.mutual-tls',
    '§4',
    'back channel: two-sided TLS with a sandbox PKI certificate',
    'back channel: tweezijdig TLS met een certificaat van de sandbox-PKI',
  ),
} as const;

export const TRANSPORT = {
  // The gate's rule is the listener's own (gateRule), so these reasons name none.
  clientCertificateRefused: reason<{ verdict: string; explanation: string }>(
    'transport.tls.client-certificate-refused',
    undefined,
    (p) => `client certificate refused at the TLS handshake: ${p.verdict} (${p.explanation})`,
    (p) => `clientcertificaat geweigerd bij de TLS-handshake: ${p.verdict} (${nl(p.verdict, p.explanation)})`,
  ),
  refusalsCounted: reason<{ count: number; verdict: string; address: string; since: string }>(
    'transport.tls.refusals-counted',
    undefined,
    (p) =>
      `${p.count} more handshake(s) refused for the same reason (${p.verdict}) from ${p.address} in the minute of sandbox time since ${p.since}: counted, not traced one by one`,
    (p) =>
      `nog ${p.count} handshake(s) om dezelfde reden geweigerd (${p.verdict}) vanaf ${p.address} in de minuut sandboxtijd sinds ${p.since}: geteld, niet elk apart getraced`,
  ),
  // The same refusal on a kept-alive connection: the certificate passed its handshake, the PKI (or the clock) changed since.
  clientCertificateRefusedSinceHandshake: reason<{ verdict: string; explanation: string }>(
    'transport.tls.client-certificate-refused-since-handshake',
    undefined,
    (p) =>
      `client certificate refused on a kept-alive connection, before reading the request: ${p.verdict} (${p.explanation}) since the TLS handshake; the connection is closed`,
    (p) =>
      `clientcertificaat geweigerd op een opengehouden verbinding, vóór het lezen van het verzoek: ${p.verdict} (${nl(p.verdict, p.explanation)}) sinds de TLS-handshake; de verbinding is gesloten`,
  ),
  unhandledError: reason<{ method: string; path: string; message: string }>(
    'transport.server.unhandled-error',
    undefined,
    (p) => `unhandled error while serving ${p.method} ${p.path}: ${p.message}`,
    (p) => `onafgehandelde fout bij het beantwoorden van ${p.method} ${p.path}: ${p.message}`,
  ),

  // A caller's hop without an HTTP answer; the hop's rule is the caller's.
  serverCertificateRefused: reason<{ to: string; code: string; explanation: string }>(
    'transport.hop.server-certificate-refused',
    undefined,
    (p) => `refused the server certificate of ${p.to}: ${p.code} (${p.explanation})`,
    (p) => `servercertificaat van ${p.to} geweigerd: ${p.code} (${nl(p.code, p.explanation)})`,
  ),
  peerClosed: reason<{ to: string }>(
    'transport.hop.peer-closed',
    undefined,
    (p) => `${p.to} closed the connection during or right after the TLS handshake: it refused our client certificate (its own trace event says why)`,
    (p) => `${p.to} verbrak de verbinding tijdens of vlak na de TLS-handshake: het weigerde ons clientcertificaat (zijn eigen trace-event zegt waarom)`,
  ),
  peerClosedKeptAlive: reason<{ to: string }>(
    'transport.hop.peer-closed-kept-alive',
    undefined,
    (p) =>
      `${p.to} closed the kept-alive connection without answering: it refused our client certificate since the handshake, or it stopped (its own trace event says why)`,
    (p) =>
      `${p.to} verbrak de opengehouden verbinding zonder antwoord: het weigert ons clientcertificaat sinds de handshake, of het is gestopt (zijn eigen trace-event zegt waarom)`,
  ),
  connectionRefused: reason<{ to: string }>(
    'transport.hop.connection-refused',
    undefined,
    (p) => `nothing listens at ${p.to}: connection refused (is that participant running?)`,
    (p) => `niets luistert op ${p.to}: verbinding geweigerd (draait die deelnemer wel?)`,
  ),
  timedOut: reason<{ to: string }>(
    'transport.hop.timed-out',
    undefined,
    (p) => `${p.to} did not answer in time`,
    (p) => `${p.to} antwoordde niet op tijd`,
  ),
  unknownHost: reason<{ to: string }>(
    'transport.hop.unknown-host',
    undefined,
    (p) => `cannot resolve ${p.to}: not a sandbox hostname and not in DNS`,
    (p) => `${p.to} is niet te herleiden: geen sandbox-hostnaam en niet in DNS`,
  ),
  failed: reason<{ to: string; message: string }>(
    'transport.hop.failed',
    undefined,
    (p) => `call to ${p.to} failed: ${p.message}`,
    // The error's own message (Node's or the sandbox's), in English: quoted.
    (p) => `aanroep van ${p.to} mislukt, de foutmelding: "${p.message}"`,
  ),
} as const;
