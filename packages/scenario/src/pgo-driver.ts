/**
 * The person at the reference PGO (or a PGO with the same API): logs in with a demo account, starts a
 * collection, reads what the PGO shows — through the PGO API's typed client (packages/pgo-api), in the
 * sandbox's headless browser, so cookies and TLS are a browser's.
 */
import { SandboxError } from '@medmij-sandbox/network';
import { PGO_PATHS, collectionIdIn, pgoApiClient, type CollectStart, type CollectionSummary, type PgoApiClient } from '@medmij-sandbox/pgo-api';
import type { BrowserResponse, HeadlessBrowser } from './browser.js';
import type { PgoCollection } from './expectations.js';

export class PgoDriver {
  private readonly api: PgoApiClient;
  private loggedIn = false;
  /** The PGO user this browser is logged in as (after `login`). */
  username?: string;

  /** @param account which of the PGO's demo accounts this browser logs in with: the first (the person's), or the second (an attacker's) */
  constructor(
    private readonly browser: HeadlessBrowser,
    readonly pgoUrl: string,
    private readonly account: 'first' | 'second' = 'first',
  ) {
    this.api = pgoApiClient(pgoUrl, { fetch: browser.fetch });
  }

  /** The PGO's redirect_uri (where a DVZA sends the browser back). */
  get redirectUri(): string {
    return `${this.pgoUrl}${PGO_PATHS.callback}`;
  }

  async login(): Promise<void> {
    if (this.loggedIn) return;
    const session = await (await this.api.api.session.$get()).json();
    const account = session.demoAccounts[this.account === 'first' ? 0 : 1];
    if (!account) throw new SandboxError(`the PGO offers no ${this.account} demo account to log in with (it offers ${session.demoAccounts.length})`);
    const r = await this.api.api.login.$post({
      json: { username: account.username, password: account.password, totp: session.demoTotp[account.username]!.code },
    });
    if (r.status !== 200) throw new SandboxError(`could not log in to the PGO: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
    this.loggedIn = true;
    this.username = account.username;
  }

  /** The collections of the logged-in user's account, as its overview lists them (newest first). */
  async collections(): Promise<CollectionSummary[]> {
    const r = await this.api.api.collections.$get();
    if (r.status !== 200) throw new SandboxError(`the PGO answered HTTP ${r.status} for the list of collections: ${(await r.text()).slice(0, 200)}`);
    return (await r.json()).collections;
  }

  /** Asks the PGO to start collecting: where it sends the browser, or the collection it refused to start. */
  async collect(zorgaanbiedernaam: string, gegevensdienstId: string): Promise<{ start: CollectStart } | { refused: PgoCollection }> {
    const r = await this.api.api.collect.$post({ json: { zorgaanbiedernaam, gegevensdienstId } });
    if (r.status === 409) return { refused: await this.collection((await r.json()).collectionId) };
    if (r.status !== 200) throw new SandboxError(`the PGO answered HTTP ${r.status} to the collect request: ${(await r.text()).slice(0, 200)}`);
    return { start: await r.json() };
  }

  async collection(id: string): Promise<PgoCollection> {
    const r = await this.api.api.collections[':id'].$get({ param: { id } });
    if (r.status !== 200) throw new SandboxError(`the PGO answered HTTP ${r.status} for collection ${id}: ${(await r.text()).slice(0, 200)}`);
    return r.json();
  }

  /** The PGO fetches again with the access token it holds. */
  async collectAgain(id: string): Promise<PgoCollection> {
    const r = await this.api.api.collections[':id'].refresh.$post({ param: { id } });
    if (r.status !== 200) throw new SandboxError(`the PGO answered HTTP ${r.status} when asked to collect ${id} again: ${(await r.text()).slice(0, 200)}`);
    return r.json();
  }

  /** "Toestemmingen aanpassen": the PGO withdraws the collection's long-lived consent (and revokes it at the DVZA). */
  async withdrawConsent(id: string): Promise<PgoCollection> {
    const r = await this.api.api.collections[':id'].withdraw.$post({ param: { id } });
    if (r.status !== 200)
      throw new SandboxError(`the PGO answered HTTP ${r.status} when asked to withdraw the consent of ${id}: ${(await r.text()).slice(0, 200)}`);
    return r.json();
  }

  /** The collection the PGO's answer (a redirect, or the page the browser reached) shows. */
  async collectionShownBy(response: BrowserResponse): Promise<PgoCollection> {
    const id = collectionIdIn(String(response.headers.location ?? response.url.hash));
    if (!id) throw new SandboxError(`the PGO did not show a collection (HTTP ${response.status} at ${response.url.pathname})`);
    return this.collection(id);
  }

  /** The browser arrives at the redirect_uri with a code and a state the PGO never issued. */
  async forgedCallback(): Promise<PgoCollection> {
    return this.collectionShownBy(await this.browser.request(`${this.redirectUri}?code=stolen-code&state=forged-state`));
  }
}
