/**
 * <pgo-inspector>: the network inspector, a sequence diagram of every hop (one row per event, a lane
 * per participant), built from HTML buttons in a CSS grid so it works with a keyboard and a screen
 * reader. Rows open a details pane (headers, TLS peer, decoded body, rule, reason).
 *
 * `.events` is the data (testable with a plain array); with `live` the element follows the server's
 * trace stream itself. `trace-id` sets the initial flow filter (a collection's traceId).
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { TraceEvent } from '../../src/api.ts';
import { traceExportUrl } from './client.ts';
import { formatClock, formatDate } from './format.ts';
import { LangController, t } from './i18n.ts';
import { buildDiagram, counterpartOf, laneKey, laneOf, splitUrl, traceIdsOf, visibleEvents, type DiagramRow, type Lane } from './sequence.ts';
import { styleProps } from './style-props.ts';
import { shared } from './styles.ts';
import { traceStore, type StreamState } from './trace-store.ts';

const PAGE = 300;

/**
 * A note starts on its lane and reaches up to two lanes to the right, so it stays readable; on the last
 * lane it reaches one lane to the left instead and is anchored (its border) on the right.
 */
function noteColumns(lane: number, laneCount: number): { columns: string; anchorRight: boolean } {
  if (lane === laneCount - 1 && lane > 0) return { columns: `${lane + 1} / ${lane + 3}`, anchorRight: true };
  return { columns: `${lane + 2} / ${Math.min(laneCount - 1, lane + 2) + 3}`, anchorRight: false };
}

