/**
 * `sandbox trust`: put the sandbox root into the trust stores browsers use, as mkcert does, so a
 * newcomer never clicks through a certificate warning. The root is name-constrained to .localhost and
 * .test (see packages/pki), so trusting it endangers no real site.
 *
 * - Linux browsers (Chromium, Chrome, Firefox) read NSS databases: ~/.pki/nssdb and Firefox profiles.
 *   We use NSS's own `certutil` (Debian: libnss3-tools).
 * - The system store (curl, wget, ...): /usr/local/share/ca-certificates (Debian) or
 *   /etc/pki/ca-trust/source/anchors (Fedora), only when running as root; otherwise we print the command.
 * - macOS: the System keychain via `security`; Windows: the user's Root store via `certutil`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface TrustStep {
  store: string;
  status: 'installed' | 'already trusted' | 'removed' | 'not present' | 'trusted' | 'not trusted' | 'manual step' | 'failed';
  detail: string;
}

export interface TrustOptions {
  rootPemPath: string;
  installId: string;
  action: 'install' | 'uninstall' | 'check';
  /** Also the operating system store (default true). */
  system?: boolean;
  home?: string;
  platform?: NodeJS.Platform;
  isRoot?: boolean;
}

export const NICKNAME_PREFIX = 'MedMij Sandbox Root CA - NOT FOR PRODUCTION';

export function trustNickname(installId: string): string {
  return `${NICKNAME_PREFIX} (${installId})`;
}

export function manageTrust(opts: TrustOptions): TrustStep[] {
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? homedir();
  const steps: TrustStep[] = [];
  const nickname = trustNickname(opts.installId);

  if (platform === 'linux' || platform === 'darwin' || platform === 'win32') {
    steps.push(...nssStores(home, platform, opts, nickname));
  }
  if (opts.system ?? true) {
    if (platform === 'linux') steps.push(linuxSystemStore(opts));
    else if (platform === 'darwin') steps.push(macosKeychain(opts));
    else if (platform === 'win32') steps.push(windowsStore(opts));
  }
  return steps;
}

