/**
 * `sandbox enrol pgo|dvza`: bring your own participant. An integration team's PGO or DVZA joins the sandbox
 * network as MedMij would admit it: certificates from the sandbox PKI (or the team's own key, by signing its
 * CSR), a place on the lists the stelselnode publishes, and a printout of exactly what to configure.
 * The enrolment is kept in `<sandbox dir>/enrolments.json`; a running stelselnode publishes it at once.
 */
import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  gegevensdienstOf,
  SandboxError,
  backchannelUrl,
  findParticipant,
  frontchannelUrl,
  loadTopology,
  participantsByRole,
  participantFieldProblem,
  repositoryRoot,
  setExtraHost,
  type Afsprakenstelsel,
  type Topology,
} from '@medmij-sandbox/network';
import { LEAF_KINDS, SandboxPki, type CertRecord, type LeafKind } from '@medmij-sandbox/pki';
import {
  enrolmentHostname,
  enrolmentKey,
  findEnrolment,
  isDerivedSchema,
  listFileName,
  listKindsOf,
  namespaceOf,
  needsSandboxVariant,
  readEnrolments,
  releaseOf,
  removeEnrolment,
  saveEnrolment,
  type Enrolment,
} from '@medmij-sandbox/lists';
import { CONSENT_LAPSES_AFTER_MONTHS, FHIR_ACCEPT_STU3, MEDMIJ_HEADERS, scopeZorgaanbieder } from '@medmij-sandbox/medmij-oauth';
import { LIFETIMES } from '@medmij-sandbox/dvza';
import { listProblemWith } from '@medmij-sandbox/stelselnode';
import { HopError } from '@medmij-sandbox/transport';
import { openPki, sandboxCommand, stelselnodeOf, type Globals } from './context.js';

export interface EnrolResult {
  enrolment: Enrolment;
  hostname: string;
  certificates: Partial<Record<LeafKind, { cert: string; key?: string; chain: string; serial: string; notAfter: string }>>;
  /** What the stelselnode did, or why it did not hear of it yet. */
  published: string[];
  /** Everything the team must configure, as text for a person. */
  config: string;
}

export async function enrolPgo(
  g: Globals,
  hostname: string,
  o: { name?: string; webUrl?: string; address?: string; csr?: string; csrKind?: string },
): Promise<EnrolResult> {
  const topology = loadTopology(g.topologyPath);
  const problem = participantFieldProblem('hostname', hostname);
  if (problem) throw new SandboxError(`hostname '${hostname}' ${problem}`);
  const name = o.name ?? hostname;
  checkName(name);
  let webUrl: string | undefined;
  if (o.webUrl) {
    let u: URL;
    try {
      u = new URL(o.webUrl);
    } catch {
      throw new SandboxError(`--web-url: '${o.webUrl}' is not a URL`);
    }
    if (u.protocol !== 'https:' || u.hostname !== hostname)
      throw new SandboxError(`--web-url '${o.webUrl}' must be https on ${hostname} (the redirect_uri lives inside the client's hostname)`);
    webUrl = u.origin;
  }
  const enrolment: Enrolment = { role: 'pgo', hostname, name, ...(webUrl ? { webUrl } : {}) };
  checkFree(topology, g, hostname, enrolment);
  return enrol(g, topology, enrolment, csrOf(o, 'client'), addressOf(hostname, o.address));
}

