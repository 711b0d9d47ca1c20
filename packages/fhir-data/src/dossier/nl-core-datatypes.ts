/**
 * The nl-core data types that several resources share: a Dutch HumanName (nl-core-humanname: own prefix
 * and family name as extensions, assembly order NL1) and a Dutch Address (nl-core-address: street and
 * house number as extensions). Patient, RelatedPerson, Practitioner and Organization all use them.
 */
import { EXTENSION } from '../fhir.js';
import type { DutchAddress, DutchName } from '../people.js';

export function humanName(name: DutchName, use: 'official' | 'usual' = 'official'): Record<string, unknown> {
  const family: Record<string, unknown>[] = [];
  if (name.prefix) family.push({ url: EXTENSION.ownPrefix, valueString: name.prefix });
  family.push({ url: EXTENSION.ownName, valueString: name.family });
  return {
    extension: [{ url: EXTENSION.assemblyOrder, valueCode: 'NL1' }],
    use,
    text: name.display,
    family: name.prefix ? `${name.prefix} ${name.family}` : name.family,
    _family: { extension: family },
    given: [name.given, `${name.given.charAt(0)}.`],
    _given: [{ extension: [{ url: EXTENSION.nameQualifier, valueCode: 'BR' }] }, { extension: [{ url: EXTENSION.nameQualifier, valueCode: 'IN' }] }],
  };
}

export function address(a: DutchAddress, use: 'home' | 'work'): Record<string, unknown> {
  return {
    use,
    type: 'physical',
    line: [`${a.street} ${a.houseNumber}`],
    _line: [
      {
        extension: [
          { url: EXTENSION.streetName, valueString: a.street },
          { url: EXTENSION.houseNumber, valueString: a.houseNumber },
        ],
      },
    ],
    city: a.city,
    postalCode: a.postalCode,
    country: 'NLD',
  };
}
