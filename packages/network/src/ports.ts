/**
 * Free ports, and a topology moved onto them: for runs that must not collide with a sandbox already
 * running on the topology's own ports (scenario runs, tests).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseTopology, type Topology } from './topology.js';

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Copies the topology at `source` into `dir` with every port replaced by a free one. */
export async function writeTopologyOnFreePorts(
  source: string,
  dir: string,
  overrides: { referenceDate?: string } = {},
): Promise<{ topology: Topology; path: string }> {
  const doc = parse(readFileSync(source, 'utf8')) as { referenceDate?: string; participants: Array<Record<string, unknown>> };
  for (const p of doc.participants) {
    for (const field of ['port', 'frontchannelPort', 'backchannelPort']) if (typeof p[field] === 'number') p[field] = await freePort();
  }
  if (overrides.referenceDate) doc.referenceDate = overrides.referenceDate;
  const path = join(dir, 'topology.yaml');
  const text = stringify(doc);
  writeFileSync(path, text);
  return { topology: parseTopology(text, path), path };
}
