/**
 * The sequence diagram itself, shared by the network inspector (live or a fixed array of events) and the
 * scenario presenter: lanes per participant, one row per event, built from HTML buttons in a CSS grid so
 * it works with a keyboard and a screen reader. `buildDiagram` (sequence.ts) makes the lanes and rows;
 * this renders them into the caller's shadow root (add `diagramStyles` to the component's styles).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { TraceEvent } from '@medmij-sandbox/console-api';
import { bsnDomainOf } from './bsn-domain.ts';
import { formatClock } from '@medmij-sandbox/ui/format';
import { lang, t } from '@medmij-sandbox/ui/i18n';
import { eventReason, eventRule, type ShownText } from '@medmij-sandbox/rules';
import type { DiagramRow, Lane } from './sequence.ts';
import { styleProps } from '@medmij-sandbox/ui/style-props';

/**
 * An event's reason in the UI language: the rule catalogue's text for its ruleId and params. Only an event the
 * catalogue does not know shows its own (English) words, marked `en` (shownText).
 */
export function reasonOf(e: TraceEvent): ShownText | undefined {
  return eventReason(e, lang());
}

/** An event's rule in the UI language: the catalogue's rule of its ruleId (or of its reason); else its own words. */
export function ruleOf(e: TraceEvent): ShownText | undefined {
  return eventRule(e, lang());
}

/** A text inside an element, marked with its language when that is not the page's (a screen reader reads it so). */
export function shownText(text: ShownText | undefined): TemplateResult | string {
  if (!text) return '';
  return text.lang === lang() ? text.text : html`<span lang=${text.lang}>${text.text}</span>`;
}

/**
 * A note starts on its lane and reaches up to two lanes to the right, so it stays readable; on the last
 * lane it reaches one lane to the left instead and is anchored (its border) on the right.
 */
function noteColumns(lane: number, laneCount: number): { columns: string; anchorRight: boolean } {
  if (lane === laneCount - 1 && lane > 0) return { columns: `${lane + 1} / ${lane + 3}`, anchorRight: true };
  return { columns: `${lane + 2} / ${Math.min(laneCount - 1, lane + 2) + 3}`, anchorRight: false };
}

