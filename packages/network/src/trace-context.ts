/**
 * Which request a participant is serving right now, so that every hop it makes and every decision it takes
 * while serving it names that request as its cause (TraceEvent.cause). The request's own event is reported
 * when it ends — after its effects — so the cause is an id made when the request *starts*: a W3C Trace
 * Context span id, which also travels to the next participant in the `traceparent` header of each hop
 * (https://www.w3.org/TR/trace-context/), so the callee's report names the caller's hop as its cause,
 * across processes and containers too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { secureRandomBytes } from './random.js';

export interface CauseContext {
  /** The span id (16 hex) of the event being served: the cause of everything made while serving it. */
  id: string;
  /** The W3C trace id (32 hex) the span belongs to, passed on in `traceparent`. */
  traceHex: string;
}

const serving = new AsyncLocalStorage<CauseContext>();

/** The request being served where this code runs, if any. */
export function currentCause(): CauseContext | undefined {
  return serving.getStore();
}

/** Runs `fn` as the serving of event `context.id`: hops and decisions made inside name it as their cause. */
export function servingAs<T>(context: CauseContext, fn: () => T): T {
  return serving.run(context, fn);
}

/** A new span id (8 random bytes, hex). Not a secret, but never from the seed: runs must not share ids. */
export function newSpanId(): string {
  return secureRandomBytes(8).toString('hex');
}

export function newTraceHex(): string {
  return secureRandomBytes(16).toString('hex');
}

/** The `traceparent` header of a hop with span id `id`, in the trace of the request being served (or a new one). */
export function traceparentOf(id: string, within: CauseContext | undefined): string {
  return `00-${within?.traceHex ?? newTraceHex()}-${id}-01`;
}

/** The caller's trace id and span id from a `traceparent` header; undefined when absent or malformed. */
export function parseTraceparent(header: string | null | undefined): { traceHex: string; spanId: string } | undefined {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec((header ?? '').trim());
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return undefined;
  return { traceHex: m[1]!, spanId: m[2]! };
}
