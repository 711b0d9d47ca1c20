/**
 * Reading FHIR STU3 resources for the dossier view: pure functions, no rendering. FHIR JSON is loosely
 * typed here on purpose (the PGO shows what it got; a missing field is an empty cell, never a crash).
 */
import type { Collection } from '@medmij-sandbox/pgo-api';

export type Resource = Collection['resources'][number];
// FHIR elements are read defensively; `any` keeps the accessors short.
type Any = any;

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
const OBSERVATION_CATEGORY = 'http://hl7.org/fhir/observation-category';
const LAB_CATEGORY_CODES = ['275711006', '49581000146104', 'laboratory'];

/** CodeableConcept → text a person reads (text, else the first display, else the first code). */
export function conceptText(cc: Any): string {
  if (!cc) return '';
  if (typeof cc.text === 'string' && cc.text) return cc.text;
  const coding = (cc.coding ?? []) as Any[];
  return coding.find((c) => c.display)?.display ?? coding[0]?.code ?? '';
}

/** Coding → display or code. */
export function codingText(c: Any): string {
  return c?.display ?? c?.code ?? '';
}

export function hasCode(cc: Any, system: string, code: string): boolean {
  return ((cc?.coding ?? []) as Any[]).some((c) => c.system === system && c.code === code);
}

const BSN_SYSTEMS = ['http://fhir.nl/fhir/NamingSystem/bsn', 'urn:oid:2.16.840.1.113883.2.4.6.3'];
const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

/**
 * Whether a resource names a BSN, and how: 'masked' (no value, data-absent-reason masked: how a DVZA sends it,
 * SPEC §10.6), 'present' (a value: never shown), or undefined (no BSN identifier). The value itself is never read.
 */
export function bsnIdentifier(r: Any): 'masked' | 'present' | undefined {
  const bsn = ((r?.identifier ?? []) as Any[]).filter((i) => typeof i?.system === 'string' && BSN_SYSTEMS.includes(i.system));
  if (bsn.length === 0) return undefined;
  if (bsn.some((i) => i.value !== undefined)) return 'present';
  return bsn.every((i) => ((i._value?.extension ?? []) as Any[]).some((e) => e.url === DATA_ABSENT_REASON && e.valueCode === 'masked')) ? 'masked' : 'present';
}

/** HumanName → "Ada Bosman": text, else given (first) + prefix + family. */
export function humanName(names: Any): string {
  const list = (Array.isArray(names) ? names : names ? [names] : []) as Any[];
  const name = list.find((n) => n.use === 'official') ?? list[0];
  if (!name) return '';
  if (name.text) return name.text;
  const given = (name.given ?? [])[0] ?? '';
  return [given, ...(name.prefix ?? []), name.family ?? ''].filter(Boolean).join(' ');
}

export function quantityText(q: Any): string {
  if (!q || q.value === undefined) return '';
  const comparator = q.comparator ? `${q.comparator} ` : '';
  return `${comparator}${q.value}${q.unit ? ` ${q.unit}` : q.code ? ` ${q.code}` : ''}`;
}

/** The resources by "Type/id", for resolving references inside the collection. */
export function indexResources(resources: Resource[]): Map<string, Resource> {
  return new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
}

export function resolve(ref: Any, index: Map<string, Resource>): Resource | undefined {
  const reference = ref?.reference as string | undefined;
  if (!reference) return undefined;
  const local = reference.replace(/^.*\/([A-Za-z]+\/[^/]+)$/, '$1'); // absolute URL → Type/id
  return index.get(local);
}

export function byType(resources: Resource[], ...types: string[]): Resource[] {
  return resources.filter((r) => types.includes(r.resourceType));
}

function categories(r: Any): Any[] {
  const c = r.category;
  return Array.isArray(c) ? c : c ? [c] : [];
}

export function isLab(r: Resource): boolean {
  return r.resourceType === 'Observation' && categories(r).some((c: Any) => (c.coding ?? []).some((x: Any) => LAB_CATEGORY_CODES.includes(x.code)));
}

export function isVitalSign(r: Resource): boolean {
  return r.resourceType === 'Observation' && categories(r).some((c: Any) => hasCode(c, OBSERVATION_CATEGORY, 'vital-signs'));
}

/** The moment of an Observation (or similar): effectiveDateTime, effectivePeriod.start, issued. */
export function effectiveAt(r: Any): string | undefined {
  return r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued ?? undefined;
}

