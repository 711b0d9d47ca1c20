/**
 * The reference PGO's JSON API: every JSON its web UI (apps/pgo/ui), the scenario runner and the tests read
 * or send, and the PGO server (apps/pgo/src) answers. Types only, so a browser bundle can import it. (The trace,
 * scenarios and resets are the console's: packages/console-api.)
 *
 * All endpoints are on the PGO's front channel (https://pgo.localhost:8750), same origin as the UI; the
 * session is a cookie (HttpOnly, Secure, SameSite=Lax). Every error is JSON `ApiError` with a 4xx/5xx status.
 */

/** Text in both UI languages. */
export interface Bilingual {
  nl: string;
  en: string;
}

export interface ApiError {
  error: string;
  message: Bilingual;
}

// ---- account (two factors: password + TOTP, SPEC: PGO users log in with two factors) --------------

/** GET /api/session */
export interface SessionInfo {
  loggedIn: boolean;
  user?: { username: string; displayName: string };
  /** The demo accounts of the sandbox, shown on the login page (clearly marked as demo). */
  demoAccounts: Array<{ username: string; password: string; displayName: string }>;
  /**
   * Sandbox only: the current TOTP code of each demo account, so nobody needs an authenticator app.
   * A real PGO never shows this. Refreshes every 30 s of sandbox time.
   */
  demoTotp: Record<string, { code: string; validForSeconds: number }>;
  /**
   * Sandbox only: where the sandbox's console runs (its network inspector shows each flow's hops to the operator;
   * a PGO itself never sees the DVZA's side). Absent when the network has no console.
   */
  consoleUrl?: string;
}

/**
 * POST /api/login (application/json only) → 200 SessionInfo, or 401 ApiError (error: 'invalid_credentials' |
 * 'invalid_totp'), 415 'invalid_request' for any other content type. Every POST under /api/ from another origin
 * (its Origin header, or Sec-Fetch-Site: cross-site) is refused with 403 'cross_origin' (login CSRF).
 */
export interface LoginRequest {
  username: string;
  password: string;
  totp: string;
}

/** POST /api/logout → 204 */

// ---- the network as the PGO sees it -------------------------------------------------------------

/** GET /api/lists: the PGO's copy of the four MedMij lists and their state. */
export interface ListsInfo {
  /** Sandbox time now, so list ages follow a shifted or frozen sandbox clock, not the browser's. */
  now: string;
  lists: Array<{
    kind: 'Zorgaanbiederslijst' | 'Zorgaanbiederskoppellijst' | 'OAuthclientlist' | 'Whitelist' | 'Gegevensdienstnamenlijst';
    status: 'none' | 'fresh' | 'stale' | 'expired';
    /** A number while that is exact (below 2^53), its decimal digits beyond (xs:positiveInteger has no bound). */
    volgnummer?: number | string;
    tijdstempel?: string;
    /** The PGO's last decision about this list, in both languages (from the rule catalogue). */
    lastDecision?: Bilingual;
  }>;
}

/** GET /api/zorgaanbieders?q=<text>: search the Zorgaanbiederslijst (name or zorgaanbiedernaam). */
export interface ZorgaanbiedersResponse {
  zorgaanbieders: Zorgaanbieder[];
}

export interface Zorgaanbieder {
  /** e.g. `dekroon@medmij`: the key on the Zorgaanbiederslijst. */
  zorgaanbiedernaam: string;
  /** Display name from the sandbox directory (a real PGO uses a provider directory; the lists carry none). */
  displayName: string;
  /** e.g. 'huisartsenpraktijk'. */
  soort?: string;
  gegevensdiensten: Array<{ id: string; weergavenaam: string }>;
}

// ---- collecting (Verzamelen) ---------------------------------------------------------------------

/** POST /api/collect → 200 CollectStart, or 4xx/5xx ApiError when the PGO refuses before leaving (list expired, ...) */
export interface CollectRequest {
  zorgaanbiedernaam: string;
  gegevensdienstId: string;
}

