/** `sandbox scenario list|run`: replay MedMij situations end to end and check every hop (../scenario-runs.ts). */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { SandboxError, formatDuration, loadTopology, parseDuration, repositoryRoot } from '@medmij-sandbox/network';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';
import { compareVersions, comparisonHtml, formatComparison, loadCatalogue } from '@medmij-sandbox/scenario';
import type { Cli } from '../context.js';
import { ATTEMPT_QUIET_MS, formatCatalogue, pickScenarios, runScenarios, runScenariosLive, scenarioTarget, scenariosFor } from '../scenario-runs.js';
import { askPerson, optionValue } from './options.js';

/** The scenario catalogue: scenarios/ at the repository root, unless --scenarios names another folder. */
export const catalogueDir = (dir?: string) => dir ?? join(repositoryRoot(), 'scenarios');

/** `--unattended`: how long the runner waits, per scenario, for an outside PGO's attempt at most. */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

export function registerScenarioCommands(program: Command, { globals, print }: Cli): void {
  const scenarioCmd = program.command('scenario').description('replay MedMij situations end to end and check every hop (scenarios/*.yaml)');

  scenarioCmd
    .command('list')
    .description('the catalogue: name, title and the spec rule each scenario demonstrates')
    .option('--scenarios <dir>', 'scenario folder (default: scenarios/)')
    .action((o: { scenarios?: string }) => print(formatCatalogue(loadCatalogue(catalogueDir(o.scenarios)))));

  scenarioCmd
    .command('run')
    .description('run scenarios, each on a fresh network; exit code 1 when an expectation is not met')
    .argument('[names...]', 'scenario names (see: scenario list)')
    .option('--all', 'run the whole catalogue')
    .option('--scenarios <dir>', 'scenario folder (default: scenarios/)')
    .option('--report <dir>', 'write JUnit XML, an HTML report with sequence diagrams, raw and golden traces')
    .option('--update-golden', 'rewrite the golden traces (<scenario folder>/golden/<afsprakenstelsel>/) from this run: check the diff before you commit it')
    .option('--live', 'run on the network that runs now (npm start, or sandbox run per participant), reset before each scenario')
    .option(
      '--target <participant>',
      'check an enrolled PGO (hostname) or DVZA (zorgaanbiedernaam) in its role; implies --live, --all picks the scenarios that can',
    )
    .addOption(
      new Option('--drive <who>', "who starts an outside PGO's collections: the runner through the reference PGO API, or you at its screen").choices([
        'api',
        'person',
      ]),
    )
    .option(
      '--unattended',
      `--drive person without a person at the keyboard (CI): print each instruction for the PGO's own automation and, instead of waiting for Enter, wait until the network's trace shows the PGO's attempt over (${formatDuration(ATTEMPT_QUIET_MS)} without a hop of the PGO or a browser)`,
    )
    .option(
      '--attempt-timeout <duration>',
      `with --unattended: the longest wait per scenario, also for a PGO that rightly does not start and so makes no hop (default ${formatDuration(DEFAULT_ATTEMPT_TIMEOUT_MS)})`,
    )
    .action(
      async (
        names: string[],
        o: {
          all?: boolean;
          scenarios?: string;
          report?: string;
          updateGolden?: boolean;
          live?: boolean;
          target?: string;
          drive?: 'api' | 'person';
          unattended?: boolean;
          attemptTimeout?: string;
        },
      ) => {
        const { paths, topologyPath } = globals();
        const dir = catalogueDir(o.scenarios);
        if (o.drive && !o.target) throw new SandboxError('--drive needs --target <enrolled PGO>');
        if (o.attemptTimeout !== undefined && !o.unattended) throw new SandboxError('--attempt-timeout needs --unattended');
        if (o.unattended && !o.target)
          throw new SandboxError('--unattended needs --target <enrolled PGO>: it stands in for the person who drives that PGO (--drive person)');
        const target = o.target ? scenarioTarget(paths, o.target, o.drive) : undefined;
        if (o.unattended && target?.role === 'dvza')
          throw new SandboxError(
            `--unattended is for a PGO driven by --drive person; ${o.target} is a DVZA, which the sandbox PGO and TVS drive without anyone waiting`,
            'leave out --unattended',
          );
        if (o.unattended && target?.role === 'pgo' && target.drive === 'api')
          throw new SandboxError(
            `--unattended replaces the Enter of --drive person, but ${o.target} is driven ${o.drive ? 'by --drive api' : 'through the API at its --web-url (--drive api, the default then)'}: the runner waits for nobody`,
            'add --drive person (your PGO is driven by its own automation), or leave out --unattended',
          );
        const attemptTimeoutMs =
          o.attemptTimeout === undefined ? DEFAULT_ATTEMPT_TIMEOUT_MS : optionValue('--attempt-timeout', () => parseDuration(o.attemptTimeout!));
        if (attemptTimeoutMs <= 0) throw new SandboxError(`--attempt-timeout ${o.attemptTimeout}: must be longer than 0`);
        const catalogue = loadCatalogue(dir);
        // --all with a target: the scenarios that can check its role; a named one that cannot says so in its result.
        const topology = loadTopology(topologyPath);
        const fit = scenariosFor(catalogue, target, topology);
        const scenarios = o.all ? fit : pickScenarios(catalogue, names, false);
        const unfit = scenarios.filter((sc) => !fit.includes(sc));
        if (target && unfit.length > 0) {
          throw new SandboxError(
            `${unfit.map((sc) => sc.name).join(', ')} cannot check ${o.target} as ${target.role.toUpperCase()}`,
            `scenarios that can: ${fit.map((sc) => sc.name).join(', ') || 'none'}`,
          );
        }
        if (o.live || o.target) {
          if (o.updateGolden) throw new SandboxError('--update-golden needs fresh networks: leave out --live and --target');
          const results = await runScenariosLive({
            scenarios,
            topologyPath,
            paths,
            print,
            report: o.report,
            target,
            ...(o.unattended ? { unattended: { timeoutMs: attemptTimeoutMs } } : { ask: (instruction: string) => askPerson(print, instruction) }),
          });
          if (results.some((r) => !r.ok)) process.exitCode = 1;
          return;
        }
        const results = await runScenarios({
          scenarios,
          topologyPath,
          workDir: paths.scenarioRuns,
          print,
          report: o.report,
          // Golden traces per afsprakenstelsel: the same catalogue behaves differently in 1.5 and 2.
          goldenDir: join(dir, 'golden', topology.afsprakenstelsel),
          updateGolden: o.updateGolden,
        });
        if (results.some((r) => !r.ok)) process.exitCode = 1;
      },
    );

  scenarioCmd
    .command('compare')
    .description('run scenarios in afsprakenstelsel 1.5 and in 2, each on fresh networks: the verdict in each and the first hop where they differ')
    .argument('[names...]', 'scenario names (see: scenario list)')
    .option('--all', 'the whole catalogue')
    .option('--scenarios <dir>', 'scenario folder (default: scenarios/)')
    .option('--report <dir>', 'write compare.html and compare.json, and the report of each version in <dir>/<afsprakenstelsel>/')
    .action(async (names: string[], o: { all?: boolean; scenarios?: string; report?: string }) => {
      const { paths, topologyPath } = globals();
      const dir = catalogueDir(o.scenarios);
      const catalogue = loadCatalogue(dir);
      const scenarios = o.all ? catalogue : pickScenarios(catalogue, names, false);
      if (process.env.SANDBOX_AFSPRAKENSTELSEL) {
        throw new SandboxError(
          `scenario compare runs afsprakenstelsel 1.5 and 2 itself: leave out --afsprakenstelsel (SANDBOX_AFSPRAKENSTELSEL=${process.env.SANDBOX_AFSPRAKENSTELSEL})`,
        );
      }
      const versions: [Afsprakenstelsel, Afsprakenstelsel] = ['1.5', '2'];
      const runs = [];
      for (const version of versions) {
        print(`afsprakenstelsel ${version}`);
        runs.push(
          await runScenarios({
            scenarios,
            topologyPath,
            workDir: join(paths.scenarioRuns, `compare-${version}`),
            // Per scenario one line here; the whole account is in each version's report.
            print: (line) => {
              if (/^(PASS|FAIL|SKIP) /.test(line) || /^\d+ passed/.test(line.trim())) print(`  ${line.trim().split('\n')[0]!}`);
            },
            ...(o.report ? { report: join(o.report, version) } : {}),
            goldenDir: join(dir, 'golden', version),
            afsprakenstelsel: version,
          }),
        );
      }
      const rows = compareVersions(runs[0]!, runs[1]!);
      print(`\n${formatComparison(rows, versions)}`);
      if (o.report) {
        mkdirSync(o.report, { recursive: true });
        writeFileSync(join(o.report, 'compare.html'), comparisonHtml(rows, versions));
        writeFileSync(join(o.report, 'compare.json'), `${JSON.stringify(rows, null, 2)}\n`);
        print(`report     ${join(o.report, 'compare.html')}  (compare.json; each version's report in ${join(o.report, '<afsprakenstelsel>')}/)`);
      }
      if (runs.flat().some((r) => !r.ok)) process.exitCode = 1;
    });
}
