/**
 * Withdrawing a long-lived consent from the PGO: token revocation (RFC 7009) at the DVZA's `/oauth/revoke`, on
 * the back channel with the PGO's client certificate. SPEC §10.2 names no revocation interface — this is a
 * sandbox extension of afsprakenstelsel 2, and both sides say so. No list names the endpoint: it sits beside
 * the token endpoint (`revocationEndpointOf`).
 */
import { OAUTH } from '@medmij-sandbox/rules';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';
import { tokenRefused, type TokenForm, type TokenRefused } from './token.js';

export const REVOCATION_PATH = '/oauth/revoke';

/**
 * The DVZA's own page (front channel) where a person, after DigiD, sees their long-lived consents and withdraws
 * one — also the sandbox's choice; the PGO links to it beside its own "Toestemmingen aanpassen".
 */
export const CONSENT_OVERVIEW_PATH = '/toestemmingen';

/** RFC 7009 §2.1: the token, what kind it is (a hint), and the client. */
export interface RevocationRequest {
  token: string;
  token_type_hint?: 'refresh_token' | 'access_token';
  client_id: string;
}

/** The revocation endpoint of a DVZA, from its token endpoint: the same origin, `/oauth/revoke`. */
export function revocationEndpointOf(tokenEndpointUri: string): string {
  return new URL(REVOCATION_PATH, tokenEndpointUri).toString();
}

export function revocationRequestBody(request: RevocationRequest): string {
  return new URLSearchParams(Object.entries(request).filter((e): e is [string, string] => typeof e[1] === 'string')).toString();
}

/**
 * What the revocation endpoint was asked, or why not, in order: 1.5 has nothing to revoke; token and client_id
 * once each and not empty; token_type_hint at most once (an unknown one is ignored). Client authentication and
 * the token itself are the DVZA's next checks.
 */
export function parseRevocationRequest(afsprakenstelsel: Afsprakenstelsel, form: TokenForm): { ok: true; request: RevocationRequest } | TokenRefused {
  if (afsprakenstelsel === '1.5') return tokenRefused(OAUTH.revoke.in15, {});
  const values = new URLSearchParams(typeof form === 'string' || form instanceof URLSearchParams ? form : undefined);
  if (typeof form !== 'string' && !(form instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string') values.append(k, one);
  }
  for (const name of ['token', 'client_id', 'token_type_hint']) {
    if (values.getAll(name).length > 1) return tokenRefused(OAUTH.revoke.form, { problem: `${name} is given more than once` });
  }
  const missing = ['token', 'client_id'].filter((n) => !values.get(n));
  if (missing.length) return tokenRefused(OAUTH.revoke.form, { problem: `${missing.join(' and ')} missing` });
  // RFC 7009 §2.1: the hint only says where to look first; one the server does not know is ignored (it revokes
  // both kinds, so `unsupported_token_type` never applies).
  const hint = values.get('token_type_hint');
  const known = hint === 'refresh_token' || hint === 'access_token' ? hint : undefined;
  return { ok: true, request: { token: values.get('token')!, client_id: values.get('client_id')!, ...(known ? { token_type_hint: known } : {}) } };
}
