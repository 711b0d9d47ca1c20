/**
 * FHIR STU3 search over one patient's dossier: just the subset the MedMij queries use (SPEC §6.2) —
 * token parameters (category, code, status, class, type), date with prefixes (and Nictiz's periodofuse on a
 * medication agreement), _include, and Observation/$lastn.
 * Anything else is refused with a sentence naming the parameter, so a PGO developer learns at once what
 * this server does not do, instead of silently getting everything.
 */
import type { FhirResource } from '@medmij-sandbox/fhir-data';
import { DVZA_SEARCH, said, say, type Said } from '@medmij-sandbox/rules';

export class SearchError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly issueCode: 'invalid' | 'not-supported',
    /** Why, as a catalogue reason: its English text is the message. */
    readonly said: Said,
  ) {
    super(say(said));
  }
}

type Json = Record<string, unknown>;

interface Coding {
  system?: string;
  code?: string;
}

/** Where each token search parameter looks, per resource type (STU3 search parameter definitions). */
const TOKEN_PATHS: Record<string, Record<string, string[]>> = {
  '*': { _id: ['id'] },
  Observation: { category: ['category'], code: ['code'], status: ['status'] },
  Condition: { category: ['category'], code: ['code'], 'clinical-status': ['clinicalStatus'], 'verification-status': ['verificationStatus'] },
  Consent: { category: ['category'], status: ['status'] },
  AllergyIntolerance: { category: ['category'], code: ['code'], 'clinical-status': ['clinicalStatus'], criticality: ['criticality'] },
  MedicationStatement: { category: ['category'], status: ['status'], code: ['medicationCodeableConcept'] },
  MedicationRequest: { category: ['category'], status: ['status'], code: ['medicationCodeableConcept'] },
  MedicationDispense: { category: ['category'], status: ['status'], code: ['medicationCodeableConcept'] },
  Medication: { code: ['code'] },
  Procedure: { category: ['category'], code: ['code'], status: ['status'] },
  ProcedureRequest: { category: ['category'], code: ['code'], status: ['status'] },
  Encounter: { class: ['class'], status: ['status'], type: ['type'] },
  Flag: { category: ['category'], status: ['status'], code: ['code'] },
  Immunization: { status: ['status'], 'vaccine-code': ['vaccineCode'] },
  ImmunizationRecommendation: {},
  DeviceUseStatement: {},
  DeviceRequest: { status: ['status'], code: ['codeCodeableConcept'] },
  Appointment: { status: ['status'] },
  NutritionOrder: { status: ['status'] },
  Coverage: { type: ['type'] },
  // Huisartsgegevens (49) and Basisgegevens GGZ (50)
  EpisodeOfCare: { status: ['status'], type: ['type'] },
  Composition: { type: ['type'], status: ['status'] },
  CareTeam: { status: ['status'], category: ['category'] },
  CarePlan: { category: ['category'], status: ['status'] },
  DiagnosticReport: { category: ['category'], code: ['code'], status: ['status'] },
  Patient: {},
  Practitioner: {},
  Organization: {},
  RelatedPerson: {},
};

/** Where `date` looks, per resource type. */
const DATE_PATHS: Record<string, string[]> = {
  Observation: ['effectiveDateTime', 'effectivePeriod', 'issued'],
  Condition: ['onsetDateTime', 'assertedDate'],
  Procedure: ['performedDateTime', 'performedPeriod'],
  Encounter: ['period'],
  Immunization: ['date'],
  MedicationStatement: ['effectiveDateTime', 'effectivePeriod'],
  MedicationRequest: ['authoredOn'],
  MedicationDispense: ['whenHandedOver'],
  Flag: ['period'],
  Appointment: ['start'],
  EpisodeOfCare: ['period'],
  Composition: ['date'],
  CareTeam: ['period'],
  CarePlan: ['period'],
  DiagnosticReport: ['effectiveDateTime', 'effectivePeriod'],
};

/**
 * Date parameters on an extension, per type: Nictiz's `periodofuse` (MedicationRequest.extension PeriodOfUse),
 * which Huisartsgegevens asks as `periodofuse=ge<today>` for the medication in use today.
 */
const EXTENSION_DATES: Record<string, Record<string, string>> = {
  MedicationRequest: { periodofuse: 'http://nictiz.nl/fhir/StructureDefinition/zib-Medication-PeriodOfUse' },
};

