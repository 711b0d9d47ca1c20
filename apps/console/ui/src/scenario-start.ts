/**
 * Starting a scenario run, as every trainers' page shows it: the Start (or "Nogmaals starten") button,
 * busy with a progress bar while its run is under way and aria-disabled while another one is (one run at
 * a time), the error when a run could not start, and the words for a run's outcome. Shared by the
 * catalogue (scenario-catalogue.ts), the result page (scenario-result.ts) and the page of a scenario
 * without a run yet (scenarios.ts); the run itself is started by <console-scenarios-page>.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ScenarioInfo } from '@medmij-sandbox/console-api';
import { bi, t } from '@medmij-sandbox/ui/i18n';

/** What a Start button needs from the page. */
export interface RunControls {
  /** The scenario running now (one at a time). */
  running: string | undefined;
  /** The last run that could not start, with why. */
  runError: { name: string; text: string } | undefined;
  start(info: ScenarioInfo): void;
}

export function runStatusText(ok: boolean): string {
  return ok ? t('Geslaagd', 'Passed') : t('Mislukt', 'Failed');
}

export function renderStartButton(controls: RunControls, info: ScenarioInfo, opts: { again?: boolean } = {}): TemplateResult {
  const running = controls.running;
  const busy = running === info.name;
  const label = opts.again ? t('Nogmaals starten', 'Run again') : `Start ${bi(info.title)}`;
  return html`<button
        class=${opts.again ? 'btn secondary' : 'btn big'}
        type="button"
        aria-label=${label}
        aria-disabled=${running ? 'true' : 'false'}
        aria-busy=${busy ? 'true' : 'false'}
        @click=${() => controls.start(info)}
      >
        ${opts.again ? label : 'Start'}${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
      </button>
      ${
        busy
          ? html`<span class="running">
            <progress aria-label=${t('Scenario draait', 'Scenario running')}></progress>
            ${t('Draait op een eigen netwerk… (0,3 tot 5 seconden)', 'Running on its own network… (0.3 to 5 seconds)')}
          </span>`
          : nothing
      }`;
}

export function renderRunError(controls: RunControls, name: string) {
  return controls.runError?.name === name
    ? html`<p class="error" role="alert">${t('Het scenario kon niet starten', 'The scenario could not start')}: ${controls.runError.text}</p>`
    : nothing;
}
