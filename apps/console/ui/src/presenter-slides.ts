/**
 * The slides of presenter mode, one per step: the intro card, then per hop who calls whom, what, why,
 * the rule and "what to notice"; plus the sentence a screen reader hears when the step changes. Pure
 * rendering of one step; the stepping (which step, buttons, keys) is <console-presenter> in presenter.ts.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ScenarioRun, TraceEvent } from '@medmij-sandbox/console-api';
import { outcomeText, reasonOf, ruleOf, shownText } from './diagram.ts';
import { bi, t } from '@medmij-sandbox/ui/i18n';
import type { PresenterModel, ScenarioCheck } from './presenter-model.ts';
import { laneKey, laneOf, splitUrl, toneOf } from './sequence.ts';

function laneLabel(host: string): string {
  return laneOf(laneKey(host)).label;
}

function who(e: TraceEvent): string {
  if (e.kind === 'decision') return t(`Besluit van ${laneLabel(e.reportedBy)}`, `Decision by ${laneLabel(e.reportedBy)}`);
  return t(`${laneLabel(e.from)} naar ${laneLabel(e.to)}`, `${laneLabel(e.from)} to ${laneLabel(e.to)}`);
}

function headlineText(e: TraceEvent): string {
  const { path } = splitUrl(e.url);
  if (e.kind === 'http') return `${e.method ?? 'GET'} ${path} → ${e.status ?? '✕'}`;
  if (e.kind === 'tls') return `TLS ${e.tls?.verdict ?? '?'}${e.method && e.url ? ` (${e.method} ${path})` : ''}`;
  return `${t('Besluit', 'Decision')}: ${outcomeText(e.outcome)}`;
}

/**
 * What a screen reader hears after the position ("stap 3 van 17") when the step changes. An event's own English
 * words (where the catalogue does not know them) are marked `lang=en`, so it reads them as English.
 */
export function stepAnnouncement(run: ScenarioRun, model: PresenterModel, index: number): TemplateResult | string {
  if (index === 0) return `: ${bi(run.title)}`;
  const e = model.steps[index - 1]!;
  const notices = model.notices.get(e.seq) ?? [];
  const reason = e.kind !== 'decision' ? reasonOf(e) : undefined;
  const parts: Array<TemplateResult | string> = [
    `: ${who(e)}.`,
    `${headlineText(e)}.`,
    ...(reason?.text ? [shownText(reason)] : []),
    ...notices.map((c) => `${t('Let op', 'Notice')}: ${bi(c.what)}.`),
  ];
  return html`${parts.map((p, i) => html`${i ? ' ' : ''}${p}`)}`;
}

/** The intro card: what the scenario is about and its rule, before the first hop. */
export function renderIntro(run: ScenarioRun, stepCount: number): TemplateResult {
  return html`<section class="card slide intro" aria-labelledby="slide-heading" data-testid="slide">
    <h2 id="slide-heading">${t('Waar gaat het om?', 'What is this about?')}</h2>
    <p class="teaches">${bi(run.teaches)}</p>
    <p class="rule">${t('Regel', 'Rule')}: <span>${bi(run.rule)}</span></p>
    <p class="small">
      ${
        stepCount === 0
          ? t('Deze run heeft geen netwerkverkeer om te tonen.', 'This run has no network traffic to show.')
          : t(
              `${stepCount} stappen: elke stap is één verzoek tussen twee deelnemers of één besluit. Druk op Volgende om te beginnen.`,
              `${stepCount} steps: each step is one request between two participants, or one decision. Press Next to begin.`,
            )
      }
    </p>
  </section>`;
}

/**
 * The card of one step: who calls whom (or who decided), what (method, path and status; the TLS verdict;
 * the decision), why, the rule, and "what to notice" when one of the run's checks matched it.
 */
export function renderStep(e: TraceEvent, notices: ScenarioCheck[]): TemplateResult {
  const tone = toneOf(e);
  // Why and the rule, in the UI language from the rule catalogue (the event's own words are English).
  const reason = reasonOf(e);
  const rule = ruleOf(e);
  const { path, query } = splitUrl(e.url);
  const headline =
    e.kind === 'http'
      ? html`${e.method ?? 'GET'} ${path}${query ? html` <span class="query">${query.length > 60 ? `${query.slice(0, 60)}…` : query}</span>` : nothing} → ${
          e.status ?? '✕'
        }`
      : html`${headlineText(e)}`;
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
    ${reason ? html`<p class="reason">${shownText(reason)}</p>` : nothing}
    ${e.kind === 'tls' && e.tls?.peerSubject ? html`<p class="small">${t('Certificaat', 'Certificate')}: <span lang="zxx">${e.tls.peerSubject}</span></p>` : nothing}
    ${rule ? html`<p class="rule">${t('Regel', 'Rule')}: ${shownText(rule)}</p>` : nothing}
    ${
      notices.length
        ? html`<div class="notice" data-testid="notice">
          <p class="label">${t('Let op', 'What to notice')}</p>
          <ul>
            ${notices.map(
              (c) => html`<li>
                <span>${bi(c.what)}</span>
                <span class="state">(${c.ok ? t('✓ gecontroleerd', '✓ checked') : t('✗ controle niet gehaald', '✗ check not met')})</span>
              </li>`,
            )}
          </ul>
        </div>`
        : nothing
    }
  </section>`;
}
