/**
 * <console-inspector>: the network inspector, a sequence diagram of every hop (one row per event, a lane
 * per participant), built from HTML buttons in a CSS grid so it works with a keyboard and a screen
 * reader. Rows open a details pane (headers, TLS peer, decoded body, rule, reason).
 *
 * `.events` is the data (testable with a plain array); with `live` the element follows the server's
 * trace stream itself. `trace-id` sets the initial flow filter (a collection's traceId). With `snapshot`
 * the events are a fixed set from elsewhere (a scenario run on its own network), so the exports are made
 * here from `.events` rather than by the server, which knows only the live network. The diagram itself is
 * diagram.ts, shared with the scenario presenter.
 *
 * This element holds the hop list: the live subscription, the filters (flow, decisions, clutter), paging
 * and which row is selected. The details pane of the selected hop is inspector-details.ts; the exports
 * are inspector-export.ts.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TraceEvent } from '@medmij-sandbox/console-api';
import { diagramStyles, renderDiagram } from './diagram.ts';
import { formatClock } from '@medmij-sandbox/ui/format';
import { renderHopDetails } from './inspector-details.ts';
import { renderServerExports, renderSnapshotExport } from './inspector-export.ts';
import { LangController, t } from '@medmij-sandbox/ui/i18n';
import { buildDiagram, traceIdsOf, visibleEvents } from './sequence.ts';
import { shared } from '@medmij-sandbox/ui/styles';
import { traceStore, type StreamState } from './trace-store.ts';

const PAGE = 300;

@customElement('console-inspector')
export class ConsoleInspector extends LitElement {
  static override styles = [
    shared,
    diagramStyles,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
        align-items: end;
        margin-bottom: 0.75rem;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 0.15rem;
        font-size: 0.9rem;
        min-width: 0;
        max-width: 100%;
      }
      .field select {
        max-width: min(100%, 32rem);
      }
      .check {
        display: flex;
        gap: 0.35rem;
        align-items: center;
        font-size: 0.9rem;
      }
      .check input {
        width: 1.1rem;
        height: 1.1rem;
      }
      .exports {
        display: flex;
        gap: 0.35rem;
        align-items: center;
        flex-wrap: wrap;
        font-size: 0.9rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: baseline;
        justify-content: space-between;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
      }
      @container (min-width: 62rem) {
        .layout.with-details {
          grid-template-columns: minmax(0, 1fr) minmax(20rem, 28rem);
        }
        .details {
          position: sticky;
          top: 0.5rem;
          max-height: calc(100vh - 1rem);
          overflow: auto;
        }
      }
      :host([compact]) .scroller {
        max-height: 60vh;
      }
      .empty {
        padding: 1rem;
      }
      .details {
        border: 1px solid var(--pgo-border);
        border-radius: 8px;
        background: #fff;
        padding: 0.75rem 1rem;
        min-width: 0;
      }
      .details-head {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 0.5rem;
      }
      .details h4 {
        margin: 0.9rem 0 0.3rem;
        font-size: 0.95rem;
      }
      .verdict {
        font-weight: 700;
      }
      .headers td,
      .headers th {
        font-size: 0.8rem;
        padding: 0.15rem 0.35rem;
        overflow-wrap: anywhere;
      }
      .reason {
        font-size: 1rem;
      }
      .status-line {
        font-size: 0.85rem;
      }
      .more {
        padding: 0.5rem;
        text-align: center;
      }
    `,
  ];

  private readonly langController = new LangController(this);

  /** The trace events to show (set by the caller, or by the live stream when `live`). */
  @property({ attribute: false }) events: TraceEvent[] = [];
  /** Follow /api/trace/stream. */
  @property({ type: Boolean }) live = false;
  /** The flow shown at first ('' = everything). */
  @property({ attribute: 'trace-id' }) traceId = '';
  /** Embedded next to a collection: a little less height. */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** Heading text (defaults to "Netwerkverkeer"). */
  @property() heading = '';
  /** `.events` is a fixed set not on the live network (a scenario run): exports come from `.events`. */
  @property({ type: Boolean }) snapshot = false;
  /** File name (without extension) of a snapshot's export. */
  @property({ attribute: 'export-name' }) exportName = '';

  /** undefined: follow `traceId`; '' : everything; else that flow. */
  @state() private chosenTrace: string | undefined;
  @state() private hideDecisions = false;
  @state() private hideUiTraffic = true;
  @state() private follow = true;
  @state() private selectedSeq: number | undefined;
  @state() private limit = PAGE;
  @state() private streamState: StreamState | undefined;
  @state() private olderLeftOut = false;

  private unsubscribe?: () => void;
  private lastRowCount = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.live) this.startLive();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('traceId') && changed.get('traceId') !== undefined) {
      this.chosenTrace = undefined;
      this.selectedSeq = undefined;
    }
    if (changed.has('live') && this.isConnected) {
      if (this.live && !this.unsubscribe) this.startLive();
      if (!this.live) {
        this.unsubscribe?.();
        this.unsubscribe = undefined;
      }
    }
  }

  private startLive(): void {
    this.unsubscribe = traceStore().subscribe((events, streamState, window) => {
      this.events = events;
      this.streamState = streamState;
      this.olderLeftOut = window.olderLeftOut;
    });
  }

  /** Opens the details of one event (e.g. the one a scenario check matched) and brings its row into view. */
  async select(seq: number): Promise<void> {
    this.selectedSeq = seq;
    await this.updateComplete;
    const row = this.renderRoot.querySelector<HTMLButtonElement>(`button.row[data-seq="${seq}"]`);
    const target = row ?? this.renderRoot.querySelector<HTMLElement>('#details-heading');
    target?.scrollIntoView({ block: 'nearest' });
    if (row) row.focus();
    else this.renderRoot.querySelector<HTMLButtonElement>('#details button')?.focus();
  }

  private get activeTrace(): string {
    return this.chosenTrace ?? this.traceId ?? '';
  }

  override updated(): void {
    // Live: keep the newest row in view while "follow" is on and rows were added.
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    const count = this.renderRoot.querySelectorAll('.row').length;
    if (scroller && this.live && this.follow && count > this.lastRowCount) scroller.scrollTop = scroller.scrollHeight;
    this.lastRowCount = count;
  }

  override render() {
    void this.langController;
    const traceId = this.activeTrace;
    const shown = visibleEvents(this.events, { traceId, hideDecisions: this.hideDecisions, hideUiTraffic: this.hideUiTraffic });
    const hidden = Math.max(0, shown.length - this.limit);
    const { lanes, rows } = buildDiagram(shown.slice(hidden), traceId || undefined, this.events);
    const selected = this.selectedSeq === undefined ? undefined : this.events.find((e) => e.seq === this.selectedSeq);
    return html`
      <div class="head">
        <h2 id="inspector-heading">${this.heading || t('Netwerkverkeer', 'Network traffic')}</h2>
        ${this.live ? this.renderStreamState() : nothing}
      </div>
      <p class="small muted">
        ${t(
          'Elke pijl is één verzoek tussen twee deelnemers van het netwerk; een notitie is een besluit. Rood: geweigerd of fout, oranje: waarschuwing. Kies een regel voor alle details.',
          'Each arrow is one request between two participants of the network; a note is a decision. Red: refused or error, orange: warning. Choose a row for all details.',
        )}
      </p>
      ${this.renderToolbar(traceId)}
      <div class=${selected ? 'layout with-details' : 'layout'}>
        <div data-testid="inspector" class="diagram">
          ${
            hidden > 0
              ? html`<div class="more">
                <button class="btn secondary small" @click=${() => (this.limit += PAGE)}>
                  ${t(`Toon ${Math.min(PAGE, hidden)} eerdere gebeurtenissen`, `Show ${Math.min(PAGE, hidden)} earlier events`)}
                </button>
              </div>`
              : nothing
          }
          ${
            rows.length === 0
              ? html`<p class="empty muted">${this.emptyText(traceId)}</p>`
              : renderDiagram({
                  lanes,
                  rows,
                  currentSeq: this.selectedSeq,
                  currentToken: 'true',
                  ...(this.selectedSeq !== undefined ? { controls: 'details' } : {}),
                  onSelect: (seq) => (this.selectedSeq = this.selectedSeq === seq ? undefined : seq),
                  onEscape: () => {
                    if (this.selectedSeq === undefined) return false;
                    this.selectedSeq = undefined;
                    return true;
                  },
                })
          }
          <p class="small muted status-line">
            ${t(`${shown.length} van ${this.events.length} gebeurtenissen getoond`, `${shown.length} of ${this.events.length} events shown`)}${
              traceId ? html` · ${t('flow', 'flow')} <code>${traceId}</code>` : nothing
            }
          </p>
        </div>
        ${selected ? renderHopDetails(selected, this.events, () => this.closeDetails()) : nothing}
      </div>
    `;
  }

  private emptyText(traceId: string): string {
    if (this.live && this.streamState === 'operator' && this.events.length === 0)
      return t('Geen toegang tot de netwerktrace.', 'No access to the network trace.');
    if (this.live && this.streamState !== 'open' && this.events.length === 0) return t('Verbinden met de console…', 'Connecting to the console…');
    if (traceId) return t('Nog geen verkeer voor deze flow.', 'No traffic for this flow yet.');
    return t('Nog geen verkeer.', 'No traffic yet.');
  }

  private renderStreamState() {
    const s = this.streamState ?? 'connecting';
    if (s === 'operator')
      return html`<p class="small" role="status">
        <span class="badge bad">${t('Alleen voor de operator', 'Operator only')}</span>
        ${t(
          "De netwerktrace bevat wat de DVZA ziet (BSN's, namen, codes): alleen wie de sandbox draait ziet hem. Open de viewer-link die npm start toont (npm run sandbox -- operator) en laad deze pagina opnieuw.",
          'The network trace holds what the DVZA sees (BSNs, names, codes): only who runs the sandbox sees it. Open the viewer link npm start prints (npm run sandbox -- operator) and reload this page.',
        )}
      </p>`;
    const text = s === 'open' ? t('Live verbonden', 'Live') : s === 'connecting' ? t('Verbinden…', 'Connecting…') : t('Niet verbonden', 'Not connected');
    return html`<p class="small" role="status">
      <span class=${`badge ${s === 'open' ? 'ok' : s === 'connecting' ? 'warn' : 'bad'}`}>${text}</span>
      ${s === 'closed' ? html`<button class="linklike" @click=${() => traceStore().reconnect()}>${t('Opnieuw verbinden', 'Reconnect')}</button>` : nothing}
      ${
        this.olderLeftOut && this.live
          ? html`<span class="muted" data-testid="older-left-out"
            >${t('Oudere gebeurtenissen weggelaten (alles: npm run sandbox -- trace)', 'Older events left out (all of them: npm run sandbox -- trace)')}</span
          >`
          : nothing
      }
    </p>`;
  }

  private renderToolbar(traceId: string) {
    const flows = traceIdsOf(this.events).slice(0, 25);
    if (traceId && !flows.some((f) => f.traceId === traceId)) flows.unshift({ traceId, firstAt: '', lastSeq: 0, count: 0 });
    const fileName = traceId ? `trace-${traceId}` : 'trace';
    return html`<div class="toolbar">
      <div class="field">
        <label for="trace-filter">${t('Flow (trace-ID)', 'Flow (trace ID)')}</label>
        <select
          id="trace-filter"
          @change=${(e: Event) => {
            this.chosenTrace = (e.target as HTMLSelectElement).value;
            this.selectedSeq = undefined;
            this.limit = PAGE;
          }}
        >
          <option value="" ?selected=${traceId === ''}>${t('alles', 'everything')}</option>
          ${flows.map(
            (f) =>
              html`<option value=${f.traceId} ?selected=${f.traceId === traceId}>
                ${f.traceId.slice(0, 8)}…${f.firstAt ? ` · ${formatClock(f.firstAt).slice(0, 8)}` : ''}${f.dvza ? ` · ${f.dvza}` : ''}${
                  f.count ? ` · ${f.count}` : ''
                }
              </option>`,
          )}
        </select>
      </div>
      <label class="check"
        ><input type="checkbox" .checked=${this.hideDecisions} @change=${(e: Event) => (this.hideDecisions = (e.target as HTMLInputElement).checked)} />
        ${t('Verberg besluiten', 'Hide decisions')}</label
      >
      <label class="check"
        ><input type="checkbox" .checked=${this.hideUiTraffic} @change=${(e: Event) => (this.hideUiTraffic = (e.target as HTMLInputElement).checked)} />
        ${t('Verberg bijzaken (API van deze app, favicons)', "Hide clutter (this app's API calls, favicons)")}</label
      >
      ${
        this.live
          ? html`<label class="check"
            ><input type="checkbox" .checked=${this.follow} @change=${(e: Event) => (this.follow = (e.target as HTMLInputElement).checked)} />
            ${t('Volg nieuwe gebeurtenissen', 'Follow new events')}</label
          >`
          : nothing
      }
      ${this.snapshot ? renderSnapshotExport(this.events, traceId, this.exportName) : renderServerExports(traceId, fileName)}
    </div>`;
  }

  private closeDetails(): void {
    const seq = this.selectedSeq;
    this.selectedSeq = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`button.row[data-seq="${seq}"]`)?.focus());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-inspector': ConsoleInspector;
  }
}
