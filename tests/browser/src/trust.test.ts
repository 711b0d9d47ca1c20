/**
 * `sandbox trust` proved in a real browser: after it, headless Debian Chromium opens a sandbox
 * front-channel page with no certificate error; without it, Chromium refuses the page.
 * Needs chromium and NSS's certutil (apt-get install chromium libnss3-tools; .ci/run installs them).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import { reservePorts, tempDir, writeTestTopology, CHROMIUM, CHROMIUM_ARGS } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { runCli } from '@medmij-sandbox/test-support';
import { trustNickname } from '@medmij-sandbox/cli';

/** Opens `url` in a fresh headless Chromium whose NSS database lives under `home`; returns the page text or the error. */
async function openInChromium(url: string, home: string): Promise<{ text?: string; error?: string }> {
  const profile = join(home, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: home } as Record<string, string>,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // A safety net for a hang; a refused certificate fails at once.
    await page.goto(url, { timeout: 120_000 });
    return { text: await page.locator('h1').innerText() };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await context.close();
  }
}

describe('sandbox trust: no certificate warning in a real browser', () => {
  const clock = new SandboxClock();
  let env: Record<string, string>;
  let home: string;
  let pki: SandboxPki;
  let front: RunningListener;

  beforeAll(async () => {
    for (const [cmd, arg, pkg] of [
      [CHROMIUM, '--version', 'chromium'],
      ['certutil', '-H', 'libnss3-tools'],
    ] as const) {
      if (spawnSync(cmd, [arg]).error) throw new Error(`this test needs ${cmd}: apt-get install -y ${pkg} (.ci/run does this)`);
    }
    const dir = tempDir();
    home = join(dir, 'home');
    mkdirSync(home);
    const { path, topology } = await writeTestTopology(dir, { hold: false });
    env = { SANDBOX_DIR: join(dir, '.sandbox'), SANDBOX_TOPOLOGY: path, HOME: home };
    pki = await SandboxPki.init(join(dir, '.sandbox', 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
    front = await listen({
      participant: { id: 'pgo', hostname: 'pgo.localhost' },
      kind: 'frontchannel',
      port: (await reservePorts(1))[0]!,
      pki,
      bus: new TraceBus(clock),
      clock,
      fetch: () => new Response('<!doctype html><title>PGO</title><h1>Welkom bij de sandbox-PGO</h1>', { headers: { 'content-type': 'text/html' } }),
    });
  });
  afterAll(async () => front?.close());

  it('without trust, Chromium refuses the page: the negative control', async () => {
    const untrustedHome = join(home, '..', 'untrusted-home');
    mkdirSync(untrustedHome, { recursive: true });
    const result = await openInChromium(`${front.url}/`, untrustedHome);
    expect(result.error).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
  });

  it('installs the root into the NSS database, and Chromium then opens the page without error', async () => {
    const r = await runCli(['trust', '--no-system'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`installed\\s+NSS ${join(home, '.pki', 'nssdb')}`));
    const listed = spawnSync('certutil', ['-L', '-d', `sql:${join(home, '.pki', 'nssdb')}`], { encoding: 'utf8' }).stdout;
    expect(listed).toContain(trustNickname(pki.installId));

    const result = await openInChromium(`${front.url}/`, home);
    expect(result).toEqual({ text: 'Welkom bij de sandbox-PGO' });

    expect((await runCli(['trust', '--no-system'], env)).stdout).toMatch(/already trusted/);
    expect((await runCli(['trust', '--check', '--no-system'], env)).stdout).toMatch(/^trusted\s+NSS/m);
  });

  it('uninstalls again', async () => {
    expect((await runCli(['trust', '--uninstall', '--no-system'], env)).stdout).toMatch(/^removed\s+NSS/m);
    expect((await runCli(['trust', '--check', '--no-system'], env)).stdout).toMatch(/^not trusted\s+NSS/m);
  });
});
