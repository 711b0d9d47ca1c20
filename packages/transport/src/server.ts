/**
 * Starts one listener of a participant: its front channel (HTTPS for browsers), its back channel
 * (HTTPS with mutual TLS for other servers), or plain HTTP (the PKI repository). Every request it
 * receives, and every connection its mTLS gate refuses, is reported on the trace bus.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import {
  SandboxError,
  newSpanId,
  newTraceHex,
  parseTraceparent,
  realTimeIso,
  reservedPort,
  servingAs,
  type Clock,
  type SandboxClock,
  type TlsPeer,
  type TraceBus,
} from '@medmij-sandbox/network';
import {
  certificateHostname,
  explainVerdict,
  judgeClientCertificate,
  rejudgeClientCertificate,
  sandboxVerdict,
  secureContextSource,
  type SandboxPki,
} from '@medmij-sandbox/pki';
import { TRANSPORT, TRANSPORT_RULES, because, citing, type Rule } from '@medmij-sandbox/rules';
import { peerOf, rememberPeer } from './peer.js';
import { RefusalSummary } from './refusal-summary.js';
import { setSecurityHeaders } from './security-headers.js';
import { traceHeaders } from './trace-headers.js';
import { TLS_POLICY } from './tls-policy.js';

export type ListenerKind = 'frontchannel' | 'backchannel' | 'http';

/** A fetch handler such as `honoApp.fetch`; `env.incoming` is the Node request. */
export type FetchHandler = (request: Request, env: HttpBindings) => Response | Promise<Response>;

export interface ListenOptions {
  /** Who is listening: the participant's id and hostname (trace events name the hostname). */
  participant: { id: string; hostname: string; address?: string };
  kind: ListenerKind;
  port: number;
  fetch: FetchHandler;
  bus: TraceBus;
  clock: Clock;
  /** Required for front and back channel. */
  pki?: SandboxPki;
  /** Back channel only: `required` (mutual TLS, the default) or `none` (one-sided, e.g. the stelselnode's lists). */
  clientCertificate?: 'required' | 'none';
  /** The spec rule the mTLS gate demonstrates, shown with each refusal. */
  gateRule?: Rule;
  /**
   * Requests to leave off the trace: a participant's own plumbing that is no MedMij hop (the PGO web UI
   * loading its assets and calling its own API). Everything else is traced.
   */
  untraced?: (path: string) => boolean;
  /**
   * The flow a request belongs to when it carries no X-Correlation-ID itself: a browser following a
   * participant's own link or redirect (a flow id or an OAuth state in the URL) that the participant can map.
   */
  traceIdOf?: (url: URL) => string | undefined;
}

export interface RunningListener {
  kind: ListenerKind;
  url: string;
  port: number;
  /**
   * Stops serving and closes the port: callers get "connection refused", as from a participant that is down.
   * `keepPort: true` for a port reserved in this process (packages/network ports.ts): it goes back to its
   * reservation instead, for the next network of a run on the same ports.
   */
  close(o?: { keepPort?: boolean }): Promise<void>;
}

/** The same listeners with `cleanup` run first on close (a participant stops polling its lists, ...). */
export function withCleanup(listeners: RunningListener[], cleanup: () => void): RunningListener[] {
  return listeners.map((l) => ({
    ...l,
    close: async (o) => {
      cleanup();
      await l.close(o);
    },
  }));
}

