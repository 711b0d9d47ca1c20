/**
 * What the person reads when the PGO could not collect: what happened and why, in plain Dutch (and
 * English), with the MedMij rule it shows. Each refusal comes from one step of the flow.
 */
import { LISTS_RULES, OAUTH_RULES, PGO, PGO_RULES, ruleText, type Rule } from '@medmij-sandbox/rules';
import type { Bilingual, Refusal } from '@medmij-sandbox/pgo-api';
import { withoutBsnInText } from './no-bsn.js';

// The code, the explanation (which quotes the code) and the detail may hold a DVZA's own words (its error,
// error_description, diagnostics): no BSN of a leaky DVZA is kept or shown in the PGO domain (no-bsn.ts).
const bilingual = (t: Bilingual): Bilingual => ({ nl: withoutBsnInText(t.nl), en: withoutBsnInText(t.en) });
const r = (code: string, step: string, title: Bilingual, explanation: Bilingual, rule?: Rule, detail?: string): Refusal => ({
  code: withoutBsnInText(code),
  step,
  title,
  explanation: bilingual(explanation),
  ...(rule ? { rule: { nl: ruleText(rule, 'nl'), en: ruleText(rule) }, ruleId: rule.id } : {}),
  ...(detail ? { detail: withoutBsnInText(detail) } : {}),
});

/** The DVZA sent the browser back with an OAuth error (SPEC §2.4). */
export function authorizationRefusal(error: string, description: string | null): Refusal {
  const d = description ?? '';
  if (error === 'access_denied') {
    if (/cancelled the DigiD login/.test(d)) {
      return r(
        error,
        'authorization',
        { nl: 'Inloggen met DigiD geannuleerd', en: 'DigiD login cancelled' },
        {
          nl: 'Je hebt het inloggen met DigiD afgebroken. Er zijn geen gegevens opgehaald; je kunt het opnieuw proberen.',
          en: 'You stopped the DigiD login. No data was collected; you can try again.',
        },
        PGO_RULES.digidLogin,
        d,
      );
    }
    if (/DigiD login did not succeed/.test(d)) {
      return r(
        error,
        'authorization',
        { nl: 'Inloggen met DigiD is niet gelukt', en: 'DigiD login did not succeed' },
        {
          nl: 'DigiD (via de Toegangsverleningservice) meldde een fout of een verlopen sessie. Probeer het opnieuw.',
          en: 'DigiD (through the Toegangsverleningservice) reported a failure or an expired session. Please try again.',
        },
        PGO_RULES.tvs,
        d,
      );
    }
    if (/DigiD level .* too low/.test(d)) {
      return r(
        error,
        'authorization',
        { nl: 'DigiD-niveau te laag', en: 'DigiD level too low' },
        {
          nl: 'Voor gezondheidsgegevens moet je inloggen met DigiD op niveau Substantieel of hoger (bijvoorbeeld met de DigiD-app en ID-check).',
          en: 'Health data needs a DigiD login at level Substantial or higher (for example the DigiD app with ID check).',
        },
        PGO_RULES.level,
        d,
      );
    }
    if (/did not give consent|cancelled at the landing page/.test(d)) {
      return r(
        error,
        'authorization',
        { nl: 'Geen toestemming gegeven', en: 'No consent given' },
        {
          nl: 'Je hebt de zorgaanbieder geen toestemming gegeven om deze gegevens naar deze app te sturen. Er is niets opgehaald.',
          en: 'You did not consent to the care provider sending this data to this app. Nothing was collected.',
        },
        PGO_RULES.consent,
        d,
      );
    }
    if (/makes no data available/.test(d)) {
      return r(
        error,
        'authorization',
        { nl: 'De zorgaanbieder kan deze gegevens niet klaarzetten', en: 'The care provider cannot make this data available' },
        {
          nl: 'Dat kan zijn omdat je daar niet (meer) bekend bent, er voor deze gegevensdienst geen gegevens zijn, of je jonger bent dan 16. De zorgaanbieder vertelt de app bewust niet welke reden het is; in de netwerkinspector zie je de beslissing van de zorgaanbieder wel.',
          en: 'Perhaps you are not (or no longer) known there, there is no data for this gegevensdienst, or you are younger than 16. The care provider deliberately does not tell the app which; the network inspector shows its decision.',
        },
        PGO_RULES.beschikbaarheidstoets,
        d,
      );
    }
  }
  return r(
    error,
    'authorization',
    { nl: 'De zorgaanbieder weigerde het verzoek', en: 'The care provider refused the request' },
    {
      nl: `De zorgaanbieder stuurde de fout ${error} terug.`,
      en: `The care provider answered with the error ${error}.`,
    },
    PGO_RULES.oauthErrors,
    d || undefined,
  );
}

