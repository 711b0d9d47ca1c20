/**
 * Builds schema/fhir-stu3-subset.schema.json: ONE JSON schema (draft-06, like HL7's fhir.schema.json) holding
 * only the FHIR STU3 (3.0.1) definitions reachable from the resource types this package emits, plus Bundle
 * and OperationOutcome. Tests validate every generated resource against it (src/fhir-schema.ts).
 *
 * Input: the per-resource STU3 schemas that @d4l/js-fhir-validator derives from HL7's fhir.schema.json
 * (FHIR 3.0.1). Get them with:
 *
 *     mkdir -p /tmp/fhirpk/d4l && cd /tmp/fhirpk/d4l
 *     npm pack @d4l/js-fhir-validator@1.0.5 && tar xzf d4l-js-fhir-validator-1.0.5.tgz
 *     # -> /tmp/fhirpk/d4l/package/stu3/json/<Type>.json  (MIT; each has `definitions` and `oneOf: [{$ref}]`)
 *
 * Run:  npx tsx packages/fhir-data/scripts/vendor-stu3-schema.ts [input dir] [output file]
 *       (defaults: /tmp/fhirpk/d4l/package/stu3/json, packages/fhir-data/schema/fhir-stu3-subset.schema.json)
 *
 * The input is not a dependency (the package is 34 MB packed, 349 MB unpacked), so no test rebuilds the
 * committed schema from it: after changing this script, stu3-subset.ts or EMITTED_RESOURCE_TYPES, run it
 * and commit the regenerated schema. src/fhir-schema.test.ts runs the same code on a small input of its own.
 *
 * What it changes, and why: see scripts/stu3-subset.ts, which does the work.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMITTED_RESOURCE_TYPES, ENVELOPE_RESOURCE_TYPES } from '../src/resource-types.js';
import { buildStu3Subset } from './stu3-subset.js';

const inputDir = process.argv[2] ?? '/tmp/fhirpk/d4l/package/stu3/json';
const outputPath = process.argv[3] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'fhir-stu3-subset.schema.json');
const ROOTS = [...EMITTED_RESOURCE_TYPES, ...ENVELOPE_RESOURCE_TYPES];

const { text, definitions } = buildStu3Subset(inputDir, ROOTS);
mkdirSync(dirname(outputPath), { recursive: true });
writeFileSync(outputPath, text);
process.stdout.write(`wrote ${outputPath}: ${definitions} definitions, ${(text.length / 1024).toFixed(1)} KiB\n`);