export async function listen(opts: ListenOptions): Promise<RunningListener> {
  const { participant, kind, clock } = opts;
  const address = participant.address ?? '127.0.0.1';
  const fetch = traced(opts);
  let server: HttpServer | HttpsServer;
  let refresh: ReturnType<typeof setInterval> | undefined;
  let refusals: RefusalSummary | undefined;
  let stopFollowingClock: (() => void) | undefined;

  if (kind === 'http') {
    server = createAdaptorServer({ fetch: fetch as never, createServer: createHttpServer }) as HttpServer;
  } else {
    if (!opts.pki) throw new Error(`listen: the ${kind} of ${participant.hostname} needs the sandbox PKI`);
    const requestClientCertificate = kind === 'backchannel' && opts.clientCertificate !== 'none';
    const source = secureContextSource(opts.pki, participant.hostname, kind, { requestClientCertificate, protocol: TLS_POLICY });
    const initial = source.current().options;
    let httpsServer: HttpsServer;
    const followPki = () => {
      const { changed, options } = source.current();
      if (changed) httpsServer.setSecureContext(options);
    };
    httpsServer = createAdaptorServer({
      fetch: fetch as never,
      createServer: createHttpsServer,
      serverOptions: {
        ...initial,
        // Every handshake that names a host (all sandbox clients and browsers do) gets the newest PKI state,
        // so `pki revoke` counts from the very next connection.
        SNICallback: (_name: string, cb: (err: Error | null, ctx?: import('node:tls').SecureContext) => void) => {
          try {
            const { context, changed, options } = source.current();
            if (changed) httpsServer.setSecureContext(options);
            cb(null, context);
          } catch (e) {
            cb(e as Error);
          }
        },
      },
    }) as HttpsServer;
    server = httpsServer;
    // Clients that send no SNI use the default context: keep it current too.
    refresh = setInterval(() => {
      // The same tick says refusals counted in a minute of sandbox time that is over.
      refusals?.flush();
      try {
        followPki();
      } catch {
        // a PKI being rewritten this instant; the next tick catches up
      }
    }, 1000);
    refresh.unref();

    if (requestClientCertificate) {
      const gate = opts.gateRule ?? TRANSPORT_RULES.mutualTls;
      refusals = new RefusalSummary(clock, (counted) =>
        opts.bus.emit({
          reportedBy: opts.participant.hostname,
          side: 'server',
          from: counted.address,
          to: opts.participant.hostname,
          kind: 'tls',
          tls: { verdict: counted.verdict },
          outcome: 'refused',
          ...because(TRANSPORT.refusalsCounted, { ...counted }),
          ...citing(gate),
        }),
      );
      // A clock that is set (the next scenario of a live run, a shift) starts a new stretch of sandbox time.
      const onChange = (clock as Partial<Pick<SandboxClock, 'onChange'>>).onChange;
      stopFollowingClock = onChange?.call(clock, () => refusals?.flush(undefined, { all: true }));
      // Prepended, so the verdict is taken before the HTTP layer sees the connection at all.
      httpsServer.prependListener('secureConnection', (socket: TLSSocket) => {
        let peer = judgeClientCertificate(socket, clock, opts.pki);
        // A resumed TLS session skips OpenSSL's chain and CRL checks (it keeps the first handshake's verdict):
        // judge the certificate on the PKI as it is now, or a revoked client would resume its way back in.
        if (peer.verdict === 'ok' && socket.isSessionReused())
          peer = { ...peer, verdict: rejudgeClientCertificate(socket.getPeerCertificate(), opts.pki!, clock) };
        rememberPeer(socket, peer);
        if (peer.verdict === 'ok') return;
        // Only the first of a burst from one address is traced in full; the rest are counted (refusal-summary.ts).
        if (!refusals!.refused(socket.remoteAddress ?? 'unknown client', peer.verdict)) {
          socket.destroy();
          return;
        }
        refuseConnection(opts, socket, peer, TRANSPORT.clientCertificateRefused);
      });
    }
  }

  // A port this process reserved for the participant: take its held socket over (no moment in which another
  // process could take the port). Otherwise bind it now.
  const reserved = reservedPort(address, opts.port);
  // Node tracks a server's connections only once it listens itself: the ones handed over are tracked here, so a
  // closed participant drops them (a kept-alive client must not reach a closed or stopped participant).
  const handedOver = new Set<import('node:net').Socket>();
  if (reserved) {
    reserved.attach((socket) => {
      handedOver.add(socket);
      socket.once('close', () => handedOver.delete(socket));
      server.emit('connection', socket);
    });
  } else {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new SandboxError(
                `port ${opts.port} (${participant.id} ${kind}) is already in use: is the sandbox already running?`,
                'stop the other sandbox, or give the participant another port in topology.yaml',
              )
            : e,
        ),
      );
      server.listen(opts.port, address);
    });
  }
  const port = reserved ? reserved.port : (server.address() as AddressInfo).port;
  const url =
    kind === 'http' ? `http://${participant.hostname}:${port}` : port === 443 ? `https://${participant.hostname}` : `https://${participant.hostname}:${port}`;
  let closed = false;
  return {
    kind,
    url,
    port,
    close: async (o = {}) => {
      if (refresh) clearInterval(refresh);
      stopFollowingClock?.();
      stopFollowingClock = undefined;
      // Nothing counted is lost: what the last minute counted is said before the listener goes.
      refusals?.flush(undefined, { all: true });
      if (reserved) {
        if (!closed) reserved.detach();
        for (const socket of handedOver) socket.destroy();
        handedOver.clear();
        if (!o.keepPort) await reserved.release();
      } else if (!closed) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      closed = true;
    },
  };
}

