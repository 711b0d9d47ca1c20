/**
 * The medication section of a dossier: medication use (zib MedicationUse, FHIR MedicationStatement),
 * medication agreements (zib MedicationAgreement, MedicationRequest) and dispenses (zib Dispense,
 * MedicationDispense), each a table under one heading, the medicine named from the referenced Medication.
 * Separate because it is the one section that groups three resource types.
 */
import { html, nothing } from 'lit';
import { STATUS, TAKEN, translated } from './dossier-terms.ts';
import { table, type Any, type DossierView } from './dossier-table.ts';
import { medicationRows, quantityText, type MedicationRow } from './fhir.ts';
import { formatDate, formatPeriod } from '@medmij-sandbox/ui/format';
import { t } from '@medmij-sandbox/ui/i18n';

export function renderMedication(view: DossierView) {
  const all = medicationRows(view.resources, view.index);
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
          ${table(
            view,
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
