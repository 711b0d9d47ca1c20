/**
 * For unit tests of handlers that read the TLS peer (`c.var.peer`): mount the handler behind `withPeer(...)`
 * instead of `tlsPeer()` and call it with `app.request()`, no socket needed. Imported as
 * `@medmij-sandbox/transport/testing`; never used by participants.
 */
import { createHash } from 'node:crypto';
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

/**
 * What a server-rendered page needs from its Content-Security-Policy, computed here independently of the server:
 * the CSP source of each inline <style> (`sha256-…` of exactly its text), and whether it carries anything a
 * script-free policy would block (a <script>, a style attribute, an event handler).
 */
export function pageCspNeeds(html: string): { styleSources: string[]; scripted: boolean } {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  return {
    styleSources: styles.map((css) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`),
    scripted: /<script|\sstyle=|\son[a-z]+=/i.test(html),
  };
}
