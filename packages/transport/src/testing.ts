/**
 * For unit tests of handlers that read the TLS peer (`c.var.peer`): mount the handler behind `withPeer(...)`
 * instead of `tlsPeer()` and call it with `app.request()`, no socket needed. Imported as
 * `@medmij-sandbox/transport/testing`; never used by participants.
 */
import { createMiddleware } from 'hono/factory';
import type { TlsPeer } from '@medmij-sandbox/network';
import type { TlsPeerEnv } from './peer.js';

/** A peer as the mTLS gate would have judged it: a valid client certificate of `hostname`, unless told otherwise. */
export function peerFor(hostname: string, verdict = 'ok'): TlsPeer {
  return { peerSubject: `CN=${hostname}, O=Test (sandbox)`, serial: '01', dnsNames: [hostname], verdict };
}

export function withPeer(peer: TlsPeer | undefined) {
  return createMiddleware<TlsPeerEnv>(async (c, next) => {
    c.set('peer', peer);
    await next();
  });
}
