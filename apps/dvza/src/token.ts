/**
 * The token endpoint on the back channel (SPEC §2.5). The TLS handshake already proved a sandbox PKI client
 * certificate, unrevoked and valid (packages/transport); here the certificate's host must be on the
 * Whitelist and be the client_id, which must be on the OAuthclientlist. The code counts once, for a short
 * time, for the client, redirect_uri and PKCE challenge (if any) it was issued to; a replay by that client
 * revokes what the code produced, a code offered by another client changes nothing.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { ListUnusableError } from '@medmij-sandbox/lists';
import { secureRandomBytes } from '@medmij-sandbox/network';
import { certificateHostname } from '@medmij-sandbox/pki';
import {
  DVZA_PATHS,
  parseTokenRequest,
  pkceVerifierFault,
  scopeOf,
  tokenRequestHeadersFault,
  tokenScopeFor,
  type OAuthErrorResponse,
  type TokenRequest,
  type TokenResponse,
} from '@medmij-sandbox/medmij-oauth';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { DVZA_TOKEN, OAUTH, because, nest, said, type Because, type NoParams, type Params, type Said, type TokenRefusal } from '@medmij-sandbox/rules';
import { LIFETIMES, type AccessToken } from './grants.js';
import { decisionReporter, type DvzaLists, type DvzaRuntime } from './runtime.js';

type Env = TlsPeerEnv;

/** What the token endpoint works with: a part of the DVZA's runtime (a unit test gives just this). */
export type TokenEndpointRuntime = Pick<DvzaRuntime, 'participant' | 'clock' | 'bus' | 'grants' | 'audit' | 'random' | 'consents'> & {
  topology: Pick<DvzaRuntime['topology'], 'afsprakenstelsel'>;
  lists: Pick<DvzaLists, 'require'>;
};

