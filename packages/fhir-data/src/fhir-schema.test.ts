import { describe, expect, it } from 'vitest';
import { validatableResourceTypes, validateFhirResource } from './fhir-schema.js';
import { EMITTED_RESOURCE_TYPES, ENVELOPE_RESOURCE_TYPES } from './resource-types.js';

const patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { profile: ['http://fhir.nl/fhir/StructureDefinition/nl-core-patient'] },
  gender: 'female',
  birthDate: '1990-03-15',
};

describe('the vendored FHIR STU3 schema', () => {
  it('covers exactly the emitted types plus Bundle and OperationOutcome', () => {
    expect(validatableResourceTypes()).toEqual([...EMITTED_RESOURCE_TYPES, ...ENVELOPE_RESOURCE_TYPES].sort());
  });

  it('accepts a valid resource', () => {
    expect(validateFhirResource(patient)).toEqual({ valid: true, errors: [] });
  });

  it('rejects a wrong code, an unknown property and a malformed date', () => {
    const v = validateFhirResource({ ...patient, gender: 'man', geslacht: 'vrouw', birthDate: '15-03-1990' });
    expect(v.valid).toBe(false);
    expect(v.errors).toContain("/: must NOT have additional properties 'geslacht'");
    expect(v.errors.some((e) => e.startsWith('/gender: must be equal to one of the allowed values'))).toBe(true);
    expect(v.errors.some((e) => e.startsWith('/birthDate: must match pattern'))).toBe(true);
  });

  it('checks nested data types and wrong JSON types', () => {
    const v = validateFhirResource({ ...patient, name: [{ family: ['Jansen'], givn: ['Els'] }], active: 'yes' });
    expect(v.errors).toEqual(
      expect.arrayContaining(['/name/0/family: must be string', "/name/0: must NOT have additional properties 'givn'", '/active: must be boolean']),
    );
  });

  it('has the array-enum bug fixed (AllergyIntolerance.category)', () => {
    const allergy = { resourceType: 'AllergyIntolerance', id: 'a1', category: ['medication'], patient: { reference: 'Patient/p1' } };
    expect(validateFhirResource(allergy).valid).toBe(true);
    expect(validateFhirResource({ ...allergy, category: ['medicine'] }).errors).toEqual([
      '/category/0: must be equal to one of the allowed values (food, medication, environment, biologic)',
    ]);
  });

  it('requires what STU3 requires (Condition.subject) and rejects bad ids', () => {
    expect(validateFhirResource({ resourceType: 'Condition', id: 'c1' }).errors).toEqual(["/: must have required property 'subject'"]);
    expect(validateFhirResource({ ...patient, id: 'has space' }).valid).toBe(false);
    expect(validateFhirResource({ ...patient, id: 'x'.repeat(65) }).valid).toBe(false);
  });

  it('validates the resources inside a Bundle one by one', () => {
    const bundle = { resourceType: 'Bundle', id: 'b1', type: 'collection', entry: [{ resource: patient }, { resource: { ...patient, gender: 'man' } }] };
    expect(validateFhirResource(bundle).errors).toEqual([
      '/entry/1/resource/gender: must be equal to one of the allowed values (male, female, other, unknown)',
    ]);
    expect(validateFhirResource({ ...bundle, type: 'stapel' }).valid).toBe(false);
  });

  it('says what it cannot validate', () => {
    expect(validateFhirResource({ resourceType: 'Questionnaire', id: 'q' }).errors[0]).toMatch(/'Questionnaire' is not in the vendored schema/);
    expect(validateFhirResource({ id: 'x' }).errors[0]).toMatch(/no resourceType/);
  });

  // No timing here (CI is a busy 2-core machine): with the STU3 pattern as published, this near-miss would
  // backtrack exponentially and never finish; vendored-schema.test.ts checks that pattern is gone everywhere.
  it('rejects a near-miss of the anchored code pattern (no catastrophic backtracking)', () => {
    const v = validateFhirResource({ ...patient, language: `${'a'.repeat(5000)} ` });
    expect(v.valid).toBe(false);
    expect(v.errors).toEqual(['/language: must match pattern "^(?:[^\\s]+(\\s[^\\s]+)*)$"']);
  });
});