export async function enrolDvza(
  g: Globals,
  zorgaanbiedernaam: string,
  o: {
    name?: string;
    authorizeUrl?: string;
    tokenUrl?: string;
    fhirUrl?: string;
    gegevensdienst?: string[];
    patientsOf?: string;
    address?: string;
    csr?: string;
    csrKind?: string;
  },
): Promise<EnrolResult> {
  const topology = loadTopology(g.topologyPath);
  const wrongNaam = participantFieldProblem('zorgaanbiedernaam', zorgaanbiedernaam);
  if (wrongNaam) throw new SandboxError(`zorgaanbiedernaam '${zorgaanbiedernaam}' ${wrongNaam}`, 'e.g. teamzorg@medmij');
  const url = (option: string, value: string | undefined): URL => {
    if (!value) throw new SandboxError(`${option} is required for a DVZA`, 'e.g. --authorize-url https://teamzorg.localhost:9443/oauth/authorize');
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new SandboxError(`${option}: '${value}' is not a URL`);
    }
    if (parsed.protocol !== 'https:') throw new SandboxError(`${option}: '${value}' must be https (every MedMij endpoint is)`);
    if (parsed.search || parsed.hash) throw new SandboxError(`${option}: '${value}' must have no query or fragment (the list schemas allow none)`);
    return parsed;
  };
  const endpoints = { authorize: url('--authorize-url', o.authorizeUrl), token: url('--token-url', o.tokenUrl), fhir: url('--fhir-url', o.fhirUrl) };
  const hostname = endpoints.token.hostname;
  for (const [what, u] of Object.entries(endpoints)) {
    if (u.hostname !== hostname)
      throw new SandboxError(`--${what}-url is on ${u.hostname}, but --token-url on ${hostname}: enrol one hostname (its certificates carry that name)`);
  }
  const problem = participantFieldProblem('hostname', hostname);
  if (problem) throw new SandboxError(`hostname '${hostname}' (of --token-url) ${problem}`);
  const gegevensdiensten = (o.gegevensdienst ?? [])
    .flatMap((g) => g.split(','))
    .map((g) => g.trim())
    .filter(Boolean);
  if (gegevensdiensten.length === 0)
    throw new SandboxError(
      'name at least one --gegevensdienst',
      `gegevensdiensten: ${topology.gegevensdiensten.map((d) => `${d.id} (${d.weergavenaam})`).join(', ')}`,
    );
  // A key (bgz, lab, …) or an id of the network's afsprakenstelsel; the enrolment keeps that version's id.
  for (const [i, g] of gegevensdiensten.entries()) {
    const known = gegevensdienstOf(topology, g);
    if (!known)
      throw new SandboxError(
        `--gegevensdienst ${g} is not on the Gegevensdienstnamenlijst of afsprakenstelsel ${topology.afsprakenstelsel}`,
        `gegevensdiensten: ${topology.gegevensdiensten.map((d) => `${d.id} (${d.key})`).join(', ')}`,
      );
    gegevensdiensten[i] = known.id;
  }
  const name = o.name ?? zorgaanbiedernaam;
  checkName(name);
  const dvzas = participantsByRole(topology, 'dvza');
  const patientsOf = o.patientsOf ?? dvzas[0]!.id;
  if (!dvzas.some((d) => d.id === patientsOf))
    throw new SandboxError(`--patients-of '${patientsOf}' is not a DVZA of the topology`, `DVZAs: ${dvzas.map((d) => d.id).join(', ')}`);
  const enrolment: Enrolment = {
    role: 'dvza',
    zorgaanbiedernaam,
    name,
    authorizeUrl: endpoints.authorize.toString(),
    tokenUrl: endpoints.token.toString(),
    fhirUrl: endpoints.fhir.toString().replace(/\/$/, ''),
    gegevensdiensten: [...new Set(gegevensdiensten)],
    patientsOf,
  };
  checkFree(topology, g, hostname, enrolment);
  return enrol(g, topology, enrolment, csrOf(o, 'server'), addressOf(hostname, o.address));
}

export function listEnrolments(g: Globals): Enrolment[] {
  return readEnrolments(g.paths.enrolments);
}

/** Takes a participant off the lists and revokes its certificates (cessation of operation). */
export async function withdraw(g: Globals, key: string): Promise<string[]> {
  const enrolment = findEnrolment(g.paths.enrolments, key);
  if (!enrolment)
    throw new SandboxError(`nothing enrolled as '${key}'`, `enrolled: ${readEnrolments(g.paths.enrolments).map(enrolmentKey).join(', ') || 'none'}`);
  await removeEnrolment(g.paths.enrolments, enrolmentKey(enrolment));
  await setExtraHost(g.paths.hosts, enrolmentHostname(enrolment), undefined);
  const pki = openPki(g);
  const revoked = await pki.revoke(enrolmentHostname(enrolment), { reason: 'cessationOfOperation' });
  return [
    `removed ${enrolment.role} ${enrolmentKey(enrolment)} from the enrolments`,
    `revoked ${revoked.length} certificate(s) of ${enrolmentHostname(enrolment)} (cessationOfOperation)`,
    ...(await tellStelselnode(g)),
  ];
}

