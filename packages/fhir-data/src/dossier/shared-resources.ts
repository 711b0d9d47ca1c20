/**
 * Resources shared by dossiers, with fixed ids and the same content wherever they appear, so a resource
 * server can keep all dossiers of a provider in one store: the provider's Organization and Practitioners
 * (zib HealthcareProvider, HealthProfessional; stream `fhir-data:provider:<id>`), an insurer's
 * Organization (zib Payer) and a Medication product (zib PharmaceuticalProduct).
 */
import { SeededRandom } from '@medmij-sandbox/network';
import { INSURERS } from '../codes.js';
import { MEDICINES, type MedicineKey } from '../medicine-codes.js';
import { PROFILE, SYSTEM, coding, type FhirResource } from '../fhir.js';
import { dutchAddress, dutchName, landlineNumber, seededFaker } from '../people.js';
import type { ProviderRef } from '../types.js';
import { digits } from './draw.js';
import { address, humanName } from './nl-core-datatypes.js';

export interface Staff {
  organization: FhirResource;
  practitioners: FhirResource[];
}

/** The provider's Organization and three Practitioners; identical in every dossier at that provider. */
export function providerStaff(seed: string, referenceDate: string, provider: ProviderRef): Staff {
  const random = new SeededRandom(seed).stream(`fhir-data:provider:${provider.id}`);
  const faker = seededFaker(random, referenceDate);
  const gp = provider.soort === 'huisartsenpraktijk';
  const organization: FhirResource = {
    resourceType: 'Organization',
    id: `organization-${provider.id}`,
    meta: { profile: [PROFILE.organization] },
    identifier: [
      { system: SYSTEM.agb, value: digits(random, 8, gp ? '01' : '') },
      { system: SYSTEM.ura, value: digits(random, 8) },
    ],
    active: true,
    ...(provider.soort ? { type: [{ text: provider.soort }] } : {}),
    name: provider.name,
    telecom: [{ system: 'phone', value: landlineNumber(faker), use: 'work' }],
    address: [address(dutchAddress(faker), 'work')],
  };
  const practitioners = [1, 2, 3].map((n): FhirResource => {
    const gender = random.int(0, 1) === 0 ? 'female' : 'male';
    const name = dutchName(faker, gender);
    return {
      resourceType: 'Practitioner',
      id: `practitioner-${provider.id}-${n}`,
      meta: { profile: [PROFILE.practitioner] },
      identifier: [
        { system: SYSTEM.uzi, value: digits(random, 9) },
        { system: SYSTEM.agb, value: digits(random, 8, gp ? '01' : '') },
      ],
      active: true,
      name: [humanName(name)],
      telecom: [{ system: 'phone', value: (organization.telecom as { value: string }[])[0]!.value, use: 'work' }],
      gender,
    };
  });
  return { organization, practitioners };
}

export function insurerOrganization(insurer: (typeof INSURERS)[number]): FhirResource {
  return {
    resourceType: 'Organization',
    id: `organization-uzovi-${insurer.uzovi}`,
    meta: { profile: [PROFILE.organization] },
    identifier: [{ system: SYSTEM.uzovi, value: insurer.uzovi }],
    name: insurer.name,
    address: [{ type: 'postal', city: insurer.city, country: 'NLD' }],
  };
}

export function medicationProduct(key: MedicineKey): FhirResource {
  const m = MEDICINES[key];
  const codings = [...('gstandaard' in m ? [m.gstandaard] : []), coding(SYSTEM.atc, m.atc, m.atcDisplay)];
  return {
    resourceType: 'Medication',
    id: `medication-${m.atc.toLowerCase()}`,
    meta: { profile: [PROFILE.product] },
    code: { coding: codings, text: m.name },
  };
}
