#!/usr/bin/env -S npx tsx
/**
 * `sandbox`: the command line of the MedMij Sandbox (run it as `npm run sandbox -- <command>`).
 */
import { existsSync, mkdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import {
  SandboxClock,
  SandboxError,
  defaultTopologyPath,
  findParticipant,
  formatTraceEvent,
  hasFrontchannel,
  loadTopology,
  pkiRepositoryUrl,
  readTraceFile,
  repositoryRoot,
  sandboxPaths,
  type TraceEvent,
} from '@medmij-sandbox/network';
import { CA_IDS, LEAF_KINDS, REVOCATION_REASONS, SandboxPki, hostSpecs, type LeafKind, type RevocationReason } from '@medmij-sandbox/pki';
import { formatParticipantTable, startNetwork } from './network.js';
import { initNetwork, openSharedNetwork, runEnrolledDvza, runEnrolledPgo, runParticipant } from './processes.js';
import { checkCompose, defaultComposeFiles } from './compose.js';
import { enrolDvza, enrolPgo, listEnrolments, withdraw, type EnrolResult } from './enrol.js';
import { findEnrolment } from '@medmij-sandbox/lists';
import { registerListsCommands } from './lists.js';
import { auditEntries, formatAudit } from './audit.js';
import { formatCatalogue, pickScenarios, runScenarios, runScenariosLive, scenarioTarget, scenariosFor } from './scenario.js';
import { loadCatalogue } from '@medmij-sandbox/scenario';
import { dossierFor, personaSetOptions, personasOutput, validateBundles } from './personas.js';
import { formatTable } from './table.js';
import { manageTrust } from './trust.js';

const program = new Command('sandbox')
  .description('MedMij Sandbox - the MedMij network on one machine (NOT FOR PRODUCTION)')
  .option('--dir <dir>', 'folder for generated state (PKI, traces, network.json)', process.env.SANDBOX_DIR)
  .option('--topology <file>', 'topology file', undefined)
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(`sandbox: ${text.replace(/^error: /, '')}`) });

function globals() {
  const o = program.opts<{ dir?: string; topology?: string }>();
  return { paths: sandboxPaths(o.dir), topologyPath: o.topology ?? defaultTopologyPath() };
}

// ---- up ----------------------------------------------------------------------------------------
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
      dir: paths.root,
      clock: new SandboxClock().shareVia(paths.clock).set(clock.getState()),
      sharedTrace: true,
    });
    const ms = Math.round(performance.now() - t0);
    const root = network.pki.rootCertPath;
    print(`\nMedMij Sandbox - NOT FOR PRODUCTION   (started in ${ms} ms, seed '${network.topology.seed}', clock: ${network.clock.describe()})\n`);
    print(formatParticipantTable(network));
    print(`\nPKI        ${network.pkiCreated ? 'created' : 'reused'} ${paths.pki}  (root: ${root})`);
    for (const change of network.pkiChanges) print(`           ${change}`);
    print(`network    ${paths.networkJson}`);
    print(`trace      ${paths.trace}   (npm run sandbox -- trace --follow)`);
    const repository = network.networkJson.pki.repositoryUrl;
    print(`try        curl -s ${repository}/crl/private-services.crl | openssl crl -inform DER -noout -text`);
    const pgo = network.networkJson.participants.find((p) => p.role === 'pgo' && p.running);
    if (pgo?.urls.frontchannel) print(`\nopen       ${pgo.urls.frontchannel}   (the reference PGO: log in as demo / sandbox + the code on the page)`);
    const trusted = manageTrust({ rootPemPath: root, installId: network.pki.installId, action: 'check', system: false });
    if (trusted.some((s) => s.status === 'not trusted')) {
      print('\nBrowsers do not trust the sandbox root yet. Run once:  npm run sandbox -- trust');
    }
    print('\nCtrl-C stops the network.\n');
    if (!o.quiet) network.bus.subscribe((e) => print(formatTraceEvent(e)));
    await untilStopped(async () => {
      await network.close();
      print('stopped.');
    }, 'the network');
  });

