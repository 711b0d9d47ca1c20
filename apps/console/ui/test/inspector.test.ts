import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../src/inspector.ts';
import type { ConsoleInspector } from '../src/inspector.ts';
import type { TraceEvent } from '@medmij-sandbox/console-api';
import { api } from '../src/client.ts';
import { setLang } from '@medmij-sandbox/ui/i18n';
import { DVZA_RULES, ruleText, say } from '@medmij-sandbox/rules';
import { axeViolations, deepText, mount } from '@medmij-sandbox/ui/testing';
import { REFUSED_HANDSHAKE, REFUSED_HANDSHAKE_RULE, STALE, TRACE_ID, flowEvents } from './trace-fixture.ts';

async function show(traceId = ''): Promise<ConsoleInspector> {
  return mount<ConsoleInspector>('console-inspector', { events: flowEvents() }, traceId ? { 'trace-id': traceId } : {});
}

const inspector = () => page.getByTestId('inspector');

/** A trace stream the console closes at once (it answered 401 operator_required: EventSource does not say why). */
class RefusedEventSource {
  static readonly CLOSED = 2;
  readyState = 2;
  addEventListener(type: string, listener: () => void): void {
    if (type === 'error') queueMicrotask(listener);
  }
  close(): void {}
}

describe('<console-inspector>', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    // The language is stored for the whole browser: the next test file starts in Dutch.
    setLang('nl');
  });

  it('live, in a browser that is no operator: says the trace is for the operator and how to get the link', async () => {
    vi.stubGlobal('EventSource', RefusedEventSource);
    const asked = vi.spyOn(api, 'operator').mockResolvedValue({ role: null, pgos: [] });
    await mount<ConsoleInspector>('console-inspector', {}, { live: '' });
    const status = page.getByRole('status');
    await expect.element(status.getByText('Alleen voor de operator')).toBeVisible();
    await expect.element(status.getByText(/npm run sandbox -- operator/)).toBeVisible();
    await expect.element(inspector().getByText('Geen toegang tot de netwerktrace.')).toBeVisible();
    expect(asked).toHaveBeenCalled();
    expect(await axeViolations()).toEqual([]);
  });

  it('shows one button per hop, named "<METHOD> <path> → <status>", once per hop', async () => {
    await show(TRACE_ID);
    const rows = inspector().getByRole('button');
    await expect.element(inspector().getByRole('button', { name: /POST \/oauth\/token → 200/ })).toBeVisible();
    await expect.element(inspector().getByRole('button', { name: /GET \/oauth\/authorize → 302/ })).toBeVisible();
    expect(
      inspector()
        .getByRole('button', { name: /POST \/oauth\/token/ })
        .all(),
    ).toHaveLength(1);
    // Filtered to the flow: the other flow's curl call is not shown.
    expect(inspector().getByRole('button', { name: /curl/ }).all()).toHaveLength(0);
    expect(rows.all().length).toBe(10); // 9 tagged hops and decisions, 1 inferred browser hop
  });

  it('opens the details of a hop: status, headers of the other side, TLS verdict, decoded body', async () => {
    await show(TRACE_ID);
    await inspector()
      .getByRole('button', { name: /POST \/oauth\/token → 200/ })
      .click();
    const details = page.getByRole('region', { name: /Details #11/ });
    await expect.element(details).toBeVisible();
    await expect.element(details.getByText('"token_type": "Bearer"', { exact: false }).first()).toBeVisible();
    await expect.element(details.getByText(/Certificaat van de server/)).toBeVisible();
    await expect.element(details.getByText(/Certificaat van de client/)).toBeVisible();
    await expect.element(details.getByText('application/x-www-form-urlencoded')).toBeVisible();
    expect(await axeViolations()).toEqual([]);
  });

  it('marks a refused TLS hop and shows its verdict', async () => {
    await show(TRACE_ID);
    const revoked = inspector().getByRole('button', { name: /CERT_REVOKED/ });
    await expect.element(revoked).toHaveClass(/tone-bad/);
    await revoked.click();
    await expect.element(page.getByRole('region', { name: /Details/ }).getByText('CERT_REVOKED', { exact: true })).toBeVisible();
  });

  it('is usable with the keyboard: arrows move between rows, Enter opens, Escape closes', async () => {
    await show(TRACE_ID);
    const first = inspector().getByRole('button').first();
    (first.element() as HTMLButtonElement).focus();
    await userEvent.keyboard('{ArrowDown}');
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('region', { name: /Details #4/ })).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect.element(page.getByRole('region', { name: /Details/ })).not.toBeInTheDocument();
  });

  it('filters: all flows, and decisions hidden', async () => {
    await show(TRACE_ID);
    await page.getByLabelText('Flow (trace-ID)').selectOptions('');
    await expect.element(inspector().getByRole('button', { name: /curl/ })).toBeVisible();
    await page.getByLabelText('Verberg besluiten').click();
    expect(
      inspector()
        .getByRole('button', { name: /Besluit van/ })
        .all(),
    ).toHaveLength(0);
  });

  it('links the exports of the flow', async () => {
    await show(TRACE_ID);
    await expect.element(page.getByRole('link', { name: /Mermaid/ })).toHaveAttribute('href', `/api/trace/export?traceId=${TRACE_ID}&format=mermaid`);
    await expect.element(page.getByRole('link', { name: /HAR/ })).toHaveAttribute('download');
  });

  it('exports a snapshot (a scenario run) from its own events, not from the server', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:snapshot';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await mount<ConsoleInspector>('console-inspector', { events: flowEvents(), snapshot: true, exportName: 'scenario-x' });
    expect(page.getByRole('link', { name: /Mermaid/ }).all()).toHaveLength(0);
    await page.getByRole('button', { name: 'Exporteer als JSON' }).click();
    expect(click).toHaveBeenCalledTimes(1);
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('scenario-x.json');
    expect(JSON.parse(await created[0]!.text())).toEqual(flowEvents());
  });

  it('opens an event on request, also one the diagram does not show (the callee’s report of a hop)', async () => {
    const el = await show(TRACE_ID);
    await el.select(10);
    await expect.element(page.getByRole('region', { name: 'Details #10' })).toBeVisible();
    await el.select(11);
    await expect.element(inspector().getByRole('button', { name: /POST \/oauth\/token → 200/ })).toHaveAttribute('aria-current', 'true');
  });

  it("marks a DVZA's or the TVS's event that holds a BSN as their domain (SPEC §10.6), and no other event", async () => {
    const at = (i: number) => new Date(Date.UTC(2026, 10, 23, 11, 0, 0, i * 40)).toISOString();
    const common = { traceId: 'bsn-flow', outcome: 'ok' as const };
    const events: TraceEvent[] = [
      // The DVZA's decision after DigiD: its reason names the BSN.
      {
        ...common,
        seq: 1,
        at: at(1),
        kind: 'decision',
        reportedBy: 'dekroon.dvza.localhost',
        from: 'tvs.localhost',
        to: 'dekroon.dvza.localhost',
        reason: 'DigiD login succeeded for Lou de Nijs (BSN 999995182) at level Substantieel',
      },
      // The TVS's decision: the BSN in its parameters only.
      {
        ...common,
        seq: 2,
        at: at(2),
        kind: 'decision',
        reportedBy: 'tvs.localhost',
        from: 'tvs.localhost',
        to: 'tvs.localhost',
        reason: 'DigiD login succeeded at level Substantieel',
        params: { bsn: '999995182', level: 'Substantieel' },
      },
      // A DVZA event without a BSN; nine digits that fail the 11-proef; a longer number.
      {
        ...common,
        seq: 3,
        at: at(3),
        kind: 'decision',
        reportedBy: 'dekroon.dvza.localhost',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        reason: 'searched Condition: 3 matches',
      },
      {
        ...common,
        seq: 4,
        at: at(4),
        kind: 'decision',
        reportedBy: 'dekroon.dvza.localhost',
        from: 'pgo.localhost',
        to: 'dekroon.dvza.localhost',
        reason: 'Volgnummer 999995183, at 1764500000000',
      },
      // The PGO's own event is not the DVZA's domain, whatever it holds.
      { ...common, seq: 5, at: at(5), kind: 'decision', reportedBy: 'pgo.localhost', from: 'pgo.localhost', to: 'pgo.localhost', reason: 'policy 123456782' },
    ];
    await mount<ConsoleInspector>('console-inspector', { events }, { 'trace-id': 'bsn-flow' });
    const badges = () =>
      inspector()
        .getByTestId('bsn-domain')
        .all()
        .map((b) => b.element().closest('button')!.getAttribute('data-seq'));
    await expect.poll(badges).toEqual(['1', '2']);
    expect(
      inspector()
        .getByTestId('bsn-domain')
        .all()
        .map((b) => b.element().textContent),
    ).toEqual(['DVZA-domein', 'TVS-domein']);
    await inspector()
      .getByRole('button', { name: /DVZA-domein/ })
      .click();
    const details = page.getByTestId('details-bsn-domain');
    await expect.element(details).toHaveTextContent(/DVZA-domein Bevat een BSN: dat kennen de TVS en de DVZA, een PGO mag het niet verwerken/);
    expect(await axeViolations()).toEqual([]);
    setLang('en');
    await expect.element(details).toHaveTextContent(/DVZA's domain Holds a BSN: the TVS and the DVZA know it, a PGO may not process it/);
    setLang('nl');
  });

  it("says each event's reason and rule in the UI language, from the rule catalogue by ruleId and params", async () => {
    const el = await show(TRACE_ID);
    const stale = STALE.reason;
    // The diagram: a decision's row is its reason, the rule below it; a hop explains itself below the arrow.
    await expect.element(inspector().getByRole('button', { name: new RegExp(`Besluit van DVZA dekroon: ${say(STALE, 'nl').slice(0, 40)}`) })).toBeVisible();
    expect(deepText(el)).toContain(ruleText(stale.rule!, 'nl'));
    expect(deepText(el)).not.toContain(say(STALE, 'en'));
    // The details: the reason, and the rule of a reason that has none of its own (the event's rule, by its English text).
    await el.select(13);
    const details = page.getByRole('region', { name: 'Details #13' });
    await expect.element(details.getByText(say(REFUSED_HANDSHAKE, 'nl'), { exact: true })).toBeVisible();
    await expect.element(details.getByText(`Regel: ${ruleText(REFUSED_HANDSHAKE_RULE, 'nl')}`)).toBeVisible();
    // A hop that only cites a rule: that rule.
    await el.select(11);
    await expect.element(page.getByRole('region', { name: 'Details #11' }).getByText(`Regel: ${ruleText(DVZA_RULES.codeSingleUse, 'nl')}`)).toBeVisible();
    expect(await axeViolations()).toEqual([]);
    setLang('en');
    await expect.element(page.getByRole('region', { name: 'Details #11' }).getByText(`Rule: ${ruleText(DVZA_RULES.codeSingleUse, 'en')}`)).toBeVisible();
    await el.select(13);
    await expect.element(page.getByRole('region', { name: 'Details #13' }).getByText(say(REFUSED_HANDSHAKE, 'en'), { exact: true })).toBeVisible();
    setLang('nl');
  });

  it('shows the own (English) words of an event without a ruleId, marked as English', async () => {
    const at = new Date(Date.UTC(2026, 10, 23, 11, 0, 0)).toISOString();
    const events: TraceEvent[] = [
      {
        seq: 1,
        at,
        traceId: 'old',
        kind: 'decision',
        reportedBy: 'pgo.localhost',
        from: 'pgo.localhost',
        to: 'pgo.localhost',
        outcome: 'refused',
        reason: 'collection refused at step token: CERT_REVOKED',
        rule: 'SPEC §4 two-sided TLS',
      },
    ];
    const el = await mount<ConsoleInspector>('console-inspector', { events }, { 'trace-id': 'old' });
    await el.select(1);
    const details = page.getByRole('region', { name: 'Details #1' });
    await expect.element(details.getByText('collection refused at step token: CERT_REVOKED', { exact: true })).toHaveAttribute('lang', 'en');
    await expect.element(details.getByText('SPEC §4 two-sided TLS', { exact: true })).toHaveAttribute('lang', 'en');
  });

  it('has no axe violations', async () => {
    await show();
    expect(await axeViolations()).toEqual([]);
  });
});
