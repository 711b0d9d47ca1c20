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
 *
 * Several sandbox folders (`npm start`'s .sandbox, docker compose's .sandbox/compose, ...) each have a root of
 * their own, and all stay trusted side by side: every root is its own entry, named by its PKI's install id —
 * the NSS nickname `trustNickname(installId)`, the system file `medmij-sandbox-<installId>.crt`. Only a new
 * root of the same folder (`pki init --force` makes a new install id) replaces that folder's old one; which
 * root a folder had trusted is kept in a small record in the user's home (`trustRecordPath`), because the
 * sandbox folder itself may belong to root (docker compose's does).
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '@medmij-sandbox/network';
import { sandboxCommand } from './context.js';

export interface TrustStep {
  store: string;
  status: 'installed' | 'already trusted' | 'removed' | 'not present' | 'trusted' | 'not trusted' | 'manual step' | 'failed';
  detail: string;
  /** `check`: the other sandbox roots this store trusts (of other sandbox folders), beside this folder's. */
  others?: OtherRoot[];
}

/** A sandbox root other than the one a command manages, found trusted in a store. */
export interface OtherRoot {
  /** Its NSS nickname, or its file in the system store. */
  name: string;
  installId?: string;
  /** The sandbox folder it was trusted for, when this user's record knows. */
  folder?: string;
  /** How to take it out again. */
  remove: string;
}

/** Where the system store keeps the roots it trusts, and the command that takes a change in. */
export interface SystemStore {
  dir: string;
  /** `.crt` (Debian's update-ca-certificates reads only those) or `.pem` (Fedora). */
  ext: string;
  update: string[];
}

export interface TrustOptions {
  rootPemPath: string;
  installId: string;
  action: 'install' | 'uninstall' | 'check';
  /**
   * The sandbox folder the root belongs to. With it, installing replaces the root this folder had trusted
   * before (an earlier `pki init`), uninstalling removes that one too, and `check` names the folders of the
   * other roots it finds. Without it, only the root of `installId` is touched and nothing is recorded.
   */
  folder?: string;
  /** Also the operating system store (default true). */
  system?: boolean;
  home?: string;
  platform?: NodeJS.Platform;
  isRoot?: boolean;
  /** Instead of the distribution's system store (tests: a folder of their own, `update: ['true']`). */
  systemStore?: SystemStore;
}

export const NICKNAME_PREFIX = 'MedMij Sandbox Root CA - NOT FOR PRODUCTION';

export function trustNickname(installId: string): string {
  return `${NICKNAME_PREFIX} (${installId})`;
}

/** The install id in a nickname made by `trustNickname`. */
function installIdOfNickname(nickname: string): string | undefined {
  return /\(([^()]+)\)$/.exec(nickname)?.[1];
}

const SYSTEM_FILE_PREFIX = 'medmij-sandbox-';
/** The one file name of the system store before each root got its own: `medmij-sandbox-root.crt`. */
const LEGACY_SYSTEM_NAME = `${SYSTEM_FILE_PREFIX}root`;

/** The system store's file for the root of `installId`: medmij-sandbox-<installId>.crt (Debian) or .pem. */
export function systemTrustFile(store: SystemStore, installId: string): string {
  return join(store.dir, `${SYSTEM_FILE_PREFIX}${installId}${store.ext}`);
}

// ---- the record: which root each sandbox folder had trusted ----------------------------------------

interface TrustRecord {
  /** Absolute sandbox folder -> the install id of the root trusted for it. */
  folders: Record<string, string>;
}

/** Which root each sandbox folder had trusted, for this user: ~/.local/state/medmij-sandbox/trusted-roots.json. */
export function trustRecordPath(home: string = homedir()): string {
  return join(home, '.local', 'state', 'medmij-sandbox', 'trusted-roots.json');
}

function readRecord(path: string): TrustRecord {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<TrustRecord>;
    return { folders: typeof parsed.folders === 'object' && parsed.folders !== null ? { ...parsed.folders } : {} };
  } catch {
    // Absent or spoilt: then we know no folder's earlier root, and replace nothing.
    return { folders: {} };
  }
}