// ---- init / run: one process per participant ------------------------------------------------------
program
  .command('init')
  .description('prepare a network whose participants run as separate processes: PKI, shared clock, new trace file')
  .option('--force-pki', 'throw the existing PKI away and build a new one')
  .option('--freeze <time>', 'freeze the shared sandbox clock at this ISO time')
  .option('--shift <duration>', 'shift the shared sandbox clock, e.g. 2d or -1h30m')
  .action(async (o: { forcePki?: boolean; freeze?: string; shift?: string }) => {
    const { paths, topologyPath } = globals();
    const clock = startClock(o);
    const r = await initNetwork({ topologyPath, dir: paths.root, clock: clock.getState(), forcePki: o.forcePki });
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
    const enrolled = findParticipant(loadTopology(topologyPath), id) ? undefined : findEnrolment(paths.root, id);
    if (enrolled?.role === 'dvza') {
      const running = await runEnrolledDvza({ topologyPath, dir: paths.root, key: id });
      print(
        `${id} (the reference DVZA as an enrolled participant, patients of ${running.participant.id}) ready: ${running.listeners.map((l) => `${l.kind} ${l.url}`).join(', ')}   own trace: ${running.trace}`,
      );
      await untilStopped(() => running.close(), id);
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
      const running = await runEnrolledPgo({ topologyPath, dir: paths.root, hostname: id, port });
      print(`${id} (the reference PGO as an enrolled participant) ready: ${running.listeners.map((l) => l.url).join(', ')}   own trace: ${running.trace}`);
      await untilStopped(() => running.close(), id);
      return;
    }
    const ctx = openSharedNetwork({ topologyPath, dir: paths.root });
    const running = await runParticipant(ctx, id);
    const p = running.participant;
    const urls = running.listeners.map((l) => `${l.kind} ${l.url}`).join(', ');
    print(`${p.id} (${p.role}, ${p.hostname}) ready: ${urls}   clock: ${ctx.clock.describe()}   trace: ${paths.trace}`);
    if (!o.quiet) ctx.bus.subscribe((e) => e.reportedBy === p.hostname && print(formatTraceEvent(e)));
    await untilStopped(async () => {
      await running.close();
      ctx.bus.close();
    }, p.id);
  });

/** Tells the person at the keyboard what to do in their own PGO, and waits for Enter. */
function askPerson(instruction: string): Promise<void> {
  print(`\n>>> ${instruction.split('\n').join('\n    ')}`);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    let answered = false;
    lines.once('line', () => {
      answered = true;
      lines.close();
      resolve();
    });
    lines.once(
      'close',
      () =>
        answered ||
        reject(
          new SandboxError(
            'nobody answered (standard input closed): a person must drive this PGO',
            'run it in a terminal, or with --drive api for a PGO with the reference API',
          ),
        ),
    );
  });
}

/** Keeps a `run` process alive until Ctrl-C or SIGTERM (docker stop), then closes what it started. */
function untilStopped(close: () => Promise<void>, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      print(`\n${signal}: stopping ${what}...`);
      await close();
      resolve();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}

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

program
  .command('compose')
  .description('check docker-compose.yml against the Compose Specification and topology.compose.yaml (no Docker needed)')
  .argument('[action]', 'check', 'check')
  .action((action: string) => {
    if (action !== 'check') throw new SandboxError(`compose: unknown action '${action}'`, 'use: compose check');
    const files = defaultComposeFiles();
    const problems = checkCompose(files);
    for (const p of problems) print(p);
    if (problems.length > 0) throw new SandboxError(`${files.compose}: ${problems.length} problem(s)`);
    print(`${files.compose}: valid Compose file; one container per participant of ${files.topology}, edge routes and Dockerfile agree`);
  });

// ---- enrol: bring your own participant -----------------------------------------------------------
const enrolCmd = program
  .command('enrol')
  .description('bring your own PGO or DVZA into the sandbox network: certificates, a place on the lists, what to configure');
