/**
 * `sandbox scenario list` and `sandbox scenario run <name>... | --all`: each scenario gets a fresh network
 * (a copy of one PKI made once per run, the default topology on free ports, the sandbox clock frozen at a
 * fixed instant so every run is the same), is driven through the reference PGO, and is checked hop by hop.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  SandboxClock,
  SandboxError,
  backchannelUrl,
  defaultTopologyPath,
  findParticipant,
  hostTable,
  participantsByRole,
  pkiRepositoryUrl,
  reservePortsAgain,
  sandboxPaths,
  writeTopologyOnFreePorts,
  formatDuration,
  type ClockState,
  type SandboxPaths,
  type Topology,
  type TraceBus,
  type TraceEvent,
} from '@medmij-sandbox/network';
import { LEAF_KINDS, SandboxPki, hostSpecs, type LeafKind } from '@medmij-sandbox/pki';
import type { ScenarioService } from '@medmij-sandbox/console-api';
import { StelselnodeControl } from '@medmij-sandbox/stelselnode-client';
import { LISTS, SANDBOX, STELSELNODE, catalogueEntry, nest, paramsOfReason, said, say, type Said } from '@medmij-sandbox/rules';
import {
  formatConformance,
  formatResult,
  formatSummary,
  goldenDifference,
  goldenTrace,
  loadCatalogue,
  notApplicable,
  runScenario,
  targetApplies,
  untilTrace,
  writeReport,
  type Scenario,
  type ScenarioResult,
  type ScenarioTarget,
} from '@medmij-sandbox/scenario';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';
import { enrolmentHostname, enrolmentKey, findEnrolment, readEnrolments } from '@medmij-sandbox/lists';
import { startNetwork } from './network.js';
import type { NetworkContext } from './participants.js';
import { openSharedNetwork } from './processes.js';
import { formatTable } from './table.js';

/** Every scenario starts at this sandbox instant: a Monday morning, so traces are the same run after run. */
export const SCENARIO_START = '2026-06-01T08:00:00Z';

export function formatCatalogue(scenarios: Scenario[]): string {
  return formatTable(
    ['name', 'afsprakenstelsel', 'title', 'spec rule'],
    // The terminal speaks English: the `en` side of the scenario's texts.
    scenarios.map((s) => [s.name, s.afsprakenstelsel.join(', '), s.title.en, s.rule.en]),
  );
}

export function pickScenarios(all: Scenario[], names: string[], runAll: boolean): Scenario[] {
  if (runAll) return all;
  if (names.length === 0) throw new SandboxError('name one or more scenarios, or use --all', 'see: npm run sandbox -- scenario list');
  return names.map((n) => {
    const found = all.find((s) => s.name === n);
    if (!found) throw new SandboxError(`no scenario '${n}'`, `scenarios: ${all.map((s) => s.name).join(', ')}`);
    return found;
  });
}

/** A work folder with the topology on free ports and one PKI that every scenario of a run copies. */
export interface PreparedRun {
  workDir: string;
  topologyPath: string;
  template: string;
  /** The afsprakenstelsel the run's networks speak: a scenario for another one is skipped without starting one. */
  afsprakenstelsel: Afsprakenstelsel;
}

export async function prepareRun(topologyPath: string, workDir: string, o: { afsprakenstelsel?: Afsprakenstelsel } = {}): Promise<PreparedRun> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  // One PKI for the whole run (key generation is the slow part); each scenario works on its own copy.
  const { topology, path } = await writeTopologyOnFreePorts(topologyPath, workDir, o.afsprakenstelsel ? { afsprakenstelsel: o.afsprakenstelsel } : {});
  const template = join(workDir, 'pki-template');
  await SandboxPki.init(template, { repositoryUrl: pkiRepositoryUrl(topology), hosts: hostSpecs(topology), clock: SandboxClock.frozenAt(SCENARIO_START) });
  return { workDir, topologyPath: path, template, afsprakenstelsel: topology.afsprakenstelsel };
}

