/**
 * apps/dvza authorization.ts and beschikbaarheid.ts: the DVZA's authorization server on the front channel.
 * A fault in the client's identity or redirect_uri is shown on a page, never redirected (`PAGE`); the page's
 * text is quoted in the person's language (`lang`: nl, en, or nl/en for a page that shows both). Any other
 * refusal goes back to the PGO as an OAuth error (`TO_CLIENT`): `description` is the error_description the
 * PGO receives, `detail` what the trace and the audit log say.
 */
import { asShown, reason, text, type NoParams, type Params, type Reason, type Rule, type Text } from './catalogue.js';
import { DVZA_RULES as R } from './dvza.js';
import { LISTS_RULES } from './lists.js';
import { OAUTH_RULES } from './oauth.js';

type Shown = { lang: string };

/** Refused on a page: `page` is the page's text, in the person's language. */
export interface OnPage<P extends Params = Params> extends Reason<P & Shown> {
  status: 400 | 401 | 403 | 404 | 503;
  error: string;
  page: Text<P>;
}

/** Refused back to the PGO's redirect_uri with an OAuth error. */
export interface ToClient<P extends Params = Params> extends Reason<P & { client: string }> {
  error: string;
  description: Text<P>;
  detail: Text<P>;
}

const onPage = <P extends Params = NoParams>(id: string, r: Rule, status: 400 | 401 | 403 | 404 | 503, error: string, page: Text<P>): OnPage<P> => ({
  ...reason<P & Shown>(
    id,
    r,
    (p) => `${asShown(page, p)} (${error}; shown to the person, not redirected)`,
    (p) => `${page.nl(p)} (${error}; aan de persoon getoond, niet doorgestuurd)`,
  ),
  status,
  error,
  page,
});

const toClient = <P extends Params = NoParams>(id: string, r: Rule, error: string, description: Text<P>, detail: Text<P> = description): ToClient<P> => ({
  ...reason<P & { client: string }>(
    id,
    r,
    (p) => `${detail.en(p)} → ${error} to ${p.client}`,
    (p) => `${detail.nl(p)} → ${error} aan ${p.client}`,
  ),
  error,
  description,
  detail,
});

/** Why the beschikbaarheidstoets is negative: never told to the PGO (SPEC §2.2), only to the trace and audit log. */
const negative = <P extends Params>(id: string, why: Text<P>) =>
  toClient<P>(
    id,
    R.beschikbaarheidstoets,
    'access_denied',
    text(
      () => 'the care provider makes no data available for this request',
      () => 'de zorgaanbieder stelt voor dit verzoek geen gegevens beschikbaar',
    ),
    text(
      (p) => `beschikbaarheidstoets negative: ${why.en(p)}`,
      (p) => `beschikbaarheidstoets negatief: ${why.nl(p)}`,
    ),
  );

/** `description`: what the TVS client said (dvza-login.ts), or the TVS's own error_description. */
const digidEnded = (id: string, description: Text) =>
  toClient<{ outcome: string; description: string }>(
    id,
    R.login,
    'access_denied',
    description,
    text(
      (p) => `DigiD login ended without identity: ${p.outcome} (${p.description})`,
      (p) => `DigiD-login beëindigd zonder identiteit: ${p.outcome} (${p.description})`,
    ),
  );

