/**
 * The docker-compose layout without Docker: every participant of topology.compose.yaml runs as its own
 * process (`sandbox run <id>`), on its own loopback address (127.77.0.x for the containers' 172.30.77.x) and
 * the same ports as in the containers (front channels on 443), sharing only the folder that compose shares
 * as a volume. The scenario runner then replays the whole catalogue through them (`--live`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  freePort,
  frontchannelUrl,
  hostTable,
  loadTopology,
  participantsByRole,
  readTraceFile,
  repositoryRoot,
  sandboxPaths,
} from '@medmij-sandbox/network';
import { SandboxPki } from '@medmij-sandbox/pki';
import { HeadlessBrowser, loadCatalogue, notApplicable } from '@medmij-sandbox/scenario';
import { SCENARIO_START, pickScenarios, runScenariosLive } from '@medmij-sandbox/cli';
import { pgoApiClient } from '@medmij-sandbox/pgo-api';
import { runCli, startCli, waitForOutput } from '@medmij-sandbox/test-support';

/**
 * The containers' layout needs a loopback address per participant (Linux routes all of 127.0.0.0/8 to lo;
 * macOS only 127.0.0.1) and ports below 1024 (root, or a lowered net.ipv4.ip_unprivileged_port_start).
 * Elsewhere the test keeps the processes but puts them on 127.0.0.1 and free ports.
 */
function mayBindLowPorts(): boolean {
  if (process.platform !== 'linux') return false;
  if (process.getuid?.() === 0) return true;
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) <= 80;
  } catch {
    return false;
  }
}

async function processTopology(dir: string): Promise<{ path: string; lowPorts: boolean }> {
  const lowPorts = mayBindLowPorts();
  let text = readFileSync(join(repositoryRoot(), 'topology.compose.yaml'), 'utf8')
    .replace(/172\.30\.77\.(\d+)/g, lowPorts ? '127.77.0.$1' : '127.0.0.1')
    // No edge container here: browsers go to each participant's own address.
    .replace(/^edge:\n(?: .*\n)+/m, '');
  if (!lowPorts) {
    text = text.replace(/((?:port|frontchannelPort|backchannelPort|notificationPort): )(\d+)\n/g, (_m, k: string) => `${k}__PORT__\n`);
    while (text.includes('__PORT__')) text = text.replace('__PORT__', String(await freePort()));
  }
  const path = join(dir, 'topology.yaml');
  writeFileSync(path, text);
  return { path, lowPorts };
}

