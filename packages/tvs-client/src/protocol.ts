/**
 * The contract between the mock TVS and the services that use it (the DVZAs). Both sides import these
 * names, so what the TVS sends and what a DVZA checks cannot drift apart.
 *
 * Shape (docs/decisions/0005-tvs-oidc-with-encrypted-bsn.md): the OpenID Connect authorization code flow
 * with eToegang semantics. The browser only ever carries an opaque, single-use code (the role of the SAML
 * artifact); the DVZA redeems it over the mutual-TLS back channel (artifact resolution) and receives an
 * identity assertion: a JWT signed by the TVS whose BSN claim is a JWE encrypted for that one DVZA.
 */

export const TVS_PATHS = {
  /** Front channel: where a DVZA sends the browser (the DigiD login page with the persona picker). */
  authorize: '/authorize',
  /** Front channel: the login form posts here. */
  login: '/login',
  /** Front channel: discovery document. */
  discovery: '/.well-known/openid-configuration',
  /** Back channel (mutual TLS): a DVZA redeems the code for the identity assertion. */
  token: '/token',
} as const;

/** DigiD's assurance levels as eToegang names them (the `acr` of the assertion). */
export const ASSURANCE_LEVELS = [
  { id: 'basis', uri: 'urn:etoegang:core:assurance-class:loa2', rank: 1, nl: 'Basis', en: 'Basic' },
  { id: 'midden', uri: 'urn:etoegang:core:assurance-class:loa2plus', rank: 2, nl: 'Midden', en: 'Middle' },
  { id: 'substantieel', uri: 'urn:etoegang:core:assurance-class:loa3', rank: 3, nl: 'Substantieel', en: 'Substantial' },
  { id: 'hoog', uri: 'urn:etoegang:core:assurance-class:loa4', rank: 4, nl: 'Hoog', en: 'High' },
] as const;

export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];
export type AssuranceLevelId = AssuranceLevel['id'];

export function assuranceLevel(idOrUri: string): AssuranceLevel | undefined {
  return ASSURANCE_LEVELS.find((l) => l.id === idOrUri || l.uri === idOrUri);
}

/** SPEC §5: health data needs Substantieel unless a DVZA is configured otherwise. */
export const DEFAULT_MINIMUM_LEVEL: AssuranceLevelId = 'substantieel';

/** The claim that carries the encrypted BSN, named after eToegang's EntityConcernedID. */
export const BSN_CLAIM = 'urn:etoegang:1.12:EntityConcernedID:BSN';

/**
 * How a login can end. All but `success` come back to the DVZA's redirect_uri as an OAuth error, with
 * `tvs_outcome` saying which of them it was (eToegang signals these as SAML status codes; OIDC has no
 * finer code than `access_denied`, so the sandbox adds one parameter rather than overloading error_description).
 */
export const LOGIN_OUTCOMES = ['success', 'cancelled', 'authentication_failed', 'session_expired', 'tvs_error'] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];
export type FailedOutcome = Exclude<LoginOutcome, 'success'>;

export const FAILED_OUTCOMES: Record<FailedOutcome, { error: string; samlStatus: string; nl: string; en: string }> = {
  cancelled: {
    error: 'access_denied',
    samlStatus: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
    nl: 'U heeft het inloggen met DigiD geannuleerd.',
    en: 'You cancelled the DigiD login.',
  },
  authentication_failed: {
    error: 'access_denied',
    samlStatus: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
    nl: 'Inloggen met DigiD is mislukt: de gegevens klopten niet.',
    en: 'DigiD login failed: the credentials were wrong.',
  },
  session_expired: {
    error: 'access_denied',
    samlStatus: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
    nl: 'Uw DigiD-sessie is verlopen. Probeer het opnieuw.',
    en: 'Your DigiD session expired. Please try again.',
  },
  tvs_error: {
    error: 'temporarily_unavailable',
    samlStatus: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
    nl: 'Er ging iets mis bij de Toegangsverleningservice. Probeer het later opnieuw.',
    en: 'Something went wrong at the Toegangsverleningservice. Please try again later.',
  },
};

/** Lifetimes on the sandbox clock. Short on purpose: like a SAML artifact and assertion, used once, at once. */
export const LIFETIMES = {
  /** A login page left open longer than this ends in `session_expired` (DigiD: 15 minutes). */
  loginSessionMs: 15 * 60_000,
  /** The code the browser carries back. */
  codeMs: 2 * 60_000,
  /** The identity assertion. */
  assertionMs: 2 * 60_000,
} as const;

/** What a DVZA learns from a successful login. */
export interface IdentityAssertion {
  bsn: string;
  level: AssuranceLevel;
  /** A pseudonym of the person for this DVZA only (eToegang PseudoID): stable across logins. */
  pseudonym: string;
  jti: string;
  issuedAt: string;
  expiresAt: string;
  /** Subject and serial of the TVS certificate that signed the assertion. */
  signer: { subject: string; serial: string };
}
