/**
 * apps/tvs: the mock TVS (DigiD). A fault in who is asking is shown on a page in the person's language
 * (`lang`), never redirected; any other fault in the request goes back to the service as an OAuth error
 * whose description (English) is also its error_description; the back channel refuses an artifact with
 * an error and description in its JSON answer.
 */
import { asShown, reason, rule, text, type NoParams, type Params, type Reason, type Rule, type Text } from './catalogue.js';

export const TVS_RULES = {
  request: rule(
    'tvs.authorize.connected-service',
    '§5',
    'only a connected service, with its own redirect_uri, may start a DigiD login',
    'alleen een aangesloten dienst, met zijn eigen redirect_uri, mag een DigiD-login starten',
  ),
  login: rule(
    'tvs.login.assurance-level',
    '§5',
    'the TVS authenticates the person with DigiD at an assurance level',
    'de TVS authenticeert de persoon met DigiD op een betrouwbaarheidsniveau',
  ),
  artifact: rule(
    'tvs.artifact.backchannel',
    '§1.2',
    'steps 5–7: the browser carries only an artifact; the service resolves it over the back channel, once',
    'stap 5–7: de browser draagt alleen een artefact; de dienst wisselt het één keer in via het back channel',
  ),
  resolvedOnce: rule('tvs.artifact.resolved-once', '§5', 'an artifact is resolved once', 'een artefact wordt één keer ingewisseld'),
  whitelist: rule(
    'tvs.backchannel.peer-on-whitelist',
    '§4',
    'back channel: the TVS resolves a code only for a service whose client certificate hostname is on the current Whitelist',
    'back channel: de TVS wisselt een code alleen in voor een dienst waarvan de hostname in het clientcertificaat op de actuele Whitelist staat',
  ),
  mutualTls: rule(
    'tvs.backchannel.mutual-tls',
    '§4',
    'back channel: only services with a sandbox PKI client certificate may resolve a DigiD artifact',
    'back channel: alleen diensten met een clientcertificaat van de sandbox-PKI mogen een DigiD-artefact inwisselen',
  ),
} as const;

const R = TVS_RULES;
type Shown = { lang: string };

/** Refused on the TVS's page, in the person's language. */
export interface TvsPageRefusal<P extends Params = Params> extends Reason<P & Shown> {
  page: Text<P>;
}

/** Refused with an OAuth error: back to the service, or in the back channel's JSON answer. */
export interface TvsRefusal<P extends Params = Params> extends Reason<P> {
  error: string;
  description: Text<P>;
}

const stop = <P extends Params = NoParams>(id: string, page: Text<P>): TvsPageRefusal<P> => ({
  ...reason<P & Shown>(
    id,
    R.request,
    (p) => `login request refused: ${asShown(page, p)}`,
    (p) => `inlogverzoek geweigerd: ${page.nl(p)}`,
  ),
  page,
});

const back = <P extends Params = NoParams>(id: string, error: string, description: Text<P>): TvsRefusal<P> => ({
  ...reason<P>(
    id,
    R.request,
    (p) => `login request refused: ${error} (${description.en(p)})`,
    (p) => `inlogverzoek geweigerd: ${error} (${description.nl(p)})`,
  ),
  error,
  description,
});

const formRefused = <P extends Params = NoParams>(id: string, page: Text<P>): TvsPageRefusal<P> => ({
  ...reason<P & Shown>(
    id,
    R.login,
    (p) => `login form refused: ${asShown(page, p)}`,
    (p) => `inlogformulier geweigerd: ${page.nl(p)}`,
  ),
  page,
});

const unresolved = <P extends Params = NoParams>(
  id: string,
  status: 400 | 401 | 503,
  error: string,
  description: Text<P>,
  r: Rule = R.artifact,
): TvsRefusal<P> & { status: 400 | 401 | 503 } => ({
  ...reason<P>(
    id,
    r,
    (p) => `code not resolved: ${error} (${description.en(p)})`,
    (p) => `code niet ingewisseld: ${error} (${description.nl(p)})`,
  ),
  status,
  error,
  description,
});

