/**
 * PKCE (RFC 7636) as a DVZA of this sandbox does it. MedMij names no PKCE (SPEC §10.1), so a MedMij client may
 * leave it out; a client that sends it gets it checked: `S256` only (plain proves nothing against someone who
 * can read the authorization request), and the code it gets is redeemed only with the matching code_verifier.
 * No Node imports here (the PGO web UI loads the contract): the SHA-256 comes from the caller.
 */
import { OAUTH, said, type Said } from '@medmij-sandbox/rules';
import { tokenRefused, type TokenRefused } from './token.js';

/** What a code remembers of its authorization request's PKCE: the S256 challenge, if the client sent one. */
export interface PkceChallenge {
  codeChallenge: string;
  method: 'S256';
}

/** BASE64URL(SHA-256(x)) without padding: 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * The authorization request's PKCE parameters (each given once — the caller checked that): none (no PKCE),
 * a well-formed S256 challenge, or the problem as a catalogue reason, for DVZA_TO_CLIENT.pkce.
 */
export function parsePkceChallenge(params: URLSearchParams): { ok: true; pkce?: PkceChallenge } | { ok: false; said: Said } {
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (challenge === null) return method === null ? { ok: true } : { ok: false, said: said(OAUTH.pkce.methodWithoutChallenge, {}) };
  if (method === null) return { ok: false, said: said(OAUTH.pkce.methodMissing, {}) };
  if (method !== 'S256') return { ok: false, said: said(OAUTH.pkce.methodNotS256, { method: method || '(empty)' }) };
  if (!S256_CHALLENGE.test(challenge)) return { ok: false, said: said(OAUTH.pkce.challengeMalformed, {}) };
  return { ok: true, pkce: { codeChallenge: challenge, method: 'S256' } };
}

/**
 * The token request's code_verifier against what the code's authorization request sent (RFC 7636 §4.6), or
 * undefined when they agree (also: no PKCE on either side). `s256` is BASE64URL(SHA-256(ascii)) without padding.
 */
export function pkceVerifierFault(pkce: PkceChallenge | undefined, verifier: string | undefined, s256: (ascii: string) => string): TokenRefused | undefined {
  if (!pkce) return verifier === undefined ? undefined : tokenRefused(OAUTH.pkce.verifierWithoutChallenge, {});
  if (verifier === undefined) return tokenRefused(OAUTH.pkce.verifierMissing, {});
  if (!VERIFIER.test(verifier) || s256(verifier) !== pkce.codeChallenge) return tokenRefused(OAUTH.pkce.verifierWrong, {});
  return undefined;
}
