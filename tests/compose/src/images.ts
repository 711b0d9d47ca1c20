/**
 * The two images compose runs: the sandbox image (Dockerfile, one for every participant) and the edge's nginx.
 * With a registry they build on the official images; without one (as on the sandbox's own CI) the base is
 * made from Debian packages: debootstrap, the host's own `node` binary, and Debian's nginx for the edge.
 * Either way the build context is prepared on the host (production node_modules, the PGO's web UI built),
 * because the engine's build containers have no network.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepFailure, lastLines, must, run } from './exec.js';
import { aptInstall, debianMirror, which, type Engine } from './engine.js';

export const SANDBOX_IMAGE = 'medmij-sandbox:local';
export const OFFICIAL_BASE = 'node:20-bookworm-slim';
export const OFFICIAL_EDGE = 'nginx:1.27-alpine';
export const DEBIAN_BASE = 'medmij-sandbox-base:debian';

export interface Bases {
  /** FROM for the sandbox image. */
  base: string;
  /** The edge container's image (any nginx with the stream module). */
  edge: string;
  how: string;
}

/** Is an image there, or can the engine pull it (bounded: an unreachable registry must fail fast)? */
async function available(engine: Engine, image: string): Promise<boolean> {
  if ((await run(engine.docker, ['image', 'inspect', image], { timeoutMs: 15_000, env: engine.env })).code === 0) return true;
  const pull = await run(engine.docker, ['pull', '--quiet', image], { timeoutMs: 120_000, env: engine.env });
  return pull.code === 0;
}

export async function baseImages(engine: Engine, o: { workDir: string; print: (l: string) => void; forceDebian?: boolean }): Promise<Bases> {
  if (!o.forceDebian && (await available(engine, OFFICIAL_BASE)) && (await available(engine, OFFICIAL_EDGE))) {
    return { base: OFFICIAL_BASE, edge: OFFICIAL_EDGE, how: `official images from the registry (${OFFICIAL_BASE}, ${OFFICIAL_EDGE})` };
  }
  o.print(`no registry: building ${DEBIAN_BASE} from Debian packages`);
  await debianBase(engine, o);
  return { base: DEBIAN_BASE, edge: DEBIAN_BASE, how: `${DEBIAN_BASE}, built from Debian packages (debootstrap) with the host's node ${process.version}` };
}

/** Debian minbase + nginx with the stream module + the host's node, imported as DEBIAN_BASE. */
async function debianBase(engine: Engine, o: { workDir: string; print: (l: string) => void }): Promise<void> {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 20 || (major === 20 && minor < 19)) throw new StepFailure(`the host's node ${process.version} is too old for the image (needs >= 20.19)`);
  if (!which('debootstrap') && !which('debootstrap', '/usr/sbin')) {
    const why = await aptInstall(['debootstrap'], o.print);
    if (why) throw new StepFailure(`cannot build a base image without a registry: no debootstrap (${why})`);
  }
  const suite = /^VERSION_CODENAME=(\w+)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'bookworm';
  const rootfs = join(o.workDir, 'rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  const mirror = debianMirror();
  o.print(`debootstrap --variant=minbase ${suite} (${mirror})`);
  await must(
    `base image (debootstrap ${suite})`,
    which('debootstrap') ?? '/usr/sbin/debootstrap',
    ['--variant=minbase', '--include=nginx,libnginx-mod-stream,ca-certificates', suite, rootfs, mirror],
    { timeoutMs: 900_000 },
  );
  // Lean: every container copies the image on vfs. Package caches, docs, manuals and translations go.
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/info']) {
    rmSync(join(rootfs, dir), { recursive: true, force: true });
    mkdirSync(join(rootfs, dir), { recursive: true });
  }
  // The host's node (same Debian suite, so the same C library); without its debug symbols when strip is there.
  const node = join(rootfs, 'usr/local/bin/node');
  copyFileSync(process.execPath, node);
  if (which('strip')) await run('strip', [node], { timeoutMs: 120_000 });
  const tar = join(o.workDir, 'rootfs.tar');
  await must('base image (packing the root file system)', 'tar', ['-C', rootfs, '-cf', tar, '.'], { timeoutMs: 300_000 });
  rmSync(rootfs, { recursive: true, force: true });
  await must(`base image (docker import ${DEBIAN_BASE})`, engine.docker, ['import', tar, DEBIAN_BASE], { timeoutMs: 300_000, env: engine.env });
  rmSync(tar, { force: true });
  const version = await must('base image (node runs in it)', engine.docker, ['run', '--rm', '--network', 'none', DEBIAN_BASE, 'node', '--version'], {
    timeoutMs: 120_000,
    env: engine.env,
  });
  o.print(`${DEBIAN_BASE}: node ${version.stdout.trim()}, nginx from ${suite}`);
}

