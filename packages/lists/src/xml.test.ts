import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultTopologyPath, loadTopology } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { LIST_KINDS, schemaPath, schemaText, type ListKind } from './kinds.js';
import { listsFromTopology, needsSandboxVariant } from './generate.js';
import type { MedMijList } from './model.js';
import { validateList } from './validate.js';
import { ListXmlError, MAX_LIST_BYTES, listToXml, parseList } from './xml.js';

const topology = loadTopology(defaultTopologyPath(), { afsprakenstelsel: '1.5', env: {} });
const examples = fileURLToPath(new URL('../examples/', import.meta.url));

function generated(kind: ListKind, t = topology): MedMijList {
  return { ...listsFromTopology(t)[kind], tijdstempel: '2026-11-23T10:00:00Z', volgnummer: 7 } as MedMijList;
}

describe('the lists generated from the default topology', () => {
  it('contain every DVZA, PGO, node and gegevensdienst', () => {
    const lists = listsFromTopology(topology);
    expect(lists.Zorgaanbiederslijst.zorgaanbieders.map((z) => z.zorgaanbiedernaam)).toEqual(['dekroon@medmij', 'rivierenland@medmij', 'ggzdeboog@medmij']);
    const dekroon = lists.Zorgaanbiederslijst.zorgaanbieders[0]!;
    expect(dekroon.gegevensdiensten.map((g) => g.gegevensdienstId)).toEqual(['1', '3', '4', '5']);
    expect(dekroon.gegevensdiensten[0]).toEqual({
      gegevensdienstId: '1',
      authorizationEndpointUri: 'https://dekroon.dvza.localhost:8720/oauth/authorize',
      tokenEndpointUri: 'https://dekroon.dvza.localhost:8721/oauth/token',
      systeemrollen: [{ systeemrolcode: 'MM-1.0.0-BZB-FHIR', resourceEndpointUri: 'https://dekroon.dvza.localhost:8721/fhir' }],
    });
    expect(lists.OAuthclientlist.oauthclients).toEqual([{ hostname: 'pgo.localhost', organisatienaam: 'MedMij Sandbox PGO' }]);
    expect(lists.Whitelist.nodes).toEqual([
      'stelselnode.localhost',
      'tvs.localhost',
      'dekroon.dvza.localhost',
      'rivierenland.dvza.localhost',
      'deboog.dvza.localhost',
      'pgo.localhost',
    ]);
    expect(lists.Gegevensdienstnamenlijst.gegevensdiensten.map((g) => g.weergavenaam)).toContain('Laboratoriumresultaten');
    const without = listsFromTopology(topology, new Set(['rivierenland', 'pgo']));
    expect(without.Zorgaanbiederslijst.zorgaanbieders).toHaveLength(2);
    expect(without.OAuthclientlist.oauthclients).toEqual([]);
    expect(without.Whitelist.nodes).not.toContain('pgo.localhost');
  });

  for (const kind of LIST_KINDS) {
    it(`round-trips ${kind}: write, validate against the XSD, parse back to the same object`, async () => {
      const list = generated(kind);
      const xml = listToXml(list);
      const validation = await validateList(kind, xml, { allowSandboxVariant: true });
      expect(validation).toEqual({ valid: true, variant: kind === 'Zorgaanbiederslijst' ? 'sandbox' : 'official', errors: [] });
      expect(parseList(kind, xml)).toEqual(list);
    });
  }

  it('the Zorgaanbiederslijst fails the official schema only on the port in front-channel URIs', async () => {
    const result = await validateList('Zorgaanbiederslijst', listToXml(generated('Zorgaanbiederslijst')));
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors)
      expect(e).toMatch(/AuthorizationEndpointuri': \[facet 'pattern'\] The value 'https:\/\/[a-z.]+:87\d0\/oauth\/authorize' is not accepted/);
  });

  it('is strictly valid where the front channels run on 443 (docker-compose)', async () => {
    // Only the URLs matter for the lists; in docker-compose every participant has its own address and port 443.
    const dvzaOn443 = { ...topology, participants: topology.participants.map((p) => (p.role === 'dvza' ? { ...p, frontchannelPort: 443 } : p)) };
    expect(needsSandboxVariant(dvzaOn443)).toBe(false);
    const result = await validateList('Zorgaanbiederslijst', listToXml(generated('Zorgaanbiederslijst', dvzaOn443)));
    expect(result).toEqual({ valid: true, variant: 'official', errors: [] });
  });

  it('the sandbox schema differs from the official one in exactly the Frontchanneluri port', () => {
    const official = schemaText('Zorgaanbiederslijst', 'official').split('\n');
    const sandbox = schemaText('Zorgaanbiederslijst', 'sandbox')
      .split('\n')
      .filter((l) => !l.includes('<!--MedMij Sandbox variant') && !l.includes('(:(\\d){1,5})?, because'));
    const differing = official.map((line, i) => [line, sandbox[i]]).filter(([a, b]) => a !== b);
    expect(differing).toEqual([
      [
        '            <xs:pattern value="https://(([a-z0-9])([a-z0-9-])*(\\.))+([a-z0-9])([a-z0-9-])*([a-z0-9])?(/[^?#/]+)*"></xs:pattern>',
        '            <xs:pattern value="https://(([a-z0-9])([a-z0-9-])*(\\.))+([a-z0-9])([a-z0-9-])*([a-z0-9])?(:(\\d){1,5})?(/[^?#/]+)*"></xs:pattern>',
      ],
    ]);
  });

  it("Debian's xmllint agrees (an independent libxml2 build)", () => {
    if (spawnSync('xmllint', ['--version']).error) throw new Error('this test needs xmllint: apt-get install -y libxml2-utils (.ci/run does this)');
    const dir = tempDir();
    for (const kind of LIST_KINDS) {
      const file = join(dir, `MedMij_${kind}.xml`);
      writeFileSync(file, listToXml(generated(kind)));
      const variant = kind === 'Zorgaanbiederslijst' ? 'sandbox' : 'official';
      const r = spawnSync('xmllint', ['--noout', '--schema', schemaPath(kind, variant), file], { encoding: 'utf8' });
      expect(r.stderr.trim()).toBe(`${file} validates`);
    }
  });
});

