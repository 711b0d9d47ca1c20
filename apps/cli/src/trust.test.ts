/**
 * `sandbox trust` with several sandbox folders (`npm start`'s .sandbox beside docker compose's .sandbox/compose):
 * each folder's root is trusted side by side with the others, with NSS's real certutil (Debian: libnss3-tools) on
 * NSS databases under a temporary HOME. The system store is never the machine's: `system: false`, or a folder of
 * the test's own (`systemStore`) whose update command is `true`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { untrustedRootHint } from './commands/network.js';
import { sandboxCommand } from './context.js';
import { runCli } from './testing.js';
import { manageTrust, recordedInstallId, systemTrustFile, trustNickname, type SystemStore, type TrustOptions } from './trust.js';

const clock = new SandboxClock();

/** A sandbox folder with a real sandbox PKI (only its CAs: no participants needed to trust a root). */
async function sandboxFolder(parent: string, name: string, o: { force?: boolean } = {}): Promise<{ dir: string; pki: SandboxPki }> {
  const dir = join(parent, name);
  const pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: [], clock, force: o.force });
  return { dir, pki };
}

function newHome(parent: string, name: string): string {
  const home = join(parent, name);
  mkdirSync(home, { recursive: true });
  return home;
}

/** What `certutil -L` lists in the NSS database Chromium reads under `home`. */
function nssListing(home: string): string {
  return spawnSync('certutil', ['-L', '-d', `sql:${join(home, '.pki', 'nssdb')}`], { encoding: 'utf8' }).stdout;
}

type Folder = Awaited<ReturnType<typeof sandboxFolder>>;

function trust(f: Folder, action: TrustOptions['action'], home: string, more: Partial<TrustOptions> = {}) {
  return manageTrust({ rootPemPath: f.pki.rootCertPath, installId: f.pki.installId, folder: f.dir, action, home, system: false, ...more });
}

beforeAll(() => {
  if (spawnSync('certutil', ['-H']).error) throw new Error('this test needs NSS certutil: apt-get install -y libnss3-tools (.ci/run does this)');
});

