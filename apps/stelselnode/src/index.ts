import { hostTable, type StartContext } from '@medmij-sandbox/network';
import { needsSandboxVariant, signList, watchEnrolments } from '@medmij-sandbox/lists';
import { ensureControlToken } from '@medmij-sandbox/stelselnode-client';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { STELSELNODE, because, nest, type Said } from '@medmij-sandbox/rules';
import { createStelselnodeApp } from './app.js';
import { ListPublisher } from './publisher.js';
import { noticeTargets, notifyAll } from './notifier.js';

export { createStelselnodeApp } from './app.js';
export { ListPublisher, listProblemWith, formatTijdstempel } from './publisher.js';
export { noticeTargets, noticeBetween, servedSnapshot, type NoticeTarget } from './notifier.js';

/** Starts the stelselnode on its back-channel port (one-sided TLS: the lists are public). */
export async function startStelselnode(ctx: StartContext<'stelselnode', SandboxPki>): Promise<RunningListener[]> {
  const { participant, bus } = ctx;
  const report = (what: Said) =>
    bus.emit({
      reportedBy: participant.hostname,
      from: participant.hostname,
      to: participant.hostname,
      kind: 'decision',
      outcome: 'ok',
      ...because(STELSELNODE.changed, nest('what', what)),
    });
  const enrolments = watchEnrolments(ctx.paths.enrolments);
  const publisher = new ListPublisher(ctx.topology, ctx.clock, ctx.paths.stelselnode.state, report, undefined, enrolments);
  const sign = (xml: string) => {
    const own = ctx.pki.refresh().material(participant.hostname, 'server');
    return signList(xml, own.keyPem, own.chainPem);
  };
  const hosts = hostTable(ctx.topology, { hostsFile: ctx.paths.hosts });
  const app = createStelselnodeApp({
    publisher,
    sign,
    controlToken: ensureControlToken(ctx.paths.stelselnode.controlToken),
    sandboxVariant: needsSandboxVariant(ctx.topology),
    notify: (notice) =>
      notifyAll(notice, {
        hostname: participant.hostname,
        targets: () => noticeTargets(ctx.topology, enrolments()),
        pki: ctx.pki,
        clock: ctx.clock,
        bus,
        hosts,
      }),
  });
  return [
    await listen({
      participant,
      kind: 'backchannel',
      clientCertificate: 'none',
      port: participant.backchannelPort,
      fetch: app.fetch,
      bus,
      clock: ctx.clock,
      pki: ctx.pki,
    }),
  ];
}
