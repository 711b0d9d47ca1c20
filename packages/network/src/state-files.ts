/**
 * State on disk that several processes share (the PKI, clock.json, hosts.json, enrolments.json, network.json,
 * the stelselnode's and the PGO's state): the one way the sandbox writes, re-reads and locks such files.
 *
 * - writeFileAtomic: write a temporary file beside the target and rename it over the old one, so a reader sees
 *   the old file or the new one, never half of one. The temporary name is random: processes in separate
 *   containers on one volume can have the same process id.
 * - fileStamp / WatchedFile: a file re-read only when it changed (one stat per reading), cheap enough to run
 *   before every TLS handshake, so a change made by another process counts at once.
 * - loadOrCreateSecrets: a participant's own secrets (TOTP secrets, a pseudonym key), drawn from the CSPRNG
 *   once and kept 0600, so they survive restarts without following from the seed.
 * - withFileLock: one writer at a time across processes for read-modify-write changes (proper-lockfile: a lock
 *   directory whose mtime the holder keeps fresh, so a crashed holder's lock goes stale by itself).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { SandboxError } from './errors.js';
import { secureRandomBytes } from './random.js';

/** Writes `content` to `path` atomically; returns the stamp (see fileStamp) of what it wrote. */
export function writeFileAtomic(path: string, content: string | Buffer, mode?: number): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${secureRandomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, content, mode === undefined ? undefined : { mode });
    // Stamped before the rename (a rename keeps inode and mtime): a writer that renames right after us must
    // not make us believe its version is ours.
    const stamp = fileStamp(tmp);
    renameSync(tmp, path);
    return stamp;
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** writeFileAtomic of a value as indented JSON with a final newline (how every sandbox state file looks). */
export function writeJsonAtomic(path: string, value: unknown, mode?: number): string {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/**
 * Named secrets of `bytes` bytes each in `file` (`{ description, secrets: { name: hex } }`): read when the file
 * exists, else drawn from the CSPRNG and written with mode 0600. A damaged file is refused naming the file and
 * the field, and left as it is (deleting it makes new secrets at the next start).
 */
export function loadOrCreateSecrets<N extends string>(file: string, o: { description: string; names: readonly N[]; bytes: number }): Record<N, Buffer> {
  const fix = 'delete it and new secrets are made at the next start';
  if (existsSync(file)) {
    let parsed: { secrets?: Record<string, unknown> };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
    } catch (e) {
      throw new SandboxError(`${file}: not JSON (${(e as Error).message}); ${fix}`);
    }
    const out = {} as Record<N, Buffer>;
    for (const name of o.names) {
      const hex = parsed.secrets?.[name];
      if (typeof hex !== 'string' || !new RegExp(`^[0-9a-f]{${o.bytes * 2}}$`).test(hex))
        throw new SandboxError(`${file}: secrets.${name} is not ${o.bytes * 2} hex digits; ${fix}`);
      out[name] = Buffer.from(hex, 'hex');
    }
    // A file left readable for others (an older sandbox, a copy) is made private again.
    chmodSync(file, 0o600);
    return out;
  }
  const out = Object.fromEntries(o.names.map((n) => [n, secureRandomBytes(o.bytes)])) as Record<N, Buffer>;
  writeJsonAtomic(file, { description: o.description, secrets: Object.fromEntries(o.names.map((n) => [n, out[n].toString('hex')])) }, 0o600);
  return out;
}

/** Identifies one version of a file: an atomic replace changes the inode, so inode + mtime + size change. */
export function fileStamp(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : 'absent';
}

/**
 * A file's parsed content, re-read whenever the file changed since the last reading (another process wrote
 * it). A missing file reads as `absent()`; a file that cannot be parsed throws what `parse` throws, or with
 * `keepLastGood` the version read before stays in use (the clock: time must go on whatever a person did to
 * its file).
 */
export class WatchedFile<T> {
  private stamp = '';
  private value?: { parsed: T };

  constructor(
    readonly path: string,
    private readonly parse: (text: string) => T,
    private readonly absent: () => T,
    private readonly o: { keepLastGood?: boolean } = {},
  ) {}

  get(): T {
    const now = fileStamp(this.path);
    if (now === this.stamp && this.value) return this.value.parsed;
    if (now === 'absent') {
      this.stamp = now;
      this.value = { parsed: this.absent() };
      return this.value.parsed;
    }
    try {
      this.value = { parsed: this.parse(readFileSync(this.path, 'utf8')) };
      this.stamp = now;
    } catch (e) {
      if (!this.o.keepLastGood || !this.value) throw e;
      // Keep the last good version until the file changes again: not a re-read at every reading.
      this.stamp = now;
    }
    return this.value.parsed;
  }

  /** Whether the file changed since the last reading (without reading it). */
  changed(): boolean {
    return fileStamp(this.path) !== this.stamp;
  }

  /** Writes a new version atomically and takes it as read: the writer does not read back its own change. */
  write(value: T, serialise: (value: T) => string = (v) => `${JSON.stringify(v, null, 2)}\n`, mode?: number): void {
    this.stamp = writeFileAtomic(this.path, serialise(value), mode);
    this.value = { parsed: value };
  }
}

export interface FileLockOptions {
  /** Where the lock lives (default `<target>.lock`): a directory, so that creating it is atomic. */
  lockPath?: string;
  /** How long to keep trying before telling the person which process holds it. */
  waitMs?: number;
  /** Who holds it, in words, for the error message ("the sandbox PKI in ..."). */
  what?: string;
}

/**
 * Runs `fn` while this process holds the lock on `target` (a file or folder, which need not exist yet). The
 * holder keeps the lock fresh; a lock nobody refreshed for a minute is from a crashed process and is taken
 * over. Waits up to `waitMs` (default 15 s) for another holder, then fails with a clear message.
 */
export async function withFileLock<T>(target: string, fn: () => Promise<T>, o: FileLockOptions = {}): Promise<T> {
  const lockPath = o.lockPath ?? `${target}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  const waitMs = o.waitMs ?? 15_000;
  const retryEveryMs = 50;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      lockfilePath: lockPath,
      realpath: false,
      stale: 60_000,
      update: 10_000,
      retries: { retries: Math.ceil(waitMs / retryEveryMs), factor: 1, minTimeout: retryEveryMs, maxTimeout: retryEveryMs },
      // The default throws from a timer (a crash); finish the change instead and report it afterwards.
      onCompromised: (e) => {
        compromised = e;
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new SandboxError(
        `${o.what ?? target} is locked by another process (${lockPath})`,
        'wait for it to finish, or remove the lock folder if no sandbox command is running',
      );
    }
    throw e;
  }
  let result: T;
  try {
    result = await fn();
  } finally {
    await release().catch(() => undefined); // already released by a take-over: reported below
  }
  // Someone removed or took over our lock while we held it: the change is done, but say so.
  if (compromised) throw new SandboxError(`the lock on ${o.what ?? target} was taken from this process while it held it: ${compromised.message}`);
  return result;
}
