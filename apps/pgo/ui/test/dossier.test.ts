import { afterEach, describe, expect, inject, it } from 'vitest';
import { page } from 'vitest/browser';
import type { Collection } from '@medmij-sandbox/pgo-api';
import '../src/dossier.ts';
import type { PgoDossier } from '../src/dossier.ts';
import { conceptText, indexResources, medicationName } from '../src/fhir.ts';
import { setLang } from '@medmij-sandbox/ui/i18n';
import { axeViolations, deepQueryAll, deepText, mount } from '@medmij-sandbox/ui/testing';
import './fixture-types.ts';

const fixtures = inject('fixtures');

async function show(collection: Collection): Promise<PgoDossier> {
  return mount<PgoDossier>('pgo-dossier', { collection });
}

describe('<pgo-dossier>', () => {
  afterEach(() => setLang('nl'));

  it('shows a collected BgZ as a person reads it, with sections only where there is data', async () => {
    const el = await show(fixtures.bgz);
    await expect.element(page.getByRole('heading', { level: 1, name: `Opgehaald bij ${fixtures.bgz.displayName}` })).toBeVisible();
    await expect.element(page.getByRole('heading', { level: 2, name: new RegExp(fixtures.bgzPatient) })).toBeVisible();
    for (const name of [
      'Waarschuwingen',
      'Problemen',
      'Medicatie',
      'Laboratoriumuitslagen',
      'Vitale functies',
      'Vaccinaties',
      'Contacten',
      'Medische hulpmiddelen',
      'Wilsverklaringen',
      'Betaler',
    ]) {
      await expect.element(page.getByRole('heading', { level: 2, name: new RegExp(`^${name}`) })).toBeVisible();
    }
    // This dossier has no procedures: no empty section.
    expect(deepQueryAll('h2', el.shadowRoot!).some((h) => h.textContent?.startsWith('Verrichtingen'))).toBe(false);
    // The BSN is not shown.
    expect(deepText(el)).not.toContain(fixtures.bgzBsn);
  });

  it('shows the masked BSN as masked (SPEC §10.6), never a value, and says when the PGO dropped one', async () => {
    const patient = fixtures.bgz.resources.find((r) => r.resourceType === 'Patient') as any;
    expect(patient.identifier[0]).toEqual({
      system: 'http://fhir.nl/fhir/NamingSystem/bsn',
      _value: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] },
    });
    const el = await show(fixtures.bgz);
    const card = () => deepQueryAll<HTMLElement>('section.patient', el.shadowRoot!)[0]!;
    await expect.poll(() => card()?.textContent ?? '').toMatch(/BSN\s*afgeschermd door de zorgaanbieder/);
    expect(deepQueryAll('[data-testid="bsn-withheld"]', el.shadowRoot!)).toEqual([]);
    setLang('en');
    await el.updateComplete;
    await expect.poll(() => card().textContent ?? '').toMatch(/BSN\s*masked by the provider/);
    // Its raw FHIR says the same: the identifier without a value.
    await page.getByRole('button', { name: `FHIR of ${fixtures.bgzPatient}` }).click();
    const pre = deepQueryAll<HTMLPreElement>('pre', el.shadowRoot!).find((p) => p.textContent?.includes('"resourceType": "Patient"'));
    expect(pre?.textContent).toContain('"valueCode": "masked"');
    expect(deepText(el)).not.toContain(fixtures.bgzBsn);
    expect(await axeViolations()).toEqual([]);

    // A collection where the PGO dropped a BSN value a DVZA sent unmasked: the card and a note say so, no number anywhere.
    const withheld: Collection = {
      ...fixtures.bgz,
      id: 'c-withheld',
      bsnWithheld: {
        identifiers: 1,
        note: { nl: 'De zorgaanbieder stuurde een BSN onafgeschermd mee.', en: 'The care provider sent a BSN unmasked.' },
      },
    };
    const el2 = await show(withheld);
    await expect
      .poll(() => deepQueryAll('[data-testid="bsn-withheld"]', el2.shadowRoot!)[0]?.textContent ?? '')
      .toContain('The care provider sent a BSN unmasked.');
    const card2 = deepQueryAll<HTMLElement>('section.patient', el2.shadowRoot!)[0]!;
    expect(card2.textContent).toMatch(/BSN\s*not kept: a PGO may not process the BSN/);
    // Even a value that slipped through is never displayed.
    const leaky: Collection = {
      ...fixtures.bgz,
      id: 'c-leaky',
      resources: fixtures.bgz.resources.map((r) =>
        r.resourceType === 'Patient' ? { ...r, identifier: [{ system: 'http://fhir.nl/fhir/NamingSystem/bsn', value: fixtures.bgzBsn }] } : r,
      ),
    };
    const el3 = await show(leaky);
    await expect
      .poll(() => deepQueryAll<HTMLElement>('section.patient', el3.shadowRoot!)[0]?.textContent ?? '')
      .toMatch(/not kept: a PGO may not process the BSN/);
    expect(deepText(el3)).not.toContain(fixtures.bgzBsn);
  });

  it('names medicines from the included Medication resource', async () => {
    const el = await show(fixtures.bgz);
    const index = indexResources(fixtures.bgz.resources);
    const statement = fixtures.bgz.resources.find((r) => r.resourceType === 'MedicationStatement') as any;
    const medication = index.get(statement.medicationReference.reference) as any;
    expect(medicationName(statement, index)).toBe(conceptText(medication.code));
    expect(deepText(el)).toContain(conceptText(medication.code));
    expect(deepText(el)).toContain(statement.dosage[0].text);
  });

  it('shows the raw FHIR of an item one click away', async () => {
    const el = await show(fixtures.allergies);
    const allergy = fixtures.allergies.resources.find((r) => r.resourceType === 'AllergyIntolerance') as any;
    const button = page.getByRole('button', { name: `FHIR van ${conceptText(allergy.code)}` });
    await expect.element(button).toHaveAttribute('aria-expanded', 'false');
    await button.click();
    await expect.element(button).toHaveAttribute('aria-expanded', 'true');
    const pre = deepQueryAll<HTMLPreElement>('pre', el.shadowRoot!).find((p) => p.textContent?.includes(`"id": "${allergy.id}"`));
    expect(JSON.parse(pre!.textContent!)).toEqual(allergy);
  });

  it('charts vital signs with a summary for screen readers and the numbers in a table', async () => {
    await show(fixtures.vitals);
    const bloodPressure = fixtures.vitals.resources.filter((r: any) => r.code?.coding?.some((c: any) => c.code === '85354-9'));
    const chart = page.getByRole('img', { name: /^Grafiek Bloeddruk/ });
    await expect.element(chart).toBeVisible();
    await expect.element(chart).toHaveAccessibleName(new RegExp(`${bloodPressure.length} metingen`));
    await expect.element(page.getByRole('img', { name: /^Grafiek Lichaamsgewicht/ })).toBeVisible();
    await page.getByText('Tabel: Bloeddruk').click();
    const table = page.getByRole('table', { name: /Bloeddruk/ });
    await expect.element(table).toBeVisible();
    expect(table.getByRole('row').all().length).toBe(bloodPressure.length + 1);
  });

  it('explains a refusal: title, explanation, rule and the code', async () => {
    const refused: Collection = {
      ...fixtures.bgz,
      status: 'refused',
      resources: [],
      queries: [],
      refusal: {
        code: 'access_denied',
        step: 'authorization',
        title: { nl: 'Je gaf geen toestemming', en: 'You did not give consent' },
        explanation: { nl: 'Je hebt bij de zorgaanbieder geen toestemming gegeven.', en: 'You did not give consent at the care provider.' },
        rule: { nl: 'SPEC §2.4 de persoon geeft toestemming', en: 'SPEC §2.4 the person gives consent' },
        detail: 'error=access_denied',
      },
    };
    await show(refused);
    await expect.element(page.getByRole('heading', { level: 1, name: 'Niet opgehaald' })).toBeVisible();
    await expect.element(page.getByText('Je gaf geen toestemming')).toBeVisible();
    await expect.element(page.getByText('Je hebt bij de zorgaanbieder geen toestemming gegeven.')).toBeVisible();
    await expect.element(page.getByText('access_denied', { exact: true })).toBeVisible();
    await expect.element(page.getByText(/SPEC §2.4 de persoon geeft toestemming/)).toBeVisible();
    await expect.element(page.getByText(/the person gives consent/)).not.toBeInTheDocument();
    expect(await axeViolations()).toEqual([]);
  });

  it('speaks English on request', async () => {
    await show(fixtures.vitals);
    setLang('en');
    await expect.element(page.getByRole('heading', { level: 1, name: `Collected from ${fixtures.vitals.displayName}` })).toBeVisible();
    expect(document.documentElement.lang).toBe('en');
  });

  it('has no axe violations with real data', async () => {
    await show(fixtures.bgz);
    expect(await axeViolations()).toEqual([]);
    await show(fixtures.vitals);
    expect(await axeViolations()).toEqual([]);
  });
});
