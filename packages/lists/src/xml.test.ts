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
import { ListXmlError, MAX_LIST_BYTES, listToXml, parseList, parseListExact, volgnummerParam } from './xml.js';

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

describe('the list header and the file rules a schema cannot see', () => {
  const whitelist = listToXml(generated('Whitelist'));
  const withVolgnummer = (v: string) => whitelist.replace('<Volgnummer>7</Volgnummer>', `<Volgnummer>${v}</Volgnummer>`);

  it('reads Volgnummers beyond 2^53 exactly, as the schema allows them (xs:positiveInteger has no bound)', async () => {
    const above = withVolgnummer('9007199254740993');
    const below = withVolgnummer('9007199254740992');
    // A JavaScript number cannot tell them apart: this is what the consumer once compared.
    expect(Number('9007199254740993')).toBe(Number('9007199254740992'));
    expect(parseListExact('Whitelist', above).header.volgnummer).toBe(9007199254740993n);
    expect(parseListExact('Whitelist', above).header.volgnummer > parseListExact('Whitelist', below).header.volgnummer).toBe(true);
    const forty = withVolgnummer('9'.repeat(40));
    expect((await validateList('Whitelist', forty)).valid).toBe(true);
    expect(parseListExact('Whitelist', forty).header.volgnummer).toBe(10n ** 40n - 1n);
    // The lexical forms of xs:positiveInteger: a plus sign and leading zeros are the same number.
    expect((await validateList('Whitelist', withVolgnummer('+0057'))).valid).toBe(true);
    expect(parseListExact('Whitelist', withVolgnummer('+0057')).header.volgnummer).toBe(57n);
    expect(volgnummerParam(57n)).toBe(57);
    expect(volgnummerParam(9007199254740993n)).toBe('9007199254740993');
  });

  it('refuses a namespace prefix on the root, naming SPEC §3.2 and the prefix', async () => {
    const prefixed = whitelist.replace(/<(\/?)([A-Z][A-Za-z]*)/g, '<$1whl:$2').replace('xmlns=', 'xmlns:whl=');
    // The schema sees the same namespace and cannot object.
    expect((await validateList('Whitelist', prefixed)).valid).toBe(true);
    expect(() => parseList('Whitelist', prefixed)).toThrow(
      "<whl:Whitelist> uses the namespace prefix 'whl' (for xmlns://afsprakenstelsel.medmij.nl/whitelist/release2/); SPEC §3.2: MedMij lists use the default namespace, without prefix",
    );
    try {
      parseList('Whitelist', prefixed);
    } catch (e) {
      expect((e as ListXmlError).code).toBe('prefixed');
    }
  });

  it('refuses a prefix on an inner element too, naming the first one', () => {
    const inner = whitelist
      .replace('<Whitelist xmlns=', '<Whitelist xmlns:w="xmlns://afsprakenstelsel.medmij.nl/whitelist/release2/" xmlns=')
      .replace(/<(\/?)Hostname>/g, '<$1w:Hostname>');
    expect(() => parseList('Whitelist', inner)).toThrow(/^<w:Hostname> uses the namespace prefix 'w'/);
  });

  it('reads past a UTF-8 byte order mark (XML 1.0 allows it) and refuses a UTF-16 one, saying BOM', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(whitelist)]);
    expect((await validateList('Whitelist', bom)).valid).toBe(true);
    expect(parseList('Whitelist', bom)).toEqual(parseList('Whitelist', whitelist));
    expect(parseList('Whitelist', `\uFEFF${whitelist}`).volgnummer).toBe(7);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(whitelist, 'utf16le')]);
    expect(() => parseList('Whitelist', utf16)).toThrow(
      'list starts with a UTF-16 little-endian byte order mark (BOM): it is not UTF-8, as SPEC §3.2 requires',
    );
  });
});
