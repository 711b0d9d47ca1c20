/**
 * <pgo-collection-page collection-id="…">: loads one collection (polling while it is pending) and
 * shows it as a dossier, with the live network inspector for its traceId beside or below it.
 *
 * The load is a @lit/task Task on `collection-id`: "Laden…" until the first answer, the error if it
 * fails, the dossier when it is there. A newer load wins: when the id changes while an answer is under
 * way, that answer is dropped (the Task applies only its latest run, and aborts the older run's signal).
 * While the collection is pending the page asks again every POLL_MS, keeping the dossier on screen
 * meanwhile, and says in a live region when it is done.
 */
import { Task, initialState } from '@lit/task';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Collection } from '@medmij-sandbox/pgo-api';
import { ApiFailure, api } from './client.ts';
import './dossier.ts';
import { LangController, bi, t } from './i18n.ts';
import './inspector.ts';
import { shared } from './styles.ts';

const POLL_MS = 2000;

interface Loaded {
  id: string;
  collection: Collection;
}

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

  @state() private announcement = '';

  private timer?: ReturnType<typeof setTimeout>;
  /** The status of the collection since `collection-id` was set: a change from pending is announced. */
  private lastStatus?: Collection['status'];

  /** The collection on screen, with the id it was loaded for (a poll keeps it shown; another id does not). */
  private readonly load = new Task(this, {
    args: () => [this.collectionId] as const,
    task: async ([id], { signal }): Promise<Loaded | typeof initialState> => {
      if (!id) return initialState;
      // client.ts takes no AbortSignal (yet): the request runs on, but a superseded run stops here.
      const collection = await api.collection(id);
      signal.throwIfAborted();
      return { id, collection };
    },
    onComplete: (loaded) => this.loaded(loaded),
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('collectionId')) {
      clearTimeout(this.timer);
      this.lastStatus = undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.collectionId && this.shown()?.status === 'pending') void this.load.run();
  }

  /** The collection loaded for the current id, if any (also while a poll of it is under way). */
  private shown(): Collection | undefined {
    const last = this.load.value;
    return last?.id === this.collectionId ? last.collection : undefined;
  }

  /** After each answer for the current id: announce the end of a pending collection; poll while pending. */
  private loaded({ collection: c }: Loaded): void {
    const before = this.lastStatus;
    this.lastStatus = c.status;
    if (before === 'pending' && c.status !== 'pending') {
      this.announcement =
        c.status === 'collected'
          ? t(`Opgehaald bij ${c.displayName}.`, `Collected from ${c.displayName}.`)
          : t(`Niet opgehaald bij ${c.displayName}.`, `Not collected from ${c.displayName}.`);
    }
    if (c.status === 'pending' && this.isConnected) this.timer = setTimeout(() => void this.load.run(), POLL_MS);
  }

  override render() {
    void this.langController;
    const loading = () => html`<h1>${t('Ophaalactie', 'Collection')}</h1>
              <p class="muted" role="status">${t('Laden…', 'Loading…')}</p>`;
    return html`
      <a class="back" href="#/">← ${t('Terug naar mijn gegevens', 'Back to my data')}</a>
      <div class="visually-hidden" role="status">${this.announcement}</div>
      ${this.load.render({
        initial: loading,
        pending: () => {
          const c = this.shown();
          return c ? this.renderCollection(c) : loading();
        },
        complete: ({ collection }) => this.renderCollection(collection),
        error: (e) => html`<h1>${t('Ophaalactie niet gevonden', 'Collection not found')}</h1>
            <p class="error" role="alert">${
              e instanceof ApiFailure ? bi(e.apiError.message) : t('De ophaalactie kon niet worden geladen.', 'The collection could not be loaded.')
            }</p>`,
      })}
      ${nothing}
    `;
  }

  private renderCollection(c: Collection): TemplateResult {
    return html`<div class="layout">
              <pgo-dossier .collection=${c}></pgo-dossier>
              <div class="inspector-wrap">
                <pgo-inspector live compact trace-id=${c.traceId} heading=${t('Netwerkverkeer van deze ophaalactie', 'Network traffic of this collection')}></pgo-inspector>
              </div>
            </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-collection-page': PgoCollectionPage;
  }
}