describe('sandbox trust: the roots of several sandbox folders side by side', () => {
  let parent: string;
  let start: Folder;
  let compose: Folder;

  beforeAll(async () => {
    parent = tempDir('trust-');
    start = await sandboxFolder(parent, '.sandbox');
    compose = await sandboxFolder(join(parent, '.sandbox'), 'compose');
  });

  it('trusts the roots of two sandbox folders side by side; --uninstall of one leaves the other trusted', () => {
    const home = newHome(parent, 'home-side-by-side');
    const a = trustNickname(start.pki.installId);
    const b = trustNickname(compose.pki.installId);
    expect(trust(start, 'install', home)).toEqual([expect.objectContaining({ status: 'installed', detail: a })]);
    expect(trust(compose, 'install', home)).toEqual([expect.objectContaining({ status: 'installed', detail: b })]);

    // Both in the database Chromium reads, and `check` finds each, naming the other with its folder.
    expect(nssListing(home)).toContain(a);
    expect(nssListing(home)).toContain(b);
    const checkA = trust(start, 'check', home);
    expect(checkA).toEqual([
      expect.objectContaining({
        status: 'trusted',
        detail: a,
        others: [{ name: b, installId: compose.pki.installId, folder: compose.dir, remove: sandboxCommand(compose.dir, 'trust --uninstall') }],
      }),
    ]);
    expect(trust(compose, 'check', home)).toEqual([
      expect.objectContaining({ status: 'trusted', detail: b, others: [expect.objectContaining({ name: a, folder: start.dir })] }),
    ]);

    // Trusting a root again changes nothing.
    expect(trust(start, 'install', home)).toEqual([expect.objectContaining({ status: 'already trusted', detail: a })]);
    expect(nssListing(home)).toContain(b);

    expect(trust(compose, 'uninstall', home)).toEqual([expect.objectContaining({ status: 'removed', detail: b })]);
    expect(nssListing(home)).toContain(a);
    expect(nssListing(home)).not.toContain(b);
    expect(trust(start, 'check', home)).toEqual([{ store: expect.stringMatching(/^NSS /), status: 'trusted', detail: a }]);
    expect(trust(compose, 'check', home)).toEqual([expect.objectContaining({ status: 'not trusted', detail: b })]);
    expect(trust(compose, 'uninstall', home)).toEqual([expect.objectContaining({ status: 'not present' })]);
  });

  it("a new root of the same folder (pki init --force: a new install id) replaces that folder's old root, and only it", async () => {
    const home = newHome(parent, 'home-force');
    const parentOwn = join(parent, 'force');
    const first = await sandboxFolder(parentOwn, '.sandbox');
    const other = await sandboxFolder(join(parentOwn, '.sandbox'), 'compose');
    trust(first, 'install', home);
    trust(other, 'install', home);
    expect(recordedInstallId(first.dir, home)).toBe(first.pki.installId);

    const renewed = await sandboxFolder(parentOwn, '.sandbox', { force: true });
    expect(renewed.pki.installId).not.toBe(first.pki.installId);
    expect(trust(renewed, 'check', home)).toEqual([expect.objectContaining({ status: 'not trusted' })]);
    expect(trust(renewed, 'install', home)).toEqual([
      expect.objectContaining({
        status: 'installed',
        detail: `${trustNickname(renewed.pki.installId)}; removed this folder's earlier root ${trustNickname(first.pki.installId)}`,
      }),
    ]);
    const listed = nssListing(home);
    expect(listed).toContain(trustNickname(renewed.pki.installId));
    expect(listed).not.toContain(trustNickname(first.pki.installId));
    expect(listed).toContain(trustNickname(other.pki.installId));

    expect(trust(renewed, 'uninstall', home)).toEqual([expect.objectContaining({ status: 'removed' })]);
    expect(nssListing(home)).toContain(trustNickname(other.pki.installId));
    expect(recordedInstallId(renewed.dir, home)).toBeUndefined();
  });

  it('the system store: a file per root; the single file of before is taken over when it holds this root, else left and listed', async () => {
    const unrelated = await sandboxFolder(parent, 'unrelated');
    const home = newHome(parent, 'home-system');
    const store: SystemStore = { dir: join(parent, 'ca-certificates'), ext: '.crt', update: ['true'] };
    mkdirSync(store.dir);
    const legacy = join(store.dir, 'medmij-sandbox-root.crt');
    const system = (f: Folder, action: TrustOptions['action'], isRoot = true) =>
      trust(f, action, home, { system: true, systemStore: store, isRoot, platform: 'linux' }).find((s) => s.store.startsWith('system'))!;
    const fileA = systemTrustFile(store, start.pki.installId);
    const fileB = systemTrustFile(store, compose.pki.installId);
    expect(fileA).toBe(join(store.dir, `medmij-sandbox-${start.pki.installId}.crt`));

    // Not root: the command to run, with this root's own file name.
    expect(system(start, 'install', false)).toMatchObject({
      status: 'manual step',
      detail: `needs root, run: sudo cp ${start.pki.rootCertPath} ${fileA} && sudo true`,
    });

    // The file of before holds this root: it becomes this root's file.
    copyFileSync(start.pki.rootCertPath, legacy);
    expect(system(start, 'check')).toMatchObject({ status: 'trusted', detail: legacy });
    expect(system(start, 'install')).toMatchObject({ status: 'installed', detail: `${fileA}; removed ${legacy}` });
    expect(readdirSync(store.dir).sort()).toEqual([`medmij-sandbox-${start.pki.installId}.crt`]);
    expect(system(start, 'install')).toMatchObject({ status: 'already trusted', detail: fileA });

    // Beside it, the other folder's root; a file of before that holds some other root is left alone, and listed.
    copyFileSync(unrelated.pki.rootCertPath, legacy);
    expect(system(compose, 'install')).toMatchObject({ status: 'installed', detail: expect.stringContaining(`left ${legacy} alone`) });
    expect(existsSync(fileA) && existsSync(fileB) && existsSync(legacy)).toBe(true);
    expect(system(start, 'check')).toEqual({
      store: `system (${fileA})`,
      status: 'trusted',
      detail: fileA,
      others: [
        { name: fileB, installId: compose.pki.installId, folder: compose.dir, remove: sandboxCommand(compose.dir, 'trust --uninstall') },
        { name: legacy, remove: `sudo rm -f ${legacy} && sudo true` },
      ],
    });

    expect(system(compose, 'uninstall')).toMatchObject({ status: 'removed', detail: expect.stringMatching(new RegExp(`^${fileB}; left`)) });
    expect(readdirSync(store.dir).sort()).toEqual([`medmij-sandbox-${start.pki.installId}.crt`, 'medmij-sandbox-root.crt'].sort());
    expect(system(start, 'check')).toMatchObject({ status: 'trusted' });
  });

  it("`sandbox trust --check` prints this folder's root and the other folders' roots; a folder thrown away can still --uninstall its root", async () => {
    const home = newHome(parent, 'home-cli');
    const cliParent = join(parent, 'cli');
    const a = await sandboxFolder(cliParent, '.sandbox');
    const b = await sandboxFolder(join(cliParent, '.sandbox'), 'compose');
    const cli = (dir: string, ...args: string[]) => runCli(['--dir', dir, 'trust', '--no-system', ...args], { HOME: home });

    expect((await cli(a.dir)).stdout).toMatch(/^installed\s+NSS /m);
    expect((await cli(b.dir)).stdout).toMatch(/^installed\s+NSS /m);
    const checked = await cli(a.dir, '--check');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`^trusted\\s+NSS ${join(home, '.pki', 'nssdb')}\\n\\s+${escape(trustNickname(a.pki.installId))}$`, 'm'));
    expect(checked.stdout).toContain(`also trusted: ${trustNickname(b.pki.installId)}, the root of ${b.dir}`);
    expect(checked.stdout).toContain(`remove: npm run sandbox -- --dir ${b.dir} trust --uninstall`);

    rmSync(b.dir, { recursive: true });
    const removed = await cli(b.dir, '--uninstall');
    expect([removed.code, removed.stdout]).toEqual([
      0,
      expect.stringMatching(new RegExp(`^removed\\s+NSS .*\\n\\s+${escape(trustNickname(b.pki.installId))}$`, 'm')),
    ]);
    expect(nssListing(home)).toContain(trustNickname(a.pki.installId));
    expect(nssListing(home)).not.toContain(trustNickname(b.pki.installId));
    expect((await cli(a.dir, '--check')).stdout).not.toContain('also trusted');
  });
});

describe("the trust hints name the folder a command was started with (`up`'s, `pki init --force`'s)", () => {
  it('plain for the default folder, with --dir for another, relative to the repository where npm runs the script', () => {
    expect(untrustedRootHint('/repo/.sandbox', '/repo')).toBe('Browsers do not trust the sandbox root yet. Run once:  npm run sandbox -- trust');
    expect(untrustedRootHint('/repo/.sandbox/compose', '/repo')).toBe(
      'Browsers do not trust the sandbox root yet. Run once:  npm run sandbox -- --dir .sandbox/compose trust',
    );
    expect(sandboxCommand('/repo/.sandbox/compose/', 'trust', '/repo')).toBe('npm run sandbox -- --dir .sandbox/compose trust');
    expect(sandboxCommand('/repo', 'trust', '/repo')).toBe('npm run sandbox -- --dir /repo trust');
    expect(sandboxCommand('/elsewhere/my sandbox', 'trust --check', '/repo')).toBe("npm run sandbox -- --dir '/elsewhere/my sandbox' trust --check");
    expect(sandboxCommand('/repo/../repo-2/.sandbox', 'trust', '/repo')).toBe('npm run sandbox -- --dir /repo-2/.sandbox trust');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
