/**
 * <pgo-login .session=${s}>: two-factor login (password + TOTP). The sandbox shows its demo accounts
 * and their current TOTP codes (refreshed every few seconds), clearly marked as demo only.
 * Fires `pgo-logged-in` (detail: SessionInfo) on success.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SessionInfo } from '@medmij-sandbox/pgo-api';
import { ApiFailure, api } from './client.ts';
import { LangController, bi, t } from '@medmij-sandbox/ui/i18n';
import { shared } from '@medmij-sandbox/ui/styles';
import { browserNow } from '@medmij-sandbox/ui/clock';

const REFRESH_MS = 3000;

@customElement('pgo-login')
export class PgoLogin extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .columns {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));
        gap: 1.25rem;
        align-items: start;
      }
      form {
        display: grid;
        gap: 0.85rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      label {
        font-weight: 600;
      }
      input {
        width: 100%;
      }
      .notice {
        background: var(--pgo-warn-bg);
        color: var(--pgo-warn-text);
        border: 1px solid #e8c15c;
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
      }
      .demo {
        border: 2px dashed #b26a00;
        background: #fffaf0;
      }
      .demo-flag {
        display: inline-block;
        background: var(--pgo-warn-bg);
        color: var(--pgo-warn-text);
        border: 1px solid #e8c15c;
        border-radius: 4px;
        padding: 0.1rem 0.5rem;
        font-weight: 700;
        font-size: 0.85rem;
        margin-bottom: 0.5rem;
      }
      .totp {
        font-family: ui-monospace, Menlo, Consolas, monospace;
        font-size: 1.1rem;
        font-weight: 700;
        letter-spacing: 0.08em;
      }
      .demo table td,
      .demo table th {
        background: transparent;
      }
    `,
  ];

  private readonly langController = new LangController(this);

  @property({ attribute: false }) session?: SessionInfo;
  /** Why the person sees the login form (e.g. the session expired during a collection). */
  @property({ attribute: false }) notice = '';

  @state() private error = '';
  @state() private busy = false;
  @state() private fetchedAt = browserNow();
  @state() private now = browserNow();

  @query('#username') private usernameInput!: HTMLInputElement;
  @query('#password') private passwordInput!: HTMLInputElement;
  @query('#totp') private totpInput!: HTMLInputElement;

  private refreshTimer?: ReturnType<typeof setInterval>;
  private tickTimer?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    super.connectedCallback();
    this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.tickTimer = setInterval(() => (this.now = browserNow()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.refreshTimer);
    clearInterval(this.tickTimer);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('session')) this.fetchedAt = browserNow();
  }

  private async refresh(): Promise<void> {
    try {
      const session = await api.session();
      if (session.loggedIn) {
        this.dispatchEvent(new CustomEvent('pgo-logged-in', { detail: session, bubbles: true, composed: true }));
        return;
      }
      this.session = session;
    } catch {
      // keep the last codes; the next refresh tries again
    }
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const session = await api.login({
        username: this.usernameInput.value.trim(),
        password: this.passwordInput.value,
        totp: this.totpInput.value.replace(/\s+/g, ''),
      });
      this.dispatchEvent(new CustomEvent('pgo-logged-in', { detail: session, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err instanceof ApiFailure ? bi(err.apiError.message) : t('Inloggen is niet gelukt.', 'Logging in failed.');
    } finally {
      this.busy = false;
    }
  }

  private fill(username: string, password: string): void {
    this.usernameInput.value = username;
    this.passwordInput.value = password;
    const code = this.session?.demoTotp[username]?.code;
    if (code) this.totpInput.value = code;
    this.totpInput.focus();
  }

  override render() {
    void this.langController;
    return html`
      <h1>${t('Inloggen bij je PGO', 'Log in to your PGO')}</h1>
      <p class="lead">
        ${t(
          'Met deze persoonlijke gezondheidsomgeving haal je je gegevens op bij zorgaanbieders in het MedMij-netwerk. Log in met je wachtwoord en een code uit je authenticator-app.',
          'With this personal health environment you collect your data from care providers in the MedMij network. Log in with your password and a code from your authenticator app.',
        )}
      </p>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      <div class="columns">
        <section class="card" aria-labelledby="login-heading">
          <h2 id="login-heading">${t('Inloggen', 'Log in')}</h2>
          <form @submit=${this.submit} novalidate>
            <div class="field">
              <label for="username">${t('Gebruikersnaam', 'Username')}</label>
              <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required />
            </div>
            <div class="field">
              <label for="password">${t('Wachtwoord', 'Password')}</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required />
            </div>
            <div class="field">
              <label for="totp">${t('Code uit je authenticator-app', 'Code from your authenticator app')}</label>
              <input id="totp" name="totp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="8" required aria-describedby="totp-hint" />
              <span id="totp-hint" class="small muted">${t('Zes cijfers; de code verandert elke 30 seconden.', 'Six digits; the code changes every 30 seconds.')}</span>
            </div>
            <div aria-live="assertive" id="login-status">${this.error ? html`<p class="error" id="login-error">${this.error}</p>` : nothing}</div>
            <div>
              <button class="btn" type="submit" ?disabled=${this.busy}>${t('Inloggen', 'Log in')}</button>
            </div>
          </form>
        </section>
        ${this.renderDemo()}
      </div>
    `;
  }

  private renderDemo() {
    const accounts = this.session?.demoAccounts ?? [];
    if (accounts.length === 0) return nothing;
    const elapsed = Math.floor((this.now - this.fetchedAt) / 1000);
    return html`<section class="card demo" aria-labelledby="demo-heading">
      <h2 id="demo-heading">${t('Demo-accounts', 'Demo accounts')}</h2>
      <p class="demo-flag">${t('DEMO – alleen in de sandbox', 'DEMO – sandbox only')}</p>
      <p class="small">
        ${t(
          'Een echte PGO toont nooit wachtwoorden of codes. Hier wel, zodat je geen authenticator-app nodig hebt.',
          'A real PGO never shows passwords or codes. This one does, so you need no authenticator app.',
        )}
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('Demo-accounts met hun huidige code', 'Demo accounts with their current code')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('Naam', 'Name')}</th>
              <th scope="col">${t('Gebruikersnaam', 'Username')}</th>
              <th scope="col">${t('Wachtwoord', 'Password')}</th>
              <th scope="col">${t('Code nu', 'Code now')}</th>
              <th scope="col"><span class="visually-hidden">${t('Actie', 'Action')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${accounts.map((a) => {
              const totp = this.session?.demoTotp[a.username];
              const left = totp ? Math.max(0, totp.validForSeconds - elapsed) : 0;
              return html`<tr>
                <td>${a.displayName}</td>
                <td><code>${a.username}</code></td>
                <td><code>${a.password}</code></td>
                <td>
                  ${
                    totp
                      ? html`<span class="totp">${totp.code}</span>
                        <span class="small muted">(${t(`nog ${left} s`, `${left} s left`)})</span>`
                      : '–'
                  }
                </td>
                <td>
                  <button class="btn secondary small" type="button" @click=${() => this.fill(a.username, a.password)}>
                    ${t('Invullen', 'Fill in')}<span class="visually-hidden"> (${a.displayName})</span>
                  </button>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-login': PgoLogin;
  }
}
