/**
 * Issue 16, the list consumers: a running stelselnode serves a future-dated Zorgaanbiederslijst (a year ahead,
 * Volgnummer 50 on: the list an attacker would make to pin every consumer), and the consumers in the other
 * participants — a DVZA and the PGO, each over real HTTPS, told of each change by the stelselnode's notice —
 * refuse it, keep the list they hold, and take the real one after it. Then `lists reset` (the control API) makes each of them forget what it holds, without a restart,
 * and says where. In both afsprakenstelsels.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, backchannelUrl, participantsByRole, sandboxPaths, type Afsprakenstelsel, type TraceEvent } from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, type HopResponse, type RunningListener } from '@medmij-sandbox/transport';
import { StelselnodeControl, type ControlAction, type ControlBodies } from '@medmij-sandbox/stelselnode-client';
import type { ListsInfo, SessionInfo } from '@medmij-sandbox/pgo-api';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';

const START = '2026-06-01T10:00:00Z';
const PGO = 'pgo.localhost';
const DVZA = 'dekroon.dvza.localhost';

describe.each(['2', '1.5'] as const)('list consumers across participants, afsprakenstelsel %s', (afsprakenstelsel: Afsprakenstelsel) => {
  const clock = SandboxClock.frozenAt(START);
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let pki: SandboxPki;
  let control: StelselnodeControl;
  let pgoUrl: string;
  let cookie: string;

  beforeAll(async () => {
    const dir = tempDir();
    const { topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: '2026-06-01', afsprakenstelsel });
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const paths = sandboxPaths(dir);
    const ctx = { topology, paths, pki, clock, bus };
    const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
    listeners.push(...(await startStelselnode({ ...ctx, participant: stelselnode })));
    const dekroon = participantsByRole(topology, 'dvza').find((d) => d.hostname === DVZA)!;
    listeners.push(...(await startDvza({ ...ctx, participant: dekroon })));
    listeners.push(...(await startPgo({ ...ctx, participant: participantsByRole(topology, 'pgo')[0]! })));
    pgoUrl = listeners.at(-1)!.url;
    control = new StelselnodeControl({ url: backchannelUrl(stelselnode)!, tokenFile: paths.stelselnode.controlToken, from: 'test', pki, clock });
    const session = (await browser(`${pgoUrl}/api/session`)).json<SessionInfo>();
    const login = await browser(`${pgoUrl}/api/login`, { username: 'demo', password: 'sandbox', totp: session.demoTotp.demo!.code });
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(() => Promise.all(listeners.map((l) => l.close())));

  function browser(url: string, json?: unknown): Promise<HopResponse> {
    return hop(url, {
      from: 'browser',
      clientCertificate: false,
      expectServerCertificate: 'browser',
      method: json === undefined ? 'GET' : 'POST',
      headers: { ...(cookie ? { cookie } : {}), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
      pki,
      clock,
    });
  }

  /**
   * A change through the control API: the stelselnode tells the PGO and the DVZA (its notice), and answers once
   * both decided. The decisions they reported meanwhile, and what the stelselnode said it did.
   */
  async function change<A extends ControlAction>(action: A, body?: ControlBodies[A]): Promise<{ done: string[]; decisions: TraceEvent[] }> {
    const since = bus.events().at(-1)?.seq ?? 0;
    const answer = await control.change(action, body);
    expect(answer.notified?.filter((n) => n.ok).map((n) => n.consumer)).toEqual([PGO, DVZA]);
    // Their decisions on the lists, not the notice they got.
    const decided = (e: TraceEvent) => e.kind === 'decision' && e.ruleId !== 'lists.notice.received' && (e.reportedBy === PGO || e.reportedBy === DVZA);
    return { done: answer.done, decisions: bus.events((e) => e.seq > since && decided(e)) };
  }
  const zalOf = (decisions: TraceEvent[], host: string) => decisions.filter((e) => e.reportedBy === host && (e.reason ?? '').includes('Zorgaanbiederslijst'));
  const pgoHolds = async () => (await browser(`${pgoUrl}/api/lists`)).json<ListsInfo>().lists.find((l) => l.kind === 'Zorgaanbiederslijst')!;

  it('a future-dated Zorgaanbiederslijst is refused by the PGO and the DVZA and pins neither; the real one after it is taken', async () => {
    const real = (await pgoHolds()).volgnummer as number;
    expect(real).toBeGreaterThan(0);
    const { done, decisions: refused } = await change('fault', { list: 'Zorgaanbiederslijst', fault: 'future-dated' });
    expect(done).toEqual(['Zorgaanbiederslijst: now serving a future-dated list']);

    for (const host of [PGO, DVZA]) {
      expect(zalOf(refused, host)[0], host).toMatchObject({
        outcome: 'refused',
        ruleId: 'lists.age.future-dated',
        reason: `Zorgaanbiederslijst Volgnummer ${real + 50} is dated in the future: its Tijdstempel 2027-06-01T10:00:00Z is 365d ahead of our time 2026-06-01T10:00:00.000Z (at most 5m allowed); refused, its Volgnummer counts for nothing; keeping Volgnummer ${real} (published ${START})`,
      });
    }
    expect(await pgoHolds()).toMatchObject({
      volgnummer: real,
      status: 'fresh',
      lastDecision: { en: expect.stringContaining('is dated in the future'), nl: expect.stringContaining('is in de toekomst gedateerd') },
    });

    await change('fault', { list: 'Zorgaanbiederslijst', fault: 'none' });
    const { decisions: taken } = await change('publish');
    for (const host of [PGO, DVZA]) {
      expect(zalOf(taken, host)[0], host).toMatchObject({
        outcome: 'ok',
        reason: expect.stringContaining(`accepted Zorgaanbiederslijst Volgnummer ${real + 1} (was ${real})`),
      });
    }
    expect((await pgoHolds()).volgnummer).toBe(real + 1);
  });

  it('`lists reset` makes each consumer forget the lists and Volgnummers it holds at its next fetch, without a restart, and says where', async () => {
    const held = (await pgoHolds()).volgnummer as number;
    const { done, decisions: after } = await change('reset');
    expect(done.at(-1)).toMatch(
      new RegExp(
        `^reset \\d+: every list consumer forgets the lists and Volgnummers it holds at its next fetch here .*: ${DVZA.replace(/\./g, '\\.')}, ${PGO.replace(/\./g, '\\.')}$`,
      ),
    );
    for (const host of [PGO, DVZA]) {
      const mine = after.filter((e) => e.reportedBy === host);
      expect(mine[0], host).toMatchObject({
        ruleId: 'lists.sandbox.forgotten',
        reason: expect.stringContaining(`forgot Zorgaanbiederslijst Volgnummer ${held}`),
      });
      // Taken as on a first fetch: no "(was …)", so no high-water mark was left.
      expect(
        zalOf(mine, host).find((e) => e.ruleId === 'lists.validate.accepted'),
        host,
      ).toMatchObject({
        reason: expect.stringMatching(new RegExp(`^accepted Zorgaanbiederslijst Volgnummer ${held}, valid`)),
      });
      expect(
        mine.filter((e) => e.ruleId === 'lists.sandbox.forgotten'),
        host,
      ).toHaveLength(1);
    }
  });
});
