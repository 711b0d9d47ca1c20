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
import { accessSync, constants, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
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
  /** Where dockerd's log and its (empty) configuration file go: kept after the run, for a failure's evidence. */
  logDir: string;
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

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/**
 * apt-get install, as root or through sudo; the reason it could not, otherwise. Installed services are not
 * started: docker.io's postinst would otherwise start the host's own dockerd with its defaults (which rewrite
 * the firewall). A temporary policy-rc.d (exit 101: "action forbidden", honoured by invoke-rc.d and
 * deb-systemd-invoke) stops that; one that is already there stays as it is.
 */
export async function aptInstall(packages: string[], print: (l: string) => void): Promise<string | undefined> {
  const root = process.getuid?.() === 0;
  const sudo = root ? [] : which('sudo') ? ['sudo', '-n'] : undefined;
  if (!sudo) return 'not root and no sudo';
  if (!which('apt-get')) return 'no apt-get (not a Debian-like system)';
  print(`installing ${packages.join(', ')} (apt-get; services not started)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const cmd = (args: string[], timeoutMs = 600_000) => {
    const [command, ...rest] = [...sudo, ...args];
    return run(command!, rest, { timeoutMs, env });
  };
  const ownPolicy = !existsSync(POLICY_RC_D);
  if (ownPolicy) {
    const r = await cmd(['sh', '-c', `printf '#!/bin/sh\nexit 101\n' > ${POLICY_RC_D} && chmod 0755 ${POLICY_RC_D}`], 10_000);
    if (r.code !== 0) return `could not write a temporary ${POLICY_RC_D}: ${lastLines(r, 1)}`;
  }
  try {
    const update = await cmd(['apt-get', 'update', '-qq']);
    if (update.code !== 0) return `apt-get update failed: ${lastLines(update, 3)}`;
    const install = await cmd(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
    if (install.code !== 0) return `apt-get install failed${install.timedOut ? ' (timed out)' : ''}: ${lastLines(install, 3)}`;
    return undefined;
  } finally {
    if (ownPolicy) await cmd(['rm', '-f', POLICY_RC_D], 10_000);
  }
}

/** `docker info`: the engine's version and storage driver, or why it does not answer (docker's own words). */
async function answers(docker: string, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<{ version?: string; why: string }> {
  const r = await run(docker, ['info', '--format', '{{.ServerVersion}} {{.Driver}}'], { timeoutMs, env });
  if (r.code === 0 && r.stdout.trim()) return { version: r.stdout.trim(), why: '' };
  return { why: r.timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : lastLines({ stdout: '', stderr: r.stderr || r.stdout }, 1) };
}

export async function obtainEngine(o: EngineOptions): Promise<Engine> {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...(o.dockerHost ? { DOCKER_HOST: o.dockerHost } : {}) };
  let docker = which('docker');
  const asked = baseEnv.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  let notAnswering = 'there is no docker client';
  if (docker) {
    const { version, why } = await answers(docker, baseEnv);
    if (version) {
      return { docker, env: baseEnv, ours: false, describe: `the Docker engine at ${asked} (${version})`, stop: () => Promise.resolve([]) };
    }
    notAnswering = why;
  }
  // Starting an engine (and installing one) needs root; say so rather than fail somewhere inside dockerd.
  if (process.getuid?.() !== 0) {
    throw new StepFailure(
      `no Docker engine obtainable: none answers at ${asked} (${notAnswering}), and starting one needs root (run as root, or start Docker and run again)`,
    );
  }

  let dockerd = o.dockerd ?? which('dockerd') ?? which('dockerd', '/usr/sbin:/usr/bin');
  if (!dockerd || !existsSync(dockerd)) {
    const why = o.install ? await aptInstall(['docker.io'], o.print) : 'installing is off';
    dockerd = o.dockerd ?? which('dockerd', `${process.env.PATH ?? ''}${delimiter}/usr/sbin${delimiter}/usr/bin`);
    if (!dockerd || !existsSync(dockerd)) {
      throw new StepFailure(
        `no Docker engine obtainable: none answers at ${asked} (${notAnswering}), and there is no dockerd to start (docker.io: ${why ?? 'installed, but no dockerd'})`,
      );
    }
  }
  docker = which('docker') ?? which('docker', '/usr/bin');
  if (!docker) throw new StepFailure(`no Docker engine obtainable: ${dockerd} is there, but no docker client`);

  mkdirSync(o.dataRoot, { recursive: true });
  mkdirSync(o.execRoot, { recursive: true });
  mkdirSync(o.logDir, { recursive: true });
  const socket = join(o.execRoot, 'docker.sock');
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const log = join(o.logDir, 'dockerd.log');
  // Its own, empty configuration: the host's /etc/docker/daemon.json (say "iptables": true) must not apply,
  // nor clash with the flags below.
  const config = join(o.logDir, 'daemon.json');
  writeFileSync(config, '{}\n');
  const drivers = o.storageDrivers ?? (readFileSync('/proc/filesystems', 'utf8').includes('overlay') ? ['overlay2', 'vfs'] : ['vfs']);
  const tried: string[] = [];
  for (const driver of drivers) {
    const child = spawn(
      dockerd,
      [
        `--config-file=${config}`,
        `--data-root=${o.dataRoot}`,
        `--exec-root=${o.execRoot}`,
        `--pidfile=${join(o.execRoot, 'dockerd.pid')}`,
        `--host=unix://${socket}`,
        `--storage-driver=${driver}`,
        '--iptables=false',
        '--ip6tables=false',
        '--ip-forward=false',
        '--ip-masq=false',
        '--bridge=none',
      ],
      { detached: true, stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')] },
    );
    child.unref();
    let exited = false;
    child.once('exit', () => (exited = true));
    const up = await waitFor(async () => exited || (await answers(docker, env, 5_000)).version !== undefined, { timeoutMs: o.startTimeoutMs ?? 60_000 });
    const version = !exited && up ? (await answers(docker, env)).version : undefined;
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the engine we started, then removes its mounts and folders. Never throws: says what it could not do. */
function stopEngine(
  child: ChildProcess,
  o: Pick<EngineOptions, 'dataRoot' | 'execRoot'>,
  socket: string,
  opts: { keepDirs?: boolean } = {},
): Promise<string[]> {
  return stopDockerd(child.pid, o, opts).then((done) => {
    if (opts.keepDirs) rmSync(socket, { force: true });
    return done;
  });
}

async function stopDockerd(pid: number | undefined, o: Pick<EngineOptions, 'dataRoot' | 'execRoot'>, opts: { keepDirs?: boolean } = {}): Promise<string[]> {
  const done: string[] = [];
  const dirs = [o.dataRoot, o.execRoot].filter(Boolean);
  if (pid && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitFor(() => !alive(pid), { timeoutMs: 30_000, everyMs: 200 }))) {
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !alive(pid), { timeoutMs: 10_000, everyMs: 200 });
      done.push('dockerd did not stop within 30 s: killed');
    }
  }
  // The containerd and shims it started live on in their own process groups when dockerd was killed.
  const leftovers = o.execRoot ? (await run('pgrep', ['-af', o.execRoot], { timeoutMs: 5_000 })).stdout : '';
  for (const line of leftovers.split('\n').filter(Boolean)) {
    const leftover = Number(line.split(' ')[0]);
    if (leftover && leftover !== process.pid) {
      try {
        process.kill(leftover, 'SIGKILL');
        done.push(`killed a leftover process: ${line.slice(0, 120)}`);
      } catch {
        // already gone
      }
    }
  }
  done.push(...(await unmountBelow(dirs)));
  if (!opts.keepDirs) {
    for (const dir of dirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch (e) {
        done.push(`could not remove ${dir}: ${(e as Error).message}`);
      }
    }
  }
  return done;
}