/** `persona`: the sandbox persona's name, or '' for a BSN without one. */
type Person = { bsn: string; persona: string; level: string };
const person = (p: Person, lang: 'en' | 'nl') =>
  p.persona ? `${p.persona} (BSN ${p.bsn})` : `BSN ${p.bsn} ${lang === 'en' ? '(no sandbox persona)' : '(geen sandboxpersona)'}`;

export const TVS_AUTHORIZE = {
  clientIdMissing: stop(
    'tvs.authorize.client-id-missing',
    text(
      () => 'The request names no service (client_id is missing).',
      () => 'De aanvraag noemt geen dienst (client_id ontbreekt).',
    ),
  ),
  notConnected: stop<{ client: string }>(
    'tvs.authorize.service-not-connected',
    text(
      (p) => `The service ${p.client} is not connected to this TVS.`,
      (p) => `De dienst ${p.client} is niet aangesloten op deze TVS.`,
    ),
  ),
  redirectUriInvalid: stop(
    'tvs.authorize.redirect-uri-invalid',
    text(
      () => 'The return URL (redirect_uri) is missing or not a URL.',
      () => 'De terugkeer-URL (redirect_uri) ontbreekt of is geen URL.',
    ),
  ),
  redirectUriNotHttps: stop(
    'tvs.authorize.redirect-uri-not-https',
    text(
      () => 'The return URL must use https.',
      () => 'De terugkeer-URL moet https gebruiken.',
    ),
  ),
  redirectUriOtherHost: stop<{ host: string; service: string }>(
    'tvs.authorize.redirect-uri-other-host',
    text(
      (p) => `The return URL is on ${p.host}, not on ${p.service}: someone else would receive the login result.`,
      (p) => `De terugkeer-URL ligt op ${p.host}, niet op ${p.service}: zo zou een ander het inlogresultaat krijgen.`,
    ),
  ),
  redirectUriUserinfo: stop(
    'tvs.authorize.redirect-uri-userinfo',
    text(
      () => 'The return URL must not carry a user name or password (user@host).',
      () => 'De terugkeer-URL mag geen gebruikersnaam of wachtwoord bevatten (gebruiker@host).',
    ),
  ),
  /** `port`: the return URL's port (443 when it names none); `expected`: the service's front-channel port. */
  redirectUriOtherPort: stop<{ port: number; expected: number; service: string }>(
    'tvs.authorize.redirect-uri-other-port',
    text(
      (p) => `The return URL uses port ${p.port}; ${p.service} receives the login result on port ${p.expected}.`,
      (p) => `De terugkeer-URL gebruikt poort ${p.port}; ${p.service} ontvangt het inlogresultaat op poort ${p.expected}.`,
    ),
  ),
  redirectUriFragment: stop(
    'tvs.authorize.redirect-uri-fragment',
    text(
      () => 'The return URL must not have a #fragment.',
      () => 'De terugkeer-URL mag geen #fragment hebben.',
    ),
  ),
  responseType: back(
    'tvs.authorize.response-type-not-code',
    'unsupported_response_type',
    text(
      () => 'response_type must be code',
      () => 'response_type moet code zijn',
    ),
  ),
  scope: back(
    'tvs.authorize.scope-without-openid',
    'invalid_scope',
    text(
      () => 'scope must include openid',
      () => 'scope moet openid bevatten',
    ),
  ),
  stateMissing: back(
    'tvs.authorize.state-missing',
    'invalid_request',
    text(
      () => 'state is missing: the service cannot bind the answer to its session without it',
      () => 'state ontbreekt: zonder state kan de dienst het antwoord niet aan zijn sessie koppelen',
    ),
  ),
  nonceMissing: back(
    'tvs.authorize.nonce-missing',
    'invalid_request',
    text(
      () => 'nonce is missing: the assertion could not be bound to this login',
      () => 'nonce ontbreekt: de assertion zou dan niet aan deze login gebonden zijn',
    ),
  ),
  unknownAcr: back<{ acr: string; known: string }>(
    'tvs.authorize.unknown-acr',
    'invalid_request',
    text(
      (p) => `unknown acr_values ${p.acr}: use one of ${p.known}`,
      (p) => `onbekende acr_values ${p.acr}: gebruik een van ${p.known}`,
    ),
  ),
  sessionOpened: reason<{ service: string; host: string; level: string }>(
    'tvs.authorize.session-opened',
    R.request,
    (p) => `login session opened for ${p.service} (${p.host}), minimum level ${p.level}`,
    (p) => `inlogsessie geopend voor ${p.service} (${p.host}), minimumniveau ${p.level}`,
  ),
} as const;

