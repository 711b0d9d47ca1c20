/**
 * docker-compose.yml for real (run by .ci/run; also by hand: npm run compose-ci -w @medmij-sandbox/tests-compose):
 * obtain a Docker engine (start one when none answers), build the images without a registry if need be,
 * `compose up` until every healthcheck is healthy, check the lists against the official (strict) schemas,
 * replay the whole scenario catalogue --live against the containers — the host's browser through the edge
 * container, as a person's browser would — and tear everything down, whatever happened. Then three
 * rehearsals of what must fail clearly and in bounded time: no engine, an image that does not build, a
 * container that never gets healthy. Last line: "compose: N passed, N failed (added N s to CI)".
 */
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperatorAccess, SandboxClock, loadTopology, repositoryRoot, sandboxPaths } from '@medmij-sandbox/network';
import { SandboxPki } from '@medmij-sandbox/pki';
import { isDerivedSchema, listKindsOf, schemaPath } from '@medmij-sandbox/lists';
import { StepFailure, killRunning, lastLines, run } from './exec.js';
import { consoleRequest } from './console.js';
import { obtainCompose, obtainEngine, removeStaleEngines, unmountBelow, which, type Engine } from './engine.js';
import { baseImages, buildSandboxImage, copyRepositoryFiles, prepareContext } from './images.js';
import { ComposeProject } from './project.js';
import { hostChanges, hostState } from './host-state.js';

interface Outcome {
  what: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

const repo = repositoryRoot();
const outcomes: Outcome[] = [];
const print = (line: string) => console.log(`compose: ${line}`);
const t0 = performance.now();
const keep = process.argv.includes('--keep-on-failure');

/** Set when the run was interrupted: no new step starts while the teardown runs. */
let stopping = false;

async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  if (stopping) throw new StepFailure(`${what}: not started (the run was interrupted)`);
  const t = performance.now();
  print(`${what} ...`);
  try {
    const value = await fn();
    const ms = performance.now() - t;
    outcomes.push({ what, ok: true, ms });
    print(`ok    ${what} (${(ms / 1000).toFixed(1)} s)`);
    return value;
  } catch (e) {
    const ms = performance.now() - t;
    const detail = e instanceof StepFailure ? `${e.message}${e.detail ? `\n${e.detail}` : ''}` : e instanceof Error ? (e.stack ?? e.message) : String(e);
    outcomes.push({ what, ok: false, ms, detail });
    print(`FAIL  ${what} (${(ms / 1000).toFixed(1)} s)\n${detail.replace(/^/gm, '        ')}`);
    throw e;
  }
}

/**
 * A rehearsal: `fn` must fail with a StepFailure whose message matches `cause`. Its time is bounded by the
 * deadlines of the commands it runs (exec.ts), not judged here: a busy CI machine is slow, not wrong.
 */
async function rehearse(what: string, cause: RegExp, fn: () => Promise<unknown>): Promise<void> {
  await step(`rehearsal: ${what}`, async () => {
    let message = '';
    try {
      await fn();
    } catch (e) {
      message = e instanceof StepFailure ? `${e.message}\n${e.detail}` : String(e);
    }
    if (!message) throw new StepFailure(`${what}: it did not fail`);
    if (!cause.test(message)) throw new StepFailure(`${what}: the message does not name the cause (${cause})`, message);
    print(`      said: ${message.split('\n')[0]}`);
  });
}

/** Is nobody listening there? Only "address in use" means taken (not root may not bind 443: EACCES). */
function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code !== 'EADDRINUSE'));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** The sandbox CLI on the host, as a user runs it against the compose network. */
function sandbox(args: string[], timeoutMs: number, echo = false) {
  return run(process.execPath, ['--import', 'tsx', join(repo, 'apps/cli/src/main.ts'), ...args], { timeoutMs, cwd: repo, echo });
}

/** What an interrupted run (SIGINT, SIGTERM, the overall deadline) must still take down. */
const live: { engine?: Engine; project?: ComposeProject; execRoot?: string; work?: string } = {};
/** The whole run's safety net: every command has its own deadline; this one bounds their sum. */
const DEADLINE_MS = 40 * 60_000;

