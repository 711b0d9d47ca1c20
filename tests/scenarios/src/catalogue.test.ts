/**
 * The scenario catalogue as part of `npm test`, in each afsprakenstelsel: every scenario that applies passes on a
 * fresh network and equals its golden trace of that version, and every scenario with a setup FAILS once its
 * setup is removed — so its expectations are about the situation, not about anything that would happen anyway.
 * Plus the CLI around it, and the side-by-side comparison of the two versions.
 */
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { har } from 'har-validator';
import { defaultTopologyPath, repositoryRoot, toHar } from '@medmij-sandbox/network';
import { AFSPRAKENSTELSELS } from '@medmij-sandbox/network/afsprakenstelsel';
import { tempDir } from '@medmij-sandbox/network/testing';
import { loadCatalogue, notApplicable, writeReport, type ScenarioResult } from '@medmij-sandbox/scenario';
import { runScenarios } from '@medmij-sandbox/cli';
import { runCli } from '@medmij-sandbox/test-support';
import { eventReason, eventRule, eventRuleById } from '@medmij-sandbox/rules';
// Presenter mode's model is pure (no DOM): the console UI's own file, as the console runs it.
import { nextKeyPosition, phaseSegments, presenterItems, presenterModel } from '../../../apps/console/ui/src/presenter-model.js';

const catalogue = loadCatalogue(join(repositoryRoot(), 'scenarios'));

/**
 * Words that are English and never Dutch: one of them in a Dutch text means English got in (most often through a
 * parameter: another participant's English words inside a Dutch sentence). Returns the first one found.
 */
