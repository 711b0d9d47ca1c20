/**
 * The PGO's second line of defence for SPEC §10.6 (a DVP may not process the BSN): the DVZA masks it, and should one
 * not, the PGO drops every BSN value it received before anything is kept or shown.
 *
 * Dropping the value, not refusing the resource: the Patient it sits in carries what the person came for (name,
 * date of birth, huisarts), and only the value is unlawful here. The identifier keeps its system, marked masked
 * exactly as a DVZA masks it, so every reader (the dossier, the JSON view) sees one form; the collection says
 * that the PGO — not the DVZA — dropped it (`bsnWithheld`).
 */
import { isValidBsn, maskBsn } from '@medmij-sandbox/fhir-data';
import type { Bilingual, Collection } from '@medmij-sandbox/pgo-api';

export type Resource = Collection['resources'][number];

/** The resource without its BSN values, and how many it held. */
export function withoutBsn(resource: Resource): { resource: Resource; identifiers: number } {
  const { masked, paths } = maskBsn(resource);
  return { resource: masked, identifiers: paths.length };
}

/** What the collection page says about BSN values the PGO dropped. */
export function bsnWithheldNote(identifiers: number, when: 'collected' | 'stored'): Bilingual {
  return when === 'collected'
    ? {
        nl: `De zorgaanbieder stuurde ${identifiers === 1 ? 'een BSN' : `${identifiers} BSN's`} onafgeschermd mee. Een PGO mag het BSN niet verwerken: deze PGO heeft het weggelaten voordat iets werd bewaard.`,
        en: `The care provider sent ${identifiers === 1 ? 'a BSN' : `${identifiers} BSNs`} unmasked. A PGO may not process the BSN: this PGO dropped it before keeping anything.`,
      }
    : {
        nl: `Deze verzameling bevatte ${identifiers === 1 ? 'een BSN' : `${identifiers} BSN's`} (bewaard door een eerdere versie). Een PGO mag het BSN niet verwerken: deze PGO heeft het bij de start verwijderd.`,
        en: `This collection held ${identifiers === 1 ? 'a BSN' : `${identifiers} BSNs`} (stored by an earlier version). A PGO may not process the BSN: this PGO removed it at start.`,
      };
}

/** A stored collection without its BSN values; `identifiers` 0 when it held none (then it is returned as it was). */
export function collectionWithoutBsn(collection: Collection): { collection: Collection; identifiers: number } {
  // A damaged entry (not an object, no resources array) has no resources to clean: left as it is.
  if (!collection || typeof collection !== 'object' || !Array.isArray(collection.resources)) return { collection, identifiers: 0 };
  let identifiers = 0;
  const resources = collection.resources.map((r) => {
    const clean = withoutBsn(r);
    identifiers += clean.identifiers;
    return clean.resource;
  });
  if (identifiers === 0) return { collection, identifiers };
  const before = collection.bsnWithheld?.identifiers ?? 0;
  return {
    collection: { ...collection, resources, bsnWithheld: { identifiers: before + identifiers, note: bsnWithheldNote(before + identifiers, 'stored') } },
    identifiers,
  };
}

/**
 * A BSN as free text may carry it: nine digits, each pair of neighbours apart by nothing or by up to three
 * separators (spaces of any kind, dots, dashes, underscores, slashes: 999911120, 999.911.120, 9999 11 120,
 * 999 - 911 - 120). The 11-proef decides; an odd other number that passes it is hidden too — better one number
 * too many.
 */
const BSN_IN_TEXT = /(?<!\d)\d(?:[\s._/-]{0,3}\d){8}(?![\s._/-]{0,3}\d)/gu;

/**
 * Free text a DVZA sent (an `error_description`, an OperationOutcome's diagnostics) without the BSNs a leaky DVZA put
 * in it: the PGO keeps and shows the rest, with `[BSN]` where a number stood.
 */
export function withoutBsnInText(text: string): string {
  // Full-width digits read as ASCII first, so they cannot hide one.
  const plain = text.replace(/[\uFF10-\uFF19]/g, (d) => d.normalize('NFKC'));
  return plain.replace(BSN_IN_TEXT, (m) => (isValidBsn(m.replace(/\D/g, '')) ? '[BSN]' : m));
}
