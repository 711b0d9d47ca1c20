/**
 * The pages a person sees at the mock TVS: the DigiD-like login with the persona picker, and the error
 * page for requests that cannot safely be sent back. Dutch by default, English with `lang=en`.
 * Rendered with hono's `html` helper, which escapes every interpolated value.
 */
import { html } from 'hono/html';
import { contentSecurityPolicy, inlineHash } from '@medmij-sandbox/transport';
import type { HtmlEscapedString } from 'hono/utils/html';
import { ASSURANCE_LEVELS, type AssuranceLevelId } from '@medmij-sandbox/tvs-client';

export type Lang = 'nl' | 'en';

export function langOf(value: string | null | undefined): Lang {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

const TEXT = {
  nl: {
    banner: 'SANDBOX — dit is geen echte DigiD. Alleen verzonnen testpersonen, niet voor echte gegevens.',
    toggle: 'English',
    title: 'Inloggen met DigiD',
    intro: (service: string) => `U logt in bij ${service}. De Toegangsverleningservice stuurt uw BSN versleuteld door naar alleen deze dienst.`,
    requested: 'Gevraagd betrouwbaarheidsniveau',
    personas: 'Kies een testpersoon',
    age: (n: number) => `${n} jaar`,
    deceased: 'overleden',
    knownAt: 'Bekend bij',
    knownNowhere: 'bij geen enkele zorgaanbieder bekend',
    gegevensdiensten: 'gegevensdiensten',
    otherBsn: 'Ander BSN (voor gevorderden)',
    otherBsnHint: '9 cijfers die aan de 11-proef voldoen',
    level: 'Met welk niveau logt u in?',
    levelBelow: 'lager dan gevraagd: de zorgaanbieder hoort dit te weigeren',
    login: 'Inloggen',
    cancel: 'Annuleren',
    otherOutcomes: 'Een andere afloop nabootsen',
    failed: 'Inloggen mislukt',
    expired: 'Sessie verlopen',
    tvsError: 'Storing bij de TVS',
    expiresAt: (t: string) => `Deze inlogsessie verloopt om ${t} (sandboxklok).`,
    errorTitle: 'Deze inlogpoging kan niet verder',
    errorBack: 'Ga terug naar de website waar u vandaan kwam en begin opnieuw.',
    chooseButton: 'Kies een van de knoppen.',
    chooseBsn: 'Kies een testpersoon of vul een BSN in.',
    badBsn: 'Dit BSN klopt niet: het moet 9 cijfers hebben en aan de 11-proef voldoen.',
    homeTitle: 'Toegangsverleningservice (sandbox)',
    homeIntro:
      "Een nagebootste DigiD achter een TVS. Zorgaanbieders (DVZA's) sturen de browser hierheen; na het inloggen krijgen zij het BSN versleuteld via het back channel.",
    homePersonas: 'Testpersonen',
  },
  en: {
    banner: 'SANDBOX — this is not the real DigiD. Made-up test persons only, never real data.',
    toggle: 'Nederlands',
    title: 'Log in with DigiD',
    intro: (service: string) => `You are logging in to ${service}. The Toegangsverleningservice passes your BSN, encrypted, to this service only.`,
    requested: 'Requested assurance level',
    personas: 'Choose a test person',
    age: (n: number) => `${n} years`,
    deceased: 'deceased',
    knownAt: 'Known at',
    knownNowhere: 'known at no care provider',
    gegevensdiensten: 'gegevensdiensten',
    otherBsn: 'Other BSN (advanced)',
    otherBsnHint: '9 digits that pass the 11-proef',
    level: 'Which level do you log in with?',
    levelBelow: 'lower than requested: the care provider should refuse it',
    login: 'Log in',
    cancel: 'Cancel',
    otherOutcomes: 'Simulate another outcome',
    failed: 'Login failed',
    expired: 'Session expired',
    tvsError: 'TVS failure',
    expiresAt: (t: string) => `This login session expires at ${t} (sandbox clock).`,
    errorTitle: 'This login attempt cannot continue',
    errorBack: 'Go back to the website you came from and start again.',
    chooseButton: 'Choose one of the buttons.',
    chooseBsn: 'Choose a test person or enter a BSN.',
    badBsn: 'This BSN is not valid: it needs 9 digits that pass the 11-proef.',
    homeTitle: 'Toegangsverleningservice (sandbox)',
    homeIntro: 'A mock DigiD behind a TVS. Care providers (DVZAs) send the browser here; after login they receive the BSN, encrypted, over the back channel.',
    homePersonas: 'Test persons',
  },
} as const;

export type Texts = (typeof TEXT)[Lang];
export function texts(lang: Lang): Texts {
  return TEXT[lang];
}

/** What the picker shows of a persona (from packages/fhir-data). */
export interface PersonaCard {
  key: string;
  bsn: string;
  display: string;
  age: number;
  deceased: boolean;
  scenario: { nl: string; en: string };
  knownAt: { name: string; gegevensdiensten: string[] }[];
}

const STYLE = `
  :root { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }
  body { margin: 0; }
  .banner { background: #ffd9b3; border-bottom: 3px solid #e17000; padding: .5rem 1rem; font-weight: 600; display: flex; justify-content: space-between; gap: 1rem; }
  .banner a { color: #1a1a1a; }
  main { max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
  h1 { color: #154273; }
  fieldset { border: 1px solid #767676; margin: 1rem 0; padding: .75rem 1rem; }
  legend { font-weight: 700; padding: 0 .25rem; }
  .persona { display: grid; grid-template-columns: auto 1fr; gap: .5rem; padding: .5rem 0; border-bottom: 1px solid #ddd; }
  .persona small { display: block; color: #4a4a4a; }
  .level { display: block; margin: .25rem 0; }
  button { font: inherit; padding: .5rem 1.25rem; margin: .25rem .5rem .25rem 0; border-radius: 3px; cursor: pointer; }
  button.primary { background: #154273; color: #fff; border: 2px solid #154273; }
  button.secondary { background: #fff; color: #154273; border: 2px solid #154273; }
  button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #e17000; outline-offset: 2px; }
  .error { border-left: 4px solid #b00020; background: #fde7ea; padding: .5rem 1rem; }
  .note { color: #4a4a4a; }
`;

/** The pages' Content-Security-Policy: their one inline <style> by its hash; no script, no framing. */
export const PAGE_CSP = contentSecurityPolicy({ 'style-src': [inlineHash(STYLE)], 'img-src': ["'self'"] });

function page(lang: Lang, title: string, toggleHref: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  const t = texts(lang);
  // Everything inside a landmark (axe's region rule): the sandbox banner is the page's header.
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLE}</style></head>
<body>
<header><div class="banner" role="note"><span>${t.banner}</span><a href="${toggleHref}" lang="${lang === 'nl' ? 'en' : 'nl'}">${t.toggle}</a></div></header>
<main>${body}</main>
</body>
</html>`;
}

export interface LoginPageInput {
  lang: Lang;
  sessionId: string;
  serviceName: string;
  requestedLevel: AssuranceLevelId;
  expiresAt: string;
  personas: PersonaCard[];
  formAction: string;
  toggleHref: string;
  /** Re-rendering after a mistake: what was chosen, and what is wrong. */
  chosen?: { bsn?: string; otherBsn?: string; level?: AssuranceLevelId };
  error?: string;
}

export function loginPage(p: LoginPageInput) {
  const t = texts(p.lang);
  const requested = ASSURANCE_LEVELS.find((l) => l.id === p.requestedLevel)!;
  const chosenLevel = p.chosen?.level ?? p.requestedLevel;
  const personaRows = p.personas.map(
    (persona) => html`<div class="persona">
      <input type="radio" name="bsn" id="persona-${persona.key}" value="${persona.bsn}" ${p.chosen?.bsn === persona.bsn ? 'checked' : ''} aria-describedby="persona-${persona.key}-about">
      <label for="persona-${persona.key}"><strong>${persona.display}</strong> — ${t.age(persona.age)}${persona.deceased ? `, ${t.deceased}` : ''} — BSN ${persona.bsn}
        <small id="persona-${persona.key}-about">${persona.scenario[p.lang]} ${t.knownAt}: ${persona.knownAt.length ? persona.knownAt.map((k) => `${k.name} (${t.gegevensdiensten} ${k.gegevensdiensten.join(', ') || '—'})`).join('; ') : t.knownNowhere}.</small></label>
    </div>`,
  );
  const levels = ASSURANCE_LEVELS.map(
    (l) =>
      html`<label class="level"><input type="radio" name="level" value="${l.id}" ${l.id === chosenLevel ? 'checked' : ''}> ${l[p.lang]}${l.rank < requested.rank ? html` <span class="note">(${t.levelBelow})</span>` : ''}</label>`,
  );
  return page(
    p.lang,
    t.title,
    p.toggleHref,
    html`<h1>${t.title}</h1>
<p>${t.intro(p.serviceName)}</p>
<p>${t.requested}: <strong>${requested[p.lang]}</strong>. <span class="note">${t.expiresAt(p.expiresAt)}</span></p>
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
<form method="post" action="${p.formAction}">
  <input type="hidden" name="session" value="${p.sessionId}">
  <input type="hidden" name="lang" value="${p.lang}">
  <fieldset><legend>${t.personas}</legend>
    ${personaRows}
    <div class="persona">
      <input type="radio" name="bsn" id="persona-other" value="other" ${p.chosen?.bsn === 'other' ? 'checked' : ''}>
      <label for="persona-other">${t.otherBsn}</label>
      <span></span><span><label for="other-bsn" class="note">${t.otherBsnHint}</label><br><input id="other-bsn" name="otherBsn" inputmode="numeric" autocomplete="off" value="${p.chosen?.otherBsn ?? ''}"></span>
    </div>
  </fieldset>
  <fieldset><legend>${t.level}</legend>${levels}</fieldset>
  <button class="primary" type="submit" name="outcome" value="success">${t.login}</button>
  <button class="secondary" type="submit" name="outcome" value="cancelled">${t.cancel}</button>
  <fieldset><legend>${t.otherOutcomes}</legend>
    <button class="secondary" type="submit" name="outcome" value="authentication_failed">${t.failed}</button>
    <button class="secondary" type="submit" name="outcome" value="session_expired">${t.expired}</button>
    <button class="secondary" type="submit" name="outcome" value="tvs_error">${t.tvsError}</button>
  </fieldset>
</form>`,
  );
}

/** For requests that cannot be sent back (unknown service, unsafe redirect_uri, unknown session). */
export function errorPage(lang: Lang, reason: string, toggleHref: string) {
  const t = texts(lang);
  return page(lang, t.errorTitle, toggleHref, html`<h1>${t.errorTitle}</h1><p class="error" role="alert">${reason}</p><p>${t.errorBack}</p>`);
}

export function homePage(lang: Lang, personas: PersonaCard[], toggleHref: string) {
  const t = texts(lang);
  return page(
    lang,
    t.homeTitle,
    toggleHref,
    html`<h1>${t.homeTitle}</h1><p>${t.homeIntro}</p><h2>${t.homePersonas}</h2>
<ul>${personas.map((p) => html`<li><strong>${p.display}</strong> — ${t.age(p.age)} — BSN ${p.bsn}: ${p.scenario[lang]}</li>`)}</ul>`,
  );
}
