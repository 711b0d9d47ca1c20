/**
 * Dutch-looking people and places from a seeded faker: one Faker instance per seed (never the global
 * one), seeded from a RandomStream and pinned to the reference date, so output depends only on the inputs.
 */
import { Faker, base, en, nl } from '@faker-js/faker';
import type { RandomStream } from '@medmij-sandbox/network';

export function seededFaker(random: RandomStream, referenceDate: string): Faker {
  const faker = new Faker({ locale: [nl, en, base] });
  faker.seed([random.uint32(), random.uint32(), random.uint32(), random.uint32()]);
  // Faker's own date helpers would otherwise count from the wall clock.
  faker.setDefaultRefDate(`${referenceDate}T12:00:00Z`);
  return faker;
}

export interface DutchName {
  given: string;
  /** Tussenvoegsel, e.g. 'van der'. */
  prefix?: string;
  family: string;
  display: string;
}

/** faker nl writes last names with their tussenvoegsel ('van der Wal'): split it off. */
export function splitLastName(lastName: string): { prefix?: string; family: string } {
  const m = /^((?:[a-z']+ )+)(.+)$/.exec(lastName);
  return m ? { prefix: m[1]!.trim(), family: m[2]! } : { family: lastName };
}

export function dutchName(faker: Faker, gender: 'male' | 'female', lastName?: { prefix?: string; family: string }): DutchName {
  const given = faker.person.firstName(gender);
  const { prefix, family } = lastName ?? splitLastName(faker.person.lastName());
  const display = [given, prefix, family].filter(Boolean).join(' ');
  return prefix ? { given, prefix, family, display } : { given, family, display };
}

export interface DutchAddress {
  street: string;
  houseNumber: string;
  /** As FHIR nl-core writes it: '1234AB'. */
  postalCode: string;
  city: string;
}

export function dutchAddress(faker: Faker): DutchAddress {
  const street = faker.location.street();
  return {
    // faker nl builds street names from surnames, so some start with a lowercase tussenvoegsel.
    street: street.charAt(0).toUpperCase() + street.slice(1),
    houseNumber: String(faker.number.int({ min: 1, max: 250 })),
    postalCode: faker.location.zipCode().replace(' ', ''),
    city: faker.location.city(),
  };
}

export function mobileNumber(faker: Faker): string {
  return `06-${faker.string.numeric(8)}`;
}

export function landlineNumber(faker: Faker): string {
  return `0${faker.number.int({ min: 10, max: 79 })}-${faker.string.numeric(7)}`;
}

/** Plain ASCII local part on a reserved domain, so no generated address can reach anyone. */
export function emailAddress(name: DutchName): string {
  const ascii = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  return `${ascii(name.given)}.${ascii(`${name.prefix ?? ''}${name.family}`)}@example.com`;
}
