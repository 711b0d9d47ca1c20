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
export * from './pkce.js';

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
  /** PKCE (RFC 7636), optional for a MedMij client: BASE64URL(SHA-256(code_verifier)), with method S256. */
  code_challenge?: string;
  code_challenge_method?: 'S256';
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

/** The parameters of an authorization request, each of which may be given once (RFC 6749 §3.1). */
export const AUTHORIZATION_PARAMETERS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

/**
 * Which of `names` a request gives more than once (RFC 6749 §3.1, §3.2: "request and response parameters MUST
 * NOT be included more than once"), joined with ' and ' as a refusal names them; undefined when none is.
 */
export function repeatedParameters(params: URLSearchParams, names: readonly string[]): string | undefined {
  const twice = names.filter((n) => params.getAll(n).length > 1);
  return twice.length ? twice.join(' and ') : undefined;
}

// ---- back to the redirect_uri (SPEC §2.3–2.4, RFC 6749 §4.1.2, RFC 9207) ------------------------------

/**
 * The person's consent: a single-use code, with the state the PGO sent and the DVZA's issuer (RFC 9207: the
 * client can tell which authorization server answered).
 */
export function codeRedirect(redirectUri: string, o: { code: string; state: string; iss: string }): string {
  const url = new URL(redirectUri);
  url.searchParams.set('code', o.code);
  url.searchParams.set('state', o.state);
  url.searchParams.set('iss', o.iss);
  return url.toString();
}

/** An OAuth error back to the PGO (only after its client_id and redirect_uri were checked), with the issuer too. */
export function errorRedirect(redirectUri: string, o: { error: string; description: string; state?: string; iss: string }): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', o.error);
  url.searchParams.set('error_description', o.description);
  if (o.state) url.searchParams.set('state', o.state);
  url.searchParams.set('iss', o.iss);
  return url.toString();
}

/**
 * The issuer a PGO expects in the answer (RFC 9207 §2.4): the origin of the authorization endpoint it sent the
 * browser to, as the DVZA names itself (its front-channel base URL, no path, no port 443).
 */
export function issuerOf(authorizationEndpointUri: string): string {
  return new URL(authorizationEndpointUri).origin;
}

/** The port a URL uses: its own, or the scheme's default (443 for https). */
function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
}

/**
 * SPEC §2.1 / GIDS validate_redirect_uri: https, a FQDN, no query, no fragment, inside the client's hostname; and
 * (issue 16) no userinfo, and on the client's own front-channel port when `port` is given (443: a URL that names
 * none). Any path is allowed. The problem as a catalogue reason (both languages), or undefined when acceptable.
 */
export function redirectUriFault(redirectUri: string, clientId: string, port?: number): Said | undefined {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return said(OAUTH.redirectUri.notAUrl, {});
  }
  if (url.protocol !== 'https:') return said(OAUTH.redirectUri.notHttps, {});
  // Before the host: in https://pgo.localhost@elders.localhost/ a person reads the first name as the host.
  if (url.username || url.password || /^https:\/\/[^/?#]*@/i.test(redirectUri)) return said(OAUTH.redirectUri.userinfo, {});
  if (url.search || redirectUri.includes('?')) return said(OAUTH.redirectUri.query, {});
  if (url.hash || redirectUri.includes('#')) return said(OAUTH.redirectUri.fragment, {});
  if (url.hostname !== clientId) return said(OAUTH.redirectUri.otherHost, { host: url.hostname, client: clientId });
  if (port !== undefined && portOf(url) !== port) return said(OAUTH.redirectUri.otherPort, { port: portOf(url), expected: port, client: clientId });
  return undefined;
}

/** The same problem in the person's language, or undefined when the redirect_uri is acceptable. */
export function redirectUriProblem(redirectUri: string, clientId: string, lang: 'nl' | 'en', port?: number): string | undefined {
  const fault = redirectUriFault(redirectUri, clientId, port);
  return fault && say(fault, lang);
}