/** One scenario on its own fresh network (a copy of the prepared PKI), closed afterwards. */
export async function runOnFreshNetwork(run: PreparedRun, scenario: Scenario): Promise<ScenarioResult> {
  const elsewhere = notApplicable(scenario, run.afsprakenstelsel);
  if (elsewhere) return skipped(scenario, elsewhere);
  const dir = join(run.workDir, scenario.name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(run.template, sandboxPaths(dir).pki, { recursive: true });
  const clock = SandboxClock.frozenAt(SCENARIO_START);
  const network = await startNetwork({ topologyPath: run.topologyPath, paths: sandboxPaths(dir), clock });
  const stopped: Array<{ address: string; port: number }> = [];
  try {
    return await runScenario(scenario, {
      topology: network.topology,
      pki: network.pki,
      clock,
      bus: network.bus,
      paths: network.paths,
      stop: async (id) => {
        const p = network.participants.find((x) => x.participant.id === id);
        if (!p) throw new SandboxError(`no participant '${id}' to stop`);
        // Really closed: whoever calls it now gets "connection refused", as from a participant that is down.
        await Promise.all(p.listeners.map((l) => l.close()));
        stopped.push(...p.listeners.map((l) => ({ address: p.participant.address, port: l.port })));
      },
    });
  } finally {
    await network.close({ keepPorts: true });
    // The run's next network starts on the same ports. Should another process have taken one meanwhile, that
    // network's start says so (port in use); this scenario's result stands.
    for (const { address, port } of stopped) await reservePortsAgain([port], address).catch(() => undefined);
  }
}

/**
 * Golden traces (`<scenario folder>/golden/<afsprakenstelsel>/<name>.json`): the masked trace of a run that was checked by a
 * person. A scenario with a golden file also fails when its trace differs — a change in behaviour shows up
 * as a diff even where no expectation looks. `update` rewrites them.
 */
function checkGolden(result: ScenarioResult, dir: string, update: boolean): ScenarioResult {
  const file = join(dir, `${result.scenario.name}.json`);
  if (result.skipped) return result;
  const actual = goldenTrace(result.events);
  if (update) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return result;
  }
  if (result.error) return result;
  if (!existsSync(file)) {
    // Say so: a run without its golden trace compares nothing (afsprakenstelsel 2 has none yet).
    const golden = `golden/${basename(dir)}/${result.scenario.name}.json`;
    const check = {
      what: { en: `no ${golden} for this afsprakenstelsel: trace not compared`, nl: `geen ${golden} voor dit afsprakenstelsel: trace niet vergeleken` },
      ok: true,
      message: { en: 'not compared', nl: 'niet vergeleken' },
    };
    return { ...result, checks: [...result.checks, check] };
  }
  const difference = goldenDifference(JSON.parse(readFileSync(file, 'utf8')) as unknown[], actual);
  const golden = `golden/${basename(dir)}/${result.scenario.name}.json`;
  const check = {
    what: {
      en: `trace equals ${golden} (times, ids, codes and ports masked)`,
      nl: `trace gelijk aan ${golden} (tijden, id's, codes en poorten gemaskeerd)`,
    },
    ok: !difference,
    // The difference itself is the traces' own (English) words.
    message: difference ? { en: difference, nl: difference } : { en: 'identical', nl: 'gelijk' },
  };
  return { ...result, ok: result.ok && !difference, checks: [...result.checks, check] };
}

