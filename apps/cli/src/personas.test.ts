/**
 * `sandbox personas` and `sandbox dossier` as a user runs them: child processes on the committed topology,
 * with a fixed --reference-date so the output does not depend on the day the tests run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirBundle, Persona } from '@medmij-sandbox/fhir-data';
import { runCli } from './testing.js';

const DAY = ['--reference-date', '2026-06-01'];
const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);

let personas: Persona[];
const tagged = (tag: string) => personas.find((p) => p.tags.includes(tag))!;

beforeAll(async () => {
  const r = await runCli(['personas', '--json', ...DAY]);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { seed: string; referenceDate: string; personas: Persona[] };
  expect(out).toMatchObject({ seed: 'medmij-sandbox', referenceDate: '2026-06-01' });
  personas = out.personas;
});

describe.concurrent('sandbox personas', () => {
  it('--json lists every persona with its DVZAs', () => {
    expect(personas.length).toBeGreaterThanOrEqual(7);
    expect(tagged('turns-16-today')).toMatchObject({ birthDate: '2010-06-01', age: 16 });
    expect(tagged('under-16').age).toBe(15);
    expect(tagged('unknown').providers).toEqual([]);
    expect(tagged('several-providers').providers.map((p) => p.providerId)).toEqual(['dekroon', 'rivierenland', 'deboog']);
  });

  it('prints a table: key, name, age, BSN, DVZAs with gegevensdiensten, scenario', async () => {
    const r = await runCli(['personas', ...DAY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/personas \(seed 'medmij-sandbox', reference date 2026-06-01\)/);
    expect(r.stdout).toMatch(/^key\s+name\s+age\s+BSN\s+DVZAs\s+scenario$/m);
    const several = tagged('several-providers');
    expect(r.stdout).toMatch(
      new RegExp(
        `^${several.key}\\s+${several.name.display}\\s+${several.age}\\s+${several.bsn}\\s+dekroon\\(48,49,31\\) rivierenland\\(48,46,52,31\\) deboog\\(48,50\\)\\s+An adult`,
        'm',
      ),
    );
    // In 1.5 the same people, with the 1.x ids.
    const v15 = await runCli(['--afsprakenstelsel', '1.5', 'personas', ...DAY]);
    expect(v15.stdout).toMatch(new RegExp(`^${several.key}\\s+.*\\s+dekroon\\(1,3,4,5\\) rivierenland\\(1,4\\) deboog\\(1,5\\)\\s+An adult`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^onbekend-bij-zorgaanbieders .* ${tagged('unknown').bsn}\\s+\\(none\\)`, 'm'));
    expect(r.stdout).toMatch(/\(died \d{4}-\d\d-\d\d\)/);
  });

  it('refuses a bad --reference-date without a stack trace', async () => {
    const r = await runCli(['personas', '--reference-date', '2026-13-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sandbox: --reference-date: '2026-13-01' is not a date\n\s+use YYYY-MM-DD/);
    noStackTrace(r.stderr);
  });
});

describe.concurrent('sandbox dossier', () => {
  it('--provider prints one valid FHIR Bundle for that DVZA', async () => {
    const p = tagged('several-providers');
    const r = await runCli(['dossier', p.bsn, '--provider', 'rivierenland', '--validate', ...DAY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('every resource is valid FHIR STU3');
    const bundle = JSON.parse(r.stdout) as FhirBundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', identifier: { system: 'urn:medmij-sandbox:dvza', value: 'rivierenland' } });
    const patient = bundle.entry![0]!.resource;
    expect(patient.resourceType).toBe('Patient');
    expect(patient.identifier).toEqual([{ system: 'http://fhir.nl/fhir/NamingSystem/bsn', value: p.bsn }]);
  });

  it('without --provider: a JSON array, one Bundle per DVZA that knows the persona', async () => {
    const p = tagged('several-providers');
    const r = await runCli(['dossier', p.bsn, ...DAY]);
    expect(r.code, r.stderr).toBe(0);
    const bundles = JSON.parse(r.stdout) as FhirBundle[];
    expect(bundles.map((b) => b.identifier.value)).toEqual(['dekroon', 'rivierenland', 'deboog']);
    expect(JSON.stringify(bundles[0])).not.toBe(JSON.stringify(bundles[1]));
  });

  it('--gegevensdienst narrows to what it delivers; no data gives an empty Bundle and a note', async () => {
    const p = tagged('several-providers');
    const vitals = await runCli(['dossier', p.bsn, '--provider', 'rivierenland', '--gegevensdienst', '52', ...DAY]);
    expect(vitals.code, vitals.stderr).toBe(0);
    const types = new Set((JSON.parse(vitals.stdout) as FhirBundle).entry!.map((e) => e.resource.resourceType));
    expect(types).toContain('Observation');
    expect(types).not.toContain('Condition');

    const noData = tagged('no-data-for-gegevensdienst');
    const r = await runCli(['dossier', noData.bsn, '--provider', 'rivierenland', '--gegevensdienst', '46', ...DAY]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).not.toHaveProperty('entry');
    expect(r.stderr).toMatch(/rivierenland holds no data for gegevensdienst 46 .*: the Bundle is empty/);
  });

  it('the unknown persona has no dossier: [] and a note', async () => {
    const r = await runCli(['dossier', tagged('unknown').bsn, ...DAY]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/is known to no care provider: there is no dossier/);
  });

  it.each([
    [['123456789'], /^sandbox: '123456789' is not a valid BSN\n\s+a BSN has 9 digits and passes the 11-proef/],
    [['999911120'], /^sandbox: no persona with BSN 999911120; run `npm run sandbox -- personas`/],
    [['BSN', '--provider', 'nope'], /^sandbox: no DVZA 'nope' in the topology\n\s+DVZAs: dekroon, rivierenland, deboog/],
    [['UNDER16', '--provider', 'deboog'], /^sandbox: .* \(jongere-15-jaar\) has no treatment relation with deboog\n\s+they are known at: dekroon/],
    [
      ['BSN', '--provider', 'rivierenland', '--gegevensdienst', '49'],
      /^sandbox: rivierenland does not offer gegevensdienst 49\n\s+rivierenland offers: 48, 46, 52, 31/,
    ],
    [['BSN', '--gegevensdienst', '7'], /^sandbox: unknown gegevensdienst '7'/],
  ])('bad input %j: a clear message, exit code 1, no stack trace', async (args, message) => {
    const bsn = (a: string) => (a === 'BSN' ? tagged('several-providers').bsn : a === 'UNDER16' ? tagged('under-16').bsn : a);
    const r = await runCli(['dossier', ...args.map(bsn), ...DAY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    noStackTrace(r.stderr);
  });
});
