/**
 * The network as seven processes (`sandbox run <participant>`, the docker-compose layout): how long until all
 * are ready, how much memory they take together, and one happy path across them (`scenario run --live`).
 * Run by bench/run.ts; prints `<ready ms> <total MB> <happy path ms, median of 3>` as its last line. The happy path
 * runs on the live network of the seven processes (reset before it, as `--live` does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { loadCatalogue } from '@medmij-sandbox/scenario';
import { SCENARIO_START, initNetwork, runScenariosLive } from '@medmij-sandbox/cli';
import { loadTopology, repositoryRoot, sandboxPaths } from '@medmij-sandbox/network';

const root = repositoryRoot();
const dir = tempDir('medmij-bench-processes-');
const sandboxDir = join(dir, '.sandbox');
// The participants run in child processes: the ports are released for them to bind.
const { path: topologyPath } = await writeDefaultTopologyOnFreePorts(dir, { hold: false });
await initNetwork({ topologyPath, paths: sandboxPaths(sandboxDir), clock: { mode: 'frozen', at: SCENARIO_START } });

const children: ChildProcess[] = [];
const run = (id: string) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'apps', 'cli', 'src', 'main.ts'), '--dir', sandboxDir, '--topology', topologyPath, 'run', id, '--quiet'],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    child.stdout!.on('data', (d: Buffer) => d.toString().includes(`${id} (`) && resolve());
    child.once('exit', (code) => reject(new Error(`${id} exited with ${code}`)));
  });

/** Resident memory of a process and its children, in MB. */
function treeRssMb(pid: number): number {
  const rss = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const kids = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((p) => {
      try {
        return Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]) === pid;
      } catch {
        return false;
      }
    });
  return rss(pid) + kids.reduce((sum, k) => sum + treeRssMb(k), 0);
}

const ids = loadTopology(topologyPath).participants.map((p) => p.id);
const t0 = performance.now();
await Promise.all(ids.filter((id) => ['pki', 'stelselnode', 'tvs'].includes(id)).map(run));
await Promise.all(ids.filter((id) => !['pki', 'stelselnode', 'tvs'].includes(id)).map(run));
const readyMs = performance.now() - t0;
const happy = loadCatalogue(join(root, 'scenarios')).filter((s) => s.name === 'happy-path-bgz');
// Three runs of the happy path on the same live network; the median (the first also validates the lists afresh).
const results = await runScenariosLive({ scenarios: [...happy, ...happy, ...happy], topologyPath, paths: sandboxPaths(sandboxDir), print: () => {} });
const memory = children.reduce((sum, c) => sum + treeRssMb(c.pid!), 0);
await Promise.all(children.map((c) => new Promise((r) => (c.once('close', r), c.kill('SIGTERM')))));
const failed = results.find((r) => !r.ok);
if (failed) throw new Error(`happy-path-bgz failed across processes: ${failed.error ?? JSON.stringify(failed.checks.filter((c) => !c.ok))}`);
const median = results.map((r) => r.durationMs).sort((a, b) => a - b)[1]!;
console.log(`${readyMs.toFixed(0)} ${memory.toFixed(0)} ${median}`);
process.exit(0);