export async function runScenarios(o: {
  scenarios: Scenario[];
  topologyPath: string;
  workDir: string;
  print: (line: string) => void;
  report?: string;
  /** Where golden traces live (default: none compared). */
  goldenDir?: string;
  updateGolden?: boolean;
  /** The afsprakenstelsel to run instead of the topology's (as --afsprakenstelsel does). */
  afsprakenstelsel?: Afsprakenstelsel;
}): Promise<ScenarioResult[]> {
  const t0 = performance.now();
  const run = await prepareRun(o.topologyPath, o.workDir, o.afsprakenstelsel ? { afsprakenstelsel: o.afsprakenstelsel } : {});
  const results: ScenarioResult[] = [];
  for (const scenario of o.scenarios) {
    let result = await runOnFreshNetwork(run, scenario);
    if (o.goldenDir) result = checkGolden(result, o.goldenDir, o.updateGolden ?? false);
    results.push(result);
    o.print(formatResult(result));
  }
  const ms = performance.now() - t0;
  o.print(`\n${formatSummary(results, ms)}`);
  if (o.report) {
    const files = writeReport(o.report, results, ms, { afsprakenstelsel: run.afsprakenstelsel });
    o.print(`report     ${join(o.report, 'report.html')}  (JUnit: ${join(o.report, 'junit.xml')}, ${files.length - 2} trace files)`);
  }
  return results;
}

/**
 * What the console's scenario pages use while the network runs (`npm start`, `sandbox run console`): the catalogue, a run on a separate fresh
 * network (the live one is not disturbed), and a reset of the live network after a workshop broke it.
 * Runs and resets happen one at a time.
 */
export function scenarioService(ctx: NetworkContext, dir: string): ScenarioService {
  let prepared: Promise<PreparedRun> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const info = (s: Scenario) => ({ name: s.name, title: s.title, teaches: s.teaches, rule: s.rule });
  return {
    list: () => loadCatalogue(dir).map(info),
    run: (name) =>
      serial(async () => {
        const scenario = loadCatalogue(dir).find((s) => s.name === name);
        if (!scenario) return undefined;
        // The catalogue is written for the default topology, whatever topology the live network runs.
        prepared ??= prepareRun(defaultTopologyPath(), ctx.paths.scenarioRunsUi).catch((e: unknown) => {
          prepared = undefined; // a failed preparation is tried again on the next run
          throw e;
        });
        const r = await runOnFreshNetwork(await prepared, scenario);
        return {
          ...info(scenario),
          ok: r.ok,
          durationMs: r.durationMs,
          log: r.log,
          checks: r.checks.map((c) => ({
            what: c.what,
            ok: c.ok,
            message: c.message,
            ...(c.event ? { seq: c.event.seq } : {}),
            ...(c.nearMisses ? { nearMisses: c.nearMisses } : {}),
          })),
          events: r.events,
          ...(r.error ? { error: r.error } : {}),
        };
      }),
    reset: () => serial(async () => (await resetNetwork(ctx)).map((d) => ({ nl: say(d, 'nl'), en: say(d) }))),
  };
}

/**
 * Scenarios on the network that is running now (`npm start`, or participants run with `sandbox run`),
 * instead of a fresh one each: what a team needs whose own participant is enrolled in that network.
 * Before each scenario the network goes back to how it was (certificates reissued, lists reset, the clock
 * as it was when the run began) and the sandbox clock stands still until the next; afterwards it runs on as
 * before. A scenario that stops a participant needs a fresh network and is refused.
 */
