/**
 * Resetting the live network from the trainers' catalogue: "Sandbox resetten", a confirmation ("Weet je
 * het zeker?", Escape or Annuleren cancels), busy while the console resets (POST /api/sandbox/reset), then
 * what it put back. A part of <console-scenarios-page> with its own state and render, because it is
 * the one part of the page about the live network rather than about scenario runs; focus stays on the
 * reset button (or moves to "Ja, resetten") as the steps change.
 */
import { html, nothing, type LitElement, type TemplateResult } from 'lit';
import { api } from './client.ts';
import { failureText } from '@medmij-sandbox/ui/api';
import { bi, t } from '@medmij-sandbox/ui/i18n';
import type { Bilingual } from '@medmij-sandbox/console-api';
import { scenariosUnavailable } from './scenario-store.ts';

export class SandboxReset {
  private step: 'idle' | 'confirm' | 'busy' = 'idle';
  /** What the last reset put back. */
  private done: Bilingual[] | undefined;
  private error = '';

  /** `host` renders `render()`; `onUnavailable`: the reset found no scenario service (the console runs without the sandbox's composition root). */
  constructor(
    private readonly host: LitElement,
    private readonly onUnavailable: () => void,
  ) {}

  private focus(selector: string): void {
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLButtonElement>(selector)?.focus());
  }

  private ask(): void {
    if (this.step !== 'idle') return;
    this.step = 'confirm';
    this.error = '';
    this.host.requestUpdate();
    this.focus('#reset-confirm');
  }

  private cancel(): void {
    this.step = 'idle';
    this.host.requestUpdate();
    this.focus('#reset');
  }

  private async reset(): Promise<void> {
    this.step = 'busy';
    this.done = undefined;
    this.error = '';
    this.host.requestUpdate();
    // Focus stays on the reset button (aria-disabled while busy), not lost with the confirmation.
    this.focus('#reset');
    try {
      this.done = (await api.resetSandbox()).done;
    } catch (e) {
      if (scenariosUnavailable(e)) this.onUnavailable();
      this.error = failureText(e);
    }
    this.step = 'idle';
    this.host.requestUpdate();
  }

  /** The "Het live netwerk" card. */
  render(): TemplateResult {
    const step = this.step;
    const busy = step === 'busy';
    return html`<section class="card side" aria-labelledby="reset-heading" aria-busy=${busy ? 'true' : 'false'}>
      <h2 id="reset-heading">${t('Het live netwerk', 'The live network')}</h2>
      <p class="small">
        ${t(
          'Na een demonstratie op het live netwerk (een certificaat ingetrokken, de klok verzet, een lijst bevroren): zet alles terug. Ingetrokken of verlopen certificaten worden opnieuw uitgegeven, de lijsten van de stelselnode gaan terug naar de topologie en de sandboxklok terug naar de echte tijd.',
          "After a demonstration on the live network (a certificate revoked, the clock shifted, a list frozen): put everything back. Revoked or expired certificates are reissued, the stelselnode's lists go back to the topology and the sandbox clock back to real time.",
        )}
      </p>
      ${
        step === 'confirm'
          ? html`<div
            class="confirm"
            role="group"
            aria-labelledby="reset-question"
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                this.cancel();
              }
            }}
          >
            <p id="reset-question">
              <strong>${t('Weet je het zeker?', 'Are you sure?')}</strong>
              ${t('Het live netwerk gaat terug naar de beginstand; lopende ophaalacties kunnen mislukken.', 'The live network goes back to its initial state; collections under way may fail.')}
            </p>
            <div class="actions">
              <button id="reset-confirm" class="btn danger" type="button" @click=${() => void this.reset()}>${t('Ja, resetten', 'Yes, reset')}</button>
              <button class="btn secondary" type="button" @click=${() => this.cancel()}>${t('Annuleren', 'Cancel')}</button>
            </div>
          </div>`
          : html`<button id="reset" class="btn danger big" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.ask()}>
            ${t('Sandbox resetten', 'Reset sandbox')}${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
          </button>`
      }
      <div class="reset-result" role="status">
        ${
          busy
            ? html`<p class="small">${t('Bezig met resetten…', 'Resetting…')}</p>`
            : this.done
              ? html`<p class="small"><strong>${t('Sandbox gereset', 'Sandbox reset')}:</strong></p>
                ${
                  this.done.length
                    ? // What the reset did, in the UI's language (POST /api/sandbox/reset answers both).
                      html`<ul class="small">
                      ${this.done.map((line) => html`<li>${bi(line)}</li>`)}
                    </ul>`
                    : html`<p class="small">${t('Er was niets terug te zetten.', 'There was nothing to put back.')}</p>`
                }`
              : nothing
        }
      </div>
      ${this.error ? html`<p class="error" role="alert">${t('Resetten is niet gelukt', 'The reset failed')}: ${this.error}</p>` : nothing}
    </section>`;
  }
}
