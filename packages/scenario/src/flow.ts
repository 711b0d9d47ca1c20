/**
 * The one flow driver: a person's browser from a PGO's authorization request to the PGO's redirect_uri —
 * DVZA landing page → DigiD at the sandbox TVS (persona, outcome, level) → consent page — used by the
 * scenario runner and by the tests that drive the DVZAs. It knows the reference DVZA's pages and the
 * sandbox TVS; any other page ends the walk (`kind: 'page'`).
 */
import { SandboxError } from '@medmij-sandbox/network';
import { HeadlessBrowser, type BrowserResponse } from './browser.js';

/** What the person chooses on the way: at DigiD (BSN, outcome, level) and on the consent page. */
export interface FlowChoices {
  bsn: string;
  /** success | cancelled | authentication_failed | session_expired | tvs_error */
  login: string;
  /** basis | midden | substantieel | hoog */
  level: string;
  /** ja | nee */
  consent: string;
  /**
   * Afsprakenstelsel 2's consent page: the gegevensdiensten (ids) to leave ticked (default: the ones the page
   * ticks), and whether to tick long-lived consent (default not, as the page has it).
   */
  gegevensdiensten?: readonly string[];
  longLived?: boolean;
}

export type FlowEnd = (
  | { kind: 'callback'; response: BrowserResponse; url: URL }
  /** `stopAtConsent`: the browser is at the DVZA's consent page, the question not answered yet. */
  | { kind: 'consent'; response: BrowserResponse }
  /** The browser stopped at a page it does not know how to answer (an error page, another DVZA's pages). */
  | { kind: 'page'; response: BrowserResponse }
) & {
  /** The redirect to the PGO's redirect_uri, with the code or error, when the walk got that far. */
  callback?: URL;
  /** The DVZA's first answer to the authorization request (its landing page, or an error page or redirect). */
  landing: BrowserResponse;
  /** The consent page, when the walk got that far. */
  consentPage?: string;
};

/**
 * Walks from `authorizeUrl` until the browser is back at `redirectUri`'s origin and path. `stopAtCallback`:
 * stop at the redirect to the redirect_uri instead of following it (a raw client, or a PGO that does not
 * run); otherwise follow it to the PGO, which answers with its collection page. `stopAtConsent`: stop at the
 * consent page without answering it; `from` (that page) walks on from there, answering it.
 */
export async function walkThroughFlow(
  browser: HeadlessBrowser,
  o: { redirectUri: string; choices: FlowChoices; stopAtCallback: boolean; stopAtConsent?: boolean } & ({ authorizeUrl: string } | { from: BrowserResponse }),
): Promise<FlowEnd> {
  const redirect = new URL(o.redirectUri);
  let callback: URL | undefined;
  let consentPage: string | undefined;
  const landing = 'from' in o ? o.from : await browser.request(o.authorizeUrl);
  let response = landing;
  const extra = () => ({ landing, ...(callback ? { callback } : {}), ...(consentPage !== undefined ? { consentPage } : {}) });
  for (let i = 0; i < 12; i++) {
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(HeadlessBrowser.location(response));
      if (next.origin === redirect.origin && next.pathname === redirect.pathname) {
        callback = next;
        if (o.stopAtCallback) return { kind: 'callback', response, url: next, ...extra() };
      }
      if (next.hash.startsWith('#/collection/')) return { kind: 'callback', response, url: next, ...extra() };
      response = await browser.request(next.toString());
      continue;
    }
    if (response.status !== 200) return { kind: 'page', response, ...extra() };
    const html = response.text();
    const digid = HeadlessBrowser.link(html, /\/oauth\/digid\?flow=/);
    if (digid) {
      response = await browser.request(new URL(digid, response.url).toString());
    } else if (/name="session"/.test(html)) {
      const session = /name="session" value="([^"]+)"/.exec(html)![1]!;
      response = await browser.request(new URL(HeadlessBrowser.formAction(html), response.url).toString(), {
        form: { session, lang: 'nl', outcome: o.choices.login, bsn: 'other', otherBsn: o.choices.bsn, level: o.choices.level },
      });
    } else if (isConsentPage(html)) {
      consentPage = html;
      if (o.stopAtConsent) return { kind: 'consent', response, ...extra() };
      const answer = consentAnswer(html, o.choices);
      response = await browser.request(new URL(answer.action, response.url).toString(), { form: answer.form });
    } else {
      return { kind: 'page', response, ...extra() };
    }
  }
  throw new SandboxError('the browser went round in circles (more than 12 steps)');
}

