/**
 * packages/tvs-client: the DVZA's side of the DigiD login. It takes the browser back from the TVS,
 * resolves the artifact on the back channel and believes the identity assertion only after checking it.
 * A description or error_description the TVS sent is the TVS's own text (in the person's language) and
 * an open-ended parameter, as are messages of the JOSE library and the PKI's verdict on a certificate.
 */
import { reason, text, type NoParams, type Params, type Reason, type Text } from './catalogue.js';
import { DVZA_RULES } from './dvza.js';

const R = DVZA_RULES.identityAssertion;

/** Why an assertion is refused: its problem code, and the message (the TvsAssertionError's, nested in the refusal). */
export interface AssertionProblem<P extends Params = Params> extends Reason<P> {
  problem: string;
}

const problem = <P extends Params = NoParams>(id: string, code: string, message: Text<P>): AssertionProblem<P> => ({
  ...reason<P>(id, undefined, message.en, message.nl),
  problem: code,
});

export const DVZA_LOGIN = {
  stateMismatch: reason(
    'dvza.login.state-mismatch',
    R,
    () => 'the TVS callback carries another state than this login session started with',
    () => 'de terugkeer van de TVS draagt een andere state dan waarmee deze inlogsessie begon',
  ),
  ended: reason<{ outcome: string; description: string }>(
    'dvza.login.ended-at-tvs',
    R,
    (p) => `the login at the TVS ended without identity: ${p.outcome} (${p.description})`,
    (p) => `het inloggen bij de TVS eindigde zonder identiteit: ${p.outcome} (${p.description})`,
  ),
  noCode: reason(
    'dvza.login.no-code',
    R,
    () => 'the TVS callback carries neither a code nor an error',
    () => 'de terugkeer van de TVS draagt geen code en geen fout',
  ),
  // `problem`: the hop's reason (transport.ts).
  unreachable: reason<{ problem: string }>(
    'dvza.login.tvs-unreachable',
    R,
    (p) => `the TVS back channel could not be reached: ${p.problem}`,
    (p) => `het back channel van de TVS was niet bereikbaar: ${p.problem}`,
  ),
  /** `description` '' when the TVS sent none. */
  codeRefused: reason<{ error: string; description: string }>(
    'dvza.login.code-refused',
    R,
    (p) => `the TVS refused the code: ${p.error}${p.description ? ` (${p.description})` : ''}`,
    (p) => `de TVS weigerde de code: ${p.error}${p.description ? ` (${p.description})` : ''}`,
  ),
  noJson: reason<{ status: number }>(
    'dvza.login.answer-without-json',
    R,
    (p) => `the TVS answered HTTP ${p.status} without JSON`,
    (p) => `de TVS antwoordde HTTP ${p.status} zonder JSON`,
  ),
  // `message`: one of DVZA_ASSERTION below.
  assertionRefused: reason<{ problem: string; message: string }>(
    'dvza.login.assertion-refused',
    R,
    (p) => `identity assertion refused (${p.problem}): ${p.message}`,
    (p) => `identiteitsassertion geweigerd (${p.problem}): ${p.message}`,
  ),
  accepted: reason<{ tvs: string; serial: string; client: string; level: string }>(
    'dvza.login.assertion-accepted',
    R,
    (p) =>
      `identity assertion accepted: signed by ${p.tvs} (serial ${p.serial}), audience ${p.client}, level ${p.level}, BSN decrypted with the DVZA's own key`,
    (p) =>
      `identiteitsassertion geaccepteerd: ondertekend door ${p.tvs} (serienummer ${p.serial}), audience ${p.client}, niveau ${p.level}, BSN ontsleuteld met de eigen sleutel van de DVZA`,
  ),
} as const;

