/**
 * Running the network: `up` (all participants in this process: what `npm start` runs), `init` and `run`
 * (one process per participant, as docker compose does), and `clock` (the sandbox clock they share).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  OperatorAccess,
  SandboxClock,
  SandboxError,
  findParticipant,
  formatTraceEvent,
  frontchannelUrl,
  loadTopology,
  operatorLoginUrl,
  participantsByRole,
  sandboxClockIn,
  type Clock,
  type PgoParticipant,
  type SandboxPaths,
} from '@medmij-sandbox/network';
import { demoAccountLines } from '@medmij-sandbox/pgo';
import { findEnrolment } from '@medmij-sandbox/lists';
import { sandboxCommand, type Cli } from '../context.js';
import { formatParticipantTable, startNetwork } from '../network.js';
import { initNetwork, openSharedNetwork, runEnrolledDvza, runEnrolledPgo, runParticipant } from '../processes.js';
import { scenarioService } from '../scenario-runs.js';
import { manageTrust } from '../trust.js';
import { catalogueDir } from './scenario.js';
import { optionValue, startClock, untilStopped } from './options.js';

export function registerNetworkCommands(program: Command, { globals, print }: Cli): void {
  program
    .command('up')
    .description('start the whole network (what `npm start` runs); Ctrl-C stops it')
    .option('-q, --quiet', 'do not print trace events as they happen')
    .option('--freeze <time>', 'start with the sandbox clock frozen at this ISO time, e.g. 2026-01-01T09:00:00Z')
    .option('--shift <duration>', 'start with the sandbox clock shifted, e.g. 2d or -1h30m')
    .action(async (o: { quiet?: boolean; freeze?: string; shift?: string }) => {
      const { paths, topologyPath } = globals();
      const clock = startClock(o);
      const t0 = performance.now();
      // Shared through .sandbox/clock.json, so `sandbox clock shift 16m` in another terminal moves this network's time.
      const network = await startNetwork({
        topologyPath,
        paths,
        clock: new SandboxClock().shareVia(paths.clock).set(clock.getState()),
        sharedTrace: true,
        // The console's scenario runs and resets: only the live network of `up` (and `run console`) offers them.
        scenarios: (ctx) => scenarioService(ctx, catalogueDir()),
      });
      const ms = Math.round(performance.now() - t0);
      const root = network.pki.rootCertPath;
      print(
        `\nMedMij Sandbox - NOT FOR PRODUCTION   (started in ${ms} ms, afsprakenstelsel ${network.topology.afsprakenstelsel}, seed '${network.topology.seed}', clock: ${network.clock.describe()})\n`,
      );
      print(formatParticipantTable(network));
      print(`\nPKI        ${network.pkiCreated ? 'created' : 'reused'} ${paths.pki}  (root: ${root})`);
      for (const change of network.pkiChanges) print(`           ${change}`);
      print(`network    ${paths.networkJson}`);
      print(`trace      ${paths.trace}   (npm run sandbox -- trace --follow)`);
      const repository = network.networkJson.pki.repositoryUrl;
      print(`try        curl -s ${repository}/crl/private-services.crl | openssl crl -inform DER -noout -text`);
      const pgo = network.networkJson.participants.find((p) => p.role === 'pgo' && p.running);
      if (pgo?.urls.frontchannel) {
        print(`\nopen       ${pgo.urls.frontchannel}   (the reference PGO: log in as demo / sandbox + the code on the page)`);
        const participant = participantsByRole(network.topology, 'pgo').find((p) => p.hostname === pgo.hostname);
        if (participant) for (const line of hiddenDemoAccounts(paths, participant, network.clock)) print(line);
      }
      const console_ = network.networkJson.participants.find((p) => p.role === 'console' && p.running);
      if (console_?.urls.frontchannel) {
        print(`\nconsole    ${console_.urls.frontchannel}   (the operator's console: network inspector, scenarios, presenter, reset)`);
        for (const line of operatorLinks(paths, console_.urls.frontchannel)) print(line);
      }
      const trusted = manageTrust({ rootPemPath: root, installId: network.pki.installId, action: 'check', system: false });
      if (trusted.some((s) => s.status === 'not trusted')) {
        print(`\n${untrustedRootHint(paths.root)}`);
      }
      print('\nCtrl-C stops the network.\n');
      if (!o.quiet) network.bus.subscribe((e) => print(formatTraceEvent(e)));
      await untilStopped(
        print,
        async () => {
          await network.close();
          print('stopped.');
        },
        'the network',
      );
    });

  // init / run: one process per participant
  program
    .command('init')
    .description('prepare a network whose participants run as separate processes: PKI, shared clock, new trace file')
    .option('--force-pki', 'throw the existing PKI away and build a new one')
    .option('--freeze <time>', 'freeze the shared sandbox clock at this ISO time')
    .option('--shift <duration>', 'shift the shared sandbox clock, e.g. 2d or -1h30m')
    .action(async (o: { forcePki?: boolean; freeze?: string; shift?: string }) => {
      const { paths, topologyPath } = globals();
      const clock = startClock(o);
      const r = await initNetwork({ topologyPath, paths, clock: clock.getState(), forcePki: o.forcePki });
      print(`PKI        ${r.created ? 'created' : 'reused'} ${paths.pki}  (root: ${r.pki.rootCertPath})`);
      for (const change of r.changes) print(`           ${change}`);
      print(`clock      ${paths.clock}  (${r.clock.describe()})`);
      print(`trace      ${paths.trace}  (new; every process appends to it)`);
      print(`network    ${paths.networkJson}`);
      const ids = loadTopology(topologyPath).participants.map((p) => p.id);
      print(`\nnow start each participant in its own terminal (or container), infrastructure first:`);
      for (const id of ids) print(`  npm run sandbox -- run ${id}`);
    });

  program
    .command('run <participant>')
    .description('run one participant (id or hostname) of a network prepared with `init`, in this process')
    .option('-q, --quiet', 'do not print the events this participant reports')
    .option('--port <port>', 'an enrolled PGO: run the reference PGO as that participant, its web app on this port')
    .action(async (id: string, o: { quiet?: boolean; port?: string }) => {
      const { paths, topologyPath } = globals();
      // Not the topology's own: an enrolled participant, run by the reference implementation as an outside one.
      const enrolled = findParticipant(loadTopology(topologyPath), id) ? undefined : findEnrolment(paths.enrolments, id);
      if (enrolled?.role === 'dvza') {
        const running = await runEnrolledDvza({ topologyPath, paths, key: id });
        print(
          `${id} (the reference DVZA as an enrolled participant, patients of ${running.participant.id}) ready: ${running.listeners.map((l) => `${l.kind} ${l.url}`).join(', ')}   own trace: ${running.trace}`,
        );
        await untilStopped(print, () => running.close(), id);
        return;
      }
      if (enrolled?.role === 'pgo') {
        const fromWebUrl = enrolled.webUrl ? Number(new URL(enrolled.webUrl).port || 443) : undefined;
        const port = o.port ? Number(o.port) : fromWebUrl;
        if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
          throw new SandboxError(
            `--port: to run the reference PGO as the enrolled ${id}, say on which port its web app listens`,
            `e.g. npm run sandbox -- run ${id} --port 8760 (or enrol it with --web-url)`,
          );
        const running = await runEnrolledPgo({ topologyPath, paths, hostname: id, port });
        print(`${id} (the reference PGO as an enrolled participant) ready: ${running.listeners.map((l) => l.url).join(', ')}   own trace: ${running.trace}`);
        await untilStopped(print, () => running.close(), id);
        return;
      }
      const ctx = openSharedNetwork({ topologyPath, paths });
      // A live network's PGO offers the trainer page's scenario runs and resets, also as a process of its own
      // (docker compose runs it so); nothing else gets them.
      const running = await runParticipant(ctx, id, { scenarios: scenarioService(ctx, catalogueDir()) });
      const p = running.participant;
      const urls = running.listeners.map((l) => `${l.kind} ${l.url}`).join(', ');
      print(`${p.id} (${p.role}, ${p.hostname}) ready: ${urls}   clock: ${ctx.clock.describe()}   trace: ${paths.trace}`);
      if (!o.quiet) ctx.bus.subscribe((e) => e.reportedBy === p.hostname && print(formatTraceEvent(e)));
      await untilStopped(
        print,
        async () => {
          await running.close();
          ctx.bus.close();
        },
        p.id,
      );
    });

  program
    .command('operator')
    .description("print the operator's login links to the console (viewer: the network trace; trainer: also scenario runs and resets)")
    .action(() => {
      const { paths, topologyPath } = globals();
      const topology = loadTopology(topologyPath);
      const sandboxConsole = participantsByRole(topology, 'console')[0];
      if (!sandboxConsole)
        throw new SandboxError(
          `no console in ${topologyPath}`,
          "the operator logs in at the sandbox console: add a participant with role 'console' to the topology",
        );
      if (!existsSync(paths.root)) throw new SandboxError(`no sandbox in ${paths.root}`, 'start the network first: npm start');
      for (const line of operatorLinks(paths, frontchannelUrl(sandboxConsole)!)) print(line);
      const pgo = participantsByRole(topology, 'pgo')[0];
      if (pgo) for (const line of hiddenDemoAccounts(paths, pgo, sandboxClockIn(paths.clock))) print(line);
    });

  program
    .command('clock [action] [value]')
    .description('show or change the shared sandbox clock: show | shift <duration> | freeze [iso time] | resume | reset')
    .action((action = 'show', value: string | undefined) => {
      const { paths } = globals();
      if (!existsSync(paths.clock)) throw new SandboxError(`no shared clock in ${paths.root}`, 'it is made by `npm start` or `npm run sandbox -- init`');
      const clock = new SandboxClock().shareVia(paths.clock);
      if (action === 'shift') optionValue('shift', () => clock.shift(value ?? ''));
      else if (action === 'freeze') optionValue('freeze', () => clock.freeze(value ?? clock.now()));
      else if (action === 'resume') clock.resume();
      else if (action === 'reset') clock.reset();
      else if (action !== 'show') throw new SandboxError(`clock: unknown action '${action}'`, 'use show, shift <duration>, freeze [time], resume or reset');
      print(`sandbox clock: ${clock.now().toISOString()} (${clock.describe()})`);
    });
}

/** What `up` says when browsers do not trust this folder's root: the trust command for the folder it was started with. */
/**
 * The operator's login links (packages/network operator.ts): the trace holds the DVZA's view, so the inspector and
 * the scenario runs open only after one of these. The tokens stay in .sandbox/operator.json (0600) across restarts.
 */
