/**
 * The sandbox itself and its PKI repository: changes to the sandbox PKI (made by the CLI or a scenario) and
 * OCSP answers. Their texts come from packages/pki, in English, and are open-ended parameters here.
 */
import { reason, rule } from './catalogue.js';

export const SANDBOX_RULES = {
  // Not a MedMij rule: the standard the PKI repository's OCSP responder follows.
  ocsp: rule(
    'sandbox.pki.ocsp',
    undefined,
    'RFC 6960 OCSP: certificate status from the issuing CA',
    'RFC 6960 OCSP: de status van een certificaat volgens de uitgevende CA',
  ),
} as const;

export const SANDBOX = {
  pkiChanged: reason<{ change: string }>(
    'sandbox.pki.changed',
    undefined,
    (p) => `PKI: ${p.change}`,
    // The PKI's log line, in its own (English) words: quoted as it was written.
    (p) => `PKI, in haar eigen logregel: "${p.change}"`,
  ),
  ocspAnswered: reason<{ ca: string; summary: string }>(
    'sandbox.pki.ocsp-answered',
    SANDBOX_RULES.ocsp,
    (p) => `OCSP (${p.ca} CA): ${p.summary}`,
    (p) => `OCSP (${p.ca}-CA), het antwoord van de responder: "${p.summary}"`,
  ),
  // What a reset of the network did (the console's reset page, `scenario run --live` between scenarios).
  resetClock: reason<{ clock: string; mode: string; at: string; offset: string }>(
    'sandbox.reset.clock',
    undefined,
    // `clock`: the clock as it describes itself; `mode` real or frozen, `at` where frozen, `offset` e.g. `+ 3h`.
    (p) => `sandbox clock back to ${p.clock}`,
    (p) => (p.mode === 'frozen' ? `sandboxklok stilgezet op ${p.at}` : `sandboxklok terug naar de echte tijd${p.offset ? ` ${p.offset}` : ''}`),
  ),
  resetReissued: reason<{ kind: string; host: string; was: string }>(
    'sandbox.reset.reissued',
    undefined,
    (p) => `reissued the ${p.kind} certificate of ${p.host} (was ${p.was})`,
    (p) => `${p.kind}-certificaat van ${p.host} opnieuw uitgegeven (het was ${p.was === 'revoked' ? 'ingetrokken' : 'verlopen'})`,
  ),
  resetLists: reason<{ change: string }>(
    'sandbox.reset.lists',
    undefined,
    // `change`: the stelselnode's own sentence, nested (see `nest`), so it is said again in Dutch.
    (p) => `lists: ${p.change}`,
    (p) => `lijsten: ${p.change}`,
  ),
} as const;