/** NSS databases that exist for this user, plus ~/.pki/nssdb which we create (Chromium reads it on Linux). */
export function nssDatabases(home: string, platform: NodeJS.Platform): string[] {
  const dbs: string[] = [];
  if (platform === 'linux') dbs.push(join(home, '.pki', 'nssdb'));
  const snapChromium = join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb');
  if (existsSync(join(snapChromium, 'cert9.db'))) dbs.push(snapChromium);
  const firefoxRoots =
    platform === 'darwin'
      ? [join(home, 'Library', 'Application Support', 'Firefox', 'Profiles')]
      : platform === 'win32'
        ? [join(home, 'AppData', 'Roaming', 'Mozilla', 'Firefox', 'Profiles')]
        : [join(home, '.mozilla', 'firefox'), join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox')];
  for (const root of firefoxRoots) {
    if (!existsSync(root)) continue;
    for (const profile of readdirSync(root)) {
      if (existsSync(join(root, profile, 'cert9.db'))) dbs.push(join(root, profile));
    }
  }
  return dbs;
}

function nssStores(home: string, platform: NodeJS.Platform, opts: TrustOptions, nickname: string): TrustStep[] {
  const dbs = nssDatabases(home, platform);
  if (dbs.length === 0) return [];
  if (!hasCommand('certutil', ['-H'])) {
    return [
      {
        store: 'NSS (Chromium/Firefox)',
        status: 'manual step',
        detail:
          platform === 'linux'
            ? "NSS's certutil is not installed: sudo apt-get install libnss3-tools (Debian/Ubuntu) or sudo dnf install nss-tools (Fedora), then run this command again"
            : `certutil (NSS) is not installed; import ${opts.rootPemPath} in Firefox: Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import`,
      },
    ];
  }
  return dbs.map((dir) => {
    const db = `sql:${dir}`;
    const store = `NSS ${dir}`;
    const present = run('certutil', ['-L', '-d', db, '-n', nickname]).ok;
    if (opts.action === 'check') return { store, status: present ? 'trusted' : 'not trusted', detail: nickname };
    // Roots of earlier sandbox installs (before `pki init --force`) go, so only one sandbox root is trusted.
    const stale = listNicknames(db).filter((n) => n.startsWith(NICKNAME_PREFIX) && n !== nickname);
    for (const old of stale) run('certutil', ['-D', '-d', db, '-n', old]);
    if (opts.action === 'uninstall') {
      if (!present && stale.length === 0) return { store, status: 'not present', detail: nickname };
      if (present) run('certutil', ['-D', '-d', db, '-n', nickname]);
      return { store, status: 'removed', detail: [nickname, ...stale].join(', ') };
    }
    if (present) return { store, status: 'already trusted', detail: nickname };
    if (!existsSync(join(dir, 'cert9.db'))) {
      mkdirSync(dir, { recursive: true });
      const created = run('certutil', ['-N', '-d', db, '--empty-password']);
      if (!created.ok) return { store, status: 'failed', detail: `could not create the NSS database: ${created.output}` };
    }
    const added = run('certutil', ['-A', '-d', db, '-t', 'C,,', '-n', nickname, '-i', opts.rootPemPath]);
    return added.ok ? { store, status: 'installed', detail: nickname } : { store, status: 'failed', detail: added.output };
  });
}

function listNicknames(db: string): string[] {
  const listed = run('certutil', ['-L', '-d', db]);
  if (!listed.ok) return [];
  return listed.output
    .split('\n')
    .map((line) => /^(.*?)\s+[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*\s*$/.exec(line)?.[1]?.trim())
    .filter((n): n is string => Boolean(n));
}

function linuxSystemStore(opts: TrustOptions): TrustStep {
  const debian = existsSync('/usr/local/share/ca-certificates') && hasCommand('update-ca-certificates', ['--help']);
  const fedora = existsSync('/etc/pki/ca-trust/source/anchors') && hasCommand('update-ca-trust', ['--help']);
  if (!debian && !fedora) {
    return {
      store: 'system',
      status: 'manual step',
      detail: `no update-ca-certificates or update-ca-trust found; add ${opts.rootPemPath} to your distribution's CA store by hand`,
    };
  }
  const target = debian ? '/usr/local/share/ca-certificates/medmij-sandbox-root.crt' : '/etc/pki/ca-trust/source/anchors/medmij-sandbox-root.pem';
  const update = debian ? ['update-ca-certificates', '--fresh'] : ['update-ca-trust', 'extract'];
  const store = `system (${target})`;
  if (opts.action === 'check') return { store, status: existsSync(target) ? 'trusted' : 'not trusted', detail: target };
  const isRoot = opts.isRoot ?? process.getuid?.() === 0;
  if (!isRoot) {
    const cmd =
      opts.action === 'install' ? `sudo cp ${opts.rootPemPath} ${target} && sudo ${update.join(' ')}` : `sudo rm -f ${target} && sudo ${update.join(' ')}`;
    return { store, status: 'manual step', detail: `needs root, run: ${cmd}` };
  }
  if (opts.action === 'uninstall') {
    if (!existsSync(target)) return { store, status: 'not present', detail: target };
    rmSync(target);
  } else {
    copyFileSync(opts.rootPemPath, target);
  }
  const updated = run(update[0]!, update.slice(1));
  if (!updated.ok) return { store, status: 'failed', detail: updated.output };
  return { store, status: opts.action === 'install' ? 'installed' : 'removed', detail: target };
}

function macosKeychain(opts: TrustOptions): TrustStep {
  const store = 'macOS System keychain';
  const cmd =
    opts.action === 'install'
      ? ['security', 'add-trusted-cert', '-d', '-r', 'trustRoot', '-k', '/Library/Keychains/System.keychain', opts.rootPemPath]
      : opts.action === 'uninstall'
        ? ['security', 'remove-trusted-cert', '-d', opts.rootPemPath]
        : ['security', 'verify-cert', '-c', opts.rootPemPath];
  if (opts.action === 'check') return { store, status: run(cmd[0]!, cmd.slice(1)).ok ? 'trusted' : 'not trusted', detail: opts.rootPemPath };
  if (!(opts.isRoot ?? process.getuid?.() === 0)) return { store, status: 'manual step', detail: `needs an administrator, run: sudo ${cmd.join(' ')}` };
  const result = run(cmd[0]!, cmd.slice(1));
  return { store, status: result.ok ? (opts.action === 'install' ? 'installed' : 'removed') : 'failed', detail: result.output || opts.rootPemPath };
}

function windowsStore(opts: TrustOptions): TrustStep {
  const store = 'Windows user Root store';
  const args =
    opts.action === 'install'
      ? ['-user', '-addstore', 'Root', opts.rootPemPath]
      : opts.action === 'uninstall'
        ? ['-user', '-delstore', 'Root', trustNickname(opts.installId)]
        : ['-user', '-verifystore', 'Root'];
  const result = run('certutil', args);
  if (opts.action === 'check') return { store, status: result.ok && result.output.includes(NICKNAME_PREFIX) ? 'trusted' : 'not trusted', detail: '' };
  return { store, status: result.ok ? (opts.action === 'install' ? 'installed' : 'removed') : 'failed', detail: result.output };
}

function hasCommand(cmd: string, probe: string[]): boolean {
  const r = spawnSync(cmd, probe, { stdio: 'ignore' });
  return !r.error;
}

function run(cmd: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return { ok: false, output: r.error.message };
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}