/**
 * Unmounts whatever is mounted below `dirs` (an engine's overlay layers and bind mounts, the /proc a killed
 * debootstrap left in its target), deepest first, so that removing those folders never walks into a mount.
 * Says what it could not unmount.
 */
export async function unmountBelow(dirs: string[]): Promise<string[]> {
  const problems: string[] = [];
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && dirs.some((d) => m === d || m.startsWith(`${d}/`)))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    const r = await run('umount', ['-l', m], { timeoutMs: 10_000 });
    if (r.code !== 0) problems.push(`could not unmount ${m}: ${lastLines(r, 1)}`);
  }
  return problems;
}

/**
 * Engines an earlier run started and could not stop (killed by CI, the machine's OOM killer, kill -9): their
 * dockerd, containerd and shims, mounts and folders go before this run starts its own. Found by their exec
 * roots (`<prefix>*`, each with dockerd.pid); the data root is this run's. Says what it cleaned up.
 */
export async function removeStaleEngines(o: { execRootPrefix: string; dataRoot: string }): Promise<string[]> {
  const parent = dirname(o.execRootPrefix);
  const stem = basename(o.execRootPrefix);
  const done: string[] = [];
  const execRoots = existsSync(parent)
    ? readdirSync(parent)
        .filter((n) => n.startsWith(stem))
        .map((n) => join(parent, n))
    : [];
  for (const execRoot of execRoots) {
    const pidFile = join(execRoot, 'dockerd.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) || undefined : undefined;
    // A pid file outlives its process, and the number may belong to someone else by now. A live engine of
    // another checkout's run (another data root) is that run's business.
    const cmdline = pid !== undefined && alive(pid) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (cmdline.includes(execRoot) && !cmdline.includes(o.dataRoot)) continue;
    const ours = cmdline.includes(execRoot);
    const left = await stopDockerd(ours ? pid : undefined, { dataRoot: o.dataRoot, execRoot });
    done.push(`an earlier run's engine (${execRoot}${ours ? `, dockerd ${pid}` : ''}) removed${left.length ? `: ${left.join('; ')}` : ''}`);
  }
  if (execRoots.length === 0 && existsSync(o.dataRoot)) {
    const left = await stopDockerd(undefined, { dataRoot: o.dataRoot, execRoot: '' });
    done.push(`an earlier run's engine data (${o.dataRoot}) removed${left.length ? `: ${left.join('; ')}` : ''}`);
  }
  return done;
}

/** docker compose v2 for this engine: the installed plugin, or Debian trixie's package unpacked for this run. */
export async function obtainCompose(engine: Engine, o: { workDir: string; print: (l: string) => void }): Promise<Engine> {
  const has = await run(engine.docker, ['compose', 'version', '--short'], { timeoutMs: 15_000, env: engine.env });
  if (has.code === 0 && composeV2OrLater(has.stdout)) return engine;
  // Bookworm has only docker-compose 1.29 (no top-level `name:`, no --wait); trixie has 2.x. Fetched with apt
  // into this run's folder only: the host's apt sources and package state stay as they are.
  const apt = join(o.workDir, 'apt-trixie');
  for (const d of ['lists/partial', 'archives/partial', 'unpacked', 'docker-config/cli-plugins']) mkdirSync(join(apt, d), { recursive: true });
  const sources = join(apt, 'sources.list');
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
  // The host's mirror first (it may be a local one); it may carry only the host's suite, so Debian's own next.
  const tried: string[] = [];
  let found = false;
  for (const mirror of new Set([debianMirror(), 'http://deb.debian.org/debian'])) {
    writeFileSync(sources, `deb ${mirror} trixie main\n`);
    o.print(`docker compose v2: from Debian trixie's docker-compose package (${mirror})`);
    const update = await run('apt-get', [...options, 'update', '-qq'], { timeoutMs: 180_000 });
    const listed = update.code === 0 && (await run('apt-cache', [...options, 'show', 'docker-compose'], { timeoutMs: 30_000 })).code === 0;
    if ((found = listed)) break;
    tried.push(`${mirror}: ${update.timedOut ? 'no answer within 180 s' : update.code !== 0 ? lastLines(update, 1) : 'no docker-compose for trixie'}`);
  }
  if (!found) {
    throw new StepFailure(`docker compose v2: Debian trixie's docker-compose package is not reachable (${tried.join('; ')})`);
  }
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

/** `docker compose version --short` says 2.x or later (v1 was a separate docker-compose program). */
export function composeV2OrLater(version: string): boolean {
  const major = /^v?(\d+)\./.exec(version.trim())?.[1];
  return major !== undefined && Number(major) >= 2;
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
