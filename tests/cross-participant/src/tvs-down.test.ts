/**
 * A TVS whose back channel is down, seen from the PGO: the person logs in at the TVS, but the DVZA cannot redeem
 * the code. The DVZA sends `temporarily_unavailable` back to the PGO (RFC 6749 §4.1.2.1: a passing fault, the
 * person may try again), not `access_denied` (which says the person or the provider refused). Real HTTPS and mTLS
 * between the real stelselnode, TVS, DVZA and a scripted PGO.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, backchannelUrl, participantsByRole, sandboxPaths, type Participant, type Topology } from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { ListConsumer } from '@medmij-sandbox/lists';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import type { RunningListener } from '@medmij-sandbox/transport';
import { generatePersonas, personaSetOf } from '@medmij-sandbox/fhir-data';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { DVZA_TO_CLIENT } from '@medmij-sandbox/rules';
import { ScriptedPgo } from '@medmij-sandbox/test-support';

const DAY = '2026-06-01';

describe('the TVS is down: the DVZA answers the PGO temporarily_unavailable', () => {
  const clock = SandboxClock.frozenAt(`${DAY}T10:00:00Z`);
  const bus = new TraceBus(clock);
  let topology: Topology;
  let pgo: ScriptedPgo;
  let dekroon: Extract<Participant, { role: 'dvza' }>;
  let tvsBack: RunningListener;
  const listeners: RunningListener[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel: '1.5' }));
    const pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, paths: sandboxPaths(dir), pki, clock, bus };
    const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
    listeners.push(...(await startStelselnode({ ...ctx, participant: stelselnode })));
    const [tvsFront, back] = await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! });
    listeners.push(tvsFront!);
    tvsBack = back!;
    dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
    listeners.push(...(await startDvza({ ...ctx, participant: dekroon })));
    const pgoHost = participantsByRole(topology, 'pgo')[0]!;
    const lists = new ListConsumer({ stelselnodeUrl: backchannelUrl(stelselnode)!, participant: pgoHost.hostname, pki, clock, bus });
    await lists.refresh();
    pgo = new ScriptedPgo({
      pgoHostname: pgoHost.hostname,
      redirectUri: `https://${pgoHost.hostname}:${pgoHost.frontchannelPort}/oauth/callback`,
      pki,
      clock,
      bus,
      lists,
    });
  });
  afterAll(async () => Promise.all([...listeners, tvsBack].map((l) => l.close())));

  it('the login succeeds at the TVS, the code cannot be redeemed: temporarily_unavailable, the reason on the trace', async () => {
    // The TVS's back channel stops; its login pages stay up (the person can log in, the DVZA cannot redeem).
    await tvsBack.close();
    const patient = generatePersonas(personaSetOf(topology, DAY)).find(
      (p) => !p.deceasedDate && p.age >= 16 && p.providers.some((r) => r.providerId === 'dekroon' && r.gegevensdiensten.includes('1')),
    )!;
    const flow = await pgo.authorize(dekroon.zorgaanbiedernaam, '1', { bsn: patient.bsn });
    expect(flow.callback.get('code')).toBeNull();
    expect(flow.callback.get('error')).toBe('temporarily_unavailable');
    expect(flow.callback.get('error_description')).toBe(DVZA_TO_CLIENT.tvsUnreachable.description.en({ outcome: '', description: '' }));
    expect(flow.callback.get('state')).toBe(flow.state);
    const refusal = bus.events((e) => e.reportedBy === dekroon.hostname && e.ruleId === DVZA_TO_CLIENT.tvsUnreachable.id).at(-1);
    expect(refusal?.reason).toMatch(
      /^DigiD login ended without identity: tvs_unreachable \(the TVS back channel could not be reached: nothing listens at tvs\.localhost/,
    );
    expect(refusal?.reason).toMatch(/→ temporarily_unavailable to pgo\.localhost$/);
  });
});
