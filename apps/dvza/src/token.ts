/**
 * The token endpoint on the back channel (SPEC §2.5). The TLS handshake already proved a sandbox PKI client
 * certificate, unrevoked and valid (packages/transport); here the certificate's host must be on the
 * Whitelist and be the client_id, which must be on the OAuthclientlist. The code counts once, for a short
 * time, for the client and redirect_uri it was issued to; a replayed code revokes what it produced.
 */
import { Hono, type Context } from 'hono';
import { ListUnusableError, type ListConsumer } from '@medmij-sandbox/lists';
import { certificateHostname } from '@medmij-sandbox/pki';
import { DVZA_PATHS, scopeOf, type OAuthErrorResponse, type TokenResponse } from '@medmij-sandbox/medmij-oauth';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { DVZA_TOKEN, because, nest, said, type NoParams, type Params, type TokenRefusal } from '@medmij-sandbox/rules';
import { LIFETIMES } from './grants.js';
import { decisionReporter, type DvzaRuntime } from './runtime.js';

type Env = TlsPeerEnv;

/** What the token endpoint works with: a part of the DVZA's runtime (a unit test gives just this). */
export type TokenEndpointRuntime = Pick<DvzaRuntime, 'participant' | 'clock' | 'bus' | 'grants' | 'audit' | 'random'> & {
  lists: Pick<ListConsumer, 'require'>;
};

export function createTokenEndpoint(rt: TokenEndpointRuntime): Hono<Env> {
  const { participant, clock, grants } = rt;
  const app = new Hono<Env>();
  const decision = decisionReporter(rt);

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
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    if (field('grant_type') !== 'authorization_code') return refuse(DVZA_TOKEN.grantType, { grantType: field('grant_type') ?? '(missing)' });
    const clientId = field('client_id');
    if (clientId !== caller) return refuse(DVZA_TOKEN.clientIdNotCertificate, { clientId: clientId ?? '(missing)', host: String(caller) });
    if (!ocl.oauthclients.some((o) => o.hostname === clientId)) return refuse(DVZA_TOKEN.clientNotListed, { clientId });

    const code = field('code');
    const grant = code ? grants.codes.get(code) : undefined;
    if (!code || !grant) return refuse(DVZA_TOKEN.unknownCode, {});
    if (grant.usedAt !== undefined) {
      const revoked = grant.tokens.filter((t) => {
        const token = grants.tokens.get(t);
        if (!token || token.revoked) return false;
        token.revokedBecause = said(DVZA_TOKEN.revokedByReplay, { at: clock.now().toISOString() });
        token.revoked = token.revokedBecause.reason.en(token.revokedBecause.params);
        return true;
      });
      return refuse(DVZA_TOKEN.codeReplayed, { usedAt: new Date(grant.usedAt).toISOString(), revoked: revoked.length }, { bsn: grant.bsn });
    }
    const bsn = { bsn: grant.bsn };
    if (grant.clientId !== clientId) return refuse(DVZA_TOKEN.codeOtherClient, { issuedTo: grant.clientId, clientId }, bsn);
    if (clock.nowMs() > grant.expiresAt) return refuse(DVZA_TOKEN.codeExpired, { expiredAt: new Date(grant.expiresAt).toISOString() }, bsn);
    const redirectUri = field('redirect_uri');
    if (!redirectUri) return refuse(DVZA_TOKEN.redirectUriMissing, {}, bsn);
    if (redirectUri !== grant.redirectUri) return refuse(DVZA_TOKEN.redirectUriDiffers, {}, bsn);

    grant.usedAt = clock.nowMs();
    const token = rt.random('dvza:access-tokens').hex(32);
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
    rt.audit.record({
      action: 'token',
      outcome: 'granted',
      client: clientId,
      bsn: grant.bsn,
      gegevensdiensten: grant.gegevensdiensten,
      traceId: grant.traceId ?? traceId,
      requestId,
    });
    decision({
      from: clientId,
      traceId: grant.traceId ?? traceId,
      requestId,
      outcome: 'ok',
      ...because(DVZA_TOKEN.issued, { clientId, scope, expiresAt: new Date(expiresAt).toISOString() }),
    });
    c.header('cache-control', 'no-store');
    c.header('pragma', 'no-cache');
    return c.json({ access_token: token, token_type: 'bearer', expires_in: LIFETIMES.accessTokenMs / 1000, scope } satisfies TokenResponse);
  });

  return app;
}

/** RFC 6749 §5.2 error response; 401 for client authentication failures. */
function oauthError(c: Context<Env>, status: 400 | 401 | 503, error: string, description: string) {
  c.header('cache-control', 'no-store');
  c.header('pragma', 'no-cache');
  if (status === 401) c.header('www-authenticate', 'TLS realm="MedMij back channel"');
  return c.json({ error, error_description: description } satisfies OAuthErrorResponse, status);
}
