/**
 * A small inline SVG line chart of one vital sign over time (one or two lines), with an aria-label that
 * says what a sighted person sees, and the same numbers as a table behind a disclosure.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { formatDate, formatNumber } from '@medmij-sandbox/ui/format';
import type { VitalSeries } from './fhir.ts';
import { lang, t } from '@medmij-sandbox/ui/i18n';

const W = 600;
const H = 200;
const M = { left: 48, right: 14, top: 12, bottom: 30 };
const LINE_STYLES = [
  { color: '#0b5cab', dash: '', marker: 'circle' },
  { color: '#a3341a', dash: '6 4', marker: 'square' },
] as const;

function niceBounds(min: number, max: number): [number, number, number] {
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const span = max - min;
  const rough = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= rough) ?? rough;
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step, step];
}

/** What the chart shows, in one or two sentences (used as its accessible name). */
export function chartSummary(series: VitalSeries): string {
  const name = lang() === 'nl' ? series.nl : series.en;
  const all = series.lines.flatMap((l) => l.points);
  const times = all.map((p) => p.at).sort();
  const first = formatDate(times[0], { short: true });
  const last = formatDate(times[times.length - 1], { short: true });
  const count = Math.max(...series.lines.map((l) => l.points.length));
  const latest = series.lines.map((l) => l.points[l.points.length - 1]?.value).filter((v): v is number => v !== undefined);
  const latestText = latest.map(formatNumber).join('/');
  const ranges = series.lines
    .filter((l) => l.points.length > 0)
    .map((l) => {
      const values = l.points.map((p) => p.value);
      const label = series.lines.length > 1 ? `${lang() === 'nl' ? l.nl : l.en} ` : '';
      return `${label}${t('van', 'from')} ${formatNumber(Math.min(...values))} ${t('tot', 'to')} ${formatNumber(Math.max(...values))}`;
    })
    .join('; ');
  if (first === last) {
    return t(
      `Grafiek ${name}: ${count === 1 ? 'één meting' : `${count} metingen`} op ${first}. Waarde ${latestText} ${series.unit}.`,
      `Chart of ${name}: ${count === 1 ? 'one measurement' : `${count} measurements`} on ${first}. Value ${latestText} ${series.unit}.`,
    );
  }
  return t(
    `Grafiek ${name}: ${count} metingen van ${first} tot ${last}. Laatste waarde ${latestText} ${series.unit}. Bereik: ${ranges} ${series.unit}.`,
    `Chart of ${name}: ${count} measurements from ${first} to ${last}. Latest value ${latestText} ${series.unit}. Range: ${ranges} ${series.unit}.`,
  );
}

export function renderVitalChart(series: VitalSeries, idPrefix: string): TemplateResult {
  const all = series.lines.flatMap((l) => l.points);
  const times = all.map((p) => Date.parse(p.at));
  const tMin = Math.min(...times);
  const tMax = Math.max(...times);
  const [yMin, yMax, step] = niceBounds(Math.min(...all.map((p) => p.value)), Math.max(...all.map((p) => p.value)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (ms: number) => M.left + (tMax === tMin ? plotW / 2 : ((ms - tMin) / (tMax - tMin)) * plotW);
  const y = (v: number) => M.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  const ticks: number[] = [];
  for (let v = yMin; v <= yMax + step / 2; v += step) ticks.push(Number(v.toFixed(6)));
  const name = lang() === 'nl' ? series.nl : series.en;
  const firstLabel = formatDate(new Date(tMin).toISOString().slice(0, 10), { short: true });
  const lastLabel = formatDate(new Date(tMax).toISOString().slice(0, 10), { short: true });

  const chart = svg`
    ${ticks.map(
      (v) => svg`<line x1=${M.left} x2=${W - M.right} y1=${y(v)} y2=${y(v)} stroke="#d5d9e0" stroke-width="1"></line>
        <text x=${M.left - 6} y=${y(v) + 4} text-anchor="end" font-size="11" fill="#4a5260">${formatNumber(v)}</text>`,
    )}
    <line x1=${M.left} x2=${W - M.right} y1=${M.top + plotH} y2=${M.top + plotH} stroke="#6b7280" stroke-width="1"></line>
    <text x=${M.left} y=${H - 8} font-size="11" fill="#4a5260">${firstLabel}</text>
    ${lastLabel !== firstLabel ? svg`<text x=${W - M.right} y=${H - 8} font-size="11" text-anchor="end" fill="#4a5260">${lastLabel}</text>` : nothing}
    ${series.lines.map((line, i) => {
      const style = LINE_STYLES[i % LINE_STYLES.length]!;
      const pts = line.points.map((p) => [x(Date.parse(p.at)), y(p.value)] as const);
      return svg`
        <polyline fill="none" stroke=${style.color} stroke-width="2" stroke-dasharray=${style.dash || 'none'}
          points=${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}></polyline>
        ${pts.map(([a, b]) =>
          style.marker === 'circle'
            ? svg`<circle cx=${a} cy=${b} r="3" fill=${style.color}></circle>`
            : svg`<rect x=${a - 3} y=${b - 3} width="6" height="6" fill=${style.color}></rect>`,
        )}`;
    })}
  `;

  // Table rows: one per moment, a column per line (blood pressure: systolic and diastolic side by side).
  const moments = [...new Set(all.map((p) => p.at))].sort((a, b) => Date.parse(b) - Date.parse(a));
  return html`<figure class="chart">
    <figcaption>
      <span class="chart-title">${name}</span> <span class="muted small">(${series.unit})</span>
      ${
        series.lines.length > 1
          ? html`<span class="legend small">
            ${series.lines.map((l, i) => {
              const style = LINE_STYLES[i % LINE_STYLES.length]!;
              return html`<span class="legend-item"
                ><svg width="28" height="10" aria-hidden="true" focusable="false"
                  ><line x1="0" x2="28" y1="5" y2="5" stroke=${style.color} stroke-width="2" stroke-dasharray=${style.dash || 'none'}></line></svg
                >${lang() === 'nl' ? l.nl : l.en}</span
              >`;
            })}
          </span>`
          : nothing
      }
    </figcaption>
    <svg class="chart-svg" viewBox="0 0 ${W} ${H}" role="img" aria-label=${chartSummary(series)} focusable="false">${chart}</svg>
    <details class="chart-data">
      <summary>${t(`Tabel: ${name}`, `Table: ${name}`)}</summary>
      <div class="table-wrap">
        <table id=${`${idPrefix}-table`}>
          <caption class="visually-hidden">${name} (${series.unit})</caption>
          <thead>
            <tr>
              <th scope="col">${t('Datum', 'Date')}</th>
              ${series.lines.map((l) => html`<th scope="col">${lang() === 'nl' ? l.nl : l.en} (${series.unit})</th>`)}
            </tr>
          </thead>
          <tbody>
            ${moments.map(
              (at) => html`<tr>
                <td>${formatDate(at, { short: true, time: true })}</td>
                ${series.lines.map((l) => {
                  const p = l.points.find((pt) => pt.at === at);
                  return html`<td>${p ? formatNumber(p.value) : ''}</td>`;
                })}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>
  </figure>`;
}
