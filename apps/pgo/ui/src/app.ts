/**
 * <pgo-app>: the shell. Sandbox banner, header with navigation, language toggle and logout; hash
 * routes: `#/` (home) and `#/collection/<id>` (a collection, where the OAuth flow comes back to). The network
 * inspector and the scenarios are the sandbox console's (apps/console): the header links there.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { SessionInfo } from '@medmij-sandbox/pgo-api';
import { ApiFailure, SESSION_EXPIRED_EVENT, api } from './client.ts';
import './collection-page.ts';
import './home.ts';
import { LangController, bi, t } from '@medmij-sandbox/ui/i18n';
import '@medmij-sandbox/ui/shell';
import './login.ts';
import { parseRoute, type Route } from './router.ts';
import { appShell, shared } from '@medmij-sandbox/ui/styles';

@customElement('pgo-app')
export class PgoApp extends LitElement {
  static override styles = [
    shared,
    appShell,
    css`
      :host {
        --shell-bar: #0f2c4d;
      }
      .bar .btn.secondary {
        background: transparent;
        color: #fff;
        border-color: #fff;
      }
      .bar .btn.secondary:hover {
        background: rgba(255, 255, 255, 0.15);
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
      r.name === 'collection'
        ? t('Ophaalactie', 'Collection')
        : r.name === 'notfound'
          ? t('Pagina niet gevonden', 'Page not found')
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
    window.location.hash = '#/';
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
        <sandbox-banner></sandbox-banner>
        <div class="bar">
          <a class="brand" href="#/">MedMij Sandbox PGO</a>
          <nav aria-label=${t('Hoofdmenu', 'Main menu')}>
            <ul>
              <li><a href="#/" aria-current=${r.name === 'home' ? 'page' : 'false'}>${t('Mijn gegevens', 'My data')}</a></li>
              ${this.session?.consoleUrl ? html`<li><a href=${this.session.consoleUrl}>${t('Console van de sandbox', 'Sandbox console')}</a></li>` : nothing}
            </ul>
          </nav>
          <div class="bar-end">
            ${loggedIn ? html`<span>${this.session?.user?.displayName ?? this.session?.user?.username}</span>` : nothing}
            ${loggedIn ? html`<button class="btn secondary small" @click=${this.logout}>${t('Uitloggen', 'Log out')}</button>` : nothing}
            <sandbox-lang-toggle @sandbox-lang-changed=${this.updateTitle}></sandbox-lang-toggle>
          </div>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.renderMain()}</main>
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
            : '';
      return html`<pgo-login .session=${this.session} .notice=${notice} @pgo-logged-in=${this.onLoggedIn}></pgo-login>`;
    }
    if (r.name === 'collection') return html`<pgo-collection-page collection-id=${r.id} console-url=${this.session.consoleUrl ?? ''}></pgo-collection-page>`;
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
