/**
 * The vendored FHIR STU3 schema (schema/fhir-stu3-subset.schema.json) and the script that builds it.
 *
 * Its real input, @d4l/js-fhir-validator@1.0.5, is not on the machine at test time (34 MB packed, 349 MB
 * unpacked: not worth a devDependency), so no test rebuilds the committed file from it. Instead:
 * - the script's code (scripts/stu3-subset.ts) runs on a small input in the same format, built in a
 *   temporary directory, and every change it makes (vendor-stu3-schema.ts lists them) is checked exactly;
 * - the committed file is checked for the shape that code gives (flattened, closed, anchored, no known
 *   STU3 bug left), so a hand edit or a stale file shows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStu3Subset } from '../scripts/stu3-subset.js';
import { EMITTED_RESOURCE_TYPES, ENVELOPE_RESOURCE_TYPES } from './resource-types.js';

type Obj = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const CODE_PATTERN = '[^\\s]+([\\s]?[^\\s]+)*';

/** Definitions as @d4l/js-fhir-validator writes them: allOf inheritance, primitives inline, descriptions. */
const INPUT_DEFINITIONS: Obj = {
  Element: {
    allOf: [
      {
        description: 'Base definition for all elements in a resource.',
        properties: {
          id: { description: 'unique id for the element', type: 'string' },
          _id: { description: 'Extensions for id', ...ref('Element') },
          extension: { description: 'Additional content', type: 'array', items: ref('Extension') },
        },
      },
    ],
  },
  Extension: {
    allOf: [
      ref('Element'),
      {
        properties: {
          url: { type: 'string' },
          valueQuantity: ref('Quantity'),
          valueSimpleQuantity: ref('Quantity'),
          valueCode: { type: 'string', pattern: CODE_PATTERN },
        },
        required: ['url'],
      },
    ],
  },
  Quantity: { allOf: [ref('Element'), { properties: { value: { type: 'number', pattern: '-?([0]|([1-9][0-9]*))(\\.[0-9]+)?' }, unit: { type: 'string' } } }] },
  BackboneElement: { allOf: [ref('Element'), { properties: { modifierExtension: { type: 'array', items: ref('Extension') } } }] },
  Resource: {
    allOf: [
      {
        description: 'Base Resource',
        properties: { id: { type: 'string', pattern: '[A-Za-z0-9\\-\\.]{1,64}' }, language: { type: 'string', pattern: CODE_PATTERN } },
      },
    ],
  },
  DomainResource: {
    allOf: [
      ref('Resource'),
      { properties: { contained: { type: 'array', items: ref('ResourceList') }, extension: { type: 'array', items: ref('Extension') } } },
    ],
  },
  Patient: {
    allOf: [
      ref('DomainResource'),
      {
        description: 'Demographics',
        properties: {
          resourceType: { description: 'This is a Patient resource', type: 'string', enum: ['Patient'] },
          gender: { enum: ['male', 'female'], type: 'string' },
          birthDate: { type: 'string', pattern: '-?[0-9]{4}' },
          _birthDate: ref('Element'),
          category: { type: 'array', enum: ['food', 'medication'] },
          description: { description: 'an element called description is kept', type: 'string' },
          doseSimpleQuantity: ref('Quantity'),
          _doseSimpleQuantity: ref('Element'),
        },
        required: ['resourceType'],
      },
    ],
  },
  Bundle: {
    allOf: [
      ref('Resource'),
      {
        properties: {
          resourceType: { type: 'string', enum: ['Bundle'] },
          type: { enum: ['collection', 'searchset'], type: 'string' },
          entry: { type: 'array', items: ref('Bundle_Entry') },
        },
        required: ['type', 'resourceType'],
      },
    ],
  },
  Bundle_Entry: { allOf: [ref('BackboneElement'), { properties: { fullUrl: { type: 'string' }, resource: ref('ResourceList') } }] },
  // Not reachable from the roots: left out.
  Practitioner: { allOf: [ref('DomainResource'), { properties: { resourceType: { type: 'string', enum: ['Practitioner'] } } }] },
};

const element = { id: { type: 'string' }, _id: ref('Element'), extension: { type: 'array', items: ref('Extension') } };
const anyResource = { type: 'object', required: ['resourceType'] };
const resourceBase = { id: { type: 'string', pattern: '^(?:[A-Za-z0-9\\-\\.]{1,64})$' }, language: { type: 'string', pattern: '^(?:[^\\s]+(\\s[^\\s]+)*)$' } };

