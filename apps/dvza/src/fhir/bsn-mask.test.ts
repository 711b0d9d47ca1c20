/**
 * The DVZA's FHIR answers carry no BSN (SPEC §10.6; Nictiz's TestScripts: "Bundle does not use BSN anywhere"), in
 * both afsprakenstelsels: for every persona, at every provider that knows them, for every gegevensdienst it holds,
 * every search the PGO makes and a read of every resource served is walked as JSON — no `value` under a BSN
 * system anywhere, no persona's BSN as text anywhere — and the Patient's identifier says "BSN, masked" the way
 * Nictiz's fixture does. The served JSON stays valid STU3 (the vendored schema). Unit, app.request.
 */
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, defaultTopologyPath, gegevensdienstOf, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { listsFromTopology } from '@medmij-sandbox/lists';
import { DVZA_PATHS, FHIR_ACCEPT_STU3 } from '@medmij-sandbox/medmij-oauth';
import { peerFor, withPeer } from '@medmij-sandbox/transport/testing';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import {
  BSN_SYSTEMS,
  DATA_ABSENT_REASON,
  gegevensdienstQueries,
  generateDossier,
  generatePersonas,
  personaSetOf,
  type FhirResource,
  type Persona,
} from '@medmij-sandbox/fhir-data';
import { validateFhirResource } from '@medmij-sandbox/fhir-data/validate';
import { AuditLog } from '../audit.js';
import { ConsentStore } from '../consents.js';
import { GrantStore, LIFETIMES } from '../grants.js';
import type { DvzaRuntime, DvzaLists } from '../runtime.js';
import { createFhirServer } from './server.js';

const NOW = '2026-06-01T10:00:00.000Z';
const PGO = 'pgo.localhost';

/** Every object under a BSN system that still has a `value`, as JSON pointers: what must never leave the DVZA. */
function bsnValues(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((item, i) => bsnValues(item, `${path}/${i}`));
  if (!v || typeof v !== 'object') return [];
  const o = v as Record<string, unknown>;
  const here = typeof o.system === 'string' && BSN_SYSTEMS.includes(o.system) && 'value' in o ? [path || '/'] : [];
  return [...here, ...Object.entries(o).flatMap(([k, item]) => bsnValues(item, `${path}/${k}`))];
}

