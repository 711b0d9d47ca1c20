/**
 * apps/dvza fhir/server.ts and fhir/search.ts: the FHIR resource server on the back channel (SPEC §2.7,
 * §6.2). A refusal reads `FHIR <request> refused (<status>): <message>`; the message is also the
 * OperationOutcome's diagnostics and what the audit log keeps.
 */
import { reason, text, type NoParams, type Params, type Reason, type Rule, type Text } from './catalogue.js';
import { DVZA_RULES as R } from './dvza.js';
import { none } from './dvza-token.js';
import { LISTS_RULES } from './lists.js';
import { OAUTH_RULES } from './oauth.js';

export type FhirStatus = 400 | 401 | 403 | 404 | 405 | 406 | 503;
/** `request`: method, path and query, e.g. `GET /fhir/Condition?patient=...`. */
type Request = { request: string };

/** A refusal: its HTTP status, OperationOutcome issue code and diagnostics. */
export interface FhirRefusal<P extends Params = Params> extends Reason<P & Request> {
  status: FhirStatus;
  code: string;
  message: Text<P>;
}

const refused = <P extends Params = NoParams>(id: string, r: Rule, status: FhirStatus, code: string, message: Text<P>): FhirRefusal<P> => ({
  ...reason<P & Request>(
    id,
    r,
    (p) => `FHIR ${p.request} refused (${status}): ${message.en(p)}`,
    (p) => `FHIR ${p.request} geweigerd (${status}): ${message.nl(p)}`,
  ),
  status,
  code,
  message,
});

