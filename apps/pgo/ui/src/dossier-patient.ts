/**
 * The patient header of a dossier (zib Patient, with the huisarts and the zorgaanbieder it refers to):
 * name, date of birth and age, gender, deceased, huisarts, care provider. A card of its own rather than a
 * table, because there is one patient. A PGO may not process the BSN (SPEC §10.6): the DVZA sends it masked, and
 * the card says so — it never shows a BSN value, whatever it was given.
 */
import { html, nothing } from 'lit';
import type { Collection } from '@medmij-sandbox/pgo-api';
import { bsnIdentifier, humanName, resolve } from './fhir.ts';
import { ageInYears, formatDate } from '@medmij-sandbox/ui/format';
import { t } from '@medmij-sandbox/ui/i18n';
import { GENDER, translated } from './dossier-terms.ts';
import { jsonBlock, jsonButton, type Any, type DossierView } from './dossier-table.ts';

/** What the card says about the BSN: masked by the provider, or (the PGO dropped a value it got) not kept. */
function bsnText(patient: Any, withheld: Collection['bsnWithheld']): string | undefined {
  const bsn = bsnIdentifier(patient);
  if (!bsn) return undefined;
  if (withheld || bsn === 'present') return t('niet bewaard: een PGO mag het BSN niet verwerken', 'not kept: a PGO may not process the BSN');
  return t('afgeschermd door de zorgaanbieder', 'masked by the provider');
}

export function renderPatient(view: DossierView, withheld?: Collection['bsnWithheld']) {
  const patient = view.of('Patient')[0];
  if (!patient) return nothing;
  const name = humanName(patient.name) || t('Onbekende patiënt', 'Unknown patient');
  const age = patient.birthDate ? ageInYears(patient.birthDate) : undefined;
  const gp = (patient.generalPractitioner ?? [])[0];
  const gpName = gp ? humanName((resolve(gp, view.index) as Any)?.name) || gp.display : '';
  const org = patient.managingOrganization ? ((resolve(patient.managingOrganization, view.index) as Any)?.name ?? patient.managingOrganization.display) : '';
  const deceased = patient.deceasedDateTime ?? (patient.deceasedBoolean === true ? true : undefined);
  const bsn = bsnText(patient, withheld);
  return html`<section class="card patient" aria-labelledby="patient-heading">
      <h2 id="patient-heading"><span class="visually-hidden">${t('Patiënt', 'Patient')}: </span>${name}</h2>
      <dl>
        ${
          patient.birthDate
            ? html`<div>
              <dt>${t('Geboortedatum', 'Date of birth')}</dt>
              <dd>${formatDate(patient.birthDate)}${age !== undefined && !deceased ? ` (${age} ${t('jaar', 'years')})` : ''}</dd>
            </div>`
            : nothing
        }
        ${
          bsn
            ? html`<div>
              <dt>BSN</dt>
              <dd class="muted">${bsn}</dd>
            </div>`
            : nothing
        }
        ${
          patient.gender
            ? html`<div>
              <dt>${t('Geslacht', 'Gender')}</dt>
              <dd>${translated(GENDER, patient.gender)}</dd>
            </div>`
            : nothing
        }
        ${
          deceased
            ? html`<div>
              <dt>${t('Overleden', 'Deceased')}</dt>
              <dd>${typeof deceased === 'string' ? formatDate(deceased) : t('ja', 'yes')}</dd>
            </div>`
            : nothing
        }
        ${
          gpName
            ? html`<div>
              <dt>${t('Huisarts', 'General practitioner')}</dt>
              <dd>${gpName}</dd>
            </div>`
            : nothing
        }
        ${
          org
            ? html`<div>
              <dt>${t('Zorgaanbieder', 'Care provider')}</dt>
              <dd>${org}</dd>
            </div>`
            : nothing
        }
      </dl>
      <div>${jsonButton(view, patient, name)}</div>
      ${view.isOpen(patient) ? html`<div class="full">${jsonBlock(patient)}</div>` : nothing}
    </section>`;
}
