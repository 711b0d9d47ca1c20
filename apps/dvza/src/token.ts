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
import { LIFETIMES } from './grants.js';
import { decisionReporter, type DvzaRuntime } from './runtime.js';

const RULES = {
  whitelist: 'SPEC §4 back channel: the peer certificate hostname must be on the Whitelist',
  client: 'SPEC §2.5 the client is authenticated by its TLS client certificate; client_id on the OAuthclientlist',
  grant: 'SPEC §2.5 the code is single-use (core.tknint.203/204), short-lived, bound to client and redirect_uri (core.tknint.205)',
  replay: 'SPEC §2.5 a code offered twice: refused, and the tokens issued from it are revoked (RFC 6749 §4.1.2)',
  issued: 'SPEC §2.5 access token, about 15 minutes',
} as const;

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
    const refuse = (status: 400 | 401 | 503, error: string, description: string, rule: string, extra: { bsn?: string } = {}) => {
      decision({ from: caller ?? 'unknown client', traceId, requestId, outcome: 'refused', rule, reason: `token refused: ${error} (${description})` });
      rt.audit.record({ action: 'token', outcome: 'refused', client: caller, reason: `${error}: ${description}`, traceId, requestId, ...extra });
      return oauthError(c, status, error, description);
    };

    let whitelist, ocl;
    try {
      whitelist = rt.lists.require('Whitelist', traceId);
      ocl = rt.lists.require('OAuthclientlist', traceId);
    } catch (e) {
      if (!(e instanceof ListUnusableError)) throw e;
      return refuse(503, 'temporarily_unavailable', e.message, 'SPEC §3.4 no new flow on an expired list');
    }
    if (!caller || !whitelist.nodes.includes(caller)) {
      return refuse(401, 'invalid_client', `the client certificate's host ${caller ?? '(none)'} is not on the Whitelist`, RULES.whitelist);
    }
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    if (field('grant_type') !== 'authorization_code') {
      return refuse(400, 'unsupported_grant_type', `grant_type must be authorization_code, not ${field('grant_type') ?? '(missing)'}`, RULES.grant);
    }
    const clientId = field('client_id');
    if (clientId !== caller) {
      return refuse(401, 'invalid_client', `client_id ${clientId ?? '(missing)'} is not the host of the client certificate (${caller})`, RULES.client);
    }
    if (!ocl.oauthclients.some((o) => o.hostname === clientId)) return refuse(401, 'invalid_client', `${clientId} is not on the OAuthclientlist`, RULES.client);

    const code = field('code');
    const grant = code ? grants.codes.get(code) : undefined;
    if (!code || !grant) return refuse(400, 'invalid_grant', 'unknown code', RULES.grant);
    if (grant.usedAt !== undefined) {
      const revoked = grant.tokens.filter((t) => {
        const token = grants.tokens.get(t);
        if (!token || token.revoked) return false;
        token.revoked = `the code it came from was offered again at ${clock.now().toISOString()}`;
        return true;
      });
      return refuse(
        400,
        'invalid_grant',
        `the code was already used at ${new Date(grant.usedAt).toISOString()}; ${revoked.length} access token(s) issued from it are revoked`,
        RULES.replay,
        { bsn: grant.bsn },
      );
    }
    if (grant.clientId !== clientId)
      return refuse(400, 'invalid_grant', `the code was issued to ${grant.clientId}, not to ${clientId}`, RULES.grant, { bsn: grant.bsn });
    if (clock.nowMs() > grant.expiresAt)
      return refuse(400, 'invalid_grant', `the code expired at ${new Date(grant.expiresAt).toISOString()} (sandbox clock)`, RULES.grant, { bsn: grant.bsn });
    const redirectUri = field('redirect_uri');
    if (!redirectUri) return refuse(400, 'invalid_request', 'redirect_uri is missing', RULES.grant, { bsn: grant.bsn });
    if (redirectUri !== grant.redirectUri)
      return refuse(400, 'invalid_grant', 'redirect_uri differs from the one in the authorization request', RULES.grant, { bsn: grant.bsn });

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
      rule: RULES.issued,
      reason: `code redeemed by ${clientId}: access token for ${scope}, valid until ${new Date(expiresAt).toISOString()} (sandbox clock)`,
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