export function operatorLinks(paths: SandboxPaths, consoleFrontchannel: string): string[] {
  const tokens = new OperatorAccess(paths.operator).tokens();
  return [
    `operator   viewer   ${operatorLoginUrl(consoleFrontchannel, tokens.viewer)}`,
    `                    (the network trace: the console's inspector, its exports, the scenario list)`,
    `           trainer  ${operatorLoginUrl(consoleFrontchannel, tokens.trainer)}`,
    `                    (also scenario runs and resets)   tokens: ${paths.operator} (0600; APIs take Authorization: Bearer <token>)`,
  ];
}

/** With `demoAccounts: false` the login page shows no accounts: the operator's terminal does (passwords, otpauth URIs). */
function hiddenDemoAccounts(paths: SandboxPaths, pgo: PgoParticipant, clock: Clock): string[] {
  if (pgo.demoAccounts) return [];
  const lines = demoAccountLines({ clock, participant: pgo, secretsFile: paths.pgoSecrets(pgo.id) });
  return [`accounts   (demoAccounts: false, so not on the login page; add the otpauth URI to an authenticator app)`, ...lines.map((l) => `           ${l}`)];
}

export function untrustedRootHint(root: string, repository?: string): string {
  return `Browsers do not trust the sandbox root yet. Run once:  ${sandboxCommand(root, 'trust', repository)}`;
}
