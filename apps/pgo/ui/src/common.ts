/** Small render helpers used by more than one view. */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { CollectionSummary, ListsInfo, Refusal } from '@medmij-sandbox/pgo-api';
import { bi, t } from '@medmij-sandbox/ui/i18n';

/** A failed API call for a person: the server's own bilingual message, else a general one. */
export { failureText } from './client.ts';

export function collectionStatusBadge(status: CollectionSummary['status']): TemplateResult {
  switch (status) {
    case 'collected':
      return html`<span class="badge ok">${t('Opgehaald', 'Collected')}</span>`;
    case 'refused':
      return html`<span class="badge bad">${t('Niet opgehaald', 'Not collected')}</span>`;
    default:
      return html`<span class="badge warn">${t('Bezig', 'In progress')}</span>`;
  }
}

export function listStatusBadge(status: ListsInfo['lists'][number]['status']): TemplateResult {
  switch (status) {
    case 'fresh':
      return html`<span class="badge ok">${t('Actueel', 'Up to date')}</span>`;
    case 'stale':
      return html`<span class="badge warn">${t('Verouderd', 'Stale')}</span>`;
    case 'expired':
      return html`<span class="badge bad">${t('Verlopen', 'Expired')}</span>`;
    default:
      return html`<span class="badge none">${t('Niet opgehaald', 'Not fetched')}</span>`;
  }
}

/**
 * What went wrong, for a person: title and explanation first, then the spec rule and the machine
 * code, and the technical detail behind a disclosure. `headingLevel` keeps the outline in order.
 */
export function renderRefusal(refusal: Refusal, opts: { headingLevel?: 2 | 3 | 4 } = {}): TemplateResult {
  const title = bi(refusal.title);
  const heading =
    opts.headingLevel === 2
      ? html`<h2 class="refusal-title">${title}</h2>`
      : opts.headingLevel === 4
        ? html`<h4 class="refusal-title">${title}</h4>`
        : html`<h3 class="refusal-title">${title}</h3>`;
  return html`<div class="refusal">
    ${heading}
    <p class="refusal-explanation">${bi(refusal.explanation)}</p>
    <p class="small muted refusal-meta">
      ${refusal.rule ? html`<span>${t('Regel', 'Rule')}: ${bi(refusal.rule)}</span> · ` : nothing}
      <span>${t('Stap', 'Step')}: ${stepName(refusal.step)}</span> ·
      <span>${t('Code', 'Code')}: <code class="refusal-code">${refusal.code}</code></span>
    </p>
    ${
      refusal.detail
        ? html`<details class="refusal-detail">
          <summary>${t('Technisch detail', 'Technical detail')}</summary>
          <p><code>${refusal.detail}</code></p>
        </details>`
        : nothing
    }
  </div>`;
}

export function stepName(step: string): string {
  const names: Record<string, [string, string]> = {
    authorization: ['toestemming bij de zorgaanbieder', 'consent at the care provider'],
    token: ['token ophalen', 'fetching the token'],
    fhir: ['gegevens ophalen (FHIR)', 'fetching the data (FHIR)'],
    lists: ['MedMij-lijsten', 'MedMij lists'],
    callback: ['terugkeer naar de PGO', 'return to the PGO'],
  };
  const pair = names[step];
  return pair ? `${t(...pair)} (${step})` : step;
}

export const refusalStyles = css`
  .refusal {
    border-left: 6px solid var(--pgo-line-bad);
    background: var(--pgo-bad-bg);
    padding: 0.75rem 1rem;
    border-radius: 6px;
  }
  .refusal .refusal-title { color: var(--pgo-bad-text); }
`;
