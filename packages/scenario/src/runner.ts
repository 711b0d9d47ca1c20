/**
 * Runs one scenario against a running network: applies the setup, performs the steps (run.ts), and checks
 * every expectation against the trace, per hop, in order (expectations.ts).
 *
 * The network is handed in (the CLI starts it): a package never starts apps.
 */
import { SandboxError, type SandboxClock, type SandboxPaths, type Topology, type TraceBus, type TraceEvent } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { checkExpectations, type Check } from './expectations.js';
import { Run } from './run.js';
import { notApplicable, type Bilingual, type Scenario } from './schema.js';
import type { ScenarioTarget } from './targets.js';

/** What the runner needs of a running network (in-process: the CLI's startNetwork gives it). */
export interface ScenarioNetwork {
  topology: Topology;
  pki: SandboxPki;
  clock: SandboxClock;
  bus: TraceBus;
  /** The network's sandbox folder: the stelselnode's control token, hosts.json. */
  paths: SandboxPaths;
  /** Stops one participant's listeners (e.g. the stelselnode, to show cached lists at work). */
  stop(participantId: string): Promise<void>;
  /**
   * A participant that is not ours (enrolled with `sandbox enrol`) takes the part of the scenario's PGO or
   * DVZA. It reports nothing to our trace: expectations only it could report are left unchecked ("not
   * observable"), and the rest are judged from what our participants saw.
   */
  target?: ScenarioTarget;
  /** Tells the person driving an outside PGO what to do now; resolves when they are done. */
  ask?(instruction: string): Promise<void>;
}

export interface ScenarioResult {
  scenario: Scenario;
  ok: boolean;
  durationMs: number;
  /** What the runner did, step by step, in words (both languages: the console shows them; the CLI prints `en`). */
  log: Bilingual[];
  checks: Check[];
  /** Expectations a target participant could only have reported itself: left unchecked. */
  unobservable?: string[];
  /** The participant checked, when it is not ours. */
  target?: string;
  /** Every trace event of the scenario: from its first step to the end-of-scenario mark. */
  events: TraceEvent[];
  /** A setup or step that could not be performed (not an unmet expectation). */
  error?: string;
  /** Not run, and why: it needs what this run cannot give (a live network cannot stop a participant). Not a failure. */
  skipped?: string;
}

export async function runScenario(scenario: Scenario, net: ScenarioNetwork): Promise<ScenarioResult> {
  const elsewhere = notApplicable(scenario, net.topology.afsprakenstelsel);
  if (elsewhere) return { scenario, ok: true, skipped: elsewhere, durationMs: 0, log: [], checks: [], events: [] };
  const started = performance.now();
  // On a shared trace file, reading the bus reads the file to its end: every process's events so far.
  const lastSeq = () => net.bus.events().at(-1)?.seq ?? 0;
  const firstSeq = lastSeq() + 1;
  let endSeq: number | undefined;
  let run: Run | undefined;
  let error: string | undefined;
  let checks: Check[] = [];
  let unobservable: string[] | undefined;
  const events = () => net.bus.events().filter((e) => e.seq >= firstSeq && (endSeq === undefined || e.seq <= endSeq));
  try {
    if (net.target && !scenario.targets.includes(net.target.role)) {
      throw new SandboxError(
        `${scenario.name} does not check an outside ${net.target.role.toUpperCase()} (its targets: ${scenario.targets.join(', ') || 'none'})`,
      );
    }
    run = new Run(scenario, net);
    for (const action of scenario.setup) await run.setup(action);
    await run.begin();
    for (const step of scenario.steps) await run.step(step);
    await run.finish();
    // The end-of-scenario mark. Every participant reports a hop before it answers it (a server) or as soon as it
    // has the answer (a client), so once the last step has its answer, the trace holds every event of the
    // scenario — also from other processes. What comes later (a list poll) is not the scenario's.
    endSeq = lastSeq();
    // Inside the try: an unknown participant in an expectation is a mistake in the file, reported as such.
    ({ checks, unobservable } = checkExpectations(scenario, run.cast, run.outcome, events()));
    if (net.target) {
      // A rule is met only on evidence: at least one expectation the sandbox itself could see.
      const seen = checks.filter((c) => !c.selfReported).length;
      checks.push({
        what: { en: 'evidence: expectations the sandbox saw for itself', nl: 'bewijs: verwachtingen die de sandbox zelf zag' },
        evidence: true,
        ok: seen > 0,
        message:
          seen > 0
            ? { en: `${seen}`, nl: `${seen}` }
            : {
                en: `undetermined: everything this scenario expects is only visible inside ${net.target.hostname}`,
                nl: `onbepaald: alles wat dit scenario verwacht is alleen binnen ${net.target.hostname} te zien`,
              },
      });
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    endSeq ??= lastSeq();
    // The error itself stays as raised (the sandbox's errors are English, like the CLI's).
    run?.log.push({ en: `could not continue: ${error}`, nl: `kon niet verder, de foutmelding: "${error}"` });
  }
  return {
    scenario,
    ok: !error && checks.every((c) => c.ok),
    durationMs: Math.round(performance.now() - started),
    log: run?.log ?? [{ en: `could not start: ${error}`, nl: `kon niet beginnen: ${error}` }],
    checks,
    ...(net.target ? { target: net.target.role === 'pgo' ? net.target.hostname : net.target.zorgaanbiedernaam, unobservable: unobservable ?? [] } : {}),
    events: events(),
    ...(error ? { error } : {}),
  };
}
