/**
 * The TLS peer of a request: what the back channel's mTLS gate concluded about the client certificate of the
 * connection the request came in on. The gate judges it once, at the handshake (server.ts); handlers read it
 * from the context (`c.var.peer`), put there by the `tlsPeer()` middleware — so a handler's refusals can be
 * unit-tested with `app.request()` and a peer of the test's choosing (`withPeer` in ./testing.ts), and the
 * real-TLS tests are left for the handshake itself and for flows across participants.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { createMiddleware } from 'hono/factory';
import type { TlsPeer } from '@medmij-sandbox/network';

/** What a back-channel handler finds on its context. */
export type TlsPeerEnv = { Bindings: HttpBindings; Variables: { peer: TlsPeer | undefined } };

const peers = new WeakMap<object, TlsPeer>();

/** The gate's verdict, kept with the connection for every request that comes in on it. */
export function rememberPeer(socket: object, peer: TlsPeer): void {
  peers.set(socket, peer);
}

/** The verdict on the client certificate of the connection a request came in on (back channel only). */
export function peerOf(incoming: IncomingMessage | undefined): TlsPeer | undefined {
  return incoming ? peers.get(incoming.socket) : undefined;
}

/** Puts the connection's TLS peer on the context as `peer` (undefined on a listener without client certificates). */
export function tlsPeer() {
  return createMiddleware<TlsPeerEnv>(async (c, next) => {
    c.set('peer', peerOf(c.env?.incoming));
    await next();
  });
}
