/**
 * The PGO's memory of what it collected: one JSON file per user under the PGO's folder, written atomically and
 * private to the sandbox's user (0600: health data). Access tokens never come here (the collector keeps them in
 * memory only), and BSNs neither (SPEC §10.6: `purgeBsn` cleans what an older sandbox stored).
 */
import { chmodSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@medmij-sandbox/network';
import type { Collection, CollectionSummary } from '@medmij-sandbox/pgo-api';
import { collectionWithoutBsn } from './no-bsn.js';
import { ruleByText, ruleText } from '@medmij-sandbox/rules';

/** What `purgeBsn` did to one user's file. */
export interface BsnPurge {
  user: string;
  file: string;
  collections: number;
  identifiers: number;
}

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

  /**
   * Adds or replaces (same id) one collection; returns it. With `cap`, the user keeps at most `max` collections of
   * that kind: the oldest go first (records anyone can make, such as answers to no request, cannot fill a file).
   */
  save(username: string, collection: Collection, cap?: { kind: (c: Collection) => boolean; max: number }): Collection {
    let all = this.read(username).filter((c) => c.id !== collection.id);
    if (cap && cap.kind(collection)) {
      // In the order they were saved (the file's order): a frozen sandbox clock gives them all one startedAt.
      const same = all.filter(cap.kind);
      const drop = new Set(same.slice(0, Math.max(0, same.length - (cap.max - 1))).map((c) => c.id));
      all = all.filter((c) => !drop.has(c.id));
    }
    all.push(collection);
    writeFileAtomic(this.file(username), JSON.stringify(all), 0o600);
    return collection;
  }

  /**
   * At start: every stored collection that holds a BSN value is rewritten without it (the identifier kept, marked
   * masked; the collection's `bsnWithheld` says so), and every file is made private (0600) — an older sandbox wrote
   * them readable for all. Returns what it changed, per user file; a file it cannot read is left as it is.
   */
  purgeBsn(): BsnPurge[] {
    if (!existsSync(this.dir)) return [];
    const done: BsnPurge[] = [];
    for (const name of readdirSync(this.dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const file = join(this.dir, name);
      chmodSync(file, 0o600);
      let all: Collection[];
      try {
        all = JSON.parse(readFileSync(file, 'utf8')) as Collection[];
        if (!Array.isArray(all)) continue;
      } catch {
        continue;
      }
      let collections = 0;
      let identifiers = 0;
      const cleaned = all.map((c) => {
        const clean = collectionWithoutBsn(c);
        if (clean.identifiers > 0) {
          collections++;
          identifiers += clean.identifiers;
        }
        return clean.collection;
      });
      if (identifiers === 0) continue;
      writeFileAtomic(file, JSON.stringify(cleaned), 0o600);
      done.push({ user: userOf(name), file, collections, identifiers });
    }
    return done;
  }

  private file(username: string): string {
    return join(this.dir, `${encodeURIComponent(username)}.json`);
  }

  private read(username: string): Collection[] {
    const file = this.file(username);
    if (!existsSync(file)) return [];
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as Collection[]).map(withBilingualRule);
    } catch {
      return [];
    }
  }
}

/** The username a file is named after (encodeURIComponent); a name that is no such encoding, as it is. */
function userOf(fileName: string): string {
  const base = fileName.slice(0, -'.json'.length);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

/**
 * A refusal stored by an older sandbox names its rule in English only (a string): read as both languages, the Dutch
 * from the rule catalogue where it knows that text.
 */
function withBilingualRule(c: Collection): Collection {
  const rule: unknown = c.refusal?.rule;
  if (typeof rule !== 'string' || !c.refusal) return c;
  const known = ruleByText(rule);
  return { ...c, refusal: { ...c.refusal, rule: { nl: known ? ruleText(known, 'nl') : rule, en: rule }, ...(known ? { ruleId: known.id } : {}) } };
}
