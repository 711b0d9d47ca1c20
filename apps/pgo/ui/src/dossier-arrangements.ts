/**
 * What is arranged around the care, as dossier sections: advance and treatment directives (zibs
 * AdvanceDirective and TreatmentDirective, FHIR Consent), contact persons (zib ContactPerson, FHIR
 * RelatedPerson) and the payer (zib Payer, FHIR Coverage with its insurer). Grouped because they are
 * about the person's arrangements rather than about clinical events.
 */
import { section, type Any, type DossierView } from './dossier-table.ts';
import { conceptText, consentSummary, humanName, resolve } from './fhir.ts';
import { formatDate, formatPeriod } from '@medmij-sandbox/ui/format';
import { t } from '@medmij-sandbox/ui/i18n';

export function renderConsents(view: DossierView) {
  const rows = view.of('Consent').map((c) => {
    const s = consentSummary(c);
    return {
      resource: c,
      cells: [
        ((c.category ?? []) as Any[]).map(conceptText).join(', '),
        s.what,
        s.permitted,
        formatPeriod(c.period) || formatDate(c.dateTime, { short: true }),
      ],
    };
  });
  return section(
    view,
    'consents',
    t('Wilsverklaringen en behandelaanwijzingen', 'Advance directives and treatment directives'),
    [t('Soort', 'Type'), t('Betreft', 'Concerns'), t('Toegestaan', 'Permitted'), t('Geldig', 'Valid')],
    rows,
  );
}

export function renderRelatedPersons(view: DossierView) {
  const rows = view.of('RelatedPerson').map((p) => ({
    resource: p,
    cells: [
      humanName(p.name),
      conceptText(p.relationship),
      ((p.telecom ?? []) as Any[])
        .filter((x) => x.system === 'phone')
        .map((x) => x.value)
        .join(', '),
    ],
  }));
  return section(view, 'related', t('Contactpersonen', 'Contacts'), [t('Naam', 'Name'), t('Relatie', 'Relationship'), t('Telefoon', 'Phone')], rows);
}

export function renderCoverage(view: DossierView) {
  const rows = view.of('Coverage').map((c) => {
    const payor = ((c.payor ?? []) as Any[]).map((p) => (resolve(p, view.index) as Any)?.name ?? p.display ?? '').join(', ');
    return { resource: c, cells: [payor, conceptText(c.type), c.subscriberId ?? '', formatPeriod(c.period)] };
  });
  return section(
    view,
    'coverage',
    t('Betaler (zorgverzekering)', 'Payer (health insurance)'),
    [t('Verzekeraar', 'Insurer'), t('Soort', 'Type'), t('Verzekerdennummer', 'Member number'), t('Geldig', 'Valid')],
    rows,
  );
}