export const DVZA_PAGE = {
  // `problem`: why the lists are unusable (lists.ts), quoted in English on either page.
  listsUnusable: onPage<{ problem: string }>(
    'dvza.authorize.lists-unusable-page',
    LISTS_RULES.noFlowOnExpired,
    503,
    'temporarily_unavailable',
    text(
      (p) => `This care provider cannot check whether your app is registered now: ${p.problem}`,
      (p) => `Deze zorgaanbieder kan nu niet controleren of uw app is aangesloten: ${p.problem}`,
    ),
  ),
  clientIdMissing: onPage(
    'dvza.authorize.client-id-missing',
    R.client,
    401,
    'unauthorized_client',
    text(
      () => 'The request names no app (client_id is missing).',
      () => 'De aanvraag noemt geen app (client_id ontbreekt).',
    ),
  ),
  clientNotListed: onPage<{ client: string }>(
    'dvza.authorize.client-not-listed',
    R.client,
    401,
    'invalid_client',
    text(
      (p) => `The app ${p.client} is not on the MedMij OAuthclientlist.`,
      (p) => `De app ${p.client} staat niet op de OAuthclientlist van MedMij.`,
    ),
  ),
  // `problem`: a redirect_uri problem (oauth.ts), said in the page's language.
  redirectUri: onPage<{ problem: string }>(
    'dvza.authorize.redirect-uri-refused',
    R.redirectUri,
    400,
    'invalid_request',
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  // client_id or redirect_uri given twice: which one counts is unknown, so nothing is redirected (RFC 6749 §4.1.2.1).
  /** `parameters`: the repeated parameter names joined with ' and '. */
  parameterRepeated: onPage<{ parameters: string }>(
    'dvza.authorize.parameter-repeated-page',
    OAUTH_RULES.parametersOnce,
    400,
    'invalid_request',
    text(
      (p) => `The request gives ${p.parameters} more than once, so it is unclear which app asks or where the answer goes.`,
      (p) =>
        `De aanvraag geeft ${p.parameters.split(' and ').join(' en ')} meer dan één keer, dus is onduidelijk welke app vraagt of waar het antwoord heen gaat.`,
    ),
  ),
  // Pages without a flow (so without a language) show both languages; they cite the redirect_uri rule.
  tvsReturnWithoutFlow: onPage(
    'dvza.authorize.tvs-return-without-flow',
    R.redirectUri,
    400,
    'invalid_request',
    text(
      () => 'This return from DigiD belongs to no request in progress in this browser.',
      () => 'Deze terugkeer van DigiD hoort niet bij een lopende aanvraag in deze browser.',
    ),
  ),
  noConsentQuestion: onPage(
    'dvza.authorize.no-consent-question',
    R.redirectUri,
    400,
    'invalid_request',
    text(
      () => 'No consent question open.',
      () => 'Geen toestemmingsvraag open.',
    ),
  ),
  /** A consent (or withdrawal) form posted from another site's page: cross-site request forgery. */
  crossSitePost: onPage<{ source: string }>(
    'dvza.authorize.cross-site-post',
    R.redirectUri,
    403,
    'invalid_request',
    text(
      (p) => `Refused: this form was sent from another site (${p.source}), not from this care provider's page.`,
      (p) => `Geweigerd: dit formulier is vanaf een andere site verstuurd (${p.source}), niet vanaf de pagina van deze zorgaanbieder.`,
    ),
  ),
  noConsentQuestionHere: onPage(
    'dvza.authorize.no-consent-question-here',
    R.redirectUri,
    400,
    'invalid_request',
    text(
      () => 'No consent question open in this browser.',
      () => 'Geen toestemmingsvraag open in deze browser.',
    ),
  ),
  flowNotInProgress: onPage(
    'dvza.authorize.flow-not-in-progress',
    R.redirectUri,
    400,
    'invalid_request',
    text(
      () => 'This request is not (or no longer) in progress in this browser.',
      () => 'Deze aanvraag loopt niet (meer) in deze browser.',
    ),
  ),
} as const;

export const DVZA_TO_CLIENT = {
  /** `parameters`: the repeated parameter names joined with ' and '. */
  parameterRepeated: toClient<{ parameters: string }>(
    'dvza.authorize.parameter-repeated',
    OAUTH_RULES.parametersOnce,
    'invalid_request',
    text(
      (p) => `${p.parameters} given more than once (RFC 6749 §3.1: each parameter once)`,
      (p) => `${p.parameters.split(' and ').join(' en ')} meer dan één keer meegegeven (RFC 6749 §3.1: elke parameter één keer)`,
    ),
  ),
  // `problem`: a PKCE problem (oauth.ts OAUTH.pkce).
  pkce: toClient<{ problem: string }>(
    'dvza.authorize.pkce-refused',
    OAUTH_RULES.pkce,
    'invalid_request',
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  responseType: toClient(
    'dvza.authorize.response-type-not-code',
    R.responseType,
    'unsupported_response_type',
    text(
      () => 'response_type must be code',
      () => 'response_type moet code zijn',
    ),
  ),
  // `problem`: a scope problem (oauth.ts).
  scope: toClient<{ problem: string }>(
    'dvza.authorize.scope-refused',
    R.scope,
    'invalid_scope',
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  /** Afsprakenstelsel 2: the scope grammar of that version (one zorgaanbieder, no ~id). */
  scope2: toClient<{ problem: string }>(
    'dvza.authorize.scope-refused-2',
    OAUTH_RULES.scopeGrammar,
    'invalid_scope',
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  /** Afsprakenstelsel 2: the OAuthclientlist lets this client use none of the gegevensdiensten offered here. */
  clientMayUseNone: toClient<{ client: string; offered: string; allowed: string }>(
    'dvza.authorize.client-may-use-none',
    OAUTH_RULES.scopeGrammar,
    'invalid_scope',
    text(
      (p) => `the OAuthclientlist lets ${p.client} use gegevensdienst ${p.allowed || '(none)'}; this zorgaanbieder offers ${p.offered}: nothing to consent to`,
      (p) =>
        `de OAuthclientlist staat ${p.client} gegevensdienst ${p.allowed || '(geen)'} toe; deze zorgaanbieder biedt ${p.offered} aan: er is niets om toestemming voor te geven`,
    ),
  ),
  stateMissing: toClient(
    'dvza.authorize.state-missing',
    OAUTH_RULES.state,
    'invalid_request',
    text(
      () => 'state is missing',
      () => 'state ontbreekt',
    ),
  ),
  // `problem`: why the lists are unusable (lists.ts).
  listsUnusable: toClient<{ problem: string }>(
    'dvza.authorize.lists-unusable',
    LISTS_RULES.noFlowOnExpired,
    'temporarily_unavailable',
    text(
      () => 'the lists of this DVZA are not usable',
      () => 'de lijsten van deze DVZA zijn niet bruikbaar',
    ),
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  cancelledAtLanding: toClient(
    'dvza.authorize.cancelled-at-landing',
    R.consent,
    'access_denied',
    text(
      () => 'the person cancelled at the landing page',
      () => 'de persoon annuleerde op de landingspagina',
    ),
  ),
  digidCancelled: digidEnded(
    'dvza.authorize.digid-cancelled',
    text(
      () => 'the person cancelled the DigiD login',
      () => 'de persoon heeft het inloggen met DigiD geannuleerd',
    ),
  ),
  digidFailed: digidEnded(
    'dvza.authorize.digid-failed',
    text(
      () => 'the DigiD login did not succeed',
      () => 'het inloggen met DigiD is niet gelukt',
    ),
  ),
  // RFC 6749 §4.1.2.1: the DVZA could not reach the TVS, a passing fault: the PGO may let the person try again.
  tvsUnreachable: toClient<{ outcome: string; description: string }>(
    'dvza.authorize.tvs-unreachable',
    R.login,
    'temporarily_unavailable',
    text(
      () => 'the DigiD login cannot be completed now: the Toegangsverleningservice cannot be reached; try again later',
      () => 'het inloggen met DigiD kan nu niet worden afgerond: de Toegangsverleningservice is niet bereikbaar; probeer het later opnieuw',
    ),
    text(
      (p) => `DigiD login ended without identity: ${p.outcome} (${p.description})`,
      (p) => `DigiD-login beëindigd zonder identiteit: ${p.outcome} (${p.description})`,
    ),
  ),
  levelTooLow: toClient<{ level: string; required: string }>(
    'dvza.authorize.digid-level-too-low',
    R.login,
    'access_denied',
    text(
      (p) => `DigiD level ${p.level} is too low: ${p.required} is required`,
      (p) => `DigiD-niveau ${p.level} is te laag: ${p.required} is vereist`,
    ),
  ),
  noRelation: negative<{ bsn: string }>(
    'dvza.beschikbaarheid.no-treatment-relation',
    text(
      (p) => `no treatment relation with BSN ${p.bsn} at this zorgaanbieder`,
      (p) => `geen behandelrelatie met BSN ${p.bsn} bij deze zorgaanbieder`,
    ),
  ),
  deceased: negative<{ name: string; died: string }>(
    'dvza.beschikbaarheid.deceased',
    text(
      (p) => `${p.name} died on ${p.died}`,
      (p) => `${p.name} is overleden op ${p.died}`,
    ),
  ),
  under16: negative<{ name: string; age: number; today: string; born: string; minimum: number }>(
    'dvza.beschikbaarheid.under-16',
    text(
      (p) => `${p.name} is ${p.age} on ${p.today} (born ${p.born}); MedMij requires at least ${p.minimum}`,
      (p) => `${p.name} is ${p.age} op ${p.today} (geboren ${p.born}); MedMij vereist minstens ${p.minimum}`,
    ),
  ),
  noData: negative<{ name: string; gegevensdiensten: string }>(
    'dvza.beschikbaarheid.no-data',
    text(
      (p) => `no data for ${p.name} for gegevensdienst ${p.gegevensdiensten} at this zorgaanbieder`,
      (p) => `geen gegevens van ${p.name} voor gegevensdienst ${p.gegevensdiensten} bij deze zorgaanbieder`,
    ),
  ),
  consentRefused: toClient(
    'dvza.authorize.consent-refused',
    R.consent,
    'access_denied',
    text(
      () => 'the person did not give consent',
      () => 'de persoon heeft geen toestemming gegeven',
    ),
  ),
} as const;

export const DVZA_AUTHORIZE = {
  accepted: reason<{ client: string; organisatie: string; scope: string }>(
    'dvza.authorize.request-accepted',
    R.client,
    (p) =>
      `authorization request accepted: ${p.client} (${p.organisatie}) is on the OAuthclientlist, redirect_uri is on its host, scope ${p.scope} is offered here`,
    (p) =>
      `autorisatieverzoek geaccepteerd: ${p.client} (${p.organisatie}) staat op de OAuthclientlist, de redirect_uri ligt op zijn host, scope ${p.scope} wordt hier aangeboden`,
  ),
  toDigid: reason<{ level: string }>(
    'dvza.authorize.to-digid',
    R.login,
    (p) => `to DigiD via the TVS, minimum level ${p.level}`,
    (p) => `naar DigiD via de TVS, minimumniveau ${p.level}`,
  ),
  /** `missing`: requested gegevensdiensten without data, or '' when there are none. */
  positive: reason<{ name: string; age: number; today: string; available: string; missing: string }>(
    'dvza.beschikbaarheid.positive',
    R.beschikbaarheidstoets,
    (p) =>
      `beschikbaarheidstoets positive: ${p.name}, ${p.age} on ${p.today}, has a treatment relation and data for gegevensdienst ${p.available}${p.missing ? ` (none for ${p.missing}: left out of the scope)` : ''}`,
    (p) =>
      `beschikbaarheidstoets positief: ${p.name}, ${p.age} op ${p.today}, heeft een behandelrelatie en gegevens voor gegevensdienst ${p.available}${p.missing ? ` (geen voor ${p.missing}: buiten de scope gelaten)` : ''}`,
  ),
  // `longLived`: 'ja' when the person ticked long-lived consent (afsprakenstelsel 2), else left out.
  consentGiven: reason<{ gegevensdiensten: string; organisatie: string; minutes: number; client: string; longLived?: string }>(
    'dvza.authorize.consent-given',
    R.consent,
    (p) =>
      `consent given for gegevensdienst ${p.gegevensdiensten}${p.longLived === 'ja' ? ' (long-lived)' : ''} to ${p.organisatie}: single-use code (valid ${p.minutes} min) to ${p.client}`,
    (p) =>
      `toestemming gegeven voor gegevensdienst ${p.gegevensdiensten}${p.longLived === 'ja' ? ' (langdurig)' : ''} aan ${p.organisatie}: eenmalige autorisatiecode (${p.minutes} min geldig) naar ${p.client}`,
  ),
} as const;

/**
 * apps/dvza consents.ts pages: the person's own overview of their long-lived consents at the DVZA, after DigiD,
 * with a withdraw button each (afsprakenstelsel 2; SPEC names no interface: the sandbox's choice).
 */
export const DVZA_CONSENTS = {
  notIn15: onPage(
    'dvza.consents.not-in-1-5',
    OAUTH_RULES.withdrawal,
    404,
    'not_found',
    text(
      () => 'This network speaks afsprakenstelsel 1.5: consent counts for one collection only, so there is no long-lived consent to see or withdraw.',
      () =>
        'Dit netwerk spreekt afsprakenstelsel 1.5: toestemming geldt voor één keer ophalen, dus er is geen langdurige toestemming om te bekijken of in te trekken.',
    ),
  ),
  notInProgress: onPage(
    'dvza.consents.not-in-progress',
    OAUTH_RULES.withdrawal,
    400,
    'invalid_request',
    text(
      () => 'Your consent overview is not (or no longer) open in this browser. Open it again and log in with DigiD.',
      () => 'Uw toestemmingenoverzicht is niet (meer) geopend in deze browser. Open het opnieuw en log in met DigiD.',
    ),
  ),
  loginFailed: onPage<{ outcome: string }>(
    'dvza.consents.login-failed',
    OAUTH_RULES.withdrawal,
    401,
    'access_denied',
    text(
      (p) => `Logging in with DigiD did not succeed (${p.outcome}): your consents are shown only to you, after DigiD.`,
      (p) => `Inloggen met DigiD is niet gelukt (${p.outcome}): uw toestemmingen worden alleen aan u getoond, na DigiD.`,
    ),
  ),
  levelTooLow: onPage<{ level: string; required: string }>(
    'dvza.consents.level-too-low',
    R.login,
    401,
    'access_denied',
    text(
      (p) => `You logged in with DigiD level ${p.level}; your consents need at least ${p.required}.`,
      (p) => `U logde in met DigiD-niveau ${p.level}; voor uw toestemmingen is minstens ${p.required} nodig.`,
    ),
  ),
  notYours: onPage(
    'dvza.consents.not-yours',
    OAUTH_RULES.withdrawal,
    400,
    'invalid_request',
    text(
      () => 'This consent is not one of yours: nothing was withdrawn.',
      () => 'Deze toestemming is niet van u: er is niets ingetrokken.',
    ),
  ),
  toDigid: reason(
    'dvza.consents.to-digid',
    OAUTH_RULES.withdrawal,
    () => 'the person opens their consent overview at the DVZA: first DigiD (the overview names whom the person gave consent to)',
    () => 'de persoon opent het toestemmingenoverzicht bij de DVZA: eerst DigiD (het overzicht noemt aan wie de persoon toestemming gaf)',
  ),
  shown: reason<{ count: number }>(
    'dvza.consents.shown',
    OAUTH_RULES.withdrawal,
    (p) => `the person logged in with DigiD at the DVZA's consent overview: ${p.count} long-lived consent(s) shown`,
    (p) => `de persoon logde in met DigiD bij het toestemmingenoverzicht van de DVZA: ${p.count} langdurige toestemming(en) getoond`,
  ),
  withdrawn: reason<{ organisatie: string; client: string; gegevensdiensten: string; revoked: number }>(
    'dvza.consents.withdrawn',
    OAUTH_RULES.withdrawal,
    (p) =>
      `the person withdrew the long-lived consent of ${p.organisatie} (${p.client}) for gegevensdienst ${p.gegevensdiensten} at the DVZA: its refresh token and ${p.revoked} access token(s) count no more`,
    (p) =>
      `de persoon trok bij de DVZA de langdurige toestemming van ${p.organisatie} (${p.client}) voor gegevensdienst ${p.gegevensdiensten} in: het refresh token en ${p.revoked} toegangstoken(s) tellen niet meer`,
  ),
} as const;
