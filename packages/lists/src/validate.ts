/**
 * Schema validation with libxml2 (xmllint-wasm: the same engine and messages as Debian's `xmllint --schema`).
 * MedMij requires recipients to validate every list against its XSD (SPEC §3.2).
 */
import { createHash } from 'node:crypto';
import { validateXML } from 'xmllint-wasm';
import type { Afsprakenstelsel } from '@medmij-sandbox/network';
import { say } from '@medmij-sandbox/rules';
import { schemaPath, schemaText, type AnyListKind, type SchemaVariant } from './kinds.js';
import { assertSafeXml, releaseMismatch } from './xml.js';

export interface ValidationResult {
  valid: boolean;
  /** The schema that accepted the list (only when valid). */
  variant?: SchemaVariant;
  /** xmllint's messages, e.g. `MedMij_Whitelist.xml:5: element Volgnummer: ... '-3' is not a valid value ...`. */
  errors: string[];
}

export interface ValidateOptions {
  /** When the strict schema refuses a Zorgaanbiederslijst, try the variant that only allows front-channel ports. */
  allowSandboxVariant?: boolean;
  /** Whose schemas: '1.5' (default) the official release2/release1 ones, '2' the 2.x derivations (xsd/2.x). */
  afsprakenstelsel?: Afsprakenstelsel;
}

/**
 * Validates against the strict schema (in 1.5 the official one); when `allowSandboxVariant` is set and that
 * refuses a Zorgaanbiederslijst, tries the sandbox variant that only allows a port in front-channel URIs. A list
 * of the right kind in another release's namespace (a release2 Zorgaanbiederslijst where 2.x expects release3)
 * is refused with that said first, before the validator's own words.
 */
export async function validateList(kind: AnyListKind, xml: string | Buffer, opts: ValidateOptions = {}): Promise<ValidationResult> {
  const text = assertSafeXml(xml);
  const afsprakenstelsel = opts.afsprakenstelsel ?? '1.5';
  const official = await run(kind, text, 'official', afsprakenstelsel);
  const result =
    official.valid || !opts.allowSandboxVariant || kind !== 'Zorgaanbiederslijst'
      ? official
      : // Valid or not, the lenient schema's verdict is the one that matters: its errors are the real problems
        // (the official schema would also complain about every port).
        await run(kind, text, 'sandbox', afsprakenstelsel);
  if (result.valid) return result;
  const mismatch = releaseMismatch(kind, text, afsprakenstelsel);
  return mismatch ? { ...result, errors: [say(mismatch), ...result.errors] } : result;
}

/**
 * Verdicts by (schema, content hash). Each validation starts a fresh WASM libxml2 (~110 ms); every
 * participant in one process fetches the same bytes from the stelselnode, so the same question is
 * answered once. Bounded: a long-running sandbox publishes a new Volgnummer every hour.
 */
const verdicts = new Map<string, Promise<ValidationResult>>();
const MAX_VERDICTS = 256;

function run(kind: AnyListKind, xml: string, variant: SchemaVariant, afsprakenstelsel: Afsprakenstelsel): Promise<ValidationResult> {
  const key = `${schemaPath(kind, variant, afsprakenstelsel)}:${createHash('sha256').update(xml).digest('hex')}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
    verdict = runXmllint(kind, xml, variant, afsprakenstelsel);
    verdicts.set(key, verdict);
    // An engine failure is no verdict: ask again next time.
    verdict.catch(() => verdicts.delete(key));
  }
  return verdict;
}

async function runXmllint(kind: AnyListKind, xml: string, variant: SchemaVariant, afsprakenstelsel: Afsprakenstelsel): Promise<ValidationResult> {
  const result = await validateXML({
    xml: [{ fileName: `MedMij_${kind}.xml`, contents: xml }],
    schema: [{ fileName: `MedMij_${kind}.xsd`, contents: schemaText(kind, variant, afsprakenstelsel) }],
  });
  return result.valid ? { valid: true, variant, errors: [] } : { valid: false, errors: result.errors.map((e) => e.message.trim() || e.rawMessage.trim()) };
}
