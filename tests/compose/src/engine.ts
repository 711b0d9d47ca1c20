/**
 * A Docker engine for the compose run: the one that answers already (a developer's Docker), or one this run
 * installs (Debian's docker.io), starts and stops again. Started by us, it must leave the host as it was:
 * - no firewall changes: --iptables=false and --ip-forward=false (the containers need no outside network: the
 *   images are built from copied files), no default bridge (--bridge=none: compose makes its own network);
 * - its own data root, exec root and socket in the run's folders, removed when it stops;
 * - storage: overlay2 where the kernel offers it, else vfs (every container a full copy: slower, but it runs
 *   everywhere, e.g. on overlay file systems).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StepFailure, lastLines, must, run, waitFor } from './exec.js';

export interface Engine {
  /** The docker client to call. */
  docker: string;
  /** DOCKER_HOST (and DOCKER_CONFIG once compose is added) for every docker call. */
  env: NodeJS.ProcessEnv;
  /** Whether this run started the engine (and so stops it and removes everything it made). */
  ours: boolean;
  describe: string;
  stop(): Promise<string[]>;
}

export interface EngineOptions {
  /** Where the engine keeps its images and containers (removed when it stops). */
  dataRoot: string;
  /** A short path: the engine's sockets live there (unix socket paths are limited to 108 bytes). */
  execRoot: string;
  /** May this run install docker.io with apt when no engine answers? */
  install: boolean;
  /** dockerd to start (default: the one on PATH, after installing docker.io if allowed). */
  dockerd?: string;
  /** The engine to ask first (default: DOCKER_HOST or the standard socket). */
  dockerHost?: string;
  /** Storage drivers to try in order. */
  storageDrivers?: string[];
  startTimeoutMs?: number;
  print: (line: string) => void;
}

export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** apt-get install, as root or through sudo; the reason it could not, otherwise. */
export async function aptInstall(packages: string[], print: (l: string) => void): Promise<string | undefined> {
  const root = process.getuid?.() === 0;
  const sudo = root ? [] : which('sudo') ? ['sudo', '-n'] : undefined;
  if (!sudo) return 'not root and no sudo';
  if (!which('apt-get')) return 'no apt-get (not a Debian-like system)';
  print(`installing ${packages.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const cmd = (args: string[]) => {
    const [command, ...rest] = [...sudo, ...args];
    return run(command!, rest, { timeoutMs: 600_000, env });
  };
  const update = await cmd(['apt-get', 'update', '-qq']);
  if (update.code !== 0) return `apt-get update failed: ${lastLines(update, 3)}`;
  const install = await cmd(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
  if (install.code !== 0) return `apt-get install failed${install.timedOut ? ' (timed out)' : ''}: ${lastLines(install, 3)}`;
  return undefined;
}

async function answers(docker: string, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<string | undefined> {
  const r = await run(docker, ['info', '--format', '{{.ServerVersion}} {{.Driver}}'], { timeoutMs, env });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export async function obtainEngine(o: EngineOptions): Promise<Engine> {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...(o.dockerHost ? { DOCKER_HOST: o.dockerHost } : {}) };
  let docker = which('docker');
  const asked = baseEnv.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (docker) {
    const version = await answers(docker, baseEnv);
    if (version) {
      return { docker, env: baseEnv, ours: false, describe: `the Docker engine at ${asked} (${version})`, stop: () => Promise.resolve([]) };
    }
  }

  let dockerd = o.dockerd ?? which('dockerd') ?? which('dockerd', '/usr/sbin:/usr/bin');
  if (!dockerd || !existsSync(dockerd)) {
    const why = o.install ? await aptInstall(['docker.io'], o.print) : 'installing is off';
    dockerd = o.dockerd ?? which('dockerd', `${process.env.PATH ?? ''}${delimiter}/usr/sbin${delimiter}/usr/bin`);
    if (!dockerd || !existsSync(dockerd)) {
      throw new StepFailure(
        `no Docker engine obtainable: none answers at ${asked}, and there is no dockerd to start (docker.io: ${why ?? 'installed, but no dockerd'})`,
      );
    }
  }
  docker = which('docker') ?? which('docker', '/usr/bin');
  if (!docker) throw new StepFailure(`no Docker engine obtainable: ${dockerd} is there, but no docker client`);

  mkdirSync(o.dataRoot, { recursive: true });
  mkdirSync(o.execRoot, { recursive: true });
  const socket = join(o.execRoot, 'docker.sock');
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const log = join(o.execRoot, 'dockerd.log');
  const drivers = o.storageDrivers ?? (readFileSync('/proc/filesystems', 'utf8').includes('overlay') ? ['overlay2', 'vfs'] : ['vfs']);
  const tried: string[] = [];
  for (const driver of drivers) {
    const child = spawn(
      dockerd,
      [
        `--data-root=${o.dataRoot}`,
        `--exec-root=${o.execRoot}`,
        `--pidfile=${join(o.execRoot, 'dockerd.pid')}`,
        `--host=unix://${socket}`,
        `--storage-driver=${driver}`,
        '--iptables=false',
        '--ip-forward=false',
        '--ip-masq=false',
        '--bridge=none',
      ],
      { detached: true, stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')] },
    );
    child.unref();
    let exited = false;
    child.once('exit', () => (exited = true));
    const up = await waitFor(async () => exited || (await answers(docker, env, 5_000)) !== undefined, { timeoutMs: o.startTimeoutMs ?? 60_000 });
    const version = !exited && up ? await answers(docker, env) : undefined;
    if (version) {
      return { docker, env, ours: true, describe: `a Docker engine started for this run (${version}, ${socket})`, stop: () => stopEngine(child, o, socket) };
    }
    const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
    tried.push(`${driver}: ${exited ? `dockerd exited (${tail})` : `no answer within ${Math.round((o.startTimeoutMs ?? 60_000) / 1000)} s`}`);
    if (!exited) await stopEngine(child, o, socket, { keepDirs: true });
  }
  throw new StepFailure(
    `no Docker engine obtainable: ${dockerd} did not start (${tried.join('; ')})`,
    existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '',
  );
}

