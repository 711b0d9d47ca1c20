/**
 * Pieces of the page every sandbox web UI shows (PGO and console): the sandbox banner, so nobody mistakes a
 * sandbox page for a real one, and the language toggle (Dutch first).
 */
import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { LangController, lang, setLang, t } from './i18n.ts';
import { shared } from './styles.ts';

/** `<sandbox-banner>`: the striped "SANDBOX — NOT FOR REAL DATA" line; place it inside the page's <header>. */
@customElement('sandbox-banner')
export class SandboxBanner extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    p {
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
  `;
  private readonly langController = new LangController(this);

  override render() {
    void this.langController;
    return html`<p>${t('SANDBOX — NIET VOOR ECHTE GEGEVENS', 'SANDBOX — NOT FOR REAL DATA')}</p>`;
  }
}

/**
 * `<sandbox-lang-toggle>`: one button naming the other language in that language ("English" / "Nederlands"),
 * white on the dark header bar both UIs have.
 * Fires `sandbox-lang-changed` (bubbling, composed) after the switch, for a page title to follow.
 */
@customElement('sandbox-lang-toggle')
export class SandboxLangToggle extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-block;
      }
      .btn.secondary {
        background: transparent;
        color: #fff;
        border-color: #fff;
      }
      .btn.secondary:hover {
        background: rgba(255, 255, 255, 0.15);
        color: #fff;
      }
      .btn:focus-visible {
        outline-color: #ffd23f;
      }
    `,
  ];
  private readonly langController = new LangController(this);

  private toggle(): void {
    setLang(lang() === 'nl' ? 'en' : 'nl');
    this.dispatchEvent(new CustomEvent('sandbox-lang-changed', { bubbles: true, composed: true }));
  }

  override render() {
    void this.langController;
    const other = lang() === 'nl' ? 'en' : 'nl';
    return html`<button class="btn secondary small" lang=${other} @click=${this.toggle}>${other === 'en' ? 'English' : 'Nederlands'}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sandbox-banner': SandboxBanner;
    'sandbox-lang-toggle': SandboxLangToggle;
  }
}
