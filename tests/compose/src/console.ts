/**
 * One request to the compose network's console as the operator's browser makes it: to 127.0.0.1:443 (the edge),
 * TLS with SNI console.localhost, trusting only the sandbox root.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export function consoleRequest(rootCertPath: string, path: string, bearer?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: 443,
        servername: 'console.localhost',
        path,
        headers: { host: 'console.localhost', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        ca: readFileSync(rootCertPath),
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from console.localhost${path} within 60 s`)));
    req.on('error', reject);
    req.end();
  });
}