export const DVZA_ASSERTION = {
  /** `alg` '' when the header names none. */
  algorithm: problem<{ alg: string }>(
    'dvza.assertion.algorithm',
    'malformed',
    text(
      (p) => `the assertion is signed with ${p.alg || 'no algorithm'}, the TVS signs with RS256`,
      (p) => `de assertion is ondertekend met ${p.alg || 'geen algoritme'}, de TVS ondertekent met RS256`,
    ),
  ),
  noCertificate: problem(
    'dvza.assertion.no-certificate',
    'malformed',
    text(
      () => 'the assertion names no signing certificate (x5c)',
      () => 'de assertion noemt geen ondertekeningscertificaat (x5c)',
    ),
  ),
  notAJwt: problem<{ message: string }>(
    'dvza.assertion.not-a-jwt',
    'malformed',
    text(
      (p) => `the assertion is not a signed JWT with a certificate: ${p.message}`,
      (p) => `de assertion is geen ondertekende JWT met een certificaat: ${p.message}`,
    ),
  ),
  // `verdict`: the PKI's own sentence on the signing certificate.
  untrustedSigner: problem<{ verdict: string }>(
    'dvza.assertion.untrusted-signer',
    'untrusted_signer',
    text(
      (p) => p.verdict,
      (p) => p.verdict,
    ),
  ),
  forged: problem(
    'dvza.assertion.forged-signature',
    'forged_signature',
    text(
      () => 'the signature does not match the assertion: it was changed, or signed with another key than the certificate it names',
      () => 'de handtekening past niet bij de assertion: die is gewijzigd, of ondertekend met een andere sleutel dan die van het genoemde certificaat',
    ),
  ),
  expired: problem(
    'dvza.assertion.expired',
    'expired',
    text(
      () => 'the assertion has expired (sandbox clock)',
      () => 'de assertion is verlopen (sandboxklok)',
    ),
  ),
  wrongAudience: problem<{ audience: string }>(
    'dvza.assertion.wrong-audience',
    'wrong_audience',
    text(
      (p) => `the assertion is meant for another service, not for ${p.audience}`,
      (p) => `de assertion is bedoeld voor een andere dienst, niet voor ${p.audience}`,
    ),
  ),
  /** `audiences`: the aud claim's entries, comma-separated. */
  audienceList: problem<{ audience: string; audiences: string }>(
    'dvza.assertion.audience-list',
    'wrong_audience',
    text(
      (p) => `the assertion names a list of audiences (${p.audiences}), not ${p.audience} alone: an identity assertion is for one service`,
      (p) => `de assertion noemt een lijst van ontvangers (${p.audiences}), niet alleen ${p.audience}: een identiteitsassertion is voor één dienst`,
    ),
  ),
  /** `kind`: the PKI's kind of the signing certificate (client, browser), or 'unknown' when the PKI has no record of it. */
  notSigningCertificate: problem<{ tvs: string; serial: string; kind: string }>(
    'dvza.assertion.not-signing-certificate',
    'untrusted_signer',
    text(
      (p) =>
        `the assertion was signed with the ${p.kind} certificate of ${p.tvs} (serial ${p.serial}), not with its server certificate, the one it signs assertions with`,
      (p) =>
        `de assertion is ondertekend met het ${p.kind}-certificaat van ${p.tvs} (serienummer ${p.serial}), niet met zijn servercertificaat, waarmee het assertions ondertekent`,
    ),
  ),
  wrongIssuer: problem<{ issuer: string }>(
    'dvza.assertion.wrong-issuer',
    'wrong_issuer',
    text(
      (p) => `the assertion was not issued by ${p.issuer}`,
      (p) => `de assertion is niet uitgegeven door ${p.issuer}`,
    ),
  ),
  notYetValid: problem(
    'dvza.assertion.not-yet-valid',
    'not_yet_valid',
    text(
      () => 'the assertion is not valid yet (sandbox clock)',
      () => 'de assertion is nog niet geldig (sandboxklok)',
    ),
  ),
  badClaim: problem<{ claim: string; message: string }>(
    'dvza.assertion.bad-claim',
    'malformed',
    text(
      (p) => `the assertion lacks or mangles the claim ${p.claim}: ${p.message}`,
      (p) => `de claim ${p.claim} ontbreekt in de assertion of is verminkt: ${p.message}`,
    ),
  ),
  unreadable: problem<{ message: string }>(
    'dvza.assertion.unreadable',
    'malformed',
    text(
      (p) => `the assertion cannot be read: ${p.message}`,
      (p) => `de assertion is niet te lezen: ${p.message}`,
    ),
  ),
  tooLongLived: problem<{ seconds: number; max: number }>(
    'dvza.assertion.too-long-lived',
    'too_long_lived',
    text(
      (p) => `the assertion is valid for ${p.seconds} s; the TVS issues them for at most ${p.max} s`,
      (p) => `de assertion is ${p.seconds} s geldig; de TVS geeft ze voor hoogstens ${p.max} s uit`,
    ),
  ),
  issuedInFuture: problem(
    'dvza.assertion.issued-in-future',
    'not_yet_valid',
    text(
      () => 'the assertion was issued in the future (sandbox clock)',
      () => 'de assertion is in de toekomst uitgegeven (sandboxklok)',
    ),
  ),
  nonceMismatch: problem(
    'dvza.assertion.nonce-mismatch',
    'nonce_mismatch',
    text(
      () => 'the assertion belongs to another login (nonce differs from this session)',
      () => 'de assertion hoort bij een andere login (de nonce wijkt af van deze sessie)',
    ),
  ),
  replayed: problem<{ jti: string }>(
    'dvza.assertion.replayed',
    'replayed',
    text(
      (p) => `the assertion ${p.jti} was already used: an assertion counts once`,
      (p) => `de assertion ${p.jti} is al gebruikt: een assertion telt één keer`,
    ),
  ),
  unknownLevel: problem<{ acr: string }>(
    'dvza.assertion.unknown-level',
    'unknown_level',
    text(
      (p) => `unknown assurance level ${p.acr}`,
      (p) => `onbekend betrouwbaarheidsniveau ${p.acr}`,
    ),
  ),
  bsnNotDecryptable: problem<{ client: string; message: string }>(
    'dvza.assertion.bsn-not-decryptable',
    'bsn_not_decryptable',
    text(
      (p) => `the BSN was not encrypted for ${p.client}: ${p.message}`,
      (p) => `het BSN is niet voor ${p.client} versleuteld: ${p.message}`,
    ),
  ),
  invalidBsn: problem(
    'dvza.assertion.invalid-bsn',
    'invalid_bsn',
    text(
      () => 'the decrypted BSN fails the 11-proef',
      () => 'het ontsleutelde BSN voldoet niet aan de 11-proef',
    ),
  ),
} as const;