async function interrupted(why: string): Promise<never> {
  print(`${why}: tearing down`);
  stopping = true;
  killRunning();
  if (live.project) for (const line of await live.project.down()) print(`      ${line}`);
  if (live.engine?.ours) for (const line of await live.engine.stop()) print(`      ${line}`);
  if (live.execRoot) rmSync(live.execRoot, { recursive: true, force: true });
  if (live.work) for (const line of await unmountBelow([live.work])) print(`      ${line}`);
  const passed = outcomes.filter((o) => o.ok).length;
  console.log(`compose: ${passed} passed, ${outcomes.length - passed + 1} failed (${why}; added ${Math.round((performance.now() - t0) / 1000)} s to CI)`);
  process.exit(1);
}

async function main(): Promise<number> {
  const work = join(repo, '.sandbox', 'compose-ci');
  const execRootPrefix = '/tmp/medmij-engine-';
  const dataRoot = join(work, 'engine');
  // An earlier run that was killed may have left its engine running on this folder: stop it before removing.
  for (const line of await removeStaleEngines({ execRootPrefix, dataRoot })) print(line);
  for (const line of await unmountBelow([work])) print(line);
  live.work = work;
  try {
    rmSync(work, { recursive: true, force: true });
  } catch (e) {
    // The containers write the shared folder as root: a run without root cannot remove an earlier one's files.
    console.log(`compose: cannot remove ${work} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): remove it as root, then run again`);
    console.log('compose: 0 passed, 1 failed (added 0 s to CI)');
    return 1;
  }
  mkdirSync(work, { recursive: true });
  // Short: the engine's unix sockets live below it.
  const execRoot = mkdtempSync(execRootPrefix);
  live.execRoot = execRoot;
  const before = await hostState([work, execRoot]);
  let engine: Engine | undefined;
  let project: ComposeProject | undefined;
  let edgeImage = '';
  let baseImage = '';
  try {
    // Two steps: an engine this run started is stopped at the end even when compose cannot be had.
    engine = await step('a Docker engine', async () => {
      const e = await obtainEngine({ dataRoot, execRoot, logDir: join(work, 'engine-log'), install: true, print });
      print(`using ${e.describe}`);
      return e;
    });
    live.engine = engine;
    engine = await step('docker compose v2', () => obtainCompose(engine!, { workDir: work, print }));
    live.engine = engine;
    const e = engine;
    const bases = await step('base images', () => baseImages(e, { workDir: work, print }));
    print(`bases: ${bases.how}`);
    edgeImage = bases.edge;
    baseImage = bases.base;
    await step('the sandbox image (docker build)', async () => {
      await prepareContext(repo, join(work, 'context'), print);
      await buildSandboxImage(e, { context: join(work, 'context'), base: bases.base });
      rmSync(join(work, 'context'), { recursive: true, force: true });
    });
    await step('port 443 on 127.0.0.1 is free for the edge', async () => {
      if (!(await portFree(443, '127.0.0.1')))
        throw new StepFailure('port 443 on 127.0.0.1 is taken: is another sandbox (docker compose up, npm start with --compose ports) running? stop it first');
    });
    const sandboxDir = join(work, 'sandbox');
    mkdirSync(sandboxDir, { recursive: true });
    project = new ComposeProject(e, { repo, name: 'medmij-sandbox-ci', sandboxDir, edgeImage });
    live.project = project;
    const p = project;
    await step('docker compose up: every container healthy', async () => {
      const states = await p.up({ waitS: 300 });
      for (const s of states) print(`      ${s.Service.padEnd(13)} ${s.State}${s.Health ? ` (${s.Health})` : ` (exit code ${s.ExitCode})`}`);
    });
    const topologyFile = join(repo, 'topology.compose.yaml');
    const cli = ['--dir', sandboxDir, '--topology', topologyFile];
    // In 2 the changed lists are judged by the sandbox's derived schemas (no official 2.x XSD is public), the rest by the official ones.
    const { afsprakenstelsel } = loadTopology(topologyFile);
    await step('the lists, valid against their schemas (lists show --strict)', async () => {
      const r = await sandbox([...cli, 'lists', 'show', '--strict'], 120_000);
      for (const line of r.stdout.trim().split('\n')) print(`      ${line}`);
      if (r.code !== 0) throw new StepFailure('lists show --strict failed', lastLines(r));
    });
    await step("the lists, valid against their schemas by the system's xmllint too (an independent judge)", async () => {
      if (!which('xmllint')) throw new StepFailure('no xmllint (Debian: libxml2-utils; .ci/run installs it)');
      for (const kind of listKindsOf(afsprakenstelsel)) {
        const xml = await sandbox([...cli, 'lists', 'show', kind, '--xml'], 60_000);
        if (xml.code !== 0) throw new StepFailure(`lists show ${kind} --xml failed`, lastLines(xml));
        const file = join(work, `MedMij_${kind}.xml`);
        writeFileSync(file, xml.stdout);
        const schema = isDerivedSchema(kind, afsprakenstelsel) ? `the derived ${afsprakenstelsel}.x schema` : 'the official schema';
        const r = await run('xmllint', ['--noout', '--schema', schemaPath(kind, 'official', afsprakenstelsel), file], { timeoutMs: 60_000 });
        if (r.code !== 0) throw new StepFailure(`xmllint: ${kind} is not valid against ${schema}`, lastLines(r));
        print(`      ${kind}: ${lastLines(r, 1)} (${schema})`);
      }
    });
    await step('the scenario catalogue --live against the containers', async () => {
      const r = await sandbox([...cli, 'scenario', 'run', '--all', '--live', '--report', join(work, 'report')], 1_800_000, true);
      const summary = /^(\d+) passed(?:, (\d+) skipped)?, (\d+) failed/m.exec(r.stdout);
      if (r.timedOut) throw new StepFailure('the live scenario run did not end within 30 min', lastLines(r));
      if (r.code !== 0 || !summary || summary[3] !== '0') throw new StepFailure(`the live scenario run failed: ${summary?.[0] ?? lastLines(r, 2)}`);
      // The events came from the containers themselves: the PGO's and a DVZA's reports are in the shared trace.
      print(`      ${summary[0]}`);
    });
    // The console container, as the operator's browser reaches it: through the edge, by its own hostname.
    await step("the console through the edge: refused without the operator credential, the containers' trace with it", async () => {
      const paths = sandboxPaths(sandboxDir);
      const ca = SandboxPki.open(paths.pki, { clock: new SandboxClock() }).rootCertPath;
      const tokens = new OperatorAccess(paths.operator).tokens();
      for (const path of ['/api/trace?since=0', '/api/scenarios']) {
        const r = await consoleRequest(ca, path);
        if (r.status !== 401) throw new StepFailure(`GET ${path} without a credential answered ${r.status}, not 401`);
      }
      const trace = await consoleRequest(ca, '/api/trace?since=0', tokens.viewer);
      const events = (JSON.parse(trace.body) as { events?: Array<{ reportedBy?: string }> }).events ?? [];
      if (trace.status !== 200 || !events.some((e) => e.reportedBy === 'pgo.localhost'))
        throw new StepFailure(`the viewer's GET /api/trace answered ${trace.status} with ${events.length} events, none reported by the PGO's container`);
      const ui = await consoleRequest(ca, '/');
      if (ui.status !== 200 || !ui.body.includes('<console-app>')) throw new StepFailure(`GET / answered ${ui.status}: the console's web UI is not served`);
      print(`      401 without a credential; the viewer sees ${events.length} events; the web UI is served`);
    });
    // What the README tells a team to do with its own participant: run the CLI inside the network. Its browser
    // must go to the participants' own addresses (127.0.0.1 is the container itself there, not the edge).
    await step('a scenario run from inside the compose network (docker compose run --rm init scenario run)', async () => {
      const r = await p.compose(['run', '--rm', '--no-deps', 'init', 'scenario', 'run', '--live', 'happy-path-bgz'], 600_000, true);
      if (r.timedOut) throw new StepFailure('the scenario run inside the network did not end within 10 min', lastLines(r));
      const summary = /^(\d+) passed(?:, (\d+) skipped)?, (\d+) failed/m.exec(r.stdout);
      if (r.code !== 0 || summary?.[1] !== '1')
        throw new StepFailure(`the scenario run inside the network failed: ${summary?.[0] ?? lastLines(r, 2)}`, lastLines(r));
      print(`      ${summary[0]}`);
    });
  } catch {
    // Already printed by step(); the teardown below runs whatever failed.
  } finally {
    if (project && engine) {
      if (keep && outcomes.some((o) => !o.ok))
        print(
          `--keep-on-failure: left running; look with DOCKER_HOST=${engine.env.DOCKER_HOST ?? ''}${engine.env.DOCKER_CONFIG ? ` DOCKER_CONFIG=${engine.env.DOCKER_CONFIG}` : ''} docker compose -p ${project.o.name} ps` +
            (engine.ours ? `; the next run (or kill $(cat ${execRoot}/dockerd.pid)) stops the engine` : ''),
        );
      else
        await step('docker compose down', async () => {
          const left = await project!.down();
          if (left.length) throw new StepFailure(left.join('; '));
        }).catch(() => undefined);
    }
    live.project = undefined;
  }
  if (engine && !(keep && outcomes.some((o) => !o.ok))) await rehearsals(engine, work, baseImage, edgeImage);
  await rehearse('no Docker engine obtainable', /no Docker engine obtainable/, () =>
    obtainEngine({
      dataRoot: join(work, 'no-engine'),
      execRoot: join(execRoot, 'none'),
      logDir: join(work, 'no-engine'),
      install: false,
      dockerd: '/nonexistent/dockerd',
      dockerHost: 'unix:///nonexistent/docker.sock',
      print,
    }),
  ).catch(() => undefined);
  // Interrupted: the teardown in interrupted() ends the process with the closing line.
  if (stopping) return new Promise<number>(() => undefined);
  const keepEngine = keep && outcomes.some((o) => !o.ok);
  if (engine?.ours && !keepEngine) {
    await step('the engine stopped, its folders and mounts removed', async () => {
      const left = await engine!.stop();
      if (left.length) throw new StepFailure(left.join('; '));
    }).catch(() => undefined);
    live.engine = undefined;
    await step('the host as it was (firewall, forwarding, interfaces, mounts)', async () => {
      const changes = hostChanges(before, await hostState([work, execRoot]));
      if (changes.length) throw new StepFailure(changes.join('\n'));
    }).catch(() => undefined);
  }
  // A kept engine still has its sockets there.
  if (!(engine?.ours && keepEngine)) rmSync(execRoot, { recursive: true, force: true });
  live.execRoot = undefined;
  if (!outcomes.some((o) => !o.ok)) {
    try {
      rmSync(work, { recursive: true, force: true });
    } catch (e) {
      print(`could not remove ${work} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): files the containers wrote as root`);
    }
  } else print(`evidence kept in ${work} (dockerd's log in engine-log/, the scenario report in report/)`);
  const passed = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - passed;
  console.log(`compose: ${passed} passed, ${failed} failed (added ${Math.round((performance.now() - t0) / 1000)} s to CI)`);
  return failed === 0 ? 0 : 1;
}

