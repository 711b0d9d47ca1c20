/**
 * <pgo-presenter .run>: presenter mode for trainers. Full width and large type, it steps through a
 * scenario run's hops one at a time: an intro card (title, what it teaches, the rule), then per hop who
 * calls whom, what (method/path/status, the TLS verdict, or the decision), why (`reason`), the spec rule,
 * and — when one of the run's checks matched that event — "what to notice", highlighted. Below it the
 * diagram so far (the inspector's diagram), the current row marked.
 *
 * Keys (anywhere on the page, not while typing): ArrowRight, Space or PageDown next; ArrowLeft or
 * PageUp previous (presentation clickers send PageDown/PageUp); Home the intro; End the last hop.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ScenarioRun, TraceEvent } from '../../src/api.ts';
import { diagramStyles, outcomeText, renderDiagram } from './diagram.ts';
import { LangController, t } from './i18n.ts';
import { scenarioHash } from './router.ts';
import { SANDBOX_TEXT_LANG } from './scenario-store.ts';
import { buildDiagram, counterpartOf, laneKey, laneOf, splitUrl, toneOf, visibleEvents } from './sequence.ts';
import { styleProps } from './style-props.ts';
import { shared } from './styles.ts';

export type ScenarioCheck = ScenarioRun['checks'][number];

export interface PresenterModel {
  /** The hops a person should see (as the inspector shows them: one report per hop, without the app's own API calls), plus decisions. */
  steps: TraceEvent[];
  /** The checks that matched each step, by the step's seq. */
  notices: Map<number, ScenarioCheck[]>;
}

/**
 * The steps of a run and which checks belong to which step. A check may have matched the report a step
 * does not show (the callee's of a hop both ends report): it then belongs to the shown report of that
 * hop; an event matched by a check that is hidden otherwise is shown anyway.
 */
export function presenterModel(run: Pick<ScenarioRun, 'events' | 'checks'>): PresenterModel {
  const visible = visibleEvents(run.events, { hideUiTraffic: true });
  const shown = new Set(visible.map((e) => e.seq));
  const bySeq = new Map(run.events.map((e) => [e.seq, e]));
  const extra: TraceEvent[] = [];
  const notices = new Map<number, ScenarioCheck[]>();
  for (const check of run.checks) {
    if (check.seq === undefined) continue;
    let seq: number | undefined = check.seq;
    if (!shown.has(seq)) {
      const event = bySeq.get(seq);
      const other = event ? counterpartOf(event, run.events) : undefined;
      if (other && shown.has(other.seq)) seq = other.seq;
      else if (event) {
        extra.push(event);
        shown.add(seq);
      } else seq = undefined;
    }
    if (seq !== undefined) notices.set(seq, [...(notices.get(seq) ?? []), check]);
  }
  const steps = extra.length ? [...visible, ...extra].sort((a, b) => a.seq - b.seq) : visible;
  return { steps, notices };
}

function laneLabel(host: string): string {
  return laneOf(laneKey(host)).label;
}