export function stateMismatch(detail: string): Refusal {
  return r(
    'state_mismatch',
    'callback',
    { nl: 'Antwoord hoort niet bij jouw aanvraag', en: 'The answer does not belong to your request' },
    {
      nl: 'De app kreeg een antwoord met een state die het niet voor jou heeft uitgegeven. Zo wordt een vervalst of gestolen antwoord (CSRF) geweigerd.',
      en: 'The app received an answer with a state it did not issue for you. This is how a forged or stolen answer (CSRF) is refused.',
    },
    OAUTH_RULES.state,
    detail,
  );
}

/** RFC 9207: the answer names another authorization server than the one the PGO sent the browser to. */
export function issuerMismatch(iss: string, issuer: string): Refusal {
  return r(
    'issuer_mismatch',
    'callback',
    { nl: 'Antwoord van een andere zorgaanbieder', en: 'An answer from another care provider' },
    {
      nl: `Het antwoord zegt dat het van ${iss} komt, maar de app stuurde je naar ${issuer}. De app wisselt zo'n antwoord niet in: het kan een verwisseling of een aanval zijn (RFC 9207). Probeer het opnieuw.`,
      en: `The answer says it comes from ${iss}, but the app sent you to ${issuer}. The app does not redeem such an answer: it may be a mix-up or an attack (RFC 9207). Please try again.`,
    },
    OAUTH_RULES.issuer,
    `iss ${iss} is not ${issuer}`,
  );
}

export function issuerMissing(issuer: string): Refusal {
  return r(
    'issuer_missing',
    'callback',
    { nl: 'Antwoord zonder afzender', en: 'An answer without its sender' },
    {
      nl: `Het antwoord noemt niet van welke zorgaanbieder het komt, terwijl ${issuer} dat altijd doet. De app wisselt zo'n antwoord niet in: het kan van een andere server komen (RFC 9207). Probeer het opnieuw.`,
      en: `The answer does not say which care provider it comes from, while ${issuer} always does. The app does not redeem such an answer: it may come from another server (RFC 9207). Please try again.`,
    },
    OAUTH_RULES.issuer,
    `no iss; ${issuer} sends one`,
  );
}

export function listRefusal(code: 'list_expired' | 'list_missing', detail: string): Refusal {
  return r(
    code,
    'lists',
    // The same title as the trace's reason.
    PGO.listsUnusable.title,
    {
      nl: 'De app heeft geen geldige, actuele lijsten van de stelselnode, en begint zonder die lijsten niet aan een nieuwe uitwisseling.',
      en: 'The app holds no valid, current lists from the stelselnode, and starts no new exchange without them.',
    },
    LISTS_RULES.noFlowOnExpired,
    detail,
  );
}

export function notOnWhitelist(host: string): Refusal {
  return r(
    'not_on_whitelist',
    'lists',
    PGO.notOnWhitelist.title,
    {
      nl: `De server ${host} staat niet op de MedMij-Whitelist. De app maakt er geen verbinding mee.`,
      en: `The server ${host} is not on the MedMij Whitelist. The app does not connect to it.`,
    },
    PGO_RULES.whitelist,
    PGO.notOnWhitelist.detail.en({ host }),
  );
}

