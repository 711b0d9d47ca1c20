/**
 * Writing a file that other processes read while it changes (clock.json, hosts.json, enrolments.json,
 * network.json): write a temporary file beside it and rename it over the old one, so a reader sees the old
 * file or the new one, never half of one. The temporary name is random: processes in separate containers on
 * one volume can have the same process id.
 */
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { secureRandomBytes } from './random.js';

/** Writes `text` to `path` atomically; returns the stamp (see fileStamp) of what it wrote. */
export function writeFileAtomic(path: string, text: string, mode?: number): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${secureRandomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
  // Stamped before the rename (a rename keeps inode and mtime): a writer that renames right after us must
  // not make us believe its version is ours.
  const stamp = fileStamp(tmp);
  renameSync(tmp, path);
  return stamp;
}

/** Identifies one version of a file: an atomic replace changes the inode, so inode + mtime + size change. */
export function fileStamp(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : 'absent';
}
