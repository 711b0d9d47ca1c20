/**
 * The work of scripts/vendor-stu3-schema.ts as a function, so that a test can run it on an input it builds
 * itself: from a directory of per-resource FHIR STU3 schemas (as @d4l/js-fhir-validator ships them: each
 * file has `definitions` and `oneOf: [{$ref}]`) to the text of ONE JSON schema (draft-06, like HL7's
 * fhir.schema.json) holding only the definitions reachable from `roots`.
 *
 * What it changes, and why:
 * 1. Known STU3 schema bug: a few array properties carry their `enum` on the array itself instead of on the
 *    items (AllergyIntolerance.category, Timing.repeat.when, ...), so NO valid resource can pass
 *    (`["medication"]` is never equal to `"medication"`). The enum is moved into `items`.
 * 2. Second known bug: choice elements whose type is the SimpleQuantity profile are named `doseSimpleQuantity`,
 *    `rateSimpleQuantity`, ... but FHIR JSON names a choice element after the type *code*, which is `Quantity`
 *    (the STU3 examples write `doseQuantity`). They are renamed; where an `xxxQuantity` already exists
 *    (Extension.valueQuantity) the duplicate is dropped.
 * 3. `allOf: [{$ref: base}, {properties}]` inheritance chains (Element -> BackboneElement, Resource ->
 *    DomainResource -> Patient, ...) are flattened into one `properties` object with
 *    `additionalProperties: false`: the HL7 STU3 schema does not reject unknown properties at all, and
 *    `additionalProperties` cannot see through `allOf`. Now a misspelt element is an error.
 * 4. `pattern`s are anchored (^...$): JSON-schema patterns match anywhere, so the unanchored STU3 date pattern
 *    accepted any string containing four digits. The `code`/`language` pattern `[^\s]+([\s]?[^\s]+)*` is
 *    rewritten to the equivalent `[^\s]+(\s[^\s]+)*`, which has no nested ambiguous quantifier (anchored, the
 *    original backtracks exponentially on a non-matching string).
 * 5. ResourceList (the "any resource" union that Bundle.entry.resource and DomainResource.contained point
 *    to) is replaced by a permissive `{type: object, required: [resourceType]}`: keeping it would pull in
 *    every resource type. validateFhirResource() validates each Bundle entry's resource separately instead.
 * 6. `description` fields are dropped (size).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (x: Json | undefined): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

const refName = (ref: string) => ref.replace(/^#\/definitions\//, '');

// 3. Per-node clean-up: drop descriptions, move array enums into items, anchor patterns, ResourceList.
const PERMISSIVE_RESOURCE: Obj = { type: 'object', required: ['resourceType'] };
function clean(node: Json): Json {
  if (Array.isArray(node)) return node.map(clean);
  if (!isObj(node)) return node;
  if (node.$ref === '#/definitions/ResourceList') return PERMISSIVE_RESOURCE;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description') continue;
    out[k] = k === 'properties' && isObj(v) ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, clean(s)])) : clean(v);
  }
  if (out.type === 'array' && Array.isArray(out.enum)) {
    out.items = { ...(isObj(out.items) ? out.items : {}), enum: out.enum };
    delete out.enum;
  }
  if (typeof out.pattern === 'string') {
    const p = out.pattern === '[^\\s]+([\\s]?[^\\s]+)*' ? '[^\\s]+(\\s[^\\s]+)*' : out.pattern;
    out.pattern = `^(?:${p})$`;
  }
  return out;
}

const collectRefs = (node: Json, into: string[]) => {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, into));
  else if (isObj(node)) {
    if (typeof node.$ref === 'string') into.push(refName(node.$ref));
    Object.values(node).forEach((n) => collectRefs(n, into));
  }
};

/** The subset schema's text (one definition per line, ending in a newline) and how many definitions it holds. */
export function buildStu3Subset(inputDir: string, roots: readonly string[]): { text: string; definitions: number } {
  // 1. Every definition of every file; they are identical across files except ResourceList (see 4).
  const raw = new Map<string, Obj>();
  for (const file of readdirSync(inputDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const defs = (JSON.parse(readFileSync(join(inputDir, file), 'utf8')) as Obj).definitions;
    if (!isObj(defs)) continue;
    for (const [name, def] of Object.entries(defs)) {
      if (name === 'ResourceList' || !isObj(def)) continue;
      const seen = raw.get(name);
      if (seen && JSON.stringify(seen) !== JSON.stringify(def)) throw new Error(`definition ${name} differs between input files (${file})`);
      raw.set(name, def);
    }
  }
  for (const root of roots) if (!raw.has(root)) throw new Error(`no definition for ${root} in ${inputDir}`);

  // 2. Flatten allOf inheritance into one object with additionalProperties: false.
  const flat = new Map<string, Obj>();
  function flatten(name: string): Obj {
    const done = flat.get(name);
    if (done) return done;
    const def = raw.get(name);
    if (!def) throw new Error(`unknown definition ${name}`);
    const properties: Obj = {};
    const required = new Set<string>();
    const parts = Array.isArray(def.allOf) ? def.allOf : [def];
    for (const part of parts) {
      if (!isObj(part)) continue;
      const source = typeof part.$ref === 'string' ? flatten(refName(part.$ref)) : part;
      if (isObj(source.properties)) Object.assign(properties, source.properties);
      if (Array.isArray(source.required)) for (const r of source.required) required.add(String(r));
    }
    for (const name of Object.keys(properties)) {
      const m = /^(_?\w+)SimpleQuantity$/.exec(name);
      if (!m) continue;
      const target = `${m[1]}Quantity`;
      if (!(target in properties)) properties[target] = properties[name]!;
      delete properties[name];
    }
    const out: Obj = { type: 'object', properties };
    if (required.size > 0) out.required = [...required].sort();
    out.additionalProperties = false;
    flat.set(name, out);
    return out;
  }

  // 4. Keep what the roots reach.
  const definitions: Obj = {};
  const queue: string[] = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name in definitions) continue;
    const def = clean(flatten(name)) as Obj;
    definitions[name] = def;
    const refs: string[] = [];
    collectRefs(def, refs);
    queue.push(...refs.filter((r) => !(r in definitions)));
  }

  // Stable order: the roots first (as listed), then the data types alphabetically.
  const order = [
    ...roots,
    ...Object.keys(definitions)
      .filter((n) => !roots.includes(n))
      .sort(),
  ];
  const header = {
    $schema: 'http://json-schema.org/draft-06/schema#',
    $id: 'http://hl7.org/fhir/json-schema/3.0/medmij-sandbox-subset',
    $comment:
      'Generated by packages/fhir-data/scripts/vendor-stu3-schema.ts from the FHIR 3.0.1 JSON schema (via npm @d4l/js-fhir-validator@1.0.5, MIT). ' +
      'Subset: definitions reachable from the resource types the sandbox emits. Changed: array enums moved into items, xxxSimpleQuantity renamed ' +
      'xxxQuantity, allOf flattened with additionalProperties:false, patterns anchored, ResourceList made permissive (validate Bundle entries ' +
      'separately), descriptions dropped.',
  };
  // One definition per line: small, yet a regenerated file still diffs readably.
  const body = order.map((n) => `  ${JSON.stringify(n)}: ${JSON.stringify(definitions[n])}`).join(',\n');
  const text = `{\n${Object.entries(header)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
    .join('\n')}\n  "definitions": {\n${body.replace(/^/gm, '  ')}\n  }\n}\n`;
  JSON.parse(text); // fail here rather than in a test if the hand-made layout is off
  return { text, definitions: order.length };
}