/** The TLS handshake or connection to the DVZA failed (HopError codes). */
export function connectionRefusal(step: 'token' | 'fhir', code: string, message: string): Refusal {
  const known: Record<string, Bilingual> = {
    CERT_REVOKED: { nl: 'Het certificaat van de zorgaanbieder is ingetrokken', en: "The care provider's certificate is revoked" },
    CERT_HAS_EXPIRED: { nl: 'Het certificaat van de zorgaanbieder is verlopen', en: "The care provider's certificate has expired" },
    ERR_TLS_CERT_ALTNAME_INVALID: { nl: 'Het certificaat hoort niet bij deze zorgaanbieder', en: 'The certificate does not belong to this care provider' },
    WRONG_ISSUING_CA: { nl: 'Het certificaat komt niet van de MedMij-PKI', en: 'The certificate is not from the MedMij PKI' },
    ECONNRESET: { nl: 'De zorgaanbieder verbrak de verbinding', en: 'The care provider closed the connection' },
    ECONNREFUSED: { nl: 'De zorgaanbieder is niet bereikbaar', en: 'The care provider cannot be reached' },
  };
  const title = known[code] ?? { nl: 'Geen veilige verbinding met de zorgaanbieder', en: 'No secure connection to the care provider' };
  return r(
    code,
    step,
    title,
    {
      nl: 'De app praat met de zorgaanbieder alleen via wederzijds TLS met geldige certificaten uit de MedMij-PKI. Die verbinding kwam niet tot stand, dus er ging geen code, token of gegeven over de lijn.',
      en: 'The app talks to the care provider only over mutual TLS with valid certificates from the MedMij PKI. That connection failed, so no code, token or data went over the line.',
    },
    PGO_RULES.mutualTls,
    message,
  );
}

export function tokenRefusal(status: number, error: string, description: string | undefined): Refusal {
  return r(
    error,
    'token',
    { nl: 'De zorgaanbieder gaf geen toegangstoken', en: 'The care provider issued no access token' },
    {
      nl: `Het inwisselen van de autorisatiecode werd geweigerd (${error}). Een code is eenmalig en kort geldig, en alleen voor deze app en dit terugkeeradres.`,
      en: `Redeeming the authorization code was refused (${error}). A code is single-use, short-lived, and only for this app and this return address.`,
    },
    PGO_RULES.tokenRequest,
    `HTTP ${status}${description ? `: ${description}` : ''}`,
  );
}

/** Afsprakenstelsel 2: the DVZA refused the refresh token (the long-lived consent lapsed, was withdrawn or revoked). */
export function refreshRefusal(status: number, error: string, description: string | undefined): Refusal {
  return r(
    error,
    'token',
    { nl: 'De langdurige toestemming werkt niet meer', en: 'The long-lived consent no longer works' },
    {
      nl: `De zorgaanbieder weigerde het vernieuwen van het toegangstoken (${error}): de langdurige toestemming is vervallen (zes maanden niets opgehaald), ingetrokken of ongeldig geworden. Haal de gegevens opnieuw op: je logt dan weer in met DigiD en geeft opnieuw toestemming.`,
      en: `The care provider refused to renew the access token (${error}): the long-lived consent lapsed (nothing collected for six months), was withdrawn or became invalid. Collect the data again: you log in with DigiD and give consent again.`,
    },
    PGO_RULES.tokenRequest,
    `HTTP ${status}${description ? `: ${description}` : ''}`,
  );
}

/**
 * Afsprakenstelsel 2: the person chooses the gegevensdiensten on the DVZA's consent page, and the token response's
 * scope names the ones granted — without the one this collection is for, the PGO has nothing to ask for.
 */
export function notGrantedRefusal(granted: string, gegevensdienst: string, id: string): Refusal {
  const list = granted || '(geen)';
  return r(
    'not_granted',
    'token',
    { nl: 'Geen toestemming voor deze gegevensdienst', en: 'No consent for this gegevensdienst' },
    {
      nl: `De zorgaanbieder gaf een toegangstoken voor gegevensdienst ${list}, maar niet voor ${gegevensdienst} (${id}). Die was niet aangevinkt, of de zorgaanbieder heeft er voor jou geen gegevens van en bood hem niet aan.`,
      en: `The care provider issued an access token for gegevensdienst ${granted || '(none)'}, but not for ${gegevensdienst} (${id}). It was not ticked, or the care provider has no data of it for you and did not offer it.`,
    },
    PGO_RULES.consent,
    `token scope: ${granted || '(empty)'}`,
  );
}

export function fhirRefusal(status: number, path: string, diagnostics: string | undefined): Refusal {
  return r(
    `http_${status}`,
    'fhir',
    { nl: 'De zorgaanbieder leverde de gegevens niet', en: 'The care provider did not deliver the data' },
    {
      nl: `De vraag ${path} kreeg HTTP ${status}.`,
      en: `The request ${path} got HTTP ${status}.`,
    },
    PGO_RULES.resourceRequests,
    diagnostics,
  );
}