// ---- internals ------------------------------------------------------------------------------------

/**
 * Where the sandbox's participants reach it. A `*.localhost` name is this machine unless told otherwise; any
 * other name (`*.test`) needs an address, since the sandbox never edits /etc/hosts.
 */
function addressOf(hostname: string, address: string | undefined): string | undefined {
  if (address !== undefined && !isIPv4(address)) {
    throw new SandboxError(`--address '${address}' is not an IPv4 address`, 'e.g. --address 172.30.77.50 (a container on the compose network) or 127.0.0.1');
  }
  if (!address && !hostname.endsWith('.localhost')) {
    throw new SandboxError(`${hostname} is not a *.localhost name: say where the sandbox reaches it with --address <ipv4>`);
  }
  return address;
}

function checkName(name: string): void {
  const problem = participantFieldProblem('name', name);
  if (problem) throw new SandboxError(`--name '${name}' ${problem}`);
}

function checkFree(topology: Topology, g: Globals, hostname: string, enrolment: Enrolment): void {
  const taken = findParticipant(topology, hostname);
  if (taken) throw new SandboxError(`${hostname} is the topology's own ${taken.role} '${taken.id}': enrol a hostname of your own`);
  if (enrolment.role === 'dvza' && participantsByRole(topology, 'dvza').some((d) => d.zorgaanbiedernaam === enrolment.zorgaanbiedernaam)) {
    throw new SandboxError(`${enrolment.zorgaanbiedernaam} is a DVZA of the topology: choose another zorgaanbiedernaam`);
  }
  const other = readEnrolments(g.paths.enrolments).find((e) => enrolmentHostname(e) === hostname && enrolmentKey(e) !== enrolmentKey(enrolment));
  if (other)
    throw new SandboxError(
      `${hostname} is already enrolled as ${other.role} ${enrolmentKey(other)}`,
      `withdraw it first: ${sandboxCommandFor(g, `enrol remove ${enrolmentKey(other)}`)}`,
    );
}

