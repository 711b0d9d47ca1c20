/**
 * <pgo-collection-page>: loading a collection (api.collection stubbed, each answer given by the test when
 * it says so): "Laden…" until it is there, the error when it cannot be loaded, a newer collection winning
 * over an older answer still under way, and polling while the collection is pending (fake timers: the
 * test moves the clock, nothing waits on it).
 */
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import type { Collection } from '@medmij-sandbox/pgo-api';
import { ApiFailure, api } from '../src/client.ts';
import '../src/collection-page.ts';
import type { PgoCollectionPage } from '../src/collection-page.ts';
import { setLang } from '@medmij-sandbox/ui/i18n';
import { afterPendingCallbacks, axeViolations, deferred, mount } from '@medmij-sandbox/ui/testing';
import './fixture-types.ts';

const fixtures = inject('fixtures');
// Two collections from two care providers: the heading names the provider.
const A = fixtures.bgz;
const B = fixtures.vitals;

type Answer = Promise<Collection> | (() => Promise<Collection>);

/** Stubs api.collection: each call gets the next answer (a failure as a function, so it fails only when asked). */
function answers(...replies: Answer[]) {
  const queue = [...replies];
  return vi.spyOn(api, 'collection').mockImplementation(() => {
    const next = queue.shift();
    if (!next) return Promise.reject(new Error('no answer prepared'));
    return typeof next === 'function' ? next() : next;
  });
}

const CONSOLE = 'https://console.localhost:8760';

function show(id: string, consoleUrl = CONSOLE): Promise<PgoCollectionPage> {
  return mount<PgoCollectionPage>('pgo-collection-page', {}, { 'collection-id': id, ...(consoleUrl ? { 'console-url': consoleUrl } : {}) });
}

const loading = () => page.getByText('Laden…');
const collectedFrom = (c: Collection) => page.getByRole('heading', { level: 1, name: `Opgehaald bij ${c.displayName}` });