describe('afsprakenstelsel 1.5 output', () => {
  // Written by the code before the 2.x lists were added, from a frozen copy of the topology beside them.
  const golden = fileURLToPath(new URL('../test-fixtures/afsprakenstelsel-1.5/', import.meta.url));
  const frozen = loadTopology(join(golden, 'topology.yaml'));
  for (const kind of LIST_KINDS) {
    it(`${kind} is byte for byte what it was, with or without naming the afsprakenstelsel`, () => {
      const expected = readFileSync(join(golden, `MedMij_${kind}.xml`), 'utf8');
      const header = { tijdstempel: '2026-11-23T10:00:00Z', volgnummer: 7 };
      expect(listToXml({ ...listsFromTopology(frozen)[kind], ...header } as MedMijList)).toBe(expected);
      expect(listToXml({ ...listsFromTopology(frozen, new Set(), '1.5')[kind], ...header } as MedMijList)).toBe(expected);
    });
  }
});

describe('the official example files', () => {
  for (const kind of LIST_KINDS) {
    it(`${kind} example validates and parses`, async () => {
      const xml = readFileSync(join(examples, `MedMij_${kind}_example.xml`), 'utf8');
      expect((await validateList(kind, xml)).valid).toBe(true);
      const list = parseList(kind, xml);
      expect(list.volgnummer).toBeGreaterThan(0);
      if (list.kind === 'Zorgaanbiederslijst') expect(list.zorgaanbieders[0]!.zorgaanbiedernaam).toBe('umcharderwijk@medmij');
      if (list.kind === 'Whitelist') expect(list.nodes).toContain('medmij.deenigeechtepgo.nl');
    });
  }
});

describe('hostile or broken XML is refused with a clear error', () => {
  const refused = (xml: string | Buffer, kind: ListKind = 'Whitelist') => {
    try {
      parseList(kind, xml);
    } catch (e) {
      return e as ListXmlError;
    }
    throw new Error('expected a refusal');
  };
  const whitelist = listToXml(generated('Whitelist'));

  it('an external entity (XXE)', () => {
    const xxe = whitelist
      .replace('<Whitelist', '<!DOCTYPE Whitelist [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Whitelist')
      .replace('<Hostname>pgo.localhost', '<Hostname>&x;');
    expect(refused(xxe)).toMatchObject({ code: 'doctype', message: expect.stringMatching(/DOCTYPE or ENTITY declaration.*XXE/) });
  });
  it('an entity expansion bomb (billion laughs)', () => {
    const ents = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE Whitelist [<!ENTITY l0 "lol">${ents}]><Whitelist>&l9;</Whitelist>`;
    expect(refused(bomb).code).toBe('doctype');
  });
  it('a list beyond the size limit', () => {
    expect(refused(Buffer.alloc(MAX_LIST_BYTES + 1, 0x20)).code).toBe('too-large');
  });
  it('XML that is not well-formed', () => {
    expect(refused(whitelist.slice(0, 200))).toMatchObject({ code: 'not-well-formed' });
  });
  it('another list than expected', () => {
    expect(refused(whitelist, 'OAuthclientlist')).toMatchObject({ code: 'wrong-root', message: expect.stringContaining('expected <OAuthclientlist>') });
  });
  it('the schema check refuses hostile input before libxml2 parses it', async () => {
    const xxe = whitelist.replace('<Whitelist', '<!DOCTYPE Whitelist [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Whitelist');
    await expect(validateList('Whitelist', xxe)).rejects.toMatchObject({ code: 'doctype' });
  });
  it('a schema-invalid list names the element', async () => {
    const bad = whitelist.replace('<Volgnummer>7</Volgnummer>', '<Volgnummer>-3</Volgnummer>');
    const result = await validateList('Whitelist', bad);
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/Volgnummer.*'-3' is not a valid value of the atomic type/);
  });
});
