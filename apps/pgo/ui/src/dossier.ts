/**
 * <pgo-dossier .collection=${c}>: one collection as a person reads it. Refused: what went wrong and why.
 * Collected: a patient header and one section per kind of data (only when there is data), each item
 * with its raw FHIR one click away; the queries the PGO ran under "Technische details".
 * Pure rendering of a `Collection` (no fetching), so it can be tested with generated data.
 *
 * This element holds the state (which raw FHIR is open) and the order of the sections; the sections
 * themselves are per zib group: dossier-patient.ts, dossier-problems.ts, dossier-medication.ts,
 * dossier-results.ts, dossier-care.ts, dossier-arrangements.ts (built from dossier-table.ts), and the
 * frame around them (refused, pending, technical details) is dossier-status.ts.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Collection } from '@medmij-sandbox/pgo-api';
import { refusalStyles } from './common.ts';
import { renderConsents, renderCoverage, renderRelatedPersons } from './dossier-arrangements.ts';
import { renderDevices, renderEncounters, renderImmunizations, renderProcedures } from './dossier-care.ts';
import { renderMedication } from './dossier-medication.ts';
import { renderPatient } from './dossier-patient.ts';
import { renderAllergies, renderFlags, renderProblems } from './dossier-problems.ts';
import { renderLab, renderVitals } from './dossier-results.ts';
import { metaLine, renderPending, renderRefused, renderTechnical } from './dossier-status.ts';
import { dossierView, keyOf, section, type DossierView, type Row } from './dossier-table.ts';
import { conceptText, effectiveAt, indexResources, isLab, isVitalSign, newestFirst, observationValue, type Resource } from './fhir.ts';
import { formatDate } from '@medmij-sandbox/ui/format';
import { LangController, t } from '@medmij-sandbox/ui/i18n';
import { shared } from '@medmij-sandbox/ui/styles';

/** Resource types that are context for others (shown through them), not sections of their own. */
const CONTEXT_TYPES = ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Medication', 'Specimen', 'Device'];
/** Resource types a section shows; anything else goes under "Overige gegevens". */
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
      .notice {
        background: var(--pgo-warn-bg);
        color: var(--pgo-warn-text);
        border: 1px solid #e8c15c;
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
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
    if (c.status === 'refused') return renderRefused(c);
    if (c.status === 'pending') return renderPending(c);
    return this.renderCollected(c);
  }

  private toggleJson(r: Resource) {
    const next = new Set(this.openJson);
    const key = keyOf(r);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.openJson = next;
  }

  private renderCollected(c: Collection) {
    const r = c.resources;
    const v = dossierView(r, this.index, this.openJson, (resource) => this.toggleJson(resource));
    return html`
      <h1>${t(`Opgehaald bij ${c.displayName}`, `Collected from ${c.displayName}`)}</h1>
      ${metaLine(c)}
      <p class="small muted">
        ${t(`${r.length} FHIR-resources ontvangen.`, `${r.length} FHIR resources received.`)}
        ${t('Bij elk gegeven staat een knop', 'Each item has a button')} <strong>FHIR</strong>
        ${t('die de ruwe gegevens laat zien.', 'that shows the raw data.')}
      </p>
      ${c.bsnWithheld ? html`<p class="notice small" role="note" data-testid="bsn-withheld">${t(c.bsnWithheld.note.nl, c.bsnWithheld.note.en)}</p>` : nothing}
      ${renderPatient(v, c.bsnWithheld)} ${renderFlags(v)} ${renderAllergies(v)} ${renderProblems(v)} ${renderMedication(v)}
      ${renderLab(v)} ${renderVitals(v)} ${renderImmunizations(v)} ${renderEncounters(v)} ${renderProcedures(v)}
      ${renderDevices(v)} ${renderConsents(v)} ${renderRelatedPersons(v)} ${renderCoverage(v)} ${this.renderOther(v)}
      ${
        r.length === 0
          ? html`<section class="card" aria-labelledby="empty-heading">
            <h2 id="empty-heading">${t('Geen gegevens', 'No data')}</h2>
            <p>${t('De zorgaanbieder stuurde geen gegevens terug.', 'The care provider returned no data.')}</p>
          </section>`
          : nothing
      }
      ${this.renderAllJson(c)} ${renderTechnical(c)}
    `;
  }

  /** Observations that are neither lab nor vital signs, and resource types no section knows. */
  private renderOther(v: DossierView) {
    const observations = v.of('Observation').filter((o) => !isLab(o) && !isVitalSign(o));
    const unknown = v.resources.filter((r) => !HANDLED_TYPES.includes(r.resourceType));
    const rows: Row[] = [
      ...newestFirst(observations, effectiveAt).map((o) => ({
        resource: o,
        cells: [conceptText(o.code), observationValue(o), formatDate(effectiveAt(o), { short: true })],
      })),
      ...unknown.map((r) => ({ resource: r, cells: [r.resourceType, r.id, ''] })),
    ];
    return section(v, 'other', t('Overige gegevens', 'Other data'), [t('Omschrijving', 'Description'), t('Waarde', 'Value'), t('Datum', 'Date')], rows);
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
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-dossier': PgoDossier;
  }
}
