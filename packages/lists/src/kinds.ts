/**
 * The four MedMij lists the stelselnode publishes, with their fixed file names, namespaces and
 * official schemas (afsprakenset release2/release1 namespaces, see SPEC §3).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ListKind = 'Zorgaanbiederslijst' | 'OAuthclientlist' | 'Whitelist' | 'Gegevensdienstnamenlijst';
export const LIST_KINDS: readonly ListKind[] = ['Zorgaanbiederslijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst'];

export const NAMESPACES: Record<ListKind, string> = {
  // Yes, `xmlns://` — the official namespaces really start that way.
  Zorgaanbiederslijst: 'xmlns://afsprakenstelsel.medmij.nl/zorgaanbiederslijst/release2/',
  OAuthclientlist: 'xmlns://afsprakenstelsel.medmij.nl/oauthclientlist/release2/',
  Whitelist: 'xmlns://afsprakenstelsel.medmij.nl/whitelist/release2/',
  Gegevensdienstnamenlijst: 'xmlns://afsprakenstelsel.medmij.nl/gegevensdienstnamenlijst/release1/',
};

/** `/MedMij_Zorgaanbiederslijst.xml` etc.: the fixed publication paths. */
export function listFileName(kind: ListKind): string {
  return `MedMij_${kind}.xml`;
}

export function listKindFromFileName(name: string): ListKind | undefined {
  const match = /^MedMij_([A-Za-z]+)\.xml$/.exec(name);
  return LIST_KINDS.find((k) => k === match?.[1]);
}

/** Which schema: the official one, or the sandbox variant that only allows a port in front-channel URIs. */
export type SchemaVariant = 'official' | 'sandbox';

export function schemaPath(kind: ListKind, variant: SchemaVariant = 'official'): string {
  const folder = variant === 'sandbox' && kind === 'Zorgaanbiederslijst' ? 'sandbox' : 'official';
  return fileURLToPath(new URL(`../xsd/${folder}/MedMij_${kind}.xsd`, import.meta.url));
}

const schemaCache = new Map<string, string>();
export function schemaText(kind: ListKind, variant: SchemaVariant = 'official'): string {
  const path = schemaPath(kind, variant);
  let text = schemaCache.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    schemaCache.set(path, text);
  }
  return text;
}