/** Newest first by a date accessor; undated last. */
export function newestFirst<T>(items: T[], at: (x: T) => string | undefined): T[] {
  return [...items].sort((a, b) => (at(b) ?? '').localeCompare(at(a) ?? ''));
}

/** Observation value as text: quantity, CodeableConcept, string, boolean, range. */
export function observationValue(r: Any): string {
  if (r.valueQuantity) return quantityText(r.valueQuantity);
  if (r.valueCodeableConcept) return conceptText(r.valueCodeableConcept);
  if (r.valueString !== undefined) return String(r.valueString);
  if (r.valueBoolean !== undefined) return String(r.valueBoolean);
  if (r.valueInteger !== undefined) return String(r.valueInteger);
  if (r.valueRange) return `${quantityText(r.valueRange.low)} – ${quantityText(r.valueRange.high)}`;
  if (Array.isArray(r.component)) {
    return (r.component as Any[])
      .map((c) => `${conceptText(c.code)}: ${c.valueQuantity ? quantityText(c.valueQuantity) : conceptText(c.valueCodeableConcept)}`)
      .join('; ');
  }
  return '';
}

export function referenceRangeText(r: Any): string {
  const range = (r.referenceRange ?? [])[0];
  if (!range) return '';
  if (range.text) return range.text;
  const low = range.low?.value;
  const high = range.high?.value;
  const unit = range.low?.unit ?? range.high?.unit ?? '';
  if (low !== undefined && high !== undefined) return `${low} – ${high}${unit ? ` ${unit}` : ''}`;
  if (low !== undefined) return `≥ ${low}${unit ? ` ${unit}` : ''}`;
  if (high !== undefined) return `≤ ${high}${unit ? ` ${unit}` : ''}`;
  return '';
}

/** Interpretation code H/L/HH/LL/A/N... → 'high' | 'low' | 'abnormal' | 'normal' | undefined. */
export function interpretationKind(r: Any): 'high' | 'low' | 'abnormal' | 'normal' | undefined {
  const codes = ((r.interpretation?.coding ?? []) as Any[]).map((c) => c.code as string);
  if (codes.some((c) => c === 'H' || c === 'HH' || c === 'HU')) return 'high';
  if (codes.some((c) => c === 'L' || c === 'LL' || c === 'LU')) return 'low';
  if (codes.some((c) => c === 'A' || c === 'AA')) return 'abnormal';
  if (codes.some((c) => c === 'N')) return 'normal';
  return undefined;
}

// ---- medication ----------------------------------------------------------------------------------

export interface MedicationRow {
  resource: Resource;
  kind: 'MedicationRequest' | 'MedicationDispense' | 'MedicationStatement';
  name: string;
  dosage: string;
  /** Sort key and display: the period of use, authoredOn, or the moment handed over. */
  when: string | undefined;
  period?: { start?: string; end?: string };
  status: string;
}

/** The medicine's name: the included Medication (medicationReference), else its display, else medicationCodeableConcept. */
export function medicationName(r: Any, index: Map<string, Resource>): string {
  const med = resolve(r.medicationReference, index) as Any;
  if (med) return conceptText(med.code) || r.medicationReference?.display || '';
  if (r.medicationReference?.display) return r.medicationReference.display;
  return conceptText(r.medicationCodeableConcept);
}

function dosageText(list: Any): string {
  return ((list ?? []) as Any[])
    .map((d) => d.text ?? '')
    .filter(Boolean)
    .join('; ');
}

function periodOfUse(r: Any): { start?: string; end?: string } | undefined {
  const ext = ((r.extension ?? []) as Any[]).find((e) => String(e.url).endsWith('PeriodOfUse'));
  return ext?.valuePeriod;
}

