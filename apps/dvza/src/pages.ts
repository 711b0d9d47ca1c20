/**
 * The pages of a DVZA's authorization server, in the zorgaanbieder's own domain (SPEC §1.3, RFC0070):
 * the Landingspagina before DigiD, the Toestemmingsverklaring (consent) after a positive
 * beschikbaarheidstoets, and an error page for requests that must not be redirected (SPEC §2.4).
 * Dutch by default, English with lang=en. hono's `html` escapes every interpolated value.
 */
import { html } from 'hono/html';
import { contentSecurityPolicy, inlineHash } from '@medmij-sandbox/transport';
import type { HtmlEscapedString } from 'hono/utils/html';
import { catalogueEntry, nestedReasons, type Params, type Text } from '@medmij-sandbox/rules';

export type Lang = 'nl' | 'en';

export function langOf(value: string | null | undefined): Lang {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

const TEXT = {
  nl: {
    banner: 'SANDBOX — verzonnen zorgaanbieder met verzonnen gegevens. Niet voor echte gegevens.',
    toggle: 'English',
    landingTitle: (za: string) => `Welkom bij ${za}`,
    landingIntro: (pgo: string, za: string) =>
      `${pgo} wil namens u gegevens ophalen bij ${za}. U verlaat nu uw persoonlijke gezondheidsomgeving en komt in de omgeving van ${za}. Eerst logt u in met DigiD.`,
    landingServices: 'Het gaat om',
    toDigid: 'Verder naar DigiD',
    cancel: 'Annuleren en terug',
    consentTitle: 'Toestemming geven',
    consentQuestion: (za: string, pgo: string) =>
      `Wilt u dat ${za} de onderstaande gegevens klaarzet voor uw persoonlijke gezondheidsomgeving? Daarvoor geeft u ${za} toestemming om deze gegevens naar ${pgo} te sturen.`,
    consentWho: (name: string) => `Ingelogd als ${name}.`,
    consentExplain:
      'Meer over hoe deze zorgaanbieder met uw gegevens omgaat, leest u in zijn privacyverklaring. U kunt uw toestemming later aanpassen in uw persoonlijke gezondheidsomgeving via "Toestemmingen aanpassen". Voor het uitwisselen gelden de afspraken van MedMij.',
    yes: 'Ja, ik geef toestemming',
    no: 'Nee, ik geef geen toestemming',
    choose: 'Kies de gegevens waarvoor u toestemming geeft:',
    chooseOne: 'Kies ten minste één soort gegevens, of geef geen toestemming.',
    longLived: 'Langdurige toestemming: mijn persoonlijke gezondheidsomgeving mag deze gegevens ook later ophalen, zonder dat ik opnieuw inlog.',
    longLivedExplain:
      'Zonder dit vinkje geldt uw toestemming alleen nu. Met langdurige toestemming vervalt die als er meer dan 6 maanden niets is opgehaald; u kunt haar altijd intrekken.',
    errorTitle: 'Dit verzoek kan niet verder',
    errorBack: 'Ga terug naar uw persoonlijke gezondheidsomgeving en probeer het opnieuw.',
    overviewTitle: 'Mijn toestemmingen',
    overviewIntro: (za: string) =>
      `Hier ziet u aan welke persoonlijke gezondheidsomgevingen u langdurige toestemming gaf om gegevens op te halen bij ${za}. U kunt elke toestemming intrekken; daarna kan die app pas weer ophalen als u opnieuw inlogt en toestemming geeft.`,
    overviewNone: 'U hebt bij deze zorgaanbieder geen langdurige toestemmingen gegeven.',
    overviewSandbox:
      'Sandbox: MedMij schrijft niet voor hoe u een toestemming bij de zorgaanbieder intrekt; deze pagina is een keuze van de sandbox. In uw app heet het "Toestemmingen aanpassen".',
    overviewGranted: (at: string) => `gegeven op ${at}`,
    overviewCollected: (at: string) => `laatst opgehaald op ${at}`,
    overviewActive: (until: string) => `actief, vervalt op ${until} als er tot dan niets wordt opgehaald`,
    overviewWithdrawn: (at: string) => `ingetrokken op ${at}`,
    overviewRevoked: (at: string) => `beëindigd op ${at} (een code of refresh token werd opnieuw aangeboden)`,
    overviewLapsed: (at: string) => `vervallen op ${at}`,
    overviewWithdraw: 'Toestemming intrekken',
    overviewDone: (pgo: string) => `U hebt de toestemming voor ${pgo} ingetrokken.`,
  },
  en: {
    banner: 'SANDBOX — a made-up care provider with made-up data. Never for real data.',
    toggle: 'Nederlands',
    landingTitle: (za: string) => `Welcome to ${za}`,
    landingIntro: (pgo: string, za: string) =>
      `${pgo} wants to collect data from ${za} on your behalf. You are leaving your personal health environment and entering the domain of ${za}. First you log in with DigiD.`,
    landingServices: 'This concerns',
    toDigid: 'Continue to DigiD',
    cancel: 'Cancel and go back',
    consentTitle: 'Give consent',
    consentQuestion: (za: string, pgo: string) =>
      `Do you want ${za} to make the data below available to your personal health environment? For this you consent to ${za} sending this data to ${pgo}.`,
    consentWho: (name: string) => `Logged in as ${name}.`,
    consentExplain:
      'How this care provider handles your data is described in its privacy statement. You can change your consent later in your personal health environment under "Toestemmingen aanpassen". The MedMij rules apply to the exchange.',
    yes: 'Yes, I consent',
    no: 'No, I do not consent',
    choose: 'Choose the data you consent to:',
    chooseOne: 'Choose at least one kind of data, or do not consent.',
    longLived: 'Long-lived consent: my personal health environment may collect this data later too, without my logging in again.',
    longLivedExplain:
      'Without this box your consent counts for now only. Long-lived consent lapses when nothing was collected for more than 6 months; you can withdraw it at any time.',
    errorTitle: 'This request cannot continue',
    errorBack: 'Go back to your personal health environment and try again.',
    overviewTitle: 'My consents',
    overviewIntro: (za: string) =>
      `Here you see which personal health environments you gave long-lived consent to collect data from ${za}. You can withdraw each consent; that app can then collect again only after you log in and consent again.`,
    overviewNone: 'You have given no long-lived consent at this care provider.',
    overviewSandbox:
      'Sandbox: MedMij does not prescribe how you withdraw consent at the care provider; this page is the sandbox\'s choice. In your app it is called "Toestemmingen aanpassen".',
    overviewGranted: (at: string) => `given on ${at}`,
    overviewCollected: (at: string) => `last collected on ${at}`,
    overviewActive: (until: string) => `active; lapses on ${until} if nothing is collected until then`,
    overviewWithdrawn: (at: string) => `withdrawn on ${at}`,
    overviewRevoked: (at: string) => `ended on ${at} (a code or refresh token was offered again)`,
    overviewLapsed: (at: string) => `lapsed on ${at}`,
    overviewWithdraw: 'Withdraw consent',
    overviewDone: (pgo: string) => `You withdrew the consent for ${pgo}.`,
  },
} as const;

export function texts(lang: Lang) {
  return TEXT[lang];
}

/**
 * A refusal's page text in `lang` alone. A catalogue text sees the reasons nested in its parameters (`nest`) as
 * they were said, usually in English for the trace: on a Dutch page that made one sentence in two languages,
 * so each nested reason is said again in `lang` here (the trace keeps its own words).
 */
export function pageReason<P extends Params>(t: Text<P>, params: P, lang: Lang): string {
  return t[lang](inLanguage(params, lang) as P);
}

function inLanguage(params: Params, lang: Lang): Params {
  const out: Params = { ...params };
  for (const n of nestedReasons(params)) {
    const entry = catalogueEntry(n.ruleId);
    // Deeper nesting too; an unknown id or a plain string from elsewhere keeps the text as it came.
    if (entry?.kind === 'reason') out[n.name] = entry[lang](inLanguage(n.params, lang));
  }
  return out;
}

// The green passes AAA contrast (7.6:1 on white) too: axe's color-contrast-enhanced runs on these pages.
const STYLE = `
  :root { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }
  body { margin: 0; }
  .banner { background: #e6f2ea; border-bottom: 3px solid #186034; padding: .5rem 1rem; font-weight: 600; display: flex; justify-content: space-between; gap: 1rem; }
  .banner a { color: #1a1a1a; }
  .brand { padding: 1rem; border-bottom: 1px solid #ccc; }
  .brand strong { font-size: 1.25rem; color: #186034; }
  main { max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
  h1 { color: #186034; }
  button, .button { font: inherit; padding: .5rem 1.25rem; margin: .25rem .5rem .25rem 0; border-radius: 3px; cursor: pointer; display: inline-block; text-decoration: none; }
  .primary { background: #186034; color: #fff; border: 2px solid #186034; }
  .secondary { background: #fff; color: #186034; border: 2px solid #186034; }
  button:focus-visible, a:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
  .error { border-left: 4px solid #b00020; background: #fde7ea; padding: .5rem 1rem; }
  .note { color: #4a4a4a; }
`;

/** The pages' Content-Security-Policy: their one inline <style> by its hash; no script, no framing. */
export const PAGE_CSP = contentSecurityPolicy({ 'style-src': [inlineHash(STYLE)], 'img-src': ["'self'"] });

function page(lang: Lang, title: string, zorgaanbieder: string, toggleHref: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  const t = texts(lang);
  // Everything inside a landmark (axe's region rule): the sandbox banner and the zorgaanbieder's name are the header.
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — ${zorgaanbieder}</title><style>${STYLE}</style></head>
<body>
<header>
<div class="banner" role="note"><span>${t.banner}</span><a href="${toggleHref}" lang="${lang === 'nl' ? 'en' : 'nl'}">${t.toggle}</a></div>
<div class="brand"><strong>${zorgaanbieder}</strong></div>
</header>
<main>${body}</main>
</body>
</html>`;
}

export function landingPage(p: {
  lang: Lang;
  zorgaanbieder: string;
  pgo: string;
  gegevensdiensten: string[];
  digidHref: string;
  cancelHref: string;
  toggleHref: string;
}) {
  const t = texts(p.lang);
  return page(
    p.lang,
    t.landingTitle(p.zorgaanbieder),
    p.zorgaanbieder,
    p.toggleHref,
    html`<h1>${t.landingTitle(p.zorgaanbieder)}</h1>
<p>${t.landingIntro(p.pgo, p.zorgaanbieder)}</p>
<p>${t.landingServices}:</p><ul>${p.gegevensdiensten.map((g) => html`<li>${g}</li>`)}</ul>
<p><a class="button primary" href="${p.digidHref}">${t.toDigid}</a> <a class="button secondary" href="${p.cancelHref}">${t.cancel}</a></p>`,
  );
}

export function consentPage(p: {
  lang: Lang;
  zorgaanbieder: string;
  pgo: string;
  patientName: string;
  gegevensdiensten: string[];
  flowId: string;
  formAction: string;
  toggleHref: string;
  /** Afsprakenstelsel 2: the ids of `gegevensdiensten` (same order) as checkboxes, and the long-lived option. */
  choose?: { ids: string[]; chooseOne: boolean };
}) {
  const t = texts(p.lang);
  const top = html`<h1>${t.consentTitle}</h1>
<p class="note">${t.consentWho(p.patientName)}</p>
<p>${t.consentQuestion(p.zorgaanbieder, p.pgo)}</p>`;
  const hidden = html`<input type="hidden" name="flow" value="${p.flowId}">
  <input type="hidden" name="lang" value="${p.lang}">`;
  const answers = html`<button class="primary" type="submit" name="toestemming" value="ja">${t.yes}</button>
  <button class="secondary" type="submit" name="toestemming" value="nee">${t.no}</button>`;
  const choose = p.choose;
  const body = choose
    ? html`${top}
<form method="post" action="${p.formAction}">
  ${hidden}
  <fieldset><legend>${t.choose}</legend>
  ${choose.chooseOne ? html`<p class="error" role="alert">${t.chooseOne}</p>` : ''}
  ${choose.ids.map((id, i) => html`<label><input type="checkbox" name="gegevensdienst" value="${id}" checked> ${p.gegevensdiensten[i]!}</label><br>`)}
  </fieldset>
  <p><label><input type="checkbox" name="langdurig" value="ja"> ${t.longLived}</label></p>
  <p class="note">${t.longLivedExplain}</p>
  <p class="note">${t.consentExplain}</p>
  ${answers}
</form>`
    : html`${top}
<ul>${p.gegevensdiensten.map((g) => html`<li>${g}</li>`)}</ul>
<p class="note">${t.consentExplain}</p>
<form method="post" action="${p.formAction}">
  ${hidden}
  ${answers}
</form>`;
  return page(p.lang, t.consentTitle, p.zorgaanbieder, p.toggleHref, body);
}

export function errorPage(p: { lang: Lang; zorgaanbieder: string; error: string; reason: string; toggleHref: string }) {
  const t = texts(p.lang);
  return page(
    p.lang,
    t.errorTitle,
    p.zorgaanbieder,
    p.toggleHref,
    html`<h1>${t.errorTitle}</h1><p class="error" role="alert">${p.reason}</p><p class="note">OAuth: <code>${p.error}</code></p><p>${t.errorBack}</p>`,
  );
}

/** One long-lived consent as its person sees it on the overview. */
export interface ConsentRow {
  id: string;
  pgo: string;
  gegevensdiensten: string[];
  grantedAt: string;
  lastCollectedAt: string;
  state: { active: string } | { withdrawn: string } | { revoked: string } | { lapsed: string };
}

/** The person's own overview of their long-lived consents at this DVZA (after DigiD), a withdraw button each. */
export function consentOverviewPage(p: {
  lang: Lang;
  zorgaanbieder: string;
  patientName: string;
  consents: ConsentRow[];
  formAction: string;
  formToken: string;
  toggleHref: string;
  /** Just withdrawn: whose consent. */
  done?: string;
}) {
  const t = texts(p.lang);
  const state = (s: ConsentRow['state']) =>
    'active' in s
      ? t.overviewActive(s.active)
      : 'withdrawn' in s
        ? t.overviewWithdrawn(s.withdrawn)
        : 'revoked' in s
          ? t.overviewRevoked(s.revoked)
          : t.overviewLapsed(s.lapsed);
  const rows = p.consents.map(
    (c) => html`<li class="consent">
  <strong>${c.pgo}</strong>: ${c.gegevensdiensten.join(', ')}<br>
  <span class="note">${t.overviewGranted(c.grantedAt)}; ${t.overviewCollected(c.lastCollectedAt)}; ${state(c.state)}</span>
  ${
    'active' in c.state
      ? html`<form method="post" action="${p.formAction}">
    <input type="hidden" name="consent" value="${c.id}">
    <input type="hidden" name="token" value="${p.formToken}">
    <input type="hidden" name="lang" value="${p.lang}">
    <button class="secondary" type="submit" name="intrekken" value="ja">${t.overviewWithdraw}</button>
  </form>`
      : ''
  }
</li>`,
  );
  return page(
    p.lang,
    t.overviewTitle,
    p.zorgaanbieder,
    p.toggleHref,
    html`<h1>${t.overviewTitle}</h1>
<p class="note">${t.consentWho(p.patientName)}</p>
${p.done ? html`<p class="done" role="status">${t.overviewDone(p.done)}</p>` : ''}
<p>${t.overviewIntro(p.zorgaanbieder)}</p>
${p.consents.length ? html`<ul class="consents">${rows}</ul>` : html`<p>${t.overviewNone}</p>`}
<p class="note">${t.overviewSandbox}</p>`,
  );
}
