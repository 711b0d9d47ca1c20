/**
 * Schema validation with libxml2 (xmllint-wasm: the same engine and messages as Debian's `xmllint --schema`).
 * MedMij requires recipients to validate every list against its XSD (SPEC §3.2).
 */
import { createHash } from 'node:crypto';
import { validateXML } from 'xmllint-wasm';
import { schemaText, type ListKind, type SchemaVariant } from './kinds.js';
import { assertSafeXml } from './xml.js';

export interface ValidationResult {
  valid: boolean;
  /** The schema that accepted the list (only when valid). */
  variant?: SchemaVariant;
  /** xmllint's messages, e.g. `MedMij_Whitelist.xml:5: element Volgnummer: ... '-3' is not a valid value ...`. */
  errors: string[];
}

/**
 * Validates against the official schema; when `allowSandboxVariant` is set and the official schema refuses a
 * Zorgaanbiederslijst, tries the sandbox variant that only allows a port in front-channel URIs.
 */
export async function validateList(kind: ListKind, xml: string | Buffer, opts: { allowSandboxVariant?: boolean } = {}): Promise<ValidationResult> {
  const text = assertSafeXml(xml);
  const official = await run(kind, text, 'official');
  if (official.valid || !opts.allowSandboxVariant || kind !== 'Zorgaanbiederslijst') return official;
  // Valid or not, the lenient schema's verdict is the one that matters: its errors are the real problems
  // (the official schema would also complain about every port).
  return run(kind, text, 'sandbox');
}

/**
 * Verdicts by (schema, content hash). Each validation starts a fresh WASM libxml2 (~110 ms); every
 * participant in one process fetches the same bytes from the stelselnode, so the same question is
 * answered once. Bounded: a long-running sandbox publishes a new Volgnummer every hour.
 */
const verdicts = new Map<string, Promise<ValidationResult>>();
const MAX_VERDICTS = 256;

function run(kind: ListKind, xml: string, variant: SchemaVariant): Promise<ValidationResult> {
  const key = `${kind}:${variant}:${createHash('sha256').update(xml).digest('hex')}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
    verdict = runXmllint(kind, xml, variant);
    verdicts.set(key, verdict);
    // An engine failure is no verdict: ask again next time.
    verdict.catch(() => verdicts.delete(key));
  }
  return verdict;
}

async function runXmllint(kind: ListKind, xml: string, variant: SchemaVariant): Promise<ValidationResult> {
  const result = await validateXML({
    xml: [{ fileName: `MedMij_${kind}.xml`, contents: xml }],
    schema: [{ fileName: `MedMij_${kind}.xsd`, contents: schemaText(kind, variant) }],
  });
  return result.valid ? { valid: true, variant, errors: [] } : { valid: false, errors: result.errors.map((e) => e.message.trim() || e.rawMessage.trim()) };
}