export const DVZA_FHIR = {
  // `problem`: why the lists are unusable (lists.ts).
  listsUnusable: refused<{ problem: string }>(
    'dvza.fhir.lists-unusable',
    LISTS_RULES.noFlowOnExpired,
    503,
    'transient',
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  /** `host` '(none)' when the client showed no certificate with a hostname. */
  notOnWhitelist: refused<{ host: string }>(
    'dvza.fhir.peer-not-on-whitelist',
    R.whitelist,
    403,
    'security',
    text(
      (p) => `the client certificate's host ${p.host} is not on the Whitelist`,
      (p) => `de host van het clientcertificaat, ${none(p.host)}, staat niet op de Whitelist`,
    ),
  ),
  methodNotSupported: refused<{ method: string }>(
    'dvza.fhir.method-not-supported',
    R.searchset,
    405,
    'not-supported',
    text(
      (p) => `${p.method} is not supported: this sandbox resource server serves Verzamelen (GET) only`,
      (p) => `${p.method} wordt niet ondersteund: deze resourceserver van de sandbox ondersteunt alleen Verzamelen (GET)`,
    ),
  ),
  jsonOnly: refused(
    'dvza.fhir.json-only',
    R.searchset,
    406,
    'not-supported',
    text(
      () => 'this sandbox resource server answers in application/fhir+json only',
      () => 'deze resourceserver van de sandbox antwoordt alleen in application/fhir+json',
    ),
  ),
  // `problem`: what is wrong with the Accept header (oauth.ts OAUTH.accept, packages/medmij-oauth parseFhirAccept).
  acceptRefused: refused<{ problem: string }>(
    'dvza.fhir.accept-refused',
    OAUTH_RULES.fhirAccept,
    406,
    'not-supported',
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  tokenInUrl: refused(
    'dvza.fhir.token-in-url',
    R.bearer,
    400,
    'security',
    text(
      () => 'the access token must not be in the URL; send it as Authorization: Bearer',
      () => 'het toegangstoken hoort niet in de URL; stuur het als Authorization: Bearer',
    ),
  ),
  noToken: refused(
    'dvza.fhir.no-token',
    R.bearer,
    401,
    'login',
    text(
      () => 'no access token: send Authorization: Bearer <access_token>',
      () => 'geen toegangstoken: stuur Authorization: Bearer <access_token>',
    ),
  ),
  notBearer: refused(
    'dvza.fhir.not-bearer',
    R.bearer,
    401,
    'login',
    text(
      () => 'the Authorization header is not "Bearer <access_token>"',
      () => 'de Authorization-header is niet "Bearer <access_token>"',
    ),
  ),
  unknownToken: refused(
    'dvza.fhir.unknown-token',
    R.bearer,
    401,
    'login',
    text(
      () => 'unknown access token',
      () => 'onbekend toegangstoken',
    ),
  ),
  // `why`: the token endpoint's reason (dvza-token.ts).
  tokenRevoked: refused<{ why: string }>(
    'dvza.fhir.token-revoked',
    R.bearer,
    401,
    'login',
    text(
      (p) => `the access token was revoked: ${p.why}`,
      (p) => `het toegangstoken is ingetrokken: ${p.why}`,
    ),
  ),
  tokenExpired: refused<{ expiredAt: string }>(
    'dvza.fhir.token-expired',
    R.bearer,
    401,
    'expired',
    text(
      (p) => `the access token expired at ${p.expiredAt} (sandbox clock)`,
      (p) => `het toegangstoken is verlopen op ${p.expiredAt} (sandboxklok)`,
    ),
  ),
  tokenOtherClient: refused<{ issuedTo: string; caller: string }>(
    'dvza.fhir.token-other-client',
    R.bearer,
    401,
    'login',
    text(
      (p) => `the access token was issued to ${p.issuedTo}, not to ${p.caller}`,
      (p) => `het toegangstoken is uitgegeven aan ${p.issuedTo}, niet aan ${p.caller}`,
    ),
  ),
  /** `headers`: the missing header names joined with ' and '. */
  headersMissing: refused<{ headers: string }>(
    'dvza.fhir.headers-missing',
    R.headers,
    400,
    'required',
    text(
      (p) => `missing header ${p.headers}`,
      (p) => `header ${p.headers.split(' and ').join(' en ')} ontbreekt`,
    ),
  ),
  patientParameter: refused<{ parameters: string }>(
    'dvza.fhir.patient-parameter',
    R.noPatient,
    400,
    'security',
    text(
      (p) => `parameter ${p.parameters} is not allowed: the access token alone decides whose data this is`,
      (p) => `parameter ${p.parameters} is niet toegestaan: alleen het toegangstoken bepaalt wiens gegevens dit zijn`,
    ),
  ),
  noSuchEndpoint: refused<{ path: string }>(
    'dvza.fhir.no-such-endpoint',
    R.searchset,
    404,
    'not-supported',
    text(
      (p) => `no such FHIR endpoint: ${p.path}`,
      (p) => `dit FHIR-endpoint bestaat niet: ${p.path}`,
    ),
  ),
  notAResourceType: refused<{ type: string }>(
    'dvza.fhir.not-a-resource-type',
    R.searchset,
    404,
    'not-supported',
    text(
      (p) => `'${p.type}' is not a FHIR resource type`,
      (p) => `'${p.type}' is geen FHIR-resourcetype`,
    ),
  ),
  outsideScope: refused<{ type: string; gegevensdiensten: string }>(
    'dvza.fhir.outside-scope',
    R.tokenScope,
    403,
    'forbidden',
    text(
      (p) => `${p.type} is not part of gegevensdienst ${p.gegevensdiensten} (the token's scope)`,
      (p) => `${p.type} hoort niet bij gegevensdienst ${p.gegevensdiensten} (de scope van het token)`,
    ),
  ),
  patientUnknown: refused(
    'dvza.fhir.patient-unknown',
    R.searchset,
    404,
    'not-found',
    text(
      () => 'the patient of this token is no longer known here',
      () => 'de patiënt van dit token is hier niet meer bekend',
    ),
  ),
  readOutsideScope: refused<{ type: string; id: string }>(
    'dvza.fhir.read-outside-scope',
    R.tokenScope,
    404,
    'not-found',
    text(
      (p) => `${p.type}/${p.id} is not among the resources this token may read`,
      (p) => `${p.type}/${p.id} hoort niet bij de resources die dit token mag lezen`,
    ),
  ),
  // The search itself refused (`DVZA_SEARCH`): its status comes with it.
  searchRefused: reason<Request & { status: number; problem: string }>(
    'dvza.fhir.search-refused',
    R.searchset,
    (p) => `FHIR ${p.request} refused (${p.status}): ${p.problem}`,
    (p) => `FHIR ${p.request} geweigerd (${p.status}): ${p.problem}`,
  ),

  read: reason<{ type: string; id: string; gegevensdiensten: string }>(
    'dvza.fhir.read',
    R.tokenScope,
    (p) => `FHIR read ${p.type}/${p.id} for gegevensdienst ${p.gegevensdiensten}`,
    (p) => `FHIR-read ${p.type}/${p.id} voor gegevensdienst ${p.gegevensdiensten}`,
  ),
  /** `included` 0: nothing included. */
  searched: reason<{ type: string; gegevensdiensten: string; matches: number; included: number }>(
    'dvza.fhir.searched',
    R.searchset,
    (p) =>
      `FHIR ${p.type} search for gegevensdienst ${p.gegevensdiensten}: ${p.matches} match(es)${p.included ? `, ${p.included} included` : ''}; patient from the token, none named in the request`,
    (p) =>
      `FHIR-zoekvraag ${p.type} voor gegevensdienst ${p.gegevensdiensten}: ${p.matches} treffer(s)${p.included ? `, ${p.included} meegeleverd` : ''}; patiënt uit het token, geen genoemd in het verzoek`,
  ),
  lastn: reason<{ type: string; gegevensdiensten: string; matches: number; included: number }>(
    'dvza.fhir.lastn',
    R.searchset,
    (p) =>
      `FHIR ${p.type}/$lastn for gegevensdienst ${p.gegevensdiensten}: ${p.matches} match(es)${p.included ? `, ${p.included} included` : ''}; patient from the token, none named in the request`,
    (p) =>
      `FHIR ${p.type}/$lastn voor gegevensdienst ${p.gegevensdiensten}: ${p.matches} treffer(s)${p.included ? `, ${p.included} meegeleverd` : ''}; patiënt uit het token, geen genoemd in het verzoek`,
  ),
} as const;

/** SearchError (fhir/search.ts): what this sandbox server does not search for. */
export const DVZA_SEARCH = {
  modifier: reason<{ modifier: string; parameter: string }>(
    'dvza.search.modifier-not-supported',
    undefined,
    (p) => `search modifier :${p.modifier} on '${p.parameter}' is not supported by this sandbox server`,
    (p) => `zoekmodifier :${p.modifier} op '${p.parameter}' wordt niet ondersteund door deze sandboxserver`,
  ),
  parameter: reason<{ parameter: string; type: string; supported: string }>(
    'dvza.search.parameter-not-supported',
    undefined,
    (p) => `search parameter '${p.parameter}' is not supported for ${p.type} by this sandbox server (supported: ${p.supported})`,
    (p) => `zoekparameter '${p.parameter}' wordt voor ${p.type} niet ondersteund door deze sandboxserver (ondersteund: ${p.supported})`,
  ),
  lastnObservationOnly: reason(
    'dvza.search.lastn-observation-only',
    undefined,
    () => '$lastn is an operation on Observation only',
    () => '$lastn is alleen een operatie op Observation',
  ),
  max: reason<{ max: string }>(
    'dvza.search.max-invalid',
    undefined,
    (p) => `max must be a positive whole number, not '${p.max}'`,
    (p) => `max moet een positief geheel getal zijn, niet '${p.max}'`,
  ),
  maxOutsideLastn: reason(
    'dvza.search.max-outside-lastn',
    undefined,
    () => "'max' belongs to Observation/$lastn only",
    () => "'max' hoort alleen bij Observation/$lastn",
  ),
  /** `supported` '' when the type supports no _include. */
  include: reason<{ include: string; type: string; supported: string }>(
    'dvza.search.include-not-supported',
    undefined,
    (p) => `_include=${p.include} is not supported for ${p.type} (supported: ${p.supported || 'none'})`,
    (p) => `_include=${p.include} wordt voor ${p.type} niet ondersteund (ondersteund: ${p.supported || 'geen'})`,
  ),
  date: reason<{ value: string }>(
    'dvza.search.date-invalid',
    undefined,
    (p) => `date '${p.value}' is not a FHIR date search value such as ge2025-01-01`,
    (p) => `date '${p.value}' is geen FHIR-datumzoekwaarde zoals ge2025-01-01`,
  ),
} as const;
