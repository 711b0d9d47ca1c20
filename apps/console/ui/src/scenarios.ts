/**
 * <console-scenarios-page scenario="…" present>: the trainers' pages. Without `scenario`: the catalogue of
 * MedMij situations (searchable; each with a Start button) and the reset of the live network. With
 * `scenario`: the result of its last run in this tab (pass/fail, the checks, the runner's log and the
 * run's own sequence diagram in the inspector), or a Start button when there is none yet. With `present`
 * too: presenter mode (presenter.ts).
 *
 * A run happens on its own fresh network (the live network is not disturbed) and takes 0.3–5 s; the
 * scenarios' texts come from the sandbox (scenarios/*.yaml) in Dutch and English, shown in the UI language.
 *
 * This element holds the page's state (the catalogue load, the run under way, the search) and picks the
 * view; the views are scenario-catalogue.ts (the list), scenario-result.ts (a run's result),
 * scenario-start.ts (the Start button, shared) and scenario-reset.ts (the reset of the live network).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ScenarioInfo, ScenarioRun } from '@medmij-sandbox/console-api';
import { api } from './client.ts';
import { failureText } from '@medmij-sandbox/ui/api';
import { LangController, bi, t } from '@medmij-sandbox/ui/i18n';
import type { ConsoleInspector } from './inspector.ts';
import './presenter.ts';
import { parseRoute, scenarioHash } from './router.ts';
import { renderCatalogueList, type CatalogueSearch } from './scenario-catalogue.ts';
import { SandboxReset } from './scenario-reset.ts';
import { renderRunResult } from './scenario-result.ts';
import { renderRunError, renderStartButton, runStatusText, type RunControls } from './scenario-start.ts';
import { ScenarioStoreController, scenariosUnavailable } from './scenario-store.ts';
import { shared } from '@medmij-sandbox/ui/styles';

@customElement('console-scenarios-page')
export class ConsoleScenariosPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .intro {
        max-width: 60rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
        align-items: start;
      }
      @media (min-width: 70rem) {
        .layout.catalogue {
          grid-template-columns: minmax(0, 1fr) 24rem;
        }
        .layout.catalogue .side {
          grid-column: 2;
          grid-row: 1;
        }
        .layout.result {
          grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        }
      }
      .scenario {
        border-top: 1px solid var(--pgo-border);
        padding: 0.9rem 0;
      }
      .scenario:first-child {
        border-top: 0;
      }
      .scenario h3 {
        margin-bottom: 0.2rem;
      }
      .rule {
        color: var(--pgo-muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        margin-top: 0.5rem;
      }
      .btn[aria-disabled='true'] {
        background: #6b7280;
        border-color: #6b7280;
        color: #fff;
        cursor: progress;
      }
      .btn.secondary[aria-disabled='true'] {
        background: #f3f4f6;
        color: #374151;
      }
      .btn.big {
        font-size: 1.1rem;
        padding: 0.55rem 1.2rem;
      }
      .btn.danger {
        background: #b3261e;
        border-color: #b3261e;
        color: #fff;
      }
      .btn.danger:hover {
        background: #8c1d18;
        border-color: #8c1d18;
      }
      .running {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        font-size: 0.9rem;
      }
      progress {
        width: 8rem;
      }
      .confirm {
        border: 2px solid #b3261e;
        background: var(--pgo-bad-bg);
        border-radius: 8px;
        padding: 0.75rem 1rem;
      }
      .confirm .actions {
        margin-top: 0.25rem;
      }
      .reset-result ul {
        margin: 0.25rem 0 0;
        padding-left: 1.25rem;
      }
      .result-head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin-bottom: 0.5rem;
      }
      .result-head h1 {
        margin: 0;
      }
      .result-head h1:focus {
        outline: none;
      }
      .badge.big {
        font-size: 1.05rem;
        padding: 0.15rem 0.8rem;
      }
      .teaches {
        max-width: 60rem;
      }
      .back {
        display: inline-block;
        margin-bottom: 0.75rem;
      }
      td.mark {
        font-weight: 700;
        white-space: nowrap;
      }
      tr.ok td.mark {
        color: var(--pgo-ok-text);
      }
      tr.bad td.mark {
        color: var(--pgo-bad-text);
      }
      tr.bad td {
        background: var(--pgo-bad-bg);
      }
      td.message {
        overflow-wrap: anywhere;
      }
      ol.log {
        margin: 0;
        padding-left: 1.5rem;
      }
      ol.log li {
        margin-bottom: 0.3rem;
        overflow-wrap: anywhere;
      }
      .inspector-wrap {
        margin-top: 1rem;
      }
    `,
  ];

  private readonly langController = new LangController(this);
  private readonly runs = new ScenarioStoreController(this);
  private readonly reset = new SandboxReset(this, () => (this.unavailable = true));

  /** The scenario shown ('' = the catalogue). */
  @property() scenario = '';
  /** Presenter mode for `scenario`. */
  @property({ type: Boolean }) present = false;

  @state() private loadError = '';
  @state() private unavailable = false;
  @state() private query = '';
  @state() private runError: { name: string; text: string } | undefined;
  @state() private announcement = '';

  /** What the Start buttons read and do. */
  private get controls(): RunControls {
    return { running: this.runs.store.running, runError: this.runError, start: (info) => void this.start(info) };
  }

  private get search(): CatalogueSearch {
    return { query: this.query, onQuery: (query) => (this.query = query) };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const { scenarios } = await api.scenarios();
      this.runs.store.setCatalogue(scenarios);
      this.unavailable = false;
      this.loadError = '';
    } catch (e) {
      if (scenariosUnavailable(e)) this.unavailable = true;
      else this.loadError = failureText(e);
    }
  }

  /** Runs a scenario; when done, shows its result (unless the person went elsewhere meanwhile). */
  private async start(info: ScenarioInfo): Promise<void> {
    const store = this.runs.store;
    if (store.running) return;
    this.runError = undefined;
    this.announcement = t(`${info.title.nl} draait…`, `${info.title.en} is running…`);
    let run: ScenarioRun;
    try {
      run = await store.run(info.name);
    } catch (e) {
      if (scenariosUnavailable(e)) this.unavailable = true;
      this.runError = { name: info.name, text: failureText(e) };
      this.announcement = '';
      return;
    }
    this.announcement = `${bi(run.title)}: ${runStatusText(run.ok).toLowerCase()}.`;
    const target = scenarioHash(info.name);
    if (!this.isConnected) return;
    if (window.location.hash === target) {
      // Run again from its own result page: no route change, so bring the new result into focus here.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } else if (parseRoute(window.location.hash).name === 'scenarios') window.location.hash = target;
  }

  override render() {
    void this.langController;
    const name = this.scenario;
    if (!name) return this.renderCatalogue();
    const run = this.runs.store.get(name);
    if (run && this.present) return html`<console-presenter .run=${run}></console-presenter>`;
    if (run)
      return renderRunResult(
        run,
        this.controls,
        this.renderStatus(),
        (seq) => void this.renderRoot.querySelector<ConsoleInspector>('console-inspector')?.select(seq),
      );
    return this.renderNoRun(name);
  }

  private renderStatus() {
    return html`<div class="visually-hidden" role="status">${this.announcement}</div>`;
  }

  private renderUnavailable(): TemplateResult {
    return html`<section class="card" aria-labelledby="unavailable-heading">
      <h2 id="unavailable-heading">${t("Scenario's zijn hier niet beschikbaar", 'Scenarios are not available here')}</h2>
      <p>${t("Start de sandbox met npm start om scenario's te draaien.", 'Start the sandbox with npm start to run scenarios.')}</p>
      <p class="small muted">
        ${t('Deze console draait nu los, zonder de scenario-dienst van de sandbox.', "This console runs on its own now, without the sandbox's scenario service.")}
      </p>
    </section>`;
  }

  private renderLoadError(): TemplateResult {
    return html`<p class="error" role="alert">${this.loadError}</p>
      <p><button class="btn secondary" type="button" @click=${() => void this.load()}>${t('Opnieuw proberen', 'Try again')}</button></p>`;
  }

  private renderCatalogue(): TemplateResult {
    const catalogue = this.runs.store.catalogue;
    return html`
      <h1>${t("Scenario's", 'Scenarios')}</h1>
      <p class="intro">
        ${t(
          'Voor trainers: elk scenario is een MedMij-situatie (een ingetrokken certificaat, een patiënt onder de 16, een verlopen lijst, een hergebruikte code …). Een scenario draait op een eigen, nieuw netwerk: het live netwerk van deze sandbox merkt er niets van. Daarna zie je wat er gebeurde, wat er gecontroleerd is, en kun je het stap voor stap presenteren.',
          'For trainers: each scenario is a MedMij situation (a revoked certificate, a patient under 16, an expired list, a replayed code …). A scenario runs on its own fresh network: the live network of this sandbox does not notice. Afterwards you see what happened and what was checked, and you can present it step by step.',
        )}
      </p>
      ${this.renderStatus()}
      ${
        this.unavailable
          ? this.renderUnavailable()
          : html`<div class="layout catalogue">
            ${this.reset.render()}
            <section class="card" aria-labelledby="catalogue-heading">
              <h2 id="catalogue-heading">${t('Catalogus', 'Catalogue')}</h2>
              ${this.loadError ? this.renderLoadError() : nothing}
              ${catalogue === undefined ? (this.loadError ? nothing : html`<p class="muted">${t('Laden…', 'Loading…')}</p>`) : renderCatalogueList(catalogue, this.search, this.runs.store, this.controls)}
            </section>
          </div>`
      }
    `;
  }

  private renderNoRun(name: string): TemplateResult {
    const info = this.runs.store.info(name);
    const catalogue = this.runs.store.catalogue;
    return html`
      <a class="back" href="#/scenarios">← ${t('Terug naar de catalogus', 'Back to the catalogue')}</a>
      <h1>${info ? bi(info.title) : name}</h1>
      ${this.renderStatus()}
      ${
        this.unavailable
          ? this.renderUnavailable()
          : info
            ? html`<p class="small rule">${t('Regel', 'Rule')}: <span>${bi(info.rule)}</span></p>
              <p class="teaches">${bi(info.teaches)}</p>
              <p>
                ${
                  this.present
                    ? t('Start het scenario eerst; daarna kun je het presenteren.', 'Run the scenario first; then you can present it.')
                    : t('Dit scenario is in dit tabblad nog niet gestart.', 'This scenario has not run in this tab yet.')
                }
              </p>
              <div class="actions">${renderStartButton(this.controls, info)}</div>
              ${renderRunError(this.controls, name)}`
            : this.loadError
              ? this.renderLoadError()
              : catalogue
                ? html`<p>${t('Dit scenario bestaat niet.', 'There is no such scenario.')}</p>`
                : html`<p class="muted">${t('Laden…', 'Loading…')}</p>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-scenarios-page': ConsoleScenariosPage;
  }
}
