/**
 * apps/pgo: the PGO as a MedMij client (collector.ts) and the rules its refusals show the person
 * (refusals.ts). What a DVZA sent back as error_description is the DVZA's own text: an open-ended
 * parameter, in whatever language that DVZA chose.
 */
import { reason, rule, text, type Params, type Reason, type Rule, type Text } from './catalogue.js';
import { LISTS_RULES } from './lists.js';
import { OAUTH_RULES } from './oauth.js';

export const PGO_RULES = {
  start: rule(
    'pgo.start.from-zorgaanbiederslijst',
    '§2.1',
    'the PGO builds the authorization request from the Zorgaanbiederslijst',
    'de PGO stelt het autorisatieverzoek op uit de Zorgaanbiederslijst',
  ),
  token: rule(
    'pgo.token.backchannel',
    '§2.5',
    'the code is redeemed on the back channel with the PGO client certificate',
    'de autorisatiecode wordt via het back channel ingewisseld met het clientcertificaat van de PGO',
  ),
  fhir: rule(
    'pgo.fhir.resource-requests',
    '§2.7',
    'resource requests: Bearer token, MedMij headers, no BSN',
    'resourceverzoeken: Bearer-token, MedMij-headers, geen BSN',
  ),
  whitelist: rule('pgo.backchannel.whitelist-only', '§4', 'back channel: only Whitelist hosts', 'back channel: alleen hosts op de Whitelist'),
  noBsn: rule('pgo.privacy.no-bsn', '§10.6', 'the PGO (DVP) does not process the BSN', 'de PGO (DVP) verwerkt het BSN niet'),

  // The rules the refusals name (refusals.ts), short as the person reads them.
  digidLogin: rule('pgo.refusal.digid-login', '§2.2', 'the person logs in with DigiD', 'de persoon logt in met DigiD'),
  tvs: rule('pgo.refusal.tvs-digid', '§5', 'TVS / DigiD', 'TVS / DigiD'),
  level: rule('pgo.refusal.assurance-level', '§5', 'assurance level Substantieel', 'betrouwbaarheidsniveau Substantieel'),
  consent: rule('pgo.refusal.toestemmingsverklaring', '§2.3', 'Toestemmingsverklaring', 'Toestemmingsverklaring'),
  beschikbaarheidstoets: rule('pgo.refusal.beschikbaarheidstoets', '§2.2', 'beschikbaarheidstoets', 'beschikbaarheidstoets'),
  oauthErrors: rule('pgo.refusal.oauth-error-codes', '§2.6', 'OAuth error codes', 'OAuth-foutcodes'),
  mutualTls: rule('pgo.refusal.mutual-tls', '§4', 'two-sided TLS on the back channel', 'tweezijdig TLS op het back channel'),
  tokenRequest: rule('pgo.refusal.token-request', '§2.5', 'token request', 'tokenverzoek'),
  resourceRequests: rule('pgo.refusal.resource-requests', '§2.7', 'resource requests', 'resourceverzoeken'),
} as const;

const R = PGO_RULES;

/**
 * `not starting: <title> (<detail>)`: the PGO will not even send the person to the DVZA. The title is the
 * one the person reads (refusals.ts uses it); the detail is the refusal's detail.
 */
export interface NotStarting<P extends Params = Params> extends Reason<P> {
  title: { nl: string; en: string };
  detail: Text<P>;
}

const notStarting = <P extends Params>(id: string, r: Rule, title: { nl: string; en: string }, detail: Text<P>): NotStarting<P> => ({
  ...reason<P>(
    id,
    r,
    (p) => `not starting: ${title.en} (${detail.en(p)})`,
    (p) => `niet gestart: ${title.nl} (${detail.nl(p)})`,
  ),
  title,
  detail,
});

const LISTS_UNUSABLE = { nl: 'De MedMij-lijsten zijn niet bruikbaar', en: 'The MedMij lists cannot be used' };

