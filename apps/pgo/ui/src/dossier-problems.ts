/**
 * What a care provider must know first: alerts (zib Alert, FHIR Flag), allergies and intolerances (zib
 * AllergyIntolerance) and problems (zib Problem, FHIR Condition), as dossier sections. One module for the
 * three because they are read together and share their shape (a table of one kind of resource).
 */
import { CLINICAL_STATUS, CRITICALITY, ALLERGY_CATEGORY, SEVERITY, STATUS, translated } from './dossier-terms.ts';
import { section, type Any, type DossierView } from './dossier-table.ts';
import { conceptText, newestFirst } from './fhir.ts';
import { formatDate, formatPeriod } from '@medmij-sandbox/ui/format';
import { t } from '@medmij-sandbox/ui/i18n';

export function renderFlags(view: DossierView) {
  const rows = newestFirst(view.of('Flag'), (f) => f.period?.start).map((f) => ({
    resource: f,
    cells: [conceptText(f.code), formatPeriod(f.period), translated(STATUS, f.status)],
  }));
  return section(view, 'flags', t('Waarschuwingen', 'Alerts'), [t('Waarschuwing', 'Alert'), t('Periode', 'Period'), t('Status', 'Status')], rows);
}

export function renderAllergies(view: DossierView) {
  const rows = view.of('AllergyIntolerance').map((a) => {
    const reactions = ((a.reaction ?? []) as Any[])
      .map((r) => {
        const m = ((r.manifestation ?? []) as Any[]).map(conceptText).join(', ');
        return r.severity ? `${m} (${translated(SEVERITY, r.severity)})` : m;
      })
      .join('; ');
    return {
      resource: a,
      cells: [
        conceptText(a.code),
        reactions,
        translated(CRITICALITY, a.criticality),
        ((a.category ?? []) as string[]).map((c) => translated(ALLERGY_CATEGORY, c)).join(', '),
        formatDate(a.onsetDateTime ?? a.assertedDate, { short: true }),
      ],
    };
  });
  return section(
    view,
    'allergies',
    t('Allergieën en overgevoeligheden', 'Allergies and intolerances'),
    [t('Stof', 'Substance'), t('Reactie', 'Reaction'), t('Kritiek', 'Criticality'), t('Categorie', 'Category'), t('Sinds', 'Since')],
    rows,
  );
}

export function renderProblems(view: DossierView) {
  const rows = newestFirst(view.of('Condition'), (c) => c.onsetDateTime ?? c.onsetPeriod?.start ?? c.assertedDate).map((c) => ({
    resource: c,
    cells: [
      conceptText(c.code),
      translated(CLINICAL_STATUS, c.clinicalStatus),
      formatDate(c.onsetDateTime ?? c.onsetPeriod?.start, { short: true }),
      ((c.category ?? []) as Any[]).map(conceptText).join(', '),
    ],
  }));
  return section(
    view,
    'problems',
    t('Problemen', 'Problems'),
    [t('Probleem', 'Problem'), t('Status', 'Status'), t('Begin', 'Onset'), t('Soort', 'Type')],
    rows,
  );
}
