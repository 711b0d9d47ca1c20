import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('imports no Node and nothing but the catalogue and the Afsprakenstelsel type: the PGO web UI loads it', () => {
  const allowed = ['@medmij-sandbox/rules', '@medmij-sandbox/network/afsprakenstelsel'];
  const dir = new URL('.', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const imports = [...readFileSync(new URL(file, dir), 'utf8').matchAll(/^(?:import|export)\b[^;]*? from '([^']+)';$/gm)].map((m) => m[1]!);
    expect(
      imports.filter((i) => !i.startsWith('./') && !allowed.includes(i)),
      file,
    ).toEqual([]);
  }
});