/** What the script must make of INPUT_DEFINITIONS with roots Patient and Bundle, in this order. */
const EXPECTED: Obj = {
  Patient: {
    type: 'object',
    properties: {
      ...resourceBase,
      contained: { type: 'array', items: anyResource },
      extension: { type: 'array', items: ref('Extension') },
      resourceType: { type: 'string', enum: ['Patient'] },
      gender: { enum: ['male', 'female'], type: 'string' },
      birthDate: { type: 'string', pattern: '^(?:-?[0-9]{4})$' },
      _birthDate: ref('Element'),
      category: { type: 'array', items: { enum: ['food', 'medication'] } },
      description: { type: 'string' },
      doseQuantity: ref('Quantity'),
      _doseQuantity: ref('Element'),
    },
    required: ['resourceType'],
    additionalProperties: false,
  },
  Bundle: {
    type: 'object',
    properties: {
      ...resourceBase,
      resourceType: { type: 'string', enum: ['Bundle'] },
      type: { enum: ['collection', 'searchset'], type: 'string' },
      entry: { type: 'array', items: ref('Bundle_Entry') },
    },
    required: ['resourceType', 'type'],
    additionalProperties: false,
  },
  Bundle_Entry: {
    type: 'object',
    properties: { ...element, modifierExtension: { type: 'array', items: ref('Extension') }, fullUrl: { type: 'string' }, resource: anyResource },
    additionalProperties: false,
  },
  Element: { type: 'object', properties: element, additionalProperties: false },
  Extension: {
    type: 'object',
    properties: { ...element, url: { type: 'string' }, valueQuantity: ref('Quantity'), valueCode: { type: 'string', pattern: '^(?:[^\\s]+(\\s[^\\s]+)*)$' } },
    required: ['url'],
    additionalProperties: false,
  },
  Quantity: {
    type: 'object',
    properties: { ...element, value: { type: 'number', pattern: '^(?:-?([0]|([1-9][0-9]*))(\\.[0-9]+)?)$' }, unit: { type: 'string' } },
    additionalProperties: false,
  },
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A directory like the package's stu3/json: one file per resource type, each with all definitions. */
function inputDir(definitions: Obj = INPUT_DEFINITIONS, second: Obj = definitions): string {
  const dir = mkdtempSync(join(tmpdir(), 'stu3-subset-'));
  dirs.push(dir);
  const file = (type: string, defs: Obj, resourceList: string[]) =>
    JSON.stringify({
      description: 'see http://hl7.org/fhir/json.html#schema',
      definitions: { ...defs, ResourceList: { oneOf: resourceList.map(ref) } },
      oneOf: [ref(type)],
    });
  // ResourceList differs per file (as in the real package); it is replaced, so that must not matter.
  writeFileSync(join(dir, 'Patient.json'), file('Patient', definitions, ['Patient']));
  writeFileSync(join(dir, 'Bundle.json'), file('Bundle', second, ['Bundle', 'Patient']));
  writeFileSync(join(dir, 'README.md'), 'not a schema\n');
  return dir;
}

describe('scripts/stu3-subset.ts (what vendor-stu3-schema.ts runs)', () => {
  const { text, definitions } = buildStu3Subset(inputDir(), ['Patient', 'Bundle']);
  const parsed = JSON.parse(text) as { $schema: string; $id: string; $comment: string; definitions: Obj };

  it('keeps what the roots reach, roots first, then the data types alphabetically', () => {
    expect(definitions).toBe(6);
    expect(Object.keys(parsed.definitions)).toEqual(['Patient', 'Bundle', 'Bundle_Entry', 'Element', 'Extension', 'Quantity']);
  });

  it('flattens allOf, fixes the array enums and SimpleQuantity names, anchors patterns, drops descriptions', () => {
    expect(parsed.definitions).toEqual(EXPECTED);
    // Property order is the inheritance order (base first), renamed choice elements last.
    expect(Object.keys((parsed.definitions.Patient as { properties: Obj }).properties)).toEqual(
      Object.keys((EXPECTED.Patient as { properties: Obj }).properties),
    );
  });

  it('writes one definition per line under a fixed header', () => {
    expect(parsed.$schema).toBe('http://json-schema.org/draft-06/schema#');
    expect(parsed.$id).toBe('http://hl7.org/fhir/json-schema/3.0/medmij-sandbox-subset');
    const names = Object.keys(EXPECTED);
    const lines = names.map((n, i) => `    ${JSON.stringify(n)}: ${JSON.stringify(parsed.definitions[n])}${i < names.length - 1 ? ',' : ''}`);
    expect(text.split('\n').slice(4)).toEqual(['  "definitions": {', ...lines, '  }', '}', '']);
  });

  it('is deterministic', () => {
    expect(buildStu3Subset(inputDir(), ['Patient', 'Bundle']).text).toBe(text);
  });

  it('refuses input files that disagree, and a root the input lacks', () => {
    const other = { ...INPUT_DEFINITIONS, Quantity: { allOf: [ref('Element'), { properties: { value: { type: 'number' } } }] } };
    expect(() => buildStu3Subset(inputDir(INPUT_DEFINITIONS, other), ['Patient'])).toThrow(/definition Quantity differs between input files \(Patient\.json\)/);
    expect(() => buildStu3Subset(inputDir(), ['Patient', 'Observation'])).toThrow(/no definition for Observation in /);
  });
});

describe('the committed schema/fhir-stu3-subset.schema.json', () => {
  const text = readFileSync(new URL('../schema/fhir-stu3-subset.schema.json', import.meta.url), 'utf8');
  const schema = JSON.parse(text) as { $schema: string; $comment: string; definitions: Record<string, Obj> };
  const names = Object.keys(schema.definitions);
  const roots: string[] = [...EMITTED_RESOURCE_TYPES, ...ENVELOPE_RESOURCE_TYPES];

  /** Every schema node with its path, not descending into a `properties` map's keys as if they were keywords. */
  const nodes: { path: string; node: Obj }[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}/${i}`));
    else if (value !== null && typeof value === 'object') {
      nodes.push({ path, node: value as Obj });
      for (const [k, v] of Object.entries(value)) {
        if (k === 'properties') for (const [p, s] of Object.entries(v as Obj)) walk(s, `${path}/properties/${p}`);
        else walk(v, `${path}/${k}`);
      }
    }
  };
  for (const [name, def] of Object.entries(schema.definitions)) walk(def, name);

  it('is what the script writes: its header, the roots first, the rest sorted, one definition per line', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-06/schema#');
    expect(schema.$comment).toMatch(/^Generated by packages\/fhir-data\/scripts\/vendor-stu3-schema\.ts .*@d4l\/js-fhir-validator@1\.0\.5/);
    expect(names.slice(0, roots.length)).toEqual(roots);
    const rest = names.slice(roots.length);
    expect(rest).toEqual([...rest].sort());
    expect(text.split('\n').filter((l) => l.startsWith('    "'))).toHaveLength(names.length);
  });

  it('holds exactly what the roots reach, and every $ref resolves', () => {
    const refsOf = (name: string) => nodes.filter((n) => n.path.split('/')[0] === name && typeof n.node.$ref === 'string').map((n) => String(n.node.$ref));
    for (const r of nodes.map((n) => n.node.$ref).filter((x) => x !== undefined)) expect(names).toContain(String(r).replace('#/definitions/', ''));
    const reached = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (reached.has(name)) continue;
      reached.add(name);
      queue.push(...refsOf(name).map((r) => r.replace('#/definitions/', '')));
    }
    expect([...reached].sort()).toEqual([...names].sort());
  });

  it('has the script’s changes everywhere: flattened, closed, anchored, no STU3 bug left, no descriptions', () => {
    for (const [name, def] of Object.entries(schema.definitions)) {
      expect(def.type, name).toBe('object');
      expect(def.additionalProperties, name).toBe(false);
      expect(def.allOf, name).toBeUndefined();
      for (const p of Object.keys(def.properties as Obj)) expect(p, name).not.toMatch(/SimpleQuantity$/);
    }
    const bad = nodes.flatMap(({ path, node }) => [
      ...('description' in node ? [`${path}: description`] : []),
      ...(node.$ref === '#/definitions/ResourceList' ? [`${path}: ResourceList`] : []),
      ...(node.type === 'array' && 'enum' in node ? [`${path}: enum on an array`] : []),
      ...(typeof node.pattern === 'string' && !/^\^\(\?:.*\)\$$/.test(node.pattern) ? [`${path}: unanchored pattern`] : []),
      ...(node.pattern === `^(?:${CODE_PATTERN})$` ? [`${path}: the backtracking code pattern`] : []),
    ]);
    expect(bad).toEqual([]);
    expect(nodes.filter((n) => n.node.pattern === '^(?:[^\\s]+(\\s[^\\s]+)*)$').length).toBeGreaterThan(10);
  });
});
