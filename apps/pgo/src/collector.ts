/**
 * The PGO as a MedMij client (SPEC §1.2, §2): start an authorization at the DVZA the Zorgaanbiederslijst
 * names, take the browser back, check state, redeem the code over mutual TLS, run the gegevensdienst's
 * FHIR queries, and keep what came back per PGO user. A careful client: it refuses expired lists, hosts off
 * the Whitelist, DVZA certificates the PKI does not vouch for (the transport refuses those at the handshake)
 * and answers that do not belong to the person's own request.
 */
import { Agent as HttpsAgent } from 'node:https';
import {
  MAX_OPEN_STATE,
  secureRandomBytes,
  setBounded,
  type Clock,
  type HostTable,
  type RandomStream,
  type TraceBus,
  type TraceInput,
} from '@medmij-sandbox/network';
import {
  FHIR_ACCEPT_STU3,
  refreshTokenExpiresAt,
  authorizationRequestUrl,
  grantedIdsOf,
  issuerOf,
  refreshRequestBody,
  scopeFor,
  tokenRequestBody,
  type OAuthErrorResponse,
  type TokenResponse,
  CONSENT_OVERVIEW_PATH,
  revocationEndpointOf,
  revocationRequestBody,
} from '@medmij-sandbox/medmij-oauth';
import { ListUnusableError, type ZorgaanbiederGegevensdienst } from '@medmij-sandbox/lists';
import type { PgoLists } from './pgo-lists.js';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { HopError, hop } from '@medmij-sandbox/transport';
import { gegevensdienstQueries } from '@medmij-sandbox/fhir-data';
import { OAUTH_RULES, PGO, PGO_RULES, because, nest, said, type Said } from '@medmij-sandbox/rules';
import type { Collection, CollectionSummary, Refusal, Zorgaanbieder } from '@medmij-sandbox/pgo-api';
import { CollectionStore } from './collection-store.js';
import { bsnWithheldNote, withoutBsn, withoutBsnInText } from './no-bsn.js';
import {
  authorizationRefusal,
  connectionRefusal,
  fhirRefusal,
  issuerMismatch,
  issuerMissing,
  listRefusal,
  notGrantedRefusal,
  notOnWhitelist,
  refreshRefusal,
  stateMismatch,
  tokenRefusal,
} from './refusals.js';

/** A flow that left for the DVZA and has not come back yet. */
interface Pending {
  createdAt: number;
  state: string;
  collectionId: string;
  traceId: string;
  entry: ZorgaanbiederGegevensdienst;
}

export interface CollectorOptions {
  hostname: string;
  redirectUri: string;
  lists: PgoLists;
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
  hosts?: HostTable;
  random: (purpose: string) => RandomStream;
  /**
   * What a gegevensdienst id is in the network's afsprakenstelsel (its version-neutral key: bgz, lab, …): a PGO
   * knows the gegevensdiensten of the afsprakenstelsel it implements, and so which searches each id asks for.
   */
  gegevensdienstKey: (id: string) => string | undefined;
  /** Whether the DVZA of this issuer (an authorization endpoint's origin) always sends `iss` (RFC 9207): the sandbox's own do. */
  sendsIss?: (issuer: string) => boolean;
  /** Display names and kinds of zorgaanbieders (the sandbox's provider directory). */
  directory: Pick<Map<string, { displayName: string; soort?: string }>, 'get'>;
  /** Where each user's collections are kept across restarts. */
  storeDir: string;
  /**
   * Fetch the lists at the start of every collection: only for a PGO the stelselnode cannot tell (no notification
   * port: an enrolled outside PGO, docker compose). One that is told holds current lists and fetches nothing here.
   */
  fetchListsPerFlow?: boolean;
}

export class Collector {
  private readonly store: CollectionStore;
  private readonly pending = new Map<string, Pending & { username: string }>();
  /** Access tokens per collection, in memory only (SPEC §2.5: ~15 minutes; never written to disk). */
  private readonly tokens = new Map<
    string,
    {
      accessToken: string;
      base: string;
      receivedAt: number;
      /** When the access token expires (its expires_in), on the sandbox clock. */
      expiresAt?: number;
      /** Afsprakenstelsel 2 with long-lived consent: exchanged for new tokens when the access token expired. */
      refreshToken?: string;
      tokenEndpointUri?: string;
      /** The X-Correlation-ID of the last refresh: the resource requests after it carry that one (core.rscint.201). */
      correlationId?: string;
    }
  >();
  private readonly refreshing = new Map<string, Promise<{ ok: true } | { refusal: Refusal }>>();
  /** One withdrawal per collection at a time: a second click waits for the first and gets its answer. */
  private readonly withdrawing = new Map<string, Promise<{ collection: Collection } | { nothing: true } | undefined>>();

