import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@medmij-sandbox/network';
import { PREBUNDLED } from '../ui/prebundled.js';

/** Bare imports (packages from node_modules) of the TypeScript files below `dir`. */
function bareImports(dir: string, skip: (file: string) => boolean = () => false): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !file.endsWith('.ts') || skip(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*import\s+(?!type\s)[^;]*?from\s+'([^.'][^']*)'/gm)) found.add(m[1]!);
  }
  return found;
}

describe('the packages vite pre-bundles for the UI tests', () => {
  it('are exactly what the UI, its tests and the API client it uses import from node_modules', () => {
    const root = repositoryRoot();
    // Files that run in Node, not in the browser: the vite config and the tests' global setup.
    const nodeSide = (f: string) => /vite\.config\.ts$|global-setup\.ts$|prebundled\.ts$/.test(f);
    const imported = new Set([
      ...bareImports(join(root, 'apps/console/ui'), nodeSide),
      ...bareImports(join(root, 'packages/console-api/src'), (f) => f.endsWith('.test.ts')),
      ...bareImports(join(root, 'packages/ui/src')),
    ]);
    // vitest brings its own; workspace packages are source files, not pre-bundled.
    const packages = [...imported].filter((p) => !/^(vitest|@vitest\/|vite$|@medmij-sandbox\/|node:)/.test(p));
    expect(new Set(PREBUNDLED)).toEqual(new Set(packages));
  });
});
