/**
 * Where generated state lives. Everything the sandbox creates (PKI, logs, traces, network.json)
 * is under one folder, `.sandbox/` at the repository root by default, git-ignored and kept across
 * restarts; `SANDBOX_DIR` or `--dir` points elsewhere (tests use a temporary one).
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
  pki: string;
  trace: string;
  networkJson: string;
  /** The sandbox clock shared by participants that run as separate processes (`sandbox run`). */
  clock: string;
}

export function sandboxPaths(dir: string = process.env.SANDBOX_DIR ?? join(repositoryRoot(), '.sandbox')): SandboxPaths {
  const root = resolve(dir);
  return {
    root,
    pki: join(root, 'pki'),
    trace: join(root, 'trace', 'trace.jsonl'),
    networkJson: join(root, 'network.json'),
    clock: join(root, 'clock.json'),
  };
}

export function defaultTopologyPath(): string {
  return process.env.SANDBOX_TOPOLOGY ?? join(repositoryRoot(), 'topology.yaml');
}
