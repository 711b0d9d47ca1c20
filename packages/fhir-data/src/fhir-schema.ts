/**
 * Validates resources against the vendored FHIR STU3 JSON schema (schema/fhir-stu3-subset.schema.json,
 * built by scripts/vendor-stu3-schema.ts). Uses ajv, a devDependency: import this module from tests and
 * tools only, never from src/index.ts.
 *
 * The schema declares draft-06 (like HL7's fhir.schema.json); ajv 8 speaks draft-07 by default, which
 * is a superset for everything the FHIR schema uses, so registering the draft-06 meta-schema is all it
 * takes. Bundle.entry.resource is only checked for a resourceType by the schema (see the vendor script);
 * this module validates each entry's resource against its own definition.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FhirResource } from './fhir.js';

export interface FhirValidation {
  valid: boolean;
  errors: string[];
}

interface Compiled {
  id: string;
  ajv: Ajv;
  types: Set<string>;
  cache: Map<string, ValidateFunction>;
}

let compiled: Compiled | undefined;

function load(): Compiled {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(new URL('../schema/fhir-stu3-subset.schema.json', import.meta.url), 'utf8')) as {
    $id: string;
    definitions: Record<string, { properties?: { resourceType?: unknown } }>;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(schema);
  const types = new Set(
    Object.entries(schema.definitions)
      .filter(([, d]) => d.properties?.resourceType)
      .map(([name]) => name),
  );
  compiled = { id: schema.$id, ajv, types, cache: new Map() };
  return compiled;
}

/** The resource types the vendored schema can validate. */
export function validatableResourceTypes(): string[] {
  return [...load().types].sort();
}

function validatorFor(c: Compiled, type: string): ValidateFunction {
  let v = c.cache.get(type);
  if (!v) {
    v = c.ajv.getSchema(`${c.id}#/definitions/${type}`);
    if (!v) throw new Error(`internal: no schema for ${type}`);
    c.cache.set(type, v);
  }
  return v;
}

function describe(e: ErrorObject, prefix: string): string {
  const where = `${prefix}${e.instancePath}` || '/';
  const p = e.params as Record<string, unknown>;
  const detail =
    e.keyword === 'additionalProperties' ? ` '${String(p.additionalProperty)}'` : e.keyword === 'enum' ? ` (${(p.allowedValues as unknown[]).join(', ')})` : '';
  return `${where}: ${e.message ?? e.keyword}${detail}`;
}

/** Validates one resource (a Bundle with its entries' resources) against the FHIR STU3 schema. */
export function validateFhirResource(resource: unknown, prefix = ''): FhirValidation {
  const c = load();
  const type = (resource as Partial<FhirResource> | null)?.resourceType;
  if (typeof type !== 'string') return { valid: false, errors: [`${prefix || '/'}: not a FHIR resource (no resourceType)`] };
  if (!c.types.has(type))
    return { valid: false, errors: [`${prefix || '/'}: resourceType '${type}' is not in the vendored schema (${[...c.types].join(', ')})`] };
  const validate = validatorFor(c, type);
  const errors = validate(resource) ? [] : (validate.errors ?? []).map((e) => describe(e, prefix));
  if (type === 'Bundle') {
    const entries = (resource as { entry?: { resource?: unknown }[] }).entry ?? [];
    entries.forEach((entry, i) => {
      if (entry?.resource !== undefined) errors.push(...validateFhirResource(entry.resource, `${prefix}/entry/${i}/resource`).errors);
    });
  }
  return { valid: errors.length === 0, errors };
}
