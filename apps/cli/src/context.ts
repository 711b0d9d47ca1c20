/**
 * What every `sandbox` command works with: the sandbox folder and topology it was pointed at (`--dir`,
 * `--topology`), the sandbox clock of that folder, its PKI and the stelselnode's control API.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  SandboxError,
  backchannelUrl,
  hostTable,
  loadTopology,
  participantsByRole,
  repositoryRoot,
  sandboxClockIn,
  type SandboxClock,
  type SandboxPaths,
} from '@medmij-sandbox/network';
import { SandboxPki } from '@medmij-sandbox/pki';
import { StelselnodeControl } from '@medmij-sandbox/stelselnode-client';

export interface Globals {
  paths: SandboxPaths;
  topologyPath: string;
}

/** How a command group plugs into the program. */
export interface Cli {
  globals(): Globals;
  print(text: string): void;
}

/**
 * How a person runs `sandbox <args>` on the sandbox folder `root`: `npm run sandbox -- <args>` for the default
 * folder (.sandbox), else with that folder's `--dir` (relative to the repository, where npm runs the script).
 * For the hints a command prints, so they point at the folder the command was started with.
 */
export function sandboxCommand(root: string, args: string, repository: string = repositoryRoot()): string {
  const dir = resolve(root);
  if (dir === join(repository, '.sandbox')) return `npm run sandbox -- ${args}`;
  const inside = relative(repository, dir);
  const outside = inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  const shown = outside ? dir : inside;
  return `npm run sandbox -- --dir ${shellWord(shown)} ${args}`;
}

/** `word` as one shell word: as it is when nothing in it is special, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The sandbox clock a command judges by: the network's shared clock when one runs or ran here (clock.json),
 * else real time — stated, never a silent default.
 */
export function commandClock(g: Globals): SandboxClock {
  return sandboxClockIn(g.paths.clock);
}

/** The folder's sandbox PKI, judged on the command's clock; a clear message when there is none yet. */
export function openPki(g: Globals, clock: SandboxClock = commandClock(g)): SandboxPki {
  if (!SandboxPki.exists(g.paths.pki)) {
    throw new SandboxError(`no sandbox PKI in ${g.paths.pki}`, 'start the network once (npm start), or prepare it with: npm run sandbox -- init');
  }
  return SandboxPki.open(g.paths.pki, { clock });
}

/** The running stelselnode: its URL, and its control API as the CLI calls it. */
export function stelselnodeOf(g: Globals, clock: SandboxClock = commandClock(g)) {
  const topology = loadTopology(g.topologyPath);
  const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
  const url = backchannelUrl(stelselnode)!;
  const pki = openPki(g, clock);
  const hosts = hostTable(topology, { hostsFile: g.paths.hosts });
  const control = new StelselnodeControl({ url, tokenFile: g.paths.stelselnode.controlToken, from: 'sandbox-cli', pki, clock, hosts });
  return { url, pki, clock, hosts, control, afsprakenstelsel: topology.afsprakenstelsel };
}
