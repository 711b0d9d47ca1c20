/**
 * Where generated state lives. Everything the sandbox creates (PKI, logs, traces, network.json, the
 * participants' state) is under one folder, `.sandbox/` at the repository root by default, git-ignored and
 * kept across restarts; `SANDBOX_DIR` or `--dir` points elsewhere (tests use a temporary one).
 * Every location is named here, so a newcomer finds each file in one place.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder holding the root package.json with the workspaces. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'turbo.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (no turbo.json above packages/network)');
    dir = parent;
  }
  return dir;
}

export interface SandboxPaths {
  root: string;
  /** The sandbox PKI (packages/pki): CAs, host certificates, CRLs, state.json. */
  pki: string;
  /** The trace of the running (or last) network: one JSON event per line, appended by every process. */
  trace: string;
  /** The trace of the run before it (kept when a new run starts). */
  tracePrevious: string;
  /** What `npm start` / `sandbox init` tell tools: participants, URLs, certificate paths. */
  networkJson: string;
  /** The sandbox clock shared by participants that run as separate processes (`sandbox run`). */
  clock: string;
  /** Where enrolled participants outside `*.localhost` live (`sandbox enrol --address`). */
  hosts: string;
  /** Participants brought in with `sandbox enrol` (they survive resets). */
  enrolments: string;
  /** The stelselnode's publication state (Volgnummers survive restarts) and its control API token. */
  stelselnode: { dir: string; state: string; controlToken: string };
  /** A DVZA's NEN 7513-style audit log. */
  dvzaAudit(dvzaId: string): string;
  /** A DVZA's long-lived consents and the hashes of every secret it issued (afsprakenstelsel 2). */
  dvzaConsents(dvzaId: string): string;
  /** A PGO's stored collections (per user). */
  pgoCollections(pgoId: string): string;
  /** The PGO's own secrets (the demo accounts' TOTP secrets), 0600. */
  pgoSecrets(pgoId: string): string;
  /** The TVS's own secret (the pseudonym key), 0600. */
  tvsSecrets: string;
  /** The operator tokens (viewer, trainer) that open the trace and the scenario runs, 0600 (operator.ts). */
  operator: string;
  /** The own state of the reference PGO or DVZA run as an enrolled outside participant (`sandbox run <enrolled>`). */
  outsider(hostname: string): string;
  /** Work folders of scenario runs: from the CLI, and from the trainer page of a running network. */
  scenarioRuns: string;
  scenarioRunsUi: string;
}

export function sandboxPaths(dir: string = process.env.SANDBOX_DIR ?? join(repositoryRoot(), '.sandbox')): SandboxPaths {
  const root = resolve(dir);
  const stelselnode = join(root, 'stelselnode');
  return {
    root,
    pki: join(root, 'pki'),
    trace: join(root, 'trace', 'trace.jsonl'),
    tracePrevious: join(root, 'trace', 'trace-previous.jsonl'),
    networkJson: join(root, 'network.json'),
    clock: join(root, 'clock.json'),
    hosts: join(root, 'hosts.json'),
    enrolments: join(root, 'enrolments.json'),
    stelselnode: { dir: stelselnode, state: join(stelselnode, 'state.json'), controlToken: join(stelselnode, 'control-token') },
    dvzaAudit: (dvzaId) => join(root, 'dvza', dvzaId, 'audit.jsonl'),
    dvzaConsents: (dvzaId) => join(root, 'dvza', dvzaId, 'consents.json'),
    pgoCollections: (pgoId) => join(root, 'pgo', pgoId, 'collections'),
    pgoSecrets: (pgoId) => join(root, 'pgo', pgoId, 'secrets.json'),
    tvsSecrets: join(root, 'tvs', 'secrets.json'),
    operator: join(root, 'operator.json'),
    outsider: (hostname) => join(root, 'external', hostname),
    scenarioRuns: join(root, 'scenario-runs'),
    scenarioRunsUi: join(root, 'scenario-runs-ui'),
  };
}

/**
 * The paths of the reference PGO or DVZA run as an outside participant: its own state in its own folder
 * (`external/<hostname>`), but the network's shared files — the PKI, the enrolments and hosts.json — where
 * the network keeps them (what a real outside participant learns from the network it joined).
 */
export function outsiderPaths(network: SandboxPaths, hostname: string): SandboxPaths {
  const own = sandboxPaths(network.outsider(hostname));
  return { ...own, trace: join(own.root, 'trace.jsonl'), pki: network.pki, enrolments: network.enrolments, hosts: network.hosts };
}

export function defaultTopologyPath(): string {
  return process.env.SANDBOX_TOPOLOGY ?? join(repositoryRoot(), 'topology.yaml');
}
