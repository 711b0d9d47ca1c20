/**
 * The inspector's exports. On the live network the server makes the files (Mermaid sequence diagram, HAR,
 * the events as JSON: links to /api/trace/export); a snapshot (a scenario run on its own network) is
 * exported here from the events the page has, since the server never saw them. Separate from
 * <console-inspector> because it is the only part that produces files.
 */
import { html } from 'lit';
import type { TraceEvent } from '@medmij-sandbox/console-api';
import { traceExportUrl } from './client.ts';
import { t } from '@medmij-sandbox/ui/i18n';

/**
 * A snapshot's events as JSON, made in the browser (the server does not know them): those of the flow
 * `traceId` ('' = all), saved as `<exportName>[-<traceId>].json`.
 */
export function renderSnapshotExport(events: TraceEvent[], traceId: string, exportName: string) {
  const download = () => {
    const shown = traceId ? events.filter((e) => e.traceId === traceId) : events;
    const url = URL.createObjectURL(new Blob([JSON.stringify(shown, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${exportName || 'trace'}${traceId ? `-${traceId}` : ''}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return html`<div class="exports" role="group" aria-labelledby="export-label">
    <span id="export-label">${t('Exporteer', 'Export')}:</span>
    <button class="btn secondary small" type="button" @click=${download}>
      <span class="visually-hidden">${t('Exporteer als', 'Export as')} </span>JSON
    </button>
  </div>`;
}

/** Links to the server's exports of the live network (Mermaid, HAR, JSON), for the flow `traceId` ('' = all). */
export function renderServerExports(traceId: string, fileName: string) {
  return html`<div class="exports" role="group" aria-labelledby="export-label">
      <span id="export-label">${t('Exporteer', 'Export')}:</span>
      ${(
        [
          ['mermaid', 'Mermaid', 'mmd'],
          ['har', 'HAR', 'har'],
          ['json', 'JSON', 'json'],
        ] as const
      ).map(
        ([format, label, ext]) =>
          html`<a class="btn secondary small" href=${traceExportUrl(format, traceId || undefined)} download=${`${fileName}.${ext}`}
            ><span class="visually-hidden">${t('Exporteer als', 'Export as')} </span>${label}</a
          >`,
      )}
    </div>`;
}
