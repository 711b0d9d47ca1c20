/**
 * Issue 16 against the real running network (afsprakenstelsel 2, every participant over HTTPS/mTLS): a second PGO
 * enrolled as `sandbox enrol pgo` does it (its own client certificate, on the OAuthclientlist and the Whitelist)
 * replays a code the reference PGO already redeemed, and changes nothing; the reference PGO, sent back with the
 * DVZA's `iss` (RFC 9207), still collects; only the rightful client's own replay revokes. And the token endpoint's
 * answers an OAuth library reads: 405 JSON on GET, invalid_client without a WWW-Authenticate challenge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxClock,
  backchannelUrl,
  frontchannelUrl,
  hostTable,
  participantsByRole,
  sandboxPaths,
  type HostTable,
  type Topology,
} from '@medmij-sandbox/network';
import { tempDir, writeDefaultTopologyOnFreePorts } from '@medmij-sandbox/network/testing';
import { saveEnrolment } from '@medmij-sandbox/lists';
import { DVZA_PATHS, tokenRequestBody } from '@medmij-sandbox/medmij-oauth';
import { generatePersonas, personaSetOf } from '@medmij-sandbox/fhir-data';
import { StelselnodeControl } from '@medmij-sandbox/stelselnode-client';
import { HeadlessBrowser, walkThroughFlow } from '@medmij-sandbox/scenario';
import { pgoApiClient, type Collection } from '@medmij-sandbox/pgo-api';
import { hop } from '@medmij-sandbox/transport';
import { startNetwork, type RunningNetwork } from '@medmij-sandbox/cli';

const DAY = '2026-06-01';
const THIEF = 'vreemde-pgo.localhost';

describe('OAuth details on the running network: a foreign client, iss, the token endpoint’s answers', () => {
  const clock = SandboxClock.frozenAt(`${DAY}T08:00:00Z`);
  const dir = tempDir();
  const paths = sandboxPaths(dir);
  let topology: Topology;
  let network: RunningNetwork;
  let hosts: HostTable;
  let tokenUrl: string;
  let pgo: { url: string; hostname: string };
  let dvzaIssuer: string;

  beforeAll(async () => {
    let path: string;
    ({ topology, path } = await writeDefaultTopologyOnFreePorts(dir, { referenceDate: DAY }));
    network = await startNetwork({ topologyPath: path, paths, clock });
    hosts = hostTable(topology, { hostsFile: paths.hosts });
    const dekroon = participantsByRole(topology, 'dvza').find((d) => d.id === 'dekroon')!;
    tokenUrl = `${backchannelUrl(dekroon)}${DVZA_PATHS.token}`;
    dvzaIssuer = frontchannelUrl(dekroon)!;
    const own = participantsByRole(topology, 'pgo')[0]!;
    pgo = { url: frontchannelUrl(own)!, hostname: own.hostname };
    // `sandbox enrol pgo` for a second PGO: a client certificate, the enrolment, the stelselnode told.
    await network.pki.enrol({ hostname: THIEF, organisation: 'Vreemde PGO', kinds: ['client'] });
    await saveEnrolment(paths.enrolments, { role: 'pgo', hostname: THIEF, name: 'Vreemde PGO' });
    const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
    await new StelselnodeControl({
      url: backchannelUrl(stelselnode)!,
      tokenFile: paths.stelselnode.controlToken,
      from: 'test',
      pki: network.pki,
      clock,
      hosts,
    }).call('enrolments');
  });
  afterAll(async () => network?.close());

  const token = (from: string, body: string, o: { method?: string } = {}) =>
    hop(tokenUrl, {
      method: o.method ?? 'POST',
      from,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'medmij-request-id': `r-${from}`, 'x-correlation-id': 'oauth-details' },
      ...(o.method === 'GET' ? {} : { body }),
      pki: network.pki,
      clock,
      hosts,
      bus: network.bus,
    });

  it("a foreign client's replay of a used code is refused and changes nothing; the rightful client's replay still revokes", async () => {
    const browser = new HeadlessBrowser({ pki: network.pki, clock, hosts });
    const api = pgoApiClient(pgo.url, { fetch: browser.fetch });
    const session = await (await api.api.session.$get()).json();
    const account = session.demoAccounts[0]!;
    await api.api.login.$post({ json: { username: account.username, password: account.password, totp: session.demoTotp[account.username]!.code } });
    const started = await api.api.collect.$post({ json: { zorgaanbiedernaam: 'dekroon@medmij', gegevensdienstId: '48' } });
    if (started.status !== 200) throw new Error(`the PGO did not start: HTTP ${started.status}`);
    const { authorizeUrl, collectionId: id } = await started.json();
    const bsn = generatePersonas(personaSetOf(topology, DAY)).find((p) => p.tags.includes('several-providers'))!.bsn;
    const end = await walkThroughFlow(browser, {
      authorizeUrl,
      redirectUri: `${pgo.url}/oauth/callback`,
      choices: { bsn, login: 'success', level: 'substantieel', consent: 'ja' },
      stopAtCallback: false,
    });
    // RFC 9207: the DVZA names itself on the answer; the reference PGO checked it and collected.
    expect(end.callback?.searchParams.get('iss')).toBe(dvzaIssuer);
    const shown = async (r: Promise<Response>) => {
      const answer = await r;
      if (answer.status !== 200) throw new Error(`the PGO answered HTTP ${answer.status}`);
      return (await answer.json()) as Collection;
    };
    expect((await shown(api.api.collections[':id'].$get({ param: { id } }))).status).toBe('collected');
    const code = end.callback!.searchParams.get('code')!;

    const stolen = await token(THIEF, tokenRequestBody({ code, redirect_uri: `${pgo.url}/oauth/callback`, client_id: THIEF }));
    expect([stolen.status, stolen.json()]).toEqual([
      400,
      { error: 'invalid_grant', error_description: `the code was issued to ${pgo.hostname}, not to ${THIEF}; nothing is revoked` },
    ]);
    expect((await shown(api.api.collections[':id'].refresh.$post({ param: { id } }))).status).toBe('collected');
    expect(network.bus.events((e) => e.ruleId === 'dvza.token.code-replayed')).toEqual([]);

    // The same code from the client it was issued to: a replay, which revokes the token it produced.
    const replay = await token(pgo.hostname, tokenRequestBody({ code, redirect_uri: `${pgo.url}/oauth/callback`, client_id: pgo.hostname }));
    expect([replay.status, replay.json<{ error_description: string }>().error_description]).toEqual([
      400,
      expect.stringMatching(/already used .*; 1 access token\(s\) issued from it are revoked/),
    ]);
    expect((await shown(api.api.collections[':id'].refresh.$post({ param: { id } }))).refusal?.code).toBe('http_401');
  });

  it('the token endpoint answers GET with 405 JSON and Allow: POST, and a client_id that is not the certificate’s host with 401 invalid_client, no challenge', async () => {
    const get = await token(THIEF, '', { method: 'GET' });
    expect([get.status, get.headers.allow, get.headers['content-type'], get.json<{ error: string }>().error]).toEqual([
      405,
      'POST',
      'application/json',
      'invalid_request',
    ]);
    const other = await token(THIEF, tokenRequestBody({ code: 'x', redirect_uri: `${pgo.url}/oauth/callback`, client_id: pgo.hostname }));
    expect([other.status, other.headers['www-authenticate'], other.json()]).toEqual([
      401,
      undefined,
      { error: 'invalid_client', error_description: `client_id ${pgo.hostname} is not the host of the client certificate (${THIEF})` },
    ]);
  });
});
