/**
 * The beschikbaarheidstoets (SPEC §2.2, §7): may this DVZA make data available for this person and these
 * gegevensdiensten? (a) a treatment relation exists or existed, (b) there is data for the gegevensdienst,
 * (c) the person is at least 16 on the sandbox clock's date. A deceased person cannot have logged in with
 * DigiD; if the sandbox lets one through, the DVZA refuses too.
 */
import { referenceAge, type Persona } from '@medmij-sandbox/fhir-data';
import { DVZA_AUTHORIZE, DVZA_TO_CLIENT, said, type Params, type Said, type ToClient } from '@medmij-sandbox/rules';

export const MINIMUM_AGE = 16;

/** Negative: the refusal to send back (its detail says why, for the trace and the audit log only). */
export type Toets = { ok: true; available: string[]; positive: Said } | { ok: false; negative: ToClient; params: Params };

const negative = <P extends Params>(refusal: ToClient<P>, params: P): Toets => ({
  ok: false,
  negative: refusal as ToClient,
  params,
});

export function beschikbaarheidstoets(o: { patient: Persona | undefined; bsn: string; dvzaId: string; requested: string[]; today: string }): Toets {
  const relation = o.patient?.providers.find((p) => p.providerId === o.dvzaId);
  if (!o.patient || !relation) return negative(DVZA_TO_CLIENT.noRelation, { bsn: o.bsn });
  const name = o.patient.name.display;
  if (o.patient.deceasedDate && o.patient.deceasedDate <= o.today) return negative(DVZA_TO_CLIENT.deceased, { name, died: o.patient.deceasedDate });
  const age = referenceAge(o.patient.birthDate, o.today);
  if (age < MINIMUM_AGE) return negative(DVZA_TO_CLIENT.under16, { name, age, today: o.today, born: o.patient.birthDate, minimum: MINIMUM_AGE });
  const available = o.requested.filter((id) => relation.gegevensdiensten.includes(id));
  if (available.length === 0) return negative(DVZA_TO_CLIENT.noData, { name, gegevensdiensten: o.requested.join(', ') });
  const missing = o.requested.filter((id) => !available.includes(id));
  const positive = said(DVZA_AUTHORIZE.positive, { name, age, today: o.today, available: available.join(', '), missing: missing.join(', ') });
  return { ok: true, available, positive };
}
