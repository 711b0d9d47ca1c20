/**
 * <console-trace-file-page> (`#/trace`): a trace from a file, browsed in the inspector like the live one — a saved
 * JSON export, the sandbox's .sandbox/trace/trace.jsonl, or a scenario's golden trace (trace-file.ts reads them).
 * The file stays in this browser tab: nothing is sent to the console server.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Bilingual, TraceEvent } from '@medmij-sandbox/console-api';
import { LangController, bi, t } from '@medmij-sandbox/ui/i18n';
import { shared } from '@medmij-sandbox/ui/styles';
import './inspector.ts';
import { parseTraceFile } from './trace-file.ts';

@customElement('console-trace-file-page')
export class ConsoleTraceFilePage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .pick {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin: 1rem 0;
      }
    `,
  ];

  private readonly langController = new LangController(this);
  @state() private loaded: { name: string; events: TraceEvent[]; golden: boolean } | undefined;
  @state() private error: Bilingual | undefined;

  private async pick(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const read = parseTraceFile(await file.text(), file.name);
    if ('error' in read) {
      // The trace shown before stays: a wrong file loses nothing.
      this.error = read.error;
      return;
    }
    this.error = undefined;
    this.loaded = { name: file.name, events: read.events, golden: read.kind === 'golden' };
  }

  override render() {
    void this.langController;
    const loaded = this.loaded;
    return html`<h1>${t('Trace laden', 'Load a trace')}</h1>
      <p>
        ${t(
          'Bekijk een opgeslagen trace in de inspecteur: een JSON-export van de console, .sandbox/trace/trace.jsonl van de sandbox of een goldenbestand van een scenario (scenarios/golden/). Het bestand blijft in dit tabblad; er gaat niets naar de server.',
          "Browse a saved trace in the inspector: a JSON export of the console, the sandbox's .sandbox/trace/trace.jsonl or a scenario's golden file (scenarios/golden/). The file stays in this tab; nothing goes to the server.",
        )}
      </p>
      <div class="pick">
        <label for="trace-file">${t('Kies een tracebestand', 'Choose a trace file')}</label>
        <input id="trace-file" type="file" accept=".json,.jsonl,application/json" @change=${(e: Event) => void this.pick(e)} />
      </div>
      ${this.error ? html`<p class="error" role="alert">${bi(this.error)}</p>` : nothing}
      <p role="status">
        ${
          loaded
            ? t(
                `${loaded.name}: ${loaded.events.length} gebeurtenissen${loaded.golden ? ' (een golden trace: zonder tijden en ids)' : ''}.`,
                `${loaded.name}: ${loaded.events.length} events${loaded.golden ? ' (a golden trace: without times and ids)' : ''}.`,
              )
            : nothing
        }
      </p>
      ${
        loaded
          ? html`<console-inspector
              snapshot
              .events=${loaded.events}
              export-name=${loaded.name.replace(/\.(json|jsonl)$/i, '')}
              heading=${t('Geladen trace', 'Loaded trace')}
            ></console-inspector>`
          : nothing
      }`;
  }
}