export function outcomeText(outcome: TraceEvent['outcome']): string {
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

export const diagramStyles = css`
  .scroller {
    overflow: auto;
    max-height: 70vh;
    border: 1px solid var(--pgo-border);
    border-radius: 8px;
    background: #fff;
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
  .row[aria-current='true'],
  .row[aria-current='step'] {
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
    /* One bar per cause above the row: the effects of a call sit under it, as deep as it nests. */
    padding-left: calc(0.4rem + var(--depth, 0) * 0.3rem);
    box-shadow: inset calc(var(--depth, 0) * 0.2rem) 0 0 #c9d1db;
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
`;

export interface DiagramView {
  lanes: Lane[];
  rows: DiagramRow[];
  /** The row marked as current. */
  currentSeq?: number;
  /** How the current row is marked: 'true' (the inspector: its details are open) or 'step' (the presenter's current step). */
  currentToken?: 'true' | 'step';
  /** A row was activated (click, Enter, Space). */
  onSelect: (seq: number) => void;
  /** `aria-controls` of every row (the inspector's details pane, while it is open). */
  controls?: string;
  /** Escape pressed on a row; return true when it did something. */
  onEscape?: () => boolean;
  /** Accessible name of the list of rows. */
  label?: string;
}

/** The scrolling diagram: sticky lane heads, then an ordered list of rows (ArrowUp/ArrowDown/Home/End move between them). */
export function renderDiagram(v: DiagramView): TemplateResult {
  return html`<div class="scroller">
    <div class="grid" ${styleProps({ '--lanes': String(v.lanes.length) })}>
      <div class="lanes" aria-hidden="true">
        <div class="lane-head">#</div>
        ${v.lanes.map((l) => renderLaneHead(l))}
      </div>
      <ol
        class="rows"
        aria-label=${v.label ?? t('Gebeurtenissen in de volgorde waarin ze begonnen, elk gevolg onder zijn oorzaak', 'Events in the order they started, each effect under its cause')}
        @keydown=${(ev: KeyboardEvent) => onRowsKeydown(ev, v)}>
        ${v.rows.map((r) => renderRow(r, v))}
      </ol>
    </div>
  </div>`;
}

function renderLaneHead(l: Lane) {
  // <wbr> after each dot: long hostnames wrap at a dot, not mid-word.
  const host = l.host?.split('.').flatMap((part, i, all) => (i < all.length - 1 ? [html`${part}.<wbr />`] : [html`${part}`]));
  return html`<div class="lane-head">${l.label}${l.host && l.host !== l.label ? html`<span class="host">${host}</span>` : nothing}</div>`;
}

/**
 * A row's accessible name is its visible text (label first-class: "POST /oauth/token → 200"), plus
 * visually hidden words for what the picture says: who calls whom, or who decided.
 */
function renderRow(r: DiagramRow, v: DiagramView): TemplateResult {
  const { lanes } = v;
  const e = r.event;
  const lo = Math.min(r.from, r.to);
  const hi = Math.max(r.from, r.to);
  const fromLabel = lanes[r.from]?.label ?? e.from;
  const toLabel = lanes[r.to]?.label ?? e.to;
  // A decision's row is its reason in the UI's language (its row has no label); the other rows explain below the arrow.
  const reason = reasonOf(e);
  const rule = ruleOf(e);
  const decisionText = reason ?? rule ?? { text: t('besluit', 'decision'), lang: lang() };
  const explain = e.kind === 'decision' ? undefined : reason;
  const query = r.query ? (r.query.length > 40 ? `${r.query.slice(0, 40)}…` : r.query) : '';
  return html`<li>
    <button
      class=${`row tone-${r.tone}`}
      data-seq=${e.seq}
      aria-current=${v.currentSeq === e.seq ? (v.currentToken ?? 'true') : 'false'}
      aria-controls=${ifDefined(v.controls)}
      @click=${() => v.onSelect(e.seq)}
    >
      <span class="meta" data-depth=${r.depth} ${styleProps({ '--depth': String(Math.min(r.depth, 6)) })}>
        <span class="seq">#${e.seq}</span><br />${formatClock(e.at)}
        ${e.outcome !== 'ok' ? html`<br /><span class=${`badge ${r.tone}`}>${outcomeText(e.outcome)}</span>` : nothing}
        ${r.inferred ? html`<br /><span class="inferred">${t('zonder trace-ID', 'no trace ID')}</span>` : nothing}
        ${domainBadge(e)}
      </span>
      ${lanes.map((_, i) => html`<span class="life" ${styleProps({ 'grid-column': String(i + 2) })}></span>`)}
      ${
        r.shape === 'arrow'
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
              const label = e.kind === 'decision' ? decisionText.text : r.label;
              return html`<span class=${note.anchorRight ? 'note anchor-right' : 'note'} ${styleProps({ 'grid-column': note.columns })} title=${label}
              ><span class="visually-hidden">${e.kind === 'decision' ? t(`Besluit van ${fromLabel}:`, `Decision by ${fromLabel}:`) : `${fromLabel}:`} </span
              >${e.kind === 'decision' ? shownText(decisionText) : `${r.label}${query}`}</span
            >`;
            })()
      }
      ${
        explain || rule
          ? html`<span class="explain" ${styleProps({ 'grid-column': `2 / ${lanes.length + 2}` })}
            >${explain ? html`<span class="text">${shownText(explain)}</span>` : nothing}${
              rule ? html`<span class="rule"><span class="rule-inline">${shownText(rule)}</span></span>` : nothing
            }</span
          >`
          : nothing
      }
    </button>
  </li>`;
}

/**
 * "DVZA-domein" on an event a DVZA (or the TVS) reported that holds a BSN: the trace shows the DVZA's view, which a
 * PGO may not have (SPEC §10.6). Also used by the details pane.
 */
export function domainBadge(e: TraceEvent): TemplateResult | typeof nothing {
  const domain = bsnDomainOf(e);
  if (!domain) return nothing;
  return html`<br /><span class="badge none domain" data-testid="bsn-domain" title=${bsnDomainWhy()}>${domainLabel(domain)}</span>`;
}

export function domainLabel(domain: 'dvza' | 'tvs'): string {
  return domain === 'dvza' ? t('DVZA-domein', "DVZA's domain") : t('TVS-domein', "TVS's domain");
}

export function bsnDomainWhy(): string {
  return t(
    'Bevat een BSN: dat kennen de TVS en de DVZA, een PGO mag het niet verwerken. Alleen de operator ziet de trace.',
    'Holds a BSN: the TVS and the DVZA know it, a PGO may not process it. Only the operator sees the trace.',
  );
}

function onRowsKeydown(ev: KeyboardEvent, v: DiagramView): void {
  const rows = [...(ev.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('button.row')];
  const current = rows.indexOf(ev.target as HTMLButtonElement);
  if (current < 0) return;
  let next: number | undefined;
  if (ev.key === 'ArrowDown') next = Math.min(rows.length - 1, current + 1);
  else if (ev.key === 'ArrowUp') next = Math.max(0, current - 1);
  else if (ev.key === 'Home') next = 0;
  else if (ev.key === 'End') next = rows.length - 1;
  else if (ev.key === 'Escape' && v.onEscape?.()) {
    ev.preventDefault();
    return;
  }
  if (next === undefined) return;
  ev.preventDefault();
  // Home/End move focus within the diagram only (the presenter's own Home/End must not also fire).
  ev.stopPropagation();
  rows[next]?.focus();
}
