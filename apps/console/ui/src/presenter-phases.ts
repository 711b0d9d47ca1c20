/**
 * The cards of presenter mode that are not one hop: a folded phase (its name, what happens in it, how many steps,
 * a button to show them one by one) and the closing card (what the PGO showed the person, and the checks).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ScenarioRun } from '@medmij-sandbox/console-api';
import { eventReason } from '@medmij-sandbox/rules';
import { lang, t } from '@medmij-sandbox/ui/i18n';
import { PHASE_NAMES, pgoOutcome, type Phase, type PhaseSegment, type PresenterModel } from './presenter-model.ts';

/** What happens in each phase, for the folded card. */
const PHASE_ABOUT: Record<Phase, { nl: string; en: string }> = {
  lijsten: {
    nl: 'De deelnemers halen de MedMij-lijsten bij de stelselnode en controleren ze: wie is zorgaanbieder, welke PGO mag ophalen, welke servers mogen elkaar aanroepen.',
    en: 'The participants fetch the MedMij lists from the stelselnode and check them: who is a care provider, which PGO may collect, which servers may call each other.',
  },
  autorisatie: {
    nl: 'De PGO stuurt de browser met een autorisatieverzoek naar de zorgaanbieder (DVZA), die de PGO op de OAuthclientlist controleert.',
    en: 'The PGO sends the browser with an authorization request to the care provider (DVZA), which checks the PGO on the OAuthclientlist.',
  },
  digid: {
    nl: 'De persoon logt in met DigiD bij de TVS; de DVZA haalt over het back channel op wie er inlogde.',
    en: 'The person logs in with DigiD at the TVS; the DVZA fetches over the back channel who logged in.',
  },
  toestemming: {
    nl: 'De beschikbaarheidstoets en de toestemmingsvraag bij de zorgaanbieder.',
    en: 'The beschikbaarheidstoets and the consent question at the care provider.',
  },
  token: {
    nl: 'De PGO wisselt de autorisatiecode over wederzijds TLS in voor een access token.',
    en: 'The PGO exchanges the authorization code for an access token over mutual TLS.',
  },
  gegevens: {
    nl: 'De PGO haalt de gegevens op met FHIR-zoekvragen bij de zorgaanbieder.',
    en: 'The PGO collects the data with FHIR searches at the care provider.',
  },
};

/** A phase folded to one step: none of its hops is one the scenario is about. */
export function renderPhase(s: PhaseSegment, model: PresenterModel, unfold: () => void): TemplateResult {
  const count = s.last - s.first + 1;
  const refused = model.steps.slice(s.first, s.last + 1).filter((e) => e.outcome === 'refused' || (e.status ?? 0) >= 400).length;
  return html`<section class="card slide phase-card" aria-labelledby="slide-heading" data-testid="slide">
    <h2 id="slide-heading">${t(`Fase: ${PHASE_NAMES[s.phase].nl}`, `Phase: ${PHASE_NAMES[s.phase].en}`)}</h2>
    <p>${t(PHASE_ABOUT[s.phase].nl, PHASE_ABOUT[s.phase].en)}</p>
    <p>
      <strong>${t(`${count} ${count === 1 ? 'stap' : 'stappen'}`, `${count} ${count === 1 ? 'step' : 'steps'}`)}</strong>${
        refused ? t(`, waarvan ${refused} geweigerd`, `, ${refused} of them refused`) : ''
      }.
      ${t('Geen ervan is een kernmoment van dit scenario: samengevat tot één stap.', 'None of them is a key hop of this scenario: summed up as one step.')}
    </p>
    <p><button class="btn secondary" type="button" @click=${unfold}>${t(`Toon de ${count} stappen`, `Show the ${count} steps`)}</button></p>
  </section>`;
}

/** The end of the run: what the PGO showed the person (its last decision), and how the checks came out. */
export function renderClosing(run: ScenarioRun): TemplateResult {
  const outcome = pgoOutcome(run);
  const shown = outcome ? eventReason(outcome, lang()) : undefined;
  const met = run.checks.filter((c) => c.ok).length;
  return html`<section class="card slide closing" aria-labelledby="slide-heading" data-testid="slide">
    <h2 id="slide-heading">${t('Afsluiting: wat de PGO liet zien', 'Closing: what the PGO showed')}</h2>
    ${
      shown
        ? html`<p class="reason">
          ${outcome?.outcome === 'refused' ? html`<span class="badge bad">${t('Niet opgehaald', 'Not collected')}</span> ` : nothing}<span
            lang=${shown.lang}
            >${shown.text}</span
          >
        </p>`
        : html`<p>${t('De PGO nam in deze run geen besluit over een ophaalactie.', 'The PGO took no decision about a collection in this run.')}</p>`
    }
    <p>
      ${t(`${met} van ${run.checks.length} controles klopten.`, `${met} of ${run.checks.length} checks held.`)}
      <span class=${`badge ${run.ok ? 'ok' : 'bad'}`}>${run.ok ? t('Geslaagd', 'Passed') : t('Mislukt', 'Failed')}</span>
    </p>
  </section>`;
}