@customElement('pgo-presenter')
export class PgoPresenter extends LitElement {
  static override styles = [
    shared,
    diagramStyles,
    css`
      :host {
        display: block;
        font-size: 1.25rem;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.5rem 1.5rem;
        margin-bottom: 0.5rem;
      }
      .top .tools {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        flex-wrap: wrap;
        font-size: 1rem;
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin-bottom: 1rem;
      }
      h1 {
        font-size: clamp(1.8rem, 3vw, 2.75rem);
        margin: 0;
      }
      .title .badge {
        font-size: 1.1rem;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem 1.25rem;
        margin-bottom: 1rem;
      }
      .bar .btn {
        font-size: 1.25rem;
        padding: 0.55rem 1.4rem;
      }
      .btn[aria-disabled='true'] {
        background: #e5e7eb;
        border-color: #6b7280;
        color: #374151;
        cursor: default;
      }
      .position {
        font-size: 1.35rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        margin: 0;
      }
      .progress {
        flex: 1 1 12rem;
        height: 0.6rem;
        background: #dfe3e9;
        border-radius: 999px;
        overflow: hidden;
      }
      .progress span {
        display: block;
        height: 100%;
        background: var(--pgo-primary);
      }
      .keys {
        font-size: 0.95rem;
      }
      .card.slide {
        font-size: clamp(1.25rem, 1.7vw, 1.75rem);
        padding: 1.5rem 2rem;
        border-left: 10px solid var(--pgo-line-ok);
        margin-bottom: 1.25rem;
      }
      .card.slide.tone-warn {
        border-left-color: var(--pgo-line-warn);
      }
      .card.slide.tone-bad {
        border-left-color: var(--pgo-line-bad);
      }
      .card.slide.intro {
        border-left-color: var(--pgo-primary);
      }
      .slide h2 {
        font-size: 1.5em;
        margin-bottom: 0.5rem;
      }
      .slide p {
        margin-bottom: 0.75rem;
      }
      .what {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin-bottom: 0.75rem;
      }
      .headline {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace;
        font-size: 1.35em;
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .headline .query {
        font-weight: 400;
        font-size: 0.7em;
        color: var(--pgo-muted);
      }
      .what .badge {
        font-size: 0.8em;
      }
      .reason {
        font-size: 1.15em;
      }
      .rule {
        color: var(--pgo-muted);
      }
      .teaches {
        font-size: 1.2em;
        max-width: 60em;
      }
      .notice {
        background: var(--pgo-warn-bg);
        border: 3px solid var(--pgo-line-warn);
        border-radius: 10px;
        padding: 0.75rem 1.1rem;
        margin-top: 1rem;
      }
      .notice .label {
        font-weight: 800;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--pgo-warn-text);
        margin: 0 0 0.25rem;
      }
      .notice ul {
        margin: 0;
        padding-left: 0;
        list-style: none;
      }
      .notice li {
        font-weight: 700;
        font-size: 1.1em;
      }
      .notice .state {
        font-weight: 600;
        font-size: 0.75em;
      }
      .so-far h2 {
        font-size: 1.25rem;
      }
      .so-far .scroller {
        max-height: 45vh;
        scroll-behavior: smooth;
      }
      @media (prefers-reduced-motion: reduce) {
        .so-far .scroller {
          scroll-behavior: auto;
        }
      }
    `,
  ];

  private readonly langController = new LangController(this);

  @property({ attribute: false }) run?: ScenarioRun;

  /** 0: the intro card; 1..steps: that hop. */
  @state() private index = 0;
  /** Moved since the run was set: from then on the live region says more than the position. */
  @state() private moved = false;
  @state() private fullscreen = false;

