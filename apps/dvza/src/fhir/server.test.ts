/**
 * The resource server of an afsprakenstelsel-2 DVZA (unit, app.request): every search a PGO makes for
 * Huisartsgegevens (49) at the GP practice and for Basisgegevens GGZ (50) at the GGZ institution answers with a
 * searchset Bundle from that gegevensdienst's part of the dossier, and a token for one of them reads nothing of
 * the other or of the BgZ's own types.
 */
import { join } from 'node:path';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock, SeededRandom, TraceBus, defaultTopologyPath, gegevensdienstOf, loadTopology, participantsByRole } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { listsFromTopology } from '@medmij-sandbox/lists';
import { DVZA_PATHS, FHIR_ACCEPT_STU3 } from '@medmij-sandbox/medmij-oauth';
import { peerFor, withPeer } from '@medmij-sandbox/transport/testing';
import type { TlsPeerEnv } from '@medmij-sandbox/transport';
import { gegevensdienstQueries, generateDossier, generatePersonas, personaSetOf, type FhirResource, type Persona } from '@medmij-sandbox/fhir-data';
import { AuditLog } from '../audit.js';
import { ConsentStore } from '../consents.js';
import { GrantStore, LIFETIMES } from '../grants.js';
import type { DvzaRuntime, DvzaLists } from '../runtime.js';
import { createFhirServer } from './server.js';

const NOW = '2026-06-01T10:00:00.000Z';
const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '2', env: {} });
const options = personaSetOf(topology, NOW.slice(0, 10));
const personas = generatePersonas(options);
const PGO = 'pgo.localhost';
const bodies = listsFromTopology(topology, new Set(), '2');
const lists = { require: ((kind: keyof typeof bodies) => bodies[kind]) as DvzaLists['require'] } as DvzaLists;
const hgb = gegevensdienstOf(topology, 'huisartsgegevens')!.id;
const ggz = gegevensdienstOf(topology, 'ggz')!.id;
const bgz = gegevensdienstOf(topology, 'bgz')!.id;

type Bundle = { resourceType: string; total: number; entry: { resource: FhirResource; search: { mode: string } }[]; issue?: { diagnostics: string }[] };

