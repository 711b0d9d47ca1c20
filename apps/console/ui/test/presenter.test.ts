/**
 * <console-presenter>: one hop at a time, with the intro card, the buttons and keys, the "what to notice" line
 * of the checks that matched a hop, the diagram so far, and an announcement of each step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { setLang } from '@medmij-sandbox/ui/i18n';
import '../src/presenter.ts';
import { presenterModel } from '../src/presenter-model.ts';
import type { ConsolePresenter } from '../src/presenter.ts';
import { ruleText, say } from '@medmij-sandbox/rules';
import { axeViolations, mount } from './helpers.ts';
import { AUTHORIZATION_REQUEST, CERT_REFUSED, CERT_REFUSED_RULE, REVOKED, REVOKED_STEP_SEQS, revokedRun } from './scenario-fixture.ts';

const STEPS = REVOKED_STEP_SEQS.length;

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

  it('starts with an intro card: title, what it teaches, the rule', async () => {
    const el = await show();
    await expect.element(page.getByRole('heading', { level: 1, name: REVOKED.title.nl })).toBeVisible();
    await expect.element(slide().getByText(REVOKED.teaches.nl)).toBeVisible();
    await expect.element(slide().getByText(REVOKED.rule.nl)).toBeVisible();
    await expect.element(page.getByText(`introductie · ${STEPS} stappen`)).toBeVisible();
    await expect.element(previous()).toHaveAttribute('aria-disabled', 'true');
    expect(el.step).toBe(0);
    expect(soFarRows(el)).toHaveLength(0);
    expect(await axeViolations()).toEqual([]);
  });

  it('goes forward and back with Volgende and Vorige, one hop at a time', async () => {
    const el = await show();
    await next().click();
    await expect.element(page.getByText(`stap 1 van ${STEPS}`)).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Browser naar PGO' })).toBeVisible();
    await expect.element(slide().getByText('POST /api/collect → 200')).toBeVisible();
    await next().click();
    await expect.element(page.getByText(`stap 2 van ${STEPS}`)).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'PGO naar Stelselnode' })).toBeVisible();
    await expect.element(slide().getByText('GET /MedMij_Zorgaanbiederslijst.xml → 200')).toBeVisible();
    // The diagram so far: every hop up to this one, the current one marked.
    expect(soFarRows(el).map((r) => r.dataset.seq)).toEqual(['2', '3']);
    expect(soFarRows(el).map((r) => r.getAttribute('aria-current'))).toEqual(['false', 'step']);
    await previous().click();
    await expect.element(page.getByText(`stap 1 van ${STEPS}`)).toBeVisible();
    expect(soFarRows(el)).toHaveLength(1);
    // A decision: who decided, and why.
    await next().click();
    await next().click();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Besluit van PGO' })).toBeVisible();
    await expect.element(slide().getByText(say(AUTHORIZATION_REQUEST, 'nl'))).toBeVisible();
    await expect.element(slide().getByText(ruleText(AUTHORIZATION_REQUEST.reason.rule!, 'nl'))).toBeVisible();
    expect(await axeViolations()).toEqual([]);
  });

  it('follows the keyboard: ArrowRight/Space next, ArrowLeft previous, Home the intro, End the last hop', async () => {
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
    await expect.element(page.getByText(`stap ${STEPS} van ${STEPS}`)).toBeVisible();
    await expect.element(next()).toHaveAttribute('aria-disabled', 'true');
    (next().element() as HTMLButtonElement).click(); // at the end: stays (aria-disabled keeps the focus)
    expect(el.step).toBe(STEPS);
    await userEvent.keyboard('{Home}');
    expect(el.step).toBe(0);
    await expect.element(slide().getByText(REVOKED.teaches.nl)).toBeVisible();
    await userEvent.keyboard('{ArrowLeft}'); // at the start: stays
    expect(el.step).toBe(0);
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
    const refused = REVOKED_STEP_SEQS.indexOf(17) + 1;
    el.go(refused);
    await expect.element(page.getByText(`stap ${refused} van ${STEPS}`)).toBeVisible();
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
    el.go(1);
    await expect.element(page.getByTestId('notice')).not.toBeInTheDocument();
    el.go(REVOKED_STEP_SEQS.indexOf(9) + 1);
    await expect.element(page.getByTestId('notice').getByText('het artefact inwisselen over mTLS')).toBeVisible();
  });

  it('announces each step in a live region', async () => {
    await show();
    await next().click();
    const status = page.getByRole('status');
    await expect.element(status).toHaveTextContent(`stap 1 van ${STEPS}: Browser naar PGO. POST /api/collect → 200.`);
    await userEvent.keyboard('{End}');
    await expect.element(status).toHaveTextContent(/stap 13 van 13: Besluit van PGO\. Besluit: geweigerd\./);
  });

  it('jumps to a hop chosen in the diagram so far', async () => {
    const el = await show();
    el.go(5);
    await el.updateComplete;
    soFarRows(el)[1]!.click();
    await expect.element(page.getByText(`stap 2 van ${STEPS}`)).toBeVisible();
  });

  it('speaks English on request', async () => {
    await show();
    setLang('en');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.element(page.getByText(`step 1 of ${STEPS}`)).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Previous' })).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Browser to PGO' })).toBeVisible();
  });
});
