/**
 * The TVS as a DVZA uses it: send the browser to the login page, take the browser back, redeem the code
 * over the mutual-TLS back channel, and believe the identity assertion only after checking it:
 *
 *   1. signed (RS256) by a certificate of the sandbox PKI issued to the TVS, not revoked, valid now;
 *   1b. with the key of the TVS's server certificate (not its client certificate);
 *   2. issued by the TVS, for this DVZA alone (aud a single string), inside its short lifetime on the sandbox clock;
 *   3. bound to this login (nonce) and never seen before (jti: single use);
 *   4. carrying a BSN this DVZA can decrypt (JWE for its own key) that passes the 11-proef.
 *
 * Each check that fails is a TvsAssertionError with a code and a sentence, and a refused decision on the trace.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { compactDecrypt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { SandboxError, type Clock, type HostTable, type TraceBus } from '@medmij-sandbox/network';
import { judgeSigningCertificate, type SandboxPki } from '@medmij-sandbox/pki';
import { HopError, hop } from '@medmij-sandbox/transport';
import { isValidBsn } from '@medmij-sandbox/fhir-data';
import {
  BSN_CLAIM,
  FAILED_OUTCOMES,
  LIFETIMES,
  TVS_PATHS,
  assuranceLevel,
  type AssuranceLevelId,
  type FailedOutcome,
  type IdentityAssertion,
} from './protocol.js';
import {
  DVZA_ASSERTION,
  DVZA_LOGIN,
  DVZA_RULES,
  because,
  nest,
  said,
  say,
  type AssertionProblem as AssertionProblemReason,
  type NoParams,
  type Params,
  type Said,
} from '@medmij-sandbox/rules';

export type AssertionProblem =
  | 'malformed'
  | 'untrusted_signer'
  | 'forged_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'too_long_lived'
  | 'nonce_mismatch'
  | 'replayed'
  | 'unknown_level'
  | 'bsn_not_decryptable'
  | 'invalid_bsn';

export class TvsAssertionError extends SandboxError {
  constructor(
    readonly problem: AssertionProblem,
    message: string,
    /** The message as a catalogue reason, to nest in the DVZA's refusal. */
    readonly said?: Said,
  ) {
    super(message);
    this.name = 'TvsAssertionError';
  }
}

export interface TvsClientOptions {
  /** The DVZA: its hostname is the client_id and the audience; its client certificate decrypts the BSN. */
  clientHostname: string;
  /** Where the TVS sends the browser back, on the DVZA's front channel. */
  redirectUri: string;
  tvs: { hostname: string; frontchannelUrl: string; backchannelUrl: string };
  pki: SandboxPki;
  clock: Clock;
  bus?: TraceBus;
  hosts?: HostTable;
}

export type LoginResult =
  | { ok: true; identity: IdentityAssertion }
  | {
      ok: false;
      /** A login outcome the person chose or met at the TVS, or a problem with what came back. */
      outcome: FailedOutcome | 'invalid_callback' | 'token_refused' | 'tvs_unreachable' | 'assertion_refused';
      error: string;
      description: string;
      /** The description as a catalogue reason; absent when it is the TVS's own text. */
      said?: Said;
    };

export class TvsClient {
  /** jti → expiry: an assertion is accepted once; kept until it would have expired anyway. */
  private readonly seenAssertions = new Map<string, number>();

  constructor(private readonly o: TvsClientOptions) {}

  /** The TVS issuer identifier: its front-channel origin. */
  get issuer(): string {
    return this.o.tvs.frontchannelUrl;
  }