/** The reference DVZA's consent page (the Toestemmingsverklaring): a form with the "ja"/"nee" question. */
export function isConsentPage(html: string): boolean {
  return /name="toestemming"/.test(html);
}

/**
 * The answer to a consent page as a browser posts it: to the form's action, the page's flow id, and — on a 2.x
 * page — a checkbox per gegevensdienst (the ones chosen, or the ones the page ticks) and the long-lived option.
 */
export function consentAnswer(
  html: string,
  choices: Pick<FlowChoices, 'consent' | 'gegevensdiensten' | 'longLived'>,
): { action: string; flow: string; form: Record<string, string | string[]> } {
  const flow = /name="flow" value="([^"]+)"/.exec(html)?.[1];
  if (!flow) throw new SandboxError(`the consent page names no flow: ${html.slice(0, 300)}`);
  const offered = [...html.matchAll(/name="gegevensdienst" value="([^"]+)"( checked)?/g)];
  const ticked = offered.filter(([, id, checked]) => (choices.gegevensdiensten ? choices.gegevensdiensten.includes(id!) : !!checked)).map(([, id]) => id!);
  return {
    action: HeadlessBrowser.formAction(html),
    flow,
    form: {
      flow,
      lang: 'nl',
      ...(offered.length ? { gegevensdienst: ticked } : {}),
      ...(choices.longLived && /name="langdurig"/.test(html) ? { langdurig: 'ja' } : {}),
      toestemming: choices.consent,
    },
  };
}

/**
 * The person at a DVZA's own consent overview (afsprakenstelsel 2, the reference DVZA's page): DigiD at the
 * sandbox TVS, then "Toestemming intrekken" for every active consent the overview shows. Says how many were
 * withdrawn and where the browser stopped.
 */
export async function withdrawAtDvza(
  browser: HeadlessBrowser,
  o: { overviewUrl: string; choices: Pick<FlowChoices, 'bsn' | 'login' | 'level'> },
): Promise<{ withdrawn: number; response: BrowserResponse }> {
  // The walk ends at the first page it does not know: the overview (no redirect_uri is ever reached).
  const end = await walkThroughFlow(browser, {
    authorizeUrl: o.overviewUrl,
    redirectUri: new URL('/never-reached', o.overviewUrl).toString(),
    choices: { ...o.choices, consent: 'nee' },
    stopAtCallback: true,
  });
  let response = end.response;
  let withdrawn = 0;
  for (let i = 0; i < 20 && response.status === 200; i++) {
    const html = response.text();
    const form =
      /<form method="post" action="([^"]+)">\s*<input type="hidden" name="consent" value="([^"]+)">\s*<input type="hidden" name="token" value="([^"]+)">/.exec(
        html,
      );
    if (!form) break;
    response = await browser.request(new URL(form[1]!.replace(/&amp;/g, '&'), response.url).toString(), {
      form: { consent: form[2]!, token: form[3]!, lang: 'nl', intrekken: 'ja' },
    });
    // Post/redirect/get: the overview again, saying what was withdrawn.
    if (response.status === 303) response = await browser.request(HeadlessBrowser.location(response));
    if (response.status === 200 && /role="status"/.test(response.text())) withdrawn++;
  }
  return { withdrawn, response };
}
