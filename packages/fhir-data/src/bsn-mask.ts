/**
 * No BSN in the PGO's domain (SPEC §10.6): a DVP may not process the burgerservicenummer at all. A DVZA knows it
 * (DigiD hands it over) and answers with the identifier *masked*, as Nictiz's qualification fixture does: the
 * identifier keeps its system, and instead of `value` carries `_value` with the data-absent-reason extension
 * (valueCode `masked`) — valid STU3, and a reader still sees that a BSN exists and was withheld.
 *
 * Structural, not textual: every object anywhere in the JSON (an identifier, a Reference's identifier, a contained
 * resource, an extension's valueIdentifier) whose `system` is a BSN system. Browser-safe (no imports).
 */

/** The BSN naming systems: the FHIR NL URI, and the OID HL7v3/CDA (and some FHIR) systems use. */
export const BSN_SYSTEMS: readonly string[] = ['http://fhir.nl/fhir/NamingSystem/bsn', 'urn:oid:2.16.840.1.113883.2.4.6.3'];
export const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

/** What stands in for a BSN's value: `_value` with data-absent-reason `masked`. */
export function maskedValue(): { extension: Array<{ url: string; valueCode: string }> } {
  return { extension: [{ url: DATA_ABSENT_REASON, valueCode: 'masked' }] };
}

function isBsnIdentifier(o: Record<string, unknown>): boolean {
  return typeof o.system === 'string' && BSN_SYSTEMS.includes(o.system.trim());
}

/** Does this identifier (any object) say "a BSN, masked": a BSN system, no value, `_value` with data-absent-reason masked? */
export function isMaskedBsn(o: unknown): boolean {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return false;
  const r = o as Record<string, unknown>;
  const ext = (r._value as { extension?: Array<{ url?: unknown; valueCode?: unknown }> } | undefined)?.extension;
  return isBsnIdentifier(r) && r.value === undefined && (ext ?? []).some((e) => e.url === DATA_ABSENT_REASON && e.valueCode === 'masked');
}

/**
 * A copy of `value` with every BSN identifier masked, and where each was (JSON pointers). The input is left as it
 * is: the DVZA's own dossier keeps the BSN. An identifier with a BSN system but no value is masked too (its
 * `_value` may carry anything else), so whatever comes out says the same thing everywhere.
 */
export function maskBsn<T>(value: T): { masked: T; paths: string[] } {
  const paths: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}/${i}`));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const bsn = isBsnIdentifier(o);
    if (bsn && o.value !== undefined) paths.push(path || '/');
    for (const [k, item] of Object.entries(o)) {
      if (bsn && k === 'value') continue;
      if (bsn && k === '_value') continue;
      out[k] = walk(item, `${path}/${k}`);
      // `_value` right after `system`, where `value` would be: the masked identifier reads like Nictiz's fixture.
      if (bsn && k === 'system') out._value = maskedValue();
    }
    return out;
  };
  return { masked: walk(value, '') as T, paths };
}

/** Where a BSN value is in `value` (JSON pointers): a BSN identifier with a `value`. Empty when there is none. */
export function bsnValuePaths(value: unknown): string[] {
  return maskBsn(value).paths;
}
