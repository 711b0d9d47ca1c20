/**
 * <console-presenter>: the intro card; the run in phases, each folded to one step with its count unless it holds a
 * key hop (a check matched it), which then shows its hops one at a time; the jump to the next key hop; the buttons and
 * keys; the "what to notice" line; the diagram so far; the closing card; an announcement of each step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { setLang } from '@medmij-sandbox/ui/i18n';
import '../src/presenter.ts';
import { nextKeyPosition, phaseOf, phaseSegments, presenterItems, presenterModel } from '../src/presenter-model.ts';
import type { ConsolePresenter } from '../src/presenter.ts';
import { ruleText, say } from '@medmij-sandbox/rules';
import { axeViolations, mount } from '@medmij-sandbox/ui/testing';
import { AUTHORIZATION_REQUEST, CERT_REFUSED, CERT_REFUSED_RULE, REVOKED, REVOKED_STEP_SEQS, revokedRun } from './scenario-fixture.ts';

const STEPS = REVOKED_STEP_SEQS.length;
/** The revoked run in phases: lijsten (3 hops) and autorisatie (2) folded, DigiD, toestemming and token one by one. */
const ITEMS = 10;
/** Position of the first key hop (the artifact resolution, #9) and of the refused handshake (#17). */
const FIRST_KEY = 4;
const REFUSED = 9;

async function show(): Promise<ConsolePresenter> {
  return mount<ConsolePresenter>('console-presenter', { run: revokedRun() });
}

const next = () => page.getByRole('button', { name: 'Volgende' });
const previous = () => page.getByRole('button', { name: 'Vorige' });
const slide = () => page.getByTestId('slide');
const soFarRows = (el: ConsolePresenter) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.so-far button.row')];

describe('presenter model', () => {
  it('steps through the hops a person should see, plus decisions, as the inspector de-duplicates them', () => {
    const { steps } = presenterModel(revokedRun());
    expect(steps.map((e) => e.seq)).toEqual(REVOKED_STEP_SEQS);
    expect(steps.some((e) => e.url === '/api/session')).toBe(false); // the app's own API call
    expect(steps.filter((e) => e.url === '/token')).toHaveLength(1); // one report per hop
    expect(steps.filter((e) => e.kind === 'decision')).toHaveLength(4);
  });

  it('puts each check on the step it matched, or on the shown report of that hop', () => {
    const { notices } = presenterModel(revokedRun());
    expect(notices.get(17)?.map((c) => c.what.en)).toEqual(['the PGO refuses the handshake']);
    expect(notices.get(13)?.map((c) => c.what.en)).toEqual(['the person consented']);
    // Matched #10 (the TVS's report of the hop); shown as #9 (the DVZA's).
    expect(notices.get(9)?.map((c) => c.what.en)).toEqual(['artifact resolution over mTLS']);
    expect(notices.has(10)).toBe(false);
  });

  it('puts each step in its phase, and a step that says nothing by itself in the phase around it', () => {
    const model = presenterModel(revokedRun());
    expect(model.steps.map((e) => phaseOf(e) ?? '-')).toEqual([
      '-',
      'lijsten',
      '-',
      'autorisatie',
      'autorisatie',
      'digid',
      'digid',
      'toestemming',
      'toestemming',
      'token',
      '-',
      'token',
      '-',
    ]);
    const segments = phaseSegments(model);
    expect(segments.map((s) => [s.phase, s.last - s.first + 1, s.key])).toEqual([
      ['lijsten', 3, false],
      ['autorisatie', 2, false],
      ['digid', 2, true],
      ['toestemming', 2, true],
      ['token', 4, true],
    ]);
    const items = presenterItems(segments);
    expect(items).toHaveLength(ITEMS);
    expect(items.slice(0, 2).map((it) => it.kind)).toEqual(['phase', 'phase']);
    // From the start, the first key hop is one jump away; after the last one there is none.
    expect(nextKeyPosition(items, model, 0)).toBe(FIRST_KEY);
    expect(nextKeyPosition(items, model, FIRST_KEY)).toBe(6);
    expect(nextKeyPosition(items, model, REFUSED)).toBeUndefined();
    // Unfolded by the trainer: the phase's hops one by one.
    expect(presenterItems(segments, new Set([0]))).toHaveLength(ITEMS + 2);
  });

  it('shows an event a check matched even when the inspector would hide it', () => {
    const run = revokedRun();
    const { steps, notices } = presenterModel({
      ...run,
      checks: [{ what: { en: 'the app asks for the session', nl: 'de app vraagt om de sessie' }, ok: true, message: { en: '#1', nl: '#1' }, seq: 1 }],
    });
    expect(steps[0]!.seq).toBe(1);
    expect(notices.get(1)).toHaveLength(1);
  });
});

