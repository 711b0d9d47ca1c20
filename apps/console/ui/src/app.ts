/**
 * <console-app>: the operator console's shell. Sandbox banner, header with navigation (inspector, scenarios, the
 * network's PGOs), the operator's role, language toggle; hash routes (router.ts): `#/` and `#/inspector[/<traceId>]`
 * (the network inspector), `#/scenarios`, `#/scenarios/<name>` (a run's result) and `#/scenarios/<name>/present`
 * (presenter mode, full width).
 *
 * Everything here is for the operator only (the trace holds the DVZA's view): a browser without the operator
 * cookie gets a page saying how to log in (the login link `npm start` prints) and nothing of the network.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { OperatorInfo } from '@medmij-sandbox/console-api';
import { failureText } from '@medmij-sandbox/ui/api';
import { LangController, t } from '@medmij-sandbox/ui/i18n';
import '@medmij-sandbox/ui/shell';
import { appShell, shared } from '@medmij-sandbox/ui/styles';
import { OPERATOR_REQUIRED_EVENT, api } from './client.ts';
import './inspector.ts';
import './trace-file-page.ts';
import { parseRoute, type Route } from './router.ts';
import './scenarios.ts';

@customElement('console-app')
export class ConsoleApp extends LitElement {
  static override styles = [
    shared,
    appShell,
    css`
      :host {
        --shell-bar: #2b1d4d;
      }
      main.wide {
        max-width: none;
      }
      .inspector-page {
        background: var(--pgo-surface);
        border: 1px solid var(--pgo-border);
        border-radius: 10px;
        padding: 1rem 1.25rem;
      }
    `,
  ];

  private readonly langController = new LangController(this);

  @state() private operator?: OperatorInfo;
  @state() private loadError = '';
  @state() private route: Route = parseRoute(window.location.hash);

  private readonly onHashChange = () => {
    this.route = parseRoute(window.location.hash);
    this.updateTitle();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('main')?.focus());
  };

  /** A 401 from any call: the operator session ended (new tokens after a reset); ask again who this is. */
  private readonly onOperatorRequired = () => void this.loadOperator();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    window.addEventListener(OPERATOR_REQUIRED_EVENT, this.onOperatorRequired);
    void this.loadOperator();
    this.updateTitle();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    window.removeEventListener(OPERATOR_REQUIRED_EVENT, this.onOperatorRequired);
  }

  private async loadOperator(): Promise<void> {
    try {
      this.operator = await api.operator();
      this.loadError = '';
    } catch (e) {
      this.loadError = failureText(e);
    }
  }

  private updateTitle(): void {
    const r = this.route;
    const page =
      r.name === 'inspector'
        ? t('Netwerkinspecteur', 'Network inspector')
        : r.name === 'trace'
          ? t('Trace laden', 'Load a trace')
          : r.name === 'scenarios'
            ? r.present
              ? t('Presentatiemodus', 'Presenter mode')
              : r.scenario
                ? t('Scenario-resultaat', 'Scenario result')
                : t("Scenario's", 'Scenarios')
            : t('Pagina niet gevonden', 'Page not found');
    document.title = `${page} – MedMij Sandbox Console`;
  }

  private skipToMain(): void {
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  override render() {
    void this.langController;
    const r = this.route;
    const role = this.operator?.role;
    return html`
      <button class="skip" @click=${this.skipToMain}>${t('Direct naar de inhoud', 'Skip to content')}</button>
      <header>
        <sandbox-banner></sandbox-banner>
        <div class="bar">
          <a class="brand" href="#/">MedMij Sandbox Console</a>
          <nav aria-label=${t('Hoofdmenu', 'Main menu')}>
            <ul>
              <li>
                <a href="#/inspector" aria-current=${r.name === 'inspector' ? 'page' : 'false'}>${t('Netwerkinspecteur', 'Network inspector')}</a>
              </li>
              <li><a href="#/trace" aria-current=${r.name === 'trace' ? 'page' : 'false'}>${t('Trace laden', 'Load a trace')}</a></li>
              <li><a href="#/scenarios" aria-current=${r.name === 'scenarios' ? 'page' : 'false'}>${t("Scenario's", 'Scenarios')}</a></li>
              ${(this.operator?.pgos ?? []).map((p) => html`<li><a href=${p.url}>${p.name}</a></li>`)}
            </ul>
          </nav>
          <div class="bar-end">
            ${role ? html`<span>${role === 'trainer' ? t('Ingelogd als trainer', 'Logged in as trainer') : t('Ingelogd als kijker', 'Logged in as viewer')}</span>` : nothing}
            <sandbox-lang-toggle @sandbox-lang-changed=${this.updateTitle}></sandbox-lang-toggle>
          </div>
        </div>
      </header>
      <main id="main" tabindex="-1" class=${r.name === 'scenarios' && r.present ? 'wide' : ''}>${this.renderMain()}</main>
      <footer>
        ${t(
          'De console van de MedMij Sandbox: geen MedMij-rol, maar het gereedschap van wie de sandbox draait. Alle gegevens zijn verzonnen.',
          'The MedMij Sandbox console: no MedMij role, but the tool of whoever runs the sandbox. All data is synthetic.',
        )}
      </footer>
    `;
  }

  private renderMain() {
    const r = this.route;
    if (this.loadError && !this.operator)
      return html`<h1>${t('De console is niet bereikbaar', 'The console cannot be reached')}</h1>
        <p class="error" role="alert">${this.loadError}</p>
        <p><button class="btn" @click=${() => void this.loadOperator()}>${t('Opnieuw proberen', 'Try again')}</button></p>`;
    if (!this.operator) return html`<h1 class="visually-hidden">MedMij Sandbox Console</h1><p class="muted" role="status">${t('Laden…', 'Loading…')}</p>`;
    if (this.operator.role === null) return this.renderLoginNeeded();
    if (r.name === 'inspector')
      return html`<h1>${t('Netwerkinspecteur', 'Network inspector')}</h1>
        <p>
          ${t(
            'Alle verzoeken tussen browser, PGO, stelselnode, zorgaanbieders (DVZA), TVS en PKI, live terwijl ze gebeuren.',
            'Every request between browser, PGO, stelselnode, care providers (DVZA), TVS and PKI, live as it happens.',
          )}
        </p>
        <div class="inspector-page"><console-inspector live trace-id=${r.traceId ?? ''}></console-inspector></div>`;
    if (r.name === 'trace') return html`<console-trace-file-page></console-trace-file-page>`;
    if (r.name === 'scenarios') return html`<console-scenarios-page scenario=${r.scenario ?? ''} ?present=${!!r.present}></console-scenarios-page>`;
    return html`<h1>${t('Pagina niet gevonden', 'Page not found')}</h1>
      <p><a href="#/">${t('Naar de netwerkinspecteur', 'Go to the network inspector')}</a></p>`;
  }

  private renderLoginNeeded() {
    return html`<h1>${t('Alleen voor de operator', 'Operator only')}</h1>
      <p>
        ${t(
          "De console toont de netwerktrace: wat de zorgaanbieder en de TVS zien (BSN's, namen, codes). Alleen wie de sandbox draait mag die zien.",
          'The console shows the network trace: what the care provider and the TVS see (BSNs, names, codes). Only whoever runs the sandbox may see it.',
        )}
      </p>
      <p>
        ${t('Open de inloglink die npm start toont, of vraag hem op met', 'Open the login link npm start prints, or print it with')}
        <code>npm run sandbox -- operator</code>.
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-app': ConsoleApp;
  }
}