/**
 * Reports a refused client certificate with its reason and ends the connection: nothing (more) of the HTTP
 * exchange is read. At the handshake, and on a kept-alive connection whose certificate was refused since.
 */
function refuseConnection(
  opts: ListenOptions,
  socket: TLSSocket,
  peer: TlsPeer,
  refusal: typeof TRANSPORT.clientCertificateRefused | typeof TRANSPORT.clientCertificateRefusedSinceHandshake,
): void {
  opts.bus.emit({
    reportedBy: opts.participant.hostname,
    side: 'server',
    from: certificateHostname(peer) ?? socket.remoteAddress ?? 'unknown client',
    to: opts.participant.hostname,
    kind: 'tls',
    tls: peer,
    outcome: 'refused',
    // The refusal's id, and the gate's rule beside it: the verdict's explanation is the PKI's own text.
    ...because(refusal, { verdict: peer.verdict, explanation: explainVerdict(peer.verdict) }),
    ...citing(opts.gateRule ?? TRANSPORT_RULES.mutualTls),
  });
  socket.destroy();
}

/** The PKI version each connection's client certificate was last judged on, per request (see currentPeer). */
const judgedOn = new WeakMap<object, string>();

/**
 * The verdict on the client certificate of the connection a request came in on, as it stands now. The handshake
 * judged it once; a kept-alive connection may carry many requests after that, so each request has it judged again
 * when the PKI changed since (a revocation, a rebuilt PKI) and against the sandbox clock (time travel). One stat of
 * state.json per request while nothing changed. Undefined when the connection's certificate is refused now: the
 * refusal is reported and the connection ended, as at a handshake.
 */
function currentPeer(opts: ListenOptions, incoming: HttpBindings['incoming']): { peer: TlsPeer | undefined; refused: boolean } {
  const peer = peerOf(incoming);
  if (!peer || peer.verdict !== 'ok' || !opts.pki) return { peer, refused: false };
  const socket = incoming.socket as TLSSocket;
  const pki = opts.pki.refresh();
  let verdict: string;
  if (judgedOn.get(socket) === pki.version) {
    verdict = sandboxVerdict(socket.getPeerCertificate(), opts.clock, 'client');
  } else {
    verdict = rejudgeClientCertificate(socket.getPeerCertificate(), pki, opts.clock);
    judgedOn.set(socket, pki.version);
  }
  if (verdict === 'ok') return { peer, refused: false };
  const refusedPeer = { ...peer, verdict };
  rememberPeer(socket, refusedPeer);
  refuseConnection(opts, socket, refusedPeer, TRANSPORT.clientCertificateRefusedSinceHandshake);
  return { peer: refusedPeer, refused: true };
}

