/**
 * The scenario catalogue's list: a search field (title, name, rule and what it teaches, in the UI language), the
 * count, and per MedMij situation its title, rule, what it teaches, a Start button and the outcome of its last run
 * in this tab. Separate from <console-scenarios-page>, which owns the query and starts the runs.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ScenarioInfo } from '@medmij-sandbox/console-api';
import { bi, t } from '@medmij-sandbox/ui/i18n';
import type { ScenarioStore } from './scenario-store.ts';
import { renderRunError, renderStartButton, runStatusText, type RunControls } from './scenario-start.ts';
import { scenarioHash } from './router.ts';

export interface CatalogueSearch {
  query: string;
  onQuery(query: string): void;
}

export function renderCatalogueList(catalogue: ScenarioInfo[], search: CatalogueSearch, store: ScenarioStore, controls: RunControls): TemplateResult {
  const q = search.query.trim().toLowerCase();
  // The texts of the language shown: a Dutch trainer finds the revocation scenarios by "ingetrokken".
  const shown = q ? catalogue.filter((s) => [bi(s.title), s.name, bi(s.rule), bi(s.teaches)].some((text) => text.toLowerCase().includes(q))) : catalogue;
  const n = catalogue.length;
  return html`<div class="search-field" role="search">
        <label for="scenario-search">${t('Zoek een scenario', 'Search scenarios')}</label>
        <input
          id="scenario-search"
          type="search"
          autocomplete="off"
          aria-describedby="scenario-count"
          .value=${search.query}
          @input=${(e: Event) => search.onQuery((e.target as HTMLInputElement).value)}
        />
      </div>
      <p id="scenario-count" class="small muted" role="status">
        ${
          q
            ? t(`${shown.length} van ${n} scenario's`, `${shown.length} of ${n} scenarios`)
            : t(`${n} ${n === 1 ? 'scenario' : "scenario's"}`, `${n} ${n === 1 ? 'scenario' : 'scenarios'}`)
        }
      </p>
      ${shown.length === 0 && n > 0 ? html`<p>${t('Geen scenario gevonden.', 'No scenario found.')}</p>` : nothing}
      <ul class="plain">
        ${shown.map((s) => renderItem(s, store, controls))}
      </ul>`;
}

function renderItem(s: ScenarioInfo, store: ScenarioStore, controls: RunControls): TemplateResult {
  const last = store.get(s.name);
  return html`<li class="scenario" aria-busy=${store.running === s.name ? 'true' : 'false'}>
      <h3>${bi(s.title)}</h3>
      <p class="small rule">${t('Regel', 'Rule')}: <span>${bi(s.rule)}</span></p>
      <p>${bi(s.teaches)}</p>
      <div class="actions">
        ${renderStartButton(controls, s)}
        ${
          last
            ? html`<span class="small"
              >${t('Laatste run', 'Last run')}: <span class=${`badge ${last.ok ? 'ok' : 'bad'}`}>${runStatusText(last.ok)}</span> ·
              <a href=${scenarioHash(s.name)}>${t('bekijk het resultaat', 'see the result')}<span class="visually-hidden"> ${t('van', 'of')} ${bi(s.title)}</span></a></span
            >`
            : nothing
        }
        <code class="small" lang="zxx">${s.name}</code>
      </div>
      ${renderRunError(controls, s.name)}
    </li>`;
}
