/**
 * A headless browser for the sandbox: real HTTPS requests from "the browser" (front channels, no client
 * certificate, the sandbox browser CA trusted), cookies per host, no redirects followed by itself — so a
 * scenario can stop at, and check, every step a person's browser takes.
 */
import { CookieJar } from 'tough-cookie';
import type { Clock, HostTable, TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { hop, type HopResponse } from '@medmij-sandbox/transport';

export type BrowserResponse = HopResponse & { url: URL };

/** Every hop a scenario makes waits this long before it calls the answer lost (timeouts are for hangs, not load). */
export const SCENARIO_HOP_TIMEOUT_MS = 120_000;

export class HeadlessBrowser {
  /** Cookies as a browser keeps them (host, path, expiry, Secure), by a well-kept library rather than by hand. */
  private readonly jar = new CookieJar();
  /**
   * @param o.hosts where the sandbox hostnames live (each participant's topology address)
   * @param o.bus report the browser's own requests (when a participant under test reports nothing itself)
   */
  constructor(private readonly o: { pki: SandboxPki; clock: Clock; hosts?: HostTable; bus?: TraceBus }) {}

  /** `form`: a field given as a list is sent once per value, as a browser sends ticked checkboxes of one name. */
  async request(url: string, o: { form?: Record<string, string | readonly string[]>; json?: unknown; method?: string } = {}): Promise<BrowserResponse> {
    const target = new URL(url);
    const cookies = this.jar.getCookieStringSync(target.toString());
    const body = o.form
      ? new URLSearchParams(
          Object.entries(o.form).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : v.map((x): [string, string] => [k, x]))),
        ).toString()
      : o.json !== undefined
        ? JSON.stringify(o.json)
        : undefined;
    const r = await hop(url, {
      from: 'browser',
      clientCertificate: false,
      expectServerCertificate: 'browser',
      method: o.method ?? (body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(cookies ? { cookie: cookies } : {}),
        ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(o.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body,
      pki: this.o.pki,
      clock: this.o.clock,
      // A safety net for a hang, not a target: a page that waits on other participants' hops (the PGO's callback
      // redeems the code and runs the FHIR queries) can take long on a busy 2-core machine.
      timeoutMs: SCENARIO_HOP_TIMEOUT_MS,
      hosts: this.o.hosts,
      ...(this.o.bus ? { bus: this.o.bus } : {}),
    });
    const setCookie = r.headers['set-cookie'] ?? [];
    for (const c of Array.isArray(setCookie) ? setCookie : [setCookie]) this.jar.setCookieSync(c, target.toString(), { ignoreError: true });
    return Object.assign(r, { url: target });
  }

  /**
   * This browser as a `fetch` (its cookies, the sandbox PKI, no redirects followed): what the PGO API's typed
   * client (packages/pgo-api) needs to act as the person's browser.
   */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request = new Request(input, init);
    const text = request.body ? await request.text() : undefined;
    const json = text !== undefined && request.headers.get('content-type')?.includes('application/json') ? (JSON.parse(text) as unknown) : undefined;
    const r = await this.request(request.url, { method: request.method, ...(json !== undefined ? { json } : {}) });
    const headers = new Headers();
    for (const [k, v] of Object.entries(r.headers)) for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, value);
    return new Response(r.status === 204 || r.status === 304 ? null : new Uint8Array(r.body), { status: r.status, headers });
  };

  /**
   * A cookie this browser did not get from a server, as someone sets it by hand (`name=value`, sent to every path
   * of `url`'s host over HTTPS): an attacker forging a cookie he never received.
   */
  plantCookie(cookie: string, url: string): void {
    this.jar.setCookieSync(`${cookie}; Path=/; Secure`, url);
  }

  /** Where a redirect points, absolute. */
  static location(r: BrowserResponse): string {
    return new URL(String(r.headers.location), r.url).toString();
  }

  /** Where a page's (first) form posts to, as a browser reads it. */
  static formAction(html: string): string {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form on the page: ${html.slice(0, 300)}`);
    return action.replace(/&amp;/g, '&');
  }

  /** The href of the first link matching `pattern`. */
  static link(html: string, pattern: RegExp): string | undefined {
    for (const m of html.matchAll(/href="([^"]+)"/g)) if (pattern.test(m[1]!.replace(/&amp;/g, '&'))) return m[1]!.replace(/&amp;/g, '&');
    return undefined;
  }
}