const printEnrolment = (r: EnrolResult, json?: boolean) => {
  if (json) return print(JSON.stringify({ enrolment: r.enrolment, hostname: r.hostname, certificates: r.certificates, published: r.published }, null, 2));
  print(r.config);
  print('');
  for (const line of r.published) print(`stelselnode: ${line}`);
};
enrolCmd
  .command('pgo <hostname>')
  .description('enrol your PGO: client_id = hostname, on the OAuthclientlist and the Whitelist')
  .option('--name <name>', 'organisation name on the OAuthclientlist (what the consent page shows)')
  .option('--web-url <url>', 'where its web app runs, e.g. https://teampgo.localhost:8760 (lets scenarios drive it)')
  .option('--address <ipv4>', 'where the sandbox reaches it (needed for names outside *.localhost, e.g. a container)')
  .option('--csr <file>', 'sign your own certificate signing request (PEM) instead of issuing a key')
  .option('--csr-kind <kind>', `which certificate the CSR is for: ${LEAF_KINDS.join(', ')} (default: client)`)
  .option('--json', 'print the result as JSON')
  .action(async (hostname: string, o: { name?: string; webUrl?: string; address?: string; csr?: string; csrKind?: string; json?: boolean }) =>
    printEnrolment(await enrolPgo(globals(), hostname, o), o.json),
  );
