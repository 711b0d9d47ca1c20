import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultTopologyPath, loadTopology, type Topology } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { LISTS } from '@medmij-sandbox/rules';
import { LIST_KINDS, ListKindError, listKindFromFileName, listKindsOf, namespaceOf, releaseOf, schemaPath, schemaText, type ListKindOf } from './kinds.js';
import { SANDBOX_INTERFACEVERSIE, agbCode, listsFromTopology } from './generate.js';
import type { AnyMedMijList, ListIn } from './model.js';
import { validateList } from './validate.js';
import { ListXmlError, listToXml, parseList } from './xml.js';

const topology = loadTopology(defaultTopologyPath(), { env: {} });
const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const example = (name: string) => readFileSync(join(examples, name), 'utf8');
const zal3 = example('release3/MedMij_Zorgaanbiederslijst_example.9.3.xml');
const koppel = example('release3/MedMij_Zorgaanbiederskoppellijst_example.5.1.xml');
const NS3 = 'xmlns://afsprakenstelsel.medmij.nl/zorgaanbiederslijst/release3/';
const NS2 = 'xmlns://afsprakenstelsel.medmij.nl/zorgaanbiederslijst/release2/';

type Kind2 = ListKindOf<'2'>;
function generated<K extends Kind2>(kind: K, t: Topology = topology): ListIn<'2', K> {
  return { ...listsFromTopology(t, new Set(), '2')[kind], tijdstempel: '2026-11-23T10:00:00Z', volgnummer: 7 } as unknown as ListIn<'2', K>;
}

