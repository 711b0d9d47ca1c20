/**
 * <pgo-inspector>: the network inspector, a sequence diagram of every hop (one row per event, a lane
 * per participant), built from HTML buttons in a CSS grid so it works with a keyboard and a screen
 * reader. Rows open a details pane (headers, TLS peer, decoded body, rule, reason).
 *
 * `.events` is the data (testable with a plain array); with `live` the element follows the server's
 * trace stream itself. `trace-id` sets the initial flow filter (a collection's traceId). With `snapshot`
 * the events are a fixed set from elsewhere (a scenario run on its own network), so the exports are made
 * here from `.events` rather than by the server, which knows only the live network. The diagram itself is
 * diagram.ts, shared with the scenario presenter.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TraceEvent } from '../../src/api.ts';
import { traceExportUrl } from './client.ts';
import { diagramStyles, outcomeText, renderDiagram } from './diagram.ts';
import { formatClock, formatDate } from './format.ts';
import { LangController, t } from './i18n.ts';
import { buildDiagram, counterpartOf, laneKey, laneOf, splitUrl, traceIdsOf, visibleEvents } from './sequence.ts';
import { shared } from './styles.ts';
import { traceStore, type StreamState } from './trace-store.ts';

const PAGE = 300;

function kindText(e: TraceEvent): string {
  if (e.kind === 'decision') return t('besluit', 'decision');
  if (e.kind === 'tls') return 'TLS';
  return 'HTTP';
}

function prettyBody(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }
  return JSON.stringify(body, null, 2);
}

@customElement('pgo-inspector')
export class PgoInspector extends LitElement {
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
    this.unsubscribe = traceStore().subscribe((events, streamState) => {
      this.events = events;
      this.streamState = streamState;
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
    const { lanes, rows } = buildDiagram(shown.slice(hidden), traceId || undefined);
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
        ${selected ? this.renderDetails(selected) : nothing}
      </div>
    `;
  }

  private emptyText(traceId: string): string {
    if (this.live && this.streamState !== 'open' && this.events.length === 0) return t('Verbinden met de PGO…', 'Connecting to the PGO…');
    if (traceId) return t('Nog geen verkeer voor deze flow.', 'No traffic for this flow yet.');
    return t('Nog geen verkeer.', 'No traffic yet.');
  }

  private renderStreamState() {
    const s = this.streamState ?? 'connecting';
    const text = s === 'open' ? t('Live verbonden', 'Live') : s === 'connecting' ? t('Verbinden…', 'Connecting…') : t('Niet verbonden', 'Not connected');
    return html`<p class="small" role="status">
      <span class=${`badge ${s === 'open' ? 'ok' : s === 'connecting' ? 'warn' : 'bad'}`}>${text}</span>
      ${s === 'closed' ? html`<button class="linklike" @click=${() => traceStore().reconnect()}>${t('Opnieuw verbinden', 'Reconnect')}</button>` : nothing}
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
      ${this.snapshot ? this.renderSnapshotExport(traceId) : this.renderServerExports(traceId, fileName)}
    </div>`;
  }

  /** The events of a snapshot as JSON, made in the browser (the server does not know them). */
  private renderSnapshotExport(traceId: string) {
    const download = () => {
      const events = traceId ? this.events.filter((e) => e.traceId === traceId) : this.events;
      const url = URL.createObjectURL(new Blob([JSON.stringify(events, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${this.exportName || 'trace'}${traceId ? `-${traceId}` : ''}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    };
    return html`<div class="exports" role="group" aria-labelledby="export-label">
      <span id="export-label">${t('Exporteer', 'Export')}:</span>
      <button class="btn secondary small" type="button" @click=${download}>
        <span class="visually-hidden">${t('Exporteer als', 'Export as')} </span>JSON
      </button>
    </div>`;
  }

  private renderServerExports(traceId: string, fileName: string) {
    return html`<div class="exports" role="group" aria-labelledby="export-label">
        <span id="export-label">${t('Exporteer', 'Export')}:</span>
        ${(
          [
            ['mermaid', 'Mermaid', 'mmd'],
            ['har', 'HAR', 'har'],
            ['json', 'JSON', 'json'],
          ] as const
        ).map(
          ([format, label, ext]) =>
            html`<a class="btn secondary small" href=${traceExportUrl(format, traceId || undefined)} download=${`${fileName}.${ext}`}
              ><span class="visually-hidden">${t('Exporteer als', 'Export as')} </span>${label}</a
            >`,
        )}
      </div>`;
  }

  private closeDetails(): void {
    const seq = this.selectedSeq;
    this.selectedSeq = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`button.row[data-seq="${seq}"]`)?.focus());
  }

  private renderTls(tls: NonNullable<TraceEvent['tls']>, title: string) {
    return html`<h4>${title}</h4>
      <dl class="pairs small">
        <dt>${t('Oordeel', 'Verdict')}</dt>
        <dd>
          <span class=${`badge verdict ${tls.verdict === 'ok' ? 'ok' : 'bad'}`}>${tls.verdict}</span>
        </dd>
        ${tls.peerSubject ? html`<dt>${t('Onderwerp', 'Subject')}</dt><dd>${tls.peerSubject}</dd>` : nothing}
        ${tls.serial ? html`<dt>${t('Serienummer', 'Serial')}</dt><dd><code>${tls.serial}</code></dd>` : nothing}
        ${tls.issuer ? html`<dt>${t('Uitgever', 'Issuer')}</dt><dd>${tls.issuer}</dd>` : nothing}
        ${tls.dnsNames?.length ? html`<dt>DNS</dt><dd>${tls.dnsNames.join(', ')}</dd>` : nothing}
      </dl>`;
  }

  private tlsTitle(e: TraceEvent): string {
    if (e.side === 'client') return t(`Certificaat van de server (${e.to})`, `Server certificate (${e.to})`);
    if (e.side === 'server') return t(`Certificaat van de client (${e.from})`, `Client certificate (${e.from})`);
    return t('TLS-certificaat', 'TLS certificate');
  }

  private renderHeaders(headers: Record<string, string>, title: string) {
    const entries = Object.entries(headers);
    if (entries.length === 0) return nothing;
    return html`<h4>${title}</h4>
      <div class="table-wrap">
        <table class="headers">
          <caption class="visually-hidden">${title}</caption>
          <thead>
            <tr>
              <th scope="col">${t('Naam', 'Name')}</th>
              <th scope="col">${t('Waarde', 'Value')}</th>
            </tr>
          </thead>
          <tbody>
            ${entries.map(([k, v]) => html`<tr><td><code>${k}</code></td><td>${v}</td></tr>`)}
          </tbody>
        </table>
      </div>`;
  }

  private renderDetails(e: TraceEvent) {
    const counterpart = counterpartOf(e, this.events);
    const { path, query } = splitUrl(e.url);
    const from = laneOf(laneKey(e.from));
    const to = laneOf(laneKey(e.to));
    return html`<section class="details" id="details" aria-labelledby="details-heading">
      <div class="details-head">
        <h3 id="details-heading">${t('Details', 'Details')} #${e.seq}</h3>
        <button class="btn secondary small" @click=${() => this.closeDetails()}>${t('Sluiten', 'Close')}</button>
      </div>
      ${e.reason ? html`<p class="reason">${e.reason}</p>` : nothing}
      ${e.rule ? html`<p class="small muted">${t('Regel', 'Rule')}: ${e.rule}</p>` : nothing}
      <dl class="pairs small">
        <dt>${t('Soort', 'Kind')}</dt>
        <dd>${kindText(e)}</dd>
        <dt>${t('Uitkomst', 'Outcome')}</dt>
        <dd><span class=${`badge ${e.outcome === 'ok' ? 'ok' : e.outcome === 'warning' ? 'warn' : 'bad'}`}>${outcomeText(e.outcome)}</span></dd>
        <dt>${t('Van', 'From')}</dt>
        <dd>${from.label}${from.host && from.host !== from.label ? ` (${from.host})` : ''}</dd>
        <dt>${t('Naar', 'To')}</dt>
        <dd>${to.label}${to.host && to.host !== to.label ? ` (${to.host})` : ''}</dd>
        <dt>${t('Gemeld door', 'Reported by')}</dt>
        <dd>${e.reportedBy}${e.side ? ` (${e.side === 'client' ? t('aanroeper', 'caller') : t('ontvanger', 'callee')})` : ''}</dd>
        ${e.method ? html`<dt>${t('Methode', 'Method')}</dt><dd><code>${e.method}</code></dd>` : nothing}
        ${e.url ? html`<dt>URL</dt><dd><code>${path}</code>${query ? html`<br /><code>${query}</code>` : nothing}</dd>` : nothing}
        ${e.status !== undefined ? html`<dt>Status</dt><dd><code>${e.status}</code></dd>` : nothing}
        <dt>${t('Tijd', 'Time')}</dt>
        <dd>${formatDate(e.at, { short: true })} ${formatClock(e.at)}</dd>
        ${e.durationMs !== undefined ? html`<dt>${t('Duur', 'Duration')}</dt><dd>${e.durationMs} ms</dd>` : nothing}
        <dt>Trace-ID</dt>
        <dd>
          ${
            e.traceId
              ? html`<code>${e.traceId}</code>`
              : t(
                  'geen — bij een flow getoond omdat de browser dit verzoek deed terwijl de flow liep',
                  'none — shown with a flow because the browser made this request while the flow ran',
                )
          }
        </dd>
        ${e.requestId ? html`<dt>Request-ID</dt><dd><code>${e.requestId}</code></dd>` : nothing}
      </dl>
      ${e.tls ? this.renderTls(e.tls, this.tlsTitle(e)) : nothing}
      ${e.headers ? this.renderHeaders(e.headers, t('Headers', 'Headers')) : nothing}
      ${
        e.body !== undefined
          ? html`<h4>${t('Inhoud (gedecodeerd)', 'Body (decoded)')}</h4>
            <pre tabindex="0" aria-label=${t('Inhoud (gedecodeerd)', 'Body (decoded)')}>${prettyBody(e.body)}</pre>`
          : nothing
      }
      ${
        counterpart
          ? html`<h4>${t(`Zoals ${counterpart.reportedBy} het zag`, `As ${counterpart.reportedBy} saw it`)}</h4>
            <p class="small muted">
              ${t('De andere kant meldde hetzelfde verzoek', 'The other end reported the same request')} (#${counterpart.seq}${
                counterpart.status !== undefined ? `, status ${counterpart.status}` : ''
              }${counterpart.durationMs !== undefined ? `, ${counterpart.durationMs} ms` : ''}).
              ${counterpart.reason ?? ''}
            </p>
            ${counterpart.tls ? this.renderTls(counterpart.tls, this.tlsTitle(counterpart)) : nothing}
            ${counterpart.headers ? this.renderHeaders(counterpart.headers, t('Headers (ontvangen)', 'Headers (received)')) : nothing}
            ${counterpart.body !== undefined ? html`<pre tabindex="0" aria-label=${t('Inhoud', 'Body')}>${prettyBody(counterpart.body)}</pre>` : nothing}`
          : nothing
      }
      <details>
        <summary>${t('Ruwe gebeurtenis (JSON)', 'Raw event (JSON)')}</summary>
        <pre tabindex="0" aria-label=${t('Ruwe gebeurtenis', 'Raw event')}>${JSON.stringify(e, null, 2)}</pre>
      </details>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-inspector': PgoInspector;
  }
}