/**
 * The build context: the repository's files (tracked and new, as git sees them), the production dependencies
 * (npm ci --omit=dev, from the host's npm cache) and the web UIs (PGO, console), built. The image then copies, never downloads.
 */
export async function prepareContext(repo: string, dir: string, print: (l: string) => void): Promise<void> {
  await copyRepositoryFiles(repo, dir);
  print('build context: npm ci --omit=dev, then the web UIs');
  const npm = { timeoutMs: 600_000, cwd: dir, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } };
  await must('build context (npm ci --omit=dev)', 'npm', ['ci', '--omit=dev', '--prefer-offline'], npm);
  await must('build context (the web UIs: npm run build)', 'npm', ['run', 'build', '-w', '@medmij-sandbox/pgo', '-w', '@medmij-sandbox/console'], npm);
}

/** The repository's files as git sees them (tracked and new, not ignored), and a .dockerignore that lets node_modules and dist in. */
export async function copyRepositoryFiles(repo: string, dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = await must('build context (git ls-files)', 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    timeoutMs: 60_000,
    cwd: repo,
  });
  // Files deleted in the work tree but still in the index are left out.
  const present = files.stdout.split('\0').filter((f) => f && existsSync(join(repo, f)));
  writeFileSync(join(dir, '.files'), present.join('\0'));
  await must('build context (copying the files)', 'tar', ['-C', repo, '--null', '-T', join(dir, '.files'), '-cf', join(dir, '.files.tar')], {
    timeoutMs: 120_000,
  });
  await must('build context (unpacking)', 'tar', ['-C', dir, '-xf', join(dir, '.files.tar')], { timeoutMs: 120_000 });
  rmSync(join(dir, '.files'));
  rmSync(join(dir, '.files.tar'));
  // This context brings node_modules and dist on purpose (the repository's .dockerignore leaves them out).
  writeFileSync(join(dir, '.dockerignore'), '.git\n.sandbox\n**/.turbo\n.env\n**/.env\n.npmrc\n');
}

export async function buildSandboxImage(engine: Engine, o: { context: string; base: string; dockerfile?: string; tag?: string; timeoutMs?: number }) {
  const what = `the sandbox image does not build (${o.dockerfile ?? 'Dockerfile'})`;
  const timeoutMs = o.timeoutMs ?? 900_000;
  const r = await run(
    engine.docker,
    [
      'build',
      // No intermediate containers left behind on a failed build (on a developer's own engine too).
      '--force-rm',
      '--network',
      'none',
      '--build-arg',
      `BASE=${o.base}`,
      '--build-arg',
      'DEPENDENCIES=context',
      '--tag',
      o.tag ?? SANDBOX_IMAGE,
      ...(o.dockerfile ? ['--file', o.dockerfile] : []),
      o.context,
    ],
    // The classic builder: it needs no buildx plugin, and the build needs no network.
    { timeoutMs, env: { ...engine.env, DOCKER_BUILDKIT: '0' } },
  );
  if (r.timedOut) throw new StepFailure(`${what}: no end within ${Math.round(timeoutMs / 1000)} s (killed)`, lastLines(r));
  if (r.code !== 0) throw new StepFailure(`${what}: ${buildFailureCause(r.stdout, r.stderr)}`, lastLines(r, 20));
  return r;
}

/**
 * Why a classic docker build failed, in one line: a failed RUN's own last words (the Dockerfile's checks say
 * what is missing), else docker's (e.g. "COPY failed: file not found in build context ...").
 */
export function buildFailureCause(stdout: string, stderr: string): string {
  const last = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(
        (l) =>
          l &&
          !l.startsWith('DEPRECATED:') &&
          !l.startsWith('BuildKit is currently disabled') &&
          !l.startsWith('Install the buildx') &&
          // --force-rm's own report, after the failed step's words
          !l.startsWith('Removing intermediate container'),
      )
      .at(-1) ?? '';
  const docker = last(stderr);
  if (/^The command .* returned a non-zero code/.test(docker) || !docker) {
    const said = last(stdout);
    return said && !said.startsWith('---> ')
      ? `${said} (${docker.replace(/^The command '.*' returned/, 'the RUN step returned') || 'docker build failed'})`
      : docker;
  }
  return docker;
}
