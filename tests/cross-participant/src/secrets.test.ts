/**
 * Secrets are random, data is seeded (issue 16). Two networks started from the same (public, committed) seed on
 * the same frozen sandbox clock behave the same and hold the same data — and hand out different codes, states,
 * flow and login-session ids, PGO session ids and TOTP secrets. Before, every one of these followed from the seed
 * and the start time: a proof of concept predicted another user's next session id on the first guess.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus, defaultTopologyPath, participantsByRole, repositoryRoot, sandboxPaths, type TraceEvent } from '@medmij-sandbox/network';
import { tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { SandboxPki, hostSpecs } from '@medmij-sandbox/pki';
import { hop, type RunningListener } from '@medmij-sandbox/transport';
import { goldenTrace, loadCatalogue } from '@medmij-sandbox/scenario';
import { runScenarios } from '@medmij-sandbox/cli';
import { startStelselnode } from '@medmij-sandbox/stelselnode';
import { startPgo } from '@medmij-sandbox/pgo';
import type { SessionInfo } from '@medmij-sandbox/pgo-api';

/** The secrets that travel in URLs: authorization and TVS codes, OAuth states, DVZA flow ids, TVS login sessions. */
const SECRET_PARAMETERS = ['code', 'state', 'flow', 'session'] as const;

function secretsIn(events: readonly TraceEvent[]): Record<(typeof SECRET_PARAMETERS)[number], Set<string>> {
  const found = Object.fromEntries(SECRET_PARAMETERS.map((p) => [p, new Set<string>()])) as Record<(typeof SECRET_PARAMETERS)[number], Set<string>>;
  for (const e of events) {
    // FHIR searches have a `code` parameter too (a SNOMED or LOINC code): data, the same in every run.
    if (!e.url || e.url.includes('/fhir/')) continue;
    const query = new URL(e.url, 'https://x').searchParams;
    for (const p of SECRET_PARAMETERS) {
      const value = query.get(p);
      if (value) found[p].add(value);
    }
  }
  return found;
}

describe('secrets are random, data is seeded', () => {
  const catalogue = loadCatalogue(join(repositoryRoot(), 'scenarios')).filter((s) => s.name === 'happy-path-bgz');

  for (const afsprakenstelsel of ['2', '1.5'] as const) {
    it(`two networks with the same seed and clock: the same hops and data, other codes, states, flow and session ids (${afsprakenstelsel})`, async () => {
      const run = async () => {
        const [r] = await runScenarios({
          scenarios: catalogue,
          topologyPath: defaultTopologyPath(),
          workDir: tempDir('secrets-'),
          afsprakenstelsel,
          print: () => {},
        });
        expect(r?.ok, r?.error ?? r?.log.map((l) => l.en).join('\n')).toBe(true);
        return r!.events;
      };
      const [a, b] = [await run(), await run()];
      // The same behaviour: the golden traces (with secrets, times and ports masked) are identical.
      expect(goldenTrace(b)).toEqual(goldenTrace(a));
      // The same data: the same FHIR requests, answered the same way, for the same seeded patient.
      const fhir = (events: readonly TraceEvent[]) => events.filter((e) => e.kind === 'http' && e.url?.includes('/fhir/')).map((e) => `${e.url} ${e.status}`);
      expect(fhir(b)).toEqual(fhir(a));
      expect(fhir(a).length).toBeGreaterThan(0);
      // Other secrets: not one value of the first network's comes back in the second.
      const [first, second] = [secretsIn(a), secretsIn(b)];
      for (const p of SECRET_PARAMETERS) {
        expect(first[p].size, `no ${p} in the first run's trace`).toBeGreaterThan(0);
        expect(
          [...second[p]].filter((v) => first[p].has(v)),
          `${p} repeated across networks`,
        ).toEqual([]);
      }
    });
  }

  it('two PGOs from the same seed at the same sandbox time: other session cookies and TOTP codes, the TOTP secrets kept 0600', async () => {
    const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
    const listeners: RunningListener[] = [];
    const start = async () => {
      const dir = tempDir('secrets-pgo-');
      const { topology } = await writeTestTopology(dir, { seed: 'the-same-seed', referenceDate: '2026-06-01' });
      const pki = await SandboxPki.init(join(dir, 'pki'), { repositoryUrl: 'http://pki.localhost:8700', hosts: hostSpecs(topology), clock });
      const ctx = { topology, pki, clock, bus: new TraceBus(clock), paths: sandboxPaths(dir) };
      listeners.push(...(await startStelselnode({ ...ctx, participant: participantsByRole(topology, 'stelselnode')[0]! })));
      const pgo = participantsByRole(topology, 'pgo')[0]!;
      listeners.push(...(await startPgo({ ...ctx, participant: pgo })));
      const url = listeners.at(-1)!.url;
      const browser = (path: string, json?: unknown) =>
        hop(`${url}${path}`, {
          from: 'browser',
          clientCertificate: false,
          expectServerCertificate: 'browser',
          method: json === undefined ? 'GET' : 'POST',
          headers: json === undefined ? {} : { 'content-type': 'application/json', origin: url },
          body: json === undefined ? undefined : JSON.stringify(json),
          pki,
          clock,
        });
      const totp = (await browser('/api/session')).json<SessionInfo>().demoTotp.demo!.code;
      const login = await browser('/api/login', { username: 'demo', password: 'sandbox', totp });
      expect(login.status).toBe(200);
      return { totp, cookie: String(login.headers['set-cookie']).split(';')[0]!, secretsFile: ctx.paths.pgoSecrets(pgo.id) };
    };
    try {
      const [a, b] = [await start(), await start()];
      expect(a.cookie).toMatch(/^pgo_session=[0-9a-f]{48}$/);
      expect(b.cookie).not.toBe(a.cookie);
      // The TOTP secrets: before, the same seed gave the same secret (and code) every time.
      const secrets = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { secrets: Record<string, string> }).secrets;
      expect(secrets(a.secretsFile).demo).toMatch(/^[0-9a-f]{40}$/);
      expect(secrets(b.secretsFile).demo).not.toBe(secrets(a.secretsFile).demo);
      expect(a.totp).toMatch(/^\d{6}$/);
      expect(statSync(a.secretsFile).mode & 0o777).toBe(0o600);
    } finally {
      await Promise.all(listeners.map((l) => l.close()));
    }
  });
});
