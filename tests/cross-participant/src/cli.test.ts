/**
 * The `sandbox` command as a user runs it: child processes, a temporary sandbox folder and topology,
 * real servers. `up` is what `npm start` runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperatorAccess, SandboxClock, TraceBus, readTraceFile, repositoryRoot } from '@medmij-sandbox/network';
import { reservePorts, tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { openssl } from '@medmij-sandbox/pki/testing';
import { HopError, hop, listen, type RunningListener } from '@medmij-sandbox/transport';
import type { NetworkDescription } from '@medmij-sandbox/cli';
import { runCli, startCli, waitForOutput } from '@medmij-sandbox/test-support';

describe('sandbox topology', () => {
  it('checks the committed topology', async () => {
    const r = await runCli(['topology']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/topology\.yaml: valid \(afsprakenstelsel 2, seed 'medmij-sandbox', 8 participants, 6 gegevensdiensten\)/);
    expect(r.stdout).toContain('dekroon@medmij offers 48 (bgz), 49 (huisartsgegevens), 31 (medicatie)');
    // The same file in 1.5: the 1.x ids.
    const v15 = await runCli(['--afsprakenstelsel', '1.5', 'topology']);
    expect(v15.stdout).toMatch(/topology\.yaml: valid \(afsprakenstelsel 1\.5, seed 'medmij-sandbox', 8 participants, 4 gegevensdiensten\)/);
    expect(v15.stdout).toContain('dekroon@medmij offers 1 (bgz), 3 (medicatie), 4 (lab), 5 (vitale-functies)');
  });

  it('names file, line and field of a mistake, without a stack trace', async () => {
    const dir = tempDir();
    const { path } = await writeTestTopology(dir, { hold: false });
    writeFileSync(path, readFileSync(path, 'utf8').replace('zorgaanbiedernaam: dekroon@medmij', 'zorgaanbiedernaam: dekroon'));
    const r = await runCli(['topology', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^sandbox: invalid topology\\n${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: participants\\[3\\]\\.zorgaanbiedernaam: must be lowercase letters followed by '@medmij'`,
      ),
    );
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('sandbox operator', () => {
  it('without a console in the topology, says where the operator logs in instead of printing links to nowhere', async () => {
    const dir = tempDir();
    const { path } = await writeTestTopology(dir, { hold: false });
    mkdirSync(join(dir, '.sandbox'));
    const r = await runCli(['operator'], { SANDBOX_DIR: join(dir, '.sandbox'), SANDBOX_TOPOLOGY: path });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no console in .*topology\.yaml[\s\S]*add a participant with role 'console'/);
    expect(r.stdout).toBe('');
  });

  it('with demoAccounts: false, prints the demo accounts the login page hides (password, otpauth URI) to the operator', async () => {
    const dir = tempDir();
    const { path } = await writeTestTopology(dir, { hold: false, console: true });
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^(\s+)role: pgo$/m, '$1role: pgo\n$1demoAccounts: false'));
    mkdirSync(join(dir, '.sandbox'));
    const env = { SANDBOX_DIR: join(dir, '.sandbox'), SANDBOX_TOPOLOGY: path };
    const r = await runCli(['operator'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^accounts   \(demoAccounts: false/m);
    expect(r.stdout).toMatch(/^ +demo \/ sandbox {3}otpauth:\/\/totp\/[^?]+:demo\?issuer=[^&]+&secret=[A-Z2-7]{32}&algorithm=SHA1&digits=6&period=30$/m);
    // The secret is the one the PGO keeps (0600), not a new one on every call.
    expect((await runCli(['operator'], env)).stdout).toBe(r.stdout);
    expect(statSync(join(dir, '.sandbox', 'pgo', 'pgo', 'secrets.json')).mode & 0o777).toBe(0o600);
  });
});

describe('sandbox pki', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    const dir = tempDir();
    const { path } = await writeTestTopology(dir, { hold: false });
    env = { SANDBOX_DIR: join(dir, '.sandbox'), SANDBOX_TOPOLOGY: path };
  });

  it('tells how to start when there is no PKI yet', async () => {
    const r = await runCli(['pki', 'status'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no sandbox PKI in .*\n\s+create it with: npm run sandbox -- pki init/);
  });

  it('init, status, revoke by participant id, reissue', async () => {
    const init = await runCli(['pki', 'init'], env);
    expect(init.stdout).toMatch(/created the sandbox PKI .*\n.*root certificate: .*ca\/root\.pem\n13 participant certificates for 5 hostnames/);
    expect((await runCli(['pki', 'init'], env)).stderr).toMatch(/already exists[\s\S]*--force/);

    const status = await runCli(['pki', 'status'], env);
    expect(status.stdout).toMatch(/pgo\.localhost\s+client\s+[0-9A-F]+\s+valid\s+\d{4}-\d\d-\d\d\s+private-services/);

    const revoke = await runCli(['pki', 'revoke', 'pgo', '--cert', 'client'], env);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toMatch(/revoked client certificate of pgo\.localhost \(serial [0-9A-F]+, reason keyCompromise\)/);
    expect((await runCli(['pki', 'status', '--json'], env)).stdout).toContain('"state": "revoked"');

    const reissue = await runCli(['pki', 'reissue', 'pgo.localhost', '--cert', 'client'], env);
    expect(reissue.stdout).toMatch(/issued a new client certificate for pgo\.localhost/);
  });

  it("status judges every certificate on the network's sandbox clock, not on real time", async () => {
    // 400 days on: the 397-day leaf certificates have ended on the sandbox clock (the CAs have not).
    expect((await runCli(['init', '--shift', '400d'], env)).code).toBe(0);
    const status = await runCli(['pki', 'status'], env);
    expect(status.stdout).toMatch(/pgo\.localhost\s+client\s+[0-9A-F]+\s+expired\s/);
    expect(status.stdout).toMatch(/root\s+root\s+[0-9A-F]+\s+valid\s/);
    await runCli(['clock', 'reset'], env);
    expect((await runCli(['pki', 'status'], env)).stdout).toMatch(/pgo\.localhost\s+client\s+[0-9A-F]+\s+valid\s/);
  });

  it('lists commands say when the network is not running', async () => {
    const r = await runCli(['lists', 'show'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the stelselnode does not answer at https:\/\/stelselnode\.localhost:\d+\n\s+is the network running\? start it with: npm start/);
  });

  it('refuses bad input with a clear message', async () => {
    const unknown = await runCli(['pki', 'revoke', 'nobody'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/'nobody' is not a participant of the sandbox PKI\n\s+known hostnames: pki\.localhost, .*pgo\.localhost/);
    const kind = await runCli(['pki', 'revoke', 'pgo', '--cert', 'laptop'], env);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/--cert: unknown certificate kind 'laptop'/);
    const reason = await runCli(['pki', 'revoke', 'pgo', '--reason', 'boredom'], env);
    expect(reason.code).toBe(1);
    expect(reason.stderr).toMatch(/option '--reason <reason>' argument 'boredom' is invalid/);
  });
});

describe('sandbox up (npm start)', () => {
  let dir: string;
  let env: Record<string, string>;
  let up: ReturnType<typeof startCli>;
  let network: NetworkDescription;
  let mtls: RunningListener | undefined;

  beforeAll(async () => {
    dir = tempDir();
    // The network runs in a child process: the ports are released for it to bind.
    const { path } = await writeTestTopology(dir, { hold: false, console: true });
    env = { SANDBOX_DIR: join(dir, '.sandbox'), SANDBOX_TOPOLOGY: path };
    up = startCli(['up'], env);
    await waitForOutput(up, 'Ctrl-C stops the network.');
    network = JSON.parse(readFileSync(join(dir, '.sandbox', 'network.json'), 'utf8')) as NetworkDescription;
  });
  afterAll(async () => {
    await mtls?.close();
    if (up.exitCode === null) up.kill('SIGKILL');
  });

  it('creates the PKI, prints the participants and writes network.json', () => {
    const { stdout } = up.output();
    expect(stdout).toMatch(/MedMij Sandbox - NOT FOR PRODUCTION/);
    expect(stdout).toMatch(/pki\s+pki\s+MedMij Sandbox PKI\s+http:\/\/pki\.localhost:\d+\s+-\s+running/);
    expect(stdout).toMatch(/stelselnode\s+stelselnode\s+MedMij Stelselnode \(sandbox\)\s+-\s+https:\/\/stelselnode\.localhost:\d+\s+running/);
    expect(stdout).toMatch(/tvs\s+tvs\s+.*https:\/\/tvs\.localhost:\d+\s+https:\/\/tvs\.localhost:\d+\s+running/);
    expect(stdout).toMatch(/dekroon\s+dvza\s+Huisartsenpraktijk De Kroon\s+https:\/\/dekroon\.dvza\.localhost:\d+\s+https:\/\/dekroon\.dvza\.localhost:\d+/);
    expect(stdout).toMatch(/PKI\s+created /);
    expect(network.participants.map((p) => p.role)).toEqual(['pki', 'stelselnode', 'tvs', 'dvza', 'pgo', 'console']);
    expect(stdout).toMatch(/^console {4}https:\/\/console\.localhost:\d+ {3}\(the operator's console/m);
    const dekroon = network.participants.find((p) => p.id === 'dekroon')!;
    expect(dekroon).toMatchObject({ zorgaanbiedernaam: 'dekroon@medmij', gegevensdiensten: ['1', '4'] });
    expect(Object.keys(dekroon.certificates)).toEqual(['server', 'client', 'browser']);
    expect(readFileSync(dekroon.certificates.server!.cert, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(readFileSync(network.pki.rootCertificate, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('runs the TVS: its login front channel and discovery answer over HTTPS with the sandbox root', () => {
    const tvs = network.participants.find((p) => p.role === 'tvs')!;
    expect(tvs.running).toBe(true);
    const curl = spawnSync('curl', ['-sS', '--fail', '--cacert', network.pki.rootCertificate, `${tvs.urls.frontchannel}/.well-known/openid-configuration`], {
      encoding: 'utf8',
    });
    expect(curl.stderr).toBe('');
    expect(JSON.parse(curl.stdout)).toMatchObject({ issuer: tvs.urls.frontchannel, token_endpoint: `${tvs.urls.backchannel}/token` });
  });

  it('runs the DVZAs: a FHIR request without a token is refused with an OperationOutcome, and `audit` shows it', async () => {
    const dekroon = network.participants.find((p) => p.id === 'dekroon')!;
    const clock = new SandboxClock();
    const pki = SandboxPki.open(network.pki.dir, { clock });
    const r = await hop(`${dekroon.urls.backchannel}/fhir/Condition`, { from: 'pgo.localhost', pki, clock, headers: { 'x-correlation-id': 'audit-test' } });
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    const audit = await runCli(['audit', 'dekroon'], env);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/dekroon\.dvza\.localhost\s+fhir-search\s+refused\s+pgo\.localhost\s+-\s+-\s+GET \/fhir\/Condition; no access token/);
    const json = await runCli(['audit', '--json'], env);
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!)).toMatchObject({ action: 'fhir-search', outcome: 'refused', traceId: 'audit-test' });
    const unknown = await runCli(['audit', 'nosuch'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no DVZA 'nosuch' in the topology/);
  });

  it('serves the CRLs over HTTP', async () => {
    const res = await hop(`${network.pki.repositoryUrl}/crl/root.crl`, { from: 'test', clock: new SandboxClock() });
    expect(res.status).toBe(200);
    expect(openssl(['crl', '-inform', 'DER', '-noout', '-issuer'], res.body).out).toContain('MedMij Sandbox Root CA - NOT FOR PRODUCTION');
  });

  it('a revocation made by another process counts at the next handshake and in the served CRL', async () => {
    const clock = new SandboxClock();
    const bus = new TraceBus(clock);
    const pki = SandboxPki.open(network.pki.dir, { clock });
    const dekroon = network.participants.find((p) => p.id === 'dekroon')!;
    mtls = await listen({
      participant: { id: 'dekroon', hostname: dekroon.hostname },
      kind: 'backchannel',
      port: (await reservePorts(1))[0]!,
      pki,
      bus,
      clock,
      fetch: () => new Response('ok'),
    });
    expect((await hop(`${mtls.url}/`, { from: 'pgo.localhost', pki, bus, clock })).status).toBe(200);

    const revoke = await runCli(['pki', 'revoke', 'pgo', '--cert', 'client'], env);
    expect(revoke.code).toBe(0);
    const serial = /serial ([0-9A-F]+)/.exec(revoke.stdout)![1]!;

    await expect(hop(`${mtls.url}/`, { from: 'pgo.localhost', pki, bus, clock })).rejects.toBeInstanceOf(HopError);
    expect(bus.events((e) => e.side === 'server' && e.kind === 'tls').at(-1)!.tls).toMatchObject({ verdict: 'CERT_REVOKED', serial });

    const crl = await hop(`${network.pki.repositoryUrl}/crl/private-services.crl`, { from: 'test', clock });
    expect(openssl(['crl', '-inform', 'DER', '-noout', '-text'], crl.body).out).toContain(`Serial Number: ${serial}`);
  });

  it('serves the four lists: curl with the sandbox root fetches them and xmllint --schema accepts them', async () => {
    const stelselnode = network.participants.find((p) => p.role === 'stelselnode')!;
    expect(stelselnode.running).toBe(true);
    for (const kind of ['Zorgaanbiederslijst', 'OAuthclientlist', 'Whitelist', 'Gegevensdienstnamenlijst']) {
      const file = join(dir, `MedMij_${kind}.xml`);
      // curl resolves *.localhost to the loopback address by itself
      const curl = spawnSync(
        'curl',
        ['-sS', '--fail', '--cacert', network.pki.rootCertificate, '-o', file, `${stelselnode.urls.backchannel}/MedMij_${kind}.xml?api=2`],
        { encoding: 'utf8' },
      );
      expect(curl.stderr).toBe('');
      // The Zorgaanbiederslijst needs the sandbox variant here: front channels on ports other than 443.
      const variant = kind === 'Zorgaanbiederslijst' ? 'sandbox' : 'official';
      const xmllint = spawnSync('xmllint', ['--noout', '--schema', join(repositoryRoot(), 'packages', 'lists', 'xsd', variant, `MedMij_${kind}.xsd`), file], {
        encoding: 'utf8',
      });
      expect(xmllint.stderr.trim()).toBe(`${file} validates`);
    }
  });

  it('lists show / remove / fault: the CLI changes the running stelselnode', async () => {
    const show = await runCli(['lists', 'show'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/Zorgaanbiederslijst\s+1\s+\S+Z\s+1 zorgaanbieders\s+valid \(sandbox schema: front-channel ports\)/);
    expect(show.stdout).toMatch(/Whitelist\s+1\s+\S+Z\s+4 nodes\s+valid \(official schema\)/);
    // --strict: front channels on ports other than 443 fail the official Zorgaanbiederslijst schema (compose passes it).
    const strict = await runCli(['lists', 'show', '--strict'], env);
    expect([strict.code, strict.stderr]).toEqual([1, expect.stringContaining('1 of 4 list(s) not valid against the official MedMij schemas')]);
    expect(strict.stdout).toMatch(/Zorgaanbiederslijst\s+-\s+-\s+-\s+INVALID \(official schema\): /);
    expect(strict.stdout).toMatch(/Whitelist\s+1\s+\S+Z\s+4 nodes\s+valid \(official schema\)/);
    const remove = await runCli(['lists', 'remove', 'dekroon'], env);
    expect(remove.stdout).toMatch(/removed dvza dekroon \(dekroon\.dvza\.localhost\) from the lists\npublished Zorgaanbiederslijst Volgnummer 2/);
    expect((await runCli(['lists', 'show', 'zorgaanbiederslijst'], env)).stdout).toMatch(/Zorgaanbiederslijst\s+2\s+\S+Z\s+0 zorgaanbieders/);
    const fault = await runCli(['lists', 'fault', 'whitelist', 'gremlins'], env);
    expect(fault.code).toBe(1);
    expect(fault.stderr).toMatch(
      /sandbox: stelselnode: unknown fault 'gremlins'\n\s+faults: malformed, schema-invalid, unavailable, bad-signature, future-dated, none/,
    );
    const reset = await runCli(['lists', 'reset'], env);
    expect(reset.code).toBe(0);
    // What was reset where: the lists at the stelselnode, and the consumers (by hostname) that forget what they hold.
    expect(reset.stdout).toMatch(/^reset: every participant listed, no faults, publishing$/m);
    expect(reset.stdout).toMatch(
      /^reset 1: every list consumer forgets the lists and Volgnummers it holds at its next fetch here \(told at once; whoever was not told polls within 30 s of sandbox time\): .*\bpgo\.localhost\b/m,
    );
  });

  it("the console's API: only for the operator; runs a scenario on a separate fresh network, and resets the live network; the PGO has none of it", async () => {
    const pgo = network.participants.find((p) => p.role === 'pgo')!;
    const sandboxConsole = network.participants.find((p) => p.role === 'console')!;
    const clock = new SandboxClock();
    const pki = SandboxPki.open(network.pki.dir, { clock });
    let cookie = '';
    let authorization = '';
    const visit = async (base: string, path: string, json?: unknown) => {
      const r = await hop(path.startsWith('https://') ? path : `${base}${path}`, {
        from: 'browser',
        clientCertificate: false,
        expectServerCertificate: 'browser',
        method: json === undefined ? 'GET' : 'POST',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(authorization ? { authorization } : {}),
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        pki,
        clock,
        // A scenario run on its own fresh network: minutes on a busy machine (a safety net, not a target).
        timeoutMs: 300_000,
      });
      if (r.headers['set-cookie']) cookie = String(r.headers['set-cookie']).split(';')[0]!;
      return r;
    };
    const browser = (path: string, json?: unknown) => visit(sandboxConsole.urls.frontchannel!, path, json);
    const atPgo = (path: string, json?: unknown) => visit(pgo.urls.frontchannel!, path, json);
    const operatorPaths = ['/api/trace?since=0', '/api/trace/stream', '/api/trace/export?format=json', '/api/scenarios'];
    // A real PGO has no network trace, scenarios or resets: not even for a logged-in user, nor with an operator token.
    const session = (await atPgo('/api/session')).json<{ demoTotp: Record<string, { code: string }>; consoleUrl?: string }>();
    expect(session.consoleUrl).toBe(sandboxConsole.urls.frontchannel);
    expect((await atPgo('/api/login', { username: 'trainer', password: 'sandbox', totp: session.demoTotp.trainer!.code })).status).toBe(200);
    const tokens = new OperatorAccess(join(dir, '.sandbox', 'operator.json')).tokens();
    for (const bearer of [undefined, tokens.trainer]) {
      authorization = bearer ? `Bearer ${bearer}` : '';
      for (const path of [...operatorPaths, '/api/operator']) expect((await atPgo(path)).status, `PGO ${path}`).toBe(404);
      expect((await atPgo('/api/sandbox/reset', {})).status, 'PGO reset').toBe(404);
      expect((await atPgo('/api/scenarios/patient-under-16/run', {})).status, 'PGO run').toBe(404);
      expect((await atPgo('/api/operator/login', { token: tokens.trainer })).status, 'PGO operator login').toBe(404);
    }
    authorization = '';
    cookie = '';
    // The console without the operator credential: refused, and told where the link is.
    for (const path of operatorPaths) {
      const refused = await browser(path);
      expect(refused.status, path).toBe(401);
      expect(refused.json(), path).toMatchObject({ error: 'operator_required', message: { en: expect.stringContaining('npm run sandbox -- operator') } });
    }
    expect((await browser('/api/sandbox/reset', {})).status).toBe(401);
    expect((await browser('/api/scenarios/patient-under-16/run', {})).status).toBe(401);
    expect((await browser('/api/operator')).json()).toEqual({ role: null, pgos: [] });
    // `npm start` printed a login link per role; `sandbox operator` prints them again. The tokens are kept 0600.
    const links = await runCli(['operator'], env);
    expect(links.code).toBe(0);
    expect(up.output().stdout).toContain(links.stdout.split('\n')[0]!.trim());
    // The token is in the link's fragment (never sent to a server); the login page's script posts it.
    const viewerLink = /viewer +(https:\S+)/.exec(links.stdout)![1]!;
    expect(viewerLink).toMatch(/^https:\S+\/operator\/login#token=[0-9a-f]{64}$/);
    const viewerToken = viewerLink.split('#token=')[1]!;
    const trainerToken = /trainer +https:\S+#token=([0-9a-f]{64})/.exec(links.stdout)![1]!;
    expect(statSync(join(dir, '.sandbox', 'operator.json')).mode & 0o777).toBe(0o600);
    expect((await browser(viewerLink.split('#')[0]!)).status).toBe(200);
    // A token one digit off opens nothing.
    expect((await browser('/api/operator/login', { token: `${viewerToken.slice(0, -1)}${viewerToken.endsWith('0') ? '1' : '0'}` })).status).toBe(401);
    const login = await browser('/api/operator/login', { token: viewerToken });
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/^__Host-console_operator=[0-9a-f]{48}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect((await browser('/api/operator')).json()).toEqual({ role: 'viewer', pgos: [{ name: 'MedMij Sandbox PGO', url: pgo.urls.frontchannel }] });
    expect((await browser('/api/trace?since=0')).status).toBe(200);
    // The viewer sees, the trainer acts.
    expect((await browser('/api/scenarios/patient-under-16/run', {})).json()).toMatchObject({ error: 'trainer_required' });
    cookie = '';
    // A bare token is no authorization: the Bearer scheme only (RFC 6750).
    authorization = trainerToken;
    expect((await browser('/api/scenarios')).status).toBe(401);
    authorization = `Bearer ${trainerToken}`;
    const list = (await browser('/api/scenarios')).json<{ scenarios: Array<{ name: string }> }>();
    expect(list.scenarios.map((s) => s.name)).toContain('patient-under-16');
    const run = (await browser('/api/scenarios/patient-under-16/run', {})).json<{
      ok: boolean;
      checks: Array<{ ok: boolean; seq?: number }>;
      events: Array<{ seq: number }>;
    }>();
    expect(run.ok).toBe(true);
    expect(run.checks.every((c) => c.ok)).toBe(true);
    expect(run.events.length).toBeGreaterThan(10);

    expect((await runCli(['pki', 'revoke', 'dekroon', '--cert', 'server'], env)).code).toBe(0);
    const reset = (await browser('/api/sandbox/reset', {})).json<{ done: Array<{ nl: string; en: string }> }>();
    expect(reset.done).toEqual(
      expect.arrayContaining([
        {
          en: 'reissued the server certificate of dekroon.dvza.localhost (was revoked)',
          nl: 'server-certificaat van dekroon.dvza.localhost opnieuw uitgegeven (het was ingetrokken)',
        },
        { en: 'sandbox clock back to real time', nl: 'sandboxklok terug naar de echte tijd' },
      ]),
    );
    // The stelselnode's own sentences too, said again in Dutch from their catalogue ids.
    expect(reset.done.filter((d) => d.en.startsWith('lists: ')).length).toBeGreaterThan(0);
    expect(reset.done.filter((d) => d.en.startsWith('lists: ')).every((d) => d.nl.startsWith('lijsten: ') && d.nl !== `lijsten: ${d.en.slice(7)}`)).toBe(true);
  });

  it('stops cleanly on Ctrl-C, leaving a trace of what it served', async () => {
    const closed = new Promise<number | null>((resolve) => up.on('close', resolve));
    up.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(up.output().stdout).toMatch(/SIGINT: stopping the network\.\.\.\nstopped\./);
    const trace = readTraceFile(join(dir, '.sandbox', 'trace', 'trace.jsonl'));
    expect(trace.some((e) => e.kind === 'http' && e.url === '/crl/root.crl' && e.to === 'pki.localhost' && e.status === 200)).toBe(true);
    expect(trace.some((e) => e.kind === 'decision' && e.reason === 'PKI: created the sandbox PKI')).toBe(true);
    // the revocation made from another terminal was reported by the running network
    expect(
      trace.some(
        (e) =>
          e.kind === 'decision' && /^PKI: revoked the client certificate of pgo\.localhost \(serial [0-9A-F]+, reason keyCompromise\)$/.test(e.reason ?? ''),
      ),
    ).toBe(true);
  });

  it('reuses the PKI on the next start, and refuses a port in use with a clear message', async () => {
    const blocker = await listen({
      participant: { id: 'x', hostname: 'pki.localhost' },
      kind: 'http',
      port: Number(new URL(network.pki.repositoryUrl).port),
      bus: new TraceBus(new SandboxClock()),
      clock: new SandboxClock(),
      fetch: () => new Response(''),
    });
    try {
      const r = await runCli(['up'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/port \d+ \(pki http\) is already in use: is the sandbox already running\?/);
    } finally {
      await blocker.close();
    }
    const badClock = await runCli(['up', '--shift', 'a while'], env);
    expect(badClock.code).toBe(1);
    expect(badClock.stderr).toMatch(/--shift: invalid duration 'a while': use a number with a unit/);

    const again = startCli(['up', '--quiet', '--freeze', '2026-01-01T09:00:00Z'], env);
    await waitForOutput(again, 'Ctrl-C stops the network.');
    expect(again.output().stdout).toMatch(/PKI\s+reused /);
    expect(again.output().stdout).toContain('clock: frozen at 2026-01-01T09:00:00.000Z');
    const description = JSON.parse(readFileSync(join(dir, '.sandbox', 'network.json'), 'utf8')) as NetworkDescription;
    expect(description.clock).toEqual({ mode: 'frozen', at: '2026-01-01T09:00:00.000Z' });
    const closed = new Promise<number | null>((resolve) => again.on('close', resolve));
    again.kill('SIGTERM');
    expect(await closed).toBe(0);
  });
});