/** _include targets: `<Type>:<param>` → the element holding the reference(s). */
const INCLUDES: Record<string, string> = {
  'Patient:general-practitioner': 'generalPractitioner',
  'Coverage:payor': 'payor',
  'MedicationStatement:medication': 'medicationReference',
  'MedicationRequest:medication': 'medicationReference',
  'MedicationDispense:medication': 'medicationReference',
  'DeviceUseStatement:device': 'device',
  'DeviceRequest:device': 'codeReference',
  'Observation:related-target': 'related.target',
  'Observation:specimen': 'specimen',
  'Observation:performer': 'performer',
  'Immunization:patient': 'patient',
  'Immunization:practitioner': 'practitioner.actor',
  'Condition:asserter': 'asserter',
  'Encounter:practitioner': 'participant.individual',
  'CareTeam:participant': 'participant.member',
};

/** Parameters that change the response, not the selection. */
const RESULT_PARAMETERS = new Set(['_include', '_format', 'max']);

export interface SearchResult {
  matches: FhirResource[];
  included: FhirResource[];
}

/**
 * Searches `resources` (one patient's resources in scope) for `type` with `params`.
 * `lastn`: the Observation/$lastn operation — the most recent `max` (default 1) per code.
 * `all`: every resource of the dossier, where _include may find Practitioners, Organizations and Medications.
 */
export function searchDossier(
  type: string,
  params: URLSearchParams,
  resources: readonly FhirResource[],
  o: { lastn?: boolean; all?: readonly FhirResource[] } = {},
): SearchResult {
  const tokenPaths = { ...TOKEN_PATHS['*'], ...TOKEN_PATHS[type] };
  let matches = resources.filter((r) => r.resourceType === type);

  for (const [name, value] of params) {
    if (RESULT_PARAMETERS.has(name)) continue;
    const [base, modifier] = name.split(':');
    if (modifier) throw new SearchError(400, 'not-supported', said(DVZA_SEARCH.modifier, { modifier, parameter: String(base) }));
    if (tokenPaths[base!]) {
      const wanted = value.split(',').map(parseToken);
      matches = matches.filter((r) => tokenPaths[base!]!.some((path) => valuesAt(r, path).some((v) => wanted.some((w) => tokenMatches(v, w)))));
    } else if (base === 'date' && DATE_PATHS[type]) {
      const test = parseDateParam(value);
      matches = matches.filter((r) => DATE_PATHS[type]!.some((path) => valuesAt(r, path).some((v) => test(v))));
    } else if (EXTENSION_DATES[type]?.[base!]) {
      const test = parseDateParam(value);
      const url = EXTENSION_DATES[type][base!];
      matches = matches.filter((r) =>
        (valuesAt(r, 'extension') as Json[]).some((e) => e.url === url && [e.valuePeriod, e.valueDateTime].some((v) => v !== undefined && test(v))),
      );
    } else {
      const supported = [...Object.keys(tokenPaths), ...(DATE_PATHS[type] ? ['date'] : []), ...Object.keys(EXTENSION_DATES[type] ?? {}), '_include'].join(', ');
      throw new SearchError(400, 'not-supported', said(DVZA_SEARCH.parameter, { parameter: name, type, supported }));
    }
  }

  if (o.lastn) {
    if (type !== 'Observation') throw new SearchError(400, 'invalid', said(DVZA_SEARCH.lastnObservationOnly, {}));
    const max = Number(params.get('max') ?? '1');
    if (!Number.isInteger(max) || max < 1) throw new SearchError(400, 'invalid', said(DVZA_SEARCH.max, { max: String(params.get('max')) }));
    matches = lastN(matches, max);
  } else if (params.has('max')) {
    throw new SearchError(400, 'invalid', said(DVZA_SEARCH.maxOutsideLastn, {}));
  }

  const pool = o.all ?? resources;
  const byRef = new Map(pool.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const included = new Map<string, FhirResource>();
  for (const include of params.getAll('_include')) {
    const [source, param, targetType] = include.split(':');
    const path = INCLUDES[`${source}:${param}`];
    if (!path || source !== type) {
      const supported = Object.keys(INCLUDES)
        .filter((k) => k.startsWith(`${type}:`))
        .join(', ');
      throw new SearchError(400, 'not-supported', said(DVZA_SEARCH.include, { include, type, supported }));
    }
    for (const match of matches) {
      for (const ref of valuesAt(match, path) as Array<{ reference?: string }>) {
        const target = ref?.reference ? byRef.get(ref.reference) : undefined;
        if (target && (!targetType || target.resourceType === targetType)) included.set(ref.reference!, target);
      }
    }
  }
  for (const m of matches) included.delete(`${m.resourceType}/${m.id}`);
  return { matches, included: [...included.values()] };
}

/** The values at a dotted path, flattening arrays on the way (FHIRPath-like, enough for these parameters). */
function valuesAt(resource: unknown, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const step of path.split('.')) {
    current = current.flatMap((v) => {
      const next = v && typeof v === 'object' ? (v as Json)[step] : undefined;
      return next === undefined ? [] : Array.isArray(next) ? next : [next];
    });
  }
  return current;
}

