/**
 * Writing and reading the list XML.
 *
 * Writing follows the file rules (SPEC §3.2): XML 1.0, UTF-8, default namespace without prefix, only
 * elements, pretty-printed.
 *
 * Reading is defensive, because a list arrives from the network: a size limit first, then no DOCTYPE at
 * all (MedMij lists never have one; refusing it rules out external entities (XXE) and entity-expansion
 * bombs before any parser sees them), then @xmldom/xmldom, which resolves no external resources.
 * Schema validity is checked separately (validate.ts) before a list is trusted.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { Afsprakenstelsel } from '@medmij-sandbox/network';
import { afsprakenstelselsOfNamespace, namespaceOf, releaseOf, type AnyListKind, type ListKind, type ListKindOf } from './kinds.js';
import {
  IDENTIFICERENDKENMERK_TYPES,
  type AnyMedMijList,
  type IdentificerendKenmerkType,
  type ListHeader,
  type ListIn,
  type ListOf,
  type ZorgaanbiederGegevensdienst,
  type ZorgaanbiederGegevensdienstRelease3,
  type ZorgaanbiederRelease3,
} from './model.js';
import { LISTS, said, say, type Said } from '@medmij-sandbox/rules';

/** Large enough for thousands of zorgaanbieders, small enough that a hostile server cannot exhaust memory. */
export const MAX_LIST_BYTES = 5 * 1024 * 1024;

export class ListXmlError extends Error {
  constructor(
    /** Why, as a catalogue reason: its English text is the message. */
    readonly said: Said,
    readonly code: 'too-large' | 'doctype' | 'not-utf8' | 'not-well-formed' | 'wrong-root' | 'wrong-release' | 'prefixed' | 'missing-element',
  ) {
    super(say(said));
    this.name = 'ListXmlError';
  }
}

type Node = [name: string, content: string | number | Node[]];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function render([name, content]: Node, depth: number): string {
  const pad = '    '.repeat(depth);
  if (Array.isArray(content)) {
    return `${pad}<${name}>\n${content.map((c) => render(c, depth + 1)).join('')}${pad}</${name}>\n`;
  }
  return `${pad}<${name}>${escape(String(content))}</${name}>\n`;
}

/** A Gegevensdienst of a Zorgaanbiederslijst; `Abonneren` exists in release3 only. */
function gegevensdienstNode(g: ZorgaanbiederGegevensdienst, abonneren?: ZorgaanbiederGegevensdienstRelease3['abonneren']): Node {
  return [
    'Gegevensdienst',
    [
      ['GegevensdienstId', g.gegevensdienstId],
      ['AuthorizationEndpoint', [['AuthorizationEndpointuri', g.authorizationEndpointUri]]],
      ['TokenEndpoint', [['TokenEndpointuri', g.tokenEndpointUri]]],
      ...(abonneren
        ? [
            [
              'Abonneren',
              [
                ['MaximaleDuur', abonneren.maximaleDuur],
                ['SubscriptionEndpointuri', abonneren.subscriptionEndpointUri],
              ],
            ] satisfies Node,
          ]
        : []),
      [
        'Systeemrollen',
        g.systeemrollen.map((s): Node => [
          'Systeemrol',
          [
            ['Systeemrolcode', s.systeemrolcode],
            ['ResourceEndpoint', [['ResourceEndpointuri', s.resourceEndpointUri]]],
          ],
        ]),
      ],
    ],
  ];
}

/** The type names an element: only the schema's choices may become one (no markup from a stray string). */
function kenmerkElement(type: IdentificerendKenmerkType): string {
  if (!IDENTIFICERENDKENMERK_TYPES.includes(type))
    throw new RangeError(`IdentificerendKenmerk type ${JSON.stringify(type)} is none of ${IDENTIFICERENDKENMERK_TYPES.join(', ')}`);
  return type;
}