  /** The URL to send the browser to. */
  authorizationUrl(p: { state: string; nonce: string; minimumLevel: AssuranceLevelId; traceId?: string; lang?: 'nl' | 'en' }): string {
    const url = new URL(TVS_PATHS.authorize, this.o.tvs.frontchannelUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      scope: 'openid',
      client_id: this.o.clientHostname,
      redirect_uri: this.o.redirectUri,
      state: p.state,
      nonce: p.nonce,
      acr_values: assuranceLevel(p.minimumLevel)!.uri,
      ...(p.traceId ? { 'X-Correlation-ID': p.traceId } : {}),
      ...(p.lang ? { ui_locales: p.lang } : {}),
    }).toString();
    return url.toString();
  }

  /**
   * The browser is back at the redirect_uri: read the outcome, and on success redeem the code and check
   * the assertion. `expected` comes from the DVZA's own session, never from the callback.
   */
  async completeLogin(callback: URLSearchParams, expected: { state: string; nonce: string; traceId?: string }): Promise<LoginResult> {
    const refuse = (outcome: Extract<LoginResult, { ok: false }>['outcome'], error: string, why: Said): LoginResult => {
      this.decision('refused', why, expected.traceId);
      return { ok: false, outcome, error, description: say(why), said: why };
    };
    if (callback.get('state') !== expected.state) return refuse('invalid_callback', 'invalid_request', said(DVZA_LOGIN.stateMismatch, {}));
    const error = callback.get('error');
    if (error) {
      const outcome = callback.get('tvs_outcome') as FailedOutcome | null;
      const known = outcome && outcome in FAILED_OUTCOMES ? outcome : undefined;
      const description = callback.get('error_description') ?? (known ? FAILED_OUTCOMES[known].en : error);
      // The description is the TVS's own text (or FAILED_OUTCOMES', as the TVS would say it): open-ended.
      this.decision('refused', said(DVZA_LOGIN.ended, { outcome: known ?? error, description }), expected.traceId);
      return { ok: false, outcome: known ?? 'tvs_error', error, description };
    }
    const code = callback.get('code');
    if (!code) return refuse('invalid_callback', 'invalid_request', said(DVZA_LOGIN.noCode, {}));
    try {
      return { ok: true, identity: await this.redeem(code, expected) };
    } catch (e) {
      const saidOf = (s: Said | undefined) => (s ? { said: s } : {});
      if (e instanceof TvsAssertionError) return { ok: false, outcome: 'assertion_refused', error: e.problem, description: e.message, ...saidOf(e.said) };
      if (e instanceof TokenRefusedError) return { ok: false, outcome: 'token_refused', error: e.error, description: e.message, ...saidOf(e.said) };
      if (e instanceof HopError) return refuse('tvs_unreachable', e.code, said(DVZA_LOGIN.unreachable, nest('problem', e.said ?? e.message)));
      throw e;
    }
  }

  /** Artifact resolution: the code for the assertion, over mutual TLS with the DVZA's client certificate. */
  async redeem(code: string, expected: { nonce: string; traceId?: string }): Promise<IdentityAssertion> {
    const response = await hop(new URL(TVS_PATHS.token, this.o.tvs.backchannelUrl).toString(), {
      method: 'POST',
      from: this.o.clientHostname,
      to: this.o.tvs.hostname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.o.redirectUri, client_id: this.o.clientHostname }).toString(),
      pki: this.o.pki,
      clock: this.o.clock,
      bus: this.o.bus,
      hosts: this.o.hosts,
      traceId: expected.traceId,
      rule: DVZA_RULES.artifactResolution,
    });
    let body: { id_token?: string; error?: string; error_description?: string };
    try {
      body = response.json();
    } catch {
      throw new TokenRefusedError('invalid_response', said(DVZA_LOGIN.noJson, { status: response.status }));
    }
    if (response.status !== 200 || !body.id_token) {
      const error = body.error ?? 'invalid_response';
      // The TVS's error_description: its own text.
      const refused = said(DVZA_LOGIN.codeRefused, { error, description: body.error_description ?? '' });
      this.decision('refused', refused, expected.traceId);
      throw new TokenRefusedError(error, refused);
    }
    return this.verifyAssertion(body.id_token, expected);
  }

  /** Checks an identity assertion; see the file comment for the order. */
  async verifyAssertion(idToken: string, expected: { nonce: string; traceId?: string }): Promise<IdentityAssertion> {
    const fail = <P extends Params = NoParams>(problem: AssertionProblemReason<P>, params: P): never => {
      const message = said(problem, params);
      this.decision('refused', said(DVZA_LOGIN.assertionRefused, { problem: problem.problem, ...nest('message', message) }), expected.traceId);
      throw new TvsAssertionError(problem.problem as AssertionProblem, say(message), message);
    };

    let certPem: string;
    try {
      const header = decodeProtectedHeader(idToken);
      if (header.alg !== 'RS256') fail(DVZA_ASSERTION.algorithm, { alg: header.alg ?? 'no algorithm' });
      const leaf = header.x5c?.[0];
      if (!leaf) return fail(DVZA_ASSERTION.noCertificate, {});
      certPem = `-----BEGIN CERTIFICATE-----\n${leaf.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
      new X509Certificate(certPem);
    } catch (e) {
      if (e instanceof TvsAssertionError) throw e;
      return fail(DVZA_ASSERTION.notAJwt, { message: (e as Error).message });
    }

    const pinned = judgeSigningCertificate(certPem, {
      pki: this.o.pki,
      clock: this.o.clock,
      expectedSigner: this.o.tvs.hostname,
      what: 'the identity assertion',
    });
    if (!pinned.ok) fail(DVZA_ASSERTION.untrustedSigner, { verdict: pinned.reason });
    // The TVS signs with the key of its server certificate; a key of another of its certificates (its client key,
    // also held by whoever runs its client side) is no signer of identity assertions.
    const signingRecord = this.o.pki.findBySerial(pinned.signer.serial);
    if (signingRecord?.host !== this.o.tvs.hostname || signingRecord.kind !== 'server') {
      fail(DVZA_ASSERTION.notSigningCertificate, { tvs: this.o.tvs.hostname, serial: pinned.signer.serial, kind: signingRecord?.kind ?? 'unknown' });
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, new X509Certificate(certPem).publicKey, {
        algorithms: ['RS256'],
        issuer: this.issuer,
        audience: this.o.clientHostname,
        currentDate: this.o.clock.now(),
        requiredClaims: ['jti', 'iat', 'exp', 'nonce', 'acr', BSN_CLAIM],
      }));
    } catch (e) {
      return fail(...explainJoseError(e, this.issuer, this.o.clientHostname));
    }

    // jose accepts an aud list that contains us; an assertion for several services is for none of them.
    if (typeof payload.aud !== 'string') {
      fail(DVZA_ASSERTION.audienceList, { audience: this.o.clientHostname, audiences: [payload.aud ?? []].flat().join(', ') });
    }
    const iat = payload.iat! * 1000;
    const exp = payload.exp! * 1000;
    if (exp - iat > LIFETIMES.assertionMs) fail(DVZA_ASSERTION.tooLongLived, { seconds: (exp - iat) / 1000, max: LIFETIMES.assertionMs / 1000 });
    if (iat > this.o.clock.nowMs()) fail(DVZA_ASSERTION.issuedInFuture, {});
    if (payload.nonce !== expected.nonce) fail(DVZA_ASSERTION.nonceMismatch, {});

    const now = this.o.clock.nowMs();
    for (const [jti, until] of this.seenAssertions) if (until < now) this.seenAssertions.delete(jti);
    const jti = String(payload.jti);
    if (this.seenAssertions.has(jti)) fail(DVZA_ASSERTION.replayed, { jti });
    // Taken at once (before the awaits below), so two concurrent checks of one assertion cannot both pass.
    this.seenAssertions.set(jti, exp);

    const level = assuranceLevel(String(payload.acr));
    if (!level) return fail(DVZA_ASSERTION.unknownLevel, { acr: String(payload.acr) });

    let bsn: string;
    try {
      const own = this.o.pki.material(this.o.clientHostname, 'client');
      const { plaintext } = await compactDecrypt(String(payload[BSN_CLAIM]), createPrivateKey(own.keyPem), {
        keyManagementAlgorithms: ['RSA-OAEP-256'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      bsn = new TextDecoder().decode(plaintext);
    } catch (e) {
      return fail(DVZA_ASSERTION.bsnNotDecryptable, { client: this.o.clientHostname, message: (e as Error).message });
    }
    if (!isValidBsn(bsn)) fail(DVZA_ASSERTION.invalidBsn, {});
    const identity: IdentityAssertion = {
      bsn,
      level,
      pseudonym: String(payload.sub),
      jti,
      issuedAt: new Date(iat).toISOString(),
      expiresAt: new Date(exp).toISOString(),
      signer: pinned.signer,
    };
    this.o.bus?.emit({
      reportedBy: this.o.clientHostname,
      from: this.o.tvs.hostname,
      to: this.o.clientHostname,
      kind: 'decision',
      traceId: expected.traceId,
      outcome: 'ok',
      ...because(DVZA_LOGIN.accepted, { tvs: this.o.tvs.hostname, serial: pinned.signer.serial, client: this.o.clientHostname, level: level.nl }),
      body: { assertion: payload, decrypted: { bsn, level: level.id } },
    });
    return identity;
  }

  private decision(outcome: 'ok' | 'refused', reason: Said, traceId?: string) {
    this.o.bus?.emit({
      reportedBy: this.o.clientHostname,
      from: this.o.tvs.hostname,
      to: this.o.clientHostname,
      kind: 'decision',
      traceId,
      outcome,
      ...because(reason),
    });
  }
}

/** The TVS answered the token request with an OAuth error (unknown, used or expired code, wrong client). */
export class TokenRefusedError extends SandboxError {
  constructor(
    readonly error: string,
    /** Why, as a catalogue reason: its English text is the message. */
    readonly said: Said,
  ) {
    super(say(said));
    this.name = 'TokenRefusedError';
  }
}

/** The JOSE library's verdict as an assertion problem; its own messages are open-ended parameters. */
function explainJoseError(e: unknown, issuer: string, audience: string): [AssertionProblemReason<Params>, Params] {
  const as = <P extends Params>(problem: AssertionProblemReason<P>, params: P): [AssertionProblemReason<Params>, Params] => [problem, params];
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return as(DVZA_ASSERTION.forged, {});
  if (e instanceof joseErrors.JWTExpired) return as(DVZA_ASSERTION.expired, {});
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return as(DVZA_ASSERTION.wrongAudience, { audience });
    if (e.claim === 'iss') return as(DVZA_ASSERTION.wrongIssuer, { issuer });
    if (e.claim === 'nbf' || e.claim === 'iat') return as(DVZA_ASSERTION.notYetValid, {});
    return as(DVZA_ASSERTION.badClaim, { claim: e.claim, message: e.message });
  }
  return as(DVZA_ASSERTION.unreadable, { message: (e as Error).message });
}
