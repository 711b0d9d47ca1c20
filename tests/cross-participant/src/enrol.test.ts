/**
 * Bring your own participant, as an integration team does it: the network runs (`npm start`), the team
 * enrols its PGO (or DVZA), runs it, and checks it with `scenario run --target`. The team's participant here
 * is a second copy of the reference PGO (and DVZA), run as an outside participant: its own process, its own
 * trace file and clock, nothing shared with the network but the PKI folder and HTTPS.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock, hostTable, loadTopology, readTraceFile, sandboxPaths } from '@medmij-sandbox/network';
import { HeadlessBrowser, walkThroughFlow } from '@medmij-sandbox/scenario';
import { freePort, tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { SandboxPki } from '@medmij-sandbox/pki';
import { openssl } from '@medmij-sandbox/pki/testing';
import { readEnrolments } from '@medmij-sandbox/lists';
import { pgoApiClient } from '@medmij-sandbox/pgo-api';
import { runCli, startCli, waitForOutput } from '@medmij-sandbox/test-support';

describe('sandbox enrol and scenario run --target (bring your own participant)', () => {
  const dir = tempDir('sandbox-byo-');
  const sandboxDir = join(dir, '.sandbox');
  const paths = sandboxPaths(sandboxDir);
  const realTime = new SandboxClock();
  let args: string[];
  const children: ReturnType<typeof startCli>[] = [];
  const start = async (extra: string[], ready: string) => {
    const child = startCli([...args, ...extra]);
    children.push(child);
    await waitForOutput(child, ready);
    return child;
  };
  const cli = (extra: string[]) => runCli([...args, ...extra]);
  let webPort: number;

  beforeAll(async () => {
    // The network runs in a child process: the ports are released for it to bind.
    const { path } = await writeDefaultTopologyOnFreePorts(dir, { hold: false });
    args = ['--dir', sandboxDir, '--topology', path];
    await start(['up', '--quiet'], 'Ctrl-C stops the network');
    webPort = await freePort();
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.once('close', r), c.kill('SIGTERM'))))));
  });

  it('enrols a PGO: certificates, the lists of the running stelselnode, and what to configure', async () => {
    const r = await cli(['enrol', 'pgo', 'teampgo.localhost', '--name', 'Team PGO', '--web-url', `https://teampgo.localhost:${webPort}`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Enrolled PGO teampgo.localhost (Team PGO)');
    expect(r.stdout).toMatch(/certificate .*hosts\/teampgo\.localhost\/client\.pem\n\s+chain .*client-chain\.pem\n\s+key .*client\.key/);
    expect(r.stdout).toMatch(/OAuthclientlist\s+https:\/\/stelselnode\.localhost:\d+\/MedMij_OAuthclientlist\.xml/);
    expect(r.stdout).toContain('client_id     teampgo.localhost');
    expect(r.stdout).toMatch(/stelselnode: published OAuthclientlist Volgnummer 2 \(enrolments changed\)\nstelselnode: published Whitelist Volgnummer 2/);
    // What to configure is afsprakenstelsel 2's, the network's (SPEC §10).
    expect(r.stdout).toContain("Afsprakenstelsel 2 (the topology's): what follows is what a participant of that version configures.");
    expect(r.stdout).not.toContain('warning: the running stelselnode');
    expect(r.stdout).toContain('scope         the Zorgaanbiedernaam without @medmij and nothing else, e.g. scope=dekroon (not dekroon~48)');
    expect(r.stdout).toMatch(/the person chooses the gegevensdiensten on the DVZA's consent page.*\n.*may tick long-lived consent/);
    expect(r.stdout).toMatch(
      /scope = the granted GegevensdienstIds, space\n\s+separated \(e\.g\. "48 49": fetch those\), and a refresh_token only when the person ticked long-lived consent/,
    );
    expect(r.stdout).toContain('grant_type=refresh_token&refresh_token=…&client_id=teampgo.localhost');
    expect(r.stdout).toContain('MedMij-Request-ID (a new UUID per request) and X-Correlation-ID');
    expect(r.stdout).toContain('with both MedMij headers: without them /oauth/token answers invalid_request');
    expect(r.stdout).toContain('Accept: application/fhir+json; fhirVersion=3.0');
    expect(r.stdout).not.toContain('dekroon~1');
    // The five lists of 2, each with its namespace; public, so no client certificate.
    const lists: Array<[string, string]> = [
      ['Zorgaanbiederslijst', 'zorgaanbiederslijst/release3/'],
      ['Zorgaanbiederskoppellijst', 'Zorgaanbiederskoppellijst/release1/'],
      ['OAuthclientlist', 'oauthclientlist/release3/'],
      ['Whitelist', 'whitelist/release2/'],
      ['Gegevensdienstnamenlijst', 'gegevensdienstnamenlijst/release1/'],
    ];
    for (const [kind, namespace] of lists) {
      expect(r.stdout).toMatch(
        new RegExp(`\\n  ${kind} +https://stelselnode\\.localhost:\\d+/MedMij_${kind}\\.xml\\?api=2\\n +xmlns://afsprakenstelsel\\.medmij\\.nl/${namespace} `),
      );
    }
    // network.json, which tools read, names the same five.
    const described = JSON.parse(readFileSync(join(sandboxDir, 'network.json'), 'utf8')) as {
      participants: Array<{ id: string; lists?: Record<string, string> }>;
    };
    expect(Object.keys(described.participants.find((p) => p.id === 'stelselnode')!.lists!)).toEqual(lists.map(([kind]) => kind));
    expect(r.stdout).toContain('Lists of afsprakenstelsel 2 (public: one-sided TLS, no client certificate');
    expect(r.stdout).not.toMatch(/lists.*with your client certificate|and the stelselnode:/);
    expect(r.stdout).toContain('undici Agent `connect: { lookup }`');
    // Every command it prints works on this sandbox folder and topology as it is pasted.
    const sandbox = `npm run sandbox -- --dir ${sandboxDir} --topology ${args[3]}`;
    expect(r.stdout).toContain(`(browsers: ${sandbox} trust)`);
    expect(r.stdout).toContain(
      `  ${sandbox} scenario run --live --target teampgo.localhost --all --report ${join(sandboxDir, 'reports', 'teampgo.localhost')}\n`,
    );
    expect(r.stdout.match(/npm run sandbox -- /g)).toHaveLength(r.stdout.split(`${sandbox} `).length - 1);
    // The certificate is a real one of the sandbox PKI, for the client role.
    const pki = SandboxPki.open(paths.pki, { clock: realTime });
    const verify = openssl([
      'verify',
      '-CAfile',
      pki.rootCertPath,
      '-untrusted',
      pki.path('ca/private-services.pem'),
      pki.path('hosts/teampgo.localhost/client.pem'),
    ]);
    expect(verify.out).toContain(': OK');
    // The published OAuthclientlist names it: fetched as any participant would.
    const show = await cli(['lists', 'show', 'OAuthclientlist', '--xml']);
    expect(show.stdout).toMatch(/<Hostname>teampgo\.localhost<\/Hostname>\s*<OAuthclientOrganisatienaam>Team PGO<\/OAuthclientOrganisatienaam>/);
  });

  it('prints the configuration of the afsprakenstelsel it is given: --afsprakenstelsel 1.5', async () => {
    const r = await cli(['--afsprakenstelsel', '1.5', 'enrol', 'pgo', 'oldpgo.localhost', '--name', 'Old PGO']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Afsprakenstelsel 1.5 (from --afsprakenstelsel / SANDBOX_AFSPRAKENSTELSEL)');
    // The running network speaks 2: said, since a participant configured for 1.5 would fail in it.
    expect(r.stdout).toContain('warning: the running stelselnode publishes the lists of afsprakenstelsel 2, so the network speaks 2, not 1.5');
    expect(r.stdout).toContain('scope         <zorgaanbiedernaam without @medmij>~<gegevensdienst id>, e.g. dekroon~1');
    expect(r.stdout).not.toMatch(/refresh_token|Zorgaanbiederskoppellijst|\?api=/);
    expect(r.stdout).toMatch(
      /\n  OAuthclientlist +https:\/\/stelselnode\.localhost:\d+\/MedMij_OAuthclientlist\.xml\n +xmlns:\/\/afsprakenstelsel\.medmij\.nl\/oauthclientlist\/release2\//,
    );
    // The printed commands repeat the afsprakenstelsel, too.
    expect(r.stdout).toContain(
      `npm run sandbox -- --dir ${sandboxDir} --topology ${args[3]} --afsprakenstelsel 1.5 scenario run --live --target oldpgo.localhost`,
    );
    expect(r.stdout).toContain(
      '(no --web-url: a person drives it, told before each scenario what to do; in CI, where your own automation does it, add --unattended)',
    );
    expect((await cli(['enrol', 'remove', 'oldpgo.localhost'])).code).toBe(0);
  });

  it('refuses what MedMij would refuse, naming the field', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['enrol', 'pgo', 'TeamPGO.example.com'], /hostname 'TeamPGO\.example\.com' must be a lowercase hostname/],
      [['enrol', 'pgo', 'team.example.com'], /must end in \.localhost or \.test/],
      [['enrol', 'pgo', 'pgo.localhost'], /pgo\.localhost is the topology's own pgo 'pgo': enrol a hostname of your own/],
      [['enrol', 'pgo', 'x.localhost', '--name', 'ab'], /--name 'ab' must be at least 3 characters/],
      [['enrol', 'pgo', 'x.localhost', '--web-url', 'https://other.localhost:9000'], /--web-url .* must be https on x\.localhost/],
      [['enrol', 'dvza', 'Team@medmij'], /zorgaanbiedernaam 'Team@medmij' must be lowercase letters followed by '@medmij' \(the Zorgaanbiederslijst pattern/],
      [
        [
          'enrol',
          'dvza',
          'teamzorg@medmij',
          '--authorize-url',
          'https://a.localhost/oauth/authorize',
          '--token-url',
          'https://b.localhost/oauth/token',
          '--fhir-url',
          'https://b.localhost/fhir',
          '--gegevensdienst',
          'bgz',
        ],
        /--authorize-url is on a\.localhost, but --token-url on b\.localhost/,
      ],
      [
        [
          'enrol',
          'dvza',
          'teamzorg@medmij',
          '--authorize-url',
          'http://b.localhost/oauth/authorize',
          '--token-url',
          'https://b.localhost/oauth/token',
          '--fhir-url',
          'https://b.localhost/fhir',
          '--gegevensdienst',
          'bgz',
        ],
        /--authorize-url: 'http:\/\/b\.localhost\/oauth\/authorize' must be https/,
      ],
      [
        [
          'enrol',
          'dvza',
          'teamzorg@medmij',
          '--authorize-url',
          'https://b.localhost/oauth/authorize',
          '--token-url',
          'https://b.localhost/oauth/token',
          '--fhir-url',
          'https://b.localhost/fhir',
          '--gegevensdienst',
          '9',
        ],
        /--gegevensdienst 9 is not on the Gegevensdienstnamenlijst/,
      ],
      [
        [
          'enrol',
          'dvza',
          'dekroon@medmij',
          '--authorize-url',
          'https://b.localhost/oauth/authorize',
          '--token-url',
          'https://b.localhost/oauth/token',
          '--fhir-url',
          'https://b.localhost/fhir',
          '--gegevensdienst',
          'bgz',
        ],
        /dekroon@medmij is a DVZA of the topology/,
      ],
      [['enrol', 'pgo', 'x.localhost', '--csr', join(dir, 'missing.csr')], /--csr: cannot read .*missing\.csr: ENOENT/],
      [['enrol', 'pgo', 'team.test'], /team\.test is not a \*\.localhost name: say where the sandbox reaches it with --address <ipv4>/],
      [['enrol', 'pgo', 'team.test', '--address', '300.1.2.3'], /--address '300\.1\.2\.3' is not an IPv4 address/],
    ];
    for (const [extra, message] of cases) {
      const r = await cli(extra);
      expect([r.code, r.stderr], extra.join(' ')).toEqual([1, expect.stringMatching(message)]);
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    // Nothing of the refused ones was written.
    expect(readEnrolments(paths.enrolments).map((e) => e.role)).toEqual(['pgo']);
  });

  it("signs a team's CSR: the team keeps its key, the certificate carries the sandbox chain", async () => {
    const key = join(dir, 'team.key');
    const csr = join(dir, 'team.csr');
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=csrpgo.localhost/O=Team CSR']);
    const r = await cli(['enrol', 'pgo', 'csrpgo.localhost', '--name', 'Team CSR', '--csr', csr, '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { certificates: Record<string, { cert: string; key?: string }> };
    expect(out.certificates.client!.key).toBeUndefined();
    expect(existsSync(out.certificates.browser!.key!)).toBe(true); // the kinds without a CSR are issued as usual
    const modulus = (args: string[]) => openssl(args).out.trim();
    expect(modulus(['x509', '-noout', '-modulus', '-in', out.certificates.client!.cert])).toBe(modulus(['rsa', '-noout', '-modulus', '-in', key]));
    const text = openssl(['x509', '-noout', '-text', '-in', out.certificates.client!.cert]).out;
    expect(text).toContain('TLS Web Client Authentication');
    expect(text).toContain('DNS:csrpgo.localhost');
    writeFileSync(join(dir, 'bad.csr'), '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n');
    const bad = await cli(['enrol', 'pgo', 'badcsr.localhost', '--csr', join(dir, 'bad.csr')]);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('not a PEM certificate signing request')]);
    const removed = await cli(['enrol', 'remove', 'csrpgo.localhost']);
    expect(removed.stdout).toMatch(
      /removed pgo csrpgo\.localhost from the enrolments\nrevoked 3 certificate\(s\) of csrpgo\.localhost \(cessationOfOperation\)/,
    );
  });

  it('checks a second copy of the reference PGO, run as an outside participant, and reports the spec rules it met', async () => {
    await start(['run', 'teampgo.localhost'], `teampgo.localhost (the reference PGO as an enrolled participant) ready: https://teampgo.localhost:${webPort}`);
    const report = join(dir, 'report-pgo');
    const r = await cli(['scenario', 'run', '--target', 'teampgo.localhost', '--all', '--report', report]);
    expect(r.stderr).toBe('');
    // Every scenario that can judge a PGO from outside, in afsprakenstelsel 2: all of them met.
    const [, met] = /Spec rules met by teampgo\.localhost: (\d+) of \1\n/.exec(r.stdout) ?? [];
    expect(Number(met)).toBeGreaterThanOrEqual(9);
    expect(r.stdout).toMatch(
      /met {6}SPEC §4 two-sided TLS with PKIoverheid certificates; revocation \(sandbox CRLs\) {3}\(dvza-server-certificate-revoked; 4 checks, 1 not observable from outside\)/,
    );
    expect(r.stdout).toContain('– not observable: decision by pgo (refused)');
    expect(r.stdout).toContain('✓ PGO shows: refused list_expired at lists (its own account)');
    expect(r.code).toBe(0);
    const conformance = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
      target: string;
      rows: Array<{ scenario: string; verdict: string }>;
    };
    expect(conformance.target).toBe('teampgo.localhost');
    expect(conformance.rows.map((row) => row.scenario)).toEqual(
      expect.arrayContaining(['happy-path-bgz', 'dvza-server-certificate-revoked', 'zorgaanbiederslijst-expired']),
    );
    expect(conformance.rows.every((row) => row.verdict === 'met')).toBe(true);
    expect(conformance.rows).toHaveLength(Number(met));
    expect(readFileSync(join(report, 'report.html'), 'utf8')).toContain('Spec rules met by teampgo.localhost');
    // It really was outside: the network's trace saw its hops, but it reported nothing there itself.
    const network = readTraceFile(join(sandboxDir, 'trace', 'trace.jsonl'));
    expect(network.some((e) => e.kind === 'http' && e.from === 'teampgo.localhost' && e.url?.endsWith('/oauth/token'))).toBe(true);
    expect(network.filter((e) => e.reportedBy === 'teampgo.localhost')).toEqual([]);
    expect(readTraceFile(join(sandboxDir, 'external', 'teampgo.localhost', 'trace.jsonl')).some((e) => e.reportedBy === 'teampgo.localhost')).toBe(true);
  });

  it('reaches a participant outside *.localhost at the address it enrolled with', async () => {
    const port = await freePort();
    const e = await cli(['enrol', 'pgo', 'teamtest.test', '--name', 'Team Test', '--address', '127.0.0.1', '--web-url', `https://teamtest.test:${port}`]);
    expect(e.stdout).toContain('the sandbox reaches teamtest.test at 127.0.0.1');
    await start(['run', 'teamtest.test'], `teamtest.test (the reference PGO as an enrolled participant) ready: https://teamtest.test:${port}`);
    const r = await cli(['scenario', 'run', '--target', 'teamtest.test', 'happy-path-bgz']);
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('Spec rules met by teamtest.test: 1 of 1')]);
    const removed = await cli(['enrol', 'remove', 'teamtest.test']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(readFileSync(join(sandboxDir, 'hosts.json'), 'utf8'))).toEqual({});
  });

  /**
   * The person at teampgo's screen (or its own automation, in CI): does what the runner's last instruction says,
   * through the PGO's own screens (here the copy's API, which its UI calls) and a browser through DigiD.
   */
  const driveTeamPgo = async (child: ReturnType<typeof startCli>) => {
    const said = child.output().stdout.split('>>> ').at(-1)!;
    const naam = /\(([a-z]+@medmij)\)\./.exec(said)![1]!;
    const bsn = /choose BSN (\d{9})/.exec(said)![1]!;
    const topology = loadTopology(args[3]!);
    const pki = SandboxPki.open(paths.pki, { clock: realTime });
    const browser = new HeadlessBrowser({ pki, clock: realTime, hosts: hostTable(topology, { hostsFile: paths.hosts }) });
    const pgo = `https://teampgo.localhost:${webPort}`;
    const api = pgoApiClient(pgo, { fetch: browser.fetch });
    const session = await (await api.api.session.$get()).json();
    const account = session.demoAccounts[0]!;
    await api.api.login.$post({ json: { username: account.username, password: account.password, totp: session.demoTotp[account.username]!.code } });
    const started = await api.api.collect.$post({ json: { zorgaanbiedernaam: naam, gegevensdienstId: '48' } });
    if (started.status !== 200) throw new Error(`the PGO did not start: HTTP ${started.status}`);
    await walkThroughFlow(browser, {
      authorizeUrl: (await started.json()).authorizeUrl,
      redirectUri: `${pgo}/oauth/callback`,
      choices: { bsn, login: 'success', level: 'substantieel', consent: 'ja' },
      stopAtCallback: false,
    });
  };
  const exitOf = (child: ReturnType<typeof startCli>) => new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', r)));

  it('lets a person drive a PGO without the reference API: told what to do, checked from the outside', async () => {
    const child = startCli(
      [...args, 'scenario', 'run', '--target', 'teampgo.localhost', '--drive', 'person', 'happy-path-bgz', 'dvza-server-certificate-revoked'],
      {},
      { stdin: true },
    );
    children.push(child);
    const person = async () => {
      await driveTeamPgo(child);
      child.stdin!.write('\n');
    };
    const prompted = (n: number) => waitForOutput(child, 'Press Enter when your PGO', { times: n });
    await prompted(1);
    expect(child.output().stdout).toMatch(
      />>> In Team PGO \(teampgo\.localhost\): collect "Verzamelen Basisgegevens zorg 3\.0" \(gegevensdienst 48\) at Huisartsenpraktijk De Kroon \(dekroon@medmij\)\./,
    );
    await person();
    await prompted(2);
    expect(child.output().stdout).toContain('PASS  happy-path-bgz');
    const exited = exitOf(child);
    await person();
    child.stdin!.end();
    const code = await exited;
    const out = child.output().stdout;
    expect(out).toContain('Spec rules met by teampgo.localhost: 2 of 2');
    expect(out).toContain('– not observable: PGO shows: collected (on its own screen: a person drove it)');
    expect(out).toContain('✓ no * → dekroon /oauth/token — the DVZA never sees a token request');
    expect(code).toBe(0);
  });

  it("runs a person-driven PGO unattended (CI): the instructions are printed, the trace says when the PGO's attempt is over", async () => {
    // Options --unattended makes meaningless are refused before anything runs.
    const refusals: Array<[string[], RegExp]> = [
      [['happy-path-bgz', '--unattended'], /--unattended needs --target <enrolled PGO>/],
      [
        ['--target', 'teampgo.localhost', '--unattended', 'happy-path-bgz'],
        /--unattended replaces the Enter of --drive person, but teampgo\.localhost is driven through the API at its --web-url/,
      ],
      [
        ['--target', 'teampgo.localhost', '--drive', 'api', '--unattended', 'happy-path-bgz'],
        /teampgo\.localhost is driven by --drive api: the runner waits for nobody/,
      ],
      [['--target', 'teampgo.localhost', '--drive', 'person', '--attempt-timeout', '30s', 'happy-path-bgz'], /--attempt-timeout needs --unattended/],
      [
        ['--target', 'teampgo.localhost', '--drive', 'person', '--unattended', '--attempt-timeout', 'soon', 'happy-path-bgz'],
        /--attempt-timeout: invalid duration 'soon'/,
      ],
    ];
    for (const [extra, message] of refusals) {
      const r = await cli(['scenario', 'run', ...extra]);
      expect([r.code, r.stderr], extra.join(' ')).toEqual([1, expect.stringMatching(message)]);
    }
    // No standard input at all: nobody could press Enter.
    const child = startCli([
      ...args,
      'scenario',
      'run',
      '--target',
      'teampgo.localhost',
      '--drive',
      'person',
      '--unattended',
      '--attempt-timeout',
      '2m',
      'happy-path-bgz',
    ]);
    children.push(child);
    await waitForOutput(child, "Unattended: waiting for teampgo.localhost's attempt in the network's trace");
    const exited = exitOf(child);
    expect(child.output().stdout).toMatch(/>>> In Team PGO \(teampgo\.localhost\): collect "Verzamelen Basisgegevens zorg 3\.0" \(gegevensdienst 48\)/);
    expect(child.output().stdout).not.toContain('Press Enter');
    await driveTeamPgo(child);
    const code = await exited;
    const out = child.output().stdout;
    expect(out).toMatch(/ {4}\d+ hop\(s\) of the attempt seen\n/);
    expect(out).toContain('PASS  happy-path-bgz');
    expect(out).toContain('Spec rules met by teampgo.localhost: 1 of 1');
    expect(code).toBe(0);
  });

  it("reports a rule as not met when a team's own PGO breaks it (it starts a flow on expired lists)", async () => {
    // A PGO of the team's own making, in a few lines, with the certificate `enrol` issued: it speaks the reference
    // PGO's API, but starts every collection at De Kroon without looking at the lists.
    const port = await freePort();
    const e = await cli(['enrol', 'pgo', 'brokenpgo.localhost', '--name', 'Broken PGO', '--web-url', `https://brokenpgo.localhost:${port}`, '--json']);
    const files = (JSON.parse(e.stdout) as { certificates: Record<string, { cert: string; key: string; chain: string }> }).certificates.browser!;
    const network = JSON.parse(readFileSync(join(sandboxDir, 'network.json'), 'utf8')) as {
      participants: Array<{ id: string; urls: { frontchannel?: string } }>;
    };
    const dekroon = network.participants.find((p) => p.id === 'dekroon')!.urls.frontchannel!;
    const server = createServer({ key: readFileSync(files.key), cert: readFileSync(files.chain) }, (req, res) => {
      const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/api/session') return json({ demoAccounts: [{ username: 'team', password: 'team' }], demoTotp: { team: { code: '000000' } } });
      if (req.url === '/api/login') return json({ ok: true });
      if (req.url === '/api/collect') {
        const redirect = encodeURIComponent(`https://brokenpgo.localhost:${port}/oauth/callback`);
        return json({
          authorizeUrl: `${dekroon}/oauth/authorize?response_type=code&client_id=brokenpgo.localhost&redirect_uri=${redirect}&scope=dekroon&state=s1`,
        });
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const r = await cli(['scenario', 'run', '--target', 'brokenpgo.localhost', 'zorgaanbiederslijst-expired', 'happy-path-bgz']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Spec rules met by brokenpgo.localhost: 0 of 2');
      expect(r.stdout).toMatch(
        /NOT MET {2}SPEC §3\.4 no new flow on an expired list .*\n\s+pgo → stelselnode GET \/MedMij_Zorgaanbiederslijst\.xml 200 — the PGO fetches the lists: no such event in the trace/,
      );
      // What gives it away: the browser was sent to the care provider on lists that had expired.
      expect(r.stdout).toMatch(
        /✗ no \* → dekroon \/oauth\/authorize — the browser is not sent to the care provider\n\s+found #\d+: .*browser → dekroon\.dvza\.localhost GET \/oauth\/authorize/,
      );
    } finally {
      server.close();
    }
  });

  it('reports the rules as not met when the participant does not answer', async () => {
    const r = await cli(['enrol', 'pgo', 'gonepgo.localhost', '--web-url', `https://gonepgo.localhost:${await freePort()}`]);
    expect(r.code).toBe(0);
    const run = await cli(['scenario', 'run', '--target', 'gonepgo.localhost', 'happy-path-bgz', 'zorgaanbiederslijst-expired']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Spec rules met by gonepgo.localhost: 0 of 2');
    expect(run.stdout).toMatch(/NOT MET {2}SPEC §1\.2 Verzamelen, steps 1–16 .*\n\s+.*nothing listens at gonepgo\.localhost/);
    const nobody = await cli(['scenario', 'run', '--target', 'gonepgo.localhost', '--drive', 'person', 'happy-path-bgz']);
    expect([nobody.code, nobody.stdout]).toEqual([
      1,
      expect.stringContaining('could not run: nobody answered (standard input closed): a person must drive this PGO'),
    ]);
    const unfit = await cli(['scenario', 'run', '--target', 'gonepgo.localhost', 'patient-under-16']);
    expect([unfit.code, unfit.stderr]).toEqual([
      1,
      expect.stringMatching(/patient-under-16 cannot check gonepgo\.localhost as PGO\n\s+scenarios that can: dvza-certificate-expired, /),
    ]);
  });

  it('checks a copy of the reference DVZA enrolled as an outside DVZA, driven by the sandbox PGO and TVS', async () => {
    const [front, back] = [await freePort(), await freePort()];
    const e = await cli([
      'enrol',
      'dvza',
      'teamzorg@medmij',
      '--name',
      'Team Zorg',
      '--authorize-url',
      `https://teamzorg.localhost:${front}/oauth/authorize`,
      '--token-url',
      `https://teamzorg.localhost:${back}/oauth/token`,
      '--fhir-url',
      `https://teamzorg.localhost:${back}/fhir`,
      '--gegevensdienst',
      'bgz',
      '--gegevensdienst',
      'lab',
      '--patients-of',
      'dekroon',
    ]);
    expect(e.stderr).toBe('');
    expect(e.stdout).toMatch(/published Zorgaanbiederslijst Volgnummer \d+ \(enrolments changed\)/);
    // Pasted as printed, it exports from this sandbox folder and topology.
    expect(e.stdout).toContain(`npm run sandbox -- --dir ${sandboxDir} --topology ${args[3]} dossier <bsn> --provider dekroon`);
    await start(['run', 'teamzorg@medmij'], 'teamzorg@medmij (the reference DVZA as an enrolled participant, patients of dekroon) ready');
    const r = await cli(['scenario', 'run', '--target', 'teamzorg@medmij', '--all']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Spec rules met by teamzorg@medmij: (\d+) of \1\n/);
    expect(r.stdout).toMatch(/met {6}SPEC §7 age ≥ 16 in the beschikbaarheidstoets/);
    expect(r.stdout).toMatch(/met {6}SPEC §2\.5 the code is single-use/);
    expect(r.stdout).toMatch(/met {6}SPEC §4 two-sided TLS on the back channel .*\(pgo-client-certificate-revoked/);
    // Scenarios about rivierenland's patients or Medicatiegegevens are not for a DVZA with dekroon's patients, BgZ and lab.
    expect(r.stdout).not.toContain('happy-path-medicatiegegevens');
    expect(r.code).toBe(0);
  });

  it('judges the reference DVZA run in afsprakenstelsel 1.5, enrolled in the 2.x network: the 2.x scope rule not met, with what it answered', async () => {
    const [front, back] = [await freePort(), await freePort()];
    // Enrolled into the network as it is (afsprakenstelsel 2): on the release3 Zorgaanbiederslijst with BgZ (48).
    const e = await cli([
      'enrol',
      'dvza',
      'oudzorg@medmij',
      '--name',
      'Oud Zorg',
      '--authorize-url',
      `https://oudzorg.localhost:${front}/oauth/authorize`,
      '--token-url',
      `https://oudzorg.localhost:${back}/oauth/token`,
      '--fhir-url',
      `https://oudzorg.localhost:${back}/fhir`,
      '--gegevensdienst',
      'bgz',
      '--patients-of',
      'dekroon',
    ]);
    expect(e.stderr).toBe('');
    // What a 2.x DVZA must do, as enrol prints it.
    expect(e.stdout).toContain('authorize  scope=oudzorg: your Zorgaanbiedernaam without @medmij and nothing else; answer invalid_scope to the 1.5');
    expect(e.stdout).toMatch(/with the headers MedMij-Request-ID and\n\s+X-Correlation-ID \(refuse a request without them: invalid_request\)/);
    // Only this DVZA's process speaks 1.5; the network around it speaks 2.
    await start(
      ['--afsprakenstelsel', '1.5', 'run', 'oudzorg@medmij'],
      'oudzorg@medmij (the reference DVZA as an enrolled participant, patients of dekroon) ready',
    );
    const r = await cli(['scenario', 'run', '--target', 'oudzorg@medmij', 'scope-of-1-5-at-a-2-dvza', 'happy-path-bgz']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    // It does not get as far as its scope check: its 1.5 list consumer refuses the network's release3 OAuthclientlist
    // (the stelselnode serves the lists of 2 whatever ?api= asks), so it answers every authorization request with its
    // "lists unusable" page (503) — not the redirect with invalid_scope that SPEC §10.1 wants for dekroon~1. The
    // page's Dutch quotes the validator's English messages: quotes inside the quoted alert.
    expect(r.stdout).toContain('Spec rules met by oudzorg@medmij: 0 of 2');
    expect(r.stdout).toMatch(
      /NOT MET {2}SPEC §10\.1 scope = Zorgaanbiedernaam without @medmij \(no ~GegevensdienstId\) {3}\(scope-of-1-5-at-a-2-dvza; .*\n\s+answer: HTTP 302 containing "invalid_scope": HTTP 503: an HTML page titled "[^"]+ — Oud Zorg": ".*(?:expected a release2 OAuthclientlist|verwacht een OAuthclientlist release2) \(afsprakenstelsel 1\.5\).*"\n/,
    );
    expect(r.stdout).toMatch(/NOT MET {2}SPEC §1\.2 Verzamelen, steps 1–16 /);
    expect(r.stdout).toMatch(
      /Where oudzorg@medmij refused or did not answer, in the scenarios it did not pass \(as the sandbox saw it\):\n {2}scope-of-1-5-at-a-2-dvza {3}browser → GET \/oauth\/authorize\?scope=dekroon~1: HTTP 503\n {2}happy-path-bgz {13}browser → GET \/oauth\/authorize\?scope=oudzorg: HTTP 503/,
    );
    // Why, in the DVZA's own trace (which the runner never reads: a team's DVZA keeps its own).
    const own = readTraceFile(join(sandboxDir, 'external', 'oudzorg.localhost', 'trace.jsonl'));
    expect(own.find((ev) => ev.kind === 'decision' && ev.outcome === 'refused' && ev.reason?.startsWith('OAuthclientlist fails its XSD'))?.reason).toContain(
      'expected a release2 OAuthclientlist (afsprakenstelsel 1.5) in namespace xmlns://afsprakenstelsel.medmij.nl/oauthclientlist/release2/, got a release3 OAuthclientlist (afsprakenstelsel 2)',
    );
    // A DVZA is driven by the sandbox's PGO and TVS: nobody to wait for.
    const unattended = await cli(['scenario', 'run', '--target', 'oudzorg@medmij', '--unattended', 'happy-path-bgz']);
    expect([unattended.code, unattended.stderr]).toEqual([
      1,
      expect.stringContaining('--unattended is for a PGO driven by --drive person; oudzorg@medmij is a DVZA'),
    ]);
  });
});
