/**
 * apps/dvza: the rules a DVZA enforces, on the front channel (authorization server), the back channel
 * (token endpoint, FHIR resource server) and in the DigiD login through the TVS (packages/tvs-client).
 * The reasons are in dvza-authorize.ts, dvza-token.ts, dvza-fhir.ts and dvza-login.ts.
 */
import { rule } from './catalogue.js';

export const DVZA_RULES = {
  // Front channel: the authorization server (SPEC §2.1–2.4).
  client: rule(
    'dvza.authorize.client-on-oauthclientlist',
    '§2.1',
    'client_id is the PGO hostname on the OAuthclientlist',
    'client_id is de hostname van de PGO op de OAuthclientlist',
  ),
  redirectUri: rule(
    'dvza.authorize.redirect-uri',
    '§2.1',
    'redirect_uri: https, no query or fragment, inside the client hostname',
    'redirect_uri: https, zonder query of fragment, binnen de hostname van de client',
  ),
  responseType: rule('dvza.authorize.response-type-code', '§2.1', 'response_type=code only', 'alleen response_type=code'),
  scope: rule(
    'dvza.authorize.scope',
    '§2.1',
    'scope = <zorgaanbieder>~<gegevensdienstId>, offered by this zorgaanbieder',
    'scope = <zorgaanbieder>~<gegevensdienstId>, aangeboden door deze zorgaanbieder',
  ),
  login: rule(
    'dvza.authorize.digid-login',
    '§2.2',
    'the person logs in with DigiD through the TVS, at a sufficient level',
    'de persoon logt via de TVS in met DigiD, op een voldoende hoog niveau',
  ),
  beschikbaarheidstoets: rule(
    'dvza.authorize.beschikbaarheidstoets',
    '§2.2',
    'beschikbaarheidstoets: treatment relation, data available, age ≥ 16',
    'beschikbaarheidstoets: behandelrelatie, gegevens beschikbaar, leeftijd ≥ 16',
  ),
  consent: rule(
    'dvza.authorize.consent',
    '§2.3',
    'the person gives consent (Toestemmingsverklaring) before any code is issued',
    'de persoon geeft toestemming (Toestemmingsverklaring) voordat er een autorisatiecode wordt uitgegeven',
  ),

  // Back channel: the gate and the token endpoint (SPEC §4, §2.5).
  mutualTls: rule(
    'dvza.backchannel.mutual-tls',
    '§4',
    'back channel: two-sided TLS; the PGO presents its sandbox PKI client certificate',
    'back channel: tweezijdig TLS; de PGO toont zijn clientcertificaat van de sandbox-PKI',
  ),
  whitelist: rule(
    'dvza.backchannel.peer-on-whitelist',
    '§4',
    'back channel: the peer certificate hostname must be on the Whitelist',
    'back channel: de hostname in het certificaat van de tegenpartij moet op de Whitelist staan',
  ),
  tokenClient: rule(
    'dvza.token.client-authenticated',
    '§2.5',
    'the client is authenticated by its TLS client certificate; client_id on the OAuthclientlist',
    'de client wordt geauthenticeerd met zijn TLS-clientcertificaat; client_id staat op de OAuthclientlist',
  ),
  codeSingleUse: rule(
    'dvza.token.code-single-use',
    '§2.5',
    'the code is single-use (core.tknint.203/204), short-lived, bound to client and redirect_uri (core.tknint.205)',
    'de autorisatiecode is eenmalig (core.tknint.203/204), kort geldig, gebonden aan client en redirect_uri (core.tknint.205)',
  ),
  codeReplay: rule(
    'dvza.token.code-replay-revokes',
    '§2.5',
    'a code offered twice: refused, and the tokens issued from it are revoked (RFC 6749 §4.1.2)',
    'een autorisatiecode die twee keer wordt aangeboden: geweigerd, en de toegangstokens die ermee zijn uitgegeven worden ingetrokken (RFC 6749 §4.1.2)',
  ),
  accessToken: rule('dvza.token.access-token-lifetime', '§2.5', 'access token, about 15 minutes', 'toegangstoken, ongeveer 15 minuten geldig'),

  // Back channel: the FHIR resource server (SPEC §2.7, §6.2).
  bearer: rule(
    'dvza.fhir.bearer-token',
    '§2.7',
    'the access token only in Authorization: Bearer (core.rscint.200)',
    'het toegangstoken alleen in Authorization: Bearer (core.rscint.200)',
  ),
  headers: rule(
    'dvza.fhir.medmij-headers',
    '§2.7',
    'MedMij-Request-ID and X-Correlation-ID on every resource request (core.rscint.201)',
    'MedMij-Request-ID en X-Correlation-ID bij elk resourceverzoek (core.rscint.201)',
  ),
  noPatient: rule(
    'dvza.fhir.no-patient-parameter',
    '§2.7',
    'no BSN, patient= or subject= in the request: the token fixes the patient',
    'geen BSN, patient= of subject= in het verzoek: het token bepaalt de patiënt',
  ),
  tokenScope: rule(
    'dvza.fhir.token-scope',
    '§2.7',
    'only the resources of the gegevensdiensten in the token',
    'alleen de resources van de gegevensdiensten in het token',
  ),
  searchset: rule(
    'dvza.fhir.searchset-bundle',
    '§6.2',
    'FHIR searches answered with a searchset Bundle',
    'FHIR-zoekvragen beantwoord met een searchset-Bundle',
  ),

  // The DigiD login through the TVS, as the DVZA sees it (SPEC §5, §1.2).
  identityAssertion: rule(
    'dvza.login.identity-assertion',
    '§5',
    'the TVS hands the DVZA the BSN, encrypted for that DVZA, in a signed, short-lived, single-use assertion',
    'de TVS geeft de DVZA het BSN, versleuteld voor die DVZA, in een ondertekende, kortlevende, eenmalige assertion',
  ),
  artifactResolution: rule(
    'dvza.login.artifact-resolution',
    '§1.2',
    'step 7: the DVZA resolves the artifact directly with the TVS (back channel)',
    'stap 7: de DVZA wisselt het artefact rechtstreeks bij de TVS in (back channel)',
  ),
} as const;