  /** Flows abandoned for an hour and tokens long past their 15 minutes are dropped. */
  private sweep(): void {
    const now = this.o.clock.nowMs();
    for (const [state, p] of this.pending) if (now - p.createdAt > 3_600_000) this.pending.delete(state);
    // A refresh token (2.x long-lived consent) is kept while it can count: half a year from when it came.
    for (const [id, t] of this.tokens)
      if (now - t.receivedAt > 3_600_000 && !(t.refreshToken && now <= refreshTokenExpiresAt(t.receivedAt))) this.tokens.delete(id);
  }

  constructor(private readonly o: CollectorOptions) {
    this.store = new CollectionStore(o.storeDir);
    // SPEC §10.6, at start: what an older sandbox stored with a BSN in it is cleaned before anyone reads it.
    for (const p of this.store.purgeBsn()) {
      this.decision({
        to: o.hostname,
        outcome: 'warning',
        ...because(PGO.bsnPurged, { user: p.user, collections: p.collections, identifiers: p.identifiers }),
      });
    }
  }

  /** The X-Correlation-ID of the flow an OAuth state belongs to (for the trace of the redirect back). */
  traceIdOfState(state: string | null): string | undefined {
    return state ? this.pending.get(state)?.traceId : undefined;
  }

  private decision(e: Omit<TraceInput, 'reportedBy' | 'kind' | 'from'>) {
    this.o.bus.emit({ reportedBy: this.o.hostname, kind: 'decision', from: this.o.hostname, ...e });
  }

  /** The Zorgaanbiederslijst, searched by name; gegevensdienst names from the Gegevensdienstnamenlijst. */
  zorgaanbieders(query: string): Zorgaanbieder[] {
    const zal = this.o.lists.current('Zorgaanbiederslijst');
    const names = new Map((this.o.lists.current('Gegevensdienstnamenlijst')?.gegevensdiensten ?? []).map((g) => [g.gegevensdienstId, g.weergavenaam]));
    const q = query.trim().toLowerCase();
    return (zal?.zorgaanbieders ?? [])
      .map((z) => {
        const known = this.o.directory.get(z.zorgaanbiedernaam);
        return {
          zorgaanbiedernaam: z.zorgaanbiedernaam,
          displayName: known?.displayName ?? z.zorgaanbiedernaam,
          ...(known?.soort ? { soort: known.soort } : {}),
          gegevensdiensten: z.gegevensdiensten.map((g) => ({
            id: g.gegevensdienstId,
            weergavenaam: names.get(g.gegevensdienstId) ?? `Gegevensdienst ${g.gegevensdienstId}`,
          })),
        };
      })
      .filter(
        (z) =>
          !q ||
          z.displayName.toLowerCase().includes(q) ||
          z.zorgaanbiedernaam.includes(q) ||
          (z.soort ?? '').includes(q) ||
          // Afsprakenstelsel 2: by AGB (or URA …) from the Zorgaanbiederskoppellijst.
          this.o.lists.identifiersOf(z.zorgaanbiedernaam).some((k) => k.value === q),
      );
  }

