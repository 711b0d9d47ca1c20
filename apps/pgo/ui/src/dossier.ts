/**
 * <pgo-dossier .collection=${c}>: one collection as a person reads it. Refused: what went wrong and why.
 * Collected: a patient header and one section per kind of data (only when there is data), each item
 * with its raw FHIR one click away; the queries the PGO ran under "Technische details".
 * Pure rendering of a `Collection` (no fetching), so it can be tested with generated data.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Collection } from '../../src/api.ts';
import { renderVitalChart } from './chart.ts';
import { renderRefusal, refusalStyles } from './common.ts';
import {
  byType,
  codingText,
  conceptText,
  consentSummary,
  effectiveAt,
  humanName,
  indexResources,
  interpretationKind,
  isLab,
  isVitalSign,
  medicationRows,
  newestFirst,
  observationValue,
  quantityText,
  referenceRangeText,
  resolve,
  vitalSeries,
  type MedicationRow,
  type Resource,
} from './fhir.ts';
import { ageInYears, formatDate, formatPeriod } from './format.ts';
import { LangController, lang, t } from './i18n.ts';
import { shared } from './styles.ts';

type Any = any;

interface Row {
  resource: Resource;
  cells: Array<TemplateResult | string>;
}

/** Resource types that are context for others (shown through them), not sections of their own. */
const CONTEXT_TYPES = ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Medication', 'Specimen', 'Device'];
const HANDLED_TYPES = [
  ...CONTEXT_TYPES,
  'Flag',
  'AllergyIntolerance',
  'Condition',
  'MedicationRequest',
  'MedicationDispense',
  'MedicationStatement',
  'Observation',
  'Immunization',
  'Encounter',
  'Procedure',
  'DeviceUseStatement',
  'Consent',
  'RelatedPerson',
  'Coverage',
];

function keyOf(r: Resource): string {
  return `${r.resourceType}/${r.id}`;
}

