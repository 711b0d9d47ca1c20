/**
 * <pgo-home>: start page. Search a care provider and choose a gegevensdienst to collect (the browser
 * then goes to the DVZA); the person's collections, newest first; and a small panel with the state of
 * the MedMij lists the PGO relies on.
 *
 * The search is a @lit/task Task run by hand (after the debounce): a newer search wins over one still
 * under way, whose answer is dropped; the last answer (or error) stays on screen while the next runs.
 * The collections and lists are refreshed every POLL_MS, each keeping what it showed when a refresh fails.
 */
import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CollectionSummary, ListsInfo, Zorgaanbieder } from '@medmij-sandbox/pgo-api';
import { api } from './client.ts';
import { collectionStatusBadge, failureText, listStatusBadge, refusalStyles, renderRefusal } from './common.ts';
import { formatAge, formatDate } from '@medmij-sandbox/ui/format';
import { LangController, bi, t } from '@medmij-sandbox/ui/i18n';
import { shared } from '@medmij-sandbox/ui/styles';
import { browserNow } from '@medmij-sandbox/ui/clock';

const DEBOUNCE_MS = 250;
const POLL_MS = 4000;

/** Leaves the PGO for the DVZA's authorization endpoint (a seam for tests). */
export const navigation = {
  assign: (url: string) => window.location.assign(url),
};

@customElement('pgo-home')
export class PgoHome extends LitElement {
  static override styles = [
    shared,
    refusalStyles,
    css`
      :host {
        display: block;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
      }
      @media (min-width: 70rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr) 22rem;
        }
        .side {
          grid-column: 2;
          grid-row: 1 / span 2;
        }
      }
      .provider {
        border-top: 1px solid var(--pgo-border);
        padding: 0.75rem 0;
      }
      .provider:first-child {
        border-top: 0;
      }
      .provider h3 {
        margin-bottom: 0.15rem;
      }
      .services {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      .collection {
        border-top: 1px solid var(--pgo-border);
        padding: 0.75rem 0;
      }
      .collection:first-child {
        border-top: 0;
      }
      .collection-head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: baseline;
      }
      .collection-head h3 {
        margin: 0;
      }
      .refusal {
        margin-top: 0.5rem;
      }
      .list-item {
        padding: 0.45rem 0;
        border-top: 1px solid var(--pgo-border);
      }
      .list-item:first-child {
        border-top: 0;
      }
      .list-head {
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .list-name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .lists .decision {
        font-size: 0.8rem;
        color: var(--pgo-muted);
        overflow-wrap: anywhere;
      }
    `,
  ];

  private readonly langController = new LangController(this);

  @state() private query = '';
  @state() private collectError = '';
  @state() private collecting = '';
  @state() private collections: CollectionSummary[] | undefined;
  @state() private collectionsError = '';
  @state() private lists: ListsInfo | undefined;
  @state() private listsError = '';

  private debounce?: ReturnType<typeof setTimeout>;
  private poll?: ReturnType<typeof setInterval>;