function outcomeText(outcome: TraceEvent['outcome']): string {
  switch (outcome) {
    case 'refused':
      return t('geweigerd', 'refused');
    case 'error':
      return t('fout', 'error');
    case 'warning':
      return t('waarschuwing', 'warning');
    default:
      return t('ok', 'ok');
  }
}

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
      .scroller {
        overflow: auto;
        max-height: 70vh;
        border: 1px solid var(--pgo-border);
        border-radius: 8px;
        background: #fff;
      }
      :host([compact]) .scroller {
        max-height: 60vh;
      }
      .grid {
        --meta: 6.75rem;
        --lane: 8.5rem;
        min-width: calc(var(--meta) + var(--lanes) * var(--lane));
      }
      .lanes,
      .row {
        display: grid;
        grid-template-columns: var(--meta) repeat(var(--lanes), minmax(var(--lane), 1fr));
      }
      .lanes {
        position: sticky;
        top: 0;
        z-index: 3;
        background: #f0f2f5;
        border-bottom: 1px solid var(--pgo-border);
      }
      .lane-head {
        text-align: center;
        padding: 0.35rem 0.25rem;
        font-weight: 700;
        font-size: 0.875rem;
        overflow-wrap: break-word;
      }
      .lane-head .host {
        display: block;
        font-weight: 400;
        font-size: 0.75rem;
        color: var(--pgo-muted);
      }
      ol.rows {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .row {
        width: 100%;
        margin: 0;
        padding: 0;
        border: 0;
        border-bottom: 1px solid #eceef2;
        background: none;
        color: inherit;
        text-align: left;
        position: relative;
      }
      .row:hover {
        background: #f3f6fb;
      }
      .row[aria-current='true'] {
        background: #e3ecf8;
        box-shadow: inset 4px 0 0 var(--pgo-primary);
      }
      .row:focus-visible {
        outline-offset: -3px;
      }
      .meta {
        grid-row: 1 / span 2;
        grid-column: 1;
        padding: 0.3rem 0.4rem;
        font-size: 0.75rem;
        color: var(--pgo-muted);
        font-variant-numeric: tabular-nums;
      }
      .meta .seq {
        font-weight: 700;
        color: var(--pgo-text);
      }
      .meta .inferred {
        font-style: italic;
      }
      .meta .badge {
        font-size: 0.7rem;
        padding: 0 0.35rem;
      }
      .life {
        grid-row: 1 / span 2;
        position: relative;
      }
      .life::before {
        content: '';
        position: absolute;
        top: 0;
        bottom: 0;
        left: 50%;
        border-left: 1px dashed #aab1bd;
      }
      .arrow {
        grid-row: 1;
        position: relative;
        z-index: 1;
        padding: 0.3rem 0.4rem 0.85rem;
        text-align: center;
        color: var(--pgo-line-ok);
        min-width: 0;
      }
      .arrow .label {
        display: inline-block;
        max-width: 100%;
        background: rgba(255, 255, 255, 0.92);
        color: var(--pgo-text);
        font-size: 0.8125rem;
        font-weight: 600;
        padding: 0 0.3rem;
        border-radius: 3px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .arrow .query {
        font-weight: 400;
        color: var(--pgo-muted);
      }
      .arrow .line {
        position: absolute;
        bottom: 0.45rem;
        left: calc(100% / var(--span) / 2);
        right: calc(100% / var(--span) / 2);
        height: 2px;
        background: currentColor;
      }
      .arrow .line::after {
        content: '';
        position: absolute;
        top: 50%;
        transform: translateY(-50%);
        border: 6px solid transparent;
      }
      .arrow.right .line::after {
        right: -3px;
        border-left: 9px solid currentColor;
        border-right-width: 0;
      }
      .arrow.left .line::after {
        left: -3px;
        border-right: 9px solid currentColor;
        border-left-width: 0;
      }
      .note {
        grid-row: 1;
        position: relative;
        z-index: 1;
        margin: 0.25rem 0.3rem;
        padding: 0.15rem 0.4rem;
        font-size: 0.78rem;
        background: #f7f8fb;
        border: 1px solid #b9c0cc;
        border-left: 4px solid var(--pgo-line-ok);
        border-radius: 4px;
        display: -webkit-box;
        -webkit-line-clamp: 2;
        -webkit-box-orient: vertical;
        overflow: hidden;
        min-width: 0;
      }
      .note.anchor-right {
        border-left-width: 1px;
        border-right: 4px solid var(--pgo-line-ok);
        text-align: right;
      }
      .tone-warn .note.anchor-right {
        border-right-color: var(--pgo-line-warn);
      }
      .tone-bad .note.anchor-right {
        border-right-color: var(--pgo-line-bad);
      }
      .tone-warn .arrow {
        color: var(--pgo-line-warn);
      }
      .tone-warn .arrow .label,
      .tone-warn .note {
        color: var(--pgo-warn-text);
      }
      .tone-warn .note {
        border-left-color: var(--pgo-line-warn);
        background: var(--pgo-warn-bg);
      }
      .tone-bad .arrow {
        color: var(--pgo-line-bad);
      }
      .tone-bad .arrow .label,
      .tone-bad .note {
        color: var(--pgo-bad-text);
      }
      .tone-bad .note {
        border-left-color: var(--pgo-line-bad);
        background: var(--pgo-bad-bg);
      }
      .tone-bad .arrow .line {
        height: 3px;
      }
      .explain {
        grid-row: 2;
        position: relative;
        z-index: 1;
        font-size: 0.8rem;
        padding: 0 0.5rem 0.35rem;
        color: var(--pgo-text);
      }
      .explain span.text {
        background: rgba(255, 255, 255, 0.92);
      }
      .explain .rule {
        display: block;
        font-size: 0.72rem;
        color: var(--pgo-muted);
      }
      .rule-inline {
        background: rgba(255, 255, 255, 0.92);
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
          ${hidden > 0
            ? html`<div class="more">
                <button class="btn secondary small" @click=${() => (this.limit += PAGE)}>
                  ${t(`Toon ${Math.min(PAGE, hidden)} eerdere gebeurtenissen`, `Show ${Math.min(PAGE, hidden)} earlier events`)}
                </button>
              </div>`
            : nothing}
          ${rows.length === 0
            ? html`<p class="empty muted">${this.emptyText(traceId)}</p>`
            : html`<div class="scroller">
                <div class="grid" ${styleProps({ '--lanes': String(lanes.length) })}>
                  <div class="lanes" aria-hidden="true">
                    <div class="lane-head">#</div>
                    ${lanes.map((l) => this.renderLaneHead(l))}
                  </div>
                  <ol class="rows" aria-label=${t('Gebeurtenissen, oudste eerst', 'Events, oldest first')} @keydown=${this.onRowsKeydown}>
                    ${rows.map((r) => this.renderRow(r, lanes))}
                  </ol>
                </div>
              </div>`}
          <p class="small muted status-line">
            ${t(`${shown.length} van ${this.events.length} gebeurtenissen getoond`, `${shown.length} of ${this.events.length} events shown`)}${traceId
              ? html` · ${t('flow', 'flow')} <code>${traceId}</code>`
              : nothing}
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
    const text =
      s === 'open' ? t('Live verbonden', 'Live') : s === 'connecting' ? t('Verbinden…', 'Connecting…') : t('Niet verbonden', 'Not connected');
    return html`<p class="small" role="status">
      <span class=${`badge ${s === 'open' ? 'ok' : s === 'connecting' ? 'warn' : 'bad'}`}>${text}</span>
      ${s === 'closed'
        ? html`<button class="linklike" @click=${() => traceStore().reconnect()}>${t('Opnieuw verbinden', 'Reconnect')}</button>`
        : nothing}
    </p>`;
  }

  private renderToolbar(traceId: string) {
    const flows = traceIdsOf(this.events).slice(0, 25);
    if (traceId && !flows.some((f) => f.traceId === traceId)) flows.unshift({ traceId, firstAt: '', lastSeq: 0, count: 0 });
    const exportName = traceId ? `trace-${traceId}` : 'trace';
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
                ${f.traceId.slice(0, 8)}…${f.firstAt ? ` · ${formatClock(f.firstAt).slice(0, 8)}` : ''}${f.dvza ? ` · ${f.dvza}` : ''}${f.count
                  ? ` · ${f.count}`
                  : ''}
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
      ${this.live
        ? html`<label class="check"
            ><input type="checkbox" .checked=${this.follow} @change=${(e: Event) => (this.follow = (e.target as HTMLInputElement).checked)} />
            ${t('Volg nieuwe gebeurtenissen', 'Follow new events')}</label
          >`
        : nothing}
      <div class="exports" role="group" aria-labelledby="export-label">
        <span id="export-label">${t('Exporteer', 'Export')}:</span>
        ${(
          [
            ['mermaid', 'Mermaid', 'mmd'],
            ['har', 'HAR', 'har'],
            ['json', 'JSON', 'json'],
          ] as const
        ).map(
          ([format, label, ext]) =>
            html`<a class="btn secondary small" href=${traceExportUrl(format, traceId || undefined)} download=${`${exportName}.${ext}`}
              ><span class="visually-hidden">${t('Exporteer als', 'Export as')} </span>${label}</a
            >`,
        )}
      </div>
    </div>`;
  }

  private renderLaneHead(l: Lane) {
    // <wbr> after each dot: long hostnames wrap at a dot, not mid-word.
    const host = l.host?.split('.').flatMap((part, i, all) => (i < all.length - 1 ? [html`${part}.<wbr />`] : [html`${part}`]));
    return html`<div class="lane-head">${l.label}${l.host && l.host !== l.label ? html`<span class="host">${host}</span>` : nothing}</div>`;
  }

  /**
   * A row's accessible name is its visible text (label first-class: "POST /oauth/token → 200"), plus
   * visually hidden words for what the picture says: who calls whom, or who decided.
   */
  private renderRow(r: DiagramRow, lanes: Lane[]): TemplateResult {
    const e = r.event;
    const lo = Math.min(r.from, r.to);
    const hi = Math.max(r.from, r.to);
    const fromLabel = lanes[r.from]?.label ?? e.from;
    const toLabel = lanes[r.to]?.label ?? e.to;
    const explainText = e.kind === 'decision' ? '' : e.reason ?? '';
    const query = r.query ? (r.query.length > 40 ? `${r.query.slice(0, 40)}…` : r.query) : '';
    return html`<li>
      <button
        class=${`row tone-${r.tone}`}
        data-seq=${e.seq}
        aria-current=${this.selectedSeq === e.seq ? 'true' : 'false'}
        aria-controls=${ifDefined(this.selectedSeq !== undefined ? 'details' : undefined)}
        @click=${() => (this.selectedSeq = this.selectedSeq === e.seq ? undefined : e.seq)}
      >
        <span class="meta">
          <span class="seq">#${e.seq}</span><br />${formatClock(e.at)}
          ${e.outcome !== 'ok' ? html`<br /><span class=${`badge ${r.tone}`}>${outcomeText(e.outcome)}</span>` : nothing}
          ${r.inferred ? html`<br /><span class="inferred">${t('zonder trace-ID', 'no trace ID')}</span>` : nothing}
        </span>
        ${lanes.map((_, i) => html`<span class="life" ${styleProps({ 'grid-column': String(i + 2) })}></span>`)}
        ${r.shape === 'arrow'
          ? html`<span
              class=${`arrow ${r.to > r.from ? 'right' : 'left'}`}
              ${styleProps({ 'grid-column': `${lo + 2} / ${hi + 3}`, '--span': String(hi - lo + 1) })}
              ><span class="label" title=${`${r.label}${r.query ?? ''}`}
                >${r.label}${query ? html` <span class="query">${query}</span>` : nothing}<span class="visually-hidden">
                  (${fromLabel} ${t('naar', 'to')} ${toLabel})</span
                ></span
              ><span class="line"></span
            ></span>`
          : (() => {
              const note = noteColumns(lo, lanes.length);
              return html`<span class=${note.anchorRight ? 'note anchor-right' : 'note'} ${styleProps({ 'grid-column': note.columns })} title=${r.label}
                ><span class="visually-hidden">${e.kind === 'decision' ? t(`Besluit van ${fromLabel}:`, `Decision by ${fromLabel}:`) : `${fromLabel}:`} </span
                >${e.kind === 'decision' ? r.label : `${r.label}${query}`}</span
              >`;
            })()}
        ${explainText || e.rule
          ? html`<span class="explain" ${styleProps({ 'grid-column': `2 / ${lanes.length + 2}` })}
              >${explainText ? html`<span class="text">${explainText}</span>` : nothing}${e.rule
                ? html`<span class="rule"><span class="rule-inline">${e.rule}</span></span>`
                : nothing}</span
            >`
          : nothing}
      </button>
    </li>`;
  }

  private onRowsKeydown = (ev: KeyboardEvent) => {
    const rows = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.row')];
    const current = rows.indexOf(ev.target as HTMLButtonElement);
    if (current < 0) return;
    let next: number | undefined;
    if (ev.key === 'ArrowDown') next = Math.min(rows.length - 1, current + 1);
    else if (ev.key === 'ArrowUp') next = Math.max(0, current - 1);
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = rows.length - 1;
    else if (ev.key === 'Escape' && this.selectedSeq !== undefined) {
      this.selectedSeq = undefined;
      ev.preventDefault();
      return;
    }
    if (next === undefined) return;
    ev.preventDefault();
    rows[next]?.focus();
  };

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
          ${e.traceId
            ? html`<code>${e.traceId}</code>`
            : t(
                'geen — bij een flow getoond omdat de browser dit verzoek deed terwijl de flow liep',
                'none — shown with a flow because the browser made this request while the flow ran',
              )}
        </dd>
        ${e.requestId ? html`<dt>Request-ID</dt><dd><code>${e.requestId}</code></dd>` : nothing}
      </dl>
      ${e.tls ? this.renderTls(e.tls, this.tlsTitle(e)) : nothing}
      ${e.headers ? this.renderHeaders(e.headers, t('Headers', 'Headers')) : nothing}
      ${e.body !== undefined
        ? html`<h4>${t('Inhoud (gedecodeerd)', 'Body (decoded)')}</h4>
            <pre tabindex="0" aria-label=${t('Inhoud (gedecodeerd)', 'Body (decoded)')}>${prettyBody(e.body)}</pre>`
        : nothing}
      ${counterpart
        ? html`<h4>${t(`Zoals ${counterpart.reportedBy} het zag`, `As ${counterpart.reportedBy} saw it`)}</h4>
            <p class="small muted">
              ${t('De andere kant meldde hetzelfde verzoek', 'The other end reported the same request')} (#${counterpart.seq}${counterpart.status !== undefined
                ? `, status ${counterpart.status}`
                : ''}${counterpart.durationMs !== undefined ? `, ${counterpart.durationMs} ms` : ''}).
              ${counterpart.reason ?? ''}
            </p>
            ${counterpart.tls ? this.renderTls(counterpart.tls, this.tlsTitle(counterpart)) : nothing}
            ${counterpart.headers ? this.renderHeaders(counterpart.headers, t('Headers (ontvangen)', 'Headers (received)')) : nothing}
            ${counterpart.body !== undefined ? html`<pre tabindex="0" aria-label=${t('Inhoud', 'Body')}>${prettyBody(counterpart.body)}</pre>` : nothing}`
        : nothing}
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