function csrOf(o: { csr?: string; csrKind?: string }, defaultKind: LeafKind): { kind: LeafKind; pem: string } | undefined {
  if (!o.csr) {
    if (o.csrKind) throw new SandboxError('--csr-kind needs --csr <file>');
    return undefined;
  }
  const kind = (o.csrKind ?? defaultKind) as LeafKind;
  if (!LEAF_KINDS.includes(kind)) throw new SandboxError(`--csr-kind '${o.csrKind}' is not a certificate kind`, `use ${LEAF_KINDS.join(', ')}`);
  let pem: string;
  try {
    pem = readFileSync(o.csr, 'utf8');
  } catch (e) {
    throw new SandboxError(`--csr: cannot read ${o.csr}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return { kind, pem };
}

async function enrol(
  g: Globals,
  topology: Topology,
  enrolment: Enrolment,
  csr: { kind: LeafKind; pem: string } | undefined,
  address: string | undefined,
): Promise<EnrolResult> {
  // The lists must stay valid with the newcomer on them: checked before anything is written.
  const others = readEnrolments(g.paths.enrolments).filter((e) => enrolmentKey(e) !== enrolmentKey(enrolment));
  const problem = await listProblemWith(topology, [...others, enrolment]);
  if (problem) throw new SandboxError(`cannot enrol ${enrolmentKey(enrolment)}: ${problem}`);
  const pki = openPki(g);
  const hostname = enrolmentHostname(enrolment);
  const records = await pki.enrol({ hostname, organisation: enrolment.name, kinds: ['server', 'client', 'browser'] }, csr ? { csr } : {});
  await saveEnrolment(g.paths.enrolments, enrolment);
  await setExtraHost(g.paths.hosts, hostname, address);
  const certificates: EnrolResult['certificates'] = {};
  for (const r of records) certificates[r.kind as LeafKind] = describe(pki, r);
  const published = await tellStelselnode(g);
  const running = await runningAfsprakenstelsel(g);
  return { enrolment, hostname, certificates, published, config: configText(g, topology, pki, enrolment, certificates, address, running) };
}

/**
 * The afsprakenstelsel of the lists the running stelselnode publishes (2 adds the Zorgaanbiederskoppellijst), so a
 * printout for another one can say so. Undefined when it does not run or does not say.
 */
async function runningAfsprakenstelsel(g: Globals): Promise<Afsprakenstelsel | undefined> {
  let status: unknown;
  try {
    status = await stelselnodeOf(g).control.status();
  } catch (e) {
    if (e instanceof SandboxError || e instanceof HopError) return undefined;
    throw e;
  }
  const kinds = (status as { lists?: Array<{ kind?: unknown }> } | undefined)?.lists?.map((l) => l.kind);
  if (!kinds?.includes('Zorgaanbiederslijst')) return undefined;
  return kinds.includes('Zorgaanbiederskoppellijst') ? '2' : '1.5';
}

function describe(pki: SandboxPki, r: CertRecord) {
  return {
    cert: pki.path(r.files.cert),
    ...(r.files.key ? { key: pki.path(r.files.key) } : {}),
    chain: pki.path(r.files.chain!),
    serial: r.serial,
    notAfter: r.notAfter,
  };
}

async function tellStelselnode(g: Globals): Promise<string[]> {
  try {
    return await stelselnodeOf(g).control.call('enrolments');
  } catch (e) {
    if (e instanceof SandboxError || e instanceof HopError) return ['the stelselnode is not running: it publishes the enrolment when it starts'];
    throw e;
  }
}

/** What the team configures, for the network's afsprakenstelsel (the topology's, or the global --afsprakenstelsel). */
function configText(
  g: Globals,
  topology: Topology,
  pki: SandboxPki,
  e: Enrolment,
  certs: EnrolResult['certificates'],
  address: string | undefined,
  /** What the running stelselnode publishes, when it runs. */
  running: Afsprakenstelsel | undefined,
): string {
  const version = topology.afsprakenstelsel;
  const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
  const tvs = participantsByRole(topology, 'tvs')[0]!;
  const hostname = enrolmentHostname(e);
  const cli = (args: string) => sandboxCommandFor(g, args);
  const cert = (kind: LeafKind, use: string) => {
    const c = certs[kind]!;
    return [
      `  ${use}`,
      `    certificate ${c.cert}`,
      `    chain       ${c.chain}`,
      `    key         ${c.key ?? '(your own: the sandbox signed your CSR)'}`,
      `    serial ${c.serial}, valid until ${c.notAfter}`,
    ].join('\n');
  };
  const fromFlag = !!process.env.SANDBOX_AFSPRAKENSTELSEL;
  const lines = [
    `Enrolled ${e.role === 'pgo' ? 'PGO' : 'DVZA'} ${enrolmentKey(e)} (${e.name}) in the MedMij Sandbox network - NOT FOR PRODUCTION`,
    `Afsprakenstelsel ${version} (${fromFlag ? 'from --afsprakenstelsel / SANDBOX_AFSPRAKENSTELSEL' : "the topology's"}): what follows is what a participant of that version configures.`,
    ...(running && running !== version
      ? [
          `warning: the running stelselnode publishes the lists of afsprakenstelsel ${running}, so the network speaks ${running}, not ${version}:`,
          `  restart it with --afsprakenstelsel ${version}, or enrol with --afsprakenstelsel ${running} to see what it expects`,
        ]
      : []),
    '',
    `Certificates for ${hostname} (sandbox PKI ${pki.installId}):`,
    e.role === 'pgo'
      ? cert('client', "back channel - mutual TLS client certificate for the DVZAs' token and FHIR endpoints:")
      : cert('server', 'back channel - mutual TLS server certificate for your token and FHIR endpoints:'),
    e.role === 'pgo'
      ? cert('browser', 'front channel - TLS server certificate for your web app (redirect_uri):')
      : cert('client', 'mutual TLS client certificate - resolving DigiD codes at the TVS, which encrypts the BSN for its key:'),
    e.role === 'pgo'
      ? cert('server', 'a mutual TLS server certificate, should you offer a back channel yourself:')
      : cert('browser', 'front channel - TLS server certificate for your authorization endpoint (the pages a browser sees):'),
    '',
    'Trust (verify the other participants with these, and check revocation):',
    `  back channel (private-services CA)  ${pki.path(pki.caRecord('private-services').files.cert)}`,
    `  front channel (browser CA)          ${pki.path(pki.caRecord('browser').files.cert)}`,
    `  root                                ${pki.rootCertPath}   (browsers: ${cli('trust')})`,
    `  CRLs                                ${pki.repositoryUrl}/crl/private-services.crl, ${pki.repositoryUrl}/crl/browser.crl (OCSP: ${pki.repositoryUrl}/ocsp/<ca>)`,
    '',
    ...listsText(topology, backchannelUrl(stelselnode)!),
    '',
  ];
  if (e.role === 'pgo') lines.push(...(version === '2' ? pgoOAuth2(topology, e) : pgoOAuth15(e)), '');
  else {
    lines.push(
      `Your endpoints, as the Zorgaanbiederslijst now publishes them:`,
      `  authorize  ${e.authorizeUrl}`,
      `  token      ${e.tokenUrl}`,
      `  FHIR       ${e.fhirUrl}   gegevensdiensten ${e.gegevensdiensten.join(', ')}`,
      `  Whitelist  ${hostname}`,
      '',
      ...(version === '2' ? [...dvzaOAuth2(e), ''] : []),
      `Synthetic patients: scenarios expect the patients of ${e.patientsOf}; export their dossiers per person with`,
      `  ${cli('personas')}   and   ${cli(`dossier <bsn> --provider ${e.patientsOf}`)}`,
      '',
      'DigiD through the TVS (client_id = your hostname):',
      `  login (front channel)        ${frontchannelUrl(tvs)}/authorize`,
      `  code resolution (mutual TLS) ${backchannelUrl(tvs)}/token`,
      `  the BSN arrives as a JWE encrypted for the key of your client certificate`,
      '',
    );
  }
  const others = topology.participants.map((p) => `${p.hostname}=${p.address}`).join(' ');
  lines.push(
    `Name resolution: the sandbox reaches ${hostname} at ${address ?? '127.0.0.1 (a *.localhost name)'}. Your participant finds the sandbox's at`,
    `  ${others}`,
    '  Browsers resolve every *.localhost name to 127.0.0.1 by themselves; a Node client does not (glibc leaves *.localhost',
    '  unresolved): give https.request a `lookup`, or an undici Agent `connect: { lookup }`, that answers 127.0.0.1 for',
    '  *.localhost (and the addresses above) - called with { all: true } it must answer [{ address, family: 4 }]; the',
    "  sandbox's own is sandboxLookup in packages/network/src/resolve.ts. Scenarios move the sandbox clock only for the",
    "  sandbox's own participants: yours keeps its own time.",
    '',
    'Check what your participant does (the report says which spec rules it met):',
    `  ${cli(`scenario run --live --target ${enrolmentKey(e)} --all --report ${shownPath(join(g.paths.root, 'reports', hostname))}`)}`,
  );
  if (e.role === 'pgo') {
    lines.push(
      e.webUrl
        ? `  (the runner drives it through the reference PGO's API at ${e.webUrl}; a PGO without that API: add --drive person)`
        : '  (no --web-url: a person drives it, told before each scenario what to do; in CI, where your own automation does it, add --unattended)',
    );
  }
  return lines.join('\n');
}

/** Where the lists are and what they are, in the network's afsprakenstelsel (SPEC §3, §10.4). */
function listsText(topology: Topology, stelselnodeUrl: string): string[] {
  const version = topology.afsprakenstelsel;
  const kinds = listKindsOf(version);
  // Production selects the list interface's major version with ?api= (SPEC §10.4); the sandbox serves its one version.
  const query = version === '2' ? '?api=2' : '';
  const width = Math.max(...kinds.map((k) => k.length)) + 2;
  const lines = [
    `Lists of afsprakenstelsel ${version} (public: one-sided TLS, no client certificate - check the stelselnode's server`,
    '  certificate with the back-channel CA; validate each list against its schema, refresh them, refuse stale or',
    '  rolled-back ones):',
  ];
  for (const k of kinds) {
    const derived = isDerivedSchema(k, version) ? ', schema derived by the sandbox: no official 2.x XSD is public' : '';
    lines.push(`  ${k.padEnd(width)}${stelselnodeUrl}/${listFileName(k)}${query}`);
    lines.push(`  ${''.padEnd(width)}${namespaceOf(k, version)}  (${releaseOf(k, version)}${derived})`);
  }
  lines.push(
    `  ${'schemas'.padEnd(width)}${stelselnodeUrl}/schemas/official/MedMij_<list>.xsd`,
    ...(needsSandboxVariant(topology)
      ? [`  ${''.padEnd(width)}(its front-channel URIs have ports: the Zorgaanbiederslijst passes /schemas/sandbox/MedMij_Zorgaanbiederslijst.xsd)`]
      : []),
    `  ${'signed'.padEnd(width)}${stelselnodeUrl}/signed/MedMij_<list>.xml  (a sandbox extension: the list with an XML-DSig signature)`,
  );
  if (version === '2') lines.push(`  The sandbox's stelselnode serves the lists of afsprakenstelsel ${version} whatever ?api= asks for.`);
  return lines;
}

/** The 1.5 client: the scope names each gegevensdienst (SPEC §2.1). */
function pgoOAuth15(e: Extract<Enrolment, { role: 'pgo' }>): string[] {
  return [
    'OAuth (you are a client of every DVZA on the Zorgaanbiederslijst):',
    `  client_id     ${e.hostname}`,
    `  redirect_uri  https://${e.hostname}[:port]/<path>  (https, inside your hostname, no query or fragment)`,
    `  on the lists  OAuthclientlist as "${e.name}" (the name on the consent page), Whitelist as ${e.hostname}`,
    `  scope         <zorgaanbiedernaam without @medmij>~<gegevensdienst id>, e.g. dekroon~1`,
  ];
}

/** The 2.x client (SPEC §10.1–10.3): scope, consent at the DVZA, refresh tokens, the MedMij headers, Accept. */
function pgoOAuth2(topology: Topology, e: Extract<Enrolment, { role: 'pgo' }>): string[] {
  const { requestId, correlationId } = MEDMIJ_HEADERS;
  const ids = topology.gegevensdiensten.map((d) => d.id).join(', ');
  const example = participantsByRole(topology, 'dvza')[0]!;
  const za = scopeZorgaanbieder(example.zorgaanbiedernaam);
  return [
    'OAuth, afsprakenstelsel 2 (you are a client of every DVZA on the Zorgaanbiederslijst):',
    `  client_id     ${e.hostname}  (no client secret: the DVZA knows you by your client certificate on the back channel)`,
    `  redirect_uri  https://${e.hostname}[:port]/<path>  (https, inside your hostname, no query or fragment)`,
    `  on the lists  OAuthclientlist as "${e.name}" (the name on the consent page) with the gegevensdiensten you may use`,
    `                (${ids}), Whitelist as ${e.hostname}`,
    `  scope         the Zorgaanbiedernaam without @medmij and nothing else, e.g. scope=${za} (not ${za}~${example.gegevensdiensten[0]}):`,
    "                the person chooses the gegevensdiensten on the DVZA's consent page, among those it offers and the",
    '                OAuthclientlist lets you use, and may tick long-lived consent there (not pre-selected)',
    `  headers       ${requestId} (a new UUID per request) and ${correlationId} (the flow's UUID; a refresh starts a new`,
    '                one): query parameters of the authorization request, headers of every token and FHIR request',
    '  token         POST the TokenEndpointuri, mutual TLS with your client certificate, form-encoded:',
    `                  grant_type=authorization_code&code=…&redirect_uri=…&client_id=${e.hostname}`,
    `                with both MedMij headers: without them /oauth/token answers invalid_request`,
    `  answer        access_token, token_type bearer, expires_in ${LIFETIMES.accessTokenMs / 1000}, scope = the granted GegevensdienstIds, space`,
    '                separated (e.g. "48 49": fetch those), and a refresh_token only when the person ticked long-lived consent',
    '  refresh       POST the TokenEndpointuri, the same client certificate and both MedMij headers:',
    `                  grant_type=refresh_token&refresh_token=…&client_id=${e.hostname}`,
    '                answers a new access token and a new refresh token (the old one is spent: a replay ends the consent);',
    `                the consent lapses after ${CONSENT_LAPSES_AFTER_MONTHS} months without a collection`,
    `  FHIR          GET the ResourceEndpointuri + query, Authorization: Bearer <access_token>, both MedMij headers and`,
    `                Accept: ${FHIR_ACCEPT_STU3}; no patient= or subject= (the token names the patient)`,
  ];
}

/** What a 2.x DVZA answers (SPEC §10.1–10.3): the same contract from the other side. */
function dvzaOAuth2(e: Extract<Enrolment, { role: 'dvza' }>): string[] {
  const own = scopeZorgaanbieder(e.zorgaanbiedernaam);
  const { requestId, correlationId } = MEDMIJ_HEADERS;
  return [
    'What the PGOs send you, afsprakenstelsel 2:',
    `  authorize  scope=${own}: your Zorgaanbiedernaam without @medmij and nothing else; answer invalid_scope to the 1.5`,
    `             form (${own}~${e.gegevensdiensten[0]}). The person chooses the gegevensdiensten on your consent page, among those you`,
    '             offer and the OAuthclientlist lets that client use, and may tick long-lived consent (not pre-selected)',
    `  token      grant_type=authorization_code&code=…&redirect_uri=…&client_id=… or grant_type=refresh_token&refresh_token=…`,
    `             &client_id=…, client_id = the client certificate's hostname, with the headers ${requestId} and`,
    `             ${correlationId} (refuse a request without them: invalid_request)`,
    `  answer     access_token, token_type bearer, expires_in, scope = the granted GegevensdienstIds space separated (e.g.`,
    `             "${e.gegevensdiensten.join(' ')}"), refresh_token only with long-lived consent; a refresh answers a new one (rotation)`,
    `  FHIR       Authorization: Bearer, both MedMij headers, Accept: ${FHIR_ACCEPT_STU3} (answer STU3)`,
  ];
}

/** A path as a command run from the repository shows it (npm runs the sandbox there): relative when inside. */
function shownPath(path: string, repository: string = repositoryRoot()): string {
  const inside = relative(repository, resolve(path));
  return inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside) ? resolve(path) : inside;
}

/**
 * `npm run sandbox -- <args>` against what this command was given: its sandbox folder, topology file and
 * afsprakenstelsel, so a printed command pasted as it is works on the same sandbox.
 */
function sandboxCommandFor(g: Globals, args: string): string {
  const repository = repositoryRoot();
  const given: string[] = [];
  if (resolve(g.topologyPath) !== join(repository, 'topology.yaml')) given.push('--topology', shellWord(shownPath(g.topologyPath, repository)));
  if (process.env.SANDBOX_AFSPRAKENSTELSEL) given.push('--afsprakenstelsel', process.env.SANDBOX_AFSPRAKENSTELSEL);
  return sandboxCommand(g.paths.root, [...given, args].join(' '), repository);
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