export const TVS_LOGIN = {
  ended: reason<{ outcome: string; service: string; error: string; samlStatus: string }>(
    'tvs.login.ended',
    R.login,
    (p) => `DigiD login ended: ${p.outcome}; back to ${p.service} with ${p.error} (${p.samlStatus})`,
    (p) => `DigiD-login beëindigd: ${p.outcome}; terug naar ${p.service} met ${p.error} (${p.samlStatus})`,
  ),
  endedSessionTooOld: reason<{ outcome: string; minutes: number; service: string; error: string; samlStatus: string }>(
    'tvs.login.ended-session-too-old',
    R.login,
    (p) =>
      `DigiD login ended: ${p.outcome} (the session was older than ${p.minutes} minutes on the sandbox clock); back to ${p.service} with ${p.error} (${p.samlStatus})`,
    (p) =>
      `DigiD-login beëindigd: ${p.outcome} (de sessie was ouder dan ${p.minutes} minuten op de sandboxklok); terug naar ${p.service} met ${p.error} (${p.samlStatus})`,
  ),
  succeeded: reason<Person>(
    'tvs.login.succeeded',
    R.login,
    (p) => `DigiD login succeeded for ${person(p, 'en')} at level ${p.level}; a single-use code goes back through the browser`,
    (p) => `DigiD-login gelukt voor ${person(p, 'nl')} op niveau ${p.level}; een eenmalige code gaat via de browser terug`,
  ),
  succeededBelowLevel: reason<Person & { requested: string; service: string }>(
    'tvs.login.succeeded-below-level',
    R.login,
    (p) =>
      `DigiD login succeeded for ${person(p, 'en')} at level ${p.level}, below the requested ${p.requested}: ${p.service} must refuse it; a single-use code goes back through the browser`,
    (p) =>
      `DigiD-login gelukt voor ${person(p, 'nl')} op niveau ${p.level}, onder het gevraagde ${p.requested}: ${p.service} moet dit weigeren; een eenmalige code gaat via de browser terug`,
  ),
  sessionUnknown: formRefused(
    'tvs.login.session-unknown',
    text(
      () => 'This login session does not exist (any more).',
      () => 'Deze inlogsessie bestaat niet (meer).',
    ),
  ),
  /** The login form posted from another site's page: cross-site request forgery. */
  crossSitePost: formRefused<{ source: string }>(
    'tvs.login.cross-site-post',
    text(
      (p) => `Refused: this login form was sent from another site (${p.source}), not from the DigiD page.`,
      (p) => `Geweigerd: dit inlogformulier is vanaf een andere site verstuurd (${p.source}), niet vanaf de DigiD-pagina.`,
    ),
  ),
  sessionOtherBrowser: formRefused(
    'tvs.login.session-other-browser',
    text(
      () => 'This login session belongs to another browser.',
      () => 'Deze inlogsessie hoort bij een andere browser.',
    ),
  ),
  sessionUsed: formRefused(
    'tvs.login.session-used',
    text(
      () => 'This login session was already used or cancelled.',
      () => 'Met deze inlogsessie is al ingelogd of geannuleerd.',
    ),
  ),
} as const;

