/**
 * The result of a scenario run, as the trainer sees it after Start: title and Geslaagd/Mislukt, duration
 * and counts, the rule and what it teaches, Presentatiemodus and "Nogmaals starten", the checks (each with
 * the event it matched, opened in the inspector), the runner's log, and the run's own sequence diagram
 * (<console-inspector snapshot>: the run happened on its own network, so its events come with the run).
 * Separate from <console-scenarios-page>: it renders one run and keeps no state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { NearMiss, ScenarioRun } from '@medmij-sandbox/console-api';
import { bi, locale, t } from '@medmij-sandbox/ui/i18n';
import './inspector.ts';
import { scenarioHash } from './router.ts';
import { renderRunError, renderStartButton, runStatusText, type RunControls } from './scenario-start.ts';

function seconds(ms: number): string {
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

/**
 * The events that came closest to a hop expected but not found: each opens in the run's inspector, with the
 * fields it differs in (named as in the scenario's YAML, so code) and what was expected and found there.
 */
function renderNearMisses(misses: NearMiss[], showEvent: (seq: number) => void): TemplateResult {
  return html`<div class="near-misses">
    <p class="small">${t('Het dichtst in de buurt:', 'Closest in the trace:')}</p>
    <ol class="small">
      ${misses.map(
        (m) => html`<li>
          <button
            class="linklike"
            type="button"
            aria-label=${t(`#${m.seq} tonen in het netwerkverkeer`, `Show #${m.seq} in the network traffic`)}
            @click=${() => showEvent(m.seq)}
          >
            #${m.seq}</button
          >: ${bi(m.summary)}
          <ul>
            ${m.differs.map(
              (d) =>
                html`<li>
                  <code>${d.field}</code>: ${t('verwacht', 'expected')} <code lang=${d.field === 'reason' ? 'en' : nothing}>${d.expected}</code>, ${t('gevonden', 'found')}
                  <code lang=${d.field === 'reason' ? 'en' : nothing}>${d.actual}</code>
                </li>`,
            )}
          </ul>
        </li>`,
      )}
    </ol>
  </div>`;
}

/**
 * The result page of a run, its texts in the UI language (a run's `error` is the sandbox's own message, in English,
 * and marked so). `status` is the page's live region; `showEvent` opens an event in the run's inspector (a
 * check's "#seq" button).
 */
export function renderRunResult(run: ScenarioRun, controls: RunControls, status: TemplateResult, showEvent: (seq: number) => void): TemplateResult {
  const passed = run.checks.filter((c) => c.ok).length;
  return html`
    <a class="back" href="#/scenarios">← ${t('Terug naar de catalogus', 'Back to the catalogue')}</a>
    <div class="result-head">
      <h1 tabindex="-1">${bi(run.title)}</h1>
      <span class=${`badge big ${run.ok ? 'ok' : 'bad'}`} data-testid="run-status">${runStatusText(run.ok)}</span>
    </div>
    ${status}
    <p class="small muted">
      <code lang="zxx">${run.name}</code> · ${t('duurde', 'took')} ${seconds(run.durationMs)} ·
      ${t(`${passed} van ${run.checks.length} controles gehaald`, `${passed} of ${run.checks.length} checks met`)} ·
      ${t(`${run.events.length} gebeurtenissen`, `${run.events.length} events`)}
    </p>
    <p class="rule">${t('Regel', 'Rule')}: <span>${bi(run.rule)}</span></p>
    <p class="teaches">${bi(run.teaches)}</p>
    <div class="actions">
      <button class="btn big" type="button" @click=${() => (window.location.hash = scenarioHash(run.name, true))}>
        ${t('Presentatiemodus', 'Presenter mode')}
      </button>
      ${renderStartButton(controls, run, { again: true })}
    </div>
    ${renderRunError(controls, run.name)}
    ${
      run.error
        ? html`<p class="error" role="alert">
          <strong>${t('Het scenario kon niet helemaal draaien', 'The scenario could not run to the end')}:</strong>
          <span lang="en">${run.error}</span>
        </p>`
        : nothing
    }
    <div class="layout result">
      <section class="card" aria-labelledby="checks-heading">
        <h2 id="checks-heading">${t('Controles', 'Checks')}</h2>
        ${
          run.checks.length === 0
            ? html`<p class="muted">${t('Geen controles.', 'No checks.')}</p>`
            : html`<div class="table-wrap">
              <table>
                <caption class="visually-hidden">${t('Controles van deze run', 'Checks of this run')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('Gehaald', 'Met')}</th>
                    <th scope="col">${t('Verwachting', 'Expectation')}</th>
                    <th scope="col">${t('Uitkomst', 'Outcome')}</th>
                    <th scope="col">${t('Gebeurtenis', 'Event')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${run.checks.map(
                    (c) => html`<tr class=${c.ok ? 'ok' : 'bad'}>
                      <td class="mark"><span aria-hidden="true">${c.ok ? '✓' : '✗'}</span><span class="visually-hidden">${c.ok ? t('ja', 'yes') : t('nee', 'no')}</span></td>
                      <td>${bi(c.what)}</td>
                      <td class="message">${bi(c.message)}${c.nearMisses?.length ? renderNearMisses(c.nearMisses, showEvent) : nothing}</td>
                      <td>
                        ${
                          c.seq !== undefined
                            ? html`<button
                              class="linklike"
                              type="button"
                              aria-label=${t(`#${c.seq} tonen in het netwerkverkeer`, `Show #${c.seq} in the network traffic`)}
                              @click=${() => showEvent(c.seq!)}
                            >
                              #${c.seq}
                            </button>`
                            : html`<span class="muted">—</span>`
                        }
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        }
      </section>
      <section class="card" aria-labelledby="log-heading">
        <h2 id="log-heading">${t('Wat de runner deed', 'What the runner did')}</h2>
        ${
          run.log.length
            ? html`<ol class="log">
              ${run.log.map((line) => html`<li>${bi(line)}</li>`)}
            </ol>`
            : html`<p class="muted">${t('Geen logregels.', 'No log lines.')}</p>`
        }
      </section>
    </div>
    <div class="card inspector-wrap">
      <console-inspector snapshot .events=${run.events} export-name=${`scenario-${run.name}`} heading=${t('Netwerkverkeer van deze run', 'Network traffic of this run')}></console-inspector>
    </div>
  `;
}