describe('DVZA resource server, Huisartsgegevens and Basisgegevens GGZ (unit, app.request)', () => {
  let clock: SandboxClock;
  let grants: GrantStore;

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
      patients: { byBsn: (bsn: string) => personas.find((p) => p.bsn === bsn), dossier: (p: Persona) => generateDossier(options, p, dvzaId) },
      backchannelUrl: `https://${participant.hostname}:${participant.backchannelPort}`,
    } as unknown as DvzaRuntime;
    return new Hono<TlsPeerEnv>().use(withPeer(peerFor(PGO))).route('/', createFhirServer(rt));
  };
  const tokenFor = (persona: Persona, gegevensdiensten: string[]) => {
    const token = `token-${persona.key}-${gegevensdiensten.join('-')}`;
    grants.tokens.set(token, {
      token,
      clientId: PGO,
      bsn: persona.bsn,
      gegevensdiensten,
      issuedAt: clock.nowMs(),
      expiresAt: clock.nowMs() + LIFETIMES.accessTokenMs,
    });
    return token;
  };
  const search = async (dvzaId: string, token: string, path: string) => {
    const r = await server(dvzaId).request(`${DVZA_PATHS.fhir}/${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: FHIR_ACCEPT_STU3, 'medmij-request-id': 'r-1', 'x-correlation-id': 'c-1' },
    });
    return { status: r.status, body: (await r.json()) as Bundle };
  };
  const persona = (key: string) => personas.find((p) => p.key === key)!;

  beforeEach(() => {
    clock = SandboxClock.frozenAt(NOW);
    grants = new GrantStore();
  });

  it('Huisartsgegevens at De Kroon: all 7 searches answer, each with entries, from the 49 part only', async () => {
    // The elderly patient has a medicine intolerance too; the diabetes patient has none, so that search is empty.
    for (const [key, withoutEntries] of [
      ['oudere-polyfarmacie', []],
      ['volwassene-diabetes', ['MedicationIntolerance']],
    ] as const) {
      const token = tokenFor(persona(key), [hgb]);
      const queries = gegevensdienstQueries('huisartsgegevens');
      expect(queries).toHaveLength(7);
      for (const q of queries) {
        const { status, body } = await search('dekroon', token, q.path);
        expect(status, `${q.path}: ${body.issue?.[0]?.diagnostics}`).toBe(200);
        expect(body.resourceType).toBe('Bundle');
        expect(body.total > 0, `${key} ${q.path}`).toBe(!(withoutEntries as readonly string[]).includes(q.description));
      }
    }
    const token = tokenFor(persona('volwassene-diabetes'), [hgb]);
    const queries = gegevensdienstQueries('huisartsgegevens');
    const { body: results } = await search('dekroon', token, queries.find((q) => q.description === 'DiagnosticAndLabResults')!.path);
    for (const e of results.entry) expect(e.resource.meta.profile).toEqual(['http://nictiz.nl/fhir/StructureDefinition/gp-DiagnosticResult']);
    const { body: encounters } = await search('dekroon', token, 'Encounter');
    for (const e of encounters.entry) expect(e.resource.meta.profile).toEqual(['http://nictiz.nl/fhir/StructureDefinition/gp-Encounter']);
  });

  it("Huisartsgegevens as Nictiz's scripts ask it: today's medication (periodofuse) and results of the last 14 months (date)", async () => {
    const token = tokenFor(persona('oudere-polyfarmacie'), [hgb]);
    const current = await search(
      'dekroon',
      token,
      `MedicationRequest?periodofuse=ge2026-06-01&category=http://snomed.info/sct|16076005&_include=MedicationRequest:medication`,
    );
    expect(current.status).toBe(200);
    expect(current.body.total).toBeGreaterThan(0);
    expect(current.body.entry.some((e) => e.search.mode === 'include' && e.resource.resourceType === 'Medication')).toBe(true);
    const recent = await search(
      'dekroon',
      token,
      'Observation?code=https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen|&_include=Observation:related-target&_include=Observation:specimen&date=ge2025-04-01',
    );
    const all = await search('dekroon', token, 'Observation?code=https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen|');
    expect(recent.status).toBe(200);
    expect(recent.body.total).toBeLessThanOrEqual(all.body.total);
    for (const e of recent.body.entry) expect(String(e.resource.effectiveDateTime) >= '2025-04-01').toBe(true);
  });

  it('Basisgegevens GGZ at De Boog: all 18 searches answer; its own part and the care team with its members', async () => {
    const token = tokenFor(persona('volwassene-ggz'), [ggz]);
    const queries = gegevensdienstQueries('ggz');
    expect(queries).toHaveLength(18);
    const totals: Record<string, number> = {};
    for (const q of queries) {
      const { status, body } = await search('deboog', token, q.path);
      expect(status, `${q.path}: ${body.issue?.[0]?.diagnostics}`).toBe(200);
      totals[q.description] = body.total;
    }
    for (const d of [
      'Patient',
      'Payer',
      'Problem',
      'FamilySituation',
      'ParticipationInSociety',
      'HelpFromOthers',
      'LaboratoryTestResult',
      'GeneralMeasurement',
      'Procedure',
      'TextResult',
      'CareTeam',
    ])
      expect(totals[d], d).toBeGreaterThan(0);
    // The zibs the record does not hold answer with an empty searchset.
    for (const d of ['DrugUse', 'AlcoholUse', 'TobaccoUse', 'LivingSituation', 'FunctionalOrMentalStatus']) expect(totals[d], d).toBe(0);
    const { body } = await search('deboog', token, 'CareTeam?_include=CareTeam:participant');
    expect(body.entry.filter((e) => e.search.mode === 'include').map((e) => e.resource.resourceType)).toEqual(['Practitioner', 'Practitioner', 'Practitioner']);
  });

  it('a 50 token reads nothing outside Basisgegevens GGZ; a 48 token none of the 49/50 parts', async () => {
    const patient = persona('volwassene-meerdere-zorgaanbieders');
    const onlyGgz = tokenFor(patient, [ggz]);
    expect((await search('deboog', onlyGgz, 'Encounter')).status).toBe(403);
    expect((await search('deboog', onlyGgz, 'EpisodeOfCare')).status).toBe(403);
    const onlyBgz = tokenFor(patient, [bgz]);
    expect((await search('deboog', onlyBgz, 'CareTeam')).status).toBe(403);
    const conditions = await search('dekroon', onlyBgz, 'Condition');
    expect(conditions.body.entry.every((e) => !JSON.stringify(e.resource.code).includes('icpc-1-nl'))).toBe(true);
    const surveys = await search('deboog', onlyBgz, 'Observation?category=http://hl7.org/fhir/observation-category|survey');
    expect(surveys.body.total).toBe(0);
  });

  it('the CapabilityStatement lists the new types with their searches', async () => {
    const r = await server('dekroon').request(`${DVZA_PATHS.fhir}/metadata`, { headers: { accept: FHIR_ACCEPT_STU3 } });
    const resources = ((await r.json()) as { rest: { resource: { type: string; searchParam: { name: string }[]; searchInclude: string[] }[] }[] }).rest[0]!
      .resource;
    expect(resources.map((x) => x.type)).toEqual(expect.arrayContaining(['EpisodeOfCare', 'Composition', 'Encounter']));
    expect(resources.find((x) => x.type === 'MedicationRequest')!.searchParam.map((p) => p.name)).toContain('periodofuse');
    expect(resources.find((x) => x.type === 'Composition')!.searchParam.map((p) => p.name)).toContain('type');
  });
});