  private model: PresenterModel = { steps: [], notices: new Map() };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKeydown);
    window.addEventListener('resize', this.onResize);
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKeydown);
    window.removeEventListener('resize', this.onResize);
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('run')) {
      this.model = this.run ? presenterModel(this.run) : { steps: [], notices: new Map() };
      this.index = 0;
      this.moved = false;
    }
  }

  override updated(changed: PropertyValues): void {
    this.fitDiagram();
    if (changed.has('index')) this.scrollCurrentRowIntoView();
  }

  private readonly onResize = () => this.fitDiagram();

  /** The current step: 0 is the intro. */
  get step(): number {
    return this.index;
  }

  get stepCount(): number {
    return this.model.steps.length;
  }

  /** Goes to a step (0 = intro), clamped, and announces it. */
  go(index: number): void {
    const next = Math.max(0, Math.min(this.stepCount, index));
    if (next === this.index) return;
    this.index = next;
    this.moved = true;
  }

  private readonly onKeydown = (ev: KeyboardEvent) => {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey || !this.run) return;
    const target = (ev.composedPath()[0] ?? ev.target) as HTMLElement | null;
    const tag = target?.tagName ?? '';
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable) return;
    // Space on a button or link activates it (Vorige, Volgende, a diagram row): leave it to the browser.
    const onControl = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
    switch (ev.key) {
      case 'ArrowRight':
      case 'PageDown':
        this.go(this.index + 1);
        break;
      case ' ':
        if (onControl) return;
        this.go(this.index + 1);
        break;
      case 'ArrowLeft':
      case 'PageUp':
        this.go(this.index - 1);
        break;
      case 'Home':
        this.go(0);
        break;
      case 'End':
        this.go(this.stepCount);
        break;
      default:
        return;
    }
    ev.preventDefault();
  };

  private readonly onFullscreenChange = () => {
    this.fullscreen = !!document.fullscreenElement;
  };

  private toggleFullscreen(): void {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen().catch(() => undefined);
  }

  private positionText(): string {
    const n = this.stepCount;
    if (this.index === 0) return t(`introductie · ${n} ${n === 1 ? 'stap' : 'stappen'}`, `introduction · ${n} ${n === 1 ? 'step' : 'steps'}`);
    return t(`stap ${this.index} van ${n}`, `step ${this.index} of ${n}`);
  }

  /** What a screen reader hears after the position ("stap 3 van 17") when the step changes. */
  private announce(): string {
    if (this.index === 0) return `: ${this.run?.title ?? ''}`;
    const e = this.model.steps[this.index - 1]!;
    const notices = this.model.notices.get(e.seq) ?? [];
    return [
      `: ${this.who(e)}.`,
      `${this.headlineText(e)}.`,
      e.kind !== 'decision' && e.reason ? e.reason : '',
      ...notices.map((c) => `${t('Let op', 'Notice')}: ${c.what}.`),
    ]
      .filter(Boolean)
      .join(' ');
  }

  private who(e: TraceEvent): string {
    if (e.kind === 'decision') return t(`Besluit van ${laneLabel(e.reportedBy)}`, `Decision by ${laneLabel(e.reportedBy)}`);
    return t(`${laneLabel(e.from)} naar ${laneLabel(e.to)}`, `${laneLabel(e.from)} to ${laneLabel(e.to)}`);
  }

  private headlineText(e: TraceEvent): string {
    const { path } = splitUrl(e.url);
    if (e.kind === 'http') return `${e.method ?? 'GET'} ${path} → ${e.status ?? '✕'}`;
    if (e.kind === 'tls') return `TLS ${e.tls?.verdict ?? '?'}${e.method && e.url ? ` (${e.method} ${path})` : ''}`;
    return `${t('Besluit', 'Decision')}: ${outcomeText(e.outcome)}`;
  }

  override render() {
    void this.langController;
    const run = this.run;
    if (!run) return nothing;
    const n = this.stepCount;
    const current = this.index > 0 ? this.model.steps[this.index - 1] : undefined;
    return html`
      <div class="top">
        <a href=${scenarioHash(run.name)}>← ${t('Terug naar het resultaat', 'Back to the result')}</a>
        <div class="tools">
          <span class="keys muted">${t('Toetsen: → of spatie volgende, ← vorige, Home begin, End einde', 'Keys: → or Space next, ← previous, Home start, End end')}</span>
          ${
            document.fullscreenEnabled
              ? html`<button class="btn secondary small" type="button" aria-pressed=${this.fullscreen ? 'true' : 'false'} @click=${this.toggleFullscreen}>
                ${t('Volledig scherm', 'Full screen')}
              </button>`
              : nothing
          }
        </div>
      </div>
      <div class="title">
        <h1 lang=${SANDBOX_TEXT_LANG}>${run.title}</h1>
        <span class=${`badge ${run.ok ? 'ok' : 'bad'}`}>${run.ok ? t('Geslaagd', 'Passed') : t('Mislukt', 'Failed')}</span>
      </div>
      <div class="bar">
        <button class="btn" type="button" aria-disabled=${this.index === 0 ? 'true' : 'false'} @click=${() => this.go(this.index - 1)}>
          <span aria-hidden="true">←</span> ${t('Vorige', 'Previous')}
        </button>
        <div class="position" role="status"><span>${this.positionText()}</span><span class="visually-hidden">${this.moved ? this.announce() : ''}</span></div>
        <div class="progress" aria-hidden="true"><span ${styleProps({ width: `${n ? (100 * this.index) / n : 0}%` })}></span></div>
        <button class="btn" type="button" aria-disabled=${this.index >= n ? 'true' : 'false'} @click=${() => this.go(this.index + 1)}>
          ${t('Volgende', 'Next')} <span aria-hidden="true">→</span>
        </button>
      </div>
      ${current ? this.renderStep(current) : this.renderIntro(run)}
      ${this.renderSoFar()}
    `;
  }

  private renderIntro(run: ScenarioRun): TemplateResult {
    return html`<section class="card slide intro" aria-labelledby="slide-heading" data-testid="slide">
      <h2 id="slide-heading">${t('Waar gaat het om?', 'What is this about?')}</h2>
      <p class="teaches" lang=${SANDBOX_TEXT_LANG}>${run.teaches}</p>
      <p class="rule">${t('Regel', 'Rule')}: <span lang=${SANDBOX_TEXT_LANG}>${run.rule}</span></p>
      <p class="small">
        ${
          this.stepCount === 0
            ? t('Deze run heeft geen netwerkverkeer om te tonen.', 'This run has no network traffic to show.')
            : t(
                `${this.stepCount} stappen: elke stap is één verzoek tussen twee deelnemers of één besluit. Druk op Volgende om te beginnen.`,
                `${this.stepCount} steps: each step is one request between two participants, or one decision. Press Next to begin.`,
              )
        }
      </p>
    </section>`;
  }

  private renderStep(e: TraceEvent): TemplateResult {
    const notices = this.model.notices.get(e.seq) ?? [];
    const tone = toneOf(e);
    const { path, query } = splitUrl(e.url);
    const headline =
      e.kind === 'http'
        ? html`${e.method ?? 'GET'} ${path}${query ? html` <span class="query">${query.length > 60 ? `${query.slice(0, 60)}…` : query}</span>` : nothing} → ${
            e.status ?? '✕'
          }`
        : html`${this.headlineText(e)}`;
    return html`<section class=${`card slide tone-${tone}`} aria-labelledby="slide-heading" data-seq=${e.seq} data-testid="slide">
      <h2 id="slide-heading">
        ${
          e.kind === 'decision'
            ? t(`Besluit van ${laneLabel(e.reportedBy)}`, `Decision by ${laneLabel(e.reportedBy)}`)
            : html`${laneLabel(e.from)} <span aria-hidden="true">→</span><span class="visually-hidden"> ${t('naar', 'to')} </span> ${laneLabel(e.to)}`
        }
      </h2>
      <div class="what">
        <span class="headline">${headline}</span>
        <span class=${`badge ${tone}`}>${outcomeText(e.outcome)}</span>
        <span class="small muted">#${e.seq}${e.durationMs !== undefined ? ` · ${e.durationMs} ms` : ''}</span>
      </div>
      ${e.reason ? html`<p class="reason" lang=${SANDBOX_TEXT_LANG}>${e.reason}</p>` : nothing}
      ${e.kind === 'tls' && e.tls?.peerSubject ? html`<p class="small">${t('Certificaat', 'Certificate')}: <span lang="zxx">${e.tls.peerSubject}</span></p>` : nothing}
      ${e.rule ? html`<p class="rule">${t('Regel', 'Rule')}: <span lang=${SANDBOX_TEXT_LANG}>${e.rule}</span></p>` : nothing}
      ${
        notices.length
          ? html`<div class="notice" data-testid="notice">
            <p class="label">${t('Let op', 'What to notice')}</p>
            <ul>
              ${notices.map(
                (c) => html`<li>
                  <span lang=${SANDBOX_TEXT_LANG}>${c.what}</span>
                  <span class="state">(${c.ok ? t('✓ gecontroleerd', '✓ checked') : t('✗ controle niet gehaald', '✗ check not met')})</span>
                </li>`,
              )}
            </ul>
          </div>`
          : nothing
      }
    </section>`;
  }

  private renderSoFar(): TemplateResult {
    const { lanes, rows } = buildDiagram(this.model.steps);
    return html`<section class="so-far" aria-labelledby="so-far-heading">
      <h2 id="so-far-heading">${t('Het verloop tot nu toe', 'The flow so far')}</h2>
      ${
        this.index === 0
          ? html`<p class="small muted">${t('Het diagram groeit met elke stap.', 'The diagram grows with each step.')}</p>`
          : renderDiagram({
              lanes,
              rows: rows.slice(0, this.index),
              currentSeq: this.model.steps[this.index - 1]?.seq,
              currentToken: 'step',
              label: t('Stappen tot nu toe, oudste eerst', 'Steps so far, oldest first'),
              onSelect: (seq) => this.go(this.model.steps.findIndex((e) => e.seq === seq) + 1),
            })
      }
    </section>`;
  }

  /**
   * The diagram so far takes the rest of the screen below the card (at least 12rem), so the whole slide
   * fits on a projector without scrolling the page; set through the CSSOM (a strict CSP blocks style attributes).
   */
  private fitDiagram(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('.so-far .scroller');
    if (!scroller) return;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const top = scroller.getBoundingClientRect().top + window.scrollY;
    scroller.style.setProperty('max-height', `${Math.max(12 * rem, window.innerHeight - top - rem)}px`);
  }

  /** The current step is the last row of the diagram so far: keep the bottom in view (only the diagram scrolls, never the page). */
  private scrollCurrentRowIntoView(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('.so-far .scroller');
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pgo-presenter': PgoPresenter;
  }
}
