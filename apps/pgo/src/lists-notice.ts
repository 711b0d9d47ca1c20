/**
 * The PGO's notice listener (sandbox extension): a PGO has no back channel in MedMij, so this small listener on
 * the topology's `notificationPort` is where the stelselnode tells it which list changed. Mutual TLS with the
 * PGO's private-services server certificate, as any back channel: only a certificate of the sandbox PKI gets a
 * connection, and only the stelselnode's gets a notice followed (packages/stelselnode-client). A listener of its
 * own rather than a route on the front channel: that one faces browsers, which must never be asked for a client
 * certificate.
 */
import { Hono } from 'hono';
import type { Clock, PgoParticipant, TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { LISTS_NOTICE_PATH, answerNotice } from '@medmij-sandbox/stelselnode-client';
import { listen, securityHeaders, tlsPeer, type RunningListener, type TlsPeerEnv } from '@medmij-sandbox/transport';
import type { PgoLists } from './pgo-lists.js';

export function createNoticeApp(o: { hostname: string; stelselnodeHost: string; lists: PgoLists; bus: TraceBus }): Hono<TlsPeerEnv> {
  const app = new Hono<TlsPeerEnv>();
  app.use(securityHeaders());
  app.use(tlsPeer());
  app.post(LISTS_NOTICE_PATH, async (c) => {
    const traceId = c.req.header('x-correlation-id');
    const answer = await answerNotice(
      { body: await c.req.text(), peer: c.var.peer, ...(traceId ? { traceId } : {}) },
      { participant: o.hostname, stelselnodeHost: o.stelselnodeHost, kinds: o.lists.kinds, consumer: o.lists, bus: o.bus },
    );
    return c.json(answer.body, answer.status);
  });
  app.notFound((c) => c.json({ error: 'not_found', message: `this listener takes list notices only, at POST ${LISTS_NOTICE_PATH}` }, 404));
  return app;
}

/** Starts the listener when the topology gives the PGO a `notificationPort`; none otherwise (the PGO then polls). */
export async function startNoticeListener(o: {
  participant: PgoParticipant;
  stelselnodeHost: string;
  lists: PgoLists;
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
}): Promise<RunningListener | undefined> {
  if (!o.participant.notificationPort) return undefined;
  const app = createNoticeApp({ hostname: o.participant.hostname, stelselnodeHost: o.stelselnodeHost, lists: o.lists, bus: o.bus });
  return listen({
    participant: o.participant,
    kind: 'backchannel',
    port: o.participant.notificationPort,
    fetch: app.fetch,
    pki: o.pki,
    clock: o.clock,
    bus: o.bus,
  });
}
