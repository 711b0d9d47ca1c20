/**
 * The MedMij lists the stelselnode publishes, with their fixed file names, namespaces and schemas, per
 * afsprakenstelsel:
 * - 1.5: four lists, the official afsprakenset release2/release1 schemas (SPEC §3);
 * - 2: five lists (SPEC §10.4): the Zorgaanbiederslijst release3, the new Zorgaanbiederskoppellijst, the
 *   OAuthclientlist with the gegevensdiensten per client, and the unchanged Whitelist and Gegevensdienstnamenlijst.
 *   No official 2.x XSD is public; the sandbox's derivations are in xsd/2.x (see its README).
 *
 * The names without an afsprakenstelsel (LIST_KINDS, NAMESPACES, ListKind) are the 1.5 ones, as before; the
 * functions take an optional afsprakenstelsel that defaults to '1.5', so existing callers keep their behaviour.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SandboxError, type Afsprakenstelsel } from '@medmij-sandbox/network';
import { LISTS, said, say, type Said } from '@medmij-sandbox/rules';

/** The lists of afsprakenstelsel 1.5. */
export type ListKind = 'Zorgaanbiederslijst' | 'OAuthclientlist' | 'Whitelist' | 'Gegevensdienstnamenlijst';
export const LIST_KINDS: readonly ListKind[] = ['Zorgaanbiederslijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst'];

/** Every list of any afsprakenstelsel: 2.x adds the Zorgaanbiederskoppellijst. */
export type AnyListKind = ListKind | 'Zorgaanbiederskoppellijst';

/** The lists one afsprakenstelsel publishes. */
export type ListKindOf<A extends Afsprakenstelsel> = { '1.5': ListKind; '2': AnyListKind }[A];

const KINDS: { readonly [A in Afsprakenstelsel]: readonly ListKindOf<A>[] } = {
  '1.5': LIST_KINDS,
  '2': ['Zorgaanbiederslijst', 'Zorgaanbiederskoppellijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst'],
};

/** The lists an afsprakenstelsel publishes, in publication (and trace) order. */
export function listKindsOf<A extends Afsprakenstelsel>(afsprakenstelsel: A): readonly ListKindOf<A>[] {
  return KINDS[afsprakenstelsel];
}

export function isListKindOf<A extends Afsprakenstelsel>(kind: string, afsprakenstelsel: A): kind is ListKindOf<A> {
  return (KINDS[afsprakenstelsel] as readonly string[]).includes(kind);
}

/** The release in a list's namespace (`…/zorgaanbiederslijst/release3/`). */
export type ListRelease = 'release1' | 'release2' | 'release3';

const RELEASES: { readonly [A in Afsprakenstelsel]: Readonly<Record<ListKindOf<A>, ListRelease>> } = {
  '1.5': { Zorgaanbiederslijst: 'release2', OAuthclientlist: 'release2', Whitelist: 'release2', Gegevensdienstnamenlijst: 'release1' },
  '2': {
    Zorgaanbiederslijst: 'release3',
    Zorgaanbiederskoppellijst: 'release1',
    // The sandbox's own release number: no 2.x OAuthclientlist schema is public (xsd/2.x/derived).
    OAuthclientlist: 'release3',
    Whitelist: 'release2',
    Gegevensdienstnamenlijst: 'release1',
  },
};

export const NAMESPACES: Record<ListKind, string> = {
  // Yes, `xmlns://` — the official namespaces really start that way.
  Zorgaanbiederslijst: 'xmlns://afsprakenstelsel.medmij.nl/zorgaanbiederslijst/release2/',
  OAuthclientlist: 'xmlns://afsprakenstelsel.medmij.nl/oauthclientlist/release2/',
  Whitelist: 'xmlns://afsprakenstelsel.medmij.nl/whitelist/release2/',
  Gegevensdienstnamenlijst: 'xmlns://afsprakenstelsel.medmij.nl/gegevensdienstnamenlijst/release1/',
};

const NAMESPACES_BY: { readonly [A in Afsprakenstelsel]: Readonly<Record<ListKindOf<A>, string>> } = {
  '1.5': NAMESPACES,
  '2': {
    Zorgaanbiederslijst: 'xmlns://afsprakenstelsel.medmij.nl/zorgaanbiederslijst/release3/',
    // The capital Z is as in the published example; the other namespaces are lowercase.
    Zorgaanbiederskoppellijst: 'xmlns://afsprakenstelsel.medmij.nl/Zorgaanbiederskoppellijst/release1/',
    // The sandbox's own namespace (see RELEASES).
    OAuthclientlist: 'xmlns://afsprakenstelsel.medmij.nl/oauthclientlist/release3/',
    Whitelist: NAMESPACES.Whitelist,
    Gegevensdienstnamenlijst: NAMESPACES.Gegevensdienstnamenlijst,
  },
};

