/**
 * `sandbox compose check`: is docker-compose.yml a valid Compose file, and does it run exactly the network
 * of topology.compose.yaml? Needs no Docker engine: the file is checked against the Compose Specification's
 * JSON schema (vendored in docker/, from github.com/compose-spec/compose-spec) and against the topology, the
 * edge proxy's routes and the Dockerfile. Each problem names the file, line and field.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { hasBackchannel, hasFrontchannel, loadTopology, repositoryRoot, type Participant, type Topology } from '@medmij-sandbox/network';

export interface ComposeFiles {
  compose: string;
  topology: string;
  edge: string;
  dockerfile: string;
}

export function defaultComposeFiles(root = repositoryRoot()): ComposeFiles {
  return {
    compose: join(root, 'docker-compose.yml'),
    topology: join(root, 'topology.compose.yaml'),
    edge: join(root, 'docker', 'edge', 'nginx.conf'),
    dockerfile: join(root, 'Dockerfile'),
  };
}

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  networks?: Record<string, { ipv4_address?: string } | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] };
  ports?: Array<string | { host_ip?: string }>;
}

interface ComposeFile {
  services?: Record<string, Service>;
  networks?: Record<string, { ipam?: { config?: Array<{ subnet?: string; ip_range?: string }> } }>;
}

let validator: ReturnType<Ajv2019['compile']> | undefined;

function composeSchemaValidator() {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(join(repositoryRoot(), 'docker', 'compose-spec.schema.json'), 'utf8')) as object;
  // The Compose schema uses draft-04's `id` as an annotation on its parts; Ajv refuses `id`, so it becomes a no-op.
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  return (validator = ajv.compile(schema));
}

/** Every problem found, as `file:line: field: what is wrong`; empty when all is well. */
export function checkCompose(files: ComposeFiles = defaultComposeFiles()): string[] {
  const problems: string[] = [];
  const lines = new LineCounter();
  const text = readFileSync(files.compose, 'utf8');
  const doc = parseDocument(text, { merge: true, lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) return doc.errors.map((e) => `${files.compose}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  const at = (path: (string | number)[]) => `${files.compose}:${lineOf(doc, lines, path)}: ${path.join('.') || '(top)'}`;
  const compose = doc.toJS({ maxAliasCount: 100 }) as ComposeFile;

  const validate = composeSchemaValidator();
  if (!validate(compose)) {
    for (const e of validate.errors ?? []) {
      const path = e.instancePath
        .split('/')
        .slice(1)
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      const extra = 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : '';
      problems.push(`${at(path)}: ${e.message ?? 'invalid'}${extra} (Compose Specification)`);
    }
    return problems;
  }

  let topology: Topology;
  try {
    topology = loadTopology(files.topology);
  } catch (e) {
    return [(e as Error).message];
  }
  const services = compose.services ?? {};
  const runs = (s: Service) => (s.command?.[0] === 'run' ? s.command[1] : undefined);

  for (const p of topology.participants) {
    const entry = Object.entries(services).find(([, s]) => runs(s) === p.id);
    if (!entry) {
      problems.push(`${at(['services'])}: no service runs participant '${p.id}' of ${files.topology} (command: ["run", "${p.id}"])`);
      continue;
    }
    const [name, s] = entry;
    const address = Array.isArray(s.networks) ? undefined : Object.values(s.networks ?? {})[0]?.ipv4_address;
    if (address !== p.address)
      problems.push(`${at(['services', name, 'networks'])}: ipv4_address is ${address ?? 'missing'}, but ${files.topology} puts ${p.id} at ${p.address}`);
    if (s.environment?.SANDBOX_TOPOLOGY !== '/app/topology.compose.yaml')
      problems.push(`${at(['services', name, 'environment'])}: SANDBOX_TOPOLOGY must be /app/topology.compose.yaml`);
    if (s.environment?.SANDBOX_DIR !== '/sandbox' || !s.volumes?.some((v) => v.endsWith(':/sandbox')))
      problems.push(`${at(['services', name, 'volumes'])}: must share the sandbox folder as /sandbox (SANDBOX_DIR=/sandbox)`);
    if (!waitsFor(services, name, 'init'))
      problems.push(`${at(['services', name, 'depends_on'])}: must wait for init (directly or through the participants it depends on)`);
    if (p.role === 'dvza' || p.role === 'pgo') {
      for (const needed of ['stelselnode', 'tvs']) {
        if (!waitsFor(services, name, needed, 'service_healthy'))
          problems.push(`${at(['services', name, 'depends_on'])}: must wait for ${needed} to be healthy (it fetches the lists / logs patients in at start)`);
      }
    }
    const probe = s.healthcheck?.test?.join(' ');
    if (probe && !probe.includes(`connect(${listeningPort(p)}, '${p.address}')`))
      problems.push(`${at(['services', name, 'healthcheck', 'test'])}: probes another port or address than ${p.address}:${listeningPort(p)}`);
  }
  for (const [name, s] of Object.entries(services)) {
    const id = runs(s);
    if (id && !topology.participants.some((p) => p.id === id))
      problems.push(`${at(['services', name, 'command'])}: runs '${id}', which is not a participant of ${files.topology}`);
  }
  for (const [name, s] of Object.entries(services)) {
    // `docker compose up --wait` (and CI, tests/compose) can only tell a started container from a ready one by its healthcheck.
    if (s.command?.[0] !== 'init' && !s.healthcheck?.test)
      problems.push(`${at(['services', name])}: has no healthcheck (docker compose up --wait could not tell when it is ready)`);
    // The sandbox is for this machine only: a published port on every interface would put it on the LAN.
    for (const [i, port] of (s.ports ?? []).entries()) {
      const hostIp = typeof port === 'string' ? (port.split(':').length === 3 ? port.split(':')[0] : undefined) : port.host_ip;
      if (hostIp !== '127.0.0.1') problems.push(`${at(['services', name, 'ports', i])}: publishes on ${hostIp ?? 'every interface'}, not only on 127.0.0.1`);
    }
  }
  if (!Object.values(services).some((s) => s.command?.[0] === 'init'))
    problems.push(`${at(['services'])}: no init service (command: ["init"]) that prepares the PKI`);

  const { subnet, ip_range: dynamic } = compose.networks?.medmij?.ipam?.config?.[0] ?? {};
  for (const p of topology.participants) {
    if (!subnet || !inSubnet(p.address, subnet))
      problems.push(`${at(['networks', 'medmij', 'ipam'])}: ${p.id}'s address ${p.address} is outside the subnet ${subnet ?? '(none)'}`);
    if (dynamic && inSubnet(p.address, dynamic))
      problems.push(
        `${at(['networks', 'medmij', 'ipam'])}: ${p.id}'s address ${p.address} is inside ip_range ${dynamic}, where Docker hands out addresses to other containers`,
      );
    // Front channels without a port: the official Zorgaanbiederslijst schema allows none in front-channel URIs.
    if (hasFrontchannel(p) && p.frontchannelPort !== 443)
      problems.push(`${files.topology}: ${p.id}: frontchannelPort must be 443 in the compose topology (the official list schemas allow no port there)`);
  }

  const routes = new Map(
    [...readFileSync(files.edge, 'utf8').matchAll(/^\s*([a-z0-9.-]+\.localhost)\s+([\d.]+):(\d+);/gm)].map((m) => [m[1]!, `${m[2]}:${m[3]}`]),
  );
  for (const p of topology.participants.filter(hasFrontchannel)) {
    const want = `${p.address}:${p.frontchannelPort}`;
    if (routes.get(p.hostname) !== want)
      problems.push(`${files.edge}: ${p.hostname} must be routed to ${want}${routes.has(p.hostname) ? `, not ${routes.get(p.hostname)}` : ' (missing)'}`);
  }
  for (const host of routes.keys()) {
    if (!topology.participants.some((p) => p.hostname === host && hasFrontchannel(p)))
      problems.push(`${files.edge}: routes ${host}, which has no front channel in ${files.topology}`);
  }

  const dockerfile = readFileSync(files.dockerfile, 'utf8');
  const root = JSON.parse(readFileSync(join(repositoryRoot(), 'package.json'), 'utf8')) as { workspaces: string[] };
  for (const workspace of workspacePackageFiles(root.workspaces)) {
    if (!dockerfile.includes(`COPY ${workspace} `))
      problems.push(`${files.dockerfile}: does not copy ${workspace} before npm ci (the image would miss that workspace's dependencies)`);
  }
  return problems;
}

/** Does service `name` wait for `target`, directly or through what it depends on? */
function waitsFor(services: Record<string, Service>, name: string, target: string, condition?: string, seen = new Set<string>()): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const deps = services[name]?.depends_on ?? {};
  const entries: Array<[string, { condition?: string }]> = Array.isArray(deps) ? deps.map((d) => [d, {}]) : Object.entries(deps);
  return entries.some(
    ([dep, how]) => (dep === target && (!condition || how.condition === condition)) || (!condition && waitsFor(services, dep, target, condition, seen)),
  );
}

function listeningPort(p: Participant): number {
  return p.role === 'pki' ? p.port : hasBackchannel(p) ? p.backchannelPort : p.frontchannelPort;
}

function inSubnet(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return (toInt(address) & mask) >>> 0 === (toInt(base!) & mask) >>> 0;
}

function workspacePackageFiles(globs: string[]): string[] {
  const root = repositoryRoot();
  return globs.flatMap((g) => {
    const folder = g.replace(/\/\*$/, '');
    return readdirNames(join(root, folder)).map((name) => `${folder}/${name}/package.json`);
  });
}

function readdirNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => d.name);
}

/** The line of the deepest node of `path` that the file has (a missing field: its parent's line). */
function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}