/** The install id of the root last trusted for `folder` (by `sandbox trust`), if any. */
export function recordedInstallId(folder: string, home: string = homedir()): string | undefined {
  return readRecord(trustRecordPath(home)).folders[resolve(folder)];
}

/** What every store works with: this root, the folder's earlier one it replaces, the folders of the others. */
interface Context {
  nickname: string;
  /** The root this folder trusted before (an earlier `pki init`), to replace. */
  earlier?: string;
  folderOf(installId: string | undefined): string | undefined;
}

export function manageTrust(opts: TrustOptions): TrustStep[] {
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? homedir();
  const steps: TrustStep[] = [];
  const recordPath = trustRecordPath(home);
  const record = readRecord(recordPath);
  const folder = opts.folder === undefined ? undefined : resolve(opts.folder);
  const recorded = folder === undefined ? undefined : record.folders[folder];
  // Not when another folder still has that root (a copied sandbox folder): it is not this folder's alone.
  const shared = Object.entries(record.folders).some(([f, id]) => f !== folder && id === recorded);
  const ctx: Context = {
    nickname: trustNickname(opts.installId),
    earlier: recorded !== undefined && recorded !== opts.installId && !shared ? recorded : undefined,
    folderOf: (id) => Object.entries(record.folders).find(([, recordedId]) => recordedId === id)?.[0],
  };

  if (platform === 'linux' || platform === 'darwin' || platform === 'win32') {
    steps.push(...nssStores(home, platform, opts, ctx));
  }
  if (opts.system ?? true) {
    if (platform === 'linux') steps.push(linuxSystemStore(opts, ctx));
    else if (platform === 'darwin') steps.push(macosKeychain(opts));
    else if (platform === 'win32') steps.push(windowsStore(opts));
  }

  if (folder !== undefined && opts.action !== 'check') {
    if (opts.action === 'install') record.folders[folder] = opts.installId;
    else delete record.folders[folder];
    try {
      writeJsonAtomic(recordPath, record);
    } catch (e) {
      steps.push({ store: `record ${recordPath}`, status: 'failed', detail: `could not note which root ${folder} trusts: ${(e as Error).message}` });
    }
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

function nssStores(home: string, platform: NodeJS.Platform, opts: TrustOptions, ctx: Context): TrustStep[] {
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
  const { nickname } = ctx;
  return dbs.map((dir): TrustStep => {
    const db = `sql:${dir}`;
    const store = `NSS ${dir}`;
    const has = (n: string) => run('certutil', ['-L', '-d', db, '-n', n]).ok;
    const present = has(nickname);
    if (opts.action === 'check') {
      const others = listNicknames(db)
        .filter((n) => n.startsWith(NICKNAME_PREFIX) && n !== nickname)
        .map((name) => otherRoot(ctx, name, installIdOfNickname(name), `certutil -D -d ${db} -n '${name}'`));
      return { store, status: present ? 'trusted' : 'not trusted', detail: nickname, ...(others.length ? { others } : {}) };
    }
    // This folder's earlier root goes; the roots of other sandbox folders stay.
    const earlier = ctx.earlier === undefined ? undefined : trustNickname(ctx.earlier);
    const toRemove = [...(opts.action === 'uninstall' && present ? [nickname] : []), ...(earlier !== undefined && has(earlier) ? [earlier] : [])];
    for (const n of toRemove) {
      const deleted = run('certutil', ['-D', '-d', db, '-n', n]);
      if (!deleted.ok) return { store, status: 'failed', detail: `could not remove ${n}: ${deleted.output}` };
    }
    const replaced = earlier !== undefined && toRemove.includes(earlier) ? `; removed this folder's earlier root ${earlier}` : '';
    if (opts.action === 'uninstall') {
      return toRemove.length === 0 ? { store, status: 'not present', detail: nickname } : { store, status: 'removed', detail: toRemove.join(', ') };
    }
    if (present) return { store, status: 'already trusted', detail: `${nickname}${replaced}` };
    if (!existsSync(join(dir, 'cert9.db'))) {
      mkdirSync(dir, { recursive: true });
      const created = run('certutil', ['-N', '-d', db, '--empty-password']);
      if (!created.ok) return { store, status: 'failed', detail: `could not create the NSS database: ${created.output}` };
    }
    const added = run('certutil', ['-A', '-d', db, '-t', 'C,,', '-n', nickname, '-i', opts.rootPemPath]);
    return added.ok ? { store, status: 'installed', detail: `${nickname}${replaced}` } : { store, status: 'failed', detail: added.output };
  });
}

function otherRoot(ctx: Context, name: string, installId: string | undefined, rawRemove: string): OtherRoot {
  const folder = ctx.folderOf(installId);
  // Its folder's own `trust --uninstall` also works when that folder is gone (the record knows its root).
  const remove = folder !== undefined ? sandboxCommand(folder, 'trust --uninstall') : rawRemove;
  return { name, ...(installId !== undefined ? { installId } : {}), ...(folder !== undefined ? { folder } : {}), remove };
}

function listNicknames(db: string): string[] {
  const listed = run('certutil', ['-L', '-d', db]);
  if (!listed.ok) return [];
  return listed.output
    .split('\n')
    .map((line) => /^(.*?)\s+[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*\s*$/.exec(line)?.[1]?.trim())
    .filter((n): n is string => Boolean(n));
}

function distributionStore(): SystemStore | undefined {
  if (existsSync('/usr/local/share/ca-certificates') && hasCommand('update-ca-certificates', ['--help'])) {
    return { dir: '/usr/local/share/ca-certificates', ext: '.crt', update: ['update-ca-certificates', '--fresh'] };
  }
  if (existsSync('/etc/pki/ca-trust/source/anchors') && hasCommand('update-ca-trust', ['--help'])) {
    return { dir: '/etc/pki/ca-trust/source/anchors', ext: '.pem', update: ['update-ca-trust', 'extract'] };
  }
  return undefined;
}

/** The same certificate in both files (compared as DER, so line endings and headers do not matter). */
function sameCertificate(a: string, b: string): boolean {
  try {
    return new X509Certificate(readFileSync(a)).raw.equals(new X509Certificate(readFileSync(b)).raw);
  } catch {
    return false;
  }
}

function linuxSystemStore(opts: TrustOptions, ctx: Context): TrustStep {
  const found = opts.systemStore ?? distributionStore();
  if (!found) {
    return {
      store: 'system',
      status: 'manual step',
      detail: `no update-ca-certificates or update-ca-trust found; add ${opts.rootPemPath} to your distribution's CA store by hand`,
    };
  }
  const { update } = found;
  const target = systemTrustFile(found, opts.installId);
  // Before each root had a file of its own, there was one: medmij-sandbox-root.crt. Ours if it holds this root.
  const legacy = join(found.dir, `${LEGACY_SYSTEM_NAME}${found.ext}`);
  const legacyIsOurs = existsSync(legacy) && sameCertificate(legacy, opts.rootPemPath);
  const legacyNote =
    existsSync(legacy) && !legacyIsOurs
      ? `; left ${legacy} alone: another sandbox root, trusted before each root got a file of its own (--check lists it)`
      : '';
  const store = `system (${target})`;
  const updateCmd = `sudo ${update.join(' ')}`;

  if (opts.action === 'check') {
    const trusted = existsSync(target) || legacyIsOurs;
    const others = otherSystemFiles(found, ctx, [target, ...(legacyIsOurs ? [legacy] : [])], updateCmd);
    return {
      store,
      status: trusted ? 'trusted' : 'not trusted',
      detail: existsSync(target) || !legacyIsOurs ? target : legacy,
      ...(others.length ? { others } : {}),
    };
  }

  const earlier = ctx.earlier === undefined ? undefined : systemTrustFile(found, ctx.earlier);
  const toRemove = [
    ...(opts.action === 'uninstall' && existsSync(target) ? [target] : []),
    ...(legacyIsOurs ? [legacy] : []),
    ...(earlier !== undefined && existsSync(earlier) ? [earlier] : []),
  ];
  const copy = opts.action === 'install' && !sameCertificate(target, opts.rootPemPath);
  if (!copy && toRemove.length === 0) {
    return opts.action === 'install'
      ? { store, status: 'already trusted', detail: `${target}${legacyNote}` }
      : { store, status: 'not present', detail: `${target}${legacyNote}` };
  }
  const removedNote = toRemove.filter((f) => f !== target).length ? `; removed ${toRemove.filter((f) => f !== target).join(', ')}` : '';
  const isRoot = opts.isRoot ?? process.getuid?.() === 0;
  if (!isRoot) {
    const cmd = [...(copy ? [`sudo cp ${opts.rootPemPath} ${target}`] : []), ...(toRemove.length ? [`sudo rm -f ${toRemove.join(' ')}`] : []), updateCmd].join(
      ' && ',
    );
    return { store, status: 'manual step', detail: `needs root, run: ${cmd}${legacyNote}` };
  }
  try {
    if (copy) copyFileSync(opts.rootPemPath, target);
    for (const file of toRemove) rmSync(file, { force: true });
  } catch (e) {
    return { store, status: 'failed', detail: (e as Error).message };
  }
  const updated = run(update[0]!, update.slice(1));
  if (!updated.ok) return { store, status: 'failed', detail: updated.output };
  return opts.action === 'install'
    ? { store, status: 'installed', detail: `${target}${removedNote}${legacyNote}` }
    : { store, status: 'removed', detail: `${toRemove.join(', ')}${legacyNote}` };
}

/** The system store's sandbox roots other than `ours`: medmij-sandbox-<installId>.crt, and the one of before. */
function otherSystemFiles(store: SystemStore, ctx: Context, ours: string[], updateCmd: string): OtherRoot[] {
  let names: string[];
  try {
    names = readdirSync(store.dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(SYSTEM_FILE_PREFIX) && n.endsWith(store.ext) && !ours.includes(join(store.dir, n)))
    .sort()
    .map((n) => {
      const id = n.slice(SYSTEM_FILE_PREFIX.length, -store.ext.length);
      const file = join(store.dir, n);
      return otherRoot(ctx, file, id === 'root' ? undefined : id, `sudo rm -f ${file} && ${updateCmd}`);
    });
}

function macosKeychain(opts: TrustOptions): TrustStep {
  // Each root is its own entry in the keychain already: installing one leaves the others.
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

/** The root's serial number: how Windows' certutil names one certificate of a store (every sandbox root has the same subject CN). */
function serialOf(pemPath: string): string | undefined {
  try {
    return new X509Certificate(readFileSync(pemPath)).serialNumber;
  } catch {
    return undefined;
  }
}

function windowsStore(opts: TrustOptions): TrustStep {
  const store = 'Windows user Root store';
  const serial = serialOf(opts.rootPemPath);
  if (opts.action !== 'install' && serial === undefined) return { store, status: 'failed', detail: `cannot read the root certificate ${opts.rootPemPath}` };
  const args =
    opts.action === 'install'
      ? ['-user', '-addstore', 'Root', opts.rootPemPath]
      : opts.action === 'uninstall'
        ? ['-user', '-delstore', 'Root', serial!]
        : ['-user', '-verifystore', 'Root', serial!];
  const result = run('certutil', args);
  if (opts.action === 'check') return { store, status: result.ok ? 'trusted' : 'not trusted', detail: serial ? `serial ${serial}` : '' };
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