  /** The zorgaanbieders matching a query; `run([q])` starts a search and drops the answer of an older one. */
  private readonly search = new Task(this, {
    autoRun: false,
    task: async ([q]: readonly [string], { signal }) => {
      // client.ts takes no AbortSignal (yet): the request runs on, but a superseded search stops here.
      const { zorgaanbieders } = await api.zorgaanbieders(q);
      signal.throwIfAborted();
      return zorgaanbieders;
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.search.run(['']);
    void this.loadCollections();
    void this.loadLists();
    this.poll = setInterval(() => {
      void this.loadLists();
      if (this.collections?.some((c) => c.status === 'pending')) void this.loadCollections();
    }, POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.poll);
    clearTimeout(this.debounce);
  }

  private async loadCollections(): Promise<void> {
    try {
      this.collections = (await api.collections()).collections;
      this.collectionsError = '';
    } catch (e) {
      this.collectionsError = failureText(e);
    }
  }

  private async loadLists(): Promise<void> {
    try {
      this.lists = await api.lists();
      this.listsError = '';
    } catch (e) {
      this.listsError = failureText(e);
    }
  }

  private onInput(e: Event): void {
    this.query = (e.target as HTMLInputElement).value;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.search.run([this.query.trim()]), DEBOUNCE_MS);
  }

  private async collect(z: Zorgaanbieder, gegevensdienstId: string): Promise<void> {
    if (this.collecting) return;
    this.collecting = `${z.zorgaanbiedernaam}#${gegevensdienstId}`;
    this.collectError = '';
    try {
      const start = await api.collect({ zorgaanbiedernaam: z.zorgaanbiedernaam, gegevensdienstId });
      navigation.assign(start.authorizeUrl);
    } catch (e) {
      this.collectError = failureText(e);
      this.collecting = '';
      void this.loadCollections(); // the refused start may be listed
    }
  }

  override render() {
    void this.langController;
    return html`
      <h1>${t('Mijn gezondheidsgegevens', 'My health data')}</h1>
      <div class="layout">
        ${this.renderSearch()} ${this.renderCollections()}
        <div class="side">${this.renderLists()}</div>
      </div>
    `;
  }

  private renderSearch() {
    // While a search runs, the last one's answer (or error) stays: `value` and `error` hold the last outcome.
    const providers: Zorgaanbieder[] = this.search.value ?? [];
    const searchError = this.search.error === undefined ? '' : failureText(this.search.error);
    const searched = this.search.value !== undefined || this.search.error !== undefined;
    const count = providers.length;
    return html`<section class="card" aria-labelledby="collect-heading">
      <h2 id="collect-heading">${t('Gegevens ophalen', 'Collect data')}</h2>
      <p>
        ${t(
          'Kies een zorgaanbieder en welke gegevens je wilt ophalen. Je gaat dan naar de zorgaanbieder om in te loggen met DigiD en toestemming te geven; daarna kom je hier terug.',
          'Choose a care provider and which data you want to collect. You then go to the care provider to log in with DigiD and give consent; after that you come back here.',
        )}
      </p>
      <div class="search-field" role="search">
        <label for="search">${t('Zoek een zorgaanbieder', 'Find a care provider')}</label>
        <input id="search" type="search" autocomplete="off" .value=${this.query} @input=${this.onInput} aria-describedby="search-status" />
      </div>
      <p id="search-status" class="small muted" role="status">
        ${
          searched
            ? searchError
              ? ''
              : count === 0
                ? t('Geen zorgaanbieders gevonden.', 'No care providers found.')
                : t(`${count} ${count === 1 ? 'zorgaanbieder' : 'zorgaanbieders'} gevonden.`, `${count} care ${count === 1 ? 'provider' : 'providers'} found.`)
            : ''
        }
      </p>
      ${searchError ? html`<p class="error">${searchError}</p>` : nothing}
      <p class="small" role="status">${this.collecting ? t('Je gaat naar de zorgaanbieder…', 'Taking you to the care provider…') : ''}</p>
      <div aria-live="assertive">${this.collectError ? html`<p class="error" id="collect-error">${t('Ophalen kon niet starten', 'Collecting could not start')}: ${this.collectError}</p>` : nothing}</div>
      <ul class="plain">
        ${providers.map(
          (z) => html`<li class="provider">
            <h3>${z.displayName}</h3>
            <p class="small muted">
              <span lang="zxx">${z.zorgaanbiedernaam}</span>${z.soort ? html` · ${z.soort}` : nothing}
            </p>
            ${
              z.gegevensdiensten.length === 0
                ? html`<p class="small">${t('Deze zorgaanbieder biedt (nu) geen gegevensdiensten aan.', 'This care provider offers no data services (now).')}</p>`
                : html`<div class="services">
                  ${z.gegevensdiensten.map((g) => {
                    const busy = this.collecting === `${z.zorgaanbiedernaam}#${g.id}`;
                    return html`<button
                      class="btn"
                      type="button"
                      ?disabled=${!!this.collecting}
                      aria-busy=${busy ? 'true' : 'false'}
                      aria-label=${t(`${g.weergavenaam} ophalen bij ${z.displayName}`, `Collect ${g.weergavenaam} from ${z.displayName}`)}
                      @click=${() => this.collect(z, g.id)}
                    >
                      ${g.weergavenaam}${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
                    </button>`;
                  })}
                </div>`
            }
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderCollections() {
    const list = this.collections;
    return html`<section class="card" aria-labelledby="collections-heading">
      <h2 id="collections-heading">${t('Mijn ophaalacties', 'My collections')}</h2>
      ${this.collectionsError ? html`<p class="error">${this.collectionsError}</p>` : nothing}
      ${
        list === undefined
          ? html`<p class="muted">${t('Laden…', 'Loading…')}</p>`
          : list.length === 0
            ? html`<p class="muted">${t('Je hebt nog niets opgehaald.', 'You have not collected anything yet.')}</p>`
            : html`<ul class="plain" aria-live="polite">
              ${[...list]
                .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
                .map(
                  (c) => html`<li class="collection">
                    <div class="collection-head">
                      <h3><a href=${`#/collection/${encodeURIComponent(c.id)}`}>${c.weergavenaam} · ${c.displayName}</a></h3>
                      ${collectionStatusBadge(c.status)}
                    </div>
                    <p class="small muted">
                      ${formatDate(c.startedAt, { time: true, short: true })}${
                        c.status === 'collected' && c.resourceCount !== undefined ? html` · ${c.resourceCount} ${t('resources', 'resources')}` : nothing
                      }
                    </p>
                    ${c.status === 'refused' && c.refusal ? renderRefusal(c.refusal, { headingLevel: 4 }) : nothing}
                  </li>`,
                )}
            </ul>`
      }
    </section>`;
  }

  private renderLists() {
    const lists = this.lists?.lists ?? [];
    // Ages count from the sandbox clock when the server tells it (ListsInfo has no `now` yet), else from this browser's clock.
    const sandboxNow = (this.lists as (ListsInfo & { now?: string }) | undefined)?.now;
    const now = sandboxNow ? Date.parse(sandboxNow) : browserNow();
    return html`<section class="card lists" aria-labelledby="lists-heading">
      <h2 id="lists-heading">${t('MedMij-lijsten', 'MedMij lists')}</h2>
      <p class="small muted">${t('De lijsten van de stelselnode waarop de PGO vertrouwt.', 'The stelselnode lists the PGO relies on.')}</p>
      ${this.listsError ? html`<p class="error">${this.listsError}</p>` : nothing}
      ${
        lists.length > 0
          ? html`<ul class="plain">
            ${lists.map(
              (l) => html`<li class="list-item">
                <div class="list-head"><span class="list-name">${l.kind}</span> ${listStatusBadge(l.status)}</div>
                <div class="small">
                  ${l.volgnummer !== undefined ? html`${t('Volgnummer', 'Volgnummer')} ${l.volgnummer}` : t('geen Volgnummer', 'no Volgnummer')}${
                    l.tijdstempel ? html` · <span title=${formatDate(l.tijdstempel, { time: true })}>${formatAge(l.tijdstempel, now)}</span>` : nothing
                  }
                </div>
                ${l.lastDecision ? html`<div class="decision">${bi(l.lastDecision)}</div>` : nothing}
              </li>`,
            )}
          </ul>`
          : this.lists
            ? html`<p>${t('Geen lijsten.', 'No lists.')}</p>`
            : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-home': PgoHome;
  }
}