/** Wraps the handler so every request becomes one server-side trace event. */
function traced(opts: ListenOptions): FetchHandler {
  const { participant, bus, clock, kind } = opts;
  const gated = kind === 'backchannel' && opts.clientCertificate !== 'none';
  return async (request, env) => {
    const started = clock.nowMs();
    const url = new URL(request.url);
    const judged = gated ? currentPeer(opts, env.incoming) : { peer: peerOf(env.incoming), refused: false };
    // The connection is gone and its refusal on the trace; no HTTP exchange took place (the answer goes nowhere).
    if (judged.refused) return new Response(null, { status: 403 });
    // Untraced paths are judged too (above): a revoked client certificate gets no answer on any path.
    if (opts.untraced?.(url.pathname)) return opts.fetch(request, env);
    const peer = judged.peer;
    // Before the handler runs: it may end the flow that maps this request to its trace.
    const traceId = request.headers.get('x-correlation-id') ?? url.searchParams.get('X-Correlation-ID') ?? opts.traceIdOf?.(url) ?? undefined;
    // This request's id, made as it starts: every hop and decision of its handler names it as their cause; its own
    // cause is the caller's report of this hop (a sandbox participant sends traceparent; a browser does not).
    const id = newSpanId();
    const start = realTimeIso();
    const callerHop = parseTraceparent(request.headers.get('traceparent'));
    const serving = { id, traceHex: callerHop?.traceHex ?? newTraceHex() };
    let response: Response;
    try {
      // Defence in depth: the gate already closed such connections; a handler never sees an unjudged peer.
      if (gated && peer?.verdict !== 'ok') {
        response = Response.json({ error: 'client_certificate_refused', verdict: peer?.verdict ?? 'NOT_JUDGED' }, { status: 403 });
        // The listener's own answers carry the participants' headers too (their apps add them to the rest).
        setSecurityHeaders(response.headers);
      } else response = await servingAs(serving, () => opts.fetch(request, env));
    } catch (e) {
      response = new Response('internal error', { status: 500 });
      setSecurityHeaders(response.headers, { https: kind !== 'http' });
      bus.emit({
        reportedBy: participant.hostname,
        side: 'server',
        from: caller(request, peer, kind),
        to: participant.hostname,
        kind: 'decision',
        outcome: 'error',
        ...because(TRANSPORT.unhandledError, { method: request.method, path: url.pathname, message: (e as Error).message }),
        cause: id,
      });
    }
    bus.emit({
      reportedBy: participant.hostname,
      side: 'server',
      traceId,
      requestId: request.headers.get('medmij-request-id') ?? url.searchParams.get('MedMij-Request-ID') ?? undefined,
      from: caller(request, peer, kind),
      to: participant.hostname,
      kind: 'http',
      method: request.method,
      url: `${url.pathname}${visibleSearch(url)}`,
      status: response.status,
      ...(peer ? { tls: peer } : {}),
      // The listener's own port (the Host header is the caller's to write), plain HTTP only for the PKI repository.
      origin: `${kind === 'http' ? 'http' : 'https'}://${participant.hostname}:${opts.port || url.port}`,
      headers: traceHeaders(request.headers.entries()),
      responseHeaders: traceHeaders(response.headers.entries()),
      outcome: response.status < 400 ? 'ok' : response.status >= 500 ? 'error' : 'refused',
      durationMs: clock.nowMs() - started,
      id,
      cause: callerHop?.spanId,
      start,
    });
    return response;
  };
}

/**
 * Who called: the hostname in the client certificate (back channel), else the participant named in a
 * sandbox User-Agent, else "browser" for browsers, else the tool's name (curl, OpenSSL, ...).
 */
function caller(request: Request, peer: TlsPeer | undefined, kind: ListenerKind): string {
  const fromCert = peer ? certificateHostname(peer) : undefined;
  if (fromCert) return fromCert;
  const ua = request.headers.get('user-agent') ?? '';
  const sandbox = /medmij-sandbox\/(\S+)/.exec(ua);
  if (sandbox) return sandbox[1]!;
  if (/Mozilla\//.test(ua)) return 'browser';
  if (ua) return ua.split(/[\s/]/)[0]!;
  return kind === 'frontchannel' ? 'browser' : 'client';
}

/** The query as the trace shows it: a `token` parameter (an operator's login link, say) is never written down. */
function visibleSearch(url: URL): string {
  if (!url.searchParams.has('token')) return url.search;
  const shown = new URLSearchParams(url.searchParams);
  shown.set('token', '(hidden)');
  return `?${shown.toString()}`;
}
