/**
 * Benchmarks with printed numbers (not timed tests): `npm run bench`.
 *
 * - PKI init for the default topology (first start on a fresh machine)
 * - network start with an existing PKI (every later `npm start`)          target < 3 s
 * - one CRL download from the PKI repository over HTTP
 * - one back-channel hop over mutual TLS (new connection, full handshake)
 * - a consumer refresh of all four lists: fetch over HTTPS, XSD validation, parsing (and with signatures)
 * - the scenario catalogue (`scenario run --all`, each on a fresh network)   target < 15 s
 * - one happy path per gegevensdienst (the scenario's own run time) in the topology's afsprakenstelsel, and
 *   happy-path-bgz in the other one: 2 grants every gegevensdienst on the consent page   target < 300 ms
 * - one refresh in afsprakenstelsel 2 (raw client, rotation)
 * - peak memory of the default network running one happy path, in its own process   target < 400 MB
 * - the network as seven processes (`sandbox run`): time until ready, memory of all seven, one happy path
 * - load (bench/load.ts): /oauth/authorize under 20 connections for 20 s; the trace's growth over 10,000
 *   TLS handshakes without a client certificate
 *
 * Each number is the median of several runs, printed beside the committed baseline (bench/baseline.json);
 * `npm run bench -- --write-baseline` makes this run the baseline. `--only load` runs one group (load) alone;
 * with `--write-baseline` it adds (or replaces) that group's lines in the baseline, each with a note saying
 * when and on which commit it was measured. The default topology's ports must be free.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  SandboxClock,
  TraceBus,
  backchannelUrl,
  defaultTopologyPath,
  loadTopology,
  pkiRepositoryUrl,
  repositoryRoot,
  sandboxPaths,
} from '@medmij-sandbox/network';
import { loadCatalogue, parseScenario } from '@medmij-sandbox/scenario';
import { ListConsumer } from '@medmij-sandbox/lists';
import { reservePorts, tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, listen } from '@medmij-sandbox/transport';
import { runScenarios, startNetwork } from '@medmij-sandbox/cli';
import { besideBaseline, format, readBaseline, writeBaseline, type Baseline } from './baseline.js';
import { authorizeLoad, certificatelessHandshakes } from './load.js';

const GROUPS = ['load'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
if (onlyAt !== -1 && !GROUPS.includes(only as (typeof GROUPS)[number])) {
  console.error(`bench: --only takes one of ${GROUPS.join(', ')}${only ? `, not "${only}"` : ''}`);
  process.exit(2);
}

const clock = new SandboxClock();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const baseline = readBaseline();
const measured: Baseline['lines'] = {};
const report = (name: string, value: number, unit: string, target = '') => {
  const line = { value: Number(value.toFixed(2)), unit };
  measured[name] = line;
  console.log(`${name.padEnd(52)} ${format(line).padStart(10)}  ${besideBaseline(line, baseline?.lines[name]).padEnd(30)} ${target}`);
};
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

const topologyPath = defaultTopologyPath();
const topology = loadTopology(topologyPath);
const work = tempDir('medmij-bench-');

const paths = sandboxPaths(join(work, 'sandbox'));
if (!only) {
  // PKI init, 3 runs
  const initTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dir = join(work, `pki-${i}`);
    initTimes.push(await time(() => SandboxPki.init(dir, { repositoryUrl: pkiRepositoryUrl(topology), hosts: hostSpecs(topology), clock })));
  }
  report('PKI init, default topology (first start)', median(initTimes), 'ms');

  // network start with the PKI in place, 5 runs
  const first = await startNetwork({ topologyPath, paths, clock });
  await first.close();
  const startTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    let close: () => Promise<void> = async () => {};
    startTimes.push(
      await time(async () => {
        const network = await startNetwork({ topologyPath, paths, clock });
        close = () => network.close();
      }),
    );
    await close();
  }
  report('network start, existing PKI (npm start)', median(startTimes), 'ms', 'target < 3000 ms');
}

// CRL download and mTLS hop against a running network
const network = await startNetwork({ topologyPath, paths, clock });
const pki = network.pki;
if (!only) {
  const crlTimes: number[] = [];
  for (let i = 0; i < 50; i++) crlTimes.push(await time(() => hop(`${network.pki.repositoryUrl}/crl/private-services.crl`, { from: 'bench', clock })));
  report('CRL download over HTTP (median of 50)', median(crlTimes), 'ms');

  const bus = new TraceBus(clock);
  const dvza = topology.participants.find((p) => p.role === 'dvza')!;
  const pgo = topology.participants.find((p) => p.role === 'pgo')!;
  const server = await listen({
    participant: { id: dvza.id, hostname: dvza.hostname },
    kind: 'backchannel',
    port: (await reservePorts(1))[0]!,
    pki,
    bus,
    clock,
    fetch: () => new Response('ok'),
  });
  const hopTimes: number[] = [];
  for (let i = 0; i < 50; i++) hopTimes.push(await time(() => hop(`${server.url}/token`, { from: pgo.hostname, pki, bus, clock, method: 'POST' })));
  report('mTLS back-channel hop, full handshake (median of 50)', median(hopTimes), 'ms');
  await server.close();

  const stelselnode = topology.participants.find((p) => p.role === 'stelselnode')!;
  const lists = topology.afsprakenstelsel === '2' ? 'five lists, 2' : 'four lists';
  for (const requireSignature of [false, true]) {
    const consumer = new ListConsumer({
      stelselnodeUrl: backchannelUrl(stelselnode)!,
      participant: pgo.hostname,
      pki,
      clock,
      rules: { requireSignature },
      afsprakenstelsel: topology.afsprakenstelsel,
    });
    // Four lists in 1.5, five in 2 (the Zorgaanbiederskoppellijst): the names say which.
    const firstMs = await time(() => consumer.refresh());
    // A refused list would be measured as fast: the bench measures lists that were taken.
    if (consumer.states().some((st) => st.status !== 'fresh'))
      throw new Error(`bench: the consumer did not take every list: ${JSON.stringify(consumer.states())}`);
    report(`list first fetch, all ${lists}${requireSignature ? ', signed' : ''}`, firstMs, 'ms');
    const refreshTimes: number[] = [];
    for (let i = 0; i < 10; i++) refreshTimes.push(await time(() => consumer.refresh()));
    report(
      `list refresh, unchanged${requireSignature ? ', signed' : ''}${topology.afsprakenstelsel === '2' ? ', 2' : ''} (median of 10)`,
      median(refreshTimes),
      'ms',
    );
  }
}

// Load: a flood of authorization requests, then certificate-less handshakes (each a fresh network's trace).
const authorize = await authorizeLoad(topology, pki);
// Every answer must be the DVZA's welcome page (a flow started), never a refusal measured as fast.
if (Object.keys(authorize.statuses).some((s) => s !== '200'))
  throw new Error(`bench: /oauth/authorize did not start every flow: ${JSON.stringify(authorize.statuses)}`);
report('/oauth/authorize, 20 connections for 20 s: throughput', authorize.perSecond, 'req/s');
report('/oauth/authorize, 20 connections for 20 s: p99', authorize.p99Ms, 'ms');
const handshakes = await certificatelessHandshakes(topology, pki, paths.trace);
report('trace growth, 10,000 handshakes without a certificate', handshakes.bytes / 1024, 'KB');
await network.close();

if (!only) {
  // The scenario catalogue, as `npm run sandbox -- scenario run --all` runs it (PKI made once, a fresh network each).
  const catalogue = loadCatalogue(join(repositoryRoot(), 'scenarios'));
  let scenarioResults: Awaited<ReturnType<typeof runScenarios>> = [];
  const catalogueMs = await time(async () => {
    scenarioResults = await runScenarios({ scenarios: catalogue, topologyPath, workDir: join(work, 'scenarios'), print: () => {} });
  });
  const failed = scenarioResults.filter((r) => !r.ok).map((r) => r.scenario.name);
  report(
    `scenario catalogue, ${catalogue.length} scenarios`,
    catalogueMs / 1000,
    's',
    `target < 15 s${failed.length ? `   ${failed.length} FAILED: ${failed.join(', ')}` : ''}`,
  );
  const happy = scenarioResults.filter((r) => r.scenario.name.startsWith('happy-path-') && !r.skipped);
  const version = topology.afsprakenstelsel;
  // In 2 the person leaves every gegevensdienst ticked on the consent page: all of the DVZA's are granted.
  for (const r of happy) report(`one happy path, ${version}: ${r.scenario.name}`, r.durationMs, 'ms', 'target < 300 ms');

  // The same BgZ happy path in the other afsprakenstelsel, and a refresh in 2: each the median of 3 fresh networks.
  const byName = (name: string) => catalogue.filter((s) => s.name === name);
  const runs = async (scenarios: typeof catalogue, afsprakenstelsel: '1.5' | '2') => {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [r] = await runScenarios({ scenarios, topologyPath, workDir: join(work, `runs-${afsprakenstelsel}-${i}`), afsprakenstelsel, print: () => {} });
      if (!r?.ok || r.skipped) throw new Error(`bench: ${scenarios[0]?.name} did not pass in ${afsprakenstelsel}`);
      ms.push(r.durationMs);
    }
    return median(ms);
  };
  for (const other of ['1.5', '2'] as const) {
    if (other !== version) report(`one happy path, ${other}: happy-path-bgz`, await runs(byName('happy-path-bgz'), other), 'ms', 'target < 300 ms');
  }
  // One refresh (grant_type=refresh_token, rotation) by a raw client with the PGO's certificate: a scenario of a
  // token and REFRESHES refreshes, less one of the token alone, per refresh (a scenario's own time, no network start).
  const REFRESHES = 10;
  const rawClient = (refreshes: number) =>
    parseScenario(
      [
        'name: bench-refresh',
        'title: { nl: "Bench - vernieuwen door een losse client", en: "Bench - refreshes by a raw client" }',
        'teaches:',
        '  nl: Een losse client met het PGO-certificaat wisselt een code in met langdurige toestemming, en vernieuwt dan.',
        '  en: A raw client with the PGO certificate redeems a code with long-lived consent, then refreshes.',
        'rule: { nl: SPEC §10.2 rotatie van refresh tokens, en: SPEC §10.2 refresh token rotation }',
        'afsprakenstelsel: ["2"]',
        'steps:',
        '  - token: { zorgaanbieder: dekroon, longLived: true }',
        ...Array.from({ length: refreshes }, () => '  - refresh: { token: latest }'),
        'expect:',
        '  response: { status: 200 }',
      ].join('\n'),
      'bench-refresh.yaml',
    );
  const tokenOnly = await runs([rawClient(0)], '2');
  const withRefreshes = await runs([rawClient(REFRESHES)], '2');
  report('one refresh, 2 (raw client, rotation)', Math.max(0, withRefreshes - tokenOnly) / REFRESHES, 'ms');

  // The network alone, in its own process (this one also held three PKI inits and 27 scenario networks).
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'network-memory.ts')], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`bench/network-memory.ts failed: ${child.stderr}`);
  report('peak memory: default network + one BgZ collection', Number(child.stdout.trim().split('\n').at(-1)), 'MB', 'target < 400 MB');
  // The same network as seven processes (sandbox run per participant, the docker-compose layout).
  const split = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'processes.ts')], { encoding: 'utf8' });
  if (split.status !== 0) throw new Error(`bench/processes.ts failed: ${split.stderr}`);
  const [readyMs, splitMb, splitHappyMs] = split.stdout.trim().split('\n').at(-1)!.split(' ');
  report('separate processes: 7 participants ready', Number(readyMs), 'ms');
  report('separate processes: resident memory, all 7', Number(splitMb), 'MB');
  report('separate processes: happy-path-bgz (--live)', Number(splitHappyMs), 'ms');
}
clearInterval(sampler);
report('peak resident memory of this bench process', peakRss / 1024 / 1024, 'MB');
rmSync(work, { recursive: true, force: true });
if (process.argv.includes('--write-baseline') && only && baseline) {
  // One group: its lines join the baseline, each saying when and on what it was measured.
  const note = `first measured ${new Date(clock.nowMs()).toISOString().slice(0, 10)} at ${gitHead().split(' ')[0]}; ${os.cpus().length} cores, Node ${process.version}`;
  const { ['peak resident memory of this bench process']: _bench, ...lines } = measured;
  writeBaseline({ ...baseline, lines: { ...baseline.lines, ...Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, { ...v, note }])) } });
  console.log('\nadded to bench/baseline.json');
} else if (process.argv.includes('--write-baseline')) {
  writeBaseline({
    measuredOn: `${new Date(clock.nowMs()).toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}`,
    commit: gitHead(),
    lines: measured,
  });
  console.log('\nwrote bench/baseline.json');
}

function gitHead(): string {
  return spawnSync('git', ['log', '-1', '--format=%h %s'], { encoding: 'utf8' }).stdout.trim().slice(0, 100);
}
