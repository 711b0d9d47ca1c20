/**
 * `POST /oauth/revoke` on the back channel: the PGO withdraws a long-lived consent ("Toestemmingen aanpassen") by
 * revoking its refresh token (RFC 7009). SPEC §10.2 names no revocation interface: a sandbox extension of
 * afsprakenstelsel 2 (packages/medmij-oauth revocation.ts is the contract). The client is authenticated as at the
 * token endpoint — certificate host on the Whitelist, client_id the certificate's host, on the OAuthclientlist —
 * and both MedMij headers — then the token: a refresh token withdraws its consent and every access token of it; an access token stops
 * counting alone; a token of another client revokes nothing; one this DVZA does not hold gets 200 (RFC 7009 §2.2).
 */
import { Hono, type Context } from 'hono';
import { ListUnusableError } from '@medmij-sandbox/lists';
import { certificateHostname } from '@medmij-sandbox/pki';
import { REVOCATION_PATH, parseRevocationRequest, tokenRequestHeadersFault, type OAuthErrorResponse } from '@medmij-sandbox/medmij-oauth';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { DVZA_TOKEN, OAUTH, because, nest, said, type NoParams, type Params, type Said, type TokenRefusal } from '@medmij-sandbox/rules';
import { methodNotAllowed, oauthError, type TokenEndpointRuntime } from './token.js';
import { decisionReporter } from './runtime.js';

type Env = TlsPeerEnv;

export function createRevocationEndpoint(rt: TokenEndpointRuntime): Hono<Env> {
  const { clock, grants } = rt;
  const app = new Hono<Env>();
  const decision = decisionReporter(rt);

  app.post(REVOCATION_PATH, async (c) => {
    grants.sweep(clock.nowMs());
    const traceId = c.req.header('x-correlation-id');
    const requestId = c.req.header('medmij-request-id');
    const caller = c.var.peer ? certificateHostname(c.var.peer) : undefined;
    const refuse = <P extends Params = NoParams>(refusal: TokenRefusal<P>, params: P, extra: { bsn?: string } = {}) => {
      const description = refusal.description.en(params);
      decision({ from: caller ?? 'unknown client', traceId, requestId, outcome: 'refused', ...because(said(refusal, params)) });
      rt.audit.record({ action: 'revocation', outcome: 'refused', client: caller, reason: `${refusal.error}: ${description}`, traceId, requestId, ...extra });
      return answer(c, refusal.status, { error: refusal.error, error_description: description });
    };
    const revoked = (o: { bsn: string; gegevensdiensten: string[]; why: Said }) => {
      rt.audit.record({ action: 'revocation', outcome: 'granted', client: caller, bsn: o.bsn, gegevensdiensten: o.gegevensdiensten, traceId, requestId });
      decision({ from: caller!, traceId, requestId, outcome: 'ok', ...because(o.why) });
      return answer(c, 200);
    };

    let whitelist, ocl;
    try {
      whitelist = rt.lists.require('Whitelist', traceId);
      ocl = rt.lists.require('OAuthclientlist', traceId);
    } catch (e) {
      if (!(e instanceof ListUnusableError)) throw e;
      return refuse(DVZA_TOKEN.listsUnusable, nest('problem', e.said));
    }
    if (!caller || !whitelist.nodes.includes(caller)) return refuse(DVZA_TOKEN.notOnWhitelist, { host: caller ?? '(none)' });
    // As at the 2.x token endpoint: both MedMij headers (1.5 is told it has nothing to revoke first).
    const headersFault = rt.topology.afsprakenstelsel === '2' ? tokenRequestHeadersFault('2', c.req.raw.headers) : undefined;
    if (headersFault) return refuse(headersFault.refusal, headersFault.params);
    const parsed = parseRevocationRequest(rt.topology.afsprakenstelsel, await c.req.text());
    if (!parsed.ok) return refuse(parsed.refusal, parsed.params);
    const { token, client_id: clientId, token_type_hint: hint } = parsed.request;
    if (clientId !== caller) return refuse(DVZA_TOKEN.clientIdNotCertificate, { clientId, host: caller });
    if (!ocl.oauthclients.some((o) => o.hostname === clientId)) return refuse(DVZA_TOKEN.clientNotListed, { clientId });

    // RFC 7009 §2.1: the hint says where to look first; the other kind is looked up too.
    const access = () => {
      const held = grants.tokens.get(token);
      if (!held || held.revoked) return undefined;
      if (held.clientId !== clientId) return refuse(OAUTH.revoke.otherClient, { clientId }, { bsn: held.bsn });
      grants.revokeTokens((t) => t.token === token, said(OAUTH.revoke.accessToken, { clientId }));
      return revoked({ bsn: held.bsn, gegevensdiensten: held.gegevensdiensten, why: said(OAUTH.revoke.accessToken, { clientId }) });
    };
    const refresh = () => {
      const outcome = rt.consents.revokeRefreshToken(token, clientId);
      if (outcome.outcome === 'nothing') return undefined;
      if (outcome.outcome === 'other-client') return refuse(OAUTH.revoke.otherClient, { clientId });
      const { consent } = outcome;
      const ofConsent = (t: { consentId?: string; revoked?: string }) => t.consentId === consent.id && !t.revoked;
      // Counted first: the access tokens quote the same reason, with the same count, when the resource server refuses them.
      const why = said(OAUTH.revoke.withdrawn, {
        clientId,
        gegevensdiensten: consent.gegevensdiensten.join(', '),
        revoked: [...grants.tokens.values()].filter(ofConsent).length,
      });
      grants.revokeTokens(ofConsent, why);
      return revoked({ bsn: consent.bsn, gegevensdiensten: consent.gegevensdiensten, why });
    };
    const found = hint === 'access_token' ? (access() ?? refresh()) : (refresh() ?? access());
    if (found) return found;
    decision({ from: clientId, traceId, requestId, outcome: 'ok', ...because(OAUTH.revoke.nothingToRevoke, { clientId }) });
    return answer(c, 200);
  });

  // RFC 7009 §2.1: POST only, as at the token endpoint.
  app.all(REVOCATION_PATH, (c) => methodNotAllowed(c, rt, OAUTH.revoke.methodNotAllowed));

  return app;
}

/**
 * RFC 7009 §2.2: 200 with an empty body when revoked (or nothing to revoke); RFC 6749 §5.2 errors otherwise,
 * without a WWW-Authenticate challenge (see token.ts oauthError).
 */
function answer(c: Context<Env>, status: 200 | 400 | 401 | 405 | 503, error?: OAuthErrorResponse) {
  if (error) return oauthError(c, status as 400 | 401 | 405 | 503, error.error, error.error_description ?? '');
  c.header('cache-control', 'no-store');
  c.header('pragma', 'no-cache');
  return c.body(null, 200);
}
