/**
 * <pgo-scenarios-page scenario="…" present>: the trainers' pages. Without `scenario`: the catalogue of
 * MedMij situations (searchable; each with a Start button) and the reset of the live network. With
 * `scenario`: the result of its last run in this tab (pass/fail, the checks, the runner's log and the
 * run's own sequence diagram in the inspector), or a Start button when there is none yet. With `present`
 * too: presenter mode (presenter.ts).
 *
 * A run happens on its own fresh network (the live network is not disturbed) and takes 0.3–5 s; the
 * scenarios' texts come from the sandbox (scenarios/*.yaml), in English.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ScenarioInfo, ScenarioRun } from '../../src/api.ts';
import { ApiFailure, api } from './client.ts';
import { LangController, bi, locale, t } from './i18n.ts';
import './inspector.ts';
import type { PgoInspector } from './inspector.ts';
import './presenter.ts';
import { parseRoute, scenarioHash } from './router.ts';
import { SANDBOX_TEXT_LANG, ScenarioStoreController } from './scenario-store.ts';
import { shared } from './styles.ts';

const UNAVAILABLE = 'scenarios_unavailable';

function failureText(e: unknown): string {
  return e instanceof ApiFailure ? bi(e.apiError.message) : t('Er ging iets mis.', 'Something went wrong.');
}

function seconds(ms: number): string {
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

export function runStatusText(ok: boolean): string {
  return ok ? t('Geslaagd', 'Passed') : t('Mislukt', 'Failed');
}

@customElement('pgo-scenarios-page')
export class PgoScenariosPage extends LitElement {
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

  /** The scenario shown ('' = the catalogue). */
  @property() scenario = '';
  /** Presenter mode for `scenario`. */
  @property({ type: Boolean }) present = false;

  @state() private loadError = '';
  @state() private unavailable = false;
  @state() private query = '';
  @state() private runError: { name: string; text: string } | undefined;
  @state() private announcement = '';
  @state() private resetStep: 'idle' | 'confirm' | 'busy' = 'idle';
  @state() private resetDone: string[] | undefined;
  @state() private resetError = '';

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
      if (e instanceof ApiFailure && e.apiError.error === UNAVAILABLE) this.unavailable = true;
      else this.loadError = failureText(e);
    }
  }

  /** Runs a scenario; when done, shows its result (unless the person went elsewhere meanwhile). */
  private async start(info: ScenarioInfo): Promise<void> {
    const store = this.runs.store;
    if (store.running) return;
    this.runError = undefined;
    this.announcement = t(`${info.title} draait…`, `${info.title} is running…`);
    let run: ScenarioRun;
    try {
      run = await store.run(info.name);
    } catch (e) {
      if (e instanceof ApiFailure && e.apiError.error === UNAVAILABLE) this.unavailable = true;
      this.runError = { name: info.name, text: failureText(e) };
      this.announcement = '';
      return;
    }
    this.announcement = t(`${run.title}: ${runStatusText(run.ok).toLowerCase()}.`, `${run.title}: ${runStatusText(run.ok).toLowerCase()}.`);
    const target = scenarioHash(info.name);
    if (!this.isConnected) return;
    if (window.location.hash === target) {
      // Run again from its own result page: no route change, so bring the new result into focus here.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } else if (parseRoute(window.location.hash).name === 'scenarios') window.location.hash = target;
  }

  private askReset(): void {
    if (this.resetStep !== 'idle') return;
    this.resetStep = 'confirm';
    this.resetError = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('#reset-confirm')?.focus());
  }

  private cancelReset(): void {
    this.resetStep = 'idle';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('#reset')?.focus());
  }

  private async reset(): Promise<void> {
    this.resetStep = 'busy';
    this.resetDone = undefined;
    this.resetError = '';
    // Focus stays on the reset button (aria-disabled while busy), not lost with the confirmation.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('#reset')?.focus());
    try {
      this.resetDone = (await api.resetSandbox()).done;
    } catch (e) {
      if (e instanceof ApiFailure && e.apiError.error === UNAVAILABLE) this.unavailable = true;
      this.resetError = failureText(e);
    }
    this.resetStep = 'idle';
  }

  override render() {
    void this.langController;
    const name = this.scenario;
    if (!name) return this.renderCatalogue();
    const run = this.runs.store.get(name);
    if (run && this.present) return html`<pgo-presenter .run=${run}></pgo-presenter>`;
    if (run) return this.renderResult(run);
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
        ${t('Deze PGO draait nu los, zonder de scenario-dienst van de sandbox.', "This PGO runs on its own now, without the sandbox's scenario service.")}
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
            ${this.renderReset()}
            <section class="card" aria-labelledby="catalogue-heading">
              <h2 id="catalogue-heading">${t('Catalogus', 'Catalogue')}</h2>
              ${this.loadError ? this.renderLoadError() : nothing}
              ${catalogue === undefined ? (this.loadError ? nothing : html`<p class="muted">${t('Laden…', 'Loading…')}</p>`) : this.renderList(catalogue)}
            </section>
          </div>`
      }
    `;
  }

  private renderList(catalogue: ScenarioInfo[]): TemplateResult {
    const q = this.query.trim().toLowerCase();
    const shown = q ? catalogue.filter((s) => [s.title, s.name, s.rule, s.teaches].some((text) => text.toLowerCase().includes(q))) : catalogue;
    const n = catalogue.length;
    return html`<div class="search-field" role="search">
        <label for="scenario-search">${t('Zoek een scenario', 'Search scenarios')}</label>
        <input
          id="scenario-search"
          type="search"
          autocomplete="off"
          aria-describedby="scenario-count"
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
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
        ${shown.map((s) => this.renderItem(s))}
      </ul>`;
  }

  private renderStartButton(info: ScenarioInfo, opts: { again?: boolean } = {}): TemplateResult {
    const running = this.runs.store.running;
    const busy = running === info.name;
    const label = opts.again ? t('Nogmaals starten', 'Run again') : `Start ${info.title}`;
    return html`<button
        class=${opts.again ? 'btn secondary' : 'btn big'}
        type="button"
        aria-label=${label}
        aria-disabled=${running ? 'true' : 'false'}
        aria-busy=${busy ? 'true' : 'false'}
        @click=${() => void this.start(info)}
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

  private renderRunError(name: string) {
    return this.runError?.name === name
      ? html`<p class="error" role="alert">${t('Het scenario kon niet starten', 'The scenario could not start')}: ${this.runError.text}</p>`
      : nothing;
  }

  private renderItem(s: ScenarioInfo): TemplateResult {
    const last = this.runs.store.get(s.name);
    return html`<li class="scenario" aria-busy=${this.runs.store.running === s.name ? 'true' : 'false'}>
      <h3 lang=${SANDBOX_TEXT_LANG}>${s.title}</h3>
      <p class="small rule">${t('Regel', 'Rule')}: <span lang=${SANDBOX_TEXT_LANG}>${s.rule}</span></p>
      <p lang=${SANDBOX_TEXT_LANG}>${s.teaches}</p>
      <div class="actions">
        ${this.renderStartButton(s)}
        ${
          last
            ? html`<span class="small"
              >${t('Laatste run', 'Last run')}: <span class=${`badge ${last.ok ? 'ok' : 'bad'}`}>${runStatusText(last.ok)}</span> ·
              <a href=${scenarioHash(s.name)}>${t('bekijk het resultaat', 'see the result')}<span class="visually-hidden"> ${t('van', 'of')} ${s.title}</span></a></span
            >`
            : nothing
        }
        <code class="small" lang="zxx">${s.name}</code>
      </div>
      ${this.renderRunError(s.name)}
    </li>`;
  }

  private renderReset(): TemplateResult {
    const step = this.resetStep;
    const busy = step === 'busy';
    return html`<section class="card side" aria-labelledby="reset-heading" aria-busy=${busy ? 'true' : 'false'}>
      <h2 id="reset-heading">${t('Het live netwerk', 'The live network')}</h2>
      <p class="small">
        ${t(
          'Na een demonstratie op het live netwerk (een certificaat ingetrokken, de klok verzet, een lijst bevroren): zet alles terug. Ingetrokken of verlopen certificaten worden opnieuw uitgegeven, de lijsten van de stelselnode gaan terug naar de topologie en de sandboxklok terug naar de echte tijd.',
          "After a demonstration on the live network (a certificate revoked, the clock shifted, a list frozen): put everything back. Revoked or expired certificates are reissued, the stelselnode's lists go back to the topology and the sandbox clock back to real time.",
        )}
      </p>
      ${
        step === 'confirm'
          ? html`<div
            class="confirm"
            role="group"
            aria-labelledby="reset-question"
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                this.cancelReset();
              }
            }}
          >
            <p id="reset-question">
              <strong>${t('Weet je het zeker?', 'Are you sure?')}</strong>
              ${t('Het live netwerk gaat terug naar de beginstand; lopende ophaalacties kunnen mislukken.', 'The live network goes back to its initial state; collections under way may fail.')}
            </p>
            <div class="actions">
              <button id="reset-confirm" class="btn danger" type="button" @click=${() => void this.reset()}>${t('Ja, resetten', 'Yes, reset')}</button>
              <button class="btn secondary" type="button" @click=${this.cancelReset}>${t('Annuleren', 'Cancel')}</button>
            </div>
          </div>`
          : html`<button id="reset" class="btn danger big" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${this.askReset}>
            ${t('Sandbox resetten', 'Reset sandbox')}${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
          </button>`
      }
      <div class="reset-result" role="status">
        ${
          busy
            ? html`<p class="small">${t('Bezig met resetten…', 'Resetting…')}</p>`
            : this.resetDone
              ? html`<p class="small"><strong>${t('Sandbox gereset', 'Sandbox reset')}:</strong></p>
                ${
                  this.resetDone.length
                    ? html`<ul class="small" lang=${SANDBOX_TEXT_LANG}>
                      ${this.resetDone.map((line) => html`<li>${line}</li>`)}
                    </ul>`
                    : html`<p class="small">${t('Er was niets terug te zetten.', 'There was nothing to put back.')}</p>`
                }`
              : nothing
        }
      </div>
      ${this.resetError ? html`<p class="error" role="alert">${t('Resetten is niet gelukt', 'The reset failed')}: ${this.resetError}</p>` : nothing}
    </section>`;
  }

  private renderNoRun(name: string): TemplateResult {
    const info = this.runs.store.info(name);
    const catalogue = this.runs.store.catalogue;
    return html`
      <a class="back" href="#/scenarios">← ${t('Terug naar de catalogus', 'Back to the catalogue')}</a>
      <h1 lang=${info ? SANDBOX_TEXT_LANG : nothing}>${info?.title ?? name}</h1>
      ${this.renderStatus()}
      ${
        this.unavailable
          ? this.renderUnavailable()
          : info
            ? html`<p class="small rule">${t('Regel', 'Rule')}: <span lang=${SANDBOX_TEXT_LANG}>${info.rule}</span></p>
              <p class="teaches" lang=${SANDBOX_TEXT_LANG}>${info.teaches}</p>
              <p>
                ${
                  this.present
                    ? t('Start het scenario eerst; daarna kun je het presenteren.', 'Run the scenario first; then you can present it.')
                    : t('Dit scenario is in dit tabblad nog niet gestart.', 'This scenario has not run in this tab yet.')
                }
              </p>
              <div class="actions">${this.renderStartButton(info)}</div>
              ${this.renderRunError(name)}`
            : this.loadError
              ? this.renderLoadError()
              : catalogue
                ? html`<p>${t('Dit scenario bestaat niet.', 'There is no such scenario.')}</p>`
                : html`<p class="muted">${t('Laden…', 'Loading…')}</p>`
      }
    `;
  }

  private renderResult(run: ScenarioRun): TemplateResult {
    const passed = run.checks.filter((c) => c.ok).length;
    return html`
      <a class="back" href="#/scenarios">← ${t('Terug naar de catalogus', 'Back to the catalogue')}</a>
      <div class="result-head">
        <h1 tabindex="-1" lang=${SANDBOX_TEXT_LANG}>${run.title}</h1>
        <span class=${`badge big ${run.ok ? 'ok' : 'bad'}`} data-testid="run-status">${runStatusText(run.ok)}</span>
      </div>
      ${this.renderStatus()}
      <p class="small muted">
        <code lang="zxx">${run.name}</code> · ${t('duurde', 'took')} ${seconds(run.durationMs)} ·
        ${t(`${passed} van ${run.checks.length} controles gehaald`, `${passed} of ${run.checks.length} checks met`)} ·
        ${t(`${run.events.length} gebeurtenissen`, `${run.events.length} events`)}
      </p>
      <p class="rule">${t('Regel', 'Rule')}: <span lang=${SANDBOX_TEXT_LANG}>${run.rule}</span></p>
      <p class="teaches" lang=${SANDBOX_TEXT_LANG}>${run.teaches}</p>
      <div class="actions">
        <button class="btn big" type="button" @click=${() => (window.location.hash = scenarioHash(run.name, true))}>
          ${t('Presentatiemodus', 'Presenter mode')}
        </button>
        ${this.renderStartButton(run, { again: true })}
      </div>
      ${this.renderRunError(run.name)}
      ${
        run.error
          ? html`<p class="error" role="alert">
            <strong>${t('Het scenario kon niet helemaal draaien', 'The scenario could not run to the end')}:</strong>
            <span lang=${SANDBOX_TEXT_LANG}>${run.error}</span>
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
                        <td lang=${SANDBOX_TEXT_LANG}>${c.what}</td>
                        <td class="message" lang=${SANDBOX_TEXT_LANG}>${c.message}</td>
                        <td>
                          ${
                            c.seq !== undefined
                              ? html`<button
                                class="linklike"
                                type="button"
                                aria-label=${t(`#${c.seq} tonen in het netwerkverkeer`, `Show #${c.seq} in the network traffic`)}
                                @click=${() => void this.renderRoot.querySelector<PgoInspector>('pgo-inspector')?.select(c.seq!)}
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
              ? html`<ol class="log" lang=${SANDBOX_TEXT_LANG}>
                ${run.log.map((line) => html`<li>${line}</li>`)}
              </ol>`
              : html`<p class="muted">${t('Geen logregels.', 'No log lines.')}</p>`
          }
        </section>
      </div>
      <div class="card inspector-wrap">
        <pgo-inspector snapshot .events=${run.events} export-name=${`scenario-${run.name}`} heading=${t('Netwerkverkeer van deze run', 'Network traffic of this run')}></pgo-inspector>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-scenarios-page': PgoScenariosPage;
  }
}
