/**
 * The scenario catalogue as part of `npm test`: every scenario passes on a fresh network, and every
 * scenario with a setup FAILS once its setup is removed — so its expectations are about the situation,
 * not about anything that would happen anyway. Plus the CLI around it.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultTopologyPath, repositoryRoot } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { loadCatalogue, writeReport, type ScenarioResult } from '@medmij-sandbox/scenario';
import { runScenarios } from '@medmij-sandbox/cli';
import { runCli } from '@medmij-sandbox/test-support';

describe('the scenario catalogue', () => {
  const catalogue = loadCatalogue(join(repositoryRoot(), 'scenarios'));
  const withSetup = catalogue.filter((s) => s.setup.length > 0);
  let results: ScenarioResult[];
  let output = '';

  beforeAll(async () => {
    const controls = withSetup.map((s) => ({ ...s, name: `${s.name}--without-setup`, setup: [] }));
    results = await runScenarios({
      scenarios: [...catalogue, ...controls],
      topologyPath: defaultTopologyPath(),
      workDir: join(tempDir(), 'runs'),
      goldenDir: join(repositoryRoot(), 'scenarios', 'golden', '1.5'),
      print: (l) => (output += `${l}\n`),
    });
  });

  it('has at least 20 scenarios, each naming a spec rule', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(20);
    for (const s of catalogue) expect(s.rule).toMatch(/SPEC §\d/);
  });

  it('every scenario has a golden trace, and its run today equals it', () => {
    for (const s of catalogue) expect(existsSync(join(repositoryRoot(), 'scenarios', 'golden', '1.5', `${s.name}.json`)), s.name).toBe(true);
    const golden = results
      .filter((r) => !r.scenario.name.endsWith('--without-setup'))
      .map((r) => r.checks.find((c) => c.what.startsWith('trace equals golden')));
    expect(
      golden.every((c) => c?.ok),
      golden
        .filter((c) => !c?.ok)
        .map((c) => c?.message)
        .join('\n'),
    ).toBe(true);
  });

  it('every scenario passes, hop by hop', () => {
    const failed = results.filter((r) => !r.scenario.name.endsWith('--without-setup') && !r.ok);
    expect(
      failed.map((r) => r.scenario.name),
      output,
    ).toEqual([]);
  });

  it('every scenario with a setup fails without it: its expectations are real', () => {
    const stillPassing = results.filter((r) => r.scenario.name.endsWith('--without-setup') && r.ok);
    expect(stillPassing.map((r) => r.scenario.name)).toEqual([]);
  });

  it('writes JUnit XML, an HTML report with a diagram per scenario, raw and golden traces', () => {
    const dir = join(tempDir(), 'report');
    const mine = results.filter((r) => !r.scenario.name.endsWith('--without-setup'));
    writeReport(dir, mine, 1000);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain(`tests="${mine.length}" failures="0"`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(mine.length);
    for (const r of mine) expect(existsSync(join(dir, `${r.scenario.name}.golden.json`))).toBe(true);
  });
});

describe('sandbox scenario (CLI)', () => {
  it('lists the catalogue', async () => {
    const r = await runCli(['scenario', 'list'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/happy-path-bgz\s+Collecting the Basisgegevens Zorg at a huisartsenpraktijk\s+SPEC §1\.2/);
  });

  it('an unknown name or no name: a clear message and exit code 1', async () => {
    expect((await runCli(['scenario', 'run', 'nosuch'], {})).stderr).toMatch(/no scenario 'nosuch'/);
    const none = await runCli(['scenario', 'run'], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/name one or more scenarios, or use --all/);
  });

  it('an unmet expectation fails the run (exit code 1) and says which hop', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(
      join(dir, 'scenarios', 'wrong-expectation.yaml'),
      readFileSync(join(repositoryRoot(), 'scenarios', 'patient-under-16.yaml'), 'utf8')
        .replace('name: patient-under-16', 'name: wrong-expectation')
        .replace('persona: under-16', 'persona: several-providers'),
    );
    const r = await runCli(['scenario', 'run', 'wrong-expectation', '--scenarios', join(dir, 'scenarios'), '--report', join(dir, 'report')], {
      SANDBOX_DIR: join(dir, '.sandbox'),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}wrong-expectation/);
    expect(r.stdout).toMatch(/✗ PGO shows: refused access_denied at authorization\n\s+expected refused access_denied, got collected/);
    expect(readFileSync(join(dir, 'report', 'junit.xml'), 'utf8')).toContain('failures="1"');
  });
});