export async function runScenariosLive(o: {
  scenarios: Scenario[];
  topologyPath: string;
  paths: SandboxPaths;
  print: (line: string) => void;
  report?: string;
  /** An enrolled participant to check in its role (see scenarioTarget). */
  target?: ScenarioTarget;
  /** Tells the person driving an outside PGO what to do; resolves when they are done. */
  ask?: (instruction: string) => Promise<void>;
  /**
   * `--unattended`: nobody presses Enter. The instruction is printed, and the trace says when the outside PGO's
   * attempt is over (waitForAttempt). Replaces `ask`.
   */
  unattended?: { timeoutMs: number; quietMs?: number };
}): Promise<ScenarioResult[]> {
  const t0 = performance.now();
  const ctx = openSharedNetwork({ topologyPath: o.topologyPath, paths: o.paths });
  const unattended = o.unattended;
  const ask =
    unattended && o.target
      ? async (instruction: string) => {
          const target = o.target!.hostname;
          const since = ctx.bus.events().at(-1)?.seq ?? 0;
          const quietMs = unattended.quietMs ?? ATTEMPT_QUIET_MS;
          // The instruction as a person gets it, but nobody is asked to press a key.
          const told = instruction.split('\n').filter((line) => !/^Press Enter\b/.test(line));
          told.push(
            `Unattended: waiting for ${target}'s attempt in the network's trace (over after ${formatDuration(quietMs)} without a hop of it or a browser, at most ${formatDuration(unattended.timeoutMs)}).`,
          );
          o.print(`\n>>> ${told.join('\n    ')}`);
          const seen = await waitForAttempt(ctx.bus, ctx.topology, target, since, { timeoutMs: unattended.timeoutMs, quietMs });
          o.print(
            seen.hops === 0
              ? `    no hop of ${target} or a browser in ${formatDuration(unattended.timeoutMs)}: judging what the network saw (a PGO that rightly does not start makes none)`
              : `    ${seen.hops} hop(s) of the attempt seen${seen.timedOut ? `, still going after ${formatDuration(unattended.timeoutMs)}: judging what the network saw so far` : ''}`,
          );
        }
      : o.ask;
  const clockAtStart = ctx.clock.getState();
  const results: ScenarioResult[] = [];
  // Ctrl-C in the middle of a scenario must not leave the whole network in that scenario's (frozen) time.
  const interrupted = () => {
    ctx.clock.set(clockAtStart);
    o.print(
      `\ninterrupted: sandbox clock back to ${ctx.clock.describe()}; certificates and lists are put back by the next live run (or: npm run sandbox -- lists reset)`,
    );
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  // Consumers that did not take a republication in time once (not running?) are not waited for again.
  const behind = new Set<string>();
  const waited = { ms: 0, resets: 0 };
  try {
    for (const scenario of o.scenarios) {
      const elsewhere = notApplicable(scenario, ctx.topology.afsprakenstelsel);
      const fresh = scenario.setup.some((a) => 'stop' in a)
        ? 'it stops a participant, which a live network cannot do for it: run it without --live (on a fresh network)'
        : scenario.setup.some((a) => 'enrol' in a)
          ? 'it enrols a PGO of its own, which would stay on the live network: run it without --live (on a fresh network)'
          : undefined;
      if (elsewhere || fresh) {
        const result = skipped(scenario, (elsewhere ?? fresh)!);
        results.push(result);
        o.print(formatResult(result));
        continue;
      }
      const beforeReset = ctx.bus.events().at(-1)?.seq ?? 0;
      await resetNetwork(ctx, clockAtStart, { consumers: 'keep' });
      // As on a fresh network, the scenario starts with every participant holding the lists the stelselnode serves.
      const t = performance.now();
      const left = await consumersCatchUp(ctx.topology, ctx.bus, beforeReset, { ignore: behind });
      if (left) {
        waited.ms += performance.now() - t;
        waited.resets++;
        for (const host of left.behind) behind.add(host);
        if (left.behind.length) o.print(left.warning);
      }
      // Time stands still while a scenario runs (as on a fresh network), so "valid until {clock+15m}" is exact.
      ctx.clock.freeze();
      const result = await runScenario(scenario, {
        topology: ctx.topology,
        pki: ctx.pki,
        clock: ctx.clock,
        bus: ctx.bus,
        paths: ctx.paths,
        stop: () => Promise.reject(new SandboxError('cannot stop a participant of a live network')),
        ...(o.target ? { target: o.target } : {}),
        ...(ask ? { ask } : {}),
      });
      results.push(result);
      o.print(formatResult(result));
    }
  } finally {
    process.removeListener('SIGINT', interrupted);
    try {
      // Puts the clock back first, whatever fails after it.
      await resetNetwork(ctx, clockAtStart);
    } catch (e) {
      o.print(`could not put the network back after the run: ${(e as Error).message}`);
    }
    ctx.bus.close();
  }
  const ms = performance.now() - t0;
  o.print(`\n${formatSummary(results, ms)}`);
  if (waited.resets)
    o.print(
      `lists      ${waited.resets} reset(s) republished the lists; waiting for the consumers to take them (the stelselnode tells them): ${(waited.ms / 1000).toFixed(1)} s`,
    );
  const conformance = formatConformance(results);
  if (conformance) o.print(`\n${conformance}`);
  const answered = o.target ? targetAnswers(results, o.target.hostname) : undefined;
  if (answered) o.print(`\n${answered}`);
  if (o.report) {
    writeReport(o.report, results, ms, { afsprakenstelsel: ctx.topology.afsprakenstelsel });
    o.print(
      `report     ${join(o.report, 'report.html')}  (JUnit: ${join(o.report, 'junit.xml')}${conformance ? `, ${join(o.report, 'conformance.json')}` : ''}, ${results.length * 2} trace files)`,
    );
  }
  return results;
}

/**
 * What an outside participant answered in the scenarios it did not pass, as the sandbox's own participants (and the
 * browser) saw it: per scenario its first refusal — an HTTP error status or a refused handshake — with the scope
 * the request carried, if any. Undefined when there is none to show.
 */
export function targetAnswers(results: ScenarioResult[], hostname: string): string | undefined {
  const found: Array<[string, string]> = [];
  for (const r of results) {
    if (r.ok || r.skipped || !r.target) continue;
    const refusal = r.events.find(
      (e) => e.to === hostname && e.reportedBy !== hostname && (e.kind === 'tls' || (e.kind === 'http' && (e.status === undefined || e.status >= 400))),
    );
    if (!refusal) continue;
    const [path, query] = (refusal.url ?? '').split('?');
    const scope = new URLSearchParams(query ?? '').get('scope');
    const answer =
      refusal.kind === 'tls'
        ? `handshake refused: ${refusal.tls?.verdict ?? refusal.reason ?? 'no reason given'}`
        : refusal.status !== undefined
          ? `HTTP ${refusal.status}`
          : `no answer: ${refusal.reason ?? 'no reason given'}`;
    found.push([r.scenario.name, `${refusal.from} → ${refusal.method ?? ''} ${path}${scope !== null ? `?scope=${scope}` : ''}: ${answer}`]);
  }
  if (found.length === 0) return undefined;
  const width = Math.max(...found.map(([name]) => name.length));
  const lines = found.map(([name, what]) => `  ${name.padEnd(width)}   ${what}`);
  const target = results.find((r) => r.target)?.target ?? hostname;
  return [`Where ${target} refused or did not answer, in the scenarios it did not pass (as the sandbox saw it):`, ...lines].join('\n');
}

/** The enrolled participant `--target` names, as the scenario runner needs it. */
export function scenarioTarget(paths: SandboxPaths, key: string, drive?: 'api' | 'person'): ScenarioTarget {
  const e = findEnrolment(paths.enrolments, key);
  if (!e) {
    throw new SandboxError(
      `--target: nothing enrolled as '${key}'`,
      `enrolled: ${readEnrolments(paths.enrolments).map(enrolmentKey).join(', ') || 'none'} (npm run sandbox -- enrol pgo|dvza ...)`,
    );
  }
  if (e.role === 'dvza') {
    return {
      role: 'dvza',
      hostname: enrolmentHostname(e),
      name: e.name,
      zorgaanbiedernaam: e.zorgaanbiedernaam,
      standsInFor: e.patientsOf,
      gegevensdiensten: e.gegevensdiensten,
      endpoints: { authorize: e.authorizeUrl, token: e.tokenUrl, fhir: e.fhirUrl },
    };
  }
  const how = drive ?? (e.webUrl ? 'api' : 'person');
  if (how === 'api' && !e.webUrl) {
    throw new SandboxError(
      `--drive api: the runner drives a PGO through the reference PGO's API at its web app, and the enrolment of ${key} names none`,
      `enrol it again with --web-url https://${e.hostname}:<port>, or let a person drive it: --drive person`,
    );
  }
  return { role: 'pgo', hostname: e.hostname, name: e.name, ...(e.webUrl ? { frontchannelUrl: e.webUrl } : {}), drive: how };
}

/** `--unattended`: how long the network must see nothing of an attempt before it counts as over. */
export const ATTEMPT_QUIET_MS = 5_000;

/**
 * `--unattended`: waits until an outside PGO's attempt (started by its own automation, not by Enter) is over, as
 * the network's trace shows it. The attempt is the hops after `sinceSeq` made by the PGO, by a browser (the
 * person's, at a DVZA or the TVS), or to the PGO — not list fetches or CRL downloads, which every participant makes
 * on its own schedule. Over once `quietMs` pass without such a hop; when none comes (a PGO that rightly does not
 * start), or it keeps going, after `timeoutMs`. Resolves with the number of hops seen; never rejects.
 */
export async function waitForAttempt(
  bus: TraceBus,
  topology: Topology,
  target: string,
  sinceSeq: number,
  o: { timeoutMs: number; quietMs: number; pollMs?: number },
): Promise<{ hops: number; timedOut: boolean }> {
  const background = new Set([...participantsByRole(topology, 'stelselnode'), ...participantsByRole(topology, 'pki')].map((p) => p.hostname));
  const ofAttempt = (e: TraceEvent) =>
    e.seq > sinceSeq && e.kind !== 'decision' && (e.from === target || e.from === 'browser' || e.to === target) && !background.has(e.to);
  const started = performance.now();
  let hops = 0;
  let lastHopAt: number | undefined;
  for (;;) {
    const now = performance.now();
    const seen = bus.events(ofAttempt).length;
    if (seen > hops) {
      hops = seen;
      lastHopAt = now;
    }
    if (lastHopAt !== undefined && now - lastHopAt >= o.quietMs) return { hops, timedOut: false };
    if (now - started >= o.timeoutMs) return { hops, timedOut: hops > 0 };
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
  }
}

/**
 * With a target: the scenarios that can check it — written for its role, and for a DVZA only those about the
 * DVZA whose patients it holds and the gegevensdiensten it offers.
 */
export function scenariosFor(all: Scenario[], target: ScenarioTarget | undefined, topology: Topology): Scenario[] {
  if (!target) return all;
  return all.filter((s) => s.targets.includes(target.role) && (target.role === 'pgo' || targetApplies(s, target, topology) === undefined));
}

function skipped(scenario: Scenario, why: string): ScenarioResult {
  return { scenario, ok: true, skipped: why, durationMs: 0, log: [], checks: [], events: [] };
}

/**
 * After a reset that republished lists, waits until every consumer of the topology (its PGO and DVZAs) has taken
 * the new publications — the stelselnode tells each at once, and whoever it could not tell polls within 30 s of
 * sandbox time — so the next scenario does not see a late "accepted … (was …)" of the reset inside its own events.
 * Follows the trace (each consumer reports what it accepted) as it comes, at most `timeoutMs`. A consumer that never
 * reported on this trace does not run, and one in `ignore` stayed behind before: neither is waited for.
 * Undefined: nothing republished.
 */
export async function consumersCatchUp(
  topology: Topology,
  bus: TraceBus,
  sinceSeq: number,
  o: { ignore?: ReadonlySet<string>; timeoutMs?: number } = {},
): Promise<{ behind: string[]; warning: string } | undefined> {
  const published = new Map<string, number>();
  for (const e of bus.events((e) => e.seq > sinceSeq && e.kind === 'decision')) {
    const p = paramsOfReason(e, STELSELNODE.published.id);
    if (p) published.set(String(p.kind), Number(p.volgnummer));
  }
  if (published.size === 0) return undefined;
  const reported = new Set(bus.events().map((e) => e.reportedBy));
  const consumers = [...participantsByRole(topology, 'pgo'), ...participantsByRole(topology, 'dvza')]
    .map((p) => p.hostname)
    .filter((host) => reported.has(host) && !o.ignore?.has(host));
  const missing = () => {
    const accepted = bus
      .events((e) => e.seq > sinceSeq && e.kind === 'decision')
      .flatMap((e) => {
        const p = paramsOfReason(e, LISTS.accepted.id);
        return p ? [{ host: e.reportedBy, kind: p.kind, volgnummer: Number(p.volgnummer) }] : [];
      });
    return consumers.flatMap((host) =>
      [...published]
        .filter(([kind, v]) => !accepted.some((a) => a.host === host && a.kind === kind && a.volgnummer >= v))
        .map(([kind, v]) => ({ host, list: `${kind} ${v}` })),
    );
  };
  const timeoutMs = o.timeoutMs ?? 75_000;
  await untilTrace(bus, () => missing().length === 0, timeoutMs);
  const left = missing();
  const behind = [...new Set(left.map((m) => m.host))];
  return {
    behind,
    warning: `warning: after ${Math.round(timeoutMs / 1000)} s these still hold older lists than the reset published: ${left.map((m) => `${m.host} (${m.list})`).join(', ')}; the run no longer waits for them`,
  };
}

/**
 * Back to the network of the topology: certificates reissued, lists reset, the clock as given (default: real time).
 * `consumers: 'keep'` leaves the participants the lists they hold (before each scenario of a live run: a forget
 * inside the scenario would change what it sees); otherwise they forget them at their next fetch.
 */
export async function resetNetwork(
  ctx: NetworkContext,
  clock: ClockState = { mode: 'real', offsetMs: 0 },
  o: { consumers?: 'forget' | 'keep' } = {},
): Promise<Said[]> {
  // The clock first: whatever fails after this, the network does not stay stuck in a scenario's time.
  ctx.clock.set(clock);
  const now = ctx.clock.getState();
  const offset = now.mode === 'real' && now.offsetMs !== 0 ? `${now.offsetMs > 0 ? '+' : '-'} ${formatDuration(Math.abs(now.offsetMs))}` : '';
  const done: Said[] = [said(SANDBOX.resetClock, { clock: ctx.clock.describe(), mode: now.mode, at: now.mode === 'frozen' ? now.at : '', offset })];
  ctx.pki.refresh();
  for (const r of ctx.pki.certificates()) {
    if (r.status !== 'current' || !r.host || !(LEAF_KINDS as readonly string[]).includes(r.kind) || !(r.revoked || r.expiredOnPurpose)) continue;
    // Only the topology's own: an enrolled participant's certificate is its owner's (maybe from its CSR, with a
    // key the sandbox does not hold), and a withdrawn one stays revoked.
    if (!findParticipant(ctx.topology, r.host)) continue;
    await ctx.pki.reissue(r.host, { kinds: [r.kind as LeafKind] });
    done.push(said(SANDBOX.resetReissued, { kind: r.kind, host: r.host, was: r.revoked ? 'revoked' : 'expired' }));
  }
  const stelselnode = participantsByRole(ctx.topology, 'stelselnode')[0];
  if (stelselnode) {
    const control = new StelselnodeControl({
      url: backchannelUrl(stelselnode)!,
      tokenFile: ctx.paths.stelselnode.controlToken,
      from: 'sandbox',
      pki: ctx.pki,
      clock: ctx.clock,
      hosts: hostTable(ctx.topology, { hostsFile: ctx.paths.hosts }),
    });
    const answer = await control.change('reset', { consumers: o.consumers ?? 'forget' });
    // The stelselnode's sentences, said again from their catalogue ids (so in Dutch too); one without a known id
    // (or from a stelselnode that sends none) as it came.
    answer.done.forEach((line, i) => {
      const wire = answer.said?.[i];
      const entry = wire ? catalogueEntry(wire.ruleId) : undefined;
      done.push(said(SANDBOX.resetLists, nest('change', entry?.kind === 'reason' ? said(entry, wire!.params) : line)));
    });
  }
  return done;
}
