/**
 * The frame of a dossier around the data: the line that says what was collected where and when, the
 * page for a refused collection (what went wrong, from the refusal), the page for one still pending
 * (waiting for login and consent at the DVZA), and "Technische details" (the collection id, the trace id,
 * the FHIR queries the PGO ran) under every status. Separate from the zib sections: it is about the
 * ophaalactie, not about the patient's data.
 */
import { html, type TemplateResult } from 'lit';
import type { Collection } from '@medmij-sandbox/pgo-api';
import { renderRefusal } from './common.ts';
import { formatDate } from '@medmij-sandbox/ui/format';
import { t } from '@medmij-sandbox/ui/i18n';

export function metaLine(c: Collection): TemplateResult {
  return html`<p class="meta">
      ${c.weergavenaam} · ${c.displayName} (<span lang="zxx">${c.zorgaanbiedernaam}</span>) · ${t('gestart', 'started')}
      ${formatDate(c.startedAt, { time: true })}
    </p>`;
}

export function renderRefused(c: Collection) {
  return html`
      <h1>${t('Niet opgehaald', 'Not collected')}</h1>
      ${metaLine(c)}
      <section class="card" aria-labelledby="refusal-heading">
        <h2 class="visually-hidden" id="refusal-heading">${t('Wat er gebeurde', 'What happened')}</h2>
        ${
          c.refusal
            ? renderRefusal(c.refusal, { headingLevel: 3 })
            : html`<p>${t('De PGO kreeg geen gegevens; de server gaf geen reden op.', 'The PGO got no data; the server gave no reason.')}</p>`
        }
      </section>
      ${renderTechnical(c)}
    `;
}

export function renderPending(c: Collection) {
  return html`
      <h1>${t(`Bezig met ophalen bij ${c.displayName}`, `Collecting from ${c.displayName}`)}</h1>
      ${metaLine(c)}
      <section class="card pending" aria-labelledby="pending-heading">
        <h2 id="pending-heading">${t('Nog niet klaar', 'Not finished yet')}</h2>
        <p>
          ${t(
            'De PGO wacht tot je bij de zorgaanbieder bent ingelogd en toestemming hebt gegeven. Deze pagina werkt zichzelf bij.',
            'The PGO is waiting until you have logged in at the care provider and given consent. This page updates itself.',
          )}
        </p>
      </section>
      ${renderTechnical(c)}
    `;
}

export function renderTechnical(c: Collection) {
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
