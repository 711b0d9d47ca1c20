/**
 * For tests: a scripted PGO and its person's browser, driving the real network over HTTPS — the browser on
 * the front channels (cookies per host, no client certificate), the PGO server on the back channel with
 * its own client certificate. It does what the reference PGO (issue 6) will do, step by step, so each
 * refusal can be provoked at exactly one step.
 */
import type { Clock, TraceBus } from '@medmij-sandbox/network';
import type { ListConsumer, ZorgaanbiederGegevensdienst } from '@medmij-sandbox/lists';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { hop, type HopResponse } from '@medmij-sandbox/transport';
import { HeadlessBrowser } from '@medmij-sandbox/scenario';

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
  /** The PGO's redirect_uri as the browser finally reached it, with code or error. */
  callback: URLSearchParams;
  /** The consent page, if the flow got that far. */
  consentPage?: string;
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

  /** SPEC §2.1: the authorization request URL, with overrides to provoke each refusal. */
  authorizationUrl(
    entry: ZorgaanbiederGegevensdienst,
    zorgaanbiedernaam: string,
    o: { state: string; traceId: string; params?: Record<string, string | null> },
  ): string {
    const url = new URL(entry.authorizationEndpointUri);
    const params: Record<string, string | null> = {
      response_type: 'code',
      client_id: this.o.pgoHostname,
      redirect_uri: this.o.redirectUri,
      scope: `${zorgaanbiedernaam.replace(/@medmij$/, '')}~${entry.gegevensdienstId}`,
      state: o.state,
      'MedMij-Request-ID': next('request'),
      'X-Correlation-ID': o.traceId,
      ...o.params,
    };
    for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
    return url.toString();
  }

  /**
   * The person's whole front-channel journey: DVZA landing page → DigiD at the TVS → consent → back at the
   * PGO. Stops wherever the network sends the browser back to the PGO's redirect_uri.
   */
  async authorize(
    zorgaanbiedernaam: string,
    gegevensdienstId: string,
    choice: LoginChoice,
    params?: Record<string, string | null>,
  ): Promise<AuthorizationOutcome & { landing: HopResponse }> {
    const browser = new HeadlessBrowser(this.o);
    const state = next('state');
    const traceId = next('trace');
    const entry = this.endpoints(zorgaanbiedernaam, gegevensdienstId);
    const landing = await browser.request(this.authorizationUrl(entry, zorgaanbiedernaam, { state, traceId, params }));
    const done = (url: string, consentPage?: string) => ({ callback: new URL(url).searchParams, consentPage, state, traceId, landing });
    if (landing.status === 302) return done(HeadlessBrowser.location(landing));
    if (landing.status !== 200) return { callback: new URLSearchParams(), state, traceId, landing };

    const digid = /href="([^"]*\/oauth\/digid\?flow=[^"]+)"/.exec(landing.text())![1]!.replace(/&amp;/g, '&');
    const toTvs = await browser.request(new URL(digid, landing.url).toString());
    const tvsAuthorize = await browser.request(HeadlessBrowser.location(toTvs));
    const loginPage = await browser.request(HeadlessBrowser.location(tvsAuthorize));
    const session = /name="session" value="([^"]+)"/.exec(loginPage.text())![1]!;
    const submitted = await browser.request(new URL(HeadlessBrowser.formAction(loginPage.text()), loginPage.url).toString(), {
      form: {
        session,
        outcome: choice.outcome ?? 'success',
        bsn: 'other',
        otherBsn: choice.bsn,
        level: choice.level ?? 'substantieel',
      },
    });
    const back = await browser.request(HeadlessBrowser.location(submitted));
    if (back.status === 302) return done(HeadlessBrowser.location(back));
    const consentPage = back.text();
    const flow = /name="flow" value="([^"]+)"/.exec(consentPage)?.[1];
    if (!flow) throw new Error(`no consent page after DigiD: HTTP ${back.status} ${consentPage.slice(0, 300)}`);
    const answered = await browser.request(new URL(HeadlessBrowser.formAction(consentPage), back.url).toString(), {
      form: { flow, toestemming: choice.consent ?? 'ja' },
    });
    return done(HeadlessBrowser.location(answered), consentPage);
  }

  /** SPEC §2.5: the code for a token, on the back channel with the PGO's client certificate. */
  async token(
    entry: ZorgaanbiederGegevensdienst,
    code: string,
    o: { traceId?: string; from?: string; form?: Record<string, string | null>; clientCertificate?: boolean } = {},
  ): Promise<HopResponse> {
    const form: Record<string, string | null> = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.o.redirectUri,
      client_id: this.o.pgoHostname,
      ...o.form,
    };
    return hop(entry.tokenEndpointUri, {
      method: 'POST',
      from: o.from ?? this.o.pgoHostname,
      clientCertificate: o.clientCertificate,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'medmij-request-id': next('request'),
        ...(o.traceId ? { 'x-correlation-id': o.traceId } : {}),
      },
      body: new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== null)).toString(),
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
