/**
 * The PGO's memory of what it collected: one JSON file per user under the PGO's folder, written atomically.
 * Access tokens never come here (the collector keeps them in memory only).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@medmij-sandbox/network';
import type { Collection, CollectionSummary } from '@medmij-sandbox/pgo-api';

export class CollectionStore {
  constructor(private readonly dir: string) {}

  /** Newest first, without the resources and queries. */
  list(username: string): CollectionSummary[] {
    return this.read(username)
      .map(({ resources: _r, queries: _q, ...summary }) => summary)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  }

  load(username: string, id: string): Collection | undefined {
    return this.read(username).find((c) => c.id === id);
  }

  /** Adds or replaces (same id) one collection; returns it. */
  save(username: string, collection: Collection): Collection {
    const all = this.read(username).filter((c) => c.id !== collection.id);
    all.push(collection);
    writeFileAtomic(this.file(username), JSON.stringify(all));
    return collection;
  }

  private file(username: string): string {
    return join(this.dir, `${encodeURIComponent(username)}.json`);
  }

  private read(username: string): Collection[] {
    const file = this.file(username);
    if (!existsSync(file)) return [];
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Collection[];
    } catch {
      return [];
    }
  }
}
