/**
 * <pgo-collection-page collection-id="…">: loads one collection (polling while it is pending) and
 * shows it as a dossier, with a link to this flow in the sandbox console's network inspector (operators only: the
 * trace holds the DVZA's view, which a PGO never sees).
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
import { inspectorPage } from '@medmij-sandbox/console-api';
import { ApiFailure, api } from './client.ts';
import './dossier.ts';
import { LangController, bi, t } from '@medmij-sandbox/ui/i18n';
import { shared } from '@medmij-sandbox/ui/styles';

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
      .back {
        display: inline-block;
        margin-bottom: 0.75rem;
      }
      .consent {
        background: var(--pgo-surface);
        border: 1px solid var(--pgo-border);
        border-radius: 10px;
        padding: 0.75rem 1.25rem;
        margin-bottom: 1rem;
      }
      .network {
        margin-top: 1.5rem;
        background: var(--pgo-surface);
        border: 1px solid var(--pgo-border);
        border-radius: 10px;
        padding: 0.75rem 1.25rem;
      }
    `,
  ];

  private readonly langController = new LangController(this);

  @property({ attribute: 'collection-id' }) collectionId = '';
  /** Where the sandbox console runs (from the session), for the link to this flow's hops; none outside the sandbox. */
  @property({ attribute: 'console-url' }) consoleUrl = '';

  @state() private announcement = '';
  @state() private withdrawing = false;
  @state() private withdrawError = '';

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

  /**
   * "Toestemmingen aanpassen" (SPEC §10.2) for a collection with long-lived consent: its state, a withdraw button
   * while it is active, and the DVZA's own consent page. The revocation behind the button is a sandbox extension.
   */
  private renderConsent(c: Collection): TemplateResult | typeof nothing {
    if (!c.longLivedConsent) return nothing;
    const state = {
      active: t(
        'Actief: deze app haalt uw gegevens later opnieuw op zonder dat u opnieuw inlogt.',
        'Active: this app collects your data again later without your logging in again.',
      ),
      'not-held': t(
        'Deze app heeft de sleutel van deze toestemming niet meer (hij is opnieuw gestart). Bij de zorgaanbieder kan de toestemming nog gelden: trek haar daar in via de link hieronder.',
        'This app no longer holds the key of this consent (it restarted). At the care provider the consent may still count: withdraw it there with the link below.',
      ),
      withdrawn: t(
        'Ingetrokken: deze app heeft zijn sleutels weggegooid en ingetrokken bij de zorgaanbieder.',
        'Withdrawn: this app dropped its keys and revoked them at the care provider.',
      ),
      'withdrawn-unconfirmed': t(
        'Deze app heeft zijn sleutels weggegooid, maar de zorgaanbieder heeft de intrekking niet bevestigd. Trek de toestemming ook bij de zorgaanbieder in, via de link hieronder.',
        'This app dropped its keys, but the care provider did not confirm the revocation. Withdraw the consent at the care provider too, with the link below.',
      ),
      ended: t(
        'Beëindigd door de zorgaanbieder (vervallen of daar ingetrokken): log opnieuw in om weer op te halen.',
        'Ended by the care provider (lapsed, or withdrawn there): log in again to collect again.',
      ),
    }[c.longLivedConsent];
    return html`<section class="consent" aria-labelledby="consent-heading">
      <h2 id="consent-heading">${t('Toestemmingen aanpassen', 'Change consents')}</h2>
      <p>${t('Langdurige toestemming bij', 'Long-lived consent at')} ${c.displayName}: <span data-consent-state=${c.longLivedConsent}>${state}</span></p>
      ${
        c.longLivedConsent === 'active'
          ? html`<button type="button" ?disabled=${this.withdrawing} @click=${() => void this.withdraw(c.id)}>${t('Toestemming intrekken', 'Withdraw consent')}</button>`
          : nothing
      }
      ${this.withdrawError ? html`<p class="error" role="alert">${this.withdrawError}</p>` : nothing}
      ${
        c.consentOverviewUrl
          ? html`<p class="muted">
              <a href=${c.consentOverviewUrl}>${t('Mijn toestemmingen bij', 'My consents at')} ${c.displayName}</a>
              (${t('na DigiD', 'after DigiD')})
            </p>`
          : nothing
      }
      <p class="muted">
        ${t(
          'Sandbox: MedMij noemt geen interface om een toestemming in te trekken. Deze app trekt haar in met RFC 7009 (POST /oauth/revoke bij de zorgaanbieder), een uitbreiding van de sandbox.',
          'Sandbox: MedMij names no interface to withdraw consent. This app revokes it with RFC 7009 (POST /oauth/revoke at the care provider), a sandbox extension.',
        )}
      </p>
    </section>`;
  }

  private async withdraw(id: string): Promise<void> {
    this.withdrawing = true;
    this.withdrawError = '';
    try {
      const after = await api.withdrawConsent(id);
      this.announcement =
        after.longLivedConsent === 'withdrawn'
          ? t('Toestemming ingetrokken.', 'Consent withdrawn.')
          : t('Niet bevestigd door de zorgaanbieder: trek de toestemming ook daar in.', 'Not confirmed by the care provider: withdraw the consent there too.');
      await this.load.run();
    } catch (e) {
      this.withdrawError = e instanceof ApiFailure ? bi(e.apiError.message) : t('Intrekken is niet gelukt.', 'Withdrawing did not succeed.');
    } finally {
      this.withdrawing = false;
    }
  }

  private renderCollection(c: Collection): TemplateResult {
    return html`${this.renderConsent(c)}<pgo-dossier .collection=${c}></pgo-dossier>${this.consoleUrl ? this.renderNetworkLink(c) : nothing}`;
  }

  private renderNetworkLink(c: Collection): TemplateResult {
    return html`<aside class="network" aria-labelledby="network-heading">
      <h2 id="network-heading">${t('Netwerkverkeer van deze ophaalactie', 'Network traffic of this collection')}</h2>
      <p>
        <a href=${inspectorPage(this.consoleUrl, c.traceId)}>${t('Bekijk elke stap in de console van de sandbox', 'See every hop in the sandbox console')}</a>
        <span class="muted"
          >(${t(
            'alleen voor de operator: de trace bevat wat de zorgaanbieder ziet, en dat krijgt een PGO nooit te zien',
            'operator only: the trace holds what the care provider sees, which a PGO never gets to see',
          )})</span
        >
      </p>
    </aside>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-collection-page': PgoCollectionPage;
  }
}
