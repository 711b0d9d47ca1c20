/**
 * How a participant calls another: real HTTP(S) over the loopback network, sandbox hostnames resolved
 * from the topology, the server checked against the sandbox root and CRLs (and the sandbox clock), and
 * the participant's own client certificate presented on the back channel. Each call is reported on the
 * trace bus from the caller's side; a refusal becomes a HopError that says what happened.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import {
  SandboxError,
  currentCause,
  newSpanId,
  realTimeIso,
  sandboxLookup,
  traceparentOf,
  type Clock,
  type HostTable,
  type TlsPeer,
  type TraceBus,
} from '@medmij-sandbox/network';
import { clientTlsOptions, describeCertificate, explainVerdict, sandboxVerdict, type SandboxPki } from '@medmij-sandbox/pki';
import { TRANSPORT, because, cite, citing, said, say, type Rule, type Said } from '@medmij-sandbox/rules';
import { traceHeaders } from './trace-headers.js';
import { TLS_POLICY } from './tls-policy.js';

export interface HopOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The calling participant's hostname: named in the trace, and its client certificate is presented. */
  from: string;
  /** Present the caller's client certificate (default true for https). */
  clientCertificate?: boolean;
  /** Which sandbox certificate the server must show: back-channel `server` (default) or front-channel `browser`. */
  expectServerCertificate?: 'server' | 'browser';
  pki?: SandboxPki;
  bus?: TraceBus;
  clock: Clock;
  hosts?: HostTable;
  /** Name of the callee in the trace (default: the URL's hostname). */
  to?: string;
  traceId?: string;
  requestId?: string;
  timeoutMs?: number;
  /** The rule the hop demonstrates (the catalogue's), on its trace event. */
  rule?: Rule;
  /**
   * A keep-alive agent to send several hops over one connection (a PGO's FHIR queries of one collection).
   * Both certificates are judged at that connection's handshake; later hops on it carry no `tls` of their
   * own. Default: a new connection, and a full handshake, per hop.
   */
  agent?: import('node:https').Agent;
}

export interface HopResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  tls?: TlsPeer;
  text(): string;
  json<T = unknown>(): T;
}

/** A hop that did not get an HTTP answer: refused at TLS, connection refused, timed out. */
export class HopError extends SandboxError {
  constructor(
    message: string,
    readonly code: string,
    readonly tls?: TlsPeer,
    /** The message as a catalogue reason, to nest in the caller's own reason. */
    readonly said?: Said,
  ) {
    super(message);
    this.name = 'HopError';
  }
}

class CertificateVerdictError extends Error {
  constructor(
    readonly code: string,
    readonly peer: TlsPeer,
  ) {
    super(explainVerdict(code));
  }
}

