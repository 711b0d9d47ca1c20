/**
 * After a change of what the stelselnode serves, it tells every list consumer with a back channel which lists
 * changed (the notice of packages/stelselnode-client), one after the other in a fixed order, and waits for each
 * answer: when a control call returns, every consumer that could be told has decided on the new lists. Who is told:
 * the topology's DVZAs (back channel), its PGOs with a notice listener (`notificationPort`), its TVS (back channel,
 * of the Whitelist only) and enrolled DVZAs (the origin of their token endpoint). A consumer that cannot be told is on the trace and takes the lists at its next
 * poll: a failure never fails the change.
 */
import { backchannelUrl, participantsByRole, type Clock, type HostTable, type Topology, type TraceBus } from '@medmij-sandbox/network';
import { enrolmentHostname, type AnyListKind, type Enrolment } from '@medmij-sandbox/lists';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { notifyConsumer, type ListsNotice, type NoticeReport } from '@medmij-sandbox/stelselnode-client';
import { STELSELNODE, because, nest, said, say } from '@medmij-sandbox/rules';
import type { ListPublisher } from './publisher.js';

/** A consumer the stelselnode can tell: its hostname and the base URL its notice endpoint is under. */
export interface NoticeTarget {
  hostname: string;
  url: string;
  /** The lists it reads, when not all of them (the TVS reads the Whitelist only): it is told of those alone. */
  reads?: readonly AnyListKind[];
}

/** The consumers of a topology (and of its enrolments) that have somewhere to be told, in a fixed order. */
export function noticeTargets(topology: Topology, enrolled: readonly Enrolment[]): NoticeTarget[] {
  // The PGOs first, then the DVZAs, each by hostname, then the TVS: the order of the polls a clock move makes due
  // (a trace then reads the same whichever made the consumers fetch).
  const byHost = (a: NoticeTarget, b: NoticeTarget) => a.hostname.localeCompare(b.hostname);
  const own: NoticeTarget[] = [
    ...participantsByRole(topology, 'pgo')
      .flatMap((p) => (p.notificationPort ? [{ hostname: p.hostname, url: httpsBase(p.hostname, p.notificationPort) }] : []))
      .sort(byHost),
    ...participantsByRole(topology, 'dvza')
      .map((d) => ({ hostname: d.hostname, url: backchannelUrl(d)! }))
      .sort(byHost),
    ...participantsByRole(topology, 'tvs')
      .map((t) => ({ hostname: t.hostname, url: backchannelUrl(t)!, reads: ['Whitelist'] as const }))
      .sort(byHost),
  ];
  // An enrolled DVZA's back channel is where its token endpoint is; an enrolled PGO has none (it polls).
  const outside = enrolled.flatMap((e) => (e.role === 'dvza' ? [{ hostname: enrolmentHostname(e), url: new URL(e.tokenUrl).origin }] : []));
  return [...own, ...outside.filter((o) => !own.some((t) => t.hostname === o.hostname))];
}

function httpsBase(hostname: string, port: number): string {
  return port === 443 ? `https://${hostname}` : `https://${hostname}:${port}`;
}

/** What every list is served as now: two snapshots that differ for a list mean consumers must look again. */
export function servedSnapshot(publisher: ListPublisher): { epoch: number; lists: Map<AnyListKind, { key: string; volgnummer: number | null }> } {
  const lists = new Map<AnyListKind, { key: string; volgnummer: number | null }>();
  for (const l of publisher.status().lists) {
    lists.set(l.kind, {
      key: `${l.volgnummer}|${l.tijdstempel}|${l.fault ?? ''}|${l.rolledBack}`,
      volgnummer: l.fault === 'unavailable' ? null : l.volgnummer,
    });
  }
  return { epoch: publisher.resetEpoch(), lists };
}

/** The notice for the change between two snapshots; undefined when nothing a consumer sees changed. */
export function noticeBetween(before: ReturnType<typeof servedSnapshot>, after: ReturnType<typeof servedSnapshot>): ListsNotice | undefined {
  // A new reset number: every consumer must fetch (and so forget), whatever list changed.
  const all = before.epoch !== after.epoch;
  const lists = [...after.lists]
    .filter(([kind, now]) => all || before.lists.get(kind)?.key !== now.key)
    .map(([kind, now]) => ({ list: kind, volgnummer: now.volgnummer }));
  return lists.length ? { lists } : undefined;
}

export interface NotifierOptions {
  /** The stelselnode's hostname: it presents its client certificate. */
  hostname: string;
  targets: () => NoticeTarget[];
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
  hosts?: HostTable;
}

/** Tells every target of the notice, one after the other; the lines say what each answered. Never throws. */
export async function notifyAll(notice: ListsNotice, o: NotifierOptions): Promise<NoticeReport[]> {
  const reports: NoticeReport[] = [];
  for (const target of o.targets()) {
    const told = target.reads ? { lists: notice.lists.filter((l) => target.reads!.includes(l.list)) } : notice;
    if (told.lists.length === 0) continue;
    const lists = told.lists.map((l) => (l.volgnummer === null ? `${l.list} (not served)` : `${l.list} Volgnummer ${l.volgnummer}`)).join(', ');
    const result = await notifyConsumer(target.url, told, {
      from: o.hostname,
      pki: o.pki,
      clock: o.clock,
      bus: o.bus,
      ...(o.hosts ? { hosts: o.hosts } : {}),
    });
    const report = { consumer: target.hostname, lists: told.lists.map((l) => l.list) };
    if (result.ok) {
      const answer = result.answer.decisions.join('; ') || 'no decision';
      reports.push({ ...report, ok: true, line: say(said(STELSELNODE.notified, { consumer: target.hostname, lists, answer })) });
      continue;
    }
    const failed = said(STELSELNODE.notifyFailed, { consumer: target.hostname, lists, ...nest('problem', result.problem) });
    o.bus.emit({ reportedBy: o.hostname, from: o.hostname, to: target.hostname, kind: 'decision', outcome: 'warning', ...because(failed) });
    reports.push({ ...report, ok: false, line: say(failed) });
  }
  return reports;
}
