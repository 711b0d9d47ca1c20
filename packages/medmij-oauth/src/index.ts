/**
 * The MedMij OAuth contract between a PGO (client) and a DVZA (authorization server + resource server),
 * SPEC §2 and, for afsprakenstelsel 2, §10.1–10.2: the endpoint paths of the reference DVZA, the scope grammar
 * per afsprakenstelsel (scope.ts), the authorization request, the answers back to the redirect_uri (code or
 * error), the redirect_uri rule, the token endpoint's request, refusals and response (token.ts), the MedMij and
 * Accept headers (headers.ts), and the rules of long-lived consent and refresh tokens (consent.ts). One home for
 * it: the DVZA (producer), the PGO (consumer), the scenario runner, the CLI and the tests all import it, so the
 * two sides cannot drift apart. No Node imports: the PGO's web UI may import it too.
 */

import { OAUTH, said, say, type Said } from '@medmij-sandbox/rules';

export * from './scope.js';
export * from './token.js';
export * from './headers.js';
export * from './consent.js';
export * from './revocation.js';

/** Where the reference DVZA serves its endpoints (on the Zorgaanbiederslijst as full URIs). */
export const DVZA_PATHS = { authorize: '/oauth/authorize', token: '/oauth/token', fhir: '/fhir' } as const;

// ---- the authorization request (SPEC §2.1) ----------------------------------------------------------

export interface AuthorizationRequest {
  response_type: 'code';
  /** The PGO's hostname, as on the OAuthclientlist. */
  client_id: string;
  redirect_uri: string;
  scope: string;
  state: string;
  /** Correlation ids travel as query parameters in the authorization request (SPEC §2.1, 2.0.x). */
  'MedMij-Request-ID'?: string;
  'X-Correlation-ID'?: string;
}

/**
 * The authorization endpoint with the request's parameters, in the order given. `extra` adds or replaces
 * parameters; a value of `null` or `''` leaves that parameter out (a test or scenario provoking a refusal).
 */
export function authorizationRequestUrl(endpoint: string, request: AuthorizationRequest, extra: Record<string, string | null> = {}): string {
  const url = new URL(endpoint);
  for (const [k, v] of Object.entries({ ...request, ...extra })) if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
  return url.toString();
}

// ---- back to the redirect_uri (SPEC §2.3–2.4, RFC 6749 §4.1.2) --------------------------------------

/** The person's consent: a single-use code, with the state the PGO sent. */
export function codeRedirect(redirectUri: string, o: { code: string; state: string }): string {
  const url = new URL(redirectUri);
  url.searchParams.set('code', o.code);
  url.searchParams.set('state', o.state);
  return url.toString();
}

/** An OAuth error back to the PGO (only after its client_id and redirect_uri were checked). */
export function errorRedirect(redirectUri: string, o: { error: string; description: string; state?: string }): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', o.error);
  url.searchParams.set('error_description', o.description);
  if (o.state) url.searchParams.set('state', o.state);
  return url.toString();
}

/**
 * SPEC §2.1 / GIDS validate_redirect_uri: https, a FQDN, no query, no fragment, inside the client's hostname.
 * The problem as a catalogue reason (both languages), or undefined when the redirect_uri is acceptable.
 */
export function redirectUriFault(redirectUri: string, clientId: string): Said | undefined {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return said(OAUTH.redirectUri.notAUrl, {});
  }
  if (url.protocol !== 'https:') return said(OAUTH.redirectUri.notHttps, {});
  if (url.search || redirectUri.includes('?')) return said(OAUTH.redirectUri.query, {});
  if (url.hash || redirectUri.includes('#')) return said(OAUTH.redirectUri.fragment, {});
  if (url.hostname !== clientId) return said(OAUTH.redirectUri.otherHost, { host: url.hostname, client: clientId });
  return undefined;
}

/** The same problem in the person's language, or undefined when the redirect_uri is acceptable. */
export function redirectUriProblem(redirectUri: string, clientId: string, lang: 'nl' | 'en'): string | undefined {
  const fault = redirectUriFault(redirectUri, clientId);
  return fault && say(fault, lang);
}