export const PGO = {
  gegevensdienstNotListed: notStarting<{ zorgaanbieder: string; gegevensdienst: string; volgnummer: number }>(
    'pgo.start.gegevensdienst-not-listed',
    LISTS_RULES.noFlowOnExpired,
    LISTS_UNUSABLE,
    text(
      (p) => `${p.zorgaanbieder} offers no gegevensdienst ${p.gegevensdienst} on the Zorgaanbiederslijst Volgnummer ${p.volgnummer}`,
      (p) => `${p.zorgaanbieder} biedt geen gegevensdienst ${p.gegevensdienst} aan op de Zorgaanbiederslijst met Volgnummer ${p.volgnummer}`,
    ),
  ),
  // `problem`: why the lists are unusable (lists.ts).
  listsUnusable: notStarting<{ problem: string }>(
    'pgo.start.lists-unusable',
    LISTS_RULES.noFlowOnExpired,
    LISTS_UNUSABLE,
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  notOnWhitelist: notStarting<{ host: string }>(
    'pgo.start.host-not-on-whitelist',
    R.whitelist,
    { nl: 'Zorgaanbieder niet op de Whitelist', en: 'Care provider not on the Whitelist' },
    text(
      (p) => `${p.host} is not on the Whitelist`,
      (p) => `${p.host} staat niet op de Whitelist`,
    ),
  ),
  authorizationRequest: reason<{ gegevensdienst: string; zorgaanbieder: string; endpoint: string }>(
    'pgo.start.authorization-request',
    R.start,
    (p) => `authorization request for ${p.gegevensdienst} at ${p.zorgaanbieder}: the browser goes to ${p.endpoint}`,
    (p) => `autorisatieverzoek voor ${p.gegevensdienst} bij ${p.zorgaanbieder}: de browser gaat naar ${p.endpoint}`,
  ),
  /** `state` '' when the callback carried none. */
  stateUnknown: reason<{ state: string; user: string }>(
    'pgo.callback.state-unknown',
    OAUTH_RULES.state,
    (p) => `callback refused: state '${p.state || '(none)'}' belongs to no authorization request of ${p.user}; no code is redeemed`,
    (p) => `terugkeer geweigerd: state '${p.state || '(geen)'}' hoort bij geen autorisatieverzoek van ${p.user}; er wordt geen autorisatiecode ingewisseld`,
  ),
  /** RFC 9207: `iss` what the answer named, `issuer` the DVZA the PGO sent the browser to. */
  issuerMismatch: reason<{ iss: string; issuer: string }>(
    'pgo.callback.issuer-mismatch',
    OAUTH_RULES.issuer,
    (p) =>
      `callback refused: the answer names issuer ${p.iss}, and the browser was sent to ${p.issuer} (RFC 9207: an answer of another authorization server, a mix-up); no code is redeemed`,
    (p) =>
      `terugkeer geweigerd: het antwoord noemt uitgever ${p.iss}, terwijl de browser naar ${p.issuer} was gestuurd (RFC 9207: een antwoord van een andere autorisatieserver, een mix-up); er wordt geen autorisatiecode ingewisseld`,
  ),
  /** RFC 9207 §2.4: a DVZA known to send `iss` (one of the sandbox's own) answered without it. */
  issuerMissing: reason<{ issuer: string }>(
    'pgo.callback.issuer-missing',
    OAUTH_RULES.issuer,
    (p) =>
      `callback refused: the answer names no issuer, and ${p.issuer} always sends one (RFC 9207 §2.4: a client that knows its authorization server sends iss refuses an answer without it); no code is redeemed`,
    (p) =>
      `terugkeer geweigerd: het antwoord noemt geen uitgever, terwijl ${p.issuer} die altijd meestuurt (RFC 9207 §2.4: een client die weet dat zijn autorisatieserver iss meestuurt, weigert een antwoord zonder); er wordt geen autorisatiecode ingewisseld`,
  ),
  // Its rule is the refusal's (which OAuth error it was); `description` is the DVZA's own text.
  dvzaAnswered: reason<{ error: string; description: string }>(
    'pgo.callback.dvza-error',
    undefined,
    (p) => `the DVZA answered ${p.error}: ${p.description}`,
    // The description is the DVZA's own words (OAuth's error_description, ASCII only): quoted, not translated.
    (p) => `de DVZA antwoordde ${p.error}${p.description ? ` (toelichting van de DVZA: "${p.description}")` : ''}`,
  ),
  notGranted: reason<{ granted: string; gegevensdienst: string; id: string }>(
    'pgo.token.not-granted',
    R.consent,
    (p) => `the access token covers gegevensdienst ${p.granted || '(none)'}, not ${p.id} (${p.gegevensdienst}): not consented to, or not offered`,
    (p) =>
      `het toegangstoken geldt voor gegevensdienst ${p.granted || '(geen)'}, niet voor ${p.id} (${p.gegevensdienst}): geen toestemming, of niet aangeboden`,
  ),
  refreshed: reason<{ expiredAt: string; expiresAt: string }>(
    'pgo.token.refreshed',
    R.token,
    (p) => `the access token expired at ${p.expiredAt}: renewed with the refresh token (long-lived consent, no DigiD), valid until ${p.expiresAt}`,
    (p) => `het toegangstoken verliep op ${p.expiredAt}: vernieuwd met het refresh token (langdurige toestemming, geen DigiD), geldig tot ${p.expiresAt}`,
  ),
  refreshRefused: reason<{ error: string; description: string }>(
    'pgo.token.refresh-refused',
    R.token,
    (p) => `the refresh was refused (${p.error}: ${p.description}): the refresh token is dropped; the person logs in and consents again`,
    (p) =>
      `het vernieuwen werd geweigerd (${p.error}${p.description ? `, toelichting van de DVZA: "${p.description}"` : ''}): het refresh token is weggegooid; de persoon logt opnieuw in en geeft opnieuw toestemming`,
  ),
  consentWithdrawn: reason<{ gegevensdienst: string; status: number }>(
    'pgo.consent.withdrawn',
    OAUTH_RULES.withdrawal,
    (p) =>
      `the person withdrew the long-lived consent for ${p.gegevensdienst} ("Toestemmingen aanpassen"): refresh and access token dropped; the DVZA answered the revocation (RFC 7009, a sandbox extension) with HTTP ${p.status}`,
    (p) =>
      `de persoon trok de langdurige toestemming voor ${p.gegevensdienst} in ("Toestemmingen aanpassen"): refresh- en toegangstoken weggegooid; de DVZA beantwoordde de intrekking (RFC 7009, een uitbreiding van de sandbox) met HTTP ${p.status}`,
  ),
  consentWithdrawnUnconfirmed: reason<{ gegevensdienst: string; problem: string }>(
    'pgo.consent.withdrawn-unconfirmed',
    OAUTH_RULES.withdrawal,
    (p) =>
      `the person withdrew the long-lived consent for ${p.gegevensdienst}: refresh and access token dropped, but the DVZA did not confirm the revocation (${p.problem}); the person can withdraw it at the DVZA too`,
    (p) =>
      `de persoon trok de langdurige toestemming voor ${p.gegevensdienst} in: refresh- en toegangstoken weggegooid, maar de DVZA bevestigde de intrekking niet (${p.problem}); de persoon kan haar ook bij de DVZA intrekken`,
  ),
  collectAgain: reason<{ gegevensdienst: string; startedAt: string }>(
    'pgo.fhir.collect-again',
    R.fhir,
    (p) => `fetching ${p.gegevensdienst} again with the access token of ${p.startedAt}`,
    (p) => `${p.gegevensdienst} opnieuw ophalen met het toegangstoken van ${p.startedAt}`,
  ),
  /** A second line of defence: a DVZA sent a BSN unmasked; the PGO keeps the identifier without its value. */
  bsnDropped: reason<{ identifiers: number; zorgaanbieder: string; gegevensdienst: string }>(
    'pgo.privacy.bsn-dropped',
    R.noBsn,
    (p) =>
      `${p.zorgaanbieder} sent ${p.identifiers} BSN value(s) unmasked with ${p.gegevensdienst}: dropped before storing (the identifier is kept, marked masked)`,
    (p) =>
      `${p.zorgaanbieder} stuurde bij ${p.gegevensdienst} ${p.identifiers} BSN-waarde(n) onafgeschermd mee: weggelaten voordat iets werd bewaard (de identificatie blijft, gemarkeerd als afgeschermd)`,
  ),
  /** At start: collections stored before (an older sandbox, a DVZA that sent it) are rewritten without their BSNs. */
  bsnPurged: reason<{ user: string; collections: number; identifiers: number }>(
    'pgo.privacy.bsn-purged',
    R.noBsn,
    (p) => `at start: ${p.identifiers} BSN value(s) in ${p.collections} stored collection(s) of ${p.user} removed; the collections were rewritten without them`,
    (p) =>
      `bij de start: ${p.identifiers} BSN-waarde(n) in ${p.collections} bewaarde verzameling(en) van ${p.user} verwijderd; de verzamelingen zijn zonder herschreven`,
  ),
  collected: reason<{ resources: number; gegevensdienst: string; zorgaanbieder: string; queries: number }>(
    'pgo.fhir.collected',
    R.fhir,
    (p) => `collected ${p.resources} resources for ${p.gegevensdienst} from ${p.zorgaanbieder} in ${p.queries} queries`,
    (p) => `${p.resources} resources voor ${p.gegevensdienst} opgehaald bij ${p.zorgaanbieder} in ${p.queries} zoekvragen`,
  ),
} as const;
