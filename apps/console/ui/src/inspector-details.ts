/**
 * The inspector's details pane for one hop or decision: kind, outcome, from/to, who reported it, method,
 * URL, status, time and duration, trace and request id, the TLS peer certificate and verdict, headers,
 * the decoded body, what the other end of the same hop reported (`counterpartOf`), and the raw event.
 * Separate from <console-inspector> (the hop list and filters): it renders one event and keeps no state.
 */
import { html, nothing } from 'lit';
import type { TraceEvent } from '@medmij-sandbox/console-api';
import { bsnDomainOf } from './bsn-domain.ts';
import { bsnDomainWhy, domainLabel, outcomeText, reasonOf, ruleOf, shownText } from './diagram.ts';
import { formatClock, formatDate } from '@medmij-sandbox/ui/format';
import { t } from '@medmij-sandbox/ui/i18n';
import { counterpartOf, laneKey, laneOf, splitUrl } from './sequence.ts';

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

function renderTls(tls: NonNullable<TraceEvent['tls']>, title: string) {
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

function tlsTitle(e: TraceEvent): string {
  if (e.side === 'client') return t(`Certificaat van de server (${e.to})`, `Server certificate (${e.to})`);
  if (e.side === 'server') return t(`Certificaat van de client (${e.from})`, `Client certificate (${e.from})`);
  return t('TLS-certificaat', 'TLS certificate');
}

function renderHeaders(headers: Record<string, string>, title: string) {
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

/**
 * The details pane of one event (`id="details"`): what it was, who reported it, TLS, headers, the decoded
 * body, the other end's report of the same hop, and the raw event. `onClose` is the Sluiten button.
 */
export function renderHopDetails(e: TraceEvent, events: TraceEvent[], onClose: () => void) {
  const counterpart = counterpartOf(e, events);
  const { path, query } = splitUrl(e.url);
  const from = laneOf(laneKey(e.from));
  const to = laneOf(laneKey(e.to));
  return html`<section class="details" id="details" aria-labelledby="details-heading">
    <div class="details-head">
      <h3 id="details-heading">${t('Details', 'Details')} #${e.seq}</h3>
      <button class="btn secondary small" @click=${onClose}>${t('Sluiten', 'Close')}</button>
    </div>
    ${(() => {
      const domain = bsnDomainOf(e);
      return domain
        ? html`<p class="small" data-testid="details-bsn-domain"><span class="badge none">${domainLabel(domain)}</span> ${bsnDomainWhy()}</p>`
        : nothing;
    })()}
    ${(() => {
      // In the UI language from the rule catalogue (ruleId, params); the raw event below keeps the English words.
      const reason = reasonOf(e);
      const rule = ruleOf(e);
      return html`${reason ? html`<p class="reason">${shownText(reason)}</p>` : nothing}
      ${rule ? html`<p class="small muted">${t('Regel', 'Rule')}: ${shownText(rule)}</p>` : nothing}`;
    })()}
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
    ${e.tls ? renderTls(e.tls, tlsTitle(e)) : nothing}
    ${e.headers ? renderHeaders(e.headers, e.side === 'server' ? t('Headers (ontvangen)', 'Headers (received)') : t('Headers', 'Headers')) : nothing}
    ${e.responseHeaders ? renderHeaders(e.responseHeaders, t('Headers van het antwoord', 'Response headers')) : nothing}
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
            ${shownText(reasonOf(counterpart))}
          </p>
          ${counterpart.tls ? renderTls(counterpart.tls, tlsTitle(counterpart)) : nothing}
          ${counterpart.headers ? renderHeaders(counterpart.headers, t('Headers (ontvangen)', 'Headers (received)')) : nothing}
          ${counterpart.body !== undefined ? html`<pre tabindex="0" aria-label=${t('Inhoud', 'Body')}>${prettyBody(counterpart.body)}</pre>` : nothing}`
        : nothing
    }
    <details>
      <summary>${t('Ruwe gebeurtenis (JSON)', 'Raw event (JSON)')}</summary>
      <pre tabindex="0" aria-label=${t('Ruwe gebeurtenis', 'Raw event')}>${JSON.stringify(e, null, 2)}</pre>
    </details>
  </section>`;
}