export function medicationRows(resources: Resource[], index: Map<string, Resource>): MedicationRow[] {
  const rows: MedicationRow[] = [];
  for (const r of resources as Any[]) {
    if (r.resourceType === 'MedicationRequest') {
      const period = periodOfUse(r) ?? r.dispenseRequest?.validityPeriod;
      rows.push({
        resource: r,
        kind: 'MedicationRequest',
        name: medicationName(r, index),
        dosage: dosageText(r.dosageInstruction),
        when: period?.start ?? r.authoredOn,
        period,
        status: r.status ?? '',
      });
    } else if (r.resourceType === 'MedicationDispense') {
      rows.push({
        resource: r,
        kind: 'MedicationDispense',
        name: medicationName(r, index),
        dosage: dosageText(r.dosageInstruction),
        when: r.whenHandedOver ?? r.whenPrepared,
        status: r.status ?? '',
      });
    } else if (r.resourceType === 'MedicationStatement') {
      const period = r.effectivePeriod ?? (r.effectiveDateTime ? { start: r.effectiveDateTime } : undefined);
      rows.push({
        resource: r,
        kind: 'MedicationStatement',
        name: medicationName(r, index),
        dosage: dosageText(r.dosage),
        when: period?.start ?? r.dateAsserted,
        period,
        status: r.status ?? '',
      });
    }
  }
  return newestFirst(rows, (x) => x.when);
}

// ---- vital signs ---------------------------------------------------------------------------------

export interface VitalSeries {
  /** LOINC code of the measurement. */
  code: string;
  nl: string;
  en: string;
  unit: string;
  lines: Array<{ code: string; nl: string; en: string; points: Array<{ at: string; value: number; resource: Resource }> }>;
}

export const VITAL_KINDS: Array<{ code: string; nl: string; en: string; components?: Array<{ code: string; nl: string; en: string }> }> = [
  {
    code: '85354-9',
    nl: 'Bloeddruk',
    en: 'Blood pressure',
    components: [
      { code: '8480-6', nl: 'Bovendruk (systolisch)', en: 'Systolic' },
      { code: '8462-4', nl: 'Onderdruk (diastolisch)', en: 'Diastolic' },
    ],
  },
  { code: '8867-4', nl: 'Hartfrequentie', en: 'Heart rate' },
  { code: '29463-7', nl: 'Lichaamsgewicht', en: 'Body weight' },
  { code: '8302-2', nl: 'Lichaamslengte', en: 'Body height' },
];

/** The four charted measurements, each oldest first; only those with data. */
export function vitalSeries(resources: Resource[]): VitalSeries[] {
  const observations = resources.filter((r) => r.resourceType === 'Observation') as Any[];
  const out: VitalSeries[] = [];
  for (const kind of VITAL_KINDS) {
    const matching = observations.filter((o) => hasCode(o.code, LOINC, kind.code) && effectiveAt(o));
    if (matching.length === 0) continue;
    const lineDefs = kind.components ?? [{ code: kind.code, nl: kind.nl, en: kind.en }];
    let unit = '';
    const lines = lineDefs.map((def) => {
      const points: Array<{ at: string; value: number; resource: Resource }> = [];
      for (const o of matching) {
        const q = kind.components ? ((o.component ?? []) as Any[]).find((c) => hasCode(c.code, LOINC, def.code))?.valueQuantity : o.valueQuantity;
        if (typeof q?.value !== 'number') continue;
        unit ||= q.unit ?? q.code ?? '';
        points.push({ at: effectiveAt(o)!, value: q.value, resource: o });
      }
      points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      return { ...def, points };
    });
    if (lines.every((l) => l.points.length === 0)) continue;
    out.push({ code: kind.code, nl: kind.nl, en: kind.en, unit, lines });
  }
  return out;
}

/** Vital-sign observations that are not one of the charted four (shown in a plain table). */
export function otherVitalSigns(resources: Resource[]): Resource[] {
  return resources.filter((r) => isVitalSign(r) && !VITAL_KINDS.some((k) => hasCode((r as Any).code, LOINC, k.code)));
}

// ---- consent (treatment directives, advance directives) -----------------------------------------

/** "Reanimatie: Nee" from the zib TreatmentDirective extensions; else the except codes. */
export function consentSummary(r: Any): { what: string; permitted: string } {
  const ext = ((r.extension ?? []) as Any[]).find((e) => String(e.url).endsWith('TreatmentDirective-Treatment'));
  const mod = ((r.modifierExtension ?? []) as Any[]).find((e) => String(e.url).endsWith('TreatmentPermitted'));
  const what =
    conceptText(ext?.valueCodeableConcept) ||
    ((r.except ?? []) as Any[]).flatMap((x) => (x.code ?? []).map(codingText)).join(', ') ||
    conceptText(r.category?.[0]);
  return { what, permitted: conceptText(mod?.valueCodeableConcept) };
}