  /**
   * Step 2 of the flow: the authorization request. Returns where to send the browser, or a refusal when
   * the PGO will not even start (lists unusable, endpoint host off the Whitelist).
   */
  async start(
    username: string,
    zorgaanbiedernaam: string,
    gegevensdienstId: string,
  ): Promise<{ authorizeUrl: string; collection: CollectionSummary } | { refusal: Refusal; collection: CollectionSummary }> {
    this.sweep();
    // Told of every change (the stelselnode's notices, the poll as fallback): no fetch here, the lists held are judged
    // on the clock now. A PGO nobody can tell checks them as a careful PGO would, before it sends a person anywhere.
    if (this.o.fetchListsPerFlow) await this.o.lists.refresh();
    const traceId = this.o.random('pgo:correlation-ids').uuid();
    const collectionId = this.o.random('pgo:collection-ids').hex(8);
    const names = new Map((this.o.lists.current('Gegevensdienstnamenlijst')?.gegevensdiensten ?? []).map((g) => [g.gegevensdienstId, g.weergavenaam]));
    const collection: CollectionSummary = {
      id: collectionId,
      traceId,
      zorgaanbiedernaam,
      displayName: this.o.directory.get(zorgaanbiedernaam)?.displayName ?? zorgaanbiedernaam,
      gegevensdienstId,
      weergavenaam: names.get(gegevensdienstId) ?? `Gegevensdienst ${gegevensdienstId}`,
      startedAt: this.o.clock.now().toISOString(),
      status: 'pending',
    };
    // `why` says on the trace what the refusal tells the person: its title and detail.
    const refuse = (refusal: Refusal, why: Said) => {
      this.decision({ to: this.o.hostname, traceId, outcome: 'refused', ...because(why) });
      const refused = { ...collection, status: 'refused' as const, refusal };
      this.save(username, { ...refused, resources: [], queries: [] });
      return { refusal, collection: refused };
    };

    let entry: ZorgaanbiederGegevensdienst | undefined;
    try {
      const zal = this.o.lists.require('Zorgaanbiederslijst', traceId);
      this.o.lists.require('Gegevensdienstnamenlijst', traceId);
      const whitelist = this.o.lists.require('Whitelist', traceId);
      entry = zal.zorgaanbieders.find((z) => z.zorgaanbiedernaam === zorgaanbiedernaam)?.gegevensdiensten.find((g) => g.gegevensdienstId === gegevensdienstId);
      if (!entry) {
        const missing = { zorgaanbieder: zorgaanbiedernaam, gegevensdienst: gegevensdienstId, volgnummer: zal.volgnummer };
        return refuse(listRefusal('list_missing', PGO.gegevensdienstNotListed.detail.en(missing)), said(PGO.gegevensdienstNotListed, missing));
      }
      for (const url of [entry.tokenEndpointUri, ...entry.systeemrollen.map((s) => s.resourceEndpointUri)]) {
        const host = new URL(url).hostname;
        if (!whitelist.nodes.includes(host)) return refuse(notOnWhitelist(host), said(PGO.notOnWhitelist, { host }));
      }
    } catch (e) {
      if (e instanceof ListUnusableError) {
        const refusal = listRefusal(e.status === 'expired' ? 'list_expired' : 'list_missing', e.message);
        return refuse(refusal, said(PGO.listsUnusable, nest('problem', e.said)));
      }
      throw e;
    }

    // The state binds the callback to this browser's flow (OAuth CSRF): from the CSPRNG, never the seed.
    const state = secureRandomBytes(16).toString('hex');
    // Bounded too: the sweep goes by the sandbox clock, which may stand still.
    setBounded(this.pending, state, { createdAt: this.o.clock.nowMs(), state, collectionId, traceId, entry, username }, MAX_OPEN_STATE);
    const authorizeUrl = authorizationRequestUrl(entry.authorizationEndpointUri, {
      response_type: 'code',
      client_id: this.o.hostname,
      redirect_uri: this.o.redirectUri,
      // 1.5: <zorgaanbieder>~<id>; 2: the zorgaanbieder alone, the person chooses at the DVZA (SPEC §10.1).
      scope: scopeFor(this.o.lists.afsprakenstelsel, zorgaanbiedernaam, gegevensdienstId),
      state,
      'MedMij-Request-ID': this.o.random('pgo:request-ids').uuid(),
      'X-Correlation-ID': traceId,
    });
    this.save(username, { ...collection, resources: [], queries: [] });
    this.decision({
      to: new URL(entry.authorizationEndpointUri).hostname,
      traceId,
      outcome: 'ok',
      ...because(PGO.authorizationRequest, {
        gegevensdienst: collection.weergavenaam,
        zorgaanbieder: collection.displayName,
        endpoint: entry.authorizationEndpointUri,
      }),
    });
    return { authorizeUrl, collection };
  }