enrolCmd
  .command('dvza <zorgaanbiedernaam>')
  .description('enrol your DVZA: on the Zorgaanbiederslijst with its endpoints, on the Whitelist, known to the TVS')
  .option('--name <name>', 'display name of the care provider')
  .option('--authorize-url <url>', 'authorization endpoint (front channel)')
  .option('--token-url <url>', 'token endpoint (back channel, mutual TLS)')
  .option('--fhir-url <url>', 'FHIR resource endpoint (back channel, mutual TLS)')
  .option('--gegevensdienst <id>', 'a gegevensdienst it offers (repeat, or comma separated)', (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--patients-of <dvza>', 'the topology DVZA whose synthetic patients it holds (default: the first DVZA)')
  .option('--address <ipv4>', 'where the sandbox reaches it (needed for names outside *.localhost, e.g. a container)')
  .option('--csr <file>', 'sign your own certificate signing request (PEM) instead of issuing a key')
  .option('--csr-kind <kind>', `which certificate the CSR is for: ${LEAF_KINDS.join(', ')} (default: server)`)
  .option('--json', 'print the result as JSON')
  .action(async (naam: string, o: Parameters<typeof enrolDvza>[2] & { json?: boolean }) => printEnrolment(await enrolDvza(globals(), naam, o), o.json));
enrolCmd
  .command('list')
  .description('the enrolled participants')
  .action(() => {
    const all = listEnrolments(globals());
    if (all.length === 0) return print('nothing enrolled (npm run sandbox -- enrol pgo <hostname> | enrol dvza <zorgaanbiedernaam> ...)');
    print(
      formatTable(
        ['role', 'participant', 'name', 'hostname', 'endpoints'],
        all.map((e) => [
          e.role,
          e.role === 'pgo' ? e.hostname : e.zorgaanbiedernaam,
          e.name,
          e.role === 'pgo' ? e.hostname : new URL(e.tokenUrl).hostname,
          e.role === 'dvza' ? `${e.authorizeUrl} ${e.tokenUrl} ${e.fhirUrl} (${e.gegevensdiensten.join(',')})` : '-',
        ]),
      ),
    );
  });
enrolCmd
  .command('remove <participant>')
  .description('take an enrolled participant off the lists and revoke its certificates')
  .action(async (key: string) => {
    for (const line of await withdraw(globals(), key)) print(line);
  });

// ---- pki ---------------------------------------------------------------------------------------
const pkiCmd = program.command('pki').description('the sandbox PKI: CAs, participant certificates, CRLs');

pkiCmd
  .command('init')
  .description('create the CA hierarchy and a certificate for every participant hostname')
  .option('--force', 'throw the existing PKI away and build a new one (browsers must then trust the new root)')
  .action(async (o: { force?: boolean }) => {
    const { paths, topologyPath } = globals();
    const topology = loadTopology(topologyPath);
    const pki = await SandboxPki.init(paths.pki, { repositoryUrl: pkiRepositoryUrl(topology), hosts: hostSpecs(topology), force: o.force });
    print(`created the sandbox PKI in ${paths.pki} (install ${pki.installId})`);
    print(`root certificate: ${pki.rootCertPath}`);
    print(`${pki.certificates().filter((c) => c.host).length} participant certificates for ${pki.hosts().length} hostnames`);
    if (o.force) print('browsers trusted the old root: run  npm run sandbox -- trust  again');
  });

pkiCmd
  .command('status')
  .description('list the CAs, every current certificate with its state on the sandbox clock, and the CRLs')
  .option('--json', 'print JSON')
  .option('--all', 'include superseded certificates')
  .action((o: { json?: boolean; all?: boolean }) => {
    const { paths } = globals();
    const pki = SandboxPki.open(paths.pki);
    const records = pki.certificates().filter((c) => o.all || c.status === 'current');
    const rows = records.map((c) => ({ ...c, state: pki.stateOf(c) }));
    if (o.json) return print(JSON.stringify({ dir: paths.pki, installId: pki.installId, repositoryUrl: pki.repositoryUrl, certificates: rows }, null, 2));
    print(`sandbox PKI ${paths.pki}  (install ${pki.installId}, repository ${pki.repositoryUrl})\n`);
    const table = rows.map((c) => [
      c.host ?? CA_IDS.find((ca) => ca === c.ca)!,
      c.kind,
      c.serial,
      c.state === 'revoked' ? `revoked (${c.revoked!.reason})` : c.status === 'superseded' ? `${c.state}, superseded` : c.state,
      c.notAfter.slice(0, 10),
      c.kind === 'root' ? '-' : c.kind === 'intermediate' ? 'root' : c.ca,
    ]);
    print(formatTable(['host / CA', 'kind', 'serial', 'state', 'valid until', 'issued by'], table));
    print(`\nCRLs: ${CA_IDS.map((ca) => `${pki.repositoryUrl}/crl/${ca}.crl`).join('  ')}`);
  });

const certOption = () =>
  new Option('--cert <kinds>', `only these certificates, comma-separated: ${LEAF_KINDS.join(', ')} (default: all of the host)`).argParser(parseKinds);

pkiCmd
  .command('revoke <host>')
  .description('revoke the current certificates of a participant (hostname or id); the CRLs are rewritten at once')
  .addOption(certOption())
  .addOption(new Option('--reason <reason>', 'CRL reason code').choices([...REVOCATION_REASONS]).default('keyCompromise'))
  .action(async (host: string, o: { cert?: LeafKind[]; reason: RevocationReason }) => {
    const { pki, hostname } = openPkiFor(host);
    const revoked = await pki.revoke(hostname, { kinds: o.cert, reason: o.reason });
    for (const r of revoked) print(`revoked ${r.kind} certificate of ${hostname} (serial ${r.serial}, reason ${o.reason})`);
    print(`CRLs rewritten; running participants refuse it from the next TLS handshake. Undo with: npm run sandbox -- pki reissue ${host}`);
  });

pkiCmd
  .command('reissue <host>')
  .description('give a participant fresh certificates (new key and serial): the way back from revoke or expire')
  .addOption(certOption())
  .action(async (host: string, o: { cert?: LeafKind[] }) => {
    const { pki, hostname } = openPkiFor(host);
    for (const r of await pki.reissue(hostname, { kinds: o.cert }))
      print(`issued a new ${r.kind} certificate for ${hostname} (serial ${r.serial}, valid until ${r.notAfter})`);
  });

pkiCmd
  .command('expire <host>')
  .description("replace a participant's certificates by ones whose validity has already ended")
  .addOption(certOption())
  .action(async (host: string, o: { cert?: LeafKind[] }) => {
    const { pki, hostname } = openPkiFor(host);
    for (const r of await pki.expire(hostname, { kinds: o.cert }))
      print(`issued an expired ${r.kind} certificate for ${hostname} (serial ${r.serial}, ended ${r.notAfter})`);
    print(`Undo with: npm run sandbox -- pki reissue ${host}`);
  });

// ---- lists ------------------------------------------------------------------------------------
registerListsCommands(program, globals, print);

// ---- trust -------------------------------------------------------------------------------------
program
  .command('trust')
  .description('trust the sandbox root in your browsers (NSS) and system store, like mkcert -install')
  .option('--uninstall', 'remove the sandbox root again')
  .option('--check', 'only report where it is trusted')
  .option('--no-system', 'leave the operating system store alone (browsers only)')
  .action((o: { uninstall?: boolean; check?: boolean; system: boolean }) => {
    const { paths, topologyPath } = globals();
    const pki = SandboxPki.exists(paths.pki) ? SandboxPki.open(paths.pki) : undefined;
    if (!pki) throw new SandboxError(`no sandbox PKI in ${paths.pki} yet`, 'start the network once (npm start) or run: npm run sandbox -- pki init');
    const action = o.check ? 'check' : o.uninstall ? 'uninstall' : 'install';
    const steps = manageTrust({ rootPemPath: pki.rootCertPath, installId: pki.installId, action, system: o.system });
    if (steps.length === 0) print('no trust store found to manage on this system');
    for (const s of steps) print(`${s.status.padEnd(16)} ${s.store}${s.detail ? `\n${' '.repeat(17)}${s.detail}` : ''}`);
    if (action === 'install') {
      const topology = existsSync(topologyPath) ? loadTopology(topologyPath) : undefined;
      const front = topology?.participants.find(hasFrontchannel);
      print(`\nRestart your browser, then open a sandbox page${front ? ` such as https://${front.hostname}:${front.frontchannelPort}` : ''}: no warning.`);
      print(`Other tools: curl --cacert ${pki.rootCertPath} ...   Node: NODE_EXTRA_CA_CERTS=${pki.rootCertPath}`);
    }
    if (steps.some((s) => s.status === 'failed')) process.exitCode = 1;
  });

// ---- topology ----------------------------------------------------------------------------------
program
  .command('topology')
  .description('check a topology file and summarise it')
  .argument('[file]', 'topology file (default: topology.yaml)')
  .action((file?: string) => {
    const path = file ?? globals().topologyPath;
    const topology = loadTopology(path);
    print(`${path}: valid (seed '${topology.seed}', ${topology.participants.length} participants, ${topology.gegevensdiensten.length} gegevensdiensten)`);
    for (const p of topology.participants) {
      const extra = p.role === 'dvza' ? ` ${p.zorgaanbiedernaam} offers ${p.gegevensdiensten.join(', ')}` : '';
      print(`  ${p.role.padEnd(11)} ${p.id.padEnd(14)} ${p.hostname}${extra}`);
    }
  });

// ---- personas and dossiers ---------------------------------------------------------------------
const referenceDateOption = () =>
  new Option(
    '--reference-date <date>',
    "compute ages and dates against this day, YYYY-MM-DD (default: the topology's referenceDate, else today on the sandbox clock)",
  );

program
  .command('personas')
  .description('list the synthetic patients: BSN, age, the DVZAs that know them and the MedMij situation each one shows')
  .option('--json', 'print JSON: { seed, referenceDate, personas }')
  .addOption(referenceDateOption())
  .action((o: { json?: boolean; referenceDate?: string }) => {
    const topology = loadTopology(globals().topologyPath);
    print(personasOutput(personaSetOptions(topology, o.referenceDate), o.json ?? false));
  });

program
  .command('dossier')
  .description("print a persona's dossier as FHIR STU3 JSON: Bundles of type 'collection'")
  .argument('<bsn>', 'BSN of a persona (see: npm run sandbox -- personas)')
  .option('--provider <dvza>', 'only the dossier at this DVZA: prints ONE Bundle (without it: a JSON array with one Bundle per DVZA that knows the persona)')
  .option('--gegevensdienst <id>', 'only what this gegevensdienst delivers: its resources, the Patient and everything they refer to')
  .addOption(referenceDateOption())
  .option('--validate', 'check every resource against the FHIR STU3 JSON schema; exit code 1 if one fails')
  .addHelpText(
    'after',
    "\nEach Bundle's identifier (system urn:medmij-sandbox:dvza) names its DVZA; references inside are relative and resolve within the Bundle. A persona known to no DVZA prints [].",
  )
  .action(async (bsn: string, o: { provider?: string; gegevensdienst?: string; referenceDate?: string; validate?: boolean }) => {
    const topology = loadTopology(globals().topologyPath);
    const result = dossierFor(topology, personaSetOptions(topology, o.referenceDate), { bsn, provider: o.provider, gegevensdienst: o.gegevensdienst });
    for (const note of result.notes) process.stderr.write(`sandbox: ${note}\n`);
    print(JSON.stringify(result.output, null, 2));
    if (o.validate) {
      const errors = await validateBundles(Array.isArray(result.output) ? result.output : [result.output]);
      for (const e of errors) process.stderr.write(`invalid: ${e}\n`);
      process.stderr.write(errors.length === 0 ? 'sandbox: every resource is valid FHIR STU3 (JSON schema)\n' : '');
      if (errors.length > 0) process.exitCode = 1;
    }
  });

// ---- scenarios ---------------------------------------------------------------------------------
const scenarioCmd = program.command('scenario').description('replay MedMij situations end to end and check every hop (scenarios/*.yaml)');
const scenarioDir = (dir?: string) => dir ?? join(repositoryRoot(), 'scenarios');

scenarioCmd
  .command('list')
  .description('the catalogue: name, title and the spec rule each scenario demonstrates')
  .option('--scenarios <dir>', 'scenario folder (default: scenarios/)')
  .action((o: { scenarios?: string }) => print(formatCatalogue(loadCatalogue(scenarioDir(o.scenarios)))));

scenarioCmd
  .command('run')
  .description('run scenarios, each on a fresh network; exit code 1 when an expectation is not met')
  .argument('[names...]', 'scenario names (see: scenario list)')
  .option('--all', 'run the whole catalogue')
  .option('--scenarios <dir>', 'scenario folder (default: scenarios/)')
  .option('--report <dir>', 'write JUnit XML, an HTML report with sequence diagrams, raw and golden traces')
  .option('--update-golden', 'rewrite the golden traces (<scenario folder>/golden/) from this run: check the diff before you commit it')
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
  .action(
    async (
      names: string[],
      o: { all?: boolean; scenarios?: string; report?: string; updateGolden?: boolean; live?: boolean; target?: string; drive?: 'api' | 'person' },
    ) => {
      const { paths, topologyPath } = globals();
      const dir = scenarioDir(o.scenarios);
      if (o.drive && !o.target) throw new SandboxError('--drive needs --target <enrolled PGO>');
      const target = o.target ? scenarioTarget(paths.root, o.target, o.drive) : undefined;
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
        const results = await runScenariosLive({ scenarios, topologyPath, dir: paths.root, print, report: o.report, target, ask: askPerson });
        if (results.some((r) => !r.ok)) process.exitCode = 1;
        return;
      }
      const results = await runScenarios({
        scenarios,
        topologyPath,
        workDir: join(paths.root, 'scenario-runs'),
        print,
        report: o.report,
        goldenDir: join(dir, 'golden'),
        updateGolden: o.updateGolden,
      });
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    },
  );

// ---- audit -------------------------------------------------------------------------------------
program
  .command('audit')
  .description("the DVZAs' audit logs: every authorization, token and FHIR request with client, patient, gegevensdienst and outcome")
  .argument('[dvza]', 'one DVZA (id or hostname); default: all')
  .option('--bsn <bsn>', "only this patient's entries")
  .option('--json', 'one JSON entry per line')
  .action((dvza: string | undefined, o: { bsn?: string; json?: boolean }) => {
    const { paths, topologyPath } = globals();
    const entries = auditEntries(loadTopology(topologyPath), paths.root, { dvza, bsn: o.bsn });
    print(o.json ? entries.map((e) => JSON.stringify(e)).join('\n') : formatAudit(entries));
  });

// ---- trace -------------------------------------------------------------------------------------
program
  .command('trace')
  .description('print the hops and decisions of the running (or last) network')
  .option('-f, --follow', 'keep printing new events')
  .option('--json', 'one JSON event per line')
  .option('--previous', 'the run before the last one')
  .action(async (o: { follow?: boolean; json?: boolean; previous?: boolean }) => {
    const { paths } = globals();
    const file = o.previous ? paths.trace.replace(/\.jsonl$/, '-previous.jsonl') : paths.trace;
    const show = (e: TraceEvent) => print(o.json ? JSON.stringify(e) : formatTraceEvent(e));
    let seen = 0;
    const flush = () => {
      const events = readTraceFile(file);
      if (events.length < seen) seen = 0; // a new run replaced the file
      events.slice(seen).forEach(show);
      seen = events.length;
    };
    if (!existsSync(file) && !o.follow) throw new SandboxError(`no trace yet at ${file}`, 'start the network with: npm start');
    flush();
    if (!o.follow) return;
    mkdirSync(paths.root, { recursive: true });
    const watcher = watch(paths.root, { recursive: true }, () => flush());
    await new Promise<void>((resolve) => process.once('SIGINT', () => (watcher.close(), resolve())));
  });

// ---- helpers -----------------------------------------------------------------------------------
function openPkiFor(hostOrId: string): { pki: SandboxPki; hostname: string } {
  const { paths, topologyPath } = globals();
  const pki = SandboxPki.open(paths.pki, { clock: new SandboxClock() });
  let hostname = hostOrId;
  if (existsSync(topologyPath)) {
    const participant = findParticipant(loadTopology(topologyPath), hostOrId);
    if (participant) hostname = participant.hostname;
  }
  if (!pki.hosts().includes(hostname)) {
    throw new SandboxError(`'${hostOrId}' is not a participant of the sandbox PKI`, `known hostnames: ${pki.hosts().join(', ')}`);
  }
  return { pki, hostname };
}

/** Runs an option's parser; a RangeError becomes a message naming the option. */
/** The clock a network starts on: real time, unless --freeze and/or --shift say otherwise. */
function startClock(o: { freeze?: string; shift?: string }): SandboxClock {
  const clock = new SandboxClock();
  if (o.freeze) optionValue('--freeze', () => clock.freeze(o.freeze!));
  if (o.shift) optionValue('--shift', () => clock.shift(o.shift!));
  return clock;
}

function optionValue<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new SandboxError(`${option}: ${(e as Error).message}`);
  }
}

function parseKinds(value: string): LeafKind[] {
  const kinds = value.split(',').map((s) => s.trim());
  for (const k of kinds) {
    if (!(LEAF_KINDS as readonly string[]).includes(k)) throw new SandboxError(`--cert: unknown certificate kind '${k}'`, `use ${LEAF_KINDS.join(', ')}`);
  }
  return kinds as LeafKind[];
}

// A reader that went away (`sandbox trace | head`, a parent that stopped listening) is no reason to crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof SandboxError) {
      process.stderr.write(`sandbox: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      process.exitCode = 1;
      return;
    }
    // Anything else is a bug in the sandbox: say so, with the stack for the report.
    process.stderr.write(`sandbox: internal error (please report this): ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}

await main();
