/**
 * The sandbox PKI's state on disk: the shape of state.json (every certificate ever issued, the CRL
 * numbers, the change history), the folder it lives in, and how it is read, written and locked.
 * Kept apart from issuing and from the SandboxPki face so that the file rules (atomic writes, one
 * lock across processes, a stamp to notice other writers) live in one place, on top of the file-state
 * helpers of @medmij-sandbox/network.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxError, fileStamp, withFileLock, writeFileAtomic } from '@medmij-sandbox/network';
import type { CaId, LeafKind } from './hierarchy.js';
import type { RevocationReason } from './x509.js';

export type CertKind = 'root' | 'intermediate' | LeafKind;

export interface CertRecord {
  /** Upper-case hex, as OpenSSL and Node print it. */
  serial: string;
  kind: CertKind;
  /** For CAs: which CA this is. For leaves: the issuing CA. */
  ca: CaId;
  host?: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  fingerprint256: string;
  /** `current` certificates are the ones in use; `superseded` ones were replaced by reissue/expire. */
  status: 'current' | 'superseded';
  revoked?: { at: string; reason: RevocationReason };
  /** Issued with a validity that has already ended (`pki expire`): start-up must not renew it. */
  expiredOnPurpose?: boolean;
  /** Paths relative to the PKI folder. */
  files: { cert: string; key?: string; chain?: string };
}

export interface PkiState {
  version: 1;
  installId: string;
  createdAt: string;
  /** Base URL of the PKI repository baked into every certificate (CRL distribution point, OCSP, CA issuers). */
  repositoryUrl: string;
  generation: number;
  crls: Record<CaId, { number: number; thisUpdate: string; nextUpdate: string }>;
  certificates: CertRecord[];
  /** What changed, newest last (bounded): a running network reports these on its trace. */
  history: PkiChange[];
}

export interface PkiChange {
  generation: number;
  at: string;
  what: string;
}

const HISTORY_LIMIT = 200;

/** The state of a PKI about to be built: no certificates, no CRLs, generation 0. */
export function emptyState(o: { installId: string; createdAt: Date; repositoryUrl: string }): PkiState {
  return {
    version: 1,
    installId: o.installId,
    createdAt: o.createdAt.toISOString(),
    repositoryUrl: o.repositoryUrl.replace(/\/$/, ''),
    generation: 0,
    crls: {} as PkiState['crls'],
    certificates: [],
    history: [],
  };
}

/** The PKI folder (`.sandbox/pki/`): files by path relative to it, and state.json. */
export class PkiFolder {
  constructor(readonly dir: string) {}

  get statePath(): string {
    return join(this.dir, 'state.json');
  }

  hasState(): boolean {
    return existsSync(this.statePath);
  }

  path(relative: string): string {
    return join(this.dir, relative);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  readBytes(relative: string): Buffer {
    return readFileSync(this.path(relative));
  }

  write(relative: string, content: string | Buffer, mode = 0o644): void {
    writeFileAtomic(this.path(relative), content, mode);
  }

  remove(relative: string): void {
    rmSync(this.path(relative), { recursive: true, force: true });
  }

  /** Identifies the version of state.json on disk: a change by anyone (another process too) changes it. */
  stateStamp(): string {
    return fileStamp(this.statePath);
  }

  readState(): PkiState {
    const path = this.statePath;
    let state: PkiState;
    try {
      state = JSON.parse(readFileSync(path, 'utf8')) as PkiState;
    } catch (e) {
      throw new SandboxError(`cannot read ${path}: ${(e as Error).message}`, 'rebuild the PKI with: npm run sandbox -- pki init --force');
    }
    if (state.version !== 1 || !Array.isArray(state.certificates)) {
      throw new SandboxError(
        `${path} is not a sandbox PKI state file (version ${String(state.version)})`,
        'rebuild the PKI with: npm run sandbox -- pki init --force',
      );
    }
    return state;
  }

  /** Records what changed as the next generation and writes state.json; returns the new stamp. */
  commitState(state: PkiState, what: string[], at: Date): string {
    state.generation += 1;
    const stamp = at.toISOString();
    state.history = [...(state.history ?? []), ...what.map((w) => ({ generation: state.generation, at: stamp, what: w }))].slice(-HISTORY_LIMIT);
    // The stamp of what we wrote (taken before the rename): a writer right after us is then seen as a change.
    return writeFileAtomic(this.statePath, `${JSON.stringify(state, null, 2)}\n`);
  }

  /** One change to the PKI at a time, across processes: the CLI and a running network never change it together. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    mkdirSync(this.dir, { recursive: true });
    return withFileLock(this.dir, fn, { lockPath: join(this.dir, 'state.lock'), what: `the sandbox PKI in ${this.dir}` });
  }
}

/** The certificate of `kind` in use for `host`, if any. */
export function currentRecord(state: PkiState, host: string, kind: CertKind): CertRecord | undefined {
  return state.certificates.find((c) => c.host === host && c.kind === kind && c.status === 'current');
}

/** The current certificate of a CA; a PKI without it is broken beyond repair. */
export function caRecordOf(state: PkiState, dir: string, ca: CaId): CertRecord {
  const record = state.certificates.find((c) => c.ca === ca && (c.kind === 'root' || c.kind === 'intermediate') && c.status === 'current');
  if (!record) throw new SandboxError(`the sandbox PKI in ${dir} has no ${ca} CA; rebuild it with: npm run sandbox -- pki init --force`);
  return record;
}

export function normaliseSerial(serial: string): string {
  const hex = serial
    .replace(/[:\s]/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
  return hex.length % 2 ? `0${hex}` : hex;
}
