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
import { NAMESPACES, type ListKind } from './kinds.js';
import type { ListOf, MedMijList } from './model.js';
import { LISTS, said, say, type Said } from '@medmij-sandbox/rules';

/** Large enough for thousands of zorgaanbieders, small enough that a hostile server cannot exhaust memory. */
export const MAX_LIST_BYTES = 5 * 1024 * 1024;

export class ListXmlError extends Error {
  constructor(
    /** Why, as a catalogue reason: its English text is the message. */
    readonly said: Said,
    readonly code: 'too-large' | 'doctype' | 'not-well-formed' | 'wrong-root' | 'missing-element',
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

export function listToXml(list: MedMijList): string {
  const body: Node[] = [
    ['Tijdstempel', list.tijdstempel],
    ['Volgnummer', list.volgnummer],
  ];
  switch (list.kind) {
    case 'Zorgaanbiederslijst':
      body.push([
        'Zorgaanbieders',
        list.zorgaanbieders.map((z): Node => [
          'Zorgaanbieder',
          [
            ['Zorgaanbiedernaam', z.zorgaanbiedernaam],
            [
              'Gegevensdiensten',
              z.gegevensdiensten.map((g): Node => [
                'Gegevensdienst',
                [
                  ['GegevensdienstId', g.gegevensdienstId],
                  ['AuthorizationEndpoint', [['AuthorizationEndpointuri', g.authorizationEndpointUri]]],
                  ['TokenEndpoint', [['TokenEndpointuri', g.tokenEndpointUri]]],
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
              ]),
            ],
          ],
        ]),
      ]);
      break;
    case 'OAuthclientlist':
      body.push([
        'OAuthclients',
        list.oauthclients.map((c): Node => [
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
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${list.kind} xmlns="${NAMESPACES[list.kind]}">\n${inner}</${list.kind}>\n`;
}

/** Refuses what must never reach a parser: oversized input and any DOCTYPE (XXE, entity bombs). */
export function assertSafeXml(xml: string | Buffer): string {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.length;
  if (size > MAX_LIST_BYTES) throw new ListXmlError(said(LISTS.xml.tooLarge, { size, limit: MAX_LIST_BYTES }), 'too-large');
  const text = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new ListXmlError(said(LISTS.xml.doctype, {}), 'doctype');
  }
  return text;
}

/** Parses a list of the expected kind into a typed object. Validate against the schema first. */
export function parseList<K extends ListKind>(kind: K, xml: string | Buffer): ListOf<K> {
  const text = assertSafeXml(xml);
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
  const root = doc.documentElement;
  if (root.localName !== kind || root.namespaceURI !== NAMESPACES[kind]) {
    throw new ListXmlError(
      said(LISTS.xml.wrongRoot, { kind, namespace: NAMESPACES[kind], root: String(root.localName), rootNamespace: root.namespaceURI ?? 'no namespace' }),
      'wrong-root',
    );
  }
  const header = { tijdstempel: text1(root, 'Tijdstempel'), volgnummer: Number(text1(root, 'Volgnummer')) };
  switch (kind) {
    case 'Zorgaanbiederslijst':
      return {
        kind,
        ...header,
        zorgaanbieders: children(child(root, 'Zorgaanbieders'), 'Zorgaanbieder').map((z) => ({
          zorgaanbiedernaam: text1(z, 'Zorgaanbiedernaam'),
          gegevensdiensten: children(child(z, 'Gegevensdiensten'), 'Gegevensdienst').map((g) => ({
            gegevensdienstId: text1(g, 'GegevensdienstId'),
            authorizationEndpointUri: text1(child(g, 'AuthorizationEndpoint'), 'AuthorizationEndpointuri'),
            tokenEndpointUri: text1(child(g, 'TokenEndpoint'), 'TokenEndpointuri'),
            systeemrollen: children(child(g, 'Systeemrollen'), 'Systeemrol').map((s) => ({
              systeemrolcode: text1(s, 'Systeemrolcode'),
              resourceEndpointUri: text1(child(s, 'ResourceEndpoint'), 'ResourceEndpointuri'),
            })),
          })),
        })),
      } as ListOf<K>;
    case 'OAuthclientlist':
      return {
        kind,
        ...header,
        oauthclients: children(child(root, 'OAuthclients'), 'OAuthclient').map((c) => ({
          hostname: text1(c, 'Hostname'),
          organisatienaam: text1(c, 'OAuthclientOrganisatienaam'),
        })),
      } as ListOf<K>;
    case 'Whitelist':
      return { kind, ...header, nodes: children(child(root, 'MedMijNodes'), 'MedMijNode').map((n) => text1(n, 'Hostname')) } as ListOf<K>;
    default:
      return {
        kind,
        ...header,
        gegevensdiensten: children(child(root, 'Gegevensdiensten'), 'Gegevensdienst').map((g) => ({
          gegevensdienstId: text1(g, 'GegevensdienstId'),
          weergavenaam: text1(g, 'Weergavenaam'),
        })),
      } as ListOf<K>;
  }
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
