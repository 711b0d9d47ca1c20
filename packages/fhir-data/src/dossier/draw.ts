/**
 * Small helpers the dossier parts share: draws from a seeded stream (a normally distributed value, a date
 * in a range, a subset of a pool, a digit string for AGB, UZI, policy and accession numbers) and a few
 * pure ones (round, addYears, unique). Each draws exactly as many values from the stream as it always did:
 * the number and order of draws is part of the output for a seed.
 */
import type { RandomStream } from '@medmij-sandbox/network';
import { addDays, daysBetween, minDate, subtractYears } from '../dates.js';

/** A normally distributed value (Box–Muller) from the stream. */
export function normal(random: RandomStream, mean: number, sd: number): number {
  const u = 1 - random.float();
  const v = random.float();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

export function between(random: RandomStream, from: string, to: string): string {
  const span = daysBetween(from, to);
  return span <= 0 ? minDate(from, to) : addDays(from, random.int(0, span));
}

export function addYears(date: string, years: number): string {
  return subtractYears(date, -years);
}

export function pickSome<T>(random: RandomStream, pool: readonly T[], [min, max]: [number, number]): T[] {
  return random.shuffle(pool).slice(0, Math.min(pool.length, random.int(min, max)));
}

export const unique = <T>(items: T[]): T[] => [...new Set(items)];

export function digits(random: RandomStream, n: number, prefix = ''): string {
  let out = prefix;
  while (out.length < n) out += String(random.int(0, 9));
  return out;
}
