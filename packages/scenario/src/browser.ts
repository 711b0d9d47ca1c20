/**
 * A headless browser for the sandbox: real HTTPS requests from "the browser" (front channels, no client
 * certificate, the sandbox browser CA trusted), cookies per host, no redirects followed by itself — so a
 * scenario can stop at, and check, every step a person's browser takes.
 */
import type { Clock, HostTable, TraceBus } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { hop, type HopResponse } from '@medmij-sandbox/transport';

export type BrowserResponse = HopResponse & { url: URL };

export class HeadlessBrowser {
  private readonly jar = new Map<string, Map<string, string>>();
  /**
   * @param o.hosts where the sandbox hostnames live (each participant's topology address)
   * @param o.bus report the browser's own requests (when a participant under test reports nothing itself)
   */
  constructor(private readonly o: { pki: SandboxPki; clock: Clock; hosts?: HostTable; bus?: TraceBus }) {}

  async request(url: string, o: { form?: Record<string, string>; json?: unknown; method?: string } = {}): Promise<BrowserResponse> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.hostname) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = o.form ? new URLSearchParams(o.form).toString() : o.json !== undefined ? JSON.stringify(o.json) : undefined;
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
      hosts: this.o.hosts,
      ...(this.o.bus ? { bus: this.o.bus } : {}),
    });
    const setCookie = r.headers['set-cookie'] ?? [];
    for (const c of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, eq), pair!.slice(eq + 1)];
      const jar = this.jar.get(target.hostname) ?? new Map<string, string>();
      if (/Max-Age=0/i.test(c)) jar.delete(name);
      else jar.set(name, value);
      this.jar.set(target.hostname, jar);
    }
    return Object.assign(r, { url: target });
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