interface TokenQuery {
  system?: string;
  code?: string;
}

function parseToken(text: string): TokenQuery {
  const bar = text.indexOf('|');
  if (bar < 0) return { code: text };
  return { system: text.slice(0, bar), code: text.slice(bar + 1) || undefined };
}

/** A token value may be a code string, a Coding or a CodeableConcept. */
function tokenMatches(value: unknown, q: TokenQuery): boolean {
  if (typeof value === 'string') return q.system === undefined && value === q.code;
  if (!value || typeof value !== 'object') return false;
  const codings: Coding[] = Array.isArray((value as Json).coding) ? ((value as Json).coding as Coding[]) : [value as Coding];
  return codings.some((c) => (q.system === undefined || (q.system === '' ? !c.system : c.system === q.system)) && (q.code === undefined || c.code === q.code));
}

/**
 * `date=ge2025-01-01`: eq (default), ne, gt, lt, ge, le against dates, dateTimes and Periods. A Period without
 * an end is ongoing (it is after any date: gt and ge match), one without a start began before any (lt and le).
 */
function parseDateParam(text: string): (value: unknown) => boolean {
  const match = /^(eq|ne|gt|lt|ge|le)?(\d{4}(?:-\d{2}(?:-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?)$/.exec(text);
  if (!match) throw new SearchError(400, 'invalid', said(DVZA_SEARCH.date, { value: text }));
  const prefix = match[1] ?? 'eq';
  const at = match[2]!;
  const compare = (v: string) => {
    const a = v.slice(0, at.length);
    return a < at ? -1 : a > at ? 1 : 0;
  };
  return (value) => {
    if (value && typeof value === 'object') {
      const { start, end } = value as Json;
      if ((prefix === 'gt' || prefix === 'ge') && end === undefined) return true;
      if ((prefix === 'lt' || prefix === 'le') && start === undefined) return true;
    }
    const instants =
      typeof value === 'string'
        ? [value]
        : value && typeof value === 'object'
          ? [(value as Json).start, (value as Json).end].filter((x): x is string => typeof x === 'string')
          : [];
    return instants.some((v) => {
      const c = compare(v);
      return prefix === 'eq' ? c === 0 : prefix === 'ne' ? c !== 0 : prefix === 'gt' ? c > 0 : prefix === 'lt' ? c < 0 : prefix === 'ge' ? c >= 0 : c <= 0;
    });
  };
}

/** Observation/$lastn: per code (first coding), the `max` most recent by effective time. */
function lastN(observations: FhirResource[], max: number): FhirResource[] {
  const groups = new Map<string, FhirResource[]>();
  for (const o of observations) {
    const first = ((o.code as Json | undefined)?.coding as Coding[] | undefined)?.[0];
    const key = `${first?.system ?? ''}|${first?.code ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const when = (o: FhirResource) => String(o.effectiveDateTime ?? (o.effectivePeriod as Json | undefined)?.start ?? o.issued ?? '');
  return [...groups.values()].flatMap((g) => [...g].sort((a, b) => when(b).localeCompare(when(a))).slice(0, max));
}

/** The search parameters and includes this server supports for a type (for the CapabilityStatement). */
export function supportedSearch(type: string): { params: Array<{ name: string; type: 'token' | 'date' }>; includes: string[] } {
  const tokens = Object.keys({ ...TOKEN_PATHS[type] }).map((name) => ({ name, type: 'token' as const }));
  const dates = [...(DATE_PATHS[type] ? ['date'] : []), ...Object.keys(EXTENSION_DATES[type] ?? {})].map((name) => ({ name, type: 'date' as const }));
  return {
    params: [...tokens, ...dates],
    includes: Object.keys(INCLUDES).filter((k) => k.startsWith(`${type}:`)),
  };
}
