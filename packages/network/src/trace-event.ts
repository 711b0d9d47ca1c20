/**
 * The shape of one trace event, on its own without any Node import, so a browser bundle (the PGO's
 * network inspector) can share the exact type: `@medmij-sandbox/network/trace-event`.
 */

export type TraceKind = 'http' | 'tls' | 'decision';
/** `warning`: allowed, but worth a look (a stale list). */
export type TraceOutcome = 'ok' | 'warning' | 'refused' | 'error';

/** What one side of a TLS connection learned about the other side's certificate. */
export interface TlsPeer {
  /** Subject DN of the peer certificate, e.g. `CN=pgo.localhost, O=MedMij Sandbox ...`. */
  peerSubject?: string;
  /** Serial number in upper-case hex, as OpenSSL and Node print it. */
  serial?: string;
  issuer?: string;
  /** DNS names from the subjectAltName. */
  dnsNames?: string[];
  /** `ok`, or the OpenSSL/sandbox reason it was refused: `CERT_REVOKED`, `CERT_HAS_EXPIRED`, `NO_CLIENT_CERTIFICATE`, ... */
  verdict: string;
}

export interface TraceEvent {
  /** Position in this bus, starting at 1. */
  seq: number;
  /** Sandbox time (ISO 8601). */
  at: string;
  /** The X-Correlation-ID of the authorization flow this hop belongs to, when known. */
  traceId?: string;
  /** The MedMij-Request-ID of this one request, when known: it joins the client's and the server's view of a hop. */
  requestId?: string;
  /** The participant that reported the event. */
  reportedBy: string;
  /** Which end of the hop the reporter is (absent for decisions). */
  side?: 'client' | 'server';
  from: string;
  to: string;
  kind: TraceKind;
  method?: string;
  url?: string;
  status?: number;
  tls?: TlsPeer;
  /** Where the request went: scheme, host and port (`https://dekroon.dvza.localhost:8720`); `url` is its path. */
  origin?: string;
  /** The request's headers (cookies and tokens hidden, packages/transport trace-headers.ts). */
  headers?: Record<string, string>;
  /** The answer's headers, the same way. */
  responseHeaders?: Record<string, string>;
  /** Decoded tokens, assertions or other bodies worth showing; never secrets in clear. */
  body?: unknown;
  /** The spec rule this event demonstrates, e.g. `SPEC §2.5 code single-use`. */
  rule?: string;
  /**
   * The id of the rule or refusal in the rule catalogue (packages/rules), e.g. `dvza.token.code-replayed`, and
   * the parameters of its text: the event in any language (`rule` and `reason` are its English text).
   */
  ruleId?: string;
  params?: Record<string, string | number>;
  /**
   * The catalogue id of the rule `rule` names, when that is not the rule of `ruleId` (a reason that names no rule
   * of its own, cited beside a rule that depends on the case): so a reader says that rule in any language too.
   */
  citedRuleId?: string;
  outcome: TraceOutcome;
  reason?: string;
  durationMs?: number;
  /**
   * This event's id (a W3C Trace Context span id, 16 hex), made when the hop *started*: what its effects name
   * as their `cause`. Events are reported when they end, so `seq` is the order of endings, not of causes.
   */
  id?: string;
  /**
   * The id of the event that caused this one: for a hop a participant made, or a decision it took, the request
   * it was serving then; for a request a participant received, the caller's report of that hop (its
   * `traceparent`). Absent for what nothing in the sandbox caused (a browser's click, a poll on the clock).
   */
  cause?: string;
  /** Real time (not the sandbox clock, which may stand still) when the hop started and ended, ISO 8601 with ms. */
  start?: string;
  end?: string;
}

export type TraceInput = Omit<TraceEvent, 'seq' | 'at'> & { at?: string };
export type TraceListener = (event: TraceEvent) => void;