/** Writes a list of either afsprakenstelsel: a 2.x list that changed says so by its `release`. */
export function listToXml(list: AnyMedMijList): string {
  const body: Node[] = [
    ['Tijdstempel', list.tijdstempel],
    ['Volgnummer', list.volgnummer],
  ];
  // Whitelist and Gegevensdienstnamenlijst are the same in both; 'release' marks the 2.x lists that changed.
  const afsprakenstelsel: Afsprakenstelsel = list.kind === 'Zorgaanbiederskoppellijst' || 'release' in list ? '2' : '1.5';
  switch (list.kind) {
    case 'Zorgaanbiederslijst':
      if ('release' in list) {
        body.push([
          'Zorgaanbieders',
          list.zorgaanbieders.map((z): Node => [
            'Zorgaanbieder',
            [
              ['Zorgaanbiedernaam', z.zorgaanbiedernaam],
              ['Aanbiedertype', z.aanbiedertype],
              [
                'Interfaceversies',
                z.interfaceversies.map((v): Node => [
                  'Interfaceversie',
                  [
                    ['InterfaceversieId', v.interfaceversieId],
                    ['Gegevensdiensten', v.gegevensdiensten.map((g) => gegevensdienstNode(g, g.abonneren))],
                  ],
                ]),
              ],
            ],
          ]),
        ]);
        break;
      }
      body.push([
        'Zorgaanbieders',
        list.zorgaanbieders.map((z): Node => [
          'Zorgaanbieder',
          [
            ['Zorgaanbiedernaam', z.zorgaanbiedernaam],
            ['Gegevensdiensten', z.gegevensdiensten.map((g) => gegevensdienstNode(g))],
          ],
        ]),
      ]);
      break;
    case 'Zorgaanbiederskoppellijst':
      body.push([
        'Zorgaanbieders',
        list.zorgaanbieders.map((z): Node => [
          'Zorgaanbieder',
          [
            ['Zorgaanbiedernaam', z.zorgaanbiedernaam],
            ['IdentificerendeKenmerken', z.identificerendeKenmerken.map((k): Node => ['IdentificerendKenmerk', [[kenmerkElement(k.type), k.value]]])],
            [
              'Gegevensdiensten',
              z.gegevensdiensten.map((g): Node => [
                'Gegevensdienst',
                [
                  ['GegevensdienstId', g.gegevensdienstId],
                  ['Weergavenaam', g.weergavenaam],
                  ['Interfaceversies', g.interfaceversies.map((v): Node => ['Interfaceversie', [['InterfaceversieId', v]]])],
                ],
              ]),
            ],
          ],
        ]),
      ]);
      break;
    case 'OAuthclientlist':
      body.push([
        'OAuthclients',
        'release' in list
          ? list.oauthclients.map((c): Node => [
              'OAuthclient',
              [
                ['Hostname', c.hostname],
                ['OAuthclientOrganisatienaam', c.organisatienaam],
                ['Gegevensdiensten', c.gegevensdiensten.map((id): Node => ['Gegevensdienst', [['GegevensdienstId', id]]])],
              ],
            ])
          : list.oauthclients.map((c): Node => [
              'OAuthclient',
              [
                ['Hostname', c.hostname],
                ['OAuthclientOrganisatienaam', c.organisatienaam],
              ],
            ]),
      ]);
      break;
    case 'Whitelist':
      body.push(['MedMijNodes', list.nodes.map((h): Node => ['MedMijNode', [['Hostname', h]]])]);
      break;
    case 'Gegevensdienstnamenlijst':
      body.push([
        'Gegevensdiensten',
        list.gegevensdiensten.map((g): Node => [
          'Gegevensdienst',
          [
            ['GegevensdienstId', g.gegevensdienstId],
            ['Weergavenaam', g.weergavenaam],
          ],
        ]),
      ]);
      break;
  }
  const inner = body.map((n) => render(n, 1)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${list.kind} xmlns="${namespaceOf(list.kind, afsprakenstelsel)}">\n${inner}</${list.kind}>\n`;
}

/**
 * Refuses what must never reach a parser: oversized input and any DOCTYPE (XXE, entity bombs). Returns the text,
 * without a UTF-8 byte order mark: XML 1.0 (appendix F) allows one before the declaration, and the parser would
 * otherwise take it for content before `<?xml`. A UTF-16 BOM is refused: MedMij lists are UTF-8 (SPEC §3.2).
 */
export function assertSafeXml(xml: string | Buffer): string {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.length;
  if (size > MAX_LIST_BYTES) throw new ListXmlError(said(LISTS.xml.tooLarge, { size, limit: MAX_LIST_BYTES }), 'too-large');
  if (typeof xml !== 'string' && xml.length >= 2) {
    const bom = xml[0] === 0xff && xml[1] === 0xfe ? 'UTF-16 little-endian' : xml[0] === 0xfe && xml[1] === 0xff ? 'UTF-16 big-endian' : undefined;
    if (bom) throw new ListXmlError(said(LISTS.xml.notUtf8, { bom }), 'not-utf8');
  }
  const decoded = typeof xml === 'string' ? xml : xml.toString('utf8');
  const text = decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new ListXmlError(said(LISTS.xml.doctype, {}), 'doctype');
  }
  return text;
}

/** Parses XML that passed assertSafeXml; returns the root element or throws a ListXmlError. */
function parseRoot(text: string): Element {
  const problems: string[] = [];
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    // xmldom throws on fatal errors (an unclosed element, text after the root)
    throw new ListXmlError(said(LISTS.xml.notWellFormed, { problem: (e as Error).message.split('\n')[0]! }), 'not-well-formed');
  }
  if (problems.length > 0 || !doc.documentElement) {
    throw new ListXmlError(said(LISTS.xml.notWellFormed, { problem: problems[0] ?? 'no root element' }), 'not-well-formed');
  }
  return doc.documentElement;
}

/**
 * Why this root is not the expected list, or undefined when it is. The right list in another release's namespace
 * (a release2 Zorgaanbiederslijst where 2.x expects release3, or the other way round) says which release it is.
 */
function rootProblem(root: Element, kind: AnyListKind, afsprakenstelsel: Afsprakenstelsel): ListXmlError | undefined {
  const namespace = namespaceOf(kind, afsprakenstelsel);
  if (root.localName === kind && root.namespaceURI === namespace) return undefined;
  const rootNamespace = root.namespaceURI ?? 'no namespace';
  const other = root.localName === kind ? afsprakenstelselsOfNamespace(kind, rootNamespace).find((a) => a !== afsprakenstelsel) : undefined;
  if (other) {
    const release = releaseOf(kind, afsprakenstelsel);
    const found = { foundRelease: releaseOf(kind, other), foundAfsprakenstelsel: other };
    return new ListXmlError(said(LISTS.xml.wrongRelease, { kind, release, afsprakenstelsel, namespace, ...found, rootNamespace }), 'wrong-release');
  }
  return new ListXmlError(said(LISTS.xml.wrongRoot, { kind, namespace, root: String(root.localName), rootNamespace }), 'wrong-root');
}

/**
 * The first element with a namespace prefix, as a refusal (SPEC §3.2: default namespace, no prefix). The schema
 * cannot tell `<zal:Zorgaanbiederslijst xmlns:zal="…">` from the default-namespace form: both name the same
 * namespace. Iterative, so a deeply nested hostile list cannot exhaust the stack.
 */
function prefixProblem(root: Element): ListXmlError | undefined {
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    if (el.prefix) {
      const problem = { element: String(el.localName), prefix: el.prefix, namespace: el.namespaceURI ?? 'no namespace' };
      return new ListXmlError(said(LISTS.xml.prefixed, problem), 'prefixed');
    }
    // Children pushed in reverse, so the first prefixed element in document order is the one named.
    stack.push(...elements(el).reverse());
  }
  return undefined;
}

/**
 * The list of this kind, in another release, when that is what the XML is: a clearer word than the schema
 * validator's "no matching global declaration". Undefined for anything else, including XML that does not parse.
 */
export function releaseMismatch(kind: AnyListKind, text: string, afsprakenstelsel: Afsprakenstelsel = '1.5'): Said | undefined {
  let root: Element;
  try {
    root = parseRoot(text);
  } catch {
    return undefined;
  }
  const problem = rootProblem(root, kind, afsprakenstelsel);
  return problem?.code === 'wrong-release' ? problem.said : undefined;
}

/** A list's header as the consumer compares it: the Volgnummer exactly (xs:positiveInteger has no upper bound). */
export interface ExactListHeader {
  tijdstempel: string;
  volgnummer: bigint;
}

/**
 * A list and its exact header. `list.volgnummer` is a JavaScript number, exact only up to 2^53 (enough to show
 * it); whoever compares Volgnummers compares `header.volgnummer`, so 9007199254740993 stays greater than
 * 9007199254740992. Validate against the schema first: it decides which Volgnummers are valid.
 */
export function parseListExact(
  kind: AnyListKind,
  xml: string | Buffer,
  afsprakenstelsel: Afsprakenstelsel = '1.5',
): { list: AnyMedMijList; header: ExactListHeader } {
  const { list, volgnummerText } = parseDocument(kind, xml, afsprakenstelsel);
  return { list, header: { tijdstempel: list.tijdstempel, volgnummer: exactVolgnummer(volgnummerText) } };
}

/** An xs:positiveInteger's lexical form (`+0057` is 57) as an exact integer. */
export function exactVolgnummer(text: string): bigint {
  const trimmed = text.trim();
  if (!/^\+?\d+$/.test(trimmed))
    throw new ListXmlError(said(LISTS.xml.notWellFormed, { problem: `Volgnummer '${trimmed}' is no positive integer` }), 'not-well-formed');
  return BigInt(trimmed);
}

/** A Volgnummer for a trace event's parameters and texts: a number while that is exact, its decimal digits beyond. */
export function volgnummerParam(volgnummer: bigint): number | string {
  return volgnummer <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(volgnummer) : volgnummer.toString();
}

/** Parses a list of the expected kind into a typed object. Validate against the schema first. */
export function parseList<K extends ListKind>(kind: K, xml: string | Buffer): ListOf<K>;
/** The same, for a list of an afsprakenstelsel: the 2.x Zorgaanbiederslijst and OAuthclientlist are release3. */
export function parseList<A extends Afsprakenstelsel, K extends ListKindOf<A>>(kind: K, xml: string | Buffer, afsprakenstelsel: A): ListIn<A, K>;
export function parseList(kind: AnyListKind, xml: string | Buffer, afsprakenstelsel: Afsprakenstelsel = '1.5'): AnyMedMijList {
  return parseDocument(kind, xml, afsprakenstelsel).list;
}

function parseDocument(kind: AnyListKind, xml: string | Buffer, afsprakenstelsel: Afsprakenstelsel): { list: AnyMedMijList; volgnummerText: string } {
  const text = assertSafeXml(xml);
  const root = parseRoot(text);
  const problem = rootProblem(root, kind, afsprakenstelsel) ?? prefixProblem(root);
  if (problem) throw problem;
  const volgnummerText = text1(root, 'Volgnummer');
  return { list: parseBody(kind, root, afsprakenstelsel, { tijdstempel: text1(root, 'Tijdstempel'), volgnummer: Number(volgnummerText) }), volgnummerText };
}

function parseBody(kind: AnyListKind, root: Element, afsprakenstelsel: Afsprakenstelsel, header: ListHeader): AnyMedMijList {
  const release3 = releaseOf(kind, afsprakenstelsel) === 'release3';
  switch (kind) {
    case 'Zorgaanbiederslijst': {
      const zorgaanbieders = children(child(root, 'Zorgaanbieders'), 'Zorgaanbieder');
      if (release3) {
        return {
          kind,
          release: 'release3',
          ...header,
          zorgaanbieders: zorgaanbieders.map((z) => ({
            zorgaanbiedernaam: text1(z, 'Zorgaanbiedernaam'),
            // The schema has the enumeration; a parser used without validation takes the word as it is.
            aanbiedertype: text1(z, 'Aanbiedertype') as ZorgaanbiederRelease3['aanbiedertype'],
            interfaceversies: children(child(z, 'Interfaceversies'), 'Interfaceversie').map((v) => ({
              interfaceversieId: text1(v, 'InterfaceversieId'),
              gegevensdiensten: children(child(v, 'Gegevensdiensten'), 'Gegevensdienst').map((g): ZorgaanbiederGegevensdienstRelease3 => {
                const abonneren = children(g, 'Abonneren')[0];
                return {
                  ...gegevensdienst(g),
                  ...(abonneren
                    ? {
                        abonneren: {
                          maximaleDuur: Number(text1(abonneren, 'MaximaleDuur')),
                          subscriptionEndpointUri: text1(abonneren, 'SubscriptionEndpointuri'),
                        },
                      }
                    : {}),
                };
              }),
            })),
          })),
        };
      }
      return {
        kind,
        ...header,
        zorgaanbieders: zorgaanbieders.map((z) => ({
          zorgaanbiedernaam: text1(z, 'Zorgaanbiedernaam'),
          gegevensdiensten: children(child(z, 'Gegevensdiensten'), 'Gegevensdienst').map(gegevensdienst),
        })),
      };
    }
    case 'Zorgaanbiederskoppellijst':
      return {
        kind,
        ...header,
        zorgaanbieders: children(child(root, 'Zorgaanbieders'), 'Zorgaanbieder').map((z) => ({
          zorgaanbiedernaam: text1(z, 'Zorgaanbiedernaam'),
          identificerendeKenmerken: children(child(z, 'IdentificerendeKenmerken'), 'IdentificerendKenmerk').map((k) => {
            const value = elements(k)[0];
            if (!value)
              throw new ListXmlError(
                said(LISTS.xml.missingElement, { parent: 'IdentificerendKenmerk', name: IDENTIFICERENDKENMERK_TYPES.join('|') }),
                'missing-element',
              );
            return { type: value.localName as IdentificerendKenmerkType, value: (value.textContent ?? '').trim() };
          }),
          gegevensdiensten: children(child(z, 'Gegevensdiensten'), 'Gegevensdienst').map((g) => ({
            gegevensdienstId: text1(g, 'GegevensdienstId'),
            weergavenaam: text1(g, 'Weergavenaam'),
            interfaceversies: children(child(g, 'Interfaceversies'), 'Interfaceversie').map((v) => text1(v, 'InterfaceversieId')),
          })),
        })),
      };
    case 'OAuthclientlist': {
      const clients = children(child(root, 'OAuthclients'), 'OAuthclient');
      const client = (c: Element) => ({ hostname: text1(c, 'Hostname'), organisatienaam: text1(c, 'OAuthclientOrganisatienaam') });
      if (release3) {
        return {
          kind,
          release: 'release3',
          ...header,
          oauthclients: clients.map((c) => ({
            ...client(c),
            gegevensdiensten: children(child(c, 'Gegevensdiensten'), 'Gegevensdienst').map((g) => text1(g, 'GegevensdienstId')),
          })),
        };
      }
      return { kind, ...header, oauthclients: clients.map(client) };
    }
    case 'Whitelist':
      return { kind, ...header, nodes: children(child(root, 'MedMijNodes'), 'MedMijNode').map((n) => text1(n, 'Hostname')) };
    case 'Gegevensdienstnamenlijst':
      return {
        kind,
        ...header,
        gegevensdiensten: children(child(root, 'Gegevensdiensten'), 'Gegevensdienst').map((g) => ({
          gegevensdienstId: text1(g, 'GegevensdienstId'),
          weergavenaam: text1(g, 'Weergavenaam'),
        })),
      };
  }
}

/** A Gegevensdienst of a Zorgaanbiederslijst as release2 has it (release3 adds Abonneren). */
function gegevensdienst(g: Element): ZorgaanbiederGegevensdienst {
  return {
    gegevensdienstId: text1(g, 'GegevensdienstId'),
    authorizationEndpointUri: text1(child(g, 'AuthorizationEndpoint'), 'AuthorizationEndpointuri'),
    tokenEndpointUri: text1(child(g, 'TokenEndpoint'), 'TokenEndpointuri'),
    systeemrollen: children(child(g, 'Systeemrollen'), 'Systeemrol').map((s) => ({
      systeemrolcode: text1(s, 'Systeemrolcode'),
      resourceEndpointUri: text1(child(s, 'ResourceEndpoint'), 'ResourceEndpointuri'),
    })),
  };
}

function elements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

function children(parent: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === name) out.push(n as Element);
  }
  return out;
}

function child(parent: Element, name: string): Element {
  const found = children(parent, name)[0];
  if (!found) throw new ListXmlError(said(LISTS.xml.missingElement, { parent: String(parent.localName), name }), 'missing-element');
  return found;
}

function text1(parent: Element, name: string): string {
  return (child(parent, name).textContent ?? '').trim();
}
