import { describe, expect, it } from 'vitest';
import { DATA_ABSENT_REASON, bsnValuePaths, isMaskedBsn, maskBsn } from './bsn-mask.js';
import { validateFhirResource } from './fhir-schema.js';

const BSN = 'http://fhir.nl/fhir/NamingSystem/bsn';
const MASKED = { extension: [{ url: DATA_ABSENT_REASON, valueCode: 'masked' }] };

describe('masking the BSN (SPEC §10.6)', () => {
  it("masks the Patient's identifier as Nictiz's fixture does, keeps the other identifiers, and leaves its input alone", () => {
    const patient = {
      resourceType: 'Patient',
      id: 'p1',
      identifier: [
        { use: 'official', system: BSN, value: '999911120' },
        { system: 'urn:oid:2.16.528.1.1007.3.3.1234', value: 'mrn-42' },
      ],
    };
    const before = JSON.stringify(patient);
    const { masked, paths } = maskBsn(patient);
    expect(masked.identifier).toEqual([
      { use: 'official', system: BSN, _value: MASKED },
      { system: 'urn:oid:2.16.528.1.1007.3.3.1234', value: 'mrn-42' },
    ]);
    // `_value` sits where `value` was: right after the system.
    expect(Object.keys(masked.identifier[0]!)).toEqual(['use', 'system', '_value']);
    expect(paths).toEqual(['/identifier/0']);
    expect(JSON.stringify(patient)).toBe(before);
    expect(validateFhirResource(masked)).toEqual({ valid: true, errors: [] });
    expect(isMaskedBsn(masked.identifier[0])).toBe(true);
    expect(isMaskedBsn(patient.identifier[0])).toBe(false);
    expect(isMaskedBsn(masked.identifier[1])).toBe(false);
  });

  it('finds a BSN anywhere: a reference by identifier, a contained resource, a Bundle entry, the BSN OID', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        {
          resource: {
            resourceType: 'Condition',
            id: 'c1',
            contained: [{ resourceType: 'Patient', id: 'inner', identifier: [{ system: BSN, value: '999911120' }] }],
            subject: { identifier: { system: 'urn:oid:2.16.840.1.113883.2.4.6.3', value: '999911120' }, display: 'J. Jansen' },
          },
        },
      ],
    };
    expect(bsnValuePaths(bundle)).toEqual(['/entry/0/resource/contained/0/identifier/0', '/entry/0/resource/subject/identifier']);
    const { masked } = maskBsn(bundle);
    expect(JSON.stringify(masked)).not.toContain('999911120');
    expect(masked.entry[0]!.resource.subject).toEqual({ identifier: { system: 'urn:oid:2.16.840.1.113883.2.4.6.3', _value: MASKED }, display: 'J. Jansen' });
    expect(bsnValuePaths(masked)).toEqual([]);
  });

  it('says "masked" however the BSN came: an empty value, or a `_value` of its own, comes out the same', () => {
    const { masked, paths } = maskBsn([{ system: BSN, value: '' }, { system: BSN, _value: { id: 'x' } }, { system: BSN }]);
    expect(masked).toEqual([
      { system: BSN, _value: MASKED },
      { system: BSN, _value: MASKED },
      { system: BSN, _value: MASKED },
    ]);
    expect(paths).toEqual(['/0']);
    // Not a BSN system: nothing changes.
    expect(maskBsn({ system: 'http://fhir.nl/fhir/NamingSystem/agb-z', value: '01234567' }).masked).toEqual({
      system: 'http://fhir.nl/fhir/NamingSystem/agb-z',
      value: '01234567',
    });
  });
});
