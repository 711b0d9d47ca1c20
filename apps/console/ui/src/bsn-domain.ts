/**
 * The trace holds the DVZA's view (SPEC §10.6: the DVZA and the TVS know the BSN, a PGO may not process it). Where
 * the inspector shows an event a DVZA or the TVS reported that holds a BSN, it marks it as their domain, so nobody
 * reads it as something the PGO knows. Pure, no DOM.
 */
import type { TraceEvent } from '@medmij-sandbox/console-api';

/** The 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not all zeros). */
function elfProef(digits: string): boolean {
  if (digits === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  return (sum - Number(digits[8])) % 11 === 0;
}

/** A field named bsn, or nine digits standing alone (not part of a longer number, id or hex serial) that pass the 11-proef. */
export function holdsBsn(e: TraceEvent): boolean {
  const json = JSON.stringify(e);
  if (/"bsn"\s*:\s*"\d/i.test(json)) return true;
  return [...json.matchAll(/(?<![\w.-])(\d{9})(?![\w.-])/g)].some((m) => elfProef(m[1]!));
}

/** Whose domain an event holding a BSN is: 'dvza' or 'tvs' by its reporter; undefined when it holds none or a PGO (or other) reported it. */
export function bsnDomainOf(e: TraceEvent): 'dvza' | 'tvs' | undefined {
  const reporter = e.reportedBy.toLowerCase().replace(/:\d+$/, '');
  const domain = reporter.endsWith('.dvza.localhost') ? 'dvza' : reporter === 'tvs.localhost' ? 'tvs' : undefined;
  return domain && holdsBsn(e) ? domain : undefined;
}
