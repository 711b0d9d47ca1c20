/**
 * Peak memory of the default network alone, in a process of its own: start every participant of the
 * default topology (on free ports), collect one BgZ dossier through the reference PGO, print the peak
 * resident set size in MB. `bench/run.ts` runs this as a child process.
 */
import { join } from 'node:path';
import { defaultTopologyPath, repositoryRoot } from '@medmij-sandbox/network';
import { tempDir } from '@medmij-sandbox/network/testing';
import { loadCatalogue } from '@medmij-sandbox/scenario';
import { prepareRun, runOnFreshNetwork } from '@medmij-sandbox/cli';

const run = await prepareRun(defaultTopologyPath(), join(tempDir('medmij-bench-memory-'), 'run'));
const happy = loadCatalogue(join(repositoryRoot(), 'scenarios')).find((s) => s.name === 'happy-path-bgz')!;
const result = await runOnFreshNetwork(run, happy);
if (!result.ok) throw new Error('happy-path-bgz failed while measuring memory');
// maxRSS is in kilobytes.
console.log(Math.round(process.resourceUsage().maxRSS / 1024));