/** A list kind asked of an afsprakenstelsel that does not publish it (the Zorgaanbiederskoppellijst in 1.5). */
export class ListKindError extends SandboxError {
  constructor(
    /** Why, as a catalogue reason: its English text is the message. */
    readonly said: Said,
  ) {
    super(say(said));
    this.name = 'ListKindError';
  }
}

function assertKindOf(kind: string, afsprakenstelsel: Afsprakenstelsel): void {
  if (!isListKindOf(kind, afsprakenstelsel)) {
    throw new ListKindError(said(LISTS.kindNotPublished, { kind, afsprakenstelsel, kinds: KINDS[afsprakenstelsel].join(', ') }));
  }
}

/** A list's namespace in an afsprakenstelsel. */
export function namespaceOf(kind: AnyListKind, afsprakenstelsel: Afsprakenstelsel = '1.5'): string {
  assertKindOf(kind, afsprakenstelsel);
  return (NAMESPACES_BY[afsprakenstelsel] as Record<string, string>)[kind]!;
}

/** The release in a list's namespace in an afsprakenstelsel. */
export function releaseOf(kind: AnyListKind, afsprakenstelsel: Afsprakenstelsel = '1.5'): ListRelease {
  assertKindOf(kind, afsprakenstelsel);
  return (RELEASES[afsprakenstelsel] as Record<string, ListRelease>)[kind]!;
}

/** Which afsprakenstelsel a namespace of this kind belongs to, if any (a Whitelist's belongs to both). */
export function afsprakenstelselsOfNamespace(kind: AnyListKind, namespace: string): Afsprakenstelsel[] {
  return (Object.keys(NAMESPACES_BY) as Afsprakenstelsel[]).filter(
    (a) => isListKindOf(kind, a) && (NAMESPACES_BY[a] as Record<string, string>)[kind] === namespace,
  );
}

/** `/MedMij_Zorgaanbiederslijst.xml` etc.: the fixed publication paths (the same in every afsprakenstelsel). */
export function listFileName(kind: AnyListKind): string {
  return `MedMij_${kind}.xml`;
}

export function listKindFromFileName(name: string): ListKind | undefined;
export function listKindFromFileName<A extends Afsprakenstelsel>(name: string, afsprakenstelsel: A): ListKindOf<A> | undefined;
export function listKindFromFileName(name: string, afsprakenstelsel: Afsprakenstelsel = '1.5'): AnyListKind | undefined {
  const match = /^MedMij_([A-Za-z]+)\.xml$/.exec(name);
  return KINDS[afsprakenstelsel].find((k) => k === match?.[1]);
}

/**
 * Which schema: the strict one, or the sandbox variant that only allows a port in front-channel URIs (a
 * Zorgaanbiederslijst only). In 1.5 the strict schemas are the official ones; in 2 they are the sandbox's
 * derivations (xsd/2.x/derived) for the lists that changed, the official release2/release1 ones for the rest.
 */
export type SchemaVariant = 'official' | 'sandbox';

/** The lists whose 2.x schema differs from the release2/release1 one. */
const DERIVED_IN_2: readonly AnyListKind[] = ['Zorgaanbiederslijst', 'Zorgaanbiederskoppellijst', 'OAuthclientlist'];

/** Is this list's schema in this afsprakenstelsel a sandbox derivation (xsd/2.x) rather than an official XSD? */
export function isDerivedSchema(kind: AnyListKind, afsprakenstelsel: Afsprakenstelsel = '1.5'): boolean {
  return afsprakenstelsel === '2' && DERIVED_IN_2.includes(kind);
}

export function schemaPath(kind: AnyListKind, variant: SchemaVariant = 'official', afsprakenstelsel: Afsprakenstelsel = '1.5'): string {
  assertKindOf(kind, afsprakenstelsel);
  const sandbox = variant === 'sandbox' && kind === 'Zorgaanbiederslijst';
  const folder = isDerivedSchema(kind, afsprakenstelsel) ? (sandbox ? '2.x/sandbox' : '2.x/derived') : sandbox ? 'sandbox' : 'official';
  return fileURLToPath(new URL(`../xsd/${folder}/MedMij_${kind}.xsd`, import.meta.url));
}

const schemaCache = new Map<string, string>();
export function schemaText(kind: AnyListKind, variant: SchemaVariant = 'official', afsprakenstelsel: Afsprakenstelsel = '1.5'): string {
  const path = schemaPath(kind, variant, afsprakenstelsel);
  let text = schemaCache.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    schemaCache.set(path, text);
  }
  return text;
}
