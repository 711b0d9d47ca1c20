/**
 * Burgerservicenummers for synthetic patients: 9 digits passing the 11-proef, always in the range
 * 9999xxxxx that test systems use (e.g. the MedMij qualification BSN 999911120), never a real person's.
 */
import type { RandomStream } from '@medmij-sandbox/network';

/** The 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not all zeros). */
export function isValidBsn(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn) || bsn === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(bsn[i]) * (9 - i);
  sum -= Number(bsn[8]);
  return sum % 11 === 0;
}

export const TEST_BSN_PREFIX = '9999';

/** A valid test BSN (9999 + four drawn digits + check digit) not in `taken`. */
export function drawTestBsn(random: RandomStream, taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const body = `${TEST_BSN_PREFIX}${String(random.int(0, 9999)).padStart(4, '0')}`;
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(body[i]) * (9 - i);
    const check = sum % 11; // d9 must equal sum mod 11; 10 is no digit, so draw again
    if (check === 10) continue;
    const bsn = `${body}${check}`;
    if (!taken.has(bsn)) return bsn;
  }
}