  /**
   * The browser is back at the redirect_uri. Returns the collection to show (or undefined when the answer
   * belongs to no request of this user — then a refused record explains the state mismatch).
   */
  async callback(username: string, query: URLSearchParams): Promise<Collection> {
    const state = query.get('state') ?? '';
    const pending = this.pending.get(state);
    if (!pending || pending.username !== username) {
      // The state is anyone's text (a forged link): shown shortened, never in full.
      const shown = state.length > 40 ? `${state.slice(0, 40)}…` : state;
      const collection = this.refusedWithoutFlow(username, stateMismatch(`state '${shown || '(none)'}' was not issued by this PGO for this user`));
      this.decision({
        to: this.o.hostname,
        traceId: collection.traceId,
        outcome: 'refused',
        ...because(PGO.stateUnknown, { state, user: username }),
      });
      return collection;
    }
    this.pending.delete(state);
    const collection = this.load(username, pending.collectionId)!;
    const { traceId } = collection;
    // RFC 9207: an answer that names another issuer than the DVZA the browser was sent to is not that DVZA's
    // (a mix-up: its code would go to the wrong token endpoint). Required of a DVZA known to send it (§2.4: the
    // sandbox's own); checked when present for others (an enrolled DVZA may not send it).
    const iss = query.get('iss');
    const issuer = issuerOf(pending.entry.authorizationEndpointUri);
    if (iss === null && this.o.sendsIss?.(issuer)) {
      this.decision({ to: this.o.hostname, traceId, outcome: 'refused', ...because(PGO.issuerMissing, { issuer }) });
      return this.save(username, { ...collection, status: 'refused', refusal: issuerMissing(issuer) });
    }
    if (iss !== null && iss !== issuer) {
      this.decision({ to: this.o.hostname, traceId, outcome: 'refused', ...because(PGO.issuerMismatch, { iss, issuer }) });
      return this.save(username, { ...collection, status: 'refused', refusal: issuerMismatch(iss, issuer) });
    }
    const error = query.get('error');
    if (error) {
      const refusal = authorizationRefusal(error, query.get('error_description'));
      this.decision({
        to: this.o.hostname,
        traceId,
        outcome: 'refused',
        // Which rule depends on the error; the description is the DVZA's own text.
        ...because(PGO.dvzaAnswered, { error: withoutBsnInText(error), description: withoutBsnInText(query.get('error_description') ?? '') }),
        ...(refusal.rule && refusal.ruleId ? { rule: refusal.rule.en, citedRuleId: refusal.ruleId } : {}),
      });
      return this.save(username, { ...collection, status: 'refused', refusal });
    }
    const code = query.get('code');
    if (!code)
      return this.save(username, {
        ...collection,
        status: 'refused',
        refusal: authorizationRefusal('invalid_request', 'the callback carries neither code nor error'),
      });

    // Step 12–13: the code for an access token, on the back channel.
    let accessToken: string;
    let granted: TokenResponse;
    try {
      const { r, body } = await this.tokenRequest(
        pending.entry.tokenEndpointUri,
        tokenRequestBody({ code, redirect_uri: this.o.redirectUri, client_id: this.o.hostname }),
        traceId,
      );
      if (r.status !== 200 || !wellTyped(body) || !body.access_token || String(body.token_type).toLowerCase() !== 'bearer') {
        return this.save(username, {
          ...collection,
          status: 'refused',
          refusal: tokenRefusal(r.status, body.error ?? 'invalid_response', body.error_description),
        });
      }
      accessToken = body.access_token;
      granted = body as TokenResponse;
      // 2.x: which gegevensdiensten the person consented to is in the scope (the granted ids).
      if (this.o.lists.afsprakenstelsel === '2' && !grantedIdsOf(granted.scope, '2').includes(collection.gegevensdienstId)) {
        const ids = grantedIdsOf(granted.scope, '2').join(', ');
        this.decision({
          to: new URL(pending.entry.tokenEndpointUri).hostname,
          traceId,
          outcome: 'refused',
          ...because(PGO.notGranted, { granted: ids, gegevensdienst: collection.weergavenaam, id: collection.gegevensdienstId }),
        });
        return this.save(username, { ...collection, status: 'refused', refusal: notGrantedRefusal(ids, collection.weergavenaam, collection.gegevensdienstId) });
      }
    } catch (e) {
      if (e instanceof HopError) return this.save(username, { ...collection, status: 'refused', refusal: connectionRefusal('token', e.code, e.message) });
      throw e;
    }

    // Steps 14–16: every query of the gegevensdienst, the token alone naming the patient.
    const base = pending.entry.systeemrollen[0]!.resourceEndpointUri;
    const receivedAt = this.o.clock.nowMs();
    this.tokens.set(collection.id, {
      accessToken,
      base,
      receivedAt,
      ...(typeof granted.expires_in === 'number' ? { expiresAt: receivedAt + granted.expires_in * 1000 } : {}),
      // Kept in memory only, like the access token: a refresh token is a secret that outlives a session.
      ...(granted.refresh_token ? { refreshToken: granted.refresh_token, tokenEndpointUri: pending.entry.tokenEndpointUri } : {}),
    });
    // Long-lived consent (2.x): the collection says so, and where the person can see it at the DVZA too.
    const withConsent: Collection = granted.refresh_token
      ? {
          ...collection,
          longLivedConsent: 'active',
          consentOverviewUrl: new URL(CONSENT_OVERVIEW_PATH, pending.entry.authorizationEndpointUri).toString(),
        }
      : collection;
    return this.runQueries(username, withConsent, base, accessToken);
  }

