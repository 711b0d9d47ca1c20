/**
 * The beschikbaarheidstoets (SPEC §2.2, §7): may this DVZA make data available for this person and these
 * gegevensdiensten? (a) a treatment relation exists or existed, (b) there is data for the gegevensdienst,
 * (c) the person is at least 16 on the sandbox clock's date. A deceased person cannot have logged in with
 * DigiD; if the sandbox lets one through, the DVZA refuses too.
 */
import { referenceAge, type Persona } from '@medmij-sandbox/fhir-data';

export const MINIMUM_AGE = 16;

export type Toets = { ok: true; available: string[]; explanation: string } | { ok: false; reason: string };

export function beschikbaarheidstoets(o: { patient: Persona | undefined; bsn: string; dvzaId: string; requested: string[]; today: string }): Toets {
  const relation = o.patient?.providers.find((p) => p.providerId === o.dvzaId);
  if (!o.patient || !relation) return { ok: false, reason: `no treatment relation with BSN ${o.bsn} at this zorgaanbieder` };
  const name = o.patient.name.display;
  if (o.patient.deceasedDate && o.patient.deceasedDate <= o.today) return { ok: false, reason: `${name} died on ${o.patient.deceasedDate}` };
  const age = referenceAge(o.patient.birthDate, o.today);
  if (age < MINIMUM_AGE) return { ok: false, reason: `${name} is ${age} on ${o.today} (born ${o.patient.birthDate}); MedMij requires at least ${MINIMUM_AGE}` };
  const available = o.requested.filter((id) => relation.gegevensdiensten.includes(id));
  if (available.length === 0) return { ok: false, reason: `no data for ${name} for gegevensdienst ${o.requested.join(', ')} at this zorgaanbieder` };
  const missing = o.requested.filter((id) => !available.includes(id));
  return {
    ok: true,
    available,
    explanation: `${name}, ${age} on ${o.today}, has a treatment relation and data for gegevensdienst ${available.join(', ')}${missing.length ? ` (none for ${missing.join(', ')}: left out of the scope)` : ''}`,
  };
}
