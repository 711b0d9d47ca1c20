/**
 * The token endpoint (SPEC §2.5, §10.1–10.2, RFC 6749 §4.1.3, §5, §6): the form a PGO posts, how a DVZA reads
 * it per afsprakenstelsel, and the response. Afsprakenstelsel 2 adds `grant_type=refresh_token` (long-lived
 * consent), a `refresh_token` in the response and a `scope` of granted ids; 1.5 stays as it was.
 */
import { DVZA_TOKEN, OAUTH, said, type Params, type Said, type TokenRefusal } from '@medmij-sandbox/rules';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';
import { scopeOf } from './scope.js';

// ---- the request --------------------------------------------------------------------------------------

export interface TokenRequest {
  grant_type: 'authorization_code';
  code: string;
  redirect_uri: string;
  client_id: string;
  /** PKCE (RFC 7636): only when the authorization request carried a code_challenge. */
  code_verifier?: string;
}

/** A refresh (afsprakenstelsel 2): no scope, no redirect_uri; the consent behind the token decides what is granted. */
export interface RefreshRequest {
  grant_type: 'refresh_token';
  refresh_token: string;
  client_id: string;
}

export type GrantType = TokenRequest['grant_type'] | RefreshRequest['grant_type'];

/** The grant types a DVZA accepts, per afsprakenstelsel. */
export const GRANT_TYPES: Readonly<Record<Afsprakenstelsel, readonly GrantType[]>> = {
  '2': ['authorization_code', 'refresh_token'],
  '1.5': ['authorization_code'],
};

/** The fields each grant type requires, besides grant_type, in the order a refusal names them. */
const REQUIRED: Readonly<Record<GrantType, readonly string[]>> = {
  authorization_code: ['code', 'redirect_uri', 'client_id'],
  refresh_token: ['refresh_token', 'client_id'],
};

/** The fields each grant type may carry besides its required ones; each at most once too (RFC 6749 §3.2). */
const OPTIONAL: Readonly<Record<GrantType, readonly string[]>> = {
  authorization_code: ['code_verifier', 'scope'],
  refresh_token: ['scope'],
};

/** A form body from fields; `extra` replaces fields, `null` leaves one out (a test or scenario provoking a refusal). */
function formBody(fields: Record<string, string | null>): string {
  return new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== null)).toString();
}

/** The form body of a token request; `extra` replaces fields, `null` leaves one out. */
export function tokenRequestBody(request: Omit<TokenRequest, 'grant_type'>, extra: Record<string, string | null> = {}): string {
  return formBody({ grant_type: 'authorization_code', ...request, ...extra });
}

/** The form body of a refresh request (afsprakenstelsel 2); `extra` replaces fields, `null` leaves one out. */
export function refreshRequestBody(request: Omit<RefreshRequest, 'grant_type'>, extra: Record<string, string | null> = {}): string {
  return formBody({ grant_type: 'refresh_token', ...request, ...extra });
}

// ---- refusals -----------------------------------------------------------------------------------------

/** RFC 6749 §5.2. */
export interface OAuthErrorResponse {
  error: string;
  error_description?: string;
}

/**
 * A token endpoint refusal from the contract: the catalogue refusal and its parameters (a DVZA's refuse takes
 * exactly these), and the answer it makes: HTTP status and RFC 6749 §5.2 body (error_description in English,
 * as OAuth has it).
 */
export interface TokenRefused {
  ok: false;
  refusal: TokenRefusal;
  params: Params;
  said: Said;
  status: 400 | 401 | 405 | 503;
  body: OAuthErrorResponse;
}

export function tokenRefused<P extends Params>(refusal: TokenRefusal<P>, params: P): TokenRefused {
  return {
    ok: false,
    refusal,
    params,
    said: said(refusal, params),
    status: refusal.status,
    body: { error: refusal.error, error_description: refusal.description.en(params) },
  };
}

// ---- reading the form ---------------------------------------------------------------------------------

/**
 * A token request's form as a server has it: the raw body, URLSearchParams, or parsed fields (a value that is
 * an array was given more than once; one that is not a string, a file say, counts as absent).
 */
export type TokenForm = string | URLSearchParams | Readonly<Record<string, unknown>>;

function valuesOf(form: TokenForm): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const add = (k: string, v: unknown) => {
    if (typeof v === 'string') values.set(k, [...(values.get(k) ?? []), v]);
  };
  if (typeof form === 'string' || form instanceof URLSearchParams) {
    for (const [k, v] of new URLSearchParams(form)) add(k, v);
  } else {
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) add(k, one);
  }
  return values;
}