/** What must fail clearly, on the engine that is there: an image that does not build, a container never healthy. */
async function rehearsals(engine: Engine, work: string, base: string, edgeImage: string): Promise<void> {
  // The repository's files without the prepared node_modules and web UI: the Dockerfile's own check refuses it.
  if (base) {
    const broken = join(work, 'broken-context');
    await rehearse('an image that does not build', /the sandbox image does not build \(Dockerfile\): the image has no production node_modules/, async () => {
      await copyRepositoryFiles(repo, broken);
      await buildSandboxImage(engine, { context: broken, base, tag: 'medmij-sandbox-rehearsal:broken', timeoutMs: 240_000 });
    }).catch(() => undefined);
    rmSync(broken, { recursive: true, force: true });
  }
  // The PKI repository's healthcheck probes a port nobody listens on: unhealthy after three tries.
  const override = join(work, 'never-healthy.yml');
  writeFileSync(
    override,
    [
      'services:',
      '  pki:',
      '    healthcheck:',
      `      test: ["CMD", "node", "-e", "require('node:net').connect(9, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"]`,
      '      interval: 1s',
      '      timeout: 2s',
      '      retries: 3',
      '      start_period: 0s',
      '',
    ].join('\n'),
  );
  const sandboxDir = join(work, 'rehearsal-sandbox');
  mkdirSync(sandboxDir, { recursive: true });
  const rehearsal = new ComposeProject(engine, { repo, name: 'medmij-sandbox-rehearsal', sandboxDir, edgeImage, extraFiles: [override] });
  live.project = rehearsal;
  await rehearse('a container that never gets healthy', /containers not healthy: .*pki: running, but its healthcheck says unhealthy/, () =>
    rehearsal.up({ waitS: 90, only: ['pki'] }),
  ).catch(() => undefined);
  await step('rehearsal: docker compose down', async () => {
    const left = await rehearsal.down();
    if (left.length) throw new StepFailure(left.join('; '));
  }).catch(() => undefined);
  live.project = undefined;
}

// Ctrl-C, `kill`, CI's own timeout: the containers and an engine this run started go all the same. A second
// signal ends the process at once (the handlers are `once`).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void interrupted(`interrupted by ${signal}`));
setTimeout(() => void interrupted(`the run took longer than its deadline of ${DEADLINE_MS / 60_000} min`), DEADLINE_MS).unref();

process.exitCode = await main();