  /**
   * "Toestemmingen aanpassen" (SPEC §10.2): the person withdraws the long-lived consent of a collection. The PGO
   * drops its refresh and access token first — whatever the DVZA answers, this PGO will not use them again — then
   * revokes the refresh token at the DVZA (RFC 7009 at /oauth/revoke, a sandbox extension: SPEC names no
   * revocation interface). Undefined: no such collection; `nothing`: no active long-lived consent.
   */
  withdrawConsent(username: string, id: string): Promise<{ collection: Collection } | { nothing: true } | undefined> {
    let running = this.withdrawing.get(id);
    if (!running) {
      running = this.withdraw(username, id).finally(() => this.withdrawing.delete(id));
      this.withdrawing.set(id, running);
    }
    return running;
  }

  private async withdraw(username: string, id: string): Promise<{ collection: Collection } | { nothing: true } | undefined> {
    const collection = this.load(username, id);
    if (!collection) return undefined;
    if (collection.longLivedConsent !== 'active' && collection.longLivedConsent !== 'not-held') return { nothing: true };
    const held = this.tokens.get(id);
    this.tokens.delete(id);
    const withdrawn: Collection = { ...collection, longLivedConsent: 'withdrawn' };
    // The PGO will not use its tokens again; but the DVZA did not say the consent ended: the person is told so.
    const unconfirmed = (problem: string) => {
      this.decision({
        to: this.o.hostname,
        traceId: collection.traceId,
        outcome: 'warning',
        ...because(PGO.consentWithdrawnUnconfirmed, { gegevensdienst: collection.weergavenaam, problem: withoutBsnInText(problem) }),
      });
      return { collection: this.save(username, { ...collection, longLivedConsent: 'withdrawn-unconfirmed' }) };
    };
    // Held in memory only: after a restart the PGO has no refresh token to revoke (the DVZA's own page still works).
    if (!held?.refreshToken || !held.tokenEndpointUri) return unconfirmed('this PGO holds no refresh token any more (it restarted)');
    const endpoint = revocationEndpointOf(held.tokenEndpointUri);
    try {
      const r = await hop(endpoint, {
        method: 'POST',
        from: this.o.hostname,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'medmij-request-id': this.o.random('pgo:request-ids').uuid(),
          'x-correlation-id': this.o.random('pgo:correlation-ids').uuid(),
        },
        body: revocationRequestBody({ token: held.refreshToken, token_type_hint: 'refresh_token', client_id: this.o.hostname }),
        traceId: collection.traceId,
        pki: this.o.pki,
        clock: this.o.clock,
        bus: this.o.bus,
        hosts: this.o.hosts,
        rule: OAUTH_RULES.withdrawal,
      });
      if (r.status !== 200) {
        const body = safeJson(r.body) as Partial<OAuthErrorResponse>;
        return unconfirmed(`HTTP ${r.status}${body.error ? ` ${body.error}: ${body.error_description ?? ''}` : ''}`);
      }
      this.decision({
        to: new URL(endpoint).hostname,
        traceId: collection.traceId,
        outcome: 'ok',
        ...because(PGO.consentWithdrawn, { gegevensdienst: collection.weergavenaam, status: r.status }),
      });
      return { collection: this.save(username, withdrawn) };
    } catch (e) {
      if (e instanceof HopError) return unconfirmed(`${e.code}: ${e.message}`);
      throw e;
    }
  }

  /**
   * SPEC §1.2 step 16: while the token is valid the PGO may fetch again. Runs the gegevensdienst's queries
   * once more with the token of an earlier collection (kept in memory only: tokens never go to disk).
   */
  async collectAgain(username: string, id: string): Promise<Collection | undefined> {
    const collection = this.load(username, id);
    const held = this.tokens.get(id);
    if (!collection) return undefined;
    if (!held) {
      return this.save(username, {
        ...collection,
        status: 'refused',
        refusal: tokenRefusal(
          0,
          'no_token',
          'this PGO holds no access token for this collection (it was never issued, or the PGO restarted): collect again from the start',
        ),
      });
    }
    // Afsprakenstelsel 2, long-lived consent: an expired access token is renewed with the refresh token, no DigiD.
    let renewedNow = false;
    if (held.refreshToken && held.expiresAt !== undefined && this.o.clock.nowMs() >= held.expiresAt) {
      const renewed = await this.refreshOnce(collection, held);
      if ('refusal' in renewed)
        return this.save(username, { ...collection, ...ended(collection, renewed.refusal), status: 'refused', refusal: renewed.refusal });
      renewedNow = true;
    }
    this.decision({
      to: new URL(held.base).hostname,
      traceId: collection.traceId,
      outcome: 'ok',
      ...because(PGO.collectAgain, { gegevensdienst: collection.weergavenaam, startedAt: collection.startedAt }),
    });
    const result = await this.runQueries(username, collection, held.base, held.accessToken);
    // The DVZA no longer takes the access token (it restarted, or revoked it) while a refresh token is held: renew once.
    if (!renewedNow && held.refreshToken && result.status === 'refused' && result.queries.at(-1)?.status === 401) {
      const renewed = await this.refreshOnce(collection, held);
      if ('refusal' in renewed)
        return this.save(username, { ...collection, ...ended(collection, renewed.refusal), status: 'refused', refusal: renewed.refusal });
      return this.runQueries(username, collection, held.base, held.accessToken);
    }
    return result;
  }

  /**
   * One refresh per collection at a time: two "fetch again" clicks must not both send the same refresh token —
   * the second would be a replay by the rightful client, and the DVZA would revoke the whole consent.
   */
  private refreshOnce(collection: Collection, held: NonNullable<ReturnType<Collector['tokens']['get']>>): Promise<{ ok: true } | { refusal: Refusal }> {
    let running = this.refreshing.get(collection.id);
    if (!running) {
      running = this.refresh(collection, held).finally(() => this.refreshing.delete(collection.id));
      this.refreshing.set(collection.id, running);
    }
    return running;
  }

  /**
   * SPEC §10.2: grant_type=refresh_token with the same client certificate, both MedMij headers with a new
   * X-Correlation-ID; the answer brings a new access token and a new refresh token (the old one counts no more).
   */
  private async refresh(collection: Collection, held: NonNullable<ReturnType<Collector['tokens']['get']>>): Promise<{ ok: true } | { refusal: Refusal }> {
    // A refresh starts a new exchange: a new X-Correlation-ID (core.tknint.208).
    const correlationId = this.o.random('pgo:correlation-ids').uuid();
    try {
      const { r, body } = await this.tokenRequest(
        held.tokenEndpointUri!,
        refreshRequestBody({ refresh_token: held.refreshToken!, client_id: this.o.hostname }),
        collection.traceId,
        { 'x-correlation-id': correlationId },
      );
      const to = new URL(held.tokenEndpointUri!).hostname;
      if (r.status !== 200 || !wellTyped(body) || !body.access_token || !body.refresh_token) {
        // The consent lapsed, was withdrawn or revoked: the person logs in again (a new collection). A DVZA that
        // cannot answer now (5xx) said nothing about the consent: the refresh token is kept for the next try.
        if (r.status < 500) delete held.refreshToken;
        const error = body.error ?? 'invalid_response';
        this.decision({
          to,
          traceId: collection.traceId,
          outcome: 'refused',
          ...because(PGO.refreshRefused, { error: withoutBsnInText(error), description: withoutBsnInText(body.error_description ?? '') }),
        });
        return { refusal: refreshRefusal(r.status, error, body.error_description) };
      }
      const now = this.o.clock.nowMs();
      const expiresAt = typeof body.expires_in === 'number' ? now + body.expires_in * 1000 : undefined;
      this.decision({
        to,
        traceId: collection.traceId,
        outcome: 'ok',
        ...because(PGO.refreshed, {
          expiredAt: held.expiresAt !== undefined ? new Date(held.expiresAt).toISOString() : '?',
          expiresAt: expiresAt !== undefined ? new Date(expiresAt).toISOString() : '?',
        }),
      });
      Object.assign(held, {
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        receivedAt: now,
        correlationId,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      });
      // The new token's scope is what the DVZA grants now (the OAuthclientlist may have narrowed it): fetch nothing
      // it does not name. The tokens are kept: the consent still counts for what it does name.
      const granted = grantedIdsOf(body.scope, '2');
      if (!granted.includes(collection.gegevensdienstId)) {
        this.decision({
          to,
          traceId: collection.traceId,
          outcome: 'refused',
          ...because(PGO.notGranted, { granted: granted.join(', '), gegevensdienst: collection.weergavenaam, id: collection.gegevensdienstId }),
        });
        return { refusal: notGrantedRefusal(granted.join(', '), collection.weergavenaam, collection.gegevensdienstId) };
      }
      return { ok: true };
    } catch (e) {
      if (e instanceof HopError) return { refusal: connectionRefusal('token', e.code, e.message) };
      throw e;
    }
  }

  /** A token request on the back channel with the PGO's client certificate (code or refresh), and its JSON answer. */
  private async tokenRequest(uri: string, form: string, traceId: string, headers: Record<string, string> = {}) {
    const r = await hop(uri, {
      method: 'POST',
      from: this.o.hostname,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'medmij-request-id': this.o.random('pgo:request-ids').uuid(),
        ...headers,
      },
      body: form,
      traceId,
      pki: this.o.pki,
      clock: this.o.clock,
      bus: this.o.bus,
      hosts: this.o.hosts,
      rule: PGO_RULES.token,
    });
    return { r, body: safeJson(r.body) as Partial<TokenResponse & OAuthErrorResponse> };
  }

  private async runQueries(username: string, collection: Collection, base: string, accessToken: string): Promise<Collection> {
    const resources = new Map<string, Collection['resources'][number]>();
    const queries: Collection['queries'] = [];
    // The queries of one collection share one mutual-TLS connection, as an HTTP client keeps a connection
    // alive: both certificates are judged at its handshake; the next collection starts a new one.
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
    try {
      return await this.queriesOver(agent, username, collection, base, accessToken, resources, queries);
    } finally {
      agent.destroy();
    }
  }

  private async queriesOver(
    agent: HttpsAgent,
    username: string,
    collection: Collection,
    base: string,
    accessToken: string,
    resources: Map<string, Collection['resources'][number]>,
    queries: Collection['queries'],
  ): Promise<Collection> {
    const { traceId } = collection;
    // BSN values a DVZA sent unmasked: dropped on arrival, before anything is kept (no-bsn.ts).
    let bsnDropped = 0;
    const withheld = (): Pick<Collection, 'bsnWithheld'> =>
      bsnDropped > 0 ? { bsnWithheld: { identifiers: bsnDropped, note: bsnWithheldNote(bsnDropped, 'collected') } } : {};
    const { bsnWithheld: _earlier, ...fresh } = collection;
    collection = fresh;
    for (const q of gegevensdienstQueries(this.o.gegevensdienstKey(collection.gegevensdienstId))) {
      try {
        const r = await hop(`${base}/${q.path}`, {
          from: this.o.hostname,
          headers: {
            authorization: `Bearer ${accessToken}`,
            // 2.x asks for STU3 by name (SPEC §10.3); 1.5 as it always did.
            accept: this.o.lists.afsprakenstelsel === '2' ? FHIR_ACCEPT_STU3 : 'application/fhir+json',
            'medmij-request-id': this.o.random('pgo:request-ids').uuid(),
            ...(this.tokens.get(collection.id)?.correlationId ? { 'x-correlation-id': this.tokens.get(collection.id)!.correlationId! } : {}),
          },
          agent,
          traceId,
          pki: this.o.pki,
          clock: this.o.clock,
          bus: this.o.bus,
          hosts: this.o.hosts,
          rule: PGO_RULES.fhir,
        });
        const body = safeJson(r.body) as {
          resourceType?: string;
          entry?: Array<{ resource: Collection['resources'][number] }>;
          issue?: Array<{ diagnostics?: string }>;
        };
        queries.push({ path: q.path, description: q.description, status: r.status, entries: body.entry?.length ?? 0 });
        if (r.status !== 200 || body.resourceType !== 'Bundle') {
          return this.save(username, {
            ...collection,
            ...withheld(),
            status: 'refused',
            refusal: fhirRefusal(r.status, q.path, body.issue?.[0]?.diagnostics),
            resources: [...resources.values()],
            queries,
          });
        }
        for (const e of body.entry ?? []) {
          const clean = withoutBsn(e.resource);
          bsnDropped += clean.identifiers;
          resources.set(`${e.resource.resourceType}/${e.resource.id}`, clean.resource);
        }
      } catch (e) {
        if (e instanceof HopError)
          return this.save(username, {
            ...collection,
            ...withheld(),
            status: 'refused',
            refusal: connectionRefusal('fhir', e.code, e.message),
            resources: [...resources.values()],
            queries,
          });
        throw e;
      }
    }
    if (bsnDropped > 0)
      this.decision({
        to: this.o.hostname,
        traceId,
        outcome: 'warning',
        ...because(PGO.bsnDropped, { identifiers: bsnDropped, zorgaanbieder: collection.displayName, gegevensdienst: collection.weergavenaam }),
      });
    this.decision({
      to: this.o.hostname,
      traceId,
      outcome: 'ok',
      ...because(PGO.collected, {
        resources: resources.size,
        gegevensdienst: collection.weergavenaam,
        zorgaanbieder: collection.displayName,
        queries: queries.length,
      }),
    });
    const { refusal: _previous, ...rest } = collection;
    return this.save(username, { ...rest, ...withheld(), status: 'collected', resourceCount: resources.size, resources: [...resources.values()], queries });
  }

  // ---- what the person sees: their collections (kept on disk by collection-store.ts) -------------

  list(username: string): CollectionSummary[] {
    return this.store.list(username).map((c) => this.asHeld(c));
  }

  load(username: string, id: string): Collection | undefined {
    const collection = this.store.load(username, id);
    return collection && this.asHeld(collection);
  }

  /**
   * Long-lived consent as this PGO holds it now: 'active' on disk but no refresh token in memory (the PGO restarted)
   * is 'not-held' — it may still count at the DVZA.
   */
  private asHeld<C extends CollectionSummary>(collection: C): C {
    return collection.longLivedConsent === 'active' && !this.tokens.get(collection.id)?.refreshToken
      ? { ...collection, longLivedConsent: 'not-held' }
      : collection;
  }

  /**
   * Kept on disk. A withdrawal wins: a collection saved by a "fetch again" that started before the person withdrew
   * keeps the withdrawal (and its state), whatever that fetch found.
   */
  private save(username: string, collection: Collection): Collection {
    const stored = this.store.load(username, collection.id)?.longLivedConsent;
    const withdrawn = stored === 'withdrawn' || stored === 'withdrawn-unconfirmed';
    return this.store.save(username, withdrawn && collection.longLivedConsent !== stored ? { ...collection, longLivedConsent: stored } : collection);
  }

  private refusedWithoutFlow(username: string, refusal: Refusal): Collection {
    const collection: Collection = {
      id: this.o.random('pgo:collection-ids').hex(8),
      traceId: this.o.random('pgo:correlation-ids').uuid(),
      zorgaanbiedernaam: '-',
      displayName: '-',
      gegevensdienstId: '-',
      weergavenaam: '-',
      startedAt: this.o.clock.now().toISOString(),
      status: 'refused',
      refusal,
      resources: [],
      queries: [],
    };
    // Anyone can make one (a link to the redirect_uri with a made-up state): a user keeps the newest few only.
    return this.store.save(username, collection, { kind: (c) => c.zorgaanbiedernaam === '-', max: MAX_REFUSALS_WITHOUT_FLOW });
  }
}

/** How many answers that belonged to no request a user's list keeps (the newest). */
const MAX_REFUSALS_WITHOUT_FLOW = 20;

/** A JSON object body, or {} for anything else (not JSON, null, an array, a number): the answer is judged by its fields. */
function safeJson(body: Buffer): unknown {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** The fields of a token response this PGO relies on have the types OAuth gives them (RFC 6749 §5.1). */
function wellTyped(body: Partial<TokenResponse>): boolean {
  return (
    typeof body.access_token === 'string' &&
    (body.scope === undefined || typeof body.scope === 'string') &&
    (body.refresh_token === undefined || typeof body.refresh_token === 'string') &&
    (body.expires_in === undefined || typeof body.expires_in === 'number')
  );
}

/**
 * A refused refresh: with invalid_grant the DVZA no longer takes the long-lived consent (lapsed, withdrawn there, or
 * revoked). Anything else (the DVZA unreachable, its lists unusable) says nothing about the consent.
 */
function ended(collection: Collection, refusal: Refusal): Pick<Collection, 'longLivedConsent'> {
  return collection.longLivedConsent === 'active' && refusal.code === 'invalid_grant' ? { longLivedConsent: 'ended' } : {};
}
