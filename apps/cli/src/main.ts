#!/usr/bin/env -S npx tsx
/**
 * `sandbox`: the command line of the MedMij Sandbox (run it as `npm run sandbox -- <command>`). Each
 * command group lives in commands/<group>.ts; this file only puts them together and reports errors.
 */
import { Command } from 'commander';
import { AFSPRAKENSTELSELS, SandboxError, defaultTopologyPath, isAfsprakenstelsel, sandboxPaths } from '@medmij-sandbox/network';
import type { Cli } from './context.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerComposeCommands } from './commands/compose.js';
import { registerEnrolCommands } from './commands/enrol.js';
import { registerListsCommands } from './commands/lists.js';
import { registerNetworkCommands } from './commands/network.js';
import { registerPatientCommands } from './commands/patients.js';
import { registerPkiCommands } from './commands/pki.js';
import { registerScenarioCommands } from './commands/scenario.js';
import { registerTopologyCommands } from './commands/topology.js';
import { registerTraceCommands } from './commands/trace.js';
import { registerTrustCommands } from './commands/trust.js';

const program = new Command('sandbox')
  .description('MedMij Sandbox - the MedMij network on one machine (NOT FOR PRODUCTION)')
  .option('--dir <dir>', 'folder for generated state (PKI, traces, network.json)', process.env.SANDBOX_DIR)
  .option('--topology <file>', 'topology file', undefined)
  .option('--afsprakenstelsel <version>', `the MedMij afsprakenstelsel to run instead of the topology's: ${AFSPRAKENSTELSELS.join(' or ')}`)
  .hook('preAction', (command) => {
    const version = command.opts<{ afsprakenstelsel?: string }>().afsprakenstelsel;
    if (version === undefined) return;
    if (!isAfsprakenstelsel(version)) command.error(`--afsprakenstelsel ${version}: must be ${AFSPRAKENSTELSELS.join(' or ')}`);
    // Every topology this process loads, and every process it starts (`up --processes`, scenario networks), follows.
    process.env.SANDBOX_AFSPRAKENSTELSEL = version;
  })
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(`sandbox: ${text.replace(/^error: /, '')}`) });

const cli: Cli = {
  globals() {
    const o = program.opts<{ dir?: string; topology?: string }>();
    return { paths: sandboxPaths(o.dir), topologyPath: o.topology ?? defaultTopologyPath() };
  },
  print,
};

// In the order `sandbox --help` lists them.
for (const register of [
  registerNetworkCommands,
  registerComposeCommands,
  registerEnrolCommands,
  registerPkiCommands,
  registerListsCommands,
  registerTrustCommands,
  registerTopologyCommands,
  registerPatientCommands,
  registerScenarioCommands,
  registerAuditCommands,
  registerTraceCommands,
]) {
  register(program, cli);
}

// A reader that went away (`sandbox trace | head`, a parent that stopped listening) is no reason to crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof SandboxError) {
      process.stderr.write(`sandbox: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      process.exitCode = 1;
      return;
    }
    // Anything else is a bug in the sandbox: say so, with the stack for the report.
    process.stderr.write(`sandbox: internal error (please report this): ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}

await main();
