/**
 * The PGO's stored collections hold no BSN (SPEC §10.6) and are private: at start the Collector purges what an older
 * sandbox stored with a BSN in it (rewritten without, the identifier masked, the collection saying so, the trace
 * saying what was done), and every file is 0600. Unit: the store on a temporary folder, the Collector's start.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import type { SandboxPki } from '@medmij-sandbox/pki';
import type { Collection } from '@medmij-sandbox/pgo-api';
import { CollectionStore } from './collection-store.js';
import { Collector } from './collector.js';
import type { PgoLists } from './pgo-lists.js';

const BSN = '999911120';
const BSN_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/bsn';
const MASKED = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] };

const collection = (id: string, resources: Collection['resources']): Collection => ({
  id,
  traceId: `trace-${id}`,
  zorgaanbiedernaam: 'dekroon@medmij',
  displayName: 'Huisartsenpraktijk De Kroon',
  gegevensdienstId: '48',
  weergavenaam: 'Verzamelen Basisgegevens zorg 3.0',
  startedAt: '2026-06-01T10:00:00.000Z',
  status: 'collected',
  resourceCount: resources.length,
  resources,
  queries: [],
});
const patient = (identifier: unknown[]) => ({ resourceType: 'Patient', id: 'p1', identifier, name: [{ text: 'Els Jansen' }] });
const condition = { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1', identifier: { system: BSN_SYSTEM, value: BSN } } };
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

function startCollector(dir: string, bus: TraceBus, clock: SandboxClock): Collector {
  return new Collector({
    hostname: 'pgo.localhost',
    redirectUri: 'https://pgo.localhost:8750/oauth/callback',
    // Never used: the purge runs at start, before any flow.
    lists: {} as PgoLists,
    pki: undefined as unknown as SandboxPki,
    clock,
    bus,
    random: (purpose) => new SeededRandom('unit').stream(purpose),
    gegevensdienstKey: () => 'bgz',
    directory: new Map(),
    storeDir: dir,
  });
}

describe('stored collections without a BSN (SPEC §10.6)', () => {
  it('at start, a stored collection with a BSN is rewritten without it, the trace says so, and every file becomes 0600', () => {
    const dir = tempDir();
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00.000Z');
    const bus = new TraceBus(clock);
    // As an older sandbox left them: world-readable, one user with BSNs (two collections, one clean), one without any.
    const demo = join(dir, 'demo.json');
    const leaky = [
      collection('a1', [
        patient([
          { system: BSN_SYSTEM, value: BSN },
          { system: 'urn:oid:2.16.528.1.1007.3.3.1', value: 'mrn-7' },
        ]),
        condition,
      ]),
      collection('a2', [{ resourceType: 'Observation', id: 'o1', status: 'final' }]),
    ];
    writeFileSync(demo, JSON.stringify(leaky), { mode: 0o644 });
    const other = join(dir, 'other%40example.json');
    const clean = JSON.stringify([collection('b1', [patient([{ system: BSN_SYSTEM, _value: MASKED }])])]);
    writeFileSync(other, clean, { mode: 0o644 });
    const damaged = join(dir, 'broken.json');
    writeFileSync(damaged, '{ not json', { mode: 0o644 });

    const collector = startCollector(dir, bus, clock);

    expect(readFileSync(demo, 'utf8')).not.toContain(BSN);
    const a1 = collector.load('demo', 'a1')!;
    expect(a1.resources[0]!.identifier).toEqual([
      { system: BSN_SYSTEM, _value: MASKED },
      { system: 'urn:oid:2.16.528.1.1007.3.3.1', value: 'mrn-7' },
    ]);
    expect(a1.resources[1]!.subject).toEqual({ reference: 'Patient/p1', identifier: { system: BSN_SYSTEM, _value: MASKED } });
    expect(a1.bsnWithheld).toEqual({
      identifiers: 2,
      note: {
        nl: "Deze verzameling bevatte 2 BSN's (bewaard door een eerdere versie). Een PGO mag het BSN niet verwerken: deze PGO heeft het bij de start verwijderd.",
        en: 'This collection held 2 BSNs (stored by an earlier version). A PGO may not process the BSN: this PGO removed it at start.',
      },
    });
    // Everything else of the collections is as it was.
    expect({ ...a1, resources: undefined, bsnWithheld: undefined }).toEqual({ ...leaky[0], resources: undefined });
    expect(collector.load('demo', 'a2')).toEqual(leaky[1]);
    // A clean file keeps its content; a damaged one is left as it is (not lost); all are private now.
    expect(readFileSync(other, 'utf8')).toBe(clean);
    expect(readFileSync(damaged, 'utf8')).toBe('{ not json');
    expect([mode(demo), mode(other), mode(damaged)]).toEqual(['600', '600', '600']);

    const purged = bus.events((e) => e.ruleId === 'pgo.privacy.bsn-purged');
    expect(purged).toHaveLength(1);
    expect(purged[0]).toMatchObject({
      reportedBy: 'pgo.localhost',
      kind: 'decision',
      outcome: 'warning',
      params: { user: 'demo', collections: 1, identifiers: 2 },
      reason: 'at start: 2 BSN value(s) in 1 stored collection(s) of demo removed; the collections were rewritten without them',
      rule: 'SPEC §10.6 the PGO (DVP) does not process the BSN',
    });

    // The next start finds nothing to do.
    const again = new TraceBus(clock);
    startCollector(dir, again, clock);
    expect(again.events()).toEqual([]);
  });

  it("reads an older sandbox's refusal, whose rule is English text only, in both languages", () => {
    const dir = tempDir();
    const refused = {
      ...collection('r', []),
      status: 'refused',
      refusal: {
        code: 'list_expired',
        step: 'lists',
        title: { nl: 't', en: 't' },
        explanation: { nl: 'e', en: 'e' },
        rule: 'SPEC §3.4 no new flow on an expired list',
      },
    };
    const unknown = { ...refused, id: 'u', refusal: { ...refused.refusal, rule: 'SPEC §9 a rule of elsewhere' } };
    writeFileSync(join(dir, 'demo.json'), JSON.stringify([refused, unknown]));
    const store = new CollectionStore(dir);
    expect(store.load('demo', 'r')?.refusal).toMatchObject({
      rule: { en: 'SPEC §3.4 no new flow on an expired list', nl: 'SPEC §3.4 geen nieuwe uitwisseling op een verlopen lijst' },
      ruleId: 'lists.age.no-flow-on-expired',
    });
    expect(store.load('demo', 'u')?.refusal?.rule).toEqual({ en: 'SPEC §9 a rule of elsewhere', nl: 'SPEC §9 a rule of elsewhere' });
  });

  it('writes every collection file 0600', () => {
    const dir = tempDir();
    const store = new CollectionStore(dir);
    store.save('demo', collection('x', []));
    expect(mode(join(dir, 'demo.json'))).toBe('600');
  });
});
