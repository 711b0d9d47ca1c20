/**
 * packages/medmij-oauth: the OAuth contract between PGO and DVZA. The state rule both sides enforce, and
 * the problems with a scope or a redirect_uri, which the DVZA quotes in its refusals (a redirect_uri
 * problem on the page, in the person's language). Afsprakenstelsel 2 (SPEC §10.1–10.2) adds the scope
 * grammar per afsprakenstelsel, the token endpoint's form and headers, refresh tokens and long-lived
 * consent, and the FHIR Accept header. The token endpoint's refusals (`token`, `refresh`) are complete
 * refusals, read like the DVZA's own (dvza-token.ts): HTTP status, OAuth error and error_description. The
 * scope and Accept problems are nested in a DVZA refusal as `problem`.
 */
import { reason, rule, text, type NoParams, type Params, type Rule, type Text } from './catalogue.js';
import { tokenRefusal, type TokenRefusal } from './dvza-token.js';

/** `a and b` as Dutch says it: `a en b`. */
const en2nl = (list: string) => list.split(' and ').join(' en ');

export const OAUTH_RULES = {
  state: rule('oauth.state.binds-session', '§2.1', 'state binds the answer to the PGO session', 'state koppelt het antwoord aan de sessie bij de PGO'),
  scopeGrammar: rule(
    'oauth.scope.grammar-per-afsprakenstelsel',
    '§10.1',
    'scope: in afsprakenstelsel 2 the zorgaanbieder alone (the person chooses the gegevensdiensten at the DVZA); in 1.5 <zorgaanbieder>~<gegevensdienstId> for each',
    'scope: in afsprakenstelsel 2 alleen de zorgaanbieder (de persoon kiest de gegevensdiensten bij de DVZA); in 1.5 <zorgaanbieder>~<gegevensdienstId> voor elke',
  ),
  tokenRequest: rule(
    'oauth.token.request-form',
    '§2.5',
    'the token request is a form: grant_type, code, redirect_uri and client_id; a refresh: grant_type, refresh_token and client_id; each once',
    'het tokenverzoek is een formulier: grant_type, code, redirect_uri en client_id; een refresh: grant_type, refresh_token en client_id; elk één keer',
  ),
  grantTypes: rule(
    'oauth.token.grant-types',
    '§10.2',
    'grant_type authorization_code; in afsprakenstelsel 2 also refresh_token (long-lived consent)',
    'grant_type authorization_code; in afsprakenstelsel 2 ook refresh_token (langdurige toestemming)',
  ),
  tokenHeaders: rule(
    'oauth.token.medmij-headers',
    '§10.1',
    'MedMij-Request-ID (new per request) and X-Correlation-ID on the token request; a refresh starts a new X-Correlation-ID (core.tknint.208)',
    'MedMij-Request-ID (nieuw per verzoek) en X-Correlation-ID bij het tokenverzoek; een refresh begint een nieuwe X-Correlation-ID (core.tknint.208)',
  ),
  refreshRotation: rule(
    'oauth.refresh.rotation',
    '§10.2',
    'a refresh token is bound to its client and counts once: it is exchanged for an access token and a new refresh token; offered again by its client, every token of the consent is revoked',
    'een refresh token is gebonden aan zijn client en telt één keer: het wordt ingewisseld voor een toegangstoken en een nieuw refresh token; biedt zijn client het opnieuw aan, dan worden alle tokens van de toestemming ingetrokken',
  ),
  longLivedConsent: rule(
    'oauth.consent.long-lived',
    '§10.2',
    'long-lived consent, if the person chooses it: it lapses after more than 6 months without data collected, and the person can withdraw it',
    'langdurige toestemming, als de persoon ervoor kiest: die vervalt na meer dan 6 maanden zonder opgehaalde gegevens, en de persoon kan die intrekken',
  ),
  withdrawal: rule(
    'oauth.consent.withdrawal',
    '§10.2',
    'the person withdraws a long-lived consent: in the PGO ("Toestemmingen aanpassen": it drops its refresh token and revokes it at the DVZA, RFC 7009 — a sandbox extension, SPEC names no revocation interface) or at the DVZA after DigiD; then no token of it counts',
    'de persoon trekt een langdurige toestemming in: in de PGO ("Toestemmingen aanpassen": die gooit haar refresh token weg en trekt het in bij de DVZA, RFC 7009 — een uitbreiding van de sandbox, SPEC noemt geen intrekkingsinterface) of bij de DVZA na DigiD; daarna telt geen token ervan nog',
  ),
  // RFC rules the contract follows beyond what MedMij writes down (issue 16: the sandbox obeys what it teaches).
  issuer: rule(
    'oauth.authorize.issuer',
    undefined,
    "RFC 9207 every authorization response names its issuer (iss): the authorization server's front-channel base URL; a client refuses a response whose iss is not the server it sent the browser to (mix-up)",
    'RFC 9207 elk autorisatieantwoord noemt zijn uitgever (iss): de basis-URL van het front channel van de autorisatieserver; een client weigert een antwoord waarvan iss niet de server is waarheen hij de browser stuurde (mix-up)',
  ),
  parametersOnce: rule(
    'oauth.request.parameters-once',
    undefined,
    'RFC 6749 §3.1, §3.2 a request parameter is sent at most once; one given twice makes the request invalid_request',
    'RFC 6749 §3.1, §3.2 een verzoekparameter wordt hoogstens één keer meegegeven; een die twee keer voorkomt, maakt het verzoek invalid_request',
  ),
  pkce: rule(
    'oauth.pkce.s256',
    undefined,
    'RFC 7636 PKCE is optional for a MedMij client; one that sends a code_challenge uses S256 and proves it with its code_verifier when it redeems the code',
    'RFC 7636 PKCE is optioneel voor een MedMij-client; een die een code_challenge meestuurt, gebruikt S256 en bewijst die met zijn code_verifier bij het inwisselen van de autorisatiecode',
  ),
  postOnly: rule(
    'oauth.token.post-only',
    undefined,
    'RFC 6749 §3.2 the token endpoint (and the revocation endpoint, RFC 7009 §2.1) answers POST only',
    'RFC 6749 §3.2 het tokenendpoint (en het intrekkingsendpoint, RFC 7009 §2.1) beantwoordt alleen POST',
  ),
  fhirAccept: rule(
    'oauth.fhir.accept-stu3',
    '§10.3',
    'resource requests ask for FHIR STU3 in JSON: Accept: application/fhir+json; fhirVersion=3.0',
    'resourceverzoeken vragen om FHIR STU3 in JSON: Accept: application/fhir+json; fhirVersion=3.0',
  ),
} as const;

