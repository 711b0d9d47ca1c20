/**
 * The operator's login link (`npm start` prints one per role): `https://console.localhost:8760/operator/login#token=<token>`.
 * The token travels in the fragment, which no browser sends to a server, keeps in a Referer or shows in a
 * trace; the page's script reads it, takes it out of the address bar and history, and exchanges it for the
 * HttpOnly operator cookie with a same-origin JSON POST (`/api/operator/login`, behind the API's cross-site check).
 * So another site's page can neither log a person in by a link's GET (login CSRF) nor read the token.
 *
 * A page another site sent the browser to (Sec-Fetch-Site cross-site or same-site) does not log in by itself: it
 * asks the person first; so does a link of another role than the browser's operator session (the server answers 409
 * `role_change` until the person confirms). Otherwise a viewer in a workshop could send the trainer a link (in a
 * chat app, which opens it as `Sec-Fetch-Site: none`) that quietly turns the trainer's session into a viewer's.
 */
import type { Context } from 'hono';
import type { OperatorRole } from '@medmij-sandbox/network';

/** Where the page's script posts the token. */
export const OPERATOR_EXCHANGE_PATH = '/api/operator/login';
export const OPERATOR_LOGIN_SCRIPT = '/operator/login.js';

/** Where each role's browser goes after the login. */
export const OPERATOR_HOME: Record<OperatorRole, string> = { viewer: '/#/inspector', trainer: '/#/scenarios' };

/** Did the person open the link themselves (a terminal, the address bar, a bookmark, this console), not another site? */
export function openedByThePerson(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'none' || site === 'same-origin';
}

/** The page: no token in it (the fragment stays in the browser), both languages for the script to choose from. */
export function operatorLoginPage(auto: boolean): string {
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Operator — MedMij Sandbox Console</title>
<script type="module" src="${OPERATOR_LOGIN_SCRIPT}"></script>
</head>
<body data-auto="${auto ? 'yes' : 'no'}">
<main>
<h1 id="title">Inloggen als operator</h1>
<p id="status" role="status">Bezig met inloggen…</p>
<button id="confirm" type="button" hidden>Inloggen als operator</button>
<button id="language" type="button">English</button>
</main>
</body>
</html>
`;
}

/** The page's script (a file of its own: the console's CSP allows no inline script). */
export const operatorLoginScript = `const texts = {
  nl: {
    title: 'Inloggen als operator',
    busy: 'Bezig met inloggen…',
    confirm: 'Een andere site stuurde je hierheen met een operator-link. Log alleen in als je deze link zelf wilde openen.',
    button: 'Inloggen als operator',
    noToken: 'Deze link bevat geen operator-token (meer): open de link die npm start toont (npm run sandbox -- operator).',
    failed: 'Inloggen lukte niet.',
    language: 'English',
  },
  en: {
    title: 'Log in as the operator',
    busy: 'Logging in…',
    confirm: 'Another site sent you here with an operator link. Log in only if you meant to open this link yourself.',
    button: 'Log in as the operator',
    noToken: 'This link holds no operator token (any more): open the link npm start prints (npm run sandbox -- operator).',
    failed: 'The login failed.',
    language: 'Nederlands',
  },
};
let lang = 'nl';
let shown = 'busy';
let answer;
const el = (id) => document.getElementById(id);
const render = () => {
  document.documentElement.lang = lang;
  el('title').textContent = texts[lang].title;
  el('confirm').textContent = texts[lang].button;
  el('language').textContent = texts[lang].language;
  el('status').textContent = answer ? answer[lang] : texts[lang][shown];
};
const say = (key) => {
  shown = key;
  answer = undefined;
  render();
};
// The token leaves the address bar and the history at once: only this script has seen it.
const token = new URLSearchParams(location.hash.slice(1)).get('token');
history.replaceState(null, '', location.pathname);
let confirmed = false;
const exchange = async () => {
  el('confirm').hidden = true;
  say('busy');
  try {
    const r = await fetch('${OPERATOR_EXCHANGE_PATH}', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(confirmed ? { token, confirm: true } : { token }),
    });
    const body = await r.json();
    if (r.ok) return location.replace(body.next);
    answer = body.message;
    render();
    // Another role than this browser's session: the person decides.
    if (body.error === 'role_change') el('confirm').hidden = false;
  } catch {
    say('failed');
  }
};
el('language').addEventListener('click', () => {
  lang = lang === 'nl' ? 'en' : 'nl';
  render();
});
el('confirm').addEventListener('click', () => {
  confirmed = true;
  exchange();
});
if (!token) say('noToken');
else if (document.body.dataset.auto === 'yes') exchange();
else {
  say('confirm');
  el('confirm').hidden = false;
}
`;
