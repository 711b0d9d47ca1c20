/**
 * <pgo-collection-page collection-id="…">: loads one collection (polling while it is pending) and
 * shows it as a dossier, with the live network inspector for its traceId beside or below it.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Collection } from '../../src/api.ts';
import { ApiFailure, api } from './client.ts';
import './dossier.ts';
import { LangController, bi, t } from './i18n.ts';
import './inspector.ts';
import { shared } from './styles.ts';

const POLL_MS = 2000;

@customElement('pgo-collection-page')
export class PgoCollectionPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1.5rem;
      }
      @media (min-width: 120rem) {
        .layout {
          grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr);
          align-items: start;
        }
      }
      .back {
        display: inline-block;
        margin-bottom: 0.75rem;
      }
      .inspector-wrap {
        background: var(--pgo-surface);
        border: 1px solid var(--pgo-border);
        border-radius: 10px;
        padding: 1rem 1.25rem;
      }
    `,
  ];

  private readonly langController = new LangController(this);

  @property({ attribute: 'collection-id' }) collectionId = '';

  @state() private collection?: Collection;
  @state() private error = '';
  @state() private announcement = '';

  private timer?: ReturnType<typeof setTimeout>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('collectionId')) {
      this.collection = undefined;
      this.error = '';
      clearTimeout(this.timer);
      void this.load();
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.collectionId && this.collection?.status === 'pending') void this.load();
  }

  private async load(): Promise<void> {
    const id = this.collectionId;
    if (!id) return;
    try {
      const c = await api.collection(id);
      if (id !== this.collectionId) return;
      const before = this.collection?.status;
      this.collection = c;
      this.error = '';
      if (before === 'pending' && c.status !== 'pending') {
        this.announcement =
          c.status === 'collected'
            ? t(`Opgehaald bij ${c.displayName}.`, `Collected from ${c.displayName}.`)
            : t(`Niet opgehaald bij ${c.displayName}.`, `Not collected from ${c.displayName}.`);
      }
      if (c.status === 'pending' && this.isConnected) this.timer = setTimeout(() => void this.load(), POLL_MS);
    } catch (e) {
      if (id !== this.collectionId) return;
      this.error = e instanceof ApiFailure ? bi(e.apiError.message) : t('De ophaalactie kon niet worden geladen.', 'The collection could not be loaded.');
    }
  }

  override render() {
    void this.langController;
    const c = this.collection;
    return html`
      <a class="back" href="#/">← ${t('Terug naar mijn gegevens', 'Back to my data')}</a>
      <div class="visually-hidden" role="status">${this.announcement}</div>
      ${
        this.error
          ? html`<h1>${t('Ophaalactie niet gevonden', 'Collection not found')}</h1>
            <p class="error" role="alert">${this.error}</p>`
          : !c
            ? html`<h1>${t('Ophaalactie', 'Collection')}</h1>
              <p class="muted" role="status">${t('Laden…', 'Loading…')}</p>`
            : html`<div class="layout">
              <pgo-dossier .collection=${c}></pgo-dossier>
              <div class="inspector-wrap">
                <pgo-inspector live compact trace-id=${c.traceId} heading=${t('Netwerkverkeer van deze ophaalactie', 'Network traffic of this collection')}></pgo-inspector>
              </div>
            </div>`
      }
      ${nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-collection-page': PgoCollectionPage;
  }
}