function domId(prefix: string, r: Resource): string {
  return `${prefix}-${r.resourceType}-${r.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

const CLINICAL_STATUS: Record<string, [string, string]> = {
  active: ['actief', 'active'],
  recurrence: ['teruggekeerd', 'recurrence'],
  inactive: ['niet actief', 'inactive'],
  remission: ['in remissie', 'in remission'],
  resolved: ['genezen', 'resolved'],
};
const CRITICALITY: Record<string, [string, string]> = {
  low: ['laag risico', 'low risk'],
  high: ['hoog risico', 'high risk'],
  'unable-to-assess': ['niet te beoordelen', 'unable to assess'],
};
const ALLERGY_CATEGORY: Record<string, [string, string]> = {
  food: ['voedsel', 'food'],
  medication: ['geneesmiddel', 'medication'],
  environment: ['omgeving', 'environment'],
  biologic: ['biologisch', 'biologic'],
};
const SEVERITY: Record<string, [string, string]> = {
  mild: ['licht', 'mild'],
  moderate: ['matig', 'moderate'],
  severe: ['ernstig', 'severe'],
};
const GENDER: Record<string, [string, string]> = {
  female: ['vrouw', 'female'],
  male: ['man', 'male'],
  other: ['anders', 'other'],
  unknown: ['onbekend', 'unknown'],
};
const ENCOUNTER_CLASS: Record<string, [string, string]> = {
  AMB: ['poliklinisch / spreekuur', 'outpatient'],
  IMP: ['opname', 'inpatient'],
  ACUTE: ['acute opname', 'acute inpatient'],
  NONAC: ['geplande opname', 'non-acute inpatient'],
  EMER: ['spoedeisende hulp', 'emergency'],
  HH: ['thuis', 'home'],
  VR: ['op afstand', 'virtual'],
  FLD: ['op locatie', 'field'],
  SS: ['dagbehandeling', 'day care'],
};
const STATUS: Record<string, [string, string]> = {
  active: ['actief', 'active'],
  completed: ['afgerond', 'completed'],
  finished: ['afgerond', 'finished'],
  stopped: ['gestopt', 'stopped'],
  'on-hold': ['onderbroken', 'on hold'],
  cancelled: ['geannuleerd', 'cancelled'],
  'entered-in-error': ['foutief ingevoerd', 'entered in error'],
  inactive: ['niet actief', 'inactive'],
  draft: ['concept', 'draft'],
  intended: ['voorgenomen', 'intended'],
  'in-progress': ['bezig', 'in progress'],
  preparation: ['in voorbereiding', 'preparation'],
  proposed: ['voorgesteld', 'proposed'],
  rejected: ['afgewezen', 'rejected'],
  unknown: ['onbekend', 'unknown'],
};

const TAKEN: Record<string, [string, string]> = {
  y: ['ja', 'yes'],
  n: ['nee', 'no'],
  unk: ['onbekend', 'unknown'],
  na: ['n.v.t.', 'n/a'],
};

function translated(map: Record<string, [string, string]>, code: string | undefined): string {
  if (!code) return '';
  const p = map[code];
  return p ? t(...p) : code;
}

@customElement('pgo-dossier')
export class PgoDossier extends LitElement {
  static override styles = [
    shared,
    refusalStyles,
    css`
      :host {
        display: block;
      }
      .lead {
        font-size: 1.05rem;
      }
      .patient {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.5rem 2rem;
        border-left: 6px solid var(--pgo-primary);
      }
      .patient h2 {
        font-size: 1.4rem;
        margin: 0;
      }
      .patient dl {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.5rem;
        margin: 0;
      }
      .patient dt {
        color: var(--pgo-muted);
        font-size: 0.875rem;
      }
      .patient dd {
        margin: 0;
        font-weight: 600;
      }
      .section-head {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 1rem;
        flex-wrap: wrap;
      }
      .count {
        color: var(--pgo-muted);
        font-weight: 400;
        font-size: 0.95rem;
      }
      td.fhir-cell {
        width: 1%;
        white-space: nowrap;
      }
      tr.json-row td {
        background: #fafbfc;
      }
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr));
        gap: 1rem 1.5rem;
      }
      figure.chart {
        margin: 0;
      }
      figure.chart figcaption {
        font-weight: 600;
        display: flex;
        gap: 0.5rem 1rem;
        flex-wrap: wrap;
        align-items: baseline;
      }
      .legend {
        display: inline-flex;
        gap: 1rem;
        font-weight: 400;
      }
      .legend-item {
        display: inline-flex;
        gap: 0.3rem;
        align-items: center;
      }
      .chart-svg {
        width: 100%;
        height: auto;
        display: block;
      }
      .interp {
        margin-left: 0.25rem;
      }
      .meta {
        color: var(--pgo-muted);
      }
      .pending {
        border-left: 6px solid var(--pgo-line-warn);
      }
      .tools {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        align-items: center;
      }
      h3.sub {
        margin-top: 1rem;
      }
      .full {
        flex-basis: 100%;
        min-width: 0;
      }
    `,
  ];

  private readonly langController = new LangController(this);

  @property({ attribute: false }) collection?: Collection;

  /** Keys (Type/id) of resources whose JSON is shown. */
  @state() private openJson = new Set<string>();
  @state() private showAllJson = false;

  private index = new Map<string, Resource>();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('collection')) {
      this.index = indexResources(this.collection?.resources ?? []);
      this.openJson = new Set();
      this.showAllJson = false;
    }
  }

  override render() {
    void this.langController;
    const c = this.collection;
    if (!c) return nothing;
    if (c.status === 'refused') return this.renderRefused(c);
    if (c.status === 'pending') return this.renderPending(c);
    return this.renderCollected(c);
  }

  // ---- status headers ----------------------------------------------------------------------------

  private metaLine(c: Collection): TemplateResult {
    return html`<p class="meta">
      ${c.weergavenaam} · ${c.displayName} (<span lang="zxx">${c.zorgaanbiedernaam}</span>) · ${t('gestart', 'started')}
      ${formatDate(c.startedAt, { time: true })}
    </p>`;
  }

  private renderRefused(c: Collection) {
    return html`
      <h1>${t('Niet opgehaald', 'Not collected')}</h1>
      ${this.metaLine(c)}
      <section class="card" aria-labelledby="refusal-heading">
        <h2 class="visually-hidden" id="refusal-heading">${t('Wat er gebeurde', 'What happened')}</h2>
        ${
          c.refusal
            ? renderRefusal(c.refusal, { headingLevel: 3 })
            : html`<p>${t('De PGO kreeg geen gegevens; de server gaf geen reden op.', 'The PGO got no data; the server gave no reason.')}</p>`
        }
      </section>
      ${this.renderTechnical(c)}
    `;
  }

  private renderPending(c: Collection) {
    return html`
      <h1>${t(`Bezig met ophalen bij ${c.displayName}`, `Collecting from ${c.displayName}`)}</h1>
      ${this.metaLine(c)}
      <section class="card pending" aria-labelledby="pending-heading">
        <h2 id="pending-heading">${t('Nog niet klaar', 'Not finished yet')}</h2>
        <p>
          ${t(
            'De PGO wacht tot je bij de zorgaanbieder bent ingelogd en toestemming hebt gegeven. Deze pagina werkt zichzelf bij.',
            'The PGO is waiting until you have logged in at the care provider and given consent. This page updates itself.',
          )}
        </p>
      </section>
      ${this.renderTechnical(c)}
    `;
  }

  private renderCollected(c: Collection) {
    const r = c.resources;
    return html`
      <h1>${t(`Opgehaald bij ${c.displayName}`, `Collected from ${c.displayName}`)}</h1>
      ${this.metaLine(c)}
      <p class="small muted">
        ${t(`${r.length} FHIR-resources ontvangen.`, `${r.length} FHIR resources received.`)}
        ${t('Bij elk gegeven staat een knop', 'Each item has a button')} <strong>FHIR</strong>
        ${t('die de ruwe gegevens laat zien.', 'that shows the raw data.')}
      </p>
      ${this.renderPatient()} ${this.renderFlags()} ${this.renderAllergies()} ${this.renderProblems()} ${this.renderMedication()}
      ${this.renderLab()} ${this.renderVitals()} ${this.renderImmunizations()} ${this.renderEncounters()} ${this.renderProcedures()}
      ${this.renderDevices()} ${this.renderConsents()} ${this.renderRelatedPersons()} ${this.renderCoverage()} ${this.renderOther()}
      ${
        r.length === 0
          ? html`<section class="card" aria-labelledby="empty-heading">
            <h2 id="empty-heading">${t('Geen gegevens', 'No data')}</h2>
            <p>${t('De zorgaanbieder stuurde geen gegevens terug.', 'The care provider returned no data.')}</p>
          </section>`
          : nothing
      }
      ${this.renderAllJson(c)} ${this.renderTechnical(c)}
    `;
  }

  // ---- building blocks ---------------------------------------------------------------------------

  private toggleJson(r: Resource) {
    const next = new Set(this.openJson);
    const key = keyOf(r);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.openJson = next;
  }

  private jsonButton(r: Resource, label: string): TemplateResult {
    const open = this.openJson.has(keyOf(r));
    return html`<button
      class="btn secondary small"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${domId('json', r)}
      @click=${() => this.toggleJson(r)}
    >
      FHIR<span class="visually-hidden"> ${t('van', 'of')} ${label}</span>
    </button>`;
  }

  private jsonBlock(r: Resource): TemplateResult {
    return html`<pre tabindex="0" id=${domId('json', r)} aria-label=${`FHIR ${keyOf(r)}`}>${JSON.stringify(r, null, 2)}</pre>`;
  }

  /** A section with a heading and a table; absent when there are no rows. Each row gets a FHIR toggle. */
  private section(id: string, title: string, columns: string[], rows: Row[], extra?: TemplateResult): TemplateResult | typeof nothing {
    if (rows.length === 0) return nothing;
    return html`<section class="card" aria-labelledby=${`${id}-heading`}>
      <div class="section-head">
        <h2 id=${`${id}-heading`}>${title} <span class="count">(${rows.length})</span></h2>
      </div>
      ${this.table(columns, rows)} ${extra ?? nothing}
    </section>`;
  }

  private table(columns: string[], rows: Row[], caption?: string): TemplateResult {
    return html`<div class="table-wrap">
      <table>
        ${caption ? html`<caption>${caption}</caption>` : nothing}
        <thead>
          <tr>
            ${columns.map((c) => html`<th scope="col">${c}</th>`)}
            <th scope="col"><span class="visually-hidden">${t('Ruwe gegevens', 'Raw data')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => {
            const open = this.openJson.has(keyOf(row.resource));
            const label = typeof row.cells[0] === 'string' ? row.cells[0] : keyOf(row.resource);
            return html`<tr>
                ${row.cells.map((cell) => html`<td>${cell}</td>`)}
                <td class="fhir-cell">${this.jsonButton(row.resource, label)}</td>
              </tr>
              ${
                open
                  ? html`<tr class="json-row">
                    <td colspan=${columns.length + 1}>${this.jsonBlock(row.resource)}</td>
                  </tr>`
                  : nothing
              }`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  private of(...types: string[]): Any[] {
    return byType(this.collection?.resources ?? [], ...types) as Any[];
  }

  // ---- sections ----------------------------------------------------------------------------------

  private renderPatient() {
    const patient = this.of('Patient')[0];
    if (!patient) return nothing;
    const name = humanName(patient.name) || t('Onbekende patiënt', 'Unknown patient');
    const age = patient.birthDate ? ageInYears(patient.birthDate) : undefined;
    const gp = (patient.generalPractitioner ?? [])[0];
    const gpName = gp ? humanName((resolve(gp, this.index) as Any)?.name) || gp.display : '';
    const org = patient.managingOrganization ? ((resolve(patient.managingOrganization, this.index) as Any)?.name ?? patient.managingOrganization.display) : '';
    const deceased = patient.deceasedDateTime ?? (patient.deceasedBoolean === true ? true : undefined);
    return html`<section class="card patient" aria-labelledby="patient-heading">
      <h2 id="patient-heading"><span class="visually-hidden">${t('Patiënt', 'Patient')}: </span>${name}</h2>
      <dl>
        ${
          patient.birthDate
            ? html`<div>
              <dt>${t('Geboortedatum', 'Date of birth')}</dt>
              <dd>${formatDate(patient.birthDate)}${age !== undefined && !deceased ? ` (${age} ${t('jaar', 'years')})` : ''}</dd>
            </div>`
            : nothing
        }
        ${
          patient.gender
            ? html`<div>
              <dt>${t('Geslacht', 'Gender')}</dt>
              <dd>${translated(GENDER, patient.gender)}</dd>
            </div>`
            : nothing
        }
        ${
          deceased
            ? html`<div>
              <dt>${t('Overleden', 'Deceased')}</dt>
              <dd>${typeof deceased === 'string' ? formatDate(deceased) : t('ja', 'yes')}</dd>
            </div>`
            : nothing
        }
        ${
          gpName
            ? html`<div>
              <dt>${t('Huisarts', 'General practitioner')}</dt>
              <dd>${gpName}</dd>
            </div>`
            : nothing
        }
        ${
          org
            ? html`<div>
              <dt>${t('Zorgaanbieder', 'Care provider')}</dt>
              <dd>${org}</dd>
            </div>`
            : nothing
        }
      </dl>
      <div>${this.jsonButton(patient, name)}</div>
      ${this.openJson.has(keyOf(patient)) ? html`<div class="full">${this.jsonBlock(patient)}</div>` : nothing}
    </section>`;
  }

  private renderFlags() {
    const rows = newestFirst(this.of('Flag'), (f) => f.period?.start).map((f) => ({
      resource: f,
      cells: [conceptText(f.code), formatPeriod(f.period), translated(STATUS, f.status)],
    }));
    return this.section('flags', t('Waarschuwingen', 'Alerts'), [t('Waarschuwing', 'Alert'), t('Periode', 'Period'), t('Status', 'Status')], rows);
  }

  private renderAllergies() {
    const rows = this.of('AllergyIntolerance').map((a) => {
      const reactions = ((a.reaction ?? []) as Any[])
        .map((r) => {
          const m = ((r.manifestation ?? []) as Any[]).map(conceptText).join(', ');
          return r.severity ? `${m} (${translated(SEVERITY, r.severity)})` : m;
        })
        .join('; ');
      return {
        resource: a,
        cells: [
          conceptText(a.code),
          reactions,
          translated(CRITICALITY, a.criticality),
          ((a.category ?? []) as string[]).map((c) => translated(ALLERGY_CATEGORY, c)).join(', '),
          formatDate(a.onsetDateTime ?? a.assertedDate, { short: true }),
        ],
      };
    });
    return this.section(
      'allergies',
      t('Allergieën en overgevoeligheden', 'Allergies and intolerances'),
      [t('Stof', 'Substance'), t('Reactie', 'Reaction'), t('Kritiek', 'Criticality'), t('Categorie', 'Category'), t('Sinds', 'Since')],
      rows,
    );
  }

  private renderProblems() {
    const rows = newestFirst(this.of('Condition'), (c) => c.onsetDateTime ?? c.onsetPeriod?.start ?? c.assertedDate).map((c) => ({
      resource: c,
      cells: [
        conceptText(c.code),
        translated(CLINICAL_STATUS, c.clinicalStatus),
        formatDate(c.onsetDateTime ?? c.onsetPeriod?.start, { short: true }),
        ((c.category ?? []) as Any[]).map(conceptText).join(', '),
      ],
    }));
    return this.section(
      'problems',
      t('Problemen', 'Problems'),
      [t('Probleem', 'Problem'), t('Status', 'Status'), t('Begin', 'Onset'), t('Soort', 'Type')],
      rows,
    );
  }

  private renderMedication() {
    const all = medicationRows(this.collection?.resources ?? [], this.index);
    if (all.length === 0) return nothing;
    const kinds: Array<{ kind: MedicationRow['kind']; nl: string; en: string }> = [
      { kind: 'MedicationStatement', nl: 'Medicatiegebruik', en: 'Medication use' },
      { kind: 'MedicationRequest', nl: 'Medicatieafspraken', en: 'Medication agreements' },
      { kind: 'MedicationDispense', nl: 'Verstrekkingen', en: 'Dispenses' },
    ];
    return html`<section class="card" aria-labelledby="medication-heading">
      <h2 id="medication-heading">${t('Medicatie', 'Medication')} <span class="count">(${all.length})</span></h2>
      ${kinds.map(({ kind, nl, en }) => {
        const rows = all.filter((m) => m.kind === kind);
        if (rows.length === 0) return nothing;
        const whenHeader =
          kind === 'MedicationDispense'
            ? t('Verstrekt op', 'Handed over')
            : kind === 'MedicationRequest'
              ? t('Periode / afgesproken', 'Period / agreed')
              : t('Periode', 'Period');
        return html`<h3 class="sub">${t(nl, en)} <span class="count">(${rows.length})</span></h3>
          ${this.table(
            [t('Geneesmiddel', 'Medicine'), t('Dosering', 'Dosage'), whenHeader, t('Status', 'Status')],
            rows.map((m) => ({
              resource: m.resource,
              cells: [
                m.name,
                [quantityText((m.resource as Any).quantity), m.dosage].filter(Boolean).join(' · '),
                m.period ? formatPeriod(m.period) : formatDate(m.when, { short: true }),
                translated(STATUS, m.status) +
                  ((m.resource as Any).taken ? ` · ${t('gebruikt', 'taken')}: ${translated(TAKEN, (m.resource as Any).taken)}` : ''),
              ],
            })),
          )}`;
      })}
    </section>`;
  }

  private labCells(o: Any): Array<TemplateResult | string> {
    const kind = interpretationKind(o);
    const interp = conceptText(o.interpretation);
    const badge =
      kind === 'high' || kind === 'low' || kind === 'abnormal'
        ? html`<span class="badge warn interp">${interp || (kind === 'high' ? t('Hoog', 'High') : kind === 'low' ? t('Laag', 'Low') : t('Afwijkend', 'Abnormal'))}</span>`
        : interp
          ? html`<span class="badge none interp">${interp}</span>`
          : '';
    return [conceptText(o.code), html`${observationValue(o)}${badge}`, referenceRangeText(o), formatDate(effectiveAt(o), { short: true })];
  }

  private renderLab() {
    const labs = newestFirst(this.of('Observation').filter(isLab), effectiveAt);
    if (labs.length === 0) return nothing;
    // The latest result per test first; the full history behind a disclosure.
    const latest = new Map<string, Any>();
    for (const o of labs) {
      const key = o.code?.coding?.[0]?.code ?? conceptText(o.code);
      if (!latest.has(key)) latest.set(key, o);
    }
    const latestRows = [...latest.values()]
      .sort((a, b) => conceptText(a.code).localeCompare(conceptText(b.code), lang()))
      .map((o) => ({ resource: o, cells: this.labCells(o) }));
    const columns = [t('Test', 'Test'), t('Uitslag', 'Result'), t('Referentiewaarden', 'Reference range'), t('Datum', 'Date')];
    return html`<section class="card" aria-labelledby="lab-heading">
      <h2 id="lab-heading">${t('Laboratoriumuitslagen', 'Laboratory results')} <span class="count">(${labs.length})</span></h2>
      <h3 class="sub">${t('Laatste uitslag per test', 'Latest result per test')}</h3>
      ${this.table(columns, latestRows)}
      ${
        labs.length > latestRows.length
          ? html`<details>
            <summary>${t(`Alle ${labs.length} uitslagen, nieuwste eerst`, `All ${labs.length} results, newest first`)}</summary>
            ${this.table(
              columns,
              labs.map((o) => ({ resource: o, cells: this.labCells(o) })),
            )}
          </details>`
          : nothing
      }
    </section>`;
  }

  private renderVitals() {
    const series = vitalSeries(this.collection?.resources ?? []);
    const charted = new Set(series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => keyOf(p.resource)))));
    const others = this.of('Observation').filter((o) => isVitalSign(o) && !charted.has(keyOf(o)));
    if (series.length === 0 && others.length === 0) return nothing;
    const chartedResources = [
      ...new Map(series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => [keyOf(p.resource), p.resource] as const)))).values(),
    ];
    return html`<section class="card" aria-labelledby="vitals-heading">
      <h2 id="vitals-heading">${t('Vitale functies', 'Vital signs')} <span class="count">(${chartedResources.length + others.length})</span></h2>
      <div class="charts">${series.map((s) => renderVitalChart(s, `vital-${s.code}`))}</div>
      ${
        others.length > 0
          ? html`<h3 class="sub">${t('Overige metingen', 'Other measurements')}</h3>
            ${this.table(
              [t('Meting', 'Measurement'), t('Waarde', 'Value'), t('Datum', 'Date')],
              newestFirst(others, effectiveAt).map((o) => ({
                resource: o,
                cells: [conceptText(o.code), observationValue(o), formatDate(effectiveAt(o), { short: true })],
              })),
            )}`
          : nothing
      }
      ${
        chartedResources.length > 0
          ? html`<details>
            <summary>${t('FHIR van de metingen in de grafieken', 'FHIR of the charted measurements')}</summary>
            ${this.table(
              [t('Meting', 'Measurement'), t('Waarde', 'Value'), t('Datum', 'Date')],
              newestFirst(chartedResources as Any[], effectiveAt).map((o) => ({
                resource: o,
                cells: [conceptText(o.code) || codingText(o.code?.coding?.[0]), observationValue(o), formatDate(effectiveAt(o), { short: true, time: true })],
              })),
            )}
          </details>`
          : nothing
      }
    </section>`;
  }

  private renderImmunizations() {
    const rows = newestFirst(this.of('Immunization'), (i) => i.date).map((i) => ({
      resource: i,
      cells: [conceptText(i.vaccineCode), formatDate(i.date, { short: true }), i.notGiven ? t('niet gegeven', 'not given') : translated(STATUS, i.status)],
    }));
    return this.section('immunizations', t('Vaccinaties', 'Vaccinations'), [t('Vaccin', 'Vaccine'), t('Datum', 'Date'), t('Status', 'Status')], rows);
  }

  private renderEncounters() {
    const rows = newestFirst(this.of('Encounter'), (e) => e.period?.start).map((e) => {
      const cls = e.class?.code ? translated(ENCOUNTER_CLASS, e.class.code) : codingText(e.class);
      const reason = [...((e.type ?? []) as Any[]).map(conceptText), ...((e.reason ?? []) as Any[]).map(conceptText)].filter(Boolean).join('; ');
      const who = ((e.participant ?? []) as Any[])
        .map((p) => p.individual?.display ?? '')
        .filter(Boolean)
        .join(', ');
      return { resource: e, cells: [formatPeriod(e.period, { time: true }), cls, reason, who, e.serviceProvider?.display ?? ''] };
    });
    return this.section(
      'encounters',
      t('Contacten', 'Encounters'),
      [t('Wanneer', 'When'), t('Soort', 'Type'), t('Reden', 'Reason'), t('Zorgverlener', 'Practitioner'), t('Zorgaanbieder', 'Provider')],
      rows,
    );
  }

  private renderProcedures() {
    const rows = newestFirst(this.of('Procedure'), (p) => p.performedDateTime ?? p.performedPeriod?.start).map((p) => ({
      resource: p,
      cells: [
        conceptText(p.code),
        p.performedPeriod ? formatPeriod(p.performedPeriod) : formatDate(p.performedDateTime, { short: true }),
        ((p.bodySite ?? []) as Any[]).map(conceptText).join(', '),
        ((p.performer ?? []) as Any[])
          .map((x) => x.actor?.display ?? '')
          .filter(Boolean)
          .join(', '),
      ],
    }));
    return this.section(
      'procedures',
      t('Verrichtingen', 'Procedures'),
      [t('Verrichting', 'Procedure'), t('Datum', 'Date'), t('Lichaamsdeel', 'Body site'), t('Uitgevoerd door', 'Performed by')],
      rows,
    );
  }

  private renderDevices() {
    const rows = this.of('DeviceUseStatement').map((d) => {
      const device = resolve(d.device, this.index) as Any;
      const name = (device && (conceptText(device.type) || device.udi?.name)) || d.device?.display || '';
      return {
        resource: d,
        cells: [name, formatPeriod(d.whenUsed) || formatDate(d.recordedOn, { short: true }), conceptText(d.bodySite), translated(STATUS, d.status)],
      };
    });
    return this.section(
      'devices',
      t('Medische hulpmiddelen', 'Medical devices'),
      [t('Hulpmiddel', 'Device'), t('In gebruik', 'In use'), t('Lichaamsdeel', 'Body site'), t('Status', 'Status')],
      rows,
    );
  }

  private renderConsents() {
    const rows = this.of('Consent').map((c) => {
      const s = consentSummary(c);
      return {
        resource: c,
        cells: [
          ((c.category ?? []) as Any[]).map(conceptText).join(', '),
          s.what,
          s.permitted,
          formatPeriod(c.period) || formatDate(c.dateTime, { short: true }),
        ],
      };
    });
    return this.section(
      'consents',
      t('Wilsverklaringen en behandelaanwijzingen', 'Advance directives and treatment directives'),
      [t('Soort', 'Type'), t('Betreft', 'Concerns'), t('Toegestaan', 'Permitted'), t('Geldig', 'Valid')],
      rows,
    );
  }

  private renderRelatedPersons() {
    const rows = this.of('RelatedPerson').map((p) => ({
      resource: p,
      cells: [
        humanName(p.name),
        conceptText(p.relationship),
        ((p.telecom ?? []) as Any[])
          .filter((x) => x.system === 'phone')
          .map((x) => x.value)
          .join(', '),
      ],
    }));
    return this.section('related', t('Contactpersonen', 'Contacts'), [t('Naam', 'Name'), t('Relatie', 'Relationship'), t('Telefoon', 'Phone')], rows);
  }

  private renderCoverage() {
    const rows = this.of('Coverage').map((c) => {
      const payor = ((c.payor ?? []) as Any[]).map((p) => (resolve(p, this.index) as Any)?.name ?? p.display ?? '').join(', ');
      return { resource: c, cells: [payor, conceptText(c.type), c.subscriberId ?? '', formatPeriod(c.period)] };
    });
    return this.section(
      'coverage',
      t('Betaler (zorgverzekering)', 'Payer (health insurance)'),
      [t('Verzekeraar', 'Insurer'), t('Soort', 'Type'), t('Verzekerdennummer', 'Member number'), t('Geldig', 'Valid')],
      rows,
    );
  }

  private renderOther() {
    const observations = this.of('Observation').filter((o) => !isLab(o) && !isVitalSign(o));
    const unknown = (this.collection?.resources ?? []).filter((r) => !HANDLED_TYPES.includes(r.resourceType));
    const rows: Row[] = [
      ...newestFirst(observations, effectiveAt).map((o) => ({
        resource: o,
        cells: [conceptText(o.code), observationValue(o), formatDate(effectiveAt(o), { short: true })],
      })),
      ...unknown.map((r) => ({ resource: r, cells: [r.resourceType, r.id, ''] })),
    ];
    return this.section('other', t('Overige gegevens', 'Other data'), [t('Omschrijving', 'Description'), t('Waarde', 'Value'), t('Datum', 'Date')], rows);
  }

  private renderAllJson(c: Collection) {
    if (c.resources.length === 0) return nothing;
    return html`<section class="card" aria-labelledby="alljson-heading">
      <h2 id="alljson-heading">${t('Ruwe FHIR-gegevens', 'Raw FHIR data')}</h2>
      <details @toggle=${(e: Event) => (this.showAllJson = (e.target as HTMLDetailsElement).open)}>
        <summary>${t(`Alle ${c.resources.length} resources als JSON`, `All ${c.resources.length} resources as JSON`)}</summary>
        ${this.showAllJson ? html`<pre tabindex="0" aria-label=${t('Alle FHIR-resources', 'All FHIR resources')}>${JSON.stringify(c.resources, null, 2)}</pre>` : nothing}
      </details>
    </section>`;
  }

  private renderTechnical(c: Collection) {
    return html`<section class="card" aria-labelledby="tech-heading">
      <h2 id="tech-heading">${t('Technische details', 'Technical details')}</h2>
      <details>
        <summary>${t(`FHIR-zoekvragen van de PGO (${c.queries.length})`, `FHIR queries of the PGO (${c.queries.length})`)}</summary>
        <dl class="pairs small">
          <dt>${t('Ophaalactie', 'Collection')}</dt>
          <dd><code>${c.id}</code></dd>
          <dt>Trace-ID (X-Correlation-ID)</dt>
          <dd><code>${c.traceId}</code></dd>
          <dt>${t('Gegevensdienst', 'Data service')}</dt>
          <dd>${c.weergavenaam} (<code>${c.gegevensdienstId}</code>)</dd>
        </dl>
        ${
          c.queries.length > 0
            ? html`<div class="table-wrap">
              <table>
                <caption class="visually-hidden">${t('FHIR-zoekvragen', 'FHIR queries')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('Zoekvraag', 'Query')}</th>
                    <th scope="col">${t('Omschrijving', 'Description')}</th>
                    <th scope="col">Status</th>
                    <th scope="col">${t('Resultaten', 'Entries')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${c.queries.map(
                    (q) => html`<tr>
                      <td><code>${q.path}</code></td>
                      <td>${q.description}</td>
                      <td>${q.status >= 400 ? html`<span class="badge bad">${q.status}</span>` : q.status}</td>
                      <td>${q.entries}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
            : html`<p>${t('De PGO heeft (nog) geen zoekvragen gesteld.', 'The PGO has not run any queries (yet).')}</p>`
        }
      </details>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-dossier': PgoDossier;
  }
}