export const TVS_TOKEN = {
  /** `host` 'none' when the client certificate names none. */
  unknownService: unresolved<{ host: string }>(
    'tvs.token.unknown-service',
    401,
    'invalid_client',
    text(
      (p) => `the client certificate (${p.host}) belongs to no service connected to this TVS`,
      (p) => `het clientcertificaat (${p.host === 'none' ? 'geen' : p.host}) hoort bij geen dienst die op deze TVS is aangesloten`,
    ),
  ),
  notOnWhitelist: unresolved<{ host: string }>(
    'tvs.token.peer-not-on-whitelist',
    401,
    'invalid_client',
    text(
      (p) => `the client certificate's host ${p.host} is not on the Whitelist the stelselnode publishes now`,
      (p) => `de host van het clientcertificaat, ${p.host}, staat niet op de Whitelist die de stelselnode nu publiceert`,
    ),
    R.whitelist,
  ),
  // `problem`: why the Whitelist is unusable (lists.ts). The code stays unused: the service may try again.
  whitelistUnusable: unresolved<{ problem: string }>(
    'tvs.token.whitelist-unusable',
    503,
    'temporarily_unavailable',
    text(
      (p) => `the TVS cannot check the Whitelist now, so it resolves no code yet; the code stays valid: ${p.problem}`,
      (p) => `de TVS kan de Whitelist nu niet controleren en wisselt dus nog geen code in; de code blijft geldig: ${p.problem}`,
    ),
    R.whitelist,
  ),
  clientIdMismatch: unresolved<{ clientId: string; service: string }>(
    'tvs.token.client-id-mismatch',
    401,
    'invalid_client',
    text(
      (p) => `client_id ${p.clientId} is not the service of the client certificate (${p.service})`,
      (p) => `client_id ${p.clientId} is niet de dienst van het clientcertificaat (${p.service})`,
    ),
  ),
  grantType: unresolved(
    'tvs.token.grant-type',
    400,
    'unsupported_grant_type',
    text(
      () => 'grant_type must be authorization_code',
      () => 'grant_type moet authorization_code zijn',
    ),
  ),
  unknownCode: unresolved(
    'tvs.token.unknown-code',
    400,
    'invalid_grant',
    text(
      () => 'unknown code',
      () => 'onbekende code',
    ),
  ),
  codeReused: unresolved<{ at: string }>(
    'tvs.token.code-reused',
    400,
    'invalid_grant',
    text(
      (p) => `the code was already resolved at ${p.at}: a code counts once`,
      (p) => `de code is al ingewisseld op ${p.at}: een code telt één keer`,
    ),
    R.resolvedOnce,
  ),
  codeExpired: unresolved<{ at: string }>(
    'tvs.token.code-expired',
    400,
    'invalid_grant',
    text(
      (p) => `the code expired at ${p.at} (sandbox clock)`,
      (p) => `de code is verlopen op ${p.at} (sandboxklok)`,
    ),
  ),
  codeOtherService: unresolved<{ issuedTo: string; service: string }>(
    'tvs.token.code-other-service',
    400,
    'invalid_grant',
    text(
      (p) => `the code was issued to ${p.issuedTo}, not to ${p.service}`,
      (p) => `de code is uitgegeven aan ${p.issuedTo}, niet aan ${p.service}`,
    ),
  ),
  redirectUriDiffers: unresolved(
    'tvs.token.redirect-uri-differs',
    400,
    'invalid_grant',
    text(
      () => 'redirect_uri differs from the one the login started with',
      () => 'redirect_uri wijkt af van die waarmee de login begon',
    ),
  ),
  resolved: reason<{ service: string; jti: string; level: string; serial: string }>(
    'tvs.token.resolved',
    R.artifact,
    (p) =>
      `code resolved for ${p.service}: identity assertion ${p.jti} (level ${p.level}), BSN encrypted for the key of its client certificate (serial ${p.serial})`,
    (p) =>
      `code ingewisseld voor ${p.service}: identiteitsassertion ${p.jti} (niveau ${p.level}), BSN versleuteld voor de sleutel van zijn clientcertificaat (serienummer ${p.serial})`,
  ),
} as const;
