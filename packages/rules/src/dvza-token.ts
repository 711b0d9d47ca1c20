/**
 * apps/dvza token.ts: the token endpoint on the back channel (SPEC §2.5). A refusal reads
 * `token refused: <error> (<description>)`; the description is also the OAuth error_description the PGO
 * receives (in English, as OAuth has it) and what the audit log keeps.
 */
import { reason, text, type NoParams, type Params, type Reason, type Rule, type Text } from './catalogue.js';
import { DVZA_RULES as R } from './dvza.js';
import { LISTS_RULES } from './lists.js';

/** A refusal: its HTTP status, OAuth error and error_description. */
export interface TokenRefusal<P extends Params = Params> extends Reason<P> {
  status: 400 | 401 | 405 | 503;
  error: string;
  description: Text<P>;
}

// The trace's placeholders for an absent value, in Dutch.
export const none = (v: string) => (v === '(none)' ? '(geen)' : v);
const missing = (v: string) => (v === '(missing)' ? '(ontbreekt)' : v);

/**
 * A token endpoint refusal: the trace reads `token refused: <error> (<description>)`. Exported so the OAuth
 * contract's own token refusals (oauth.ts) read and work the same: a DVZA answers any of them alike.
 */
export const tokenRefusal = <P extends Params = NoParams>(
  id: string,
  r: Rule,
  status: 400 | 401 | 405 | 503,
  error: string,
  description: Text<P>,
): TokenRefusal<P> => ({
  ...reason<P>(
    id,
    r,
    (p) => `token refused: ${error} (${description.en(p)})`,
    (p) => `tokenverzoek geweigerd: ${error} (${description.nl(p)})`,
  ),
  status,
  error,
  description,
});
const refused = tokenRefusal;

export const DVZA_TOKEN = {
  // `problem`: why the lists are unusable (lists.ts).
  listsUnusable: refused<{ problem: string }>(
    'dvza.token.lists-unusable',
    LISTS_RULES.noFlowOnExpired,
    503,
    'temporarily_unavailable',
    text(
      (p) => p.problem,
      (p) => p.problem,
    ),
  ),
  /** `host` '(none)' when the client showed no certificate with a hostname. */
  notOnWhitelist: refused<{ host: string }>(
    'dvza.token.peer-not-on-whitelist',
    R.whitelist,
    401,
    'invalid_client',
    text(
      (p) => `the client certificate's host ${p.host} is not on the Whitelist`,
      (p) => `de host van het clientcertificaat, ${none(p.host)}, staat niet op de Whitelist`,
    ),
  ),
  /** `grantType` '(missing)' when missing. */
  grantType: refused<{ grantType: string }>(
    'dvza.token.grant-type',
    R.codeSingleUse,
    400,
    'unsupported_grant_type',
    text(
      (p) => `grant_type must be authorization_code, not ${p.grantType}`,
      (p) => `grant_type moet authorization_code zijn, niet ${missing(p.grantType)}`,
    ),
  ),
  /** `clientId` '(missing)' when missing. */
  clientIdNotCertificate: refused<{ clientId: string; host: string }>(
    'dvza.token.client-id-not-certificate',
    R.tokenClient,
    401,
    'invalid_client',
    text(
      (p) => `client_id ${p.clientId} is not the host of the client certificate (${p.host})`,
      (p) => `client_id ${missing(p.clientId)} is niet de host van het clientcertificaat (${p.host})`,
    ),
  ),
  clientNotListed: refused<{ clientId: string }>(
    'dvza.token.client-not-listed',
    R.tokenClient,
    401,
    'invalid_client',
    text(
      (p) => `${p.clientId} is not on the OAuthclientlist`,
      (p) => `${p.clientId} staat niet op de OAuthclientlist`,
    ),
  ),
  unknownCode: refused(
    'dvza.token.unknown-code',
    R.codeSingleUse,
    400,
    'invalid_grant',
    text(
      () => 'unknown code',
      () => 'onbekende autorisatiecode',
    ),
  ),
  codeReplayed: refused<{ usedAt: string; revoked: number }>(
    'dvza.token.code-replayed',
    R.codeReplay,
    400,
    'invalid_grant',
    text(
      (p) => `the code was already used at ${p.usedAt}; ${p.revoked} access token(s) issued from it are revoked`,
      (p) => `de autorisatiecode is al gebruikt op ${p.usedAt}; ${p.revoked} ermee uitgegeven toegangstoken(s) zijn ingetrokken`,
    ),
  ),
  codeOtherClient: refused<{ issuedTo: string; clientId: string }>(
    'dvza.token.code-other-client',
    R.codeSingleUse,
    400,
    'invalid_grant',
    text(
      (p) => `the code was issued to ${p.issuedTo}, not to ${p.clientId}; nothing is revoked`,
      (p) => `de autorisatiecode is uitgegeven aan ${p.issuedTo}, niet aan ${p.clientId}; er wordt niets ingetrokken`,
    ),
  ),
  codeExpired: refused<{ expiredAt: string }>(
    'dvza.token.code-expired',
    R.codeSingleUse,
    400,
    'invalid_grant',
    text(
      (p) => `the code expired at ${p.expiredAt} (sandbox clock)`,
      (p) => `de autorisatiecode is verlopen op ${p.expiredAt} (sandboxklok)`,
    ),
  ),
  redirectUriMissing: refused(
    'dvza.token.redirect-uri-missing',
    R.codeSingleUse,
    400,
    'invalid_request',
    text(
      () => 'redirect_uri is missing',
      () => 'redirect_uri ontbreekt',
    ),
  ),
  redirectUriDiffers: refused(
    'dvza.token.redirect-uri-differs',
    R.codeSingleUse,
    400,
    'invalid_grant',
    text(
      () => 'redirect_uri differs from the one in the authorization request',
      () => 'redirect_uri wijkt af van die in het autorisatieverzoek',
    ),
  ),

  issued: reason<{ clientId: string; scope: string; expiresAt: string }>(
    'dvza.token.issued',
    R.accessToken,
    (p) => `code redeemed by ${p.clientId}: access token for ${p.scope}, valid until ${p.expiresAt} (sandbox clock)`,
    (p) => `autorisatiecode ingewisseld door ${p.clientId}: toegangstoken voor ${p.scope}, geldig tot ${p.expiresAt} (sandboxklok)`,
  ),
  // Why an access token no longer counts (quoted when the resource server refuses it).
  revokedByReplay: reason<{ at: string }>(
    'dvza.token.revoked-by-replay',
    R.codeReplay,
    (p) => `the code it came from was offered again at ${p.at}`,
    (p) => `de autorisatiecode waarmee het is verkregen, is opnieuw aangeboden op ${p.at}`,
  ),
} as const;
