/**
 * <console-presenter .run>: presenter mode for trainers. Full width and large type, it steps through a
 * scenario run's hops one at a time: an intro card (title, what it teaches, the rule), then per hop who
 * calls whom, what (method/path/status, the TLS verdict, or the decision), why (`reason`), the spec rule,
 * and — when one of the run's checks matched that event — "what to notice", highlighted. Below it the
 * diagram so far (the inspector's diagram), the current row marked.
 *
 * Keys (anywhere on the page, not while typing): ArrowRight, Space or PageDown next; ArrowLeft or
 * PageUp previous (presentation clickers send PageDown/PageUp); Home the intro; End the last hop.
 *
 * This element does the stepping (the current step, Vorige/Volgende, the keys of presenter-keys.ts, the
 * live region) and the layout (the diagram so far, full screen). What the steps are is presenter-model.ts;
 * how one step looks is presenter-slides.ts.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ScenarioRun } from '@medmij-sandbox/console-api';
import { diagramStyles, renderDiagram } from './diagram.ts';
import { LangController, t } from '@medmij-sandbox/ui/i18n';
import { stepForKey } from './presenter-keys.ts';
import { presenterModel, type PresenterModel } from './presenter-model.ts';
import { renderIntro, renderStep, stepAnnouncement } from './presenter-slides.ts';
import { scenarioHash } from './router.ts';
import { SANDBOX_TEXT_LANG } from './scenario-store.ts';
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
    if (!this.run) return;
    const step = stepForKey(ev, this.index, this.stepCount);
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
    const n = this.stepCount;
    if (this.index === 0) return t(`introductie · ${n} ${n === 1 ? 'stap' : 'stappen'}`, `introduction · ${n} ${n === 1 ? 'step' : 'steps'}`);
    return t(`stap ${this.index} van ${n}`, `step ${this.index} of ${n}`);
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
        <div class="position" role="status"><span>${this.positionText()}</span><span class="visually-hidden">${this.moved ? stepAnnouncement(run, this.model, this.index) : ''}</span></div>
        <div class="progress" aria-hidden="true"><span ${styleProps({ width: `${n ? (100 * this.index) / n : 0}%` })}></span></div>
        <button class="btn" type="button" aria-disabled=${this.index >= n ? 'true' : 'false'} @click=${() => this.go(this.index + 1)}>
          ${t('Volgende', 'Next')} <span aria-hidden="true">→</span>
        </button>
      </div>
      ${current ? renderStep(current, this.model.notices.get(current.seq) ?? []) : renderIntro(run, this.stepCount)}
      ${this.renderSoFar()}
    `;
  }

  private renderSoFar(): TemplateResult {
    const { lanes, rows } = buildDiagram(this.model.steps, undefined, this.run?.events);
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
    'console-presenter': ConsolePresenter;
  }
}
