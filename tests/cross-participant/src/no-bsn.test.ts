/**
 * No BSN in the PGO's domain (SPEC §10.6: a DVP may not process the BSN; Nictiz's TestScripts: "Bundle does not use
 * BSN anywhere"), through the real network in each afsprakenstelsel: every persona collects every gegevensdienst at
 * every provider that knows them (and those who cannot, try), through the browser, DigiD and consent. Then the
 * collection does not use the BSN anywhere: no persona's BSN in any file the PGO stored, nor in any answer of its
 * API; every collected Patient carries the BSN masked. The files that do hold BSNs on the DVZA's side (audit log,
 * long-lived consents) and the PGO's collections are private (0600).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, participantsByRole, sandboxPaths, type Afsprakenstelsel, type SandboxPaths, type Topology } from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import type { RunningListener } from '@medmij-sandbox/transport';
import { HeadlessBrowser, walkThroughFlow } from '@medmij-sandbox/scenario';
import { generatePersonas, personaSetOf, type Persona } from '@medmij-sandbox/fhir-data';
import { PGO_PATHS, type Collection, type CollectionSummary, type SessionInfo } from '@medmij-sandbox/pgo-api';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startTvs } from '@medmij-sandbox/tvs';
import { startDvza } from '@medmij-sandbox/dvza';
import { startPgo } from '@medmij-sandbox/pgo';

const DAY = '2026-06-01';
const START = `${DAY}T10:00:00Z`;
const MASKED = {
  system: 'http://fhir.nl/fhir/NamingSystem/bsn',
  _value: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] },
};

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe.each(['2', '1.5'] as const)('no BSN in the PGO, afsprakenstelsel %s (real network)', (afsprakenstelsel: Afsprakenstelsel) => {
  const clock = SandboxClock.frozenAt(START);
  const bus = new TraceBus(clock);
  const listeners: RunningListener[] = [];
  let topology: Topology;
  let paths: SandboxPaths;
  let pki: SandboxPki;
  let pgoUrl: string;
  let personas: Persona[];

  beforeAll(async () => {
    const dir = tempDir();
    ({ topology } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY, afsprakenstelsel }));
    paths = sandboxPaths(dir);
    pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    const ctx = { topology, paths, pki, clock, bus };
    listeners.push(...(await startStelselnode({ ...ctx, participant: participantsByRole(topology, 'stelselnode')[0]! })));
    listeners.push(...(await startTvs({ ...ctx, participant: participantsByRole(topology, 'tvs')[0]! })));
    for (const dvza of participantsByRole(topology, 'dvza')) listeners.push(...(await startDvza({ ...ctx, participant: dvza })));
    listeners.push(...(await startPgo({ ...ctx, participant: participantsByRole(topology, 'pgo')[0]! })));
    pgoUrl = listeners.at(-1)!.url;
    personas = generatePersonas(personaSetOf(topology, DAY));
  });
  afterAll(() => Promise.all(listeners.map((l) => l.close())));

  it('every persona, every gegevensdienst, every provider: the collection does not use the BSN anywhere', async () => {
    const browser = new HeadlessBrowser({ pki, clock });
    const session = (await browser.request(`${pgoUrl}/api/session`)).json<SessionInfo>();
    const login = await browser.request(`${pgoUrl}/api/login`, { json: { username: 'demo', password: 'sandbox', totp: session.demoTotp.demo!.code } });
    expect(login.status).toBe(200);
    const dvzas = participantsByRole(topology, 'dvza');
    const canCollect = (p: Persona) => !p.deceasedDate && p.age >= 16;
    // The persona known nowhere tries the first provider (a negative beschikbaarheidstoets, whose reason names the BSN at the DVZA).
    const attempts = personas.flatMap((p) =>
      (p.providers.length
        ? p.providers
        : [{ providerId: dvzas[0]!.id, gegevensdiensten: [p.providers[0]?.gegevensdiensten[0] ?? topology.gegevensdiensten[0]!.id] }]
      ).flatMap((r) => r.gegevensdiensten.map((id) => ({ persona: p, dvza: dvzas.find((d) => d.id === r.providerId)!, id }))),
    );
    const collected: string[] = [];
    for (const [i, a] of attempts.entries()) {
      const started = await browser.request(`${pgoUrl}/api/collect`, { json: { zorgaanbiedernaam: a.dvza.zorgaanbiedernaam, gegevensdienstId: a.id } });
      expect(started.status, started.text()).toBe(200);
      const { authorizeUrl, collectionId } = started.json<{ authorizeUrl: string; collectionId: string }>();
      await walkThroughFlow(browser, {
        authorizeUrl,
        redirectUri: `${pgoUrl}${PGO_PATHS.callback}`,
        // The first with long-lived consent (2.x): the DVZA then keeps a consent file, named by BSN.
        choices: {
          bsn: a.persona.bsn,
          login: 'success',
          level: 'substantieel',
          consent: 'ja',
          gegevensdiensten: [a.id],
          longLived: i === 0 && afsprakenstelsel === '2',
        },
        stopAtCallback: false,
      });
      const c = (await browser.request(`${pgoUrl}/api/collections/${collectionId}`)).json<Collection>();
      const where = `${a.persona.key} at ${a.dvza.id}, ${a.id}`;
      if (canCollect(a.persona) && a.persona.providers.length) {
        expect(c.status, `${where}: ${JSON.stringify(c.refusal)}`).toBe('collected');
        const patient = c.resources.find((r) => r.resourceType === 'Patient') as { identifier?: unknown[] } | undefined;
        expect(patient?.identifier, where).toEqual([MASKED]);
        // Masked by the DVZA: nothing for the PGO to drop.
        expect(c.bsnWithheld, where).toBeUndefined();
        collected.push(collectionId);
      } else {
        expect(c.status, where).toBe('refused');
      }
    }
    expect(collected.length).toBeGreaterThan(10);

    const bsns = personas.map((p) => p.bsn);
    const leaks = (what: string, text: string) => bsns.filter((b) => text.includes(b)).map((b) => `${what} holds ${b}`);
    // The PGO's API: the list and every collection, as the web UI reads them.
    const list = await browser.request(`${pgoUrl}/api/collections`);
    const summaries = list.json<{ collections: CollectionSummary[] }>().collections;
    expect(summaries.length).toBe(attempts.length);
    const answers = [list, ...(await Promise.all(summaries.map((s) => browser.request(`${pgoUrl}/api/collections/${s.id}`))))];
    expect(answers.flatMap((r) => leaks(String(r.url), r.text()))).toEqual([]);
    // Everything the PGO stored: its collections and the rest of its folder.
    const pgoDir = join(paths.root, 'pgo');
    const stored = filesUnder(pgoDir);
    expect(stored.some((f) => f.startsWith(paths.pgoCollections('pgo')))).toBe(true);
    expect(stored.flatMap((f) => leaks(f, readFileSync(f, 'utf8')))).toEqual([]);

    // Private: the PGO's collections (health data), the DVZA's audit logs and consents (they name patients by BSN).
    const privateFiles = [
      ...stored.filter((f) => f.startsWith(paths.pgoCollections('pgo'))),
      ...dvzas.map((d) => paths.dvzaAudit(d.id)),
      ...(afsprakenstelsel === '2' ? [paths.dvzaConsents(attempts[0]!.dvza.id)] : []),
    ];
    for (const f of privateFiles) expect(`${f}: ${(statSync(f).mode & 0o777).toString(8)}`).toBe(`${f}: 600`);
    // The DVZA does know the BSN (its audit log says whose data it served): kept there, not sent.
    expect(readFileSync(paths.dvzaAudit(attempts[0]!.dvza.id), 'utf8')).toContain(attempts[0]!.persona.bsn);
  });
});