function refusal(f: () => unknown): ListXmlError {
  try {
    f();
  } catch (e) {
    if (e instanceof ListXmlError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the lists of each afsprakenstelsel', () => {
  it('1.5 has the four release2/release1 lists, 2 has five', () => {
    expect(listKindsOf('1.5')).toEqual(LIST_KINDS);
    expect(listKindsOf('2')).toEqual(['Zorgaanbiederslijst', 'Zorgaanbiederskoppellijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst']);
    expect(listKindsOf('2').map((k) => releaseOf(k, '2'))).toEqual(['release3', 'release1', 'release3', 'release2', 'release1']);
    expect(namespaceOf('Zorgaanbiederslijst')).toBe(NS2);
    expect(namespaceOf('Zorgaanbiederslijst', '2')).toBe(NS3);
    expect(namespaceOf('Zorgaanbiederskoppellijst', '2')).toBe('xmlns://afsprakenstelsel.medmij.nl/Zorgaanbiederskoppellijst/release1/');
    expect(namespaceOf('OAuthclientlist', '2')).toBe('xmlns://afsprakenstelsel.medmij.nl/oauthclientlist/release3/');
    expect(namespaceOf('Whitelist', '2')).toBe(namespaceOf('Whitelist', '1.5'));
    expect(listKindFromFileName('MedMij_Zorgaanbiederskoppellijst.xml')).toBeUndefined();
    expect(listKindFromFileName('MedMij_Zorgaanbiederskoppellijst.xml', '2')).toBe('Zorgaanbiederskoppellijst');
  });

  it('the schemas: derived for the lists 2.x changed, official for the Whitelist and Gegevensdienstnamenlijst', () => {
    expect(schemaPath('Zorgaanbiederslijst', 'official', '2')).toMatch(/xsd\/2\.x\/derived\/MedMij_Zorgaanbiederslijst\.xsd$/);
    expect(schemaPath('Zorgaanbiederslijst', 'sandbox', '2')).toMatch(/xsd\/2\.x\/sandbox\/MedMij_Zorgaanbiederslijst\.xsd$/);
    expect(schemaPath('OAuthclientlist', 'sandbox', '2')).toMatch(/xsd\/2\.x\/derived\/MedMij_OAuthclientlist\.xsd$/);
    expect(schemaPath('Whitelist', 'official', '2')).toBe(schemaPath('Whitelist'));
    expect(schemaPath('Gegevensdienstnamenlijst', 'official', '2')).toBe(schemaPath('Gegevensdienstnamenlijst'));
    for (const kind of ['Zorgaanbiederslijst', 'Zorgaanbiederskoppellijst', 'OAuthclientlist'] as const) {
      const text = schemaText(kind, 'official', '2');
      expect(text).toContain('MedMij Sandbox derivation, NOT an official MedMij schema');
      expect(text).toContain(`targetNamespace="${namespaceOf(kind, '2')}"`);
      expect(text).not.toContain('xs:any');
      expect(text).toContain('<xs:unique');
    }
    expect(schemaText('OAuthclientlist', 'official', '2')).toContain("namespace of the SANDBOX'S OWN");
  });

  it('1.5 has no Zorgaanbiederskoppellijst, in English and Dutch', async () => {
    let error: unknown;
    try {
      schemaPath('Zorgaanbiederskoppellijst');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ListKindError);
    expect((error as ListKindError).message).toBe(
      'afsprakenstelsel 1.5 has no Zorgaanbiederskoppellijst; its lists are Zorgaanbiederslijst, OAuthclientlist, Whitelist, Gegevensdienstnamenlijst',
    );
    expect(LISTS.kindNotPublished.nl((error as ListKindError).said.params as never)).toBe(
      'afsprakenstelsel 1.5 kent geen Zorgaanbiederskoppellijst; de lijsten zijn Zorgaanbiederslijst, OAuthclientlist, Whitelist, Gegevensdienstnamenlijst',
    );
    await expect(validateList('Zorgaanbiederskoppellijst', koppel)).rejects.toBeInstanceOf(ListKindError);
  });

  it('the sandbox release3 schema differs from the derived one in exactly the Frontchanneluri port', () => {
    const strict = schemaText('Zorgaanbiederslijst', 'official', '2').split('\n');
    const sandbox = schemaText('Zorgaanbiederslijst', 'sandbox', '2')
      .split('\n')
      .filter((l) => !l.includes('<!--MedMij Sandbox variant') && !l.includes('(:(\\d){1,5})?, because'));
    const differing = strict.map((line, i) => [line, sandbox[i]]).filter(([a, b]) => a !== b);
    expect(differing).toEqual([
      [
        '            <xs:pattern value="https://(([a-z0-9])([a-z0-9-])*(\\.))+([a-z0-9])([a-z0-9-])*([a-z0-9])?(/[^?#/]+)*"></xs:pattern>',
        '            <xs:pattern value="https://(([a-z0-9])([a-z0-9-])*(\\.))+([a-z0-9])([a-z0-9-])*([a-z0-9])?(:(\\d){1,5})?(/[^?#/]+)*"></xs:pattern>',
      ],
    ]);
  });
});

describe('the release3 examples (minvws/nl-mgo-localization)', () => {
  it('the Zorgaanbiederslijst validates against the derived schema and parses', async () => {
    expect(await validateList('Zorgaanbiederslijst', zal3, { afsprakenstelsel: '2' })).toEqual({ valid: true, variant: 'official', errors: [] });
    const list = parseList('Zorgaanbiederslijst', zal3, '2');
    expect(list).toMatchObject({ kind: 'Zorgaanbiederslijst', release: 'release3', volgnummer: 9, tijdstempel: '2021-05-04T18:13:51.0+01:00' });
    expect(list.zorgaanbieders.map((z) => [z.zorgaanbiedernaam, z.aanbiedertype])).toEqual([
      ['umcharderwijk@medmij', 'ZA'],
      ['radiologencentraalflevoland@medmij', 'ZA'],
    ]);
    const [versie] = list.zorgaanbieders[0]!.interfaceversies;
    expect(versie!.interfaceversieId).toBe('1.4.0');
    expect(versie!.gegevensdiensten[1]).toEqual({
      gegevensdienstId: '6',
      authorizationEndpointUri: 'https://78834.umcharderwijk.nl/oauth/authorize',
      tokenEndpointUri: 'https://78834.umcharderwijk.nl/oauth/token',
      abonneren: { maximaleDuur: 30, subscriptionEndpointUri: 'https://78834.umcharderwijk.nl/subscription' },
      systeemrollen: [
        { systeemrolcode: 'MM-1.2-PLB-FHIR', resourceEndpointUri: 'https://78834.umcharderwijk.nl/pdfa' },
        { systeemrolcode: 'MM-1.2-PDB-FHIR', resourceEndpointUri: 'https://78834.umcharderwijk.nl/pdfa' },
      ],
    });
    // Written again, it is valid and parses to the same object.
    const again = listToXml(list);
    expect((await validateList('Zorgaanbiederslijst', again, { afsprakenstelsel: '2' })).valid).toBe(true);
    expect(parseList('Zorgaanbiederslijst', again, '2')).toEqual(list);
  });

  it('the Zorgaanbiederskoppellijst validates against the derived schema and parses', async () => {
    expect(await validateList('Zorgaanbiederskoppellijst', koppel, { afsprakenstelsel: '2' })).toEqual({ valid: true, variant: 'official', errors: [] });
    const list = parseList('Zorgaanbiederskoppellijst', koppel, '2');
    expect(list.volgnummer).toBe(13);
    expect(list.zorgaanbieders.map((z) => z.identificerendeKenmerken)).toEqual([
      [{ type: 'AGB', value: '90012345' }],
      [
        { type: 'OIN', value: '23885731954438865098' },
        { type: 'URA', value: '12345678' },
      ],
    ]);
    expect(list.zorgaanbieders[1]!.gegevensdiensten).toEqual([
      { gegevensdienstId: '1', weergavenaam: 'Basisgegevens zorg', interfaceversies: ['1.3.0', '1.4.0'] },
    ]);
    const again = listToXml(list);
    expect((await validateList('Zorgaanbiederskoppellijst', again, { afsprakenstelsel: '2' })).valid).toBe(true);
    expect(parseList('Zorgaanbiederskoppellijst', again, '2')).toEqual(list);
  });

  it("Debian's xmllint accepts both against the derived schemas", () => {
    const lint = (schema: string, file: string) => spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' }).stderr.trim();
    const zalFile = join(examples, 'release3/MedMij_Zorgaanbiederslijst_example.9.3.xml');
    const koppelFile = join(examples, 'release3/MedMij_Zorgaanbiederskoppellijst_example.5.1.xml');
    expect(lint(schemaPath('Zorgaanbiederslijst', 'official', '2'), zalFile)).toBe(`${zalFile} validates`);
    expect(lint(schemaPath('Zorgaanbiederskoppellijst', 'official', '2'), koppelFile)).toBe(`${koppelFile} validates`);
  });
});

describe('a changed release3 list is refused with the schema naming what is wrong', () => {
  const refusedBy = async (kind: 'Zorgaanbiederslijst' | 'Zorgaanbiederskoppellijst' | 'OAuthclientlist', xml: string) => {
    const result = await validateList(kind, xml, { afsprakenstelsel: '2' });
    expect(result.valid).toBe(false);
    return result.errors.join('\n');
  };
  const el = (name: string) => `'\\{${NS3.replace(/[./]/g, '\\$&')}\\}${name}'`;

  it('a Zorgaanbieder without Aanbiedertype', async () => {
    const bad = zal3.replace('<Aanbiedertype>ZA</Aanbiedertype>', '');
    expect(await refusedBy('Zorgaanbiederslijst', bad)).toMatch(
      new RegExp(`Element ${el('Interfaceversies')}: This element is not expected. Expected is \\( \\{.*\\}Aanbiedertype \\)`),
    );
  });

  it('an Aanbiedertype outside ZA, BAZB and APD', async () => {
    const bad = zal3.replace('<Aanbiedertype>ZA</Aanbiedertype>', '<Aanbiedertype>ZH</Aanbiedertype>');
    expect(await refusedBy('Zorgaanbiederslijst', bad)).toMatch(
      /Aanbiedertype': \[facet 'enumeration'\] The value 'ZH' is not an element of the set \{'ZA', 'BAZB', 'APD'\}/,
    );
  });

  it('an element the schema does not know', async () => {
    const bad = zal3.replace('<MaximaleDuur>365</MaximaleDuur>', '<MaximaleDuur>365</MaximaleDuur><Opzegtermijn>30</Opzegtermijn>');
    expect(await refusedBy('Zorgaanbiederslijst', bad)).toMatch(new RegExp(`Element ${el('Opzegtermijn')}: This element is not expected`));
  });

  it('the same Zorgaanbiedernaam twice', async () => {
    const bad = zal3.replace('radiologencentraalflevoland@medmij', 'umcharderwijk@medmij');
    expect(await refusedBy('Zorgaanbiederslijst', bad)).toMatch(
      /Duplicate key-sequence \['umcharderwijk@medmij'\] in unique identity-constraint '\{[^}]+\}Unieke_Zorgaanbieder'/,
    );
  });

  it('the same GegevensdienstId twice in one Interfaceversie', async () => {
    const bad = zal3.replace('<GegevensdienstId>6</GegevensdienstId>', '<GegevensdienstId>4</GegevensdienstId>');
    expect(await refusedBy('Zorgaanbiederslijst', bad)).toMatch(
      /Duplicate key-sequence \['4'\] in unique identity-constraint '\{[^}]+\}Unieke_Gegevensdienst'/,
    );
  });

  it('an InterfaceversieId that is not major.minor.patch', async () => {
    const bad = zal3.replace('<InterfaceversieId>1.4.0</InterfaceversieId>', '<InterfaceversieId>1.4</InterfaceversieId>');
    expect(await refusedBy('Zorgaanbiederslijst', bad)).toMatch(/InterfaceversieId': \[facet 'pattern'\] The value '1.4' is not accepted/);
  });

  it('an AGB code that is not 8 digits', async () => {
    const bad = koppel.replace('<AGB>90012345</AGB>', '<AGB>9001234X</AGB>');
    expect(await refusedBy('Zorgaanbiederskoppellijst', bad)).toMatch(
      /AGB': \[facet 'pattern'\] The value '9001234X' is not accepted by the pattern '\[0-9\]\{8\}'/,
    );
    const short = koppel.replace('<AGB>90012345</AGB>', '<AGB>9001234</AGB>');
    expect(await refusedBy('Zorgaanbiederskoppellijst', short)).toMatch(/The value '9001234' is not accepted by the pattern '\[0-9\]\{8\}'/);
  });

  it('an identifying feature of no known type', async () => {
    const bad = koppel.replace('<AGB>90012345</AGB>', '<BIG>90012345</BIG>');
    expect(await refusedBy('Zorgaanbiederskoppellijst', bad)).toMatch(
      /BIG': This element is not expected. Expected is one of \( .*AGB, .*URA, .*OIN, .*HRN, .*KVK \)/,
    );
  });

  it('an OAuthclient without its gegevensdiensten', async () => {
    const bad = listToXml(generated('OAuthclientlist')).replace(/\s*<Gegevensdiensten>[\s\S]*?<\/Gegevensdiensten>/, '');
    expect(await refusedBy('OAuthclientlist', bad)).toMatch(/OAuthclient': Missing child element\(s\). Expected is \( \{[^}]+\}Gegevensdiensten \)/);
  });
});

describe('a list of the other release is refused, naming both namespaces', () => {
  const zal2 = example('MedMij_Zorgaanbiederslijst_example.xml');

  it('a release2 Zorgaanbiederslijst given to the release3 parser', () => {
    const e = refusal(() => parseList('Zorgaanbiederslijst', zal2, '2'));
    expect(e.code).toBe('wrong-release');
    expect(e.message).toBe(
      `expected a release3 Zorgaanbiederslijst (afsprakenstelsel 2) in namespace ${NS3}, got a release2 Zorgaanbiederslijst (afsprakenstelsel 1.5) in namespace ${NS2}`,
    );
    expect(LISTS.xml.wrongRelease.nl(e.said.params as never)).toBe(
      `verwacht een Zorgaanbiederslijst release3 (afsprakenstelsel 2) in namespace ${NS3}, maar kreeg een Zorgaanbiederslijst release2 (afsprakenstelsel 1.5) in namespace ${NS2}`,
    );
  });

  it('and a release3 one given to the release2 parser', () => {
    const e = refusal(() => parseList('Zorgaanbiederslijst', zal3));
    expect(e).toMatchObject({
      code: 'wrong-release',
      message: expect.stringContaining(`expected a release2 Zorgaanbiederslijst (afsprakenstelsel 1.5) in namespace ${NS2}`),
    });
    expect(e.message).toContain(`got a release3 Zorgaanbiederslijst (afsprakenstelsel 2) in namespace ${NS3}`);
  });

  it('the same for the OAuthclientlist; another list altogether is the wrong root, as before', () => {
    const ocl2 = example('MedMij_OAuthclientlist_example.xml');
    expect(refusal(() => parseList('OAuthclientlist', ocl2, '2')).message).toMatch(/^expected a release3 OAuthclientlist .* got a release2 OAuthclientlist/);
    expect(refusal(() => parseList('Zorgaanbiederskoppellijst', zal3, '2'))).toMatchObject({
      code: 'wrong-root',
      message: `expected <Zorgaanbiederskoppellijst> in namespace ${namespaceOf('Zorgaanbiederskoppellijst', '2')}, got <Zorgaanbiederslijst> in ${NS3}`,
    });
  });

  it('the validator says it first, before libxml2 finds no matching declaration', async () => {
    const result = await validateList('Zorgaanbiederslijst', zal2, { afsprakenstelsel: '2', allowSandboxVariant: true });
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/^expected a release3 Zorgaanbiederslijst \(afsprakenstelsel 2\) in namespace .*release3\/, got a release2/);
    expect(result.errors[1]).toMatch(/No matching global declaration available for the validation root/);
  });

  it('the Whitelist and Gegevensdienstnamenlijst are the same in both', () => {
    for (const kind of ['Whitelist', 'Gegevensdienstnamenlijst'] as const) {
      const xml = example(`MedMij_${kind}_example.xml`);
      expect(parseList(kind, xml, '2')).toEqual(parseList(kind, xml));
    }
  });
});

describe('the 2.x lists generated from the default topology', () => {
  const lists = listsFromTopology(topology, new Set(), '2');

  it('publish one Interfaceversie, no Abonneren, every DVZA as ZA', () => {
    const zal = lists.Zorgaanbiederslijst;
    expect(zal.zorgaanbieders.map((z) => [z.zorgaanbiedernaam, z.aanbiedertype, z.interfaceversies.map((v) => v.interfaceversieId)])).toEqual([
      ['dekroon@medmij', 'ZA', [SANDBOX_INTERFACEVERSIE]],
      ['rivierenland@medmij', 'ZA', [SANDBOX_INTERFACEVERSIE]],
      ['ggzdeboog@medmij', 'ZA', [SANDBOX_INTERFACEVERSIE]],
    ]);
    expect(SANDBOX_INTERFACEVERSIE).toBe('2.0.0');
    // The same endpoints as the release2 list, under the Interfaceversie.
    const release2 = listsFromTopology(topology).Zorgaanbiederslijst;
    expect(zal.zorgaanbieders.map((z) => z.interfaceversies[0]!.gegevensdiensten)).toEqual(release2.zorgaanbieders.map((z) => z.gegevensdiensten));
    expect(JSON.stringify(zal)).not.toContain('abonneren');
    expect(lists.Whitelist).toEqual(listsFromTopology(topology).Whitelist);
    expect(lists.Gegevensdienstnamenlijst).toEqual(listsFromTopology(topology).Gegevensdienstnamenlijst);
  });

  it('the Koppellijst: an AGB code per DVZA from the seed, the display names, the Interfaceversie', () => {
    const koppellijst = lists.Zorgaanbiederskoppellijst.zorgaanbieders;
    expect(koppellijst.map((z) => z.zorgaanbiedernaam)).toEqual(['dekroon@medmij', 'rivierenland@medmij', 'ggzdeboog@medmij']);
    const agbs = koppellijst.map((z) => z.identificerendeKenmerken);
    for (const [k] of agbs) expect(k).toMatchObject({ type: 'AGB', value: expect.stringMatching(/^\d{8}$/) });
    // The huisartsenpraktijk's code starts with 01, the zorgsoort of huisartsen.
    expect(agbs[0]![0]!.value).toMatch(/^01/);
    expect(new Set(agbs.map(([k]) => k!.value)).size).toBe(3);
    expect(koppellijst[1]!.gegevensdiensten).toEqual([
      { gegevensdienstId: '48', weergavenaam: 'Verzamelen Basisgegevens zorg 3.0', interfaceversies: ['2.0.0'] },
      { gegevensdienstId: '46', weergavenaam: 'Verzamelen Laboratoriumresultaten 2.0', interfaceversies: ['2.0.0'] },
      { gegevensdienstId: '52', weergavenaam: 'Verzamelen Meetwaarden vitale functies 2.0', interfaceversies: ['2.0.0'] },
      { gegevensdienstId: '31', weergavenaam: 'Verzamelen Medicatiegegevens 9.0', interfaceversies: ['2.0.0'] },
    ]);
  });

  it('AGB codes follow from the seed and the name alone', () => {
    const again = listsFromTopology(loadTopology(defaultTopologyPath(), { env: {} }), new Set(), '2').Zorgaanbiederskoppellijst;
    expect(again).toEqual(lists.Zorgaanbiederskoppellijst);
    // Removing a DVZA changes no one else's code.
    const without = listsFromTopology(topology, new Set(['dekroon']), '2').Zorgaanbiederskoppellijst.zorgaanbieders;
    expect(without).toEqual(lists.Zorgaanbiederskoppellijst.zorgaanbieders.slice(1));
    // Another seed, other codes.
    const other = listsFromTopology({ ...topology, seed: 'another-seed' }, new Set(), '2').Zorgaanbiederskoppellijst.zorgaanbieders;
    expect(other.map((z) => z.identificerendeKenmerken[0]!.value)).not.toEqual(
      lists.Zorgaanbiederskoppellijst.zorgaanbieders.map((z) => z.identificerendeKenmerken[0]!.value),
    );
    // A code already taken is drawn again, from the same stream.
    const first = agbCode('medmij-sandbox', 'dekroon@medmij');
    const second = agbCode('medmij-sandbox', 'dekroon@medmij', { taken: new Set([first]) });
    expect(second).toMatch(/^\d{8}$/);
    expect(second).not.toBe(first);
    expect(agbCode('medmij-sandbox', 'dekroon@medmij', { taken: new Set([first]) })).toBe(second);
  });

  it('the OAuthclientlist: every gegevensdienst by default, or the ones given per client', () => {
    const all = topology.gegevensdiensten.map((g) => g.id);
    expect(lists.OAuthclientlist).toEqual({
      kind: 'OAuthclientlist',
      release: 'release3',
      oauthclients: [{ hostname: 'pgo.localhost', organisatienaam: 'MedMij Sandbox PGO', gegevensdiensten: all }],
    });
    const some = listsFromTopology(topology, new Set(), '2', { clientGegevensdiensten: { 'pgo.localhost': ['1', '4'] } });
    expect(some.OAuthclientlist.oauthclients[0]!.gegevensdiensten).toEqual(['1', '4']);
    expect(listsFromTopology(topology, new Set(['pgo']), '2').OAuthclientlist.oauthclients).toEqual([]);
  });

  for (const kind of listKindsOf('2')) {
    it(`round-trips ${kind}: write, validate against the 2.x schema, parse back to the same object`, async () => {
      const list = generated(kind);
      const xml = listToXml(list);
      expect(xml).toContain(`<${kind} xmlns="${namespaceOf(kind, '2')}">`);
      const validation = await validateList(kind, xml, { afsprakenstelsel: '2', allowSandboxVariant: true });
      expect(validation).toEqual({ valid: true, variant: kind === 'Zorgaanbiederslijst' ? 'sandbox' : 'official', errors: [] });
      expect(parseList(kind, xml, '2')).toEqual(list);
    });
  }

  it('the release3 Zorgaanbiederslijst fails the derived schema only on the port in front-channel URIs', async () => {
    const result = await validateList('Zorgaanbiederslijst', listToXml(generated('Zorgaanbiederslijst')), { afsprakenstelsel: '2' });
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors)
      expect(e).toMatch(/AuthorizationEndpointuri': \[facet 'pattern'\] The value 'https:\/\/[a-z.]+:87\d0\/oauth\/authorize' is not accepted/);
  });

  it('and is strictly valid where the front channels run on 443 (docker-compose)', async () => {
    const dvzaOn443 = { ...topology, participants: topology.participants.map((p) => (p.role === 'dvza' ? { ...p, frontchannelPort: 443 } : p)) };
    const result = await validateList('Zorgaanbiederslijst', listToXml(generated('Zorgaanbiederslijst', dvzaOn443)), { afsprakenstelsel: '2' });
    expect(result).toEqual({ valid: true, variant: 'official', errors: [] });
  });

  it("Debian's xmllint agrees on all five (an independent libxml2 build)", () => {
    if (spawnSync('xmllint', ['--version']).error) throw new Error('this test needs xmllint: apt-get install -y libxml2-utils (.ci/run does this)');
    const dir = tempDir();
    for (const kind of listKindsOf('2')) {
      const file = join(dir, `MedMij_${kind}.xml`);
      writeFileSync(file, listToXml(generated(kind) as AnyMedMijList));
      const variant = kind === 'Zorgaanbiederslijst' ? 'sandbox' : 'official';
      const r = spawnSync('xmllint', ['--noout', '--schema', schemaPath(kind, variant, '2'), file], { encoding: 'utf8' });
      expect(r.stderr.trim()).toBe(`${file} validates`);
    }
  });
});