/** A revocation request refused (RFC 7009 §2.2.1): read like a token refusal, said as a revocation. */
const revocationRefusal = <P extends Params = NoParams>(
  id: string,
  status: 400 | 401 | 405,
  error: string,
  description: Text<P>,
  r: Rule = OAUTH_RULES.withdrawal,
): TokenRefusal<P> => ({
  ...reason<P>(
    id,
    r,
    (p) => `revocation refused: ${error} (${description.en(p)})`,
    (p) => `intrekking geweigerd: ${error} (${description.nl(p)})`,
  ),
  status,
  error,
  description,
});

export const OAUTH = {
  scope: {
    missing: reason(
      'oauth.scope.missing',
      undefined,
      () => 'scope is missing',
      () => 'scope ontbreekt',
    ),
    malformed: reason<{ combination: string }>(
      'oauth.scope.malformed',
      undefined,
      (p) => `scope '${p.combination}' is not <zorgaanbieder>~<gegevensdienstId>`,
      (p) => `scope '${p.combination}' heeft niet de vorm <zorgaanbieder>~<gegevensdienstId>`,
    ),
    otherZorgaanbieder: reason<{ named: string; self: string }>(
      'oauth.scope.other-zorgaanbieder',
      undefined,
      (p) => `scope names zorgaanbieder '${p.named}', this is '${p.self}'`,
      (p) => `scope noemt zorgaanbieder '${p.named}', dit is '${p.self}'`,
    ),
    notOffered: reason<{ gegevensdienst: string; zorgaanbieder: string; offered: string }>(
      'oauth.scope.not-offered',
      undefined,
      (p) => `gegevensdienst ${p.gegevensdienst} is not offered by ${p.zorgaanbieder} (offered: ${p.offered})`,
      (p) => `gegevensdienst ${p.gegevensdienst} wordt niet aangeboden door ${p.zorgaanbieder} (aangeboden: ${p.offered})`,
    ),
    // A scope of the other afsprakenstelsel: say which one this network speaks, and the right form.
    form15InNetwork2: reason<{ scope: string; example: string }>(
      'oauth.scope.form-of-1-5',
      undefined,
      (p) =>
        `scope '${p.scope}' has the form of afsprakenstelsel 1.5 (<zorgaanbieder>~<gegevensdienstId>); this network speaks afsprakenstelsel 2: the scope is the zorgaanbieder alone, e.g. '${p.example}', and the person chooses the gegevensdiensten at the DVZA (in 2, <zorgaanbieder>~<id> is the scope of Delen, which the sandbox does not model)`,
      (p) =>
        `scope '${p.scope}' heeft de vorm van afsprakenstelsel 1.5 (<zorgaanbieder>~<gegevensdienstId>); dit netwerk spreekt afsprakenstelsel 2: de scope is alleen de zorgaanbieder, bijvoorbeeld '${p.example}', en de persoon kiest de gegevensdiensten bij de DVZA (in 2 is <zorgaanbieder>~<id> de scope van Delen, dat de sandbox niet nabootst)`,
    ),
    form2InNetwork15: reason<{ scope: string; example: string }>(
      'oauth.scope.form-of-2',
      undefined,
      (p) =>
        `scope '${p.scope}' has the form of afsprakenstelsel 2 (the zorgaanbieder alone); this network speaks afsprakenstelsel 1.5: the scope names each gegevensdienst as <zorgaanbieder>~<gegevensdienstId>, e.g. '${p.example}'`,
      (p) =>
        `scope '${p.scope}' heeft de vorm van afsprakenstelsel 2 (alleen de zorgaanbieder); dit netwerk spreekt afsprakenstelsel 1.5: de scope noemt elke gegevensdienst als <zorgaanbieder>~<gegevensdienstId>, bijvoorbeeld '${p.example}'`,
    ),
    malformed2: reason<{ scope: string }>(
      'oauth.scope.malformed-2',
      undefined,
      (p) => `scope '${p.scope}' is not <zorgaanbieder>: in afsprakenstelsel 2 the scope is the zorgaanbieder alone, one word`,
      (p) => `scope '${p.scope}' heeft niet de vorm <zorgaanbieder>: in afsprakenstelsel 2 is de scope alleen de zorgaanbieder, één woord`,
    ),
    // onbehalfof / onbehalfofchild (SPEC §1.3, §10.5) are reserved until the sandbox models representation.
    representation: reason<{ word: string }>(
      'oauth.scope.representation-not-supported',
      undefined,
      (p) => `scope asks for representation (${p.word}), which this sandbox does not support yet: leave ${p.word} out to collect the person's own data`,
      (p) =>
        `scope vraagt om vertegenwoordiging (${p.word}), wat deze sandbox nog niet ondersteunt: laat ${p.word} weg om de eigen gegevens van de persoon op te halen`,
    ),
  },
  // The token endpoint's form and headers (packages/medmij-oauth parseTokenRequest, tokenRequestHeadersFault).
  token: {
    /** `fields`: the missing field names joined with ' and '; one field reads as the DVZA's own 'redirect_uri is missing'. */
    fieldsMissing: tokenRefusal<{ fields: string }>(
      'oauth.token.fields-missing',
      OAUTH_RULES.tokenRequest,
      400,
      'invalid_request',
      text(
        (p) => `${p.fields} ${p.fields.includes(' and ') ? 'are' : 'is'} missing`,
        (p) => `${en2nl(p.fields)} ${p.fields.includes(' and ') ? 'ontbreken' : 'ontbreekt'}`,
      ),
    ),
    /** `fields`: the repeated field names joined with ' and '. */
    fieldsRepeated: tokenRefusal<{ fields: string }>(
      'oauth.token.fields-repeated',
      OAUTH_RULES.tokenRequest,
      400,
      'invalid_request',
      text(
        (p) => `${p.fields} given more than once (RFC 6749 §3.2: each parameter once)`,
        (p) => `${en2nl(p.fields)} meer dan één keer meegegeven (RFC 6749 §3.2: elke parameter één keer)`,
      ),
    ),
    grantType2: tokenRefusal<{ grantType: string }>(
      'oauth.token.grant-type-unsupported',
      OAUTH_RULES.grantTypes,
      400,
      'unsupported_grant_type',
      text(
        (p) => `grant_type must be authorization_code or refresh_token in afsprakenstelsel 2, not ${p.grantType}`,
        (p) => `grant_type moet in afsprakenstelsel 2 authorization_code of refresh_token zijn, niet ${p.grantType}`,
      ),
    ),
    refreshIn15: tokenRefusal(
      'oauth.token.refresh-not-in-1-5',
      OAUTH_RULES.grantTypes,
      400,
      'unsupported_grant_type',
      text(
        () =>
          'this network speaks afsprakenstelsel 1.5, which has no refresh tokens (long-lived consent came with afsprakenstelsel 2): grant_type must be authorization_code, not refresh_token',
        () =>
          'dit netwerk spreekt afsprakenstelsel 1.5, dat geen refresh tokens kent (langdurige toestemming kwam met afsprakenstelsel 2): grant_type moet authorization_code zijn, niet refresh_token',
      ),
    ),
    /** GET (or any method but POST) at the token or revocation endpoint: `path` the endpoint, `method` what came. */
    methodNotAllowed: tokenRefusal<{ method: string; path: string }>(
      'oauth.token.method-not-allowed',
      OAUTH_RULES.postOnly,
      405,
      'invalid_request',
      text(
        (p) => `${p.path} answers POST only, not ${p.method}: send the request as an application/x-www-form-urlencoded form`,
        (p) => `${p.path} beantwoordt alleen POST, geen ${p.method}: stuur het verzoek als application/x-www-form-urlencoded-formulier`,
      ),
    ),
    /** `headers`: the missing header names joined with ' and '. */
    headersMissing: tokenRefusal<{ headers: string }>(
      'oauth.token.headers-missing',
      OAUTH_RULES.tokenHeaders,
      400,
      'invalid_request',
      text(
        (p) => `missing header ${p.headers}: afsprakenstelsel 2 requires MedMij-Request-ID and X-Correlation-ID on the token request (core.tknint.208)`,
        (p) => `header ${en2nl(p.headers)} ontbreekt: afsprakenstelsel 2 vereist MedMij-Request-ID en X-Correlation-ID bij het tokenverzoek (core.tknint.208)`,
      ),
    ),
  },
  // PKCE (RFC 7636): the authorization request's code_challenge (nested in DVZA_TO_CLIENT.pkce as `problem`) and
  // the token request's code_verifier (complete refusals).
  pkce: {
    methodMissing: reason(
      'oauth.pkce.method-missing',
      OAUTH_RULES.pkce,
      () => 'code_challenge without code_challenge_method means plain (RFC 7636 §4.3), which this DVZA does not accept: send code_challenge_method=S256',
      () => 'code_challenge zonder code_challenge_method betekent plain (RFC 7636 §4.3), wat deze DVZA niet accepteert: stuur code_challenge_method=S256',
    ),
    methodNotS256: reason<{ method: string }>(
      'oauth.pkce.method-not-s256',
      OAUTH_RULES.pkce,
      (p) => `code_challenge_method must be S256, not ${p.method} (RFC 7636 §4.2: plain only for clients that cannot hash)`,
      (p) => `code_challenge_method moet S256 zijn, niet ${p.method} (RFC 7636 §4.2: plain alleen voor clients die niet kunnen hashen)`,
    ),
    methodWithoutChallenge: reason(
      'oauth.pkce.method-without-challenge',
      OAUTH_RULES.pkce,
      () => 'code_challenge_method without code_challenge: send both, or neither',
      () => 'code_challenge_method zonder code_challenge: stuur beide, of geen van beide',
    ),
    challengeMalformed: reason(
      'oauth.pkce.challenge-malformed',
      OAUTH_RULES.pkce,
      () => 'code_challenge must be BASE64URL(SHA-256(code_verifier)): 43 characters of A-Z, a-z, 0-9, - and _ (RFC 7636 §4.2)',
      () => 'code_challenge moet BASE64URL(SHA-256(code_verifier)) zijn: 43 tekens uit A-Z, a-z, 0-9, - en _ (RFC 7636 §4.2)',
    ),
    verifierMissing: tokenRefusal(
      'oauth.pkce.verifier-missing',
      OAUTH_RULES.pkce,
      400,
      'invalid_grant',
      text(
        () => 'the authorization request carried a code_challenge; the token request must carry its code_verifier (RFC 7636 §4.5)',
        () => 'het autorisatieverzoek had een code_challenge; het tokenverzoek moet de bijbehorende code_verifier meesturen (RFC 7636 §4.5)',
      ),
    ),
    verifierWrong: tokenRefusal(
      'oauth.pkce.verifier-wrong',
      OAUTH_RULES.pkce,
      400,
      'invalid_grant',
      text(
        () => 'BASE64URL(SHA-256(code_verifier)) is not the code_challenge of the authorization request (RFC 7636 §4.6); the code stays unused',
        () => 'BASE64URL(SHA-256(code_verifier)) is niet de code_challenge van het autorisatieverzoek (RFC 7636 §4.6); de autorisatiecode blijft ongebruikt',
      ),
    ),
    verifierWithoutChallenge: tokenRefusal(
      'oauth.pkce.verifier-without-challenge',
      OAUTH_RULES.pkce,
      400,
      'invalid_grant',
      text(
        () => 'a code_verifier, and the authorization request of this code carried no code_challenge (RFC 7636 §4.5)',
        () => 'een code_verifier, terwijl het autorisatieverzoek van deze autorisatiecode geen code_challenge had (RFC 7636 §4.5)',
      ),
    ),
  },
  // A refresh request (grant_type=refresh_token), in the order packages/medmij-oauth refreshVerdict checks it.
  refresh: {
    unknownToken: tokenRefusal(
      'oauth.refresh.unknown-token',
      OAUTH_RULES.refreshRotation,
      400,
      'invalid_grant',
      text(
        () => 'unknown refresh token',
        () => 'onbekend refresh token',
      ),
    ),
    otherClient: tokenRefusal<{ issuedTo: string; clientId: string }>(
      'oauth.refresh.other-client',
      OAUTH_RULES.refreshRotation,
      400,
      'invalid_grant',
      text(
        (p) => `the refresh token was issued to ${p.issuedTo}, not to ${p.clientId}; nothing is revoked`,
        (p) => `het refresh token is uitgegeven aan ${p.issuedTo}, niet aan ${p.clientId}; er wordt niets ingetrokken`,
      ),
    ),
    replayed: tokenRefusal<{ usedAt: string }>(
      'oauth.refresh.replayed',
      OAUTH_RULES.refreshRotation,
      400,
      'invalid_grant',
      text(
        (p) => `the refresh token was already exchanged at ${p.usedAt}; every token of this long-lived consent is revoked: the person gives consent again`,
        (p) =>
          `het refresh token is al ingewisseld op ${p.usedAt}; alle tokens van deze langdurige toestemming zijn ingetrokken: de persoon geeft opnieuw toestemming`,
      ),
    ),
    familyRevoked: tokenRefusal<{ at: string }>(
      'oauth.refresh.consent-revoked',
      OAUTH_RULES.refreshRotation,
      400,
      'invalid_grant',
      text(
        (p) => `every token of this long-lived consent was revoked at ${p.at}, when a refresh token or the code it came from was offered again`,
        (p) =>
          `alle tokens van deze langdurige toestemming zijn ingetrokken op ${p.at}, toen een refresh token of de code waar ze vandaan komt opnieuw werd aangeboden`,
      ),
    ),
    withdrawn: tokenRefusal<{ at: string }>(
      'oauth.refresh.consent-withdrawn',
      OAUTH_RULES.longLivedConsent,
      400,
      'invalid_grant',
      text(
        (p) => `the person withdrew this long-lived consent at ${p.at}`,
        (p) => `de persoon heeft deze langdurige toestemming ingetrokken op ${p.at}`,
      ),
    ),
    lapsed: tokenRefusal<{ lapsedAt: string; months: number; lastCollectedAt: string }>(
      'oauth.refresh.consent-lapsed',
      OAUTH_RULES.longLivedConsent,
      400,
      'invalid_grant',
      text(
        (p) =>
          `the long-lived consent lapsed after ${p.lapsedAt} (sandbox clock): no data collected for more than ${p.months} months, last at ${p.lastCollectedAt}`,
        (p) =>
          `de langdurige toestemming is vervallen na ${p.lapsedAt} (sandboxklok): meer dan ${p.months} maanden geen gegevens opgehaald, het laatst op ${p.lastCollectedAt}`,
      ),
    ),
    clientMayNoLongerUse: tokenRefusal<{ clientId: string; consented: string }>(
      'oauth.refresh.client-may-no-longer-use',
      OAUTH_RULES.refreshRotation,
      400,
      'invalid_grant',
      text(
        (p) =>
          `the OAuthclientlist no longer lets ${p.clientId} use gegevensdienst ${p.consented}, the ones this consent is for; the refresh token stays unused`,
        (p) =>
          `de OAuthclientlist laat ${p.clientId} gegevensdienst ${p.consented} niet meer gebruiken, waarvoor deze toestemming is; het refresh token blijft ongebruikt`,
      ),
    ),
    expired: tokenRefusal<{ expiredAt: string }>(
      'oauth.refresh.expired',
      OAUTH_RULES.refreshRotation,
      400,
      'invalid_grant',
      text(
        (p) => `the refresh token expired at ${p.expiredAt} (sandbox clock)`,
        (p) => `het refresh token is verlopen op ${p.expiredAt} (sandboxklok)`,
      ),
    ),
    /** The DVZA's trace line for a refresh it answered: `scope` the granted ids, as in the token response. */
    exchanged: reason<{ clientId: string; scope: string; expiresAt: string; refreshExpiresAt: string }>(
      'oauth.refresh.exchanged',
      OAUTH_RULES.refreshRotation,
      (p) =>
        `refresh token exchanged by ${p.clientId}: access token for gegevensdienst ${p.scope}, valid until ${p.expiresAt}, and a new refresh token, valid until ${p.refreshExpiresAt} (sandbox clock)`,
      (p) =>
        `refresh token ingewisseld door ${p.clientId}: toegangstoken voor gegevensdienst ${p.scope}, geldig tot ${p.expiresAt}, en een nieuw refresh token, geldig tot ${p.refreshExpiresAt} (sandboxklok)`,
    ),
  },
  // POST /oauth/revoke (RFC 7009): the sandbox's withdrawal interface for a PGO (packages/medmij-oauth parseRevocationRequest).
  revoke: {
    in15: revocationRefusal(
      'oauth.revoke.not-in-1-5',
      400,
      'invalid_request',
      text(
        () =>
          'this network speaks afsprakenstelsel 1.5, which has no long-lived consent to withdraw: token revocation (RFC 7009) is a sandbox extension of afsprakenstelsel 2',
        () =>
          'dit netwerk spreekt afsprakenstelsel 1.5, dat geen langdurige toestemming kent om in te trekken: tokenintrekking (RFC 7009) is een uitbreiding van de sandbox bij afsprakenstelsel 2',
      ),
    ),
    methodNotAllowed: revocationRefusal<{ method: string; path: string }>(
      'oauth.revoke.method-not-allowed',
      405,
      'invalid_request',
      text(
        (p) => `${p.path} answers POST only, not ${p.method}: send the request as an application/x-www-form-urlencoded form`,
        (p) => `${p.path} beantwoordt alleen POST, geen ${p.method}: stuur het verzoek als application/x-www-form-urlencoded-formulier`,
      ),
      OAUTH_RULES.postOnly,
    ),
    form: revocationRefusal<{ problem: string }>(
      'oauth.revoke.form',
      400,
      'invalid_request',
      text(
        (p) => `a revocation request is a form with token, client_id and optionally token_type_hint: ${p.problem}`,
        (p) => `een intrekkingsverzoek is een formulier met token, client_id en eventueel token_type_hint: ${p.problem}`,
      ),
    ),
    // Whose token it is, is not told to another client: it could probe for other PGOs' tokens.
    otherClient: revocationRefusal<{ clientId: string }>(
      'oauth.revoke.other-client',
      400,
      'invalid_grant',
      text(
        (p) => `the token was not issued to ${p.clientId}; nothing is revoked`,
        (p) => `het token is niet uitgegeven aan ${p.clientId}; er wordt niets ingetrokken`,
      ),
    ),
    /** Withdrawn by the PGO: the consent, its refresh tokens and its access tokens. */
    withdrawn: reason<{ clientId: string; gegevensdiensten: string; revoked: number }>(
      'oauth.revoke.withdrawn',
      OAUTH_RULES.withdrawal,
      (p) =>
        `${p.clientId} revoked its refresh token (RFC 7009): the long-lived consent for gegevensdienst ${p.gegevensdiensten} is withdrawn, with ${p.revoked} access token(s)`,
      (p) =>
        `${p.clientId} heeft zijn refresh token ingetrokken (RFC 7009): de langdurige toestemming voor gegevensdienst ${p.gegevensdiensten} is ingetrokken, met ${p.revoked} toegangstoken(s)`,
    ),
    accessToken: reason<{ clientId: string }>(
      'oauth.revoke.access-token',
      OAUTH_RULES.withdrawal,
      (p) => `${p.clientId} revoked an access token (RFC 7009); the consent it was issued under stays`,
      (p) => `${p.clientId} heeft een toegangstoken ingetrokken (RFC 7009); de toestemming waaronder het is uitgegeven blijft`,
    ),
    /** RFC 7009 §2.2: an unknown, expired or already revoked token is answered 200 all the same. */
    nothingToRevoke: reason<{ clientId: string }>(
      'oauth.revoke.nothing-to-revoke',
      OAUTH_RULES.withdrawal,
      (p) => `${p.clientId} revoked a token this DVZA does not hold (unknown, expired or revoked before): 200 all the same (RFC 7009 §2.2)`,
      (p) => `${p.clientId} trok een token in dat deze DVZA niet heeft (onbekend, verlopen of al ingetrokken): toch 200 (RFC 7009 §2.2)`,
    ),
  },
  // The Accept header of a resource request (packages/medmij-oauth parseFhirAccept), nested in DVZA_FHIR.acceptRefused.
  accept: {
    fhirVersion: reason<{ accept: string; fhirVersion: string }>(
      'oauth.accept.fhir-version',
      OAUTH_RULES.fhirAccept,
      (p) =>
        `Accept '${p.accept}' asks for FHIR version ${p.fhirVersion}; this resource server speaks STU3: send Accept: application/fhir+json; fhirVersion=3.0`,
      (p) =>
        `Accept '${p.accept}' vraagt om FHIR-versie ${p.fhirVersion}; deze resourceserver spreekt STU3: stuur Accept: application/fhir+json; fhirVersion=3.0`,
    ),
    notJson: reason<{ accept: string }>(
      'oauth.accept.not-json',
      OAUTH_RULES.fhirAccept,
      (p) => `Accept '${p.accept}' allows neither application/fhir+json nor application/json: send Accept: application/fhir+json; fhirVersion=3.0`,
      (p) => `Accept '${p.accept}' staat noch application/fhir+json noch application/json toe: stuur Accept: application/fhir+json; fhirVersion=3.0`,
    ),
  },
  redirectUri: {
    notAUrl: reason(
      'oauth.redirect-uri.not-a-url',
      undefined,
      () => 'The redirect_uri is missing or not a URL.',
      () => 'De redirect_uri ontbreekt of is geen URL.',
    ),
    notHttps: reason(
      'oauth.redirect-uri.not-https',
      undefined,
      () => 'The redirect_uri must use https.',
      () => 'De redirect_uri moet https gebruiken.',
    ),
    query: reason(
      'oauth.redirect-uri.query',
      undefined,
      () => 'The redirect_uri must not have a query.',
      () => 'De redirect_uri mag geen query hebben.',
    ),
    fragment: reason(
      'oauth.redirect-uri.fragment',
      undefined,
      () => 'The redirect_uri must not have a #fragment.',
      () => 'De redirect_uri mag geen #fragment hebben.',
    ),
    otherHost: reason<{ host: string; client: string }>(
      'oauth.redirect-uri.other-host',
      undefined,
      (p) => `The redirect_uri is on ${p.host}, not on ${p.client}, the app's hostname on the OAuthclientlist.`,
      (p) => `De redirect_uri ligt op ${p.host}, niet op ${p.client}, de hostname van de app op de OAuthclientlist.`,
    ),
    // A user name in the URL (https://pgo@elders/…) makes browsers and people misread whose address it is.
    userinfo: reason(
      'oauth.redirect-uri.userinfo',
      undefined,
      () => 'The redirect_uri must not carry a user name or password (user@host).',
      () => 'De redirect_uri mag geen gebruikersnaam of wachtwoord bevatten (gebruiker@host).',
    ),
    /** `port`: the redirect_uri's port (443 when it names none); `expected`: the app's front-channel port. */
    otherPort: reason<{ port: number; expected: number; client: string }>(
      'oauth.redirect-uri.other-port',
      undefined,
      (p) => `The redirect_uri uses port ${p.port}; ${p.client} receives its answers on port ${p.expected}.`,
      (p) => `De redirect_uri gebruikt poort ${p.port}; ${p.client} ontvangt zijn antwoorden op poort ${p.expected}.`,
    ),
  },
} as const;