const ENGLISH_WORDS = /\b(the|and|not|with|for|from|been|has|have|which|this|that|by|are|at|its|than|none|could|would|revoked|expired|refused|served)\b/i;
function englishWord(text: string): string | undefined {
  // Not what is quoted as another party sent it: a JSON body, a "quoted" text (an OAuth error_description, the PKI's
  // log line, a text an answer must contain); nor URLs, hostnames, paths or code-like tokens (OAuth codes, dotted ids).
  const prose = text
    // (A check's message is cut at a length: a body or a quote may have lost its end.)
    .replace(/\{[\s\S]*(\}|$)/g, ' ')
    .replace(/"[^"]*("|$)/g, ' ')
    .replace(/\S*[/@_.:=~]\S*/g, ' ');
  return ENGLISH_WORDS.exec(prose)?.[0];
}

it('has at least 20 scenarios, each naming a spec rule (in both languages)', () => {
  expect(catalogue.length).toBeGreaterThanOrEqual(20);
  for (const s of catalogue) {
    expect(s.rule.en, s.name).toMatch(/SPEC §\d/);
    expect(s.rule.nl, s.name).toMatch(/SPEC §\d/);
  }
});

describe.each(AFSPRAKENSTELSELS)('the scenario catalogue in afsprakenstelsel %s', (version) => {
  const applies = catalogue.filter((s) => !notApplicable(s, version));
  const withSetup = applies.filter((s) => s.setup.length > 0);
  const goldenDir = join(repositoryRoot(), 'scenarios', 'golden', version);
  let results: ScenarioResult[];
  let output = '';

  beforeAll(async () => {
    const controls = withSetup.map((s) => ({ ...s, name: `${s.name}--without-setup`, setup: [] }));
    results = await runScenarios({
      scenarios: [...catalogue, ...controls],
      topologyPath: defaultTopologyPath(),
      workDir: join(tempDir(), 'runs'),
      goldenDir,
      afsprakenstelsel: version,
      print: (l) => (output += `${l}\n`),
    });
  });

  it('most scenarios apply; the others are skipped, saying why', () => {
    expect(applies.length).toBeGreaterThanOrEqual(20);
    const skipped = results.filter((r) => r.skipped).map((r) => [r.scenario.name, r.skipped]);
    expect(skipped).toEqual(
      catalogue
        .filter((s) => notApplicable(s, version))
        .map((s) => [s.name, `it applies to afsprakenstelsel ${s.afsprakenstelsel.join(' and ')} only; this network speaks ${version}`]),
    );
  });

  it("presenter mode: every scenario's first key hop (a hop one of its expectations matched) is one jump from the start", () => {
    const runs = results.filter((r) => !r.skipped && !r.scenario.name.endsWith('--without-setup'));
    const unreachable = runs.flatMap((r) => {
      // As the console's scenario service hands a run to the console (apps/cli scenario-runs.ts).
      const checks = r.checks.map((c) => ({ what: c.what, ok: c.ok, message: c.message, ...(c.event ? { seq: c.event.seq } : {}) }));
      const model = presenterModel({ events: r.events, checks });
      const items = presenterItems(phaseSegments(model));
      const first = nextKeyPosition(items, model, 0);
      // The jump lands on a key hop shown on its own, never inside a folded phase.
      return first !== undefined && items[first - 1]?.kind === 'step' ? [] : [r.scenario.name];
    });
    expect(unreachable).toEqual([]);
  });

  it("in Dutch, every text the console shows of a real run is Dutch: the log, the checks, each event's reason and rule", () => {
    const runs = results.filter((r) => !r.skipped);
    const english: string[] = [];
    const look = (where: string, text: string | undefined) => {
      const word = text && englishWord(text);
      if (word) english.push(`${where}: "${word}" in ${text}`);
    };
    for (const r of runs) {
      r.log.forEach((l, i) => look(`${r.scenario.name} log ${i + 1}`, l.nl));
      r.checks.forEach((c, i) => {
        look(`${r.scenario.name} check ${i + 1}`, c.what.nl);
        look(`${r.scenario.name} check ${i + 1} message`, c.message.nl);
      });
      for (const e of r.events) {
        // Only what the catalogue says in Dutch: an event's own English words are marked lang=en where shown.
        const reason = eventReason(e, 'nl');
        if (reason?.lang === 'nl') look(`${r.scenario.name} #${e.seq} reason`, reason.text);
        const rule = eventRule(e, 'nl');
        if (rule?.lang === 'nl') look(`${r.scenario.name} #${e.seq} rule`, rule.text);
      }
    }
    expect(runs.length).toBeGreaterThan(20);
    expect([...new Set(english)]).toEqual([]);
  });

  it("every reason and rule the sandbox's own participants put on the trace comes from the catalogue, by id", () => {
    // What the sandbox says, it says in Dutch too: no event of its own falls back to its English words (an
    // outside participant's would; these runs have none).
    const byText: string[] = [];
    for (const r of results.filter((r) => !r.skipped))
      for (const e of r.events) {
        if (e.reason !== undefined && eventReason(e, 'nl')?.lang !== 'nl') byText.push(`${r.scenario.name} #${e.seq} reason: ${e.reason}`);
        // By id: the rule of its ruleId (or of the reason it names), or the one it cites — not found by its text.
        if (e.rule !== undefined && !eventRuleById(e)) byText.push(`${r.scenario.name} #${e.seq} rule: ${e.rule}`);
      }
    expect([...new Set(byText.map((t) => t.replace(/^\S+ #\d+ /, '')))]).toEqual([]);
  });

  it('every scenario that applies has a golden trace of this version, and its run today equals it', () => {
    for (const s of applies) expect(existsSync(join(goldenDir, `${s.name}.json`)), s.name).toBe(true);
    const golden = results
      .filter((r) => !r.skipped && !r.scenario.name.endsWith('--without-setup'))
      .map((r) => r.checks.find((c) => c.what.en.startsWith('trace equals golden')));
    expect(
      golden.every((c) => c?.ok),
      golden
        .filter((c) => !c?.ok)
        .map((c) => c?.message.en)
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

  /** The HAR as har-validator judges it (its own schema of HAR 1.2): the HAR itself, or its errors, named. */
  const valid = (log: unknown) => har(log).catch((e: { errors?: unknown }) => Promise.reject(new Error(`not valid HAR 1.2: ${JSON.stringify(e.errors ?? e)}`)));

  it("exports a BgZ collection as HAR 1.2 that a HAR validator accepts; a revoked DVZA certificate's refused handshake is an entry", async () => {
    const run = (name: string) => results.find((r) => r.scenario.name === name && !r.skipped)!;
    const bgz = toHar(run('happy-path-bgz').events, '0.1.0');
    await expect(valid(bgz)).resolves.toBe(bgz);
    // Every URL with the participant's port (no participant listens on 443), the answers' headers, the redirects.
    expect(bgz.log.entries.every((e) => /^https:\/\/[a-z.]+:\d+\//.test(e.request.url))).toBe(true);
    expect(bgz.log.entries.every((e) => e.response.headers.length > 0)).toBe(true);
    expect(bgz.log.entries.some((e) => e.response.status === 302 && e.response.redirectURL.startsWith('https://'))).toBe(true);
    const revoked = toHar(run('dvza-server-certificate-revoked').events, '0.1.0');
    await expect(valid(revoked)).resolves.toBe(revoked);
    expect(revoked.log.entries.filter((e) => '_error' in e && e._error === 'CERT_REVOKED')).toHaveLength(1);
  });

  it('an expected hop a run lacks comes with what came closest: at most three events, each with the fields it differs in', () => {
    const missed = results.flatMap((r) => r.checks.filter((c) => !c.ok && c.message.en === 'no such event in the trace'));
    expect(missed.length).toBeGreaterThan(5);
    for (const c of missed) {
      expect(c.nearMisses?.length ?? 0, c.what.en).toBeLessThanOrEqual(3);
      for (const m of c.nearMisses ?? []) expect(m.differs.length, `${c.what.en}: #${m.seq}`).toBeGreaterThan(0);
    }
    // In a real trace something nearly always came close: most of them name their near misses.
    expect(missed.filter((c) => c.nearMisses?.length === 3).length).toBeGreaterThan(missed.length / 2);
  });

  it('writes JUnit XML, an HTML report with a diagram per scenario, raw and golden traces', () => {
    const dir = join(tempDir(), 'report');
    const mine = results.filter((r) => !r.skipped && !r.scenario.name.endsWith('--without-setup'));
    writeReport(dir, mine, 1000);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain(`tests="${mine.length}" failures="0"`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(mine.length);
    for (const r of mine) expect(existsSync(join(dir, `${r.scenario.name}.golden.json`))).toBe(true);
    // The raw traces and the report hold the DVZA's view (BSNs): the operator's files only.
    expect(statSync(join(dir, 'report.html')).mode & 0o777).toBe(0o600);
    for (const r of mine) expect(statSync(join(dir, `${r.scenario.name}.trace.json`)).mode & 0o777).toBe(0o600);
  });
});

describe('sandbox scenario (CLI)', () => {
  it('lists the catalogue', async () => {
    const r = await runCli(['scenario', 'list'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/happy-path-bgz\s+2, 1\.5\s+Collecting the Basisgegevens Zorg at a huisartsenpraktijk\s+SPEC §1\.2/);
    expect(r.stdout).toMatch(/happy-path-vitale-functies\s+1\.5\s+Collecting/);
  });

  it('an unknown name or no name: a clear message and exit code 1', async () => {
    expect((await runCli(['scenario', 'run', 'nosuch'], {})).stderr).toMatch(/no scenario 'nosuch'/);
    const none = await runCli(['scenario', 'run'], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/name one or more scenarios, or use --all/);
  });

  it('scenario compare: the verdict in each afsprakenstelsel and the first hop where they differ, with a report', async () => {
    const dir = tempDir();
    const r = await runCli(['scenario', 'compare', 'happy-path-bgz', 'happy-path-vitale-functies', '--report', join(dir, 'report')], {
      SANDBOX_DIR: join(dir, '.sandbox'),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /happy-path-bgz\s+passed\s+passed\s+hop 1:\n\s+1\.5 {2}browser → dekroon GET \/oauth\/authorize\?scope=dekroon~1 200\n\s+2 {4}browser → dekroon GET \/oauth\/authorize\?scope=dekroon 200/,
    );
    expect(r.stdout).toMatch(/happy-path-vitale-functies\s+passed\s+skipped\s+only in afsprakenstelsel 1\.5/);
    const rows = JSON.parse(readFileSync(join(dir, 'report', 'compare.json'), 'utf8')) as { name: string; verdicts: string[] }[];
    expect(rows.map((row) => [row.name, row.verdicts])).toEqual([
      ['happy-path-bgz', ['passed', 'passed']],
      ['happy-path-vitale-functies', ['passed', 'skipped']],
    ]);
    for (const v of ['1.5', '2']) expect(existsSync(join(dir, 'report', v, 'report.html'))).toBe(true);
    // It runs both versions itself: a version given with it is a mistake, said so.
    const both = await runCli(['--afsprakenstelsel', '2', 'scenario', 'compare', 'happy-path-bgz'], { SANDBOX_DIR: join(dir, '.sandbox') });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/scenario compare runs afsprakenstelsel 1\.5 and 2 itself: leave out --afsprakenstelsel/);
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
