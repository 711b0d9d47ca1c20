/** Test helpers: run OpenSSL (an independent judge of what the sandbox PKI produces), trust the root in a browser. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function openssl(args: string[], input?: string | Buffer): { code: number; out: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is needed for this test (apt-get install openssl): ${r.error.message}`);
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** `openssl verify` with the full chain and a CRL for every CA (-crl_check_all), as a relying party would. */
export function opensslVerify(leafPath: string, o: { root: string; intermediate: string; crls: string[] }): { code: number; out: string } {
  return openssl(['verify', '-CAfile', o.root, '-untrusted', o.intermediate, '-crl_check_all', ...o.crls.flatMap((c) => ['-CRLfile', c]), leafPath]);
}

/**
 * OpenSSL without blocking the event loop: needed when OpenSSL talks to a server running in the same
 * process as the test (openssl ocsp against the PKI repository), where spawnSync would deadlock.
 */
export function opensslAsync(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (e) => reject(new Error(`openssl is needed for this test (apt-get install openssl): ${e.message}`)));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/**
 * For browser tests: a fresh NSS database under `home` (where Chromium on Linux looks, $HOME/.pki/nssdb)
 * that trusts the sandbox root, so pages load with no certificate warning, as after `sandbox trust`.
 */
export function trustRootInNss(home: string, rootPemPath: string): void {
  const db = `sql:${join(home, '.pki', 'nssdb')}`;
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  for (const args of [
    ['-N', '-d', db, '--empty-password'],
    ['-A', '-d', db, '-t', 'C,,', '-n', 'MedMij Sandbox test root', '-i', rootPemPath],
  ]) {
    const r = spawnSync('certutil', args, { encoding: 'utf8' });
    if (r.error) throw new Error('browser tests need NSS certutil: apt-get install -y libnss3-tools (.ci/run does this)');
    if (r.status !== 0) throw new Error(`certutil ${args[0]} failed: ${r.stderr}`);
  }
}