export interface CollectStart {
  /** Where the UI sends the browser (window.location.assign): the DVZA's authorization endpoint. */
  authorizeUrl: string;
  /** The flow's X-Correlation-ID: every hop of this flow carries it in the trace. */
  traceId: string;
  collectionId: string;
}

/**
 * After the DVZA sends the browser back to /oauth/callback, the PGO finishes the flow and redirects the
 * browser to `/#/collection/<collectionId>`.
 */

/** GET /api/collections → { collections: CollectionSummary[] } (newest first) */
export interface CollectionSummary {
  id: string;
  traceId: string;
  zorgaanbiedernaam: string;
  displayName: string;
  gegevensdienstId: string;
  weergavenaam: string;
  startedAt: string;
  status: 'pending' | 'collected' | 'refused';
  /** For `refused`: what happened and why, in plain language, and the rule it demonstrates. */
  refusal?: Refusal;
  /** For `collected`: number of resources. */
  resourceCount?: number;
  /**
   * Afsprakenstelsel 2: the person gave long-lived consent. 'active': the PGO holds a refresh token and collects
   * again without DigiD; 'not-held': the PGO no longer holds it (it restarted: tokens live in memory only) — the
   * consent may still count at the DVZA, where the person can withdraw it; 'withdrawn': the person withdrew it here
   * ("Toestemmingen aanpassen") and the DVZA confirmed; 'withdrawn-unconfirmed': the PGO dropped its tokens but the
   * DVZA did not confirm the revocation; 'ended': the DVZA no longer takes it (lapsed, withdrawn there, or revoked).
   */
  longLivedConsent?: 'active' | 'not-held' | 'withdrawn' | 'withdrawn-unconfirmed' | 'ended';
  /** The DVZA's own page where the person sees and withdraws their consents after DigiD (the sandbox's choice). */
  consentOverviewUrl?: string;
  /**
   * SPEC §10.6: the PGO may not process the BSN, and a DVZA sends it masked. When one sent BSN values anyway (or a
   * collection stored by an older sandbox held them), the PGO dropped them before keeping anything — each such
   * identifier keeps its system, marked masked (data-absent-reason) — and says so here.
   */
  bsnWithheld?: { identifiers: number; note: Bilingual };
}

export interface Refusal {
  /** Machine code: an OAuth error (access_denied, invalid_grant, ...), a TLS verdict (CERT_REVOKED, ...) or a PGO check (state_mismatch, list_expired, not_on_whitelist, ...). */
  code: string;
  /** Which step failed: 'authorization' | 'token' | 'fhir' | 'lists' | 'callback'. */
  step: string;
  /** What the person reads: what happened. */
  title: Bilingual;
  /** Why, in a sentence or two. */
  explanation: Bilingual;
  /** The spec rule, e.g. "SPEC §2.2 beschikbaarheidstoets", in both languages. */
  rule?: Bilingual;
  /** That rule's id in the rule catalogue (packages/rules), e.g. `pgo.digid-login`. */
  ruleId?: string;
  /** Technical detail (error_description, HopError message). */
  detail?: string;
}

/**
 * POST /api/collections/:id/refresh → Collection: fetch again with the same access token (SPEC §1.2
 * step 16: allowed while the token is valid). An expired token comes back as a refusal at step 'fhir'.
 */

/**
 * POST /api/collections/:id/withdraw → Collection: "Toestemmingen aanpassen" — the PGO drops the refresh and
 * access token and revokes the refresh token at the DVZA (RFC 7009 at /oauth/revoke: a sandbox extension, SPEC
 * names no revocation interface). 409 when the collection has no long-lived consent to withdraw.
 */

/** GET /api/collections/:id → Collection */
export interface Collection extends CollectionSummary {
  /** The FHIR STU3 resources collected (searchset entries, de-duplicated), for the dossier view. */
  resources: Array<{ resourceType: string; id: string; [k: string]: unknown }>;
  /** Each FHIR query the PGO ran, with its status and number of entries. */
  queries: Array<{ path: string; description: string; status: number; entries: number }>;
}
