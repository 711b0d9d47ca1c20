/**
 * Issue 16, list consumers that never fetch per request: the stelselnode tells the DVZA (its back channel), the
 * PGO (its notice listener) and the TVS (its back channel, of the Whitelist only) of every change, over mutual TLS with its own client certificate; they fetch and check
 * the lists as always, and flows use what they hold. The sandbox clock is frozen throughout, so no fallback poll
 * can happen unless a test moves the clock.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  TraceBus,
  backchannelUrl,
  frontchannelUrl,
  participantsByRole,
  sandboxPaths,
  type Topology,
  type TraceEvent,
} from '@medmij-sandbox/network';
import { tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, type RunningListener } from '@medmij-sandbox/transport';
import { LISTS_NOTICE_PATH, StelselnodeControl } from '@medmij-sandbox/stelselnode-client';
import { listKindsOf } from '@medmij-sandbox/lists';
import { listDecisions } from '@medmij-sandbox/scenario';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';
import { startTvs } from '@medmij-sandbox/tvs';

const PGO = 'pgo.localhost';
const DVZA = 'dekroon.dvza.localhost';
const STELSELNODE = 'stelselnode.localhost';
const TVS = 'tvs.localhost';

describe('list notices across participants', () => {
  const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let topology: Topology;
  let pki: SandboxPki;
  let control: StelselnodeControl;
  const kinds = listKindsOf('1.5');

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeTestTopology(dir, { referenceDate: '2026-06-01' }));
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const paths = sandboxPaths(dir);
    const ctx = { topology, paths, pki, clock, bus };
    const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
    listeners.push(...(await startStelselnode({ ...ctx, participant: stelselnode })));
    listeners.push(...(await startDvza({ ...ctx, participant: participantsByRole(topology, 'dvza')[0]! })));
    listeners.push(...(await startPgo({ ...ctx, participant: participantsByRole(topology, 'pgo')[0]! })));
    listeners.push(...(await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! })));
    control = new StelselnodeControl({ url: backchannelUrl(stelselnode)!, tokenFile: paths.stelselnode.controlToken, from: 'test', pki, clock });
  });
  afterAll(() => Promise.all(listeners.map((l) => l.close())));

  const since = () => bus.events().at(-1)?.seq ?? 0;
  const after = (seq: number, filter: (e: TraceEvent) => boolean = () => true) => bus.events((e) => e.seq > seq && filter(e));
  const listFetch = (e: TraceEvent) => e.kind === 'http' && e.side === 'server' && e.to === STELSELNODE && /^\/MedMij_\w+\.xml/.test(e.url ?? '');

  it('the stelselnode publishes; the DVZA, the PGO and the TVS take the new lists without any flow request and without a poll', async () => {
    const before = since();
    const answer = await control.change('publish');
    // Answered once both decided: whom it told, in the order of its notices.
    expect(answer.notified?.map((n) => [n.consumer, n.ok])).toEqual([
      [PGO, true],
      [DVZA, true],
      [TVS, true],
    ]);
    expect(answer.notified?.[1]?.line).toMatch(
      /^told dekroon\.dvza\.localhost of Zorgaanbiederslijst Volgnummer 2, .*accepted Whitelist Volgnummer 2 \(was 1\)/,
    );
    const events = after(before);
    // The TVS reads the Whitelist alone: it is told of that one, and fetches that one.
    for (const [host, reads] of [
      [PGO, kinds],
      [DVZA, kinds],
      [TVS, ['Whitelist']],
    ] as const) {
      const notice = events.find((e) => e.reportedBy === host && e.ruleId === 'lists.notice.received');
      expect(notice, host).toMatchObject({
        from: STELSELNODE,
        reason: expect.stringMatching(new RegExp(`^stelselnode\\.localhost announced ${reads[0]} Volgnummer 2${reads.length > 1 ? ', ' : ':'}`)),
      });
      const accepted = events.filter((e) => e.reportedBy === host && e.ruleId === 'lists.validate.accepted');
      expect(accepted.map((e) => e.params?.kind)).toEqual(reads);
      expect(accepted.every((e) => e.seq > notice!.seq && e.params?.volgnummer === 2)).toBe(true);
      // It fetched each list once, after the notice: the notice itself carried no list.
      const fetches = events.filter((e) => listFetch(e) && e.from === host);
      expect(fetches).toHaveLength(reads.length);
      expect(fetches.every((e) => e.seq > notice!.seq)).toBe(true);
    }
    // The notice came in over mutual TLS with the stelselnode's own client certificate.
    const received = events.filter((e) => e.kind === 'http' && e.side === 'server' && e.url === LISTS_NOTICE_PATH);
    expect(received.map((e) => [e.to, e.from, e.status, e.tls?.verdict])).toEqual([
      [PGO, STELSELNODE, 200, 'ok'],
      [DVZA, STELSELNODE, 200, 'ok'],
      [TVS, STELSELNODE, 200, 'ok'],
    ]);
    // Nothing but the notice moved them: no flow, no search, no poll.
    expect(events.filter((e) => e.kind === 'http' && /^\/(oauth|api)\//.test(e.url ?? ''))).toEqual([]);
  });

  it('20 authorization requests and 20 token requests at the DVZA fetch no list', async () => {
    const dvza = participantsByRole(topology, 'dvza')[0]!;
    const pgo = participantsByRole(topology, 'pgo')[0]!;
    const url = new URL(`${frontchannelUrl(dvza)}/oauth/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: PGO,
      redirect_uri: `${frontchannelUrl(pgo)}/oauth/callback`,
      scope: `dekroon~${dvza.gegevensdiensten[0]}`,
      state: 'notice-test-state',
    }).toString();
    const before = since();
    for (let i = 0; i < 20; i++) {
      const r = await hop(url.toString(), { from: 'browser', clientCertificate: false, expectServerCertificate: 'browser', pki, clock });
      expect(r.status).toBeLessThan(500);
      const token = await hop(`${backchannelUrl(dvza)}/oauth/token`, {
        method: 'POST',
        from: PGO,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'no-such-code',
          redirect_uri: `${frontchannelUrl(pgo)}/oauth/callback`,
          client_id: PGO,
        }).toString(),
        pki,
        clock,
      });
      expect(token.status).toBe(400);
    }
    const events = after(before);
    // The lists were used (every request checked the client against the OAuthclientlist it holds) ...
    expect(events.filter((e) => e.reportedBy === DVZA && e.kind === 'decision' && (e.reason ?? '').includes('is on the OAuthclientlist')).length).toBe(20);
    // ... and not one was fetched.
    expect(events.filter(listFetch)).toEqual([]);
  });

  it('a notice from anyone but the stelselnode is refused and fetches nothing', async () => {
    const before = since();
    const dvza = participantsByRole(topology, 'dvza')[0]!;
    // The PGO's own client certificate: valid in the sandbox PKI, but not the stelselnode's.
    const r = await hop(`${backchannelUrl(dvza)}${LISTS_NOTICE_PATH}`, {
      method: 'POST',
      from: PGO,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lists: [{ list: 'Whitelist', volgnummer: 99 }] }),
      pki,
      clock,
    });
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({
      error: 'not_the_stelselnode',
      message: `a list notice from ${PGO} refused: only ${STELSELNODE} may announce lists, by the hostname in its client certificate; nothing fetched`,
    });
    const events = after(before);
    expect(events.find((e) => e.ruleId === 'lists.notice.refused')).toMatchObject({ reportedBy: DVZA, from: PGO, outcome: 'refused' });
    expect(events.filter(listFetch)).toEqual([]);
  });

  it('a clock move of a poll interval or more makes each consumer poll once, on the sandbox clock', async () => {
    // Frozen: nothing served changes, so the stelselnode tells nobody; the lists only age.
    expect((await control.change('freeze')).notified).toBeUndefined();
    const before = since();
    clock.shift('3h');
    const reads = new Map<string, readonly string[]>([
      [PGO, kinds],
      [DVZA, kinds],
      [TVS, ['Whitelist']],
    ]);
    const behind = await listDecisions(bus, { stelselnodeHost: STELSELNODE, wanted: new Map([...reads].map(([h, r]) => [h, r.length])), sinceSeq: before });
    expect(behind).toEqual([]);
    const events = after(before);
    for (const [host, lists] of reads) {
      expect(
        events.filter((e) => e.reportedBy === host && e.kind === 'decision').map((e) => e.ruleId),
        host,
      ).toEqual(lists.map(() => 'lists.validate.unchanged'));
      expect(events.filter((e) => listFetch(e) && e.from === host)).toHaveLength(lists.length);
    }
    // The PGO polled first (its turn), then the DVZA, then the TVS (by hostname): the same order on every run.
    expect([...new Set(events.filter(listFetch).map((e) => e.from))]).toEqual([PGO, DVZA, TVS]);
    await control.change('unfreeze');
  });
});
