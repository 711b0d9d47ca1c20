/**
 * The building blocks every dossier section is made of: a card with a heading and a table, one row per
 * FHIR resource, each row with a "FHIR" button that shows the raw resource below it. Separate from the
 * sections so each zib group (dossier-*.ts) only says which resources and which columns; the open/closed
 * state of the raw FHIR lives in <pgo-dossier> and reaches the sections as a `DossierView`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { byType, type Resource } from './fhir.ts';
import { t } from '@medmij-sandbox/ui/i18n';

// FHIR elements are read defensively; `any` keeps the accessors short (as in fhir.ts).
export type Any = any;

/** What a section reads from the dossier: its resources, and which raw FHIR is shown. */
export interface DossierView {
  /** All resources of the collection. */
  resources: Resource[];
  /** The resources by `Type/id`, to follow references (a Medication, the huisarts, the insurer). */
  index: Map<string, Resource>;
  /** The resources of these types. */
  of(...types: string[]): Any[];
  /** Whether the raw FHIR of this resource is shown. */
  isOpen(r: Resource): boolean;
  /** Shows or hides the raw FHIR of this resource. */
  toggle(r: Resource): void;
}

export interface Row {
  resource: Resource;
  cells: Array<TemplateResult | string>;
}

export function keyOf(r: Resource): string {
  return `${r.resourceType}/${r.id}`;
}

function domId(prefix: string, r: Resource): string {
  return `${prefix}-${r.resourceType}-${r.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A dossier over a collection's resources; `openJson` holds the keys (Type/id) whose FHIR is shown. */
export function dossierView(resources: Resource[], index: Map<string, Resource>, openJson: Set<string>, toggle: (r: Resource) => void): DossierView {
  return {
    resources,
    index,
    of: (...types) => byType(resources, ...types) as Any[],
    isOpen: (r) => openJson.has(keyOf(r)),
    toggle,
  };
}

export function jsonButton(view: DossierView, r: Resource, label: string): TemplateResult {
  const open = view.isOpen(r);
  return html`<button
      class="btn secondary small"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${domId('json', r)}
      @click=${() => view.toggle(r)}
    >
      FHIR<span class="visually-hidden"> ${t('van', 'of')} ${label}</span>
    </button>`;
}

export function jsonBlock(r: Resource): TemplateResult {
  return html`<pre tabindex="0" id=${domId('json', r)} aria-label=${`FHIR ${keyOf(r)}`}>${JSON.stringify(r, null, 2)}</pre>`;
}

/** A section with a heading and a table; absent when there are no rows. Each row gets a FHIR toggle. */
export function section(view: DossierView, id: string, title: string, columns: string[], rows: Row[], extra?: TemplateResult): TemplateResult | typeof nothing {
  if (rows.length === 0) return nothing;
  return html`<section class="card" aria-labelledby=${`${id}-heading`}>
      <div class="section-head">
        <h2 id=${`${id}-heading`}>${title} <span class="count">(${rows.length})</span></h2>
      </div>
      ${table(view, columns, rows)} ${extra ?? nothing}
    </section>`;
}

export function table(view: DossierView, columns: string[], rows: Row[], caption?: string): TemplateResult {
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
            const open = view.isOpen(row.resource);
            const label = typeof row.cells[0] === 'string' ? row.cells[0] : keyOf(row.resource);
            return html`<tr>
                ${row.cells.map((cell) => html`<td>${cell}</td>`)}
                <td class="fhir-cell">${jsonButton(view, row.resource, label)}</td>
              </tr>
              ${
                open
                  ? html`<tr class="json-row">
                    <td colspan=${columns.length + 1}>${jsonBlock(row.resource)}</td>
                  </tr>`
                  : nothing
              }`;
          })}
        </tbody>
      </table>
    </div>`;
}