describe('<console-presenter>', () => {
  afterEach(() => setLang('nl'));

  const firstKey = () => page.getByRole('button', { name: 'Naar het eerste kernmoment' });
  const nextKey = () => page.getByRole('button', { name: 'Volgend kernmoment' });

  it('starts with an intro card (title, what it teaches, the rule) and the phases as an outline with their counts', async () => {
    const el = await show();
    await expect.element(page.getByRole('heading', { level: 1, name: REVOKED.title.nl })).toBeVisible();
    await expect.element(slide().getByText(REVOKED.teaches.nl)).toBeVisible();
    await expect.element(slide().getByText(REVOKED.rule.nl)).toBeVisible();
    await expect.element(page.getByText(`introductie · ${ITEMS} stappen`)).toBeVisible();
    await expect.element(previous()).toHaveAttribute('aria-disabled', 'true');
    const phases = page.getByRole('navigation', { name: 'Fasen van deze run' });
    await expect.element(phases.getByRole('button', { name: 'Lijsten · 3', exact: true })).toBeVisible();
    await expect.element(phases.getByRole('button', { name: 'Autorisatie · 2', exact: true })).toBeVisible();
    await expect.element(phases.getByRole('button', { name: 'DigiD · 2 kernmoment' })).toBeVisible();
    await expect.element(phases.getByRole('button', { name: 'Token · 4 kernmoment' })).toBeVisible();
    expect(el.step).toBe(0);
    expect(soFarRows(el)).toHaveLength(0);
    expect(await axeViolations()).toEqual([]);
  });

  it('folds a phase without a key hop to one step with its count; the trainer can unfold it', async () => {
    const el = await show();
    await next().click();
    await expect.element(page.getByText(`stap 1 van ${ITEMS}`)).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Fase: Lijsten' })).toBeVisible();
    await expect.element(slide().getByText('3 stappen', { exact: true })).toBeVisible();
    // The diagram so far: every hop of the folded phase, none of them the current one.
    expect(soFarRows(el).map((r) => r.dataset.seq)).toEqual(['2', '3', '5']);
    expect(soFarRows(el).some((r) => r.getAttribute('aria-current') === 'step')).toBe(false);
    expect(await axeViolations()).toEqual([]);
    await page.getByRole('button', { name: 'Toon de 3 stappen' }).click();
    await expect.element(page.getByText(`stap 1 van ${ITEMS + 2}`)).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Browser naar PGO' })).toBeVisible();
    await expect.element(slide().getByText('POST /api/collect → 200')).toBeVisible();
    await next().click();
    await expect.element(page.getByRole('heading', { level: 2, name: 'PGO naar Stelselnode' })).toBeVisible();
    expect(soFarRows(el).map((r) => r.getAttribute('aria-current'))).toEqual(['false', 'step']);
    await next().click();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Besluit van PGO' })).toBeVisible();
    await expect.element(slide().getByText(say(AUTHORIZATION_REQUEST, 'nl'))).toBeVisible();
    await expect.element(slide().getByText(ruleText(AUTHORIZATION_REQUEST.reason.rule!, 'nl'))).toBeVisible();
    expect(await axeViolations()).toEqual([]);
    await previous().click();
    await expect.element(page.getByText(`stap 2 van ${ITEMS + 2}`)).toBeVisible();
  });

  it('reaches the first key hop in one step from the start, and the next ones with Volgend kernmoment or K', async () => {
    const el = await show();
    await firstKey().click();
    expect(el.step).toBe(FIRST_KEY);
    await expect.element(page.getByText(`stap ${FIRST_KEY} van ${ITEMS}`)).toBeVisible();
    await expect.element(page.getByRole('status').getByText('kernmoment')).toBeVisible();
    await expect.element(page.getByTestId('notice').getByText('het artefact inwisselen over mTLS')).toBeVisible();
    await nextKey().click();
    await expect.element(page.getByTestId('notice').getByText('de persoon gaf toestemming')).toBeVisible();
    await userEvent.keyboard('k');
    expect(el.step).toBe(REFUSED);
    // After the last key hop there is none to jump to.
    await expect.element(nextKey()).toHaveAttribute('aria-disabled', 'true');
  });

  it('follows the keyboard: ArrowRight/Space next, ArrowLeft previous, Home the intro, End the closing card', async () => {
    const el = await show();
    await userEvent.keyboard('{ArrowRight}');
    expect(el.step).toBe(1);
    await userEvent.keyboard(' ');
    expect(el.step).toBe(2);
    await userEvent.keyboard('{PageDown}');
    expect(el.step).toBe(3);
    await userEvent.keyboard('{ArrowLeft}');
    expect(el.step).toBe(2);
    await userEvent.keyboard('{End}');
    await expect.element(page.getByText('afsluiting', { exact: true })).toBeVisible();
    await expect.element(next()).toHaveAttribute('aria-disabled', 'true');
    (next().element() as HTMLButtonElement).click(); // at the end: stays (aria-disabled keeps the focus)
    expect(el.step).toBe(ITEMS + 1);
    await userEvent.keyboard('{Home}');
    expect(el.step).toBe(0);
    await expect.element(slide().getByText(REVOKED.teaches.nl)).toBeVisible();
    await userEvent.keyboard('{ArrowLeft}'); // at the start: stays
    expect(el.step).toBe(0);
  });

  it('ends with a closing card: what the PGO showed the person, and the checks', async () => {
    const el = await show();
    el.go(ITEMS + 1);
    await expect.element(page.getByRole('heading', { level: 2, name: 'Afsluiting: wat de PGO liet zien' })).toBeVisible();
    const shown = revokedRun()
      .events.filter((e) => e.kind === 'decision' && e.reportedBy === 'pgo.localhost')
      .at(-1)!;
    await expect.element(slide().getByText(shown.reason!, { exact: false })).toBeVisible();
    await expect.element(slide().getByText('6 van 6 controles klopten.')).toBeVisible();
    // The whole run in the diagram.
    expect(soFarRows(el)).toHaveLength(STEPS);
    expect(await axeViolations()).toEqual([]);
  });

  it('leaves Space on a focused button to the button (Vorige goes back, not forward)', async () => {
    const el = await show();
    el.go(3);
    await el.updateComplete;
    (previous().element() as HTMLButtonElement).focus();
    await userEvent.keyboard(' ');
    expect(el.step).toBe(2);
  });

  it('highlights what to notice when a check matched the hop', async () => {
    const el = await show();
    el.go(REFUSED);
    await expect.element(page.getByText(`stap ${REFUSED} van ${ITEMS}`)).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'PGO naar DVZA dekroon' })).toBeVisible();
    await expect.element(slide().getByText('TLS CERT_REVOKED (POST /oauth/token)')).toBeVisible();
    await expect.element(slide().getByText(say(CERT_REFUSED, 'nl'))).toBeVisible();
    await expect.element(slide().getByText(ruleText(CERT_REFUSED_RULE, 'nl'))).toBeVisible();
    const notice = page.getByTestId('notice');
    await expect.element(notice).toBeVisible();
    await expect.element(notice.getByText('Let op')).toBeVisible();
    await expect.element(notice.getByText('de PGO weigert de handshake')).toBeVisible();
    const style = getComputedStyle(notice.element());
    expect(style.borderTopWidth).toBe('3px');
    expect(style.backgroundColor).not.toBe('rgba(0, 0, 0, 0)');
    // The current row of the diagram so far is the refused handshake.
    const current = soFarRows(el).find((r) => r.getAttribute('aria-current') === 'step')!;
    expect(current.dataset.seq).toBe('17');
    expect(current.className).toContain('tone-bad');
    expect(await axeViolations()).toEqual([]);

    // A hop without a matching check has no such line; the check on the callee's report shows on the caller's.
    el.go(FIRST_KEY + 1);
    await expect.element(page.getByTestId('notice')).not.toBeInTheDocument();
    el.go(FIRST_KEY);
    await expect.element(page.getByTestId('notice').getByText('het artefact inwisselen over mTLS')).toBeVisible();
  });

  it('announces each step in a live region', async () => {
    await show();
    await next().click();
    const status = page.getByRole('status');
    await expect.element(status).toHaveTextContent(`stap 1 van ${ITEMS}: fase Lijsten, 3 stappen samengevat.`);
    await nextKey().click();
    await expect.element(status).toHaveTextContent(`stap ${FIRST_KEY} van ${ITEMS}`);
    await expect.element(status).toHaveTextContent(/DVZA dekroon naar TVS \(DigiD\)\. POST \/token → 200\./);
    await userEvent.keyboard('{End}');
    await expect.element(status).toHaveTextContent('afsluiting: afsluiting, wat de PGO liet zien.');
  });

  it('jumps to a hop chosen in the diagram so far, or to the folded phase that holds it', async () => {
    const el = await show();
    el.go(REFUSED);
    await el.updateComplete;
    soFarRows(el)[6]!.click();
    await expect.element(page.getByText(`stap ${FIRST_KEY} van ${ITEMS}`)).toBeVisible();
    soFarRows(el)[1]!.click();
    await expect.element(page.getByText(`stap 1 van ${ITEMS}`)).toBeVisible();
  });

  it('speaks English on request', async () => {
    await show();
    setLang('en');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect.element(page.getByText(`step 1 of ${ITEMS}`)).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Previous' })).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Phase: Lists' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Next key hop' })).toBeVisible();
  });
});
