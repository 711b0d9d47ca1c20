/** Test helpers: run OpenSSL, an independent judge of what the sandbox PKI produces. */
import { spawn, spawnSync } from 'node:child_process';

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
