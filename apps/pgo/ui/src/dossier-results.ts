/**
 * Measurements in a dossier: laboratory results (zib LaboratoryTestResult; the latest per test first,
 * the history behind a disclosure) and vital signs (zibs BloodPressure, BodyWeight, HeartRate, …: charts
 * with the numbers in a table, and the measurements the charts do not cover). Separate from the other
 * sections because these are series over time, not lists of items.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { renderVitalChart } from './chart.ts';
import { keyOf, table, type Any, type DossierView } from './dossier-table.ts';
import {
  codingText,
  conceptText,
  effectiveAt,
  interpretationKind,
  isLab,
  isVitalSign,
  newestFirst,
  observationValue,
  referenceRangeText,
  vitalSeries,
} from './fhir.ts';
import { formatDate } from '@medmij-sandbox/ui/format';
import { lang, t } from '@medmij-sandbox/ui/i18n';

function labCells(o: Any): Array<TemplateResult | string> {
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

export function renderLab(view: DossierView) {
  const labs = newestFirst(view.of('Observation').filter(isLab), effectiveAt);
  if (labs.length === 0) return nothing;
  // The latest result per test first; the full history behind a disclosure.
  const latest = new Map<string, Any>();
  for (const o of labs) {
    const key = o.code?.coding?.[0]?.code ?? conceptText(o.code);
    if (!latest.has(key)) latest.set(key, o);
  }
  const latestRows = [...latest.values()]
    .sort((a, b) => conceptText(a.code).localeCompare(conceptText(b.code), lang()))
    .map((o) => ({ resource: o, cells: labCells(o) }));
  const columns = [t('Test', 'Test'), t('Uitslag', 'Result'), t('Referentiewaarden', 'Reference range'), t('Datum', 'Date')];
  return html`<section class="card" aria-labelledby="lab-heading">
      <h2 id="lab-heading">${t('Laboratoriumuitslagen', 'Laboratory results')} <span class="count">(${labs.length})</span></h2>
      <h3 class="sub">${t('Laatste uitslag per test', 'Latest result per test')}</h3>
      ${table(view, columns, latestRows)}
      ${
        labs.length > latestRows.length
          ? html`<details>
            <summary>${t(`Alle ${labs.length} uitslagen, nieuwste eerst`, `All ${labs.length} results, newest first`)}</summary>
            ${table(
              view,
              columns,
              labs.map((o) => ({ resource: o, cells: labCells(o) })),
            )}
          </details>`
          : nothing
      }
    </section>`;
}

export function renderVitals(view: DossierView) {
  const series = vitalSeries(view.resources);
  const charted = new Set(series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => keyOf(p.resource)))));
  const others = view.of('Observation').filter((o) => isVitalSign(o) && !charted.has(keyOf(o)));
  if (series.length === 0 && others.length === 0) return nothing;
  const chartedResources = [...new Map(series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => [keyOf(p.resource), p.resource] as const)))).values()];
  return html`<section class="card" aria-labelledby="vitals-heading">
      <h2 id="vitals-heading">${t('Vitale functies', 'Vital signs')} <span class="count">(${chartedResources.length + others.length})</span></h2>
      <div class="charts">${series.map((s) => renderVitalChart(s, `vital-${s.code}`))}</div>
      ${
        others.length > 0
          ? html`<h3 class="sub">${t('Overige metingen', 'Other measurements')}</h3>
            ${table(
              view,
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
            ${table(
              view,
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