export function createTokenEndpoint(rt: TokenEndpointRuntime): Hono<Env> {
  const { participant, clock, grants } = rt;
  const app = new Hono<Env>();
  const decision = decisionReporter(rt);

  const revokeTokens = (which: (t: AccessToken) => boolean, why: Said) => grants.revokeTokens(which, why);

  /** A token request granted: the audit log, the trace's decision, the answer, never cached (RFC 6749 §5.1). */
  const granted = (
    c: Context<Env>,
    o: { clientId: string; bsn: string; gegevensdiensten: string[]; traceId?: string; requestId?: string; why: Because },
    body: TokenResponse,
  ) => {
    const { clientId, bsn, gegevensdiensten, traceId, requestId } = o;
    rt.audit.record({ action: 'token', outcome: 'granted', client: clientId, bsn, gegevensdiensten, traceId, requestId });
    decision({ from: clientId, traceId, requestId, outcome: 'ok', ...o.why });
    c.header('cache-control', 'no-store');
    c.header('pragma', 'no-cache');
    return c.json(body);
  };

  app.post(DVZA_PATHS.token, async (c) => {
    grants.sweep(clock.nowMs());
    const traceId = c.req.header('x-correlation-id');
    const requestId = c.req.header('medmij-request-id');
    const peer = c.var.peer;
    const caller = peer ? certificateHostname(peer) : undefined;
    // The refusal's description is the OAuth error_description and the audit log's reason too.
    const refuse = <P extends Params = NoParams>(refusal: TokenRefusal<P>, params: P, extra: { bsn?: string } = {}) => {
      const { status, error } = refusal;
      const description = refusal.description.en(params);
      decision({ from: caller ?? 'unknown client', traceId, requestId, outcome: 'refused', ...because(said(refusal, params)) });
      rt.audit.record({ action: 'token', outcome: 'refused', client: caller, reason: `${error}: ${description}`, traceId, requestId, ...extra });
      return oauthError(c, status, error, description);
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
    if (rt.topology.afsprakenstelsel === '2') return token2(c, { caller, traceId, requestId, ocl, refuse });
    // The contract's form rules (each parameter once, a missing grant_type is invalid_request), as in 2.
    const parsed = parseTokenRequest('1.5', await c.req.text());
    if (!parsed.ok) return refuse(parsed.refusal, parsed.params);
    // 1.5 knows authorization_code only: parseTokenRequest refused every other grant_type.
    const request = parsed.request as TokenRequest;
    const clientId = request.client_id;
    if (clientId !== caller) return refuse(DVZA_TOKEN.clientIdNotCertificate, { clientId, host: caller });
    if (!ocl.oauthclients.some((o) => o.hostname === clientId)) return refuse(DVZA_TOKEN.clientNotListed, { clientId });

    const grant = grants.codes.get(request.code);
    if (!grant) return refuse(DVZA_TOKEN.unknownCode, {});
    const bsn = { bsn: grant.bsn };
    // The client binding before any side effect: another client offering a used code proves it is not the
    // rightful client, and must not be able to revoke the rightful client's token with it.
    if (grant.clientId !== clientId) return refuse(DVZA_TOKEN.codeOtherClient, { issuedTo: grant.clientId, clientId }, bsn);
    if (grant.usedAt !== undefined) {
      const revoked = revokeTokens((t) => grant.tokens.includes(t.token), said(DVZA_TOKEN.revokedByReplay, { at: clock.now().toISOString() }));
      return refuse(DVZA_TOKEN.codeReplayed, { usedAt: new Date(grant.usedAt).toISOString(), revoked }, bsn);
    }
    if (clock.nowMs() > grant.expiresAt) return refuse(DVZA_TOKEN.codeExpired, { expiredAt: new Date(grant.expiresAt).toISOString() }, bsn);
    if (request.redirect_uri !== grant.redirectUri) return refuse(DVZA_TOKEN.redirectUriDiffers, {}, bsn);
    const pkceFault = pkceVerifierFault(grant.pkce, request.code_verifier, s256);
    if (pkceFault) return refuse(pkceFault.refusal, pkceFault.params, bsn);

    grant.usedAt = clock.nowMs();
    // From the CSPRNG: a token that followed from the public seed could be predicted by anyone.
    const token = secureRandomBytes(32).toString('hex');
    const expiresAt = clock.nowMs() + LIFETIMES.accessTokenMs;
    grants.tokens.set(token, {
      token,
      clientId,
      bsn: grant.bsn,
      gegevensdiensten: grant.gegevensdiensten,
      traceId: grant.traceId,
      issuedAt: clock.nowMs(),
      expiresAt,
    });
    grant.tokens.push(token);
    const scope = scopeOf(participant.zorgaanbiedernaam, grant.gegevensdiensten);
    return granted(
      c,
      {
        clientId,
        bsn: grant.bsn,
        gegevensdiensten: grant.gegevensdiensten,
        traceId: grant.traceId ?? traceId,
        requestId,
        why: because(DVZA_TOKEN.issued, { clientId, scope, expiresAt: new Date(expiresAt).toISOString() }),
      },
      { access_token: token, token_type: 'bearer', expires_in: LIFETIMES.accessTokenMs / 1000, scope },
    );
  });

  /**
   * Afsprakenstelsel 2 (SPEC §10.1–10.2): both MedMij headers required, the form per the contract
   * (authorization_code or refresh_token), codes and tokens from the CSPRNG and never issued twice, the granted
   * ids as the scope, and a refresh token only with long-lived consent.
   */
  async function token2(
    c: Context<Env>,
    o: {
      caller: string;
      traceId?: string;
      requestId?: string;
      ocl: { oauthclients: ReadonlyArray<{ hostname: string; gegevensdiensten?: readonly string[] }> };
      refuse: <P extends Params = NoParams>(refusal: TokenRefusal<P>, params: P, extra?: { bsn?: string }) => Response | Promise<Response>;
    },
  ) {
    const { caller, traceId, requestId, refuse } = o;
    const headersFault = tokenRequestHeadersFault('2', c.req.raw.headers);
    if (headersFault) return refuse(headersFault.refusal, headersFault.params);
    const parsed = parseTokenRequest('2', await c.req.text());
    if (!parsed.ok) return refuse(parsed.refusal, parsed.params);
    const { request } = parsed;
    const clientId = request.client_id;
    if (clientId !== caller) return refuse(DVZA_TOKEN.clientIdNotCertificate, { clientId, host: caller });
    if (!o.ocl.oauthclients.some((x) => x.hostname === clientId)) return refuse(DVZA_TOKEN.clientNotListed, { clientId });

    const issue = (o2: { bsn: string; gegevensdiensten: string[]; traceId?: string; consentId?: string }) => {
      const token = rt.consents.issueSecret('access-token');
      const expiresAt = clock.nowMs() + LIFETIMES.accessTokenMs;
      grants.tokens.set(token, {
        token,
        clientId,
        bsn: o2.bsn,
        gegevensdiensten: o2.gegevensdiensten,
        traceId: o2.traceId,
        issuedAt: clock.nowMs(),
        expiresAt,
        ...(o2.consentId ? { consentId: o2.consentId } : {}),
      });
      return { token, expiresAt };
    };
    if (request.grant_type === 'refresh_token') {
      // The OAuthclientlist of now decides what the client may still use (SPEC §10.4): a consent for gegevensdiensten
      // it may no longer use is refused (after the replay check, before the token is spent); one it partly may use
      // gets the rest.
      const allowed = o.ocl.oauthclients.find((x) => x.hostname === clientId)?.gegevensdiensten;
      const stillAllowed = (ids: readonly string[]) => (allowed ? ids.filter((id) => allowed.includes(id)) : [...ids]);
      const outcome = rt.consents.refresh(request.refresh_token, clientId, { mayUse: stillAllowed });
      const consent = outcome.consent;
      if (!outcome.verdict.ok) {
        // A replay by the rightful client: the access tokens of the consent go with its refresh tokens.
        if (outcome.verdict.revokeFamily && consent) revokeTokens((t) => t.consentId === consent.id, outcome.verdict.said);
        return refuse(outcome.verdict.refusal, outcome.verdict.params, consent ? { bsn: consent.bsn } : {});
      }
      const grantedIds = stillAllowed(consent!.gegevensdiensten);
      const { token, expiresAt } = issue({ bsn: consent!.bsn, gegevensdiensten: grantedIds, traceId, consentId: consent!.id });
      const scope = tokenScopeFor('2', participant.zorgaanbiedernaam, grantedIds);
      const why = because(OAUTH.refresh.exchanged, {
        clientId,
        scope,
        expiresAt: new Date(expiresAt).toISOString(),
        refreshExpiresAt: new Date(outcome.verdict.refreshTokenExpiresAt).toISOString(),
      });
      return granted(
        c,
        { clientId, bsn: consent!.bsn, gegevensdiensten: grantedIds, traceId, requestId, why },
        {
          access_token: token,
          token_type: 'bearer',
          expires_in: LIFETIMES.accessTokenMs / 1000,
          refresh_token: outcome.refreshToken!,
          scope,
        },
      );
    }

    // grant_type=authorization_code: the same rules as in 1.5 (once, in time, for its client and redirect_uri).
    const grant = grants.codes.get(request.code);
    if (!grant) return refuse(DVZA_TOKEN.unknownCode, {});
    const bsn = { bsn: grant.bsn };
    // The client binding first, as for refresh tokens: another client offering a used code proves it is not the
    // rightful client, and must not be able to end the person's consent with the one that is.
    if (grant.clientId !== clientId) return refuse(DVZA_TOKEN.codeOtherClient, { issuedTo: grant.clientId, clientId }, bsn);
    if (grant.usedAt !== undefined) {
      // Every token the code led to: its first access token, and (long-lived consent) every one refreshed since.
      const revoked = revokeTokens(
        (t) => grant.tokens.includes(t.token) || (grant.consentId !== undefined && t.consentId === grant.consentId),
        said(DVZA_TOKEN.revokedByReplay, { at: clock.now().toISOString() }),
      );
      // The long-lived consent that code started goes too: its refresh token came from the same stolen code.
      if (grant.consentId) rt.consents.revoke(grant.consentId);
      return refuse(DVZA_TOKEN.codeReplayed, { usedAt: new Date(grant.usedAt).toISOString(), revoked }, bsn);
    }
    if (clock.nowMs() > grant.expiresAt) return refuse(DVZA_TOKEN.codeExpired, { expiredAt: new Date(grant.expiresAt).toISOString() }, bsn);
    if (request.redirect_uri !== grant.redirectUri) return refuse(DVZA_TOKEN.redirectUriDiffers, {}, bsn);
    // A wrong verifier leaves the code unused: only its rightful client (checked above) could have sent it.
    const pkceFault = pkceVerifierFault(grant.pkce, request.code_verifier, s256);
    if (pkceFault) return refuse(pkceFault.refusal, pkceFault.params, bsn);

    grant.usedAt = clock.nowMs();
    const longLived = grant.longLived
      ? rt.consents.grant({ clientId, bsn: grant.bsn, gegevensdiensten: grant.gegevensdiensten, traceId: grant.traceId })
      : undefined;
    if (longLived) grant.consentId = longLived.consent.id;
    const { token, expiresAt } = issue({ bsn: grant.bsn, gegevensdiensten: grant.gegevensdiensten, traceId: grant.traceId, consentId: longLived?.consent.id });
    grant.tokens.push(token);
    const scope = tokenScopeFor('2', participant.zorgaanbiedernaam, grant.gegevensdiensten);
    const why = because(DVZA_TOKEN.issued, { clientId, scope, expiresAt: new Date(expiresAt).toISOString() });
    return granted(
      c,
      { clientId, bsn: grant.bsn, gegevensdiensten: grant.gegevensdiensten, traceId: grant.traceId ?? traceId, requestId, why },
      {
        access_token: token,
        token_type: 'bearer',
        expires_in: LIFETIMES.accessTokenMs / 1000,
        ...(longLived ? { refresh_token: longLived.refreshToken } : {}),
        scope,
      },
    );
  }

  // RFC 6749 §3.2: POST only. Anything else gets an OAuth error a client library can read, not a 404 page.
  app.all(DVZA_PATHS.token, (c) => methodNotAllowed(c, rt, OAUTH.token.methodNotAllowed));

  return app;
}

/** BASE64URL(SHA-256(ascii)) without padding: the S256 transformation of RFC 7636 §4.2. */
export function s256(ascii: string): string {
  return createHash('sha256').update(ascii, 'ascii').digest('base64url');
}

/**
 * A request with another method than POST at the token or revocation endpoint: 405 with Allow and an RFC 6749
 * §5.2 body, said on the trace like any refusal (no audit entry: nothing was asked of a person's data).
 */
export function methodNotAllowed(
  c: Context<Env>,
  rt: Pick<TokenEndpointRuntime, 'participant' | 'bus'>,
  refusal: TokenRefusal<{ method: string; path: string }>,
): Response {
  const params = { method: c.req.method, path: new URL(c.req.url).pathname };
  const caller = c.var.peer ? certificateHostname(c.var.peer) : undefined;
  decisionReporter(rt)({
    from: caller ?? 'unknown client',
    traceId: c.req.header('x-correlation-id'),
    requestId: c.req.header('medmij-request-id'),
    outcome: 'refused',
    ...because(said(refusal, params)),
  });
  c.header('allow', 'POST');
  return oauthError(c, refusal.status, refusal.error, refusal.description.en(params));
}

/**
 * RFC 6749 §5.2 error response; 401 for client authentication failures. No WWW-Authenticate: the client
 * authenticates with its TLS certificate, not an HTTP scheme, and a challenge makes OAuth libraries
 * (oauth4webapi, openid-client) report a challenge instead of the invalid_client in the body.
 */
export function oauthError(c: Context<Env>, status: 400 | 401 | 405 | 503, error: string, description: string): Response {
  c.header('cache-control', 'no-store');
  c.header('pragma', 'no-cache');
  return c.json({ error, error_description: description } satisfies OAuthErrorResponse, status);
}