/**
 * What the token endpoint was asked, or what is wrong with the form, per afsprakenstelsel. In order:
 * 1. grant_type: given once, and a missing one is invalid_request (RFC 6749 §5.2) in either afsprakenstelsel;
 *    '2' accepts authorization_code and refresh_token; '1.5' accepts authorization_code only and answers another
 *    as it always did (`dvza.token.grant-type`), except refresh_token, which gets a reason naming 1.5.
 * 2. every parameter that grant type knows (required or optional: code_verifier, scope) at most once; then the
 *    required ones not empty, all missing ones named in one refusal.
 * Unknown fields are ignored (RFC 6749 §3.2), a scope on a refresh too: the consent decides what is granted, and
 * the response's scope says it. A code_verifier (PKCE) is read; whether it belongs is the DVZA's check. Client authentication (certificate, client_id, OAuthclientlist) and the code or
 * refresh token themselves are the DVZA's next checks (`refreshVerdict` for a refresh token).
 */
export function parseTokenRequest(afsprakenstelsel: Afsprakenstelsel, form: TokenForm): { ok: true; request: TokenRequest | RefreshRequest } | TokenRefused {
  const values = valuesOf(form);
  const repeated = (names: readonly string[]) => names.filter((n) => (values.get(n)?.length ?? 0) > 1);
  const value = (name: string) => values.get(name)?.[0] || undefined;

  if (repeated(['grant_type']).length) return tokenRefused(OAUTH.token.fieldsRepeated, { fields: 'grant_type' });
  const grantType = value('grant_type');
  // RFC 6749 §5.2: a missing parameter is invalid_request; unsupported_grant_type is for a grant_type given.
  if (grantType === undefined) return tokenRefused(OAUTH.token.fieldsMissing, { fields: 'grant_type' });
  if (afsprakenstelsel === '1.5') {
    if (grantType === 'refresh_token') return tokenRefused(OAUTH.token.refreshIn15, {});
    if (grantType !== 'authorization_code') return tokenRefused(DVZA_TOKEN.grantType, { grantType });
  } else {
    if (!GRANT_TYPES[afsprakenstelsel].includes(grantType as GrantType)) return tokenRefused(OAUTH.token.grantType2, { grantType });
  }
  const grant = grantType as GrantType;
  const required = REQUIRED[grant];
  const twice = repeated([...required, ...OPTIONAL[grant]]);
  if (twice.length) return tokenRefused(OAUTH.token.fieldsRepeated, { fields: twice.join(' and ') });
  const missing = required.filter((n) => value(n) === undefined);
  if (missing.length) return tokenRefused(OAUTH.token.fieldsMissing, { fields: missing.join(' and ') });
  const request: TokenRequest | RefreshRequest =
    grant === 'authorization_code'
      ? {
          grant_type: grant,
          code: value('code')!,
          redirect_uri: value('redirect_uri')!,
          client_id: value('client_id')!,
          // Given (even empty) counts as given: an empty verifier is a wrong one, not none.
          ...(values.has('code_verifier') ? { code_verifier: values.get('code_verifier')![0]! } : {}),
        }
      : { grant_type: grant, refresh_token: value('refresh_token')!, client_id: value('client_id')! };
  return { ok: true, request };
}

// ---- the response -------------------------------------------------------------------------------------

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  /** Seconds. */
  expires_in: number;
  /**
   * '1.5': the granted combinations, `dekroon~1 dekroon~4`. '2': the granted GegevensdienstIds, space-separated,
   * `48 49` (read them with `grantedIdsOf`). `tokenScopeFor` writes either.
   */
  scope: string;
  /**
   * Afsprakenstelsel 2, only when the person chose long-lived consent (`issuesRefreshToken`): a refresh token for
   * the next access token; every refresh answers with a new one (rotation). Never in 1.5.
   */
  refresh_token?: string;
}

/** The token response's scope for these granted gegevensdiensten. */
export function tokenScopeFor(afsprakenstelsel: Afsprakenstelsel, zorgaanbiedernaam: string, grantedIds: readonly string[]): string {
  return afsprakenstelsel === '2' ? grantedIds.join(' ') : scopeOf(zorgaanbiedernaam, grantedIds);
}

/**
 * The granted GegevensdienstIds in a token response's scope, once each, in order: '2' (the default) reads
 * `48 49`; '1.5' reads `dekroon~1 dekroon~4`. An absent or empty scope grants nothing the PGO can name.
 */
export function grantedIdsOf(scope: string | undefined, afsprakenstelsel: Afsprakenstelsel = '2'): string[] {
  const ids: string[] = [];
  for (const word of (scope ?? '').split(/\s+/)) {
    const id = afsprakenstelsel === '2' ? word : /^[^~\s]+~([^~\s]+)$/.exec(word)?.[1];
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Whether a token response carries a refresh token: afsprakenstelsel 2, and the person chose long-lived consent. */
export function issuesRefreshToken(afsprakenstelsel: Afsprakenstelsel, longLivedConsent: boolean): boolean {
  return afsprakenstelsel === '2' && longLivedConsent;
}
