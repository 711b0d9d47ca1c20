/**
 * <pgo-app>: the shell. Sandbox banner, header with navigation, language toggle and logout; hash
 * routes: `#/` (home), `#/collection/<id>` (a collection, where the OAuth flow comes back to),
 * `#/inspector` (the network inspector, reachable without logging in) and the trainers' `#/scenarios`,
 * `#/scenarios/<name>` (a run's result) and `#/scenarios/<name>/present` (presenter mode, full width).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { SessionInfo } from '@medmij-sandbox/pgo-api';
import { ApiFailure, SESSION_EXPIRED_EVENT, api } from './client.ts';
import './collection-page.ts';
import './home.ts';
import { LangController, bi, lang, setLang, t } from './i18n.ts';
import './inspector.ts';
import './login.ts';
import { parseRoute, type Route } from './router.ts';
import './scenarios.ts';
import { shared } from './styles.ts';

@customElement('pgo-app')
export class PgoApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
        background: var(--pgo-bg);
      }
      .skip {
        position: absolute;
        left: 0.5rem;
        top: -10rem;
        z-index: 10;
        background: #fff;
        padding: 0.5rem 0.75rem;
        border: 2px solid var(--pgo-focus);
      }
      .skip:focus {
        top: 0.5rem;
      }
      .banner {
        background: #ffd23f;
        color: #1b1f24;
        text-align: center;
        font-weight: 800;
        letter-spacing: 0.06em;
        padding: 0.3rem 0.5rem;
        margin: 0;
        border-bottom: 2px solid #1b1f24;
        border-top: 6px solid;
        border-image: repeating-linear-gradient(-45deg, #1b1f24 0 10px, #ffd23f 10px 20px) 6;
      }
      .bar {
        background: #0f2c4d;
        color: #fff;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.5rem;
        padding: 0.6rem 1.25rem;
      }
      .brand {
        color: #fff;
        font-weight: 700;
        font-size: 1.1rem;
        text-decoration: none;
      }
      .brand:hover {
        color: #fff;
        text-decoration: underline;
      }
      nav ul {
        list-style: none;
        display: flex;
        gap: 0.25rem;
        margin: 0;
        padding: 0;
        flex-wrap: wrap;
      }
      nav a {
        color: #fff;
        text-decoration: none;
        padding: 0.3rem 0.6rem;
        border-radius: 6px;
        display: inline-block;
      }
      nav a:hover {
        background: rgba(255, 255, 255, 0.12);
        color: #fff;
      }
      nav a[aria-current='page'] {
        background: #fff;
        color: #0f2c4d;
        font-weight: 600;
      }
      .bar :focus-visible {
        outline-color: #ffd23f;
      }
      .user {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: 0.75rem;
        flex-wrap: wrap;
      }
      .bar .btn.secondary {
        background: transparent;
        color: #fff;
        border-color: #fff;
      }
      .bar .btn.secondary:hover {
        background: rgba(255, 255, 255, 0.15);
      }
      main {
        flex: 1;
        width: 100%;
        max-width: 120rem;
        margin: 0 auto;
        padding: 1.25rem;
      }
      main:focus {
        outline: none;
      }
      main.wide {
        max-width: none;
      }
      footer {
        padding: 0.75rem 1.25rem;
        font-size: 0.85rem;
        color: var(--pgo-muted);
        border-top: 1px solid var(--pgo-border);
        background: #fff;
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

  @state() private session?: SessionInfo;
  @state() private sessionError = '';
  @state() private route: Route = parseRoute(window.location.hash);
  @state() private announcement = '';

  private readonly onHashChange = () => {
    this.route = parseRoute(window.location.hash);
    this.updateTitle();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('main')?.focus());
  };

  private readonly onSessionExpired = () => {
    if (this.session?.loggedIn) {
      this.session = { ...this.session, loggedIn: false, user: undefined };
      this.announcement = t('Je sessie is verlopen; log opnieuw in.', 'Your session has expired; please log in again.');
      void this.loadSession();
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    window.addEventListener(SESSION_EXPIRED_EVENT, this.onSessionExpired);
    void this.loadSession();
    this.updateTitle();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    window.removeEventListener(SESSION_EXPIRED_EVENT, this.onSessionExpired);
  }

  private async loadSession(): Promise<void> {
    try {
      this.session = await api.session();
      this.sessionError = '';
    } catch (e) {
      this.sessionError = e instanceof ApiFailure ? bi(e.apiError.message) : String(e);
    }
  }

  private updateTitle(): void {
    const r = this.route;
    const page =
      r.name === 'inspector'
        ? t('Netwerkinspecteur', 'Network inspector')
        : r.name === 'collection'
          ? t('Ophaalactie', 'Collection')
          : r.name === 'scenarios'
            ? r.present
              ? t('Presentatiemodus', 'Presenter mode')
              : r.scenario
                ? t('Scenario-resultaat', 'Scenario result')
                : t("Scenario's", 'Scenarios')
            : this.session && !this.session.loggedIn
              ? t('Inloggen', 'Log in')
              : t('Start', 'Home');
    document.title = `${page} – MedMij Sandbox PGO`;
  }

  private async logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // logged out locally anyway
    }
    this.announcement = t('Je bent uitgelogd.', 'You have logged out.');
    await this.loadSession();
    if (this.route.name !== 'inspector') window.location.hash = '#/';
  }

  private toggleLang(): void {
    setLang(lang() === 'nl' ? 'en' : 'nl');
    this.updateTitle();
  }

  private onLoggedIn(e: CustomEvent<SessionInfo>): void {
    this.session = e.detail;
    if (this.route.name === 'home' && this.route.reason) {
      history.replaceState(null, '', '#/');
      this.route = { name: 'home' };
    }
    this.announcement = t(`Ingelogd als ${e.detail.user?.displayName ?? ''}.`, `Logged in as ${e.detail.user?.displayName ?? ''}.`);
    this.updateTitle();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('main')?.focus());
  }

  private skipToMain(): void {
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  override render() {
    void this.langController;
    const loggedIn = !!this.session?.loggedIn;
    const r = this.route;
    return html`
      <button class="skip" @click=${this.skipToMain}>${t('Direct naar de inhoud', 'Skip to content')}</button>
      <header>
        <p class="banner">${t('SANDBOX — NIET VOOR ECHTE GEGEVENS', 'SANDBOX — NOT FOR REAL DATA')}</p>
        <div class="bar">
          <a class="brand" href="#/">MedMij Sandbox PGO</a>
          <nav aria-label=${t('Hoofdmenu', 'Main menu')}>
            <ul>
              <li><a href="#/" aria-current=${r.name === 'home' ? 'page' : 'false'}>${t('Mijn gegevens', 'My data')}</a></li>
              <li>
                <a href="#/inspector" aria-current=${r.name === 'inspector' ? 'page' : 'false'}>${t('Netwerkinspecteur', 'Network inspector')}</a>
              </li>
              <li><a href="#/scenarios" aria-current=${r.name === 'scenarios' ? 'page' : 'false'}>${t("Scenario's", 'Scenarios')}</a></li>
            </ul>
          </nav>
          <div class="user">
            ${loggedIn ? html`<span>${this.session?.user?.displayName ?? this.session?.user?.username}</span>` : nothing}
            ${loggedIn ? html`<button class="btn secondary small" @click=${this.logout}>${t('Uitloggen', 'Log out')}</button>` : nothing}
            <button class="btn secondary small" lang=${lang() === 'nl' ? 'en' : 'nl'} @click=${this.toggleLang}>${lang() === 'nl' ? 'English' : 'Nederlands'}</button>
          </div>
        </div>
      </header>
      <main id="main" tabindex="-1" class=${r.name === 'scenarios' && r.present ? 'wide' : ''}>${this.renderMain()}</main>
      <div class="visually-hidden" role="status">${this.announcement}</div>
      <footer>
        ${t(
          'Een referentie-PGO in de MedMij Sandbox: alle gegevens zijn verzonnen en alle certificaten zijn van de sandbox-PKI.',
          'A reference PGO in the MedMij Sandbox: all data is synthetic and all certificates come from the sandbox PKI.',
        )}
      </footer>
    `;
  }

  private renderMain() {
    const r = this.route;
    if (r.name === 'inspector') {
      return html`<h1>${t('Netwerkinspecteur', 'Network inspector')}</h1>
        <p>
          ${t(
            'Alle verzoeken tussen browser, PGO, stelselnode, zorgaanbieders (DVZA), TVS en PKI, live terwijl ze gebeuren.',
            'Every request between browser, PGO, stelselnode, care providers (DVZA), TVS and PKI, live as it happens.',
          )}
        </p>
        <div class="inspector-page"><pgo-inspector live trace-id=${r.traceId ?? ''}></pgo-inspector></div>`;
    }
    if (this.sessionError && !this.session) {
      return html`<h1>${t('De PGO is niet bereikbaar', 'The PGO cannot be reached')}</h1>
        <p class="error" role="alert">${this.sessionError}</p>
        <p><button class="btn" @click=${() => void this.loadSession()}>${t('Opnieuw proberen', 'Try again')}</button></p>`;
    }
    if (!this.session) return html`<h1 class="visually-hidden">MedMij Sandbox PGO</h1><p class="muted" role="status">${t('Laden…', 'Loading…')}</p>`;
    if (!this.session.loggedIn) {
      const notice =
        r.name === 'home' && r.reason === 'login_required'
          ? t(
              'Je sessie bij de PGO was verlopen toen de zorgaanbieder je terugstuurde. Log in en start het ophalen opnieuw.',
              'Your PGO session had expired when the care provider sent you back. Log in and start collecting again.',
            )
          : r.name === 'collection'
            ? t('Log in om deze ophaalactie te bekijken.', 'Log in to see this collection.')
            : r.name === 'scenarios'
              ? t("Log in om scenario's te starten (een demo-account is genoeg).", 'Log in to run scenarios (a demo account will do).')
              : '';
      return html`<pgo-login .session=${this.session} .notice=${notice} @pgo-logged-in=${this.onLoggedIn}></pgo-login>`;
    }
    if (r.name === 'collection') return html`<pgo-collection-page collection-id=${r.id}></pgo-collection-page>`;
    if (r.name === 'scenarios') return html`<pgo-scenarios-page scenario=${r.scenario ?? ''} ?present=${!!r.present}></pgo-scenarios-page>`;
    if (r.name === 'notfound')
      return html`<h1>${t('Pagina niet gevonden', 'Page not found')}</h1>
        <p><a href="#/">${t('Naar de startpagina', 'Go to the home page')}</a></p>`;
    return html`<pgo-home></pgo-home>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-app': PgoApp;
  }
}
