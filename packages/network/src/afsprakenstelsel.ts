/**
 * Which MedMij afsprakenstelsel the network speaks. Production runs 2.x (scope without `~id`, refresh tokens and
 * long-lived consent, gegevensdienst ids 48/49/…, release3 lists with a Zorgaanbiederskoppellijst); 1.5 stays
 * selectable so the same catalogue can be replayed against both (SPEC §10, docs/decisions).
 */
export const AFSPRAKENSTELSELS = ['2', '1.5'] as const;
export type Afsprakenstelsel = (typeof AFSPRAKENSTELSELS)[number];
export const DEFAULT_AFSPRAKENSTELSEL: Afsprakenstelsel = '2';

export function isAfsprakenstelsel(value: unknown): value is Afsprakenstelsel {
  return typeof value === 'string' && (AFSPRAKENSTELSELS as readonly string[]).includes(value);
}