/** Stops the engine we started, then removes its mounts and folders. Never throws: says what it could not do. */
async function stopEngine(child: ChildProcess, o: EngineOptions, socket: string, opts: { keepDirs?: boolean } = {}): Promise<string[]> {
  const done: string[] = [];
  const alive = () => child.exitCode === null && child.signalCode === null;
  if (alive()) {
    child.kill('SIGTERM');
    if (!(await waitFor(() => !alive(), { timeoutMs: 30_000, everyMs: 200 }))) {
      child.kill('SIGKILL');
      await waitFor(() => !alive(), { timeoutMs: 10_000, everyMs: 200 });
      done.push('dockerd did not stop within 30 s: killed');
    }
  }
  // The containerd and shims it started live on in their own process groups when dockerd was killed.
  for (const line of (await run('pgrep', ['-af', o.execRoot], { timeoutMs: 5_000 })).stdout.split('\n').filter(Boolean)) {
    const pid = Number(line.split(' ')[0]);
    if (pid && pid !== process.pid) {
      try {
        process.kill(pid, 'SIGKILL');
        done.push(`killed a leftover process: ${line.slice(0, 120)}`);
      } catch {
        // already gone
      }
    }
  }
  // Mounts below our folders (overlay layers, the engine's own bind mounts), deepest first.
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m.startsWith(o.dataRoot) || m.startsWith(o.execRoot)))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    const r = await run('umount', ['-l', m], { timeoutMs: 10_000 });
    if (r.code !== 0) done.push(`could not unmount ${m}: ${lastLines(r, 1)}`);
  }
  if (!opts.keepDirs) {
    for (const dir of [o.dataRoot, o.execRoot]) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch (e) {
        done.push(`could not remove ${dir}: ${(e as Error).message}`);
      }
    }
  } else {
    rmSync(socket, { force: true });
  }
  return done;
}

/** docker compose v2 for this engine: the installed plugin, or Debian trixie's package unpacked for this run. */
export async function obtainCompose(engine: Engine, o: { workDir: string; print: (l: string) => void }): Promise<Engine> {
  const has = await run(engine.docker, ['compose', 'version', '--short'], { timeoutMs: 15_000, env: engine.env });
  if (has.code === 0 && /^v?2\./.test(has.stdout.trim())) return engine;
  // Bookworm has only docker-compose 1.29 (no top-level `name:`, no --wait); trixie has 2.x. Fetched with apt
  // into this run's folder only: the host's apt sources and package state stay as they are.
  const apt = join(o.workDir, 'apt-trixie');
  for (const d of ['lists/partial', 'archives/partial', 'unpacked', 'docker-config/cli-plugins']) mkdirSync(join(apt, d), { recursive: true });
  const mirror = debianMirror();
  const sources = join(apt, 'sources.list');
  writeFileSync(sources, `deb ${mirror} trixie main\n`);
  const options = [
    `-o`,
    `Dir::Etc::SourceList=${sources}`,
    '-o',
    'Dir::Etc::SourceParts=/nonexistent',
    '-o',
    `Dir::State::Lists=${join(apt, 'lists')}`,
    '-o',
    `Dir::Cache::Archives=${join(apt, 'archives')}`,
    '-o',
    'Dir::Cache::pkgcache=',
    '-o',
    'Dir::Cache::srcpkgcache=',
    '-o',
    'APT::Sandbox::User=root',
  ];
  o.print(`docker compose v2: from Debian trixie's docker-compose package (${mirror})`);
  await must('docker compose v2 (apt-get update for trixie)', 'apt-get', [...options, 'update', '-qq'], { timeoutMs: 180_000 });
  await must('docker compose v2 (apt-get download docker-compose)', 'apt-get', [...options, 'download', 'docker-compose'], { timeoutMs: 180_000, cwd: apt });
  const deb = (await run('sh', ['-c', `ls ${apt}/docker-compose_*.deb`], { timeoutMs: 5_000 })).stdout.trim().split('\n')[0];
  if (!deb) throw new StepFailure('docker compose v2: the docker-compose package did not download');
  await must('docker compose v2 (unpacking the package)', 'dpkg-deb', ['-x', deb, join(apt, 'unpacked')], { timeoutMs: 60_000 });
  const plugin = join(apt, 'docker-config', 'cli-plugins', 'docker-compose');
  await must(
    'docker compose v2 (installing the plugin for this run)',
    'install',
    ['-m', '0755', join(apt, 'unpacked/usr/libexec/docker/cli-plugins/docker-compose'), plugin],
    {
      timeoutMs: 10_000,
    },
  );
  const env = { ...engine.env, DOCKER_CONFIG: join(apt, 'docker-config') };
  const version = await must('docker compose v2', engine.docker, ['compose', 'version', '--short'], { timeoutMs: 15_000, env });
  o.print(`docker compose ${version.stdout.trim()}`);
  return { ...engine, env };
}

/** The Debian mirror the host's apt uses (deb.debian.org when none is found). */
export function debianMirror(): string {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uri = /^URIs:\s*(\S+)/m.exec(text)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/m.exec(text)?.[1];
    if (uri && !uri.includes('security')) return uri;
  }
  return 'http://deb.debian.org/debian';
}
