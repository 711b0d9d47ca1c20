/**
 * packages/medmij-oauth: the OAuth contract between PGO and DVZA. The state rule both sides enforce, and
 * the problems with a scope or a redirect_uri, which the DVZA quotes in its refusals (a redirect_uri
 * problem on the page, in the person's language).
 */
import { reason, rule } from './catalogue.js';

export const OAUTH_RULES = {
  state: rule('oauth.state.binds-session', '§2.1', 'state binds the answer to the PGO session', 'state koppelt het antwoord aan de sessie bij de PGO'),
} as const;

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
  },
} as const;