describe('the network as separate processes (the docker-compose layout)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-processes-'));
  const sandboxDir = join(dir, 'sandbox');
  let topologyPath: string;
  let lowPorts: boolean;
  const children: ReturnType<typeof startCli>[] = [];
  const run = async (ids: string[]) => {
    const started = ids.map((id) => startCli(['--dir', sandboxDir, '--topology', topologyPath, 'run', id, '--quiet']));
    children.push(...started);
    await Promise.all(started.map((c, i) => waitForOutput(c, `${ids[i]} (`)));
  };

  beforeAll(async () => {
    ({ path: topologyPath, lowPorts } = await processTopology(dir));
    const init = await runCli(['--dir', sandboxDir, '--topology', topologyPath, 'init', '--freeze', SCENARIO_START]);
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('npm run sandbox -- run dekroon');
    // Infrastructure first, as compose's depends_on does: the others fetch the lists when they start.
    await run(['pki', 'stelselnode', 'tvs']);
    await run(['dekroon', 'rivierenland', 'deboog', 'pgo']);
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.once('close', r), c.kill('SIGTERM'))))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every participant in its own process, each on its own address', async () => {
    expect(children).toHaveLength(7);
    expect(new Set(children.map((c) => c.pid)).size).toBe(7);
    const ready = children.map((c) => c.output().stdout.split('\n')[0]!);
    expect(ready.find((l) => l.startsWith('dekroon'))).toContain(
      lowPorts ? 'frontchannel https://dekroon.dvza.localhost,' : 'frontchannel https://dekroon.dvza.localhost:',
    );
    expect(ready.find((l) => l.startsWith('pgo'))).toContain('clock: frozen at 2026-06-01T08:00:00.000Z');
  });

  it.runIf(mayBindLowPorts())('publishes lists that are valid against their MedMij schemas (front channels on 443)', () => {
    const accepted = readTraceFile(sandboxPaths(sandboxDir).trace).filter((e) => e.kind === 'decision' && /^accepted \w+ Volgnummer/.test(e.reason ?? ''));
    // Four consumers (three DVZAs and the PGO), each taking the five lists of afsprakenstelsel 2. The Whitelist and
    // the Gegevensdienstnamenlijst keep their official schemas; no official 2.x XSD of the other three is public.
    const byConsumer = new Set(accepted.map((e) => `${e.reportedBy} ${e.reason!.split(' ')[1]}`));
    expect(byConsumer.size).toBeGreaterThanOrEqual(20);
    for (const e of accepted) {
      const official = /^accepted (Whitelist|Gegevensdienstnamenlijst) /.test(e.reason!);
      expect(e.reason).toContain(official ? 'valid against the official schema' : "valid against the sandbox's derived 2.x schema");
    }
  });

  it.runIf(mayBindLowPorts())('`lists show --strict` judges the five lists of afsprakenstelsel 2 as compose does', async () => {
    const strict = await runCli(['--dir', sandboxDir, '--topology', topologyPath, 'lists', 'show', '--strict']);
    expect([strict.code, strict.stderr]).toEqual([0, '']);
    expect(strict.stdout).toContain('(afsprakenstelsel 2)');
    for (const [kind, entries, schema] of [
      ['Zorgaanbiederslijst', '3 zorgaanbieders', 'derived 2.x schema'],
      ['Zorgaanbiederskoppellijst', '3 zorgaanbieders', 'derived 2.x schema'],
      ['OAuthclientlist', '1 OAuth clients', 'derived 2.x schema'],
      ['Whitelist', '\\d+ nodes', 'official schema'],
      ['Gegevensdienstnamenlijst', '\\d+ gegevensdiensten', 'official schema'],
    ])
      expect(strict.stdout).toMatch(new RegExp(`${kind}\\s+1\\s+\\S+Z\\s+${entries}\\s+valid \\(${schema.replace('.', '\\.')}\\)`));
  });

  it('replays the whole scenario catalogue across the processes (--live), skipping only what needs a fresh network', async () => {
    const lines: string[] = [];
    const catalogue = loadCatalogue(join(repositoryRoot(), 'scenarios'));
    const results = await runScenariosLive({
      scenarios: pickScenarios(catalogue, [], true),
      topologyPath,
      paths: sandboxPaths(sandboxDir),
      print: (l) => lines.push(l),
    });
    const byName = (name: string) => results.find((r) => r.scenario.name === name)!;
    // Stopping a participant, or enrolling one that would stay, is what a live network cannot do for a scenario:
    // skipped, not failed.
    const stops = catalogue.filter((s) => s.setup.some((a) => 'stop' in a || 'enrol' in a)).map((s) => s.name);
    expect(stops).toEqual(['foreign-client-code-replay', 'stelselnode-down-cached-list']);
    expect(
      results.map((r) => [r.scenario.name, r.skipped ? 'skipped' : r.ok]),
      lines.join('\n'),
    ).toEqual(catalogue.map((s) => [s.name, stops.includes(s.name) || notApplicable(s, '2') ? 'skipped' : true]));
    // The events of one scenario come from several processes, in the order they happened.
    const happy = byName('happy-path-bgz').events;
    expect([...new Set(happy.map((e) => e.reportedBy))]).toEqual(expect.arrayContaining(['pgo.localhost', 'dekroon.dvza.localhost', 'tvs.localhost']));
    const authorizeAtDvza = happy.findIndex((e) => e.reportedBy === 'dekroon.dvza.localhost' && e.kind === 'http' && e.url?.includes('/oauth/authorize'));
    const tokenFromPgo = happy.findIndex((e) => e.reportedBy === 'pgo.localhost' && e.kind === 'http' && e.url?.endsWith('/oauth/token'));
    expect(authorizeAtDvza).toBeGreaterThanOrEqual(0);
    expect(tokenFromPgo).toBeGreaterThan(authorizeAtDvza);
    // access-token-expired shifted the shared clock by 16 minutes: the DVZA process saw the same time.
    expect(byName('access-token-expired').checks.find((c) => c.what.en.includes('the resource server refuses the token'))?.ok).toBe(true);
    // ~40 scenarios in one test: a safety net for a hang, far above what a busy 2-core machine needs.
  }, 1_800_000);

  it('a shift of the shared clock (`sandbox clock`) reaches the other processes at once', async () => {
    const topology = loadTopology(topologyPath);
    const pgoUrl = frontchannelUrl(participantsByRole(topology, 'pgo')[0]!)!;
    const clock = SandboxClock.frozenAt(SCENARIO_START);
    const pki = SandboxPki.open(sandboxPaths(sandboxDir).pki, { clock });
    const browser = new HeadlessBrowser({ pki, clock, hosts: hostTable(topology) });
    const pgo = pgoApiClient(pgoUrl, { fetch: browser.fetch });
    const pgoTime = async () => (await (await pgo.api.lists.$get()).json()).now;
    expect(await pgoTime()).toBe('2026-06-01T08:00:00.000Z');
    const shifted = await runCli(['--dir', sandboxDir, 'clock', 'shift', '2d']);
    expect(shifted.stdout).toContain('sandbox clock: 2026-06-03T08:00:00.000Z (frozen at 2026-06-03T08:00:00.000Z)');
    expect(await pgoTime()).toBe('2026-06-03T08:00:00.000Z');
    const wrong = await runCli(['--dir', sandboxDir, 'clock', 'shift', 'soon']);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining("invalid duration 'soon'")]);
    await runCli(['--dir', sandboxDir, 'clock', 'freeze', SCENARIO_START]);
    expect(await pgoTime()).toBe('2026-06-01T08:00:00.000Z');
  });
});
