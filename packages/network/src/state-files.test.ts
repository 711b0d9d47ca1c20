import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WatchedFile, fileStamp, loadOrCreateSecrets, withFileLock, writeFileAtomic, writeJsonAtomic } from './state-files.js';
import { tempDir } from './testing.js';

describe('state files', () => {
  it('writes atomically with a temporary name of its own, and leaves nothing behind', () => {
    const dir = tempDir();
    const file = join(dir, 'a', 'state.json');
    const stamp = writeJsonAtomic(file, { n: 1 });
    expect(stamp).toBe(fileStamp(file));
    writeFileAtomic(file, 'two');
    expect(readdirSync(join(dir, 'a'))).toEqual(['state.json']);
    expect(fileStamp(join(dir, 'none'))).toBe('absent');
  });

  it('re-reads a watched file when another writer replaced it, and only then', () => {
    const file = join(tempDir(), 'hosts.json');
    let parses = 0;
    const watched = new WatchedFile(
      file,
      (t) => (parses++, JSON.parse(t) as { n: number }),
      () => ({ n: 0 }),
    );
    expect(watched.get()).toEqual({ n: 0 });
    writeJsonAtomic(file, { n: 1 });
    expect([watched.get(), watched.get(), parses]).toEqual([{ n: 1 }, { n: 1 }, 1]);
    writeJsonAtomic(file, { n: 2 });
    expect(watched.changed()).toBe(true);
    expect(watched.get()).toEqual({ n: 2 });
    // A damaged file: an error, unless the last good version is to be kept.
    writeFileAtomic(file, '{ damaged');
    expect(() => watched.get()).toThrow();
    const keeping = new WatchedFile(
      file,
      (t) => JSON.parse(t) as unknown,
      () => null,
      { keepLastGood: true },
    );
    writeJsonAtomic(file, { n: 3 });
    expect(keeping.get()).toEqual({ n: 3 });
    writeFileAtomic(file, '{ damaged');
    expect(keeping.get()).toEqual({ n: 3 });
  });

  it('lets one holder at a time change a file, and takes over a lock left by a crashed process', async () => {
    const dir = tempDir();
    const target = join(dir, 'enrolments.json');
    const order: string[] = [];
    const change = (name: string) =>
      withFileLock(target, async () => {
        order.push(`${name} in`);
        await new Promise((r) => setImmediate(r));
        order.push(`${name} out`);
      });
    await Promise.all([change('a'), change('b')]);
    // Never interleaved: the one that got the lock first is done before the other starts.
    const first = order[0]!.split(' ')[0]!;
    const second = first === 'a' ? 'b' : 'a';
    expect(order).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    // A lock nobody refreshed for over a minute: its holder crashed.
    const lock = `${target}.lock`;
    mkdirSync(lock);
    const old = new Date(Date.parse('2020-01-01T00:00:00Z'));
    utimesSync(lock, old, old);
    expect(await withFileLock(target, async () => 'done', { waitMs: 1000 })).toBe('done');
    // A live holder: the second waits, then says who holds it.
    let release!: () => void;
    let entered!: () => void;
    const holds = new Promise<void>((r) => (entered = r));
    const holding = withFileLock(target, () => {
      entered();
      return new Promise<void>((r) => (release = r));
    });
    await holds;
    await expect(withFileLock(target, async () => 'late', { waitMs: 200, what: 'the enrolments' })).rejects.toThrow(
      /the enrolments is locked by another process/,
    );
    release();
    await holding;
  });

  it('loadOrCreateSecrets: drawn once and kept 0600, read back the same, a damaged file refused naming file and field', () => {
    const file = join(tempDir(), 'tvs', 'secrets.json');
    const o = { description: 'test', names: ['key'] as const, bytes: 32 };
    const first = loadOrCreateSecrets(file, o);
    expect(first.key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecrets(file, o).key.equals(first.key)).toBe(true);
    // A copy left readable by others is made private again.
    chmodSync(file, 0o644);
    loadOrCreateSecrets(file, o);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Another sandbox folder: other secrets.
    expect(loadOrCreateSecrets(join(tempDir(), 'secrets.json'), o).key.equals(first.key)).toBe(false);
    writeFileSync(file, JSON.stringify({ secrets: { key: 'short' } }));
    expect(() => loadOrCreateSecrets(file, o)).toThrow(`${file}: secrets.key is not 64 hex digits; delete it`);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ secrets: { key: 'short' } }));
  });
});
