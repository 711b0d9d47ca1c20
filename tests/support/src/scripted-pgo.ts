/**
 * A scripted PGO and its person's browser, driving the real network over HTTPS — the browser on the front
 * channels (cookies per host, no client certificate) through the one flow driver the scenario runner uses
 * too, the PGO server on the back channel with its own client certificate. It does what the reference PGO
 * does, step by step, so each refusal of a DVZA can be provoked at exactly one step.
 */
import type { Clock, TraceBus } from '@medmij-sandbox/network';
import type { ListConsumer, ZorgaanbiederGegevensdienst } from '@medmij-sandbox/lists';
import { authorizationRequestUrl, scopeOf, tokenRequestBody } from '@medmij-sandbox/medmij-oauth';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { HeadlessBrowser, walkThroughFlow, type BrowserResponse } from '@medmij-sandbox/scenario';
import { hop, type HopResponse } from '@medmij-sandbox/transport';

export interface ScriptOptions {
  pgoHostname: string;
  redirectUri: string;
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
  lists: ListConsumer;
}

export interface LoginChoice {
  bsn: string;
  level?: 'basis' | 'midden' | 'substantieel' | 'hoog';
  /** The person's choice at the TVS (default success). */
  outcome?: 'success' | 'cancelled' | 'authentication_failed' | 'session_expired' | 'tvs_error';
  /** The person's answer on the consent page (default ja). */
  consent?: 'ja' | 'nee';
}

export interface AuthorizationOutcome {
  /** The PGO's redirect_uri as the browser finally reached it, with code or error (empty: it never got there). */
  callback: URLSearchParams;
  /** The consent page, if the flow got that far. */
  consentPage?: string;
  /** The DVZA's first answer to the authorization request. */
  landing: BrowserResponse;
  state: string;
  traceId: string;
}

/** Ids from a counter: the script stays deterministic. */
let counter = 0;
const next = (what: string) => `${what}-${String(++counter).padStart(4, '0')}`;

export class ScriptedPgo {
  constructor(readonly o: ScriptOptions) {}

  /** The Zorgaanbiederslijst entry of a zorgaanbieder for a gegevensdienst. */
  endpoints(zorgaanbiedernaam: string, gegevensdienstId: string): ZorgaanbiederGegevensdienst {
    // Whatever its age: this script tests the DVZA's list rules, not its own.
    const za = this.o.lists.current('Zorgaanbiederslijst')?.zorgaanbieders.find((z) => z.zorgaanbiedernaam === zorgaanbiedernaam);
    const entry = za?.gegevensdiensten.find((g) => g.gegevensdienstId === gegevensdienstId);
    if (!entry) throw new Error(`${zorgaanbiedernaam} offers no gegevensdienst ${gegevensdienstId} on the Zorgaanbiederslijst`);
    return entry;
  }

  /** SPEC §2.1: the authorization request URL, with overrides (`null`: leave out) to provoke each refusal. */
  authorizationUrl(
    entry: ZorgaanbiederGegevensdienst,
    zorgaanbiedernaam: string,
    o: { state: string; traceId: string; params?: Record<string, string | null> },
  ): string {
    return authorizationRequestUrl(
      entry.authorizationEndpointUri,
      {
        response_type: 'code',
        client_id: this.o.pgoHostname,
        redirect_uri: this.o.redirectUri,
        scope: scopeOf(zorgaanbiedernaam, entry.gegevensdienstId),
        state: o.state,
        'MedMij-Request-ID': next('request'),
        'X-Correlation-ID': o.traceId,
      },
      o.params,
    );
  }

  /**
   * The person's whole front-channel journey: DVZA landing page → DigiD at the TVS → consent → back at the
   * PGO's redirect_uri (the browser stops there: this PGO runs no server).
   */
  async authorize(
    zorgaanbiedernaam: string,
    gegevensdienstId: string,
    choice: LoginChoice,
    params?: Record<string, string | null>,
  ): Promise<AuthorizationOutcome> {
    const browser = new HeadlessBrowser(this.o);
    const state = next('state');
    const traceId = next('trace');
    const entry = this.endpoints(zorgaanbiedernaam, gegevensdienstId);
    const end = await walkThroughFlow(browser, {
      authorizeUrl: this.authorizationUrl(entry, zorgaanbiedernaam, { state, traceId, params }),
      redirectUri: this.o.redirectUri,
      choices: { bsn: choice.bsn, login: choice.outcome ?? 'success', level: choice.level ?? 'substantieel', consent: choice.consent ?? 'ja' },
      stopAtCallback: true,
    });
    const callback = end.kind === 'callback' ? end.url.searchParams : new URLSearchParams();
    return { callback, ...(end.consentPage !== undefined ? { consentPage: end.consentPage } : {}), landing: end.landing, state, traceId };
  }

  /** SPEC §2.5: the code for a token, on the back channel with the PGO's client certificate. */
  async token(
    entry: ZorgaanbiederGegevensdienst,
    code: string,
    o: { traceId?: string; from?: string; form?: Record<string, string | null>; clientCertificate?: boolean } = {},
  ): Promise<HopResponse> {
    return hop(entry.tokenEndpointUri, {
      method: 'POST',
      from: o.from ?? this.o.pgoHostname,
      clientCertificate: o.clientCertificate,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'medmij-request-id': next('request'),
        ...(o.traceId ? { 'x-correlation-id': o.traceId } : {}),
      },
      body: tokenRequestBody({ code, redirect_uri: this.o.redirectUri, client_id: this.o.pgoHostname }, o.form),
      pki: this.o.pki,
      clock: this.o.clock,
      bus: this.o.bus,
    });
  }

  /** SPEC §2.7: one FHIR request with the token and the MedMij headers. */
  async fhir(
    entry: ZorgaanbiederGegevensdienst,
    path: string,
    o: { token?: string; traceId?: string; from?: string; headers?: Record<string, string> } = {},
  ): Promise<HopResponse> {
    return hop(`${entry.systeemrollen[0]!.resourceEndpointUri}/${path}`, {
      from: o.from ?? this.o.pgoHostname,
      headers: {
        accept: 'application/fhir+json',
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        'medmij-request-id': next('request'),
        'x-correlation-id': o.traceId ?? next('trace'),
        ...o.headers,
      },
      pki: this.o.pki,
      clock: this.o.clock,
      bus: this.o.bus,
    });
  }
}