describe('<pgo-collection-page>', () => {
  beforeEach(() => {
    setLang('nl');
    // The PGO has no network trace of its own (the console has): nothing on this page may open a stream.
    vi.stubGlobal(
      'EventSource',
      class {
        constructor() {
          throw new Error('the PGO opened an EventSource');
        }
      },
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('shows "Laden…" while the collection loads, then the dossier and the flow’s network traffic', async () => {
    const reply = deferred<Collection>();
    const collection = answers(reply.promise);
    await show(A.id);
    await expect.element(loading()).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 1, name: 'Ophaalactie' })).toBeVisible();
    expect(collection).toHaveBeenCalledWith(A.id);

    reply.resolve(A);
    await expect.element(collectedFrom(A)).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: 'Netwerkverkeer van deze ophaalactie' })).toBeVisible();
    // The flow's hops are the console's to show (operator only): a link to its inspector, by the flow's traceId.
    await expect
      .element(page.getByRole('link', { name: 'Bekijk elke stap in de console van de sandbox' }))
      .toHaveAttribute('href', `${CONSOLE}/#/inspector/${encodeURIComponent(A.traceId)}`);
    expect(loading().query()).toBeNull();
    expect(await axeViolations()).toEqual([]);
  });

  it('outside the sandbox (no console in the network): the dossier without a link to a console', async () => {
    answers(Promise.resolve(A));
    await show(A.id, '');
    await expect.element(collectedFrom(A)).toBeVisible();
    expect(page.getByRole('link', { name: /console/ }).query()).toBeNull();
  });

  it('says why a collection cannot be loaded', async () => {
    answers(
      () => Promise.reject(new ApiFailure(404, { error: 'not_found', message: { nl: 'Deze ophaalactie bestaat niet.', en: 'No such collection.' } })),
      () => Promise.reject(new TypeError('boom')),
    );
    const el = await show('unknown');
    await expect.element(page.getByRole('heading', { level: 1, name: 'Ophaalactie niet gevonden' })).toBeVisible();
    await expect.element(page.getByRole('alert')).toHaveTextContent('Deze ophaalactie bestaat niet.');
    expect(await axeViolations()).toEqual([]);

    el.collectionId = 'other';
    await expect.element(page.getByRole('alert')).toHaveTextContent('De ophaalactie kon niet worden geladen.');
  });

  it('shows the newer collection when the older one answers last', async () => {
    const first = deferred<Collection>();
    const second = deferred<Collection>();
    answers(first.promise, second.promise);
    const el = await show(A.id);
    el.collectionId = B.id;
    await el.updateComplete;

    second.resolve(B);
    await expect.element(collectedFrom(B)).toBeVisible();
    first.resolve(A); // the answer for the collection the person left
    await afterPendingCallbacks();
    await el.updateComplete;
    expect(collectedFrom(A).query()).toBeNull();
    expect(collectedFrom(B).query()).not.toBeNull();
  });

  it('does not show an older collection that answers while the newer one loads', async () => {
    const first = deferred<Collection>();
    const second = deferred<Collection>();
    answers(first.promise, second.promise);
    const el = await show(A.id);
    el.collectionId = B.id;
    await el.updateComplete;

    first.resolve(A);
    await afterPendingCallbacks();
    await el.updateComplete;
    expect(collectedFrom(A).query()).toBeNull();
    await expect.element(loading()).toBeVisible();

    second.resolve(B);
    await expect.element(collectedFrom(B)).toBeVisible();
  });

  it('asks again while the collection is pending, keeps it on screen meanwhile, says when it is done, then stops', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pending: Collection = { ...A, status: 'pending', resources: [], queries: [] };
    const poll = deferred<Collection>();
    const collection = answers(Promise.resolve(pending), poll.promise);
    const el = await show(A.id);
    await expect.element(page.getByRole('heading', { level: 1, name: `Bezig met ophalen bij ${A.displayName}` })).toBeVisible();

    await vi.advanceTimersByTimeAsync(2000);
    expect(collection).toHaveBeenCalledTimes(2);
    await el.updateComplete;
    // The second answer is held: the pending collection stays, no "Laden…" in between.
    await expect.element(page.getByRole('heading', { level: 1, name: `Bezig met ophalen bij ${A.displayName}` })).toBeVisible();
    expect(loading().query()).toBeNull();

    poll.resolve(A);
    await expect.element(collectedFrom(A)).toBeVisible();
    await expect.element(page.getByText(`Opgehaald bij ${A.displayName}.`, { exact: true })).toBeInTheDocument();

    await vi.advanceTimersByTimeAsync(60_000);
    expect(collection).toHaveBeenCalledTimes(2);
  });
  it('"Toestemmingen aanpassen": withdraws a long-lived consent, says it is a sandbox extension, links the DVZA\'s own page', async () => {
    const active: Collection = { ...A, longLivedConsent: 'active', consentOverviewUrl: 'https://dekroon.dvza.localhost:8720/toestemmingen' };
    const withdrawn: Collection = { ...active, longLivedConsent: 'withdrawn' };
    answers(Promise.resolve(active), Promise.resolve(withdrawn));
    const reply = deferred<Collection>();
    const withdraw = vi.spyOn(api, 'withdrawConsent').mockImplementation(() => reply.promise);
    await show(A.id);
    await expect.element(page.getByRole('heading', { level: 2, name: 'Toestemmingen aanpassen' })).toBeVisible();
    await expect.element(page.getByText(/^Actief:/)).toBeVisible();
    await expect.element(page.getByText(/RFC 7009 .* een uitbreiding van de sandbox/)).toBeVisible();
    await expect.element(page.getByRole('link', { name: `Mijn toestemmingen bij ${A.displayName}` })).toHaveAttribute('href', active.consentOverviewUrl);
    expect(await axeViolations()).toEqual([]);

    await page.getByRole('button', { name: 'Toestemming intrekken' }).click();
    expect(withdraw).toHaveBeenCalledWith(A.id);
    // While the PGO revokes, the button cannot be pressed twice.
    await expect.element(page.getByRole('button', { name: 'Toestemming intrekken' })).toBeDisabled();
    reply.resolve(withdrawn);
    await expect.element(page.getByText(/^Ingetrokken:/)).toBeVisible();
    expect(page.getByRole('button', { name: 'Toestemming intrekken' }).query()).toBeNull();
  });

  it('a withdrawal the care provider did not confirm, and a consent the app no longer holds: both point to the DVZA', async () => {
    const active: Collection = { ...A, longLivedConsent: 'active', consentOverviewUrl: 'https://dekroon.dvza.localhost:8720/toestemmingen' };
    const unconfirmed: Collection = { ...active, longLivedConsent: 'withdrawn-unconfirmed' };
    answers(Promise.resolve(active), Promise.resolve(unconfirmed));
    vi.spyOn(api, 'withdrawConsent').mockResolvedValue(unconfirmed);
    const el = await show(A.id);
    await page.getByRole('button', { name: 'Toestemming intrekken' }).click();
    await expect.element(page.getByText(/de zorgaanbieder heeft de intrekking niet bevestigd/)).toBeVisible();
    await expect.element(page.getByRole('link', { name: `Mijn toestemmingen bij ${A.displayName}` })).toBeVisible();

    answers(Promise.resolve({ ...active, id: B.id, longLivedConsent: 'not-held' } as Collection));
    el.collectionId = B.id;
    await expect.element(page.getByText(/heeft de sleutel van deze toestemming niet meer/)).toBeVisible();
    expect(page.getByRole('button', { name: 'Toestemming intrekken' }).query()).toBeNull();
  });

  it('says so when withdrawing does not succeed, and keeps the button', async () => {
    answers(Promise.resolve({ ...A, longLivedConsent: 'active' } as Collection));
    vi.spyOn(api, 'withdrawConsent').mockRejectedValue(
      new ApiFailure(409, { error: 'no_long_lived_consent', message: { nl: 'Er is niets in te trekken.', en: 'Nothing to withdraw.' } }),
    );
    await show(A.id);
    await page.getByRole('button', { name: 'Toestemming intrekken' }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent('Er is niets in te trekken.');
    await expect.element(page.getByRole('button', { name: 'Toestemming intrekken' })).toBeEnabled();
  });
});
