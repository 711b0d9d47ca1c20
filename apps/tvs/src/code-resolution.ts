/**
 * The TVS's back channel (mutual TLS): a connected service resolves the single-use code the browser brought it
 * into an identity assertion — a JWT signed by the TVS, with the BSN encrypted (JWE) for the key of the very
 * client certificate the service just presented. Mounted behind tlsPeer(): the verdict on that certificate is
 * `c.var.peer`.
 */
import { X509Certificate, createHmac, createPrivateKey } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Hono } from 'hono';
import { CompactEncrypt, SignJWT } from 'jose';
import type { RandomStream, TraceInput } from '@medmij-sandbox/network';
import { certificateHostname, pemToDer } from '@medmij-sandbox/pki';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { BSN_CLAIM, LIFETIMES, TVS_PATHS, assuranceLevel } from '@medmij-sandbox/tvs-client';
import { ListUnusableError } from '@medmij-sandbox/lists';
import { TVS_TOKEN, because, nest, said, type NoParams, type Params, type TvsRefusal } from '@medmij-sandbox/rules';
import type { IssuedCode, TvsDeps } from './state.js';

export function createCodeResolution(o: {
  deps: TvsDeps;
  codes: Map<string, IssuedCode>;
  sweep: () => void;
  decision: (e: Omit<TraceInput, 'reportedBy' | 'kind' | 'to'> & { to?: string }) => unknown;
  jtis: RandomStream;
  pseudonymKey: Buffer;
}): Hono<TlsPeerEnv> {
  const { deps, codes, sweep, decision, jtis, pseudonymKey } = o;
  const { clock } = deps;
  const back = new Hono<TlsPeerEnv>();

  back.post(TVS_PATHS.token, async (c) => {
    sweep();
    const traceId = c.req.header('x-correlation-id');
    const peer = c.var.peer;
    const caller = peer ? certificateHostname(peer) : undefined;
    // The description is the error_description of the JSON answer.
    const refuse = <P extends Params = NoParams>(refusal: TvsRefusal<P> & { status: 400 | 401 | 503 }, params: P) => {
      decision({ from: caller ?? 'unknown client', traceId, outcome: 'refused', ...because(said(refusal, params)) });
      return c.json({ error: refusal.error, error_description: refusal.description.en(params) }, refusal.status, { 'cache-control': 'no-store' });
    };
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);

    const service = deps.services.find((s) => s.hostname === caller);
    if (!service) return refuse(TVS_TOKEN.unknownService, { host: caller ?? 'none' });
    // Before the code is looked at: a refusal here leaves it unused, for a retry once the list is usable again.
    let whitelist: { nodes: readonly string[] };
    try {
      whitelist = deps.whitelist.require(traceId);
    } catch (e) {
      if (!(e instanceof ListUnusableError)) throw e;
      return refuse(TVS_TOKEN.whitelistUnusable, nest('problem', e.said));
    }
    if (!whitelist.nodes.includes(service.hostname)) return refuse(TVS_TOKEN.notOnWhitelist, { host: service.hostname });
    if (field('client_id') && field('client_id') !== service.hostname) {
      return refuse(TVS_TOKEN.clientIdMismatch, { clientId: field('client_id')!, service: service.hostname });
    }
    if (field('grant_type') !== 'authorization_code') return refuse(TVS_TOKEN.grantType, {});
    const code = field('code');
    const issued = code ? codes.get(code) : undefined;
    if (!code || !issued) return refuse(TVS_TOKEN.unknownCode, {});
    if (issued.usedAt !== undefined) return refuse(TVS_TOKEN.codeReused, { at: new Date(issued.usedAt).toISOString() });
    if (clock.nowMs() > issued.expiresAt) return refuse(TVS_TOKEN.codeExpired, { at: new Date(issued.expiresAt).toISOString() });
    if (issued.service.hostname !== service.hostname)
      return refuse(TVS_TOKEN.codeOtherService, { issuedTo: issued.service.hostname, service: service.hostname });
    if (field('redirect_uri') !== issued.redirectUri) return refuse(TVS_TOKEN.redirectUriDiffers, {});
    issued.usedAt = clock.nowMs();

    // The BSN is encrypted for the key the caller just proved it holds in the TLS handshake.
    const socket = c.env.incoming.socket as TLSSocket;
    const callerKey = new X509Certificate(socket.getPeerCertificate().raw).publicKey;
    const own = deps.pki.material(deps.hostname, 'server');
    const level = assuranceLevel(issued.level)!;
    const now = clock.nowMs();
    const iat = Math.floor(now / 1000);
    const jti = jtis.uuid();
    const encryptedBsn = await new CompactEncrypt(new TextEncoder().encode(issued.bsn))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'text/plain', kid: peer?.serial })
      .encrypt(callerKey);
    const claims = { nonce: issued.nonce, acr: level.uri, auth_time: iat, [BSN_CLAIM]: encryptedBsn };
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5c: chainDerBase64(own.chainPem) })
      .setIssuer(deps.issuer)
      .setAudience(service.hostname)
      .setSubject(pseudonym(pseudonymKey, service.hostname, issued.bsn))
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(iat + LIFETIMES.assertionMs / 1000)
      .sign(createPrivateKey(own.keyPem));
    decision({
      from: service.hostname,
      to: service.hostname,
      traceId: issued.traceId ?? traceId,
      outcome: 'ok',
      ...because(TVS_TOKEN.resolved, { service: service.hostname, jti, level: level.nl, serial: String(peer?.serial) }),
      body: { assertion: { iss: deps.issuer, aud: service.hostname, jti, iat, exp: iat + LIFETIMES.assertionMs / 1000, ...claims } },
    });
    return c.json({ id_token: idToken, token_type: 'N_A', expires_in: LIFETIMES.assertionMs / 1000 }, 200, { 'cache-control': 'no-store' });
  });

  return back;
}

/** x5c: the signing certificate and its intermediate, base64 DER, leaf first (RFC 7515 §4.1.6). */
function chainDerBase64(chainPem: string): string[] {
  return (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => pemToDer(pem).toString('base64'));
}

/** Same person, same service → same pseudonym; another service cannot link it (eToegang PseudoID). */
function pseudonym(key: Buffer, service: string, bsn: string): string {
  return createHmac('sha256', key).update(`${service}\n${bsn}`).digest('hex').slice(0, 32);
}