export async function hop(url: string, opts: HopOptions): Promise<HopResponse> {
  const target = new URL(url);
  const https = target.protocol === 'https:';
  const to = opts.to ?? target.hostname;
  const started = opts.clock.nowMs();
  const expected = opts.expectServerCertificate ?? 'server';
  let serverPeer: TlsPeer | undefined;
  // A kept-alive connection that ends without an answer was not refused at its handshake (that passed).
  let reusedSocket = false;

  // This hop's id, made now (its report comes when it ends): the callee's report names it as its cause (traceparent).
  const id = newSpanId();
  const start = realTimeIso();
  const headers: Record<string, string> = { 'user-agent': `medmij-sandbox/${opts.from}`, traceparent: traceparentOf(id, currentCause()), ...opts.headers };
  if (opts.traceId) headers['x-correlation-id'] ??= opts.traceId;
  if (opts.requestId) headers['medmij-request-id'] ??= opts.requestId;
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));

  const emit = (event: Parameters<TraceBus['emit']>[0]) => opts.bus?.emit(event);
  const base = {
    reportedBy: opts.from,
    side: 'client' as const,
    from: opts.from,
    to,
    traceId: opts.traceId,
    requestId: opts.requestId,
    method: opts.method ?? 'GET',
    url: `${target.pathname}${target.search}`,
    origin: target.origin,
    headers: traceHeaders(Object.entries(headers)),
    ...(opts.rule ? cite(opts.rule) : {}),
    id,
    start,
  };

  try {
    const response = await new Promise<HopResponse>((resolve, reject) => {
      const common = {
        method: opts.method ?? 'GET',
        headers,
        lookup: sandboxLookup(opts.hosts),
        agent: opts.agent ?? (false as const),
        timeout: opts.timeoutMs ?? 10_000,
      };
      const req = https
        ? httpsRequest(target, {
            ...common,
            ...tlsFor(opts),
            // The same policy as the servers: a sandbox participant offers nothing a sandbox server would refuse.
            ...TLS_POLICY,
            servername: target.hostname,
            // Runs after OpenSSL accepted the chain (root, CRLs): add the hostname and the sandbox's own checks.
            checkServerIdentity: (host: string, cert: PeerCertificate) => {
              serverPeer = { ...describeCertificate(cert), verdict: 'ok' };
              const identity = checkServerIdentity(host, cert);
              if (identity) {
                serverPeer.verdict = 'ERR_TLS_CERT_ALTNAME_INVALID';
                return new CertificateVerdictError('ERR_TLS_CERT_ALTNAME_INVALID', serverPeer);
              }
              const verdict = sandboxVerdict(cert, opts.clock, expected);
              serverPeer.verdict = verdict;
              return verdict === 'ok' ? undefined : new CertificateVerdictError(verdict, serverPeer);
            },
          })
        : httpRequest(target, common);
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${common.timeout} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ...(serverPeer ? { tls: serverPeer } : {}),
            text: () => body.toString('utf8'),
            json: <T>() => JSON.parse(body.toString('utf8')) as T,
          });
        });
      });
      if (https) {
        req.on('socket', (socket) => {
          // A kept-alive connection had its handshake (and its verdict) already: nothing to wait for.
          reusedSocket = req.reusedSocket;
          if (req.reusedSocket) return;
          // 'secure' fires when the handshake is done, before Node judges the certificate and possibly
          // destroys the socket: the one moment we can still read a refused server certificate.
          socket.prependOnceListener('secure', () => {
            serverPeer ??= { ...describeCertificate((socket as TLSSocket).getPeerCertificate()), verdict: 'ok' };
          });
        });
      }
      req.end(opts.body);
    });
    emit({
      ...base,
      kind: 'http',
      status: response.status,
      responseHeaders: traceHeaders(Object.entries(response.headers)),
      ...(response.tls ? { tls: response.tls } : {}),
      outcome: response.status < 400 ? 'ok' : response.status >= 500 ? 'error' : 'refused',
      durationMs: opts.clock.nowMs() - started,
    });
    return response;
  } catch (e) {
    const failure = describeFailure(e, to, https, serverPeer, reusedSocket);
    emit({
      ...base,
      kind: failure.tls ? 'tls' : 'http',
      ...(failure.tls ? { tls: failure.tls } : {}),
      outcome: 'refused',
      // The id and parameters are the failure's; the hop's rule stays the caller's, cited beside a failure that
      // names no rule of its own.
      ...because(failure.said.reason, failure.said.params),
      ...(opts.rule && !failure.said.reason.rule ? citing(opts.rule) : {}),
      durationMs: opts.clock.nowMs() - started,
    });
    throw new HopError(say(failure.said), failure.code, failure.tls, failure.said);
  }
}

function tlsFor(opts: HopOptions) {
  if (!opts.pki) throw new SandboxError('an https hop needs the sandbox PKI (to trust its root and check its CRLs)');
  const presentCertificate = opts.clientCertificate ?? true;
  return clientTlsOptions(opts.pki, presentCertificate ? opts.from : undefined);
}

/** Turns a Node network error into a sentence a person understands, with the OpenSSL/Node code kept. */
function describeFailure(e: unknown, to: string, https: boolean, peer: TlsPeer | undefined, reused = false): { said: Said; code: string; tls?: TlsPeer } {
  if (e instanceof CertificateVerdictError) {
    return { code: e.code, tls: e.peer, said: said(TRANSPORT.serverCertificateRefused, { to, code: e.code, explanation: explainVerdict(e.code) }) };
  }
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? 'ERROR';
  // OpenSSL verification failures carry the X509 code (CERT_REVOKED, CERT_HAS_EXPIRED, ...).
  if (/^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_CERT)/.test(code)) {
    const tls: TlsPeer = { ...peer, verdict: code };
    return { code, tls, said: said(TRANSPORT.serverCertificateRefused, { to, code, explanation: explainVerdict(code) }) };
  }
  if (https && (code === 'ECONNRESET' || /socket hang up|disconnected before secure TLS/.test(err.message))) {
    if (reused) return { code: 'ECONNRESET', tls: { ...peer, verdict: 'PEER_CLOSED_CONNECTION' }, said: said(TRANSPORT.peerClosedKeptAlive, { to }) };
    return { code: 'ECONNRESET', tls: { ...peer, verdict: 'PEER_CLOSED_CONNECTION' }, said: said(TRANSPORT.peerClosed, { to }) };
  }
  if (code === 'ECONNREFUSED') return { code, said: said(TRANSPORT.connectionRefused, { to }) };
  if (code === 'ETIMEDOUT') return { code, said: said(TRANSPORT.timedOut, { to }) };
  if (code === 'ENOTFOUND') return { code, said: said(TRANSPORT.unknownHost, { to }) };
  // Node's own message: open-ended.
  return { code, said: said(TRANSPORT.failed, { to, message: err.message }) };
}
