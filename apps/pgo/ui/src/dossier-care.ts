/**
 * The care a person received, as dossier sections: vaccinations (zib Vaccination, FHIR Immunization),
 * contacts (zib Encounter), procedures (zib Procedure) and medical devices (zib MedicalDevice, FHIR
 * DeviceUseStatement with its Device). Grouped because each is a dated event at a care provider.
 */
import { STATUS, ENCOUNTER_CLASS, translated } from './dossier-terms.ts';
import { section, type Any, type DossierView } from './dossier-table.ts';
import { codingText, conceptText, newestFirst, resolve } from './fhir.ts';
import { formatDate, formatPeriod } from '@medmij-sandbox/ui/format';
import { t } from '@medmij-sandbox/ui/i18n';

export function renderImmunizations(view: DossierView) {
  const rows = newestFirst(view.of('Immunization'), (i) => i.date).map((i) => ({
    resource: i,
    cells: [conceptText(i.vaccineCode), formatDate(i.date, { short: true }), i.notGiven ? t('niet gegeven', 'not given') : translated(STATUS, i.status)],
  }));
  return section(view, 'immunizations', t('Vaccinaties', 'Vaccinations'), [t('Vaccin', 'Vaccine'), t('Datum', 'Date'), t('Status', 'Status')], rows);
}

export function renderEncounters(view: DossierView) {
  const rows = newestFirst(view.of('Encounter'), (e) => e.period?.start).map((e) => {
    const cls = e.class?.code ? translated(ENCOUNTER_CLASS, e.class.code) : codingText(e.class);
    const reason = [...((e.type ?? []) as Any[]).map(conceptText), ...((e.reason ?? []) as Any[]).map(conceptText)].filter(Boolean).join('; ');
    const who = ((e.participant ?? []) as Any[])
      .map((p) => p.individual?.display ?? '')
      .filter(Boolean)
      .join(', ');
    return { resource: e, cells: [formatPeriod(e.period, { time: true }), cls, reason, who, e.serviceProvider?.display ?? ''] };
  });
  return section(
    view,
    'encounters',
    t('Contacten', 'Encounters'),
    [t('Wanneer', 'When'), t('Soort', 'Type'), t('Reden', 'Reason'), t('Zorgverlener', 'Practitioner'), t('Zorgaanbieder', 'Provider')],
    rows,
  );
}

export function renderProcedures(view: DossierView) {
  const rows = newestFirst(view.of('Procedure'), (p) => p.performedDateTime ?? p.performedPeriod?.start).map((p) => ({
    resource: p,
    cells: [
      conceptText(p.code),
      p.performedPeriod ? formatPeriod(p.performedPeriod) : formatDate(p.performedDateTime, { short: true }),
      ((p.bodySite ?? []) as Any[]).map(conceptText).join(', '),
      ((p.performer ?? []) as Any[])
        .map((x) => x.actor?.display ?? '')
        .filter(Boolean)
        .join(', '),
    ],
  }));
  return section(
    view,
    'procedures',
    t('Verrichtingen', 'Procedures'),
    [t('Verrichting', 'Procedure'), t('Datum', 'Date'), t('Lichaamsdeel', 'Body site'), t('Uitgevoerd door', 'Performed by')],
    rows,
  );
}

export function renderDevices(view: DossierView) {
  const rows = view.of('DeviceUseStatement').map((d) => {
    const device = resolve(d.device, view.index) as Any;
    const name = (device && (conceptText(device.type) || device.udi?.name)) || d.device?.display || '';
    return {
      resource: d,
      cells: [name, formatPeriod(d.whenUsed) || formatDate(d.recordedOn, { short: true }), conceptText(d.bodySite), translated(STATUS, d.status)],
    };
  });
  return section(
    view,
    'devices',
    t('Medische hulpmiddelen', 'Medical devices'),
    [t('Hulpmiddel', 'Device'), t('In gebruik', 'In use'), t('Lichaamsdeel', 'Body site'), t('Status', 'Status')],
    rows,
  );
}
