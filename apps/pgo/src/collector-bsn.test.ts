/**
 * The PGO's second line of defence (SPEC §10.6): a DVZA that sends the BSN unmasked — here a scripted one on the
 * DVZA's real host certificate, over mutual TLS with the sandbox PKI — gets its BSN values dropped before the PGO
 * keeps anything: the identifier stays, marked masked; the collection says the PGO dropped it (bilingual); the trace
 * says so too. The resource itself is kept (the person's name, birth date and huisarts are what they came for).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, participantsByRole, type Participant } from '@medmij-sandbox/network';
import { tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { Collector } from './collector.js';
import type { PgoLists } from './pgo-lists.js';

const NOW = '2026-06-01T10:00:00.000Z';
const BSN = '999911120';
const BSN_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/bsn';

describe('a DVZA that sends the BSN unmasked: the PGO drops it', () => {
  const clock = SandboxClock.frozenAt(NOW);
  const bus = new TraceBus(clock);
  const storeDir = tempDir();
  let listener: RunningListener;
  let collector: Collector;
  let dvza: Extract<Participant, { role: 'dvza' }>;

  beforeAll(async () => {
    const dir = tempDir();
    const { topology } = await writeTestTopology(dir, { referenceDate: NOW.slice(0, 10) });
    const pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    dvza = participantsByRole(topology, 'dvza')[0]!;
    // The scripted DVZA: a token for any code, and a Patient with its BSN in clear (and in a reference) for every search.
    const app = new Hono();
    // A leaky DVZA puts the BSN in its free text too: an error_description, an OperationOutcome's diagnostics.
    app.post('/oauth/token', async (c) => {
      const code = new URLSearchParams(await c.req.text()).get('code');
      if (code === 'code-leaky') return c.json({ error: 'invalid_grant', error_description: `code of patient ${BSN} (BSN 999.911.120) expired` }, 400);
      return c.json({ access_token: code === 'code-leaky-fhir' ? 'at-leaky' : 'at-1', token_type: 'Bearer', expires_in: 900 });
    });
    const typeOf = (path: string) => path.split('/')[2];
    app.get('/fhir/*', (c) =>
      c.req.header('authorization') === 'Bearer at-leaky'
        ? c.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: `no access to 999 911 120 (${BSN})` }] }, 403)
        : c.json({
            resourceType: 'Bundle',
            type: 'searchset',
            entry:
              typeOf(c.req.path) === 'Patient'
                ? [
                    {
                      resource: {
                        resourceType: 'Patient',
                        id: 'p1',
                        identifier: [{ system: BSN_SYSTEM, value: BSN }],
                        name: [{ text: 'Els Jansen' }],
                        birthDate: '1970-01-01',
                      },
                    },
                  ]
                : typeOf(c.req.path) === 'Condition'
                  ? [
                      {
                        resource: { resourceType: 'Condition', id: 'c1', subject: { identifier: { system: 'urn:oid:2.16.840.1.113883.2.4.6.3', value: BSN } } },
                      },
                    ]
                  : [],
          }),
    );
    listener = await listen({ participant: dvza, kind: 'backchannel', port: dvza.backchannelPort!, fetch: app.fetch, pki, clock, bus });
    const back = `https://${dvza.hostname}:${dvza.backchannelPort}`;
    const entry = {
      gegevensdienstId: '1',
      authorizationEndpointUri: `https://${dvza.hostname}:${dvza.frontchannelPort}/oauth/authorize`,
      tokenEndpointUri: `${back}/oauth/token`,
      systeemrollen: [{ systeemrolcode: 'MM-1.0.0-BZB-FHIR', resourceEndpointUri: `${back}/fhir` }],
    };
    const list = (kind: string) =>
      ({
        Zorgaanbiederslijst: { volgnummer: 1, zorgaanbieders: [{ zorgaanbiedernaam: dvza.zorgaanbiedernaam, gegevensdiensten: [entry] }] },
        Gegevensdienstnamenlijst: { gegevensdiensten: [{ gegevensdienstId: '1', weergavenaam: 'Basisgegevens Zorg (BgZ)' }] },
        Whitelist: { nodes: [dvza.hostname] },
      })[kind];
    const lists = {
      afsprakenstelsel: '1.5',
      current: list,
      require: list,
      identifiersOf: () => [],
      refresh: async () => undefined,
    } as unknown as PgoLists;
    const streams = new Map<string, ReturnType<SeededRandom['stream']>>();
    collector = new Collector({
      hostname: 'pgo.localhost',
      redirectUri: 'https://pgo.localhost:8750/oauth/callback',
      lists,
      pki,
      clock,
      bus,
      random: (purpose) => streams.get(purpose) ?? streams.set(purpose, new SeededRandom('unit').stream(purpose)).get(purpose)!,
      gegevensdienstKey: () => 'bgz',
      directory: new Map(),
      storeDir,
    });
  });
  afterAll(() => listener?.close());

  it('keeps the resources without the BSN values, says so in the collection and the trace, and stores none', async () => {
    const started = await collector.start('demo', dvza.zorgaanbiedernaam, '1');
    if (!('authorizeUrl' in started)) throw new Error(`the PGO did not start: ${JSON.stringify(started.refusal)}`);
    const state = new URL(started.authorizeUrl).searchParams.get('state')!;
    const collection = await collector.callback('demo', new URLSearchParams({ code: 'code-1', state }));
    expect(collection.status, JSON.stringify(collection.refusal)).toBe('collected');
    const masked = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] };
    expect(collection.resources.find((r) => r.resourceType === 'Patient')).toEqual({
      resourceType: 'Patient',
      id: 'p1',
      identifier: [{ system: BSN_SYSTEM, _value: masked }],
      name: [{ text: 'Els Jansen' }],
      birthDate: '1970-01-01',
    });
    expect(collection.resources.find((r) => r.resourceType === 'Condition')!.subject).toEqual({
      identifier: { system: 'urn:oid:2.16.840.1.113883.2.4.6.3', _value: masked },
    });
    expect(collection.bsnWithheld).toEqual({
      identifiers: 2,
      note: {
        nl: "De zorgaanbieder stuurde 2 BSN's onafgeschermd mee. Een PGO mag het BSN niet verwerken: deze PGO heeft het weggelaten voordat iets werd bewaard.",
        en: 'The care provider sent 2 BSNs unmasked. A PGO may not process the BSN: this PGO dropped it before keeping anything.',
      },
    });
    expect(readFileSync(join(storeDir, 'demo.json'), 'utf8')).not.toContain(BSN);
    expect(JSON.stringify(collector.load('demo', collection.id))).not.toContain(BSN);
    const dropped = bus.events((e) => e.ruleId === 'pgo.privacy.bsn-dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ outcome: 'warning', traceId: collection.traceId, params: { identifiers: 2 } });
    // Nothing the PGO reported holds the BSN either.
    expect(JSON.stringify(bus.events((e) => e.reportedBy === 'pgo.localhost'))).not.toContain(BSN);
  });

  it('keeps and shows no BSN a leaky DVZA put in its free text (error_description, OperationOutcome diagnostics)', async () => {
    const begin = async () => {
      const started = await collector.start('leaky', dvza.zorgaanbiedernaam, '1');
      if (!('authorizeUrl' in started)) throw new Error(`the PGO did not start: ${JSON.stringify(started.refusal)}`);
      return new URL(started.authorizeUrl).searchParams.get('state')!;
    };
    const atCallback = await collector.callback(
      'leaky',
      new URLSearchParams({ error: 'access_denied', error_description: `patient ${BSN} is not known here`, state: await begin() }),
    );
    const atToken = await collector.callback('leaky', new URLSearchParams({ code: 'code-leaky', state: await begin() }));
    const atFhir = await collector.callback('leaky', new URLSearchParams({ code: 'code-leaky-fhir', state: await begin() }));
    expect(atCallback.refusal).toMatchObject({ code: 'access_denied', step: 'authorization', detail: 'patient [BSN] is not known here' });
    expect(atToken.refusal).toMatchObject({ code: 'invalid_grant', step: 'token', detail: 'HTTP 400: code of patient [BSN] (BSN [BSN]) expired' });
    expect(atFhir.refusal).toMatchObject({ step: 'fhir', detail: 'no access to [BSN] ([BSN])' });
    // Nothing of it is stored, in any form.
    const stored = readFileSync(join(storeDir, 'leaky.json'), 'utf8');
    for (const form of [BSN, '999.911.120', '999 911 120']) expect(stored).not.toContain(form);
    // Nor in what the PGO itself reports (its decisions on the trace).
    const reported = JSON.stringify(bus.events((e) => e.reportedBy === 'pgo.localhost' && e.kind === 'decision'));
    for (const form of [BSN, '999.911.120', '999 911 120']) expect(reported).not.toContain(form);
  });
});
