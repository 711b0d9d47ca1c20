/**
 * The reference PGO collecting through the person's browser, in each afsprakenstelsel, with the real stelselnode,
 * TVS and DVZA: in 2 the scope names the zorgaanbieder, the person ticks long-lived consent, and 16 sandbox minutes
 * later "fetch again" renews the expired access token with the refresh token — no DigiD; in 1.5 fetching again
 * after the token expired is refused (there is no refresh token).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, gegevensdienstOf, participantsByRole, sandboxPaths, type Afsprakenstelsel, type Topology } from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import type { RunningListener } from '@medmij-sandbox/transport';
import { HeadlessBrowser, walkThroughFlow } from '@medmij-sandbox/scenario';
import { generatePersonas, personaSetOf } from '@medmij-sandbox/fhir-data';
import { PGO_PATHS, type Collection, type SessionInfo } from '@medmij-sandbox/pgo-api';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';

const DAY = '2026-06-01';
const START = `${DAY}T10:00:00Z`;

describe.each(['2', '1.5'] as const)('the reference PGO, afsprakenstelsel %s', (afsprakenstelsel: Afsprakenstelsel) => {
  const clock = SandboxClock.frozenAt(START);
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let topology: Topology;
  let pki: SandboxPki;
  let pgoUrl: string;

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel }));
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, paths: sandboxPaths(dir), pki, clock, bus };
    listeners.push(...(await startStelselnode({ ...ctx, participant: participantsByRole(topology, 'stelselnode')[0]! })));
    listeners.push(...(await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! })));
    for (const dvza of participantsByRole(topology, 'dvza')) listeners.push(...(await startDvza({ ...ctx, participant: dvza })));
    listeners.push(...(await startPgo({ ...ctx, participant: participantsByRole(topology, 'pgo')[0]! })));
    pgoUrl = listeners.at(-1)!.url;
  });
  afterAll(() => Promise.all(listeners.map((l) => l.close())));

  it('collects the BgZ through the browser; fetching again after 16 minutes works only with 2.x long-lived consent', async () => {
    const bgz = gegevensdienstOf(topology, 'bgz')!.id;
    const patient = generatePersonas(personaSetOf(topology, DAY)).find(
      (p) => !p.deceasedDate && p.age >= 16 && p.providers.some((r) => r.providerId === 'dekroon' && r.gegevensdiensten.includes(bgz)),
    )!;
    const browser = new HeadlessBrowser({ pki, clock });
    const session = (await browser.request(`${pgoUrl}/api/session`)).json<SessionInfo>();
    const login = await browser.request(`${pgoUrl}/api/login`, { json: { username: 'demo', password: 'sandbox', totp: session.demoTotp.demo!.code } });
    expect(login.status).toBe(200);
    const started = await browser.request(`${pgoUrl}/api/collect`, { json: { zorgaanbiedernaam: 'dekroon@medmij', gegevensdienstId: bgz } });
    expect(started.status, started.text()).toBe(200);
    const { authorizeUrl, collectionId } = started.json<{ authorizeUrl: string; collectionId: string }>();
    expect(new URL(authorizeUrl).searchParams.get('scope')).toBe(afsprakenstelsel === '2' ? 'dekroon' : `dekroon~${bgz}`);

    const end = await walkThroughFlow(browser, {
      authorizeUrl,
      redirectUri: `${pgoUrl}${PGO_PATHS.callback}`,
      choices: { bsn: patient.bsn, login: 'success', level: 'substantieel', consent: 'ja', gegevensdiensten: [bgz], longLived: true },
      stopAtCallback: false,
    });
    expect(end.kind, end.response.text().slice(0, 300)).toBe('callback');
    const collected = (await browser.request(`${pgoUrl}/api/collections/${collectionId}`)).json<Collection>();
    expect(collected.status, JSON.stringify(collected.refusal)).toBe('collected');
    expect(collected.resourceCount).toBeGreaterThan(5);

    clock.shift('16m');
    const again = (await browser.request(`${pgoUrl}/api/collections/${collectionId}/refresh`, { method: 'POST', json: {} })).json<Collection>();
    if (afsprakenstelsel === '2') {
      expect(again.status, JSON.stringify(again.refusal)).toBe('collected');
      expect(again.resourceCount).toBe(collected.resourceCount);
      const exchanged = bus.events((e) => e.kind === 'decision' && e.ruleId === 'oauth.refresh.exchanged');
      expect(exchanged.length).toBeGreaterThan(0);
      // Hours later (the PGO sweeps what it holds when a collection starts), with two clicks at once: one refresh,
      // not two (the second would be a replay by the rightful client and end the consent).
      clock.shift('3h');
      await browser.request(`${pgoUrl}/api/collect`, { json: { zorgaanbiedernaam: 'rivierenland@medmij', gegevensdienstId: bgz } });
      const before = bus.events((e) => e.ruleId === 'oauth.refresh.exchanged').length;
      const twice = await Promise.all([1, 2].map(() => browser.request(`${pgoUrl}/api/collections/${collectionId}/refresh`, { method: 'POST', json: {} })));
      for (const r of twice) expect(r.json<Collection>().status, JSON.stringify(r.json<Collection>().refusal)).toBe('collected');
      expect(bus.events((e) => e.ruleId === 'oauth.refresh.exchanged').length).toBe(before + 1);
      expect(bus.events((e) => e.ruleId === 'oauth.refresh.replayed')).toHaveLength(0);
    } else {
      expect(again.status).toBe('refused');
    }
  });
});
