/**
 * <console-presenter .run>: presenter mode for trainers. Full width and large type, it steps through a
 * scenario run: an intro card (title, what it teaches, the rule), then the flow's phases (lijsten, autorisatie,
 * DigiD, toestemming, token, gegevens). A phase that holds a key hop (one an expectation of the scenario matched)
 * shows its hops one at a time — who calls whom, what (method/path/status, the TLS verdict, or the decision), why,
 * the spec rule and "what to notice", highlighted; every other phase is folded to one step with its count, which
 * the trainer can unfold. "Volgend kernmoment" jumps to the next key hop (from the intro: the first one). A closing
 * card says what the PGO showed the person. Above the card: the phases as an outline; beside it (below it on a
 * narrow screen): the diagram so far.
 *
 * Keys (anywhere on the page, not while typing): ArrowRight, Space or PageDown next; ArrowLeft or
 * PageUp previous (presentation clickers send PageDown/PageUp); K the next key hop; Home the intro; End the
 * closing card.
 *
 * This element does the stepping (the current step, Vorige/Volgende, the keys of presenter-keys.ts, the
 * live region) and the layout (the diagram so far, full screen). What the steps are is presenter-model.ts;
 * how one step looks is presenter-slides.ts.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ScenarioRun } from '@medmij-sandbox/console-api';
import { diagramStyles, renderDiagram } from './diagram.ts';
import { LangController, bi, t } from '@medmij-sandbox/ui/i18n';
import { stepForKey, wantsNextKey } from './presenter-keys.ts';
import {
  PHASE_NAMES,
  isKeyItem,
  lastStepOf,
  nextKeyPosition,
  phaseSegments,
  presenterItems,
  presenterModel,
  type PhaseSegment,
  type PresenterItem,
  type PresenterModel,
} from './presenter-model.ts';
import { renderClosing, renderPhase } from './presenter-phases.ts';
import { renderIntro, renderStep, stepAnnouncement } from './presenter-slides.ts';
import { scenarioHash } from './router.ts';
import { buildDiagram } from './sequence.ts';
import { styleProps } from '@medmij-sandbox/ui/style-props';
import { shared } from '@medmij-sandbox/ui/styles';

@customElement('console-presenter')
export class ConsolePresenter extends LitElement {
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
      /* The card and the diagram so far side by side on a projector (1024 wide and up): the diagram in view at once. */
      .stage {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0 1.25rem;
        align-items: start;
      }
      .stage .phases {
        grid-column: 1 / -1;
      }
      @media (min-width: 60rem) {
        .stage {
          grid-template-columns: minmax(0, 5fr) minmax(0, 6fr);
        }
        .stage .card.slide {
          font-size: clamp(1.1rem, 1.45vw, 1.6rem);
          padding: 1rem 1.25rem;
        }
      }
      .phases ol {
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        font-size: 1rem;
      }
      .phase {
        font: inherit;
        text-align: left;
        background: var(--pgo-surface);
        border: 1px solid var(--pgo-border);
        border-radius: 6px;
        padding: 0.25rem 0.6rem;
        color: var(--pgo-text);
      }
      .phase.key {
        border-color: var(--pgo-line-warn);
      }
      .phase[aria-current='step'] {
        outline: 3px solid var(--pgo-primary);
        font-weight: 700;
      }
      .phase .count {
        color: var(--pgo-muted);
        font-variant-numeric: tabular-nums;
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

  /** 0: the intro card; 1..items: that item (a hop or a folded phase); items + 1: the closing card. */
  @state() private index = 0;
  /** The folded phases the trainer opened (segment indexes). */
  @state() private unfolded: ReadonlySet<number> = new Set();
  /** Moved since the run was set: from then on the live region says more than the position. */
  @state() private moved = false;
  @state() private fullscreen = false;

  private model: PresenterModel = { steps: [], notices: new Map() };
  private segments: PhaseSegment[] = [];
  private items: PresenterItem[] = [];

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
      this.segments = phaseSegments(this.model);
      this.index = 0;
      this.moved = false;
      this.unfolded = new Set();
    }
    this.items = presenterItems(this.segments, this.unfolded);
  }

  override updated(changed: PropertyValues): void {
    this.fitDiagram();
    if (changed.has('index')) this.scrollCurrentRowIntoView();
  }

  /** Another window size (a projector, full screen): the diagram fits again, the current row back in view. */
  private readonly onResize = () => {
    this.fitDiagram();
    this.scrollCurrentRowIntoView();
  };

  /** The current position: 0 is the intro, `positions` the closing card. */
  get step(): number {
    return this.index;
  }

  /** The hops and decisions of the run (what the intro counts). */
  get stepCount(): number {
    return this.model.steps.length;
  }

  /** The last position: the closing card, after every item. */
  get positions(): number {
    return this.items.length + 1;
  }

  /** Goes to a position (0 = intro), clamped, and announces it. */
  go(index: number): void {
    const next = Math.max(0, Math.min(this.positions, index));
    if (next === this.index) return;
    this.index = next;
    this.moved = true;
  }

  /** To the next key hop (from the intro: the first); without one after this, to the closing card. */
  nextKey(): void {
    this.go(nextKeyPosition(this.items, this.model, this.index) ?? this.positions);
  }

  /** Opens a folded phase where it stands: its first hop becomes the current position. */
  private unfold(segment: number): void {
    this.unfolded = new Set([...this.unfolded, segment]);
    this.items = presenterItems(this.segments, this.unfolded);
    this.index = this.items.findIndex((it) => it.segment === segment) + 1;
    this.moved = true;
  }

  private readonly onKeydown = (ev: KeyboardEvent) => {
    if (!this.run) return;
    if (wantsNextKey(ev)) {
      this.nextKey();
      ev.preventDefault();
      return;
    }
    const step = stepForKey(ev, this.index, this.positions);
    if (step === undefined) return;
    this.go(step);
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
    const n = this.items.length;
    if (this.index === 0) return t(`introductie · ${n} ${n === 1 ? 'stap' : 'stappen'}`, `introduction · ${n} ${n === 1 ? 'step' : 'steps'}`);
    if (this.index > n) return t('afsluiting', 'closing');
    return t(`stap ${this.index} van ${n}`, `step ${this.index} of ${n}`);
  }

  /** What a screen reader hears after the position when it changes. */
  private announcement(run: ScenarioRun): TemplateResult | string {
    const item = this.items[this.index - 1];
    if (this.index === 0) return stepAnnouncement(run, this.model, 0);
    if (!item) return t(': afsluiting, wat de PGO liet zien.', ': closing, what the PGO showed.');
    if (item.kind === 'step') return stepAnnouncement(run, this.model, item.step + 1);
    const s = this.segments[item.segment]!;
    const count = s.last - s.first + 1;
    return t(
      `: fase ${PHASE_NAMES[s.phase].nl}, ${count} ${count === 1 ? 'stap' : 'stappen'} samengevat.`,
      `: phase ${PHASE_NAMES[s.phase].en}, ${count} ${count === 1 ? 'step' : 'steps'} summed up.`,
    );
  }

  private renderCurrent(run: ScenarioRun): TemplateResult {
    if (this.index === 0) return renderIntro(run, this.stepCount);
    const item = this.items[this.index - 1];
    if (!item) return renderClosing(run);
    if (item.kind === 'phase') return renderPhase(this.segments[item.segment]!, this.model, () => this.unfold(item.segment));
    const e = this.model.steps[item.step]!;
    return renderStep(e, this.model.notices.get(e.seq) ?? []);
  }

  /** The phases as an outline: each with its count, the key ones marked, the current one too; a click goes there. */
  private renderPhases(): TemplateResult {
    const item = this.items[this.index - 1];
    return html`<nav class="phases" aria-label=${t('Fasen van deze run', 'Phases of this run')}>
      <ol>
        ${this.segments.map((s, i) => {
          const count = s.last - s.first + 1;
          const here = item?.segment === i;
          const target = this.items.findIndex((it) => it.segment === i) + 1;
          return html`<li>
            <button type="button" class=${`phase ${s.key ? 'key' : ''}`} aria-current=${here ? 'step' : 'false'} @click=${() => this.go(target)}>
              ${t(PHASE_NAMES[s.phase].nl, PHASE_NAMES[s.phase].en)} <span class="count">· ${count}</span>${s.key ? html` <span class="badge warn">${t('kernmoment', 'key hop')}</span>` : nothing}
            </button>
          </li>`;
        })}
      </ol>
    </nav>`;
  }

  override render() {
    void this.langController;
    const run = this.run;
    if (!run) return nothing;
    const n = this.positions;
    const next = nextKeyPosition(this.items, this.model, this.index);
    const onKey = this.index > 0 && this.index <= this.items.length && isKeyItem(this.items[this.index - 1]!, this.model);
    return html`
      <div class="top">
        <a href=${scenarioHash(run.name)}>← ${t('Terug naar het resultaat', 'Back to the result')}</a>
        <div class="tools">
          <span class="keys muted"
            >${t('Toetsen: → of spatie volgende, ← vorige, K volgend kernmoment, Home begin, End einde', 'Keys: → or Space next, ← previous, K next key hop, Home start, End end')}</span
          >
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
        <h1>${bi(run.title)}</h1>
        <span class=${`badge ${run.ok ? 'ok' : 'bad'}`}>${run.ok ? t('Geslaagd', 'Passed') : t('Mislukt', 'Failed')}</span>
      </div>
      <div class="bar">
        <button class="btn" type="button" aria-disabled=${this.index === 0 ? 'true' : 'false'} @click=${() => this.go(this.index - 1)}>
          <span aria-hidden="true">←</span> ${t('Vorige', 'Previous')}
        </button>
        <div class="position" role="status">
          <span>${this.positionText()}</span>${onKey ? html` <span class="badge warn">${t('kernmoment', 'key hop')}</span>` : nothing}<span class="visually-hidden"
            >${this.moved ? this.announcement(run) : ''}</span
          >
        </div>
        <div class="progress" aria-hidden="true"><span ${styleProps({ width: `${n ? (100 * this.index) / n : 0}%` })}></span></div>
        <button class="btn" type="button" aria-disabled=${this.index >= n ? 'true' : 'false'} @click=${() => this.go(this.index + 1)}>
          ${t('Volgende', 'Next')} <span aria-hidden="true">→</span>
        </button>
        <button class="btn secondary" type="button" aria-disabled=${next === undefined ? 'true' : 'false'} @click=${() => (next === undefined ? undefined : this.go(next))}>
          ${this.index === 0 ? t('Naar het eerste kernmoment', 'To the first key hop') : t('Volgend kernmoment', 'Next key hop')} <span aria-hidden="true">⇥</span>
        </button>
      </div>
      <div class="stage">${this.renderPhases()}<div class="main-col">${this.renderCurrent(run)}</div>${this.renderSoFar()}</div>
    `;
  }

  private renderSoFar(): TemplateResult {
    const { lanes, rows } = buildDiagram(this.model.steps, undefined, this.run?.events);
    const item = this.items[this.index - 1];
    // Through the current item's last hop; the closing card shows the whole run.
    const shown = this.index === 0 ? 0 : item ? lastStepOf(item, this.segments) + 1 : rows.length;
    const current = item?.kind === 'step' ? this.model.steps[item.step] : undefined;
    return html`<section class="so-far" aria-labelledby="so-far-heading">
      <h2 id="so-far-heading">${t('Het verloop tot nu toe', 'The flow so far')}</h2>
      ${
        this.index === 0
          ? html`<p class="small muted">${t('Het diagram groeit met elke stap.', 'The diagram grows with each step.')}</p>`
          : renderDiagram({
              lanes,
              rows: rows.slice(0, shown),
              currentSeq: current?.seq,
              currentToken: 'step',
              label: t('Stappen tot nu toe, oudste eerst', 'Steps so far, oldest first'),
              onSelect: (seq) => this.goToStep(this.model.steps.findIndex((e) => e.seq === seq)),
            })
      }
    </section>`;
  }

  /** To the item that shows this step (a folded phase when it is folded). */
  private goToStep(step: number): void {
    const at = this.items.findIndex((it) =>
      it.kind === 'step' ? it.step === step : this.segments[it.segment]!.first <= step && step <= this.segments[it.segment]!.last,
    );
    if (at >= 0) this.go(at + 1);
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

  /** The current row of the diagram so far in view: only the diagram scrolls, never the page. */
  private scrollCurrentRowIntoView(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('.so-far .scroller');
    if (!scroller) return;
    const row = scroller.querySelector<HTMLElement>('[aria-current="step"]');
    if (!row) {
      scroller.scrollTop = scroller.scrollHeight;
      return;
    }
    const box = scroller.getBoundingClientRect();
    const r = row.getBoundingClientRect();
    if (r.bottom > box.bottom) scroller.scrollTop += r.bottom - box.bottom;
    else if (r.top < box.top) scroller.scrollTop -= box.top - r.top;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-presenter': ConsolePresenter;
  }
}