describe.each(['2', '1.5'] as const)('DVZA FHIR answers without a BSN, afsprakenstelsel %s (unit, app.request)', (afsprakenstelsel) => {
  const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel, env: {} });
  const options = personaSetOf(topology, NOW.slice(0, 10));
  const personas = generatePersonas(options);
  const bodies = listsFromTopology(topology, new Set(), afsprakenstelsel);
  const lists = { require: ((kind: keyof typeof bodies) => bodies[kind]) as DvzaLists['require'] } as DvzaLists;
  const clock = SandboxClock.frozenAt(NOW);
  const grants = new GrantStore();
  // One dossier per persona and provider, generated once: the walk makes hundreds of requests.
  const dossiers = new Map<string, ReturnType<typeof generateDossier>>();

  const server = (dvzaId: string) => {
    const participant = participantsByRole(topology, 'dvza').find((d) => d.id === dvzaId)!;
    const rt = {
      participant,
      topology,
      clock,
      bus: new TraceBus(clock),
      grants,
      consents: new ConsentStore({ clock }),
      lists,
      audit: new AuditLog(join(tempDir(), 'audit.jsonl'), participant.hostname, clock),
      random: (purpose: string) => new SeededRandom('unit').stream(purpose),
      patients: {
        byBsn: (bsn: string) => personas.find((p) => p.bsn === bsn),
        dossier: (p: Persona) => {
          const key = `${p.key}@${dvzaId}`;
          if (!dossiers.has(key)) dossiers.set(key, generateDossier(options, p, dvzaId));
          return dossiers.get(key)!;
        },
      },
      backchannelUrl: `https://${participant.hostname}:${participant.backchannelPort}`,
    } as unknown as DvzaRuntime;
    return new Hono<TlsPeerEnv>().use(withPeer(peerFor(PGO))).route('/', createFhirServer(rt));
  };
  const tokenFor = (persona: Persona, gegevensdienst: string) => {
    const token = `token-${persona.key}-${gegevensdienst}`;
    grants.tokens.set(token, {
      token,
      clientId: PGO,
      bsn: persona.bsn,
      gegevensdiensten: [gegevensdienst],
      issuedAt: clock.nowMs(),
      expiresAt: clock.nowMs() + LIFETIMES.accessTokenMs,
    });
    return token;
  };

  it('every search and read, for every persona and gegevensdienst: no BSN value, no BSN as text, the Patient masked as Nictiz does', async () => {
    let answers = 0;
    let patients = 0;
    for (const persona of personas) {
      for (const ref of persona.providers) {
        const app = server(ref.providerId);
        for (const id of ref.gegevensdiensten) {
          const key = gegevensdienstOf(topology, id)?.key;
          const queries = gegevensdienstQueries(key);
          expect(queries.length, `${id} (${key})`).toBeGreaterThan(0);
          const token = tokenFor(persona, id);
          const get = async (path: string) => {
            const r = await app.request(`${DVZA_PATHS.fhir}/${path}`, {
              headers: { authorization: `Bearer ${token}`, accept: FHIR_ACCEPT_STU3, 'medmij-request-id': 'r-1', 'x-correlation-id': 'c-1' },
            });
            const text = await r.text();
            const where = `${persona.key} at ${ref.providerId}, ${id}: GET ${path}`;
            expect(r.status, `${where}: ${text.slice(0, 200)}`).toBe(200);
            const body = JSON.parse(text) as FhirResource & { entry?: { resource: FhirResource; search: { mode: string } }[] };
            expect(bsnValues(body), where).toEqual([]);
            // Not as an identifier, and not anywhere else either (a narrative, a display, a reference).
            for (const p of personas) expect(text.includes(p.bsn), `${where} holds the BSN of ${p.key}`).toBe(false);
            expect(validateFhirResource(body).errors, where).toEqual([]);
            answers++;
            return body;
          };
          const served = new Map<string, FhirResource>();
          const matched = new Set<string>();
          for (const q of queries)
            for (const e of (await get(q.path)).entry ?? []) {
              served.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
              if (e.search.mode === 'match') matched.add(`${e.resource.resourceType}/${e.resource.id}`);
            }
          // A read by id is for the types of the token's scope (an _include'd Practitioner is not): those, each.
          for (const path of matched) await get(path);
          const patient = [...served.values()].find((r) => r.resourceType === 'Patient');
          expect(patient, `${persona.key} at ${ref.providerId}, ${id}: a Patient`).toBeDefined();
          expect(patient!.identifier).toEqual([
            { system: 'http://fhir.nl/fhir/NamingSystem/bsn', _value: { extension: [{ url: DATA_ABSENT_REASON, valueCode: 'masked' }] } },
          ]);
          patients++;
        }
      }
    }
    // The walk covered something: every persona known somewhere, every gegevensdienst they are known for.
    expect(patients).toBe(personas.reduce((n, p) => n + p.providers.reduce((m, r) => m + r.gegevensdiensten.length, 0), 0));
    expect(patients).toBeGreaterThan(5);
    expect(answers).toBeGreaterThan(patients * 5);
  });

  it('the DVZA itself still knows the BSN: its dossier is unchanged by what it serves', async () => {
    const persona = personas.find((p) => p.providers.length > 0)!;
    const ref = persona.providers[0]!;
    const id = ref.gegevensdiensten[0]!;
    const r = await server(ref.providerId).request(`${DVZA_PATHS.fhir}/Patient`, {
      headers: { authorization: `Bearer ${tokenFor(persona, id)}`, accept: FHIR_ACCEPT_STU3, 'medmij-request-id': 'r-1', 'x-correlation-id': 'c-1' },
    });
    expect(r.status).toBe(200);
    const kept = dossiers.get(`${persona.key}@${ref.providerId}`)!.resources.find((x) => x.resourceType === 'Patient')!;
    expect(kept.identifier).toEqual([{ system: 'http://fhir.nl/fhir/NamingSystem/bsn', value: persona.bsn }]);
  });
});
