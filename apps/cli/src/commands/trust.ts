/** `sandbox trust`: trust the sandbox root in the browsers (NSS) and the system store, like mkcert -install. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { SandboxError, hasFrontchannel, loadTopology } from '@medmij-sandbox/network';
import { SandboxPki } from '@medmij-sandbox/pki';
import { commandClock, type Cli } from '../context.js';
import { manageTrust } from '../trust.js';

export function registerTrustCommands(program: Command, { globals, print }: Cli): void {
  program
    .command('trust')
    .description('trust the sandbox root in your browsers (NSS) and system store, like mkcert -install')
    .option('--uninstall', 'remove the sandbox root again')
    .option('--check', 'only report where it is trusted')
    .option('--no-system', 'leave the operating system store alone (browsers only)')
    .action((o: { uninstall?: boolean; check?: boolean; system: boolean }) => {
      const { paths, topologyPath } = globals();
      const pki = SandboxPki.exists(paths.pki) ? SandboxPki.open(paths.pki, { clock: commandClock(globals()) }) : undefined;
      if (!pki) throw new SandboxError(`no sandbox PKI in ${paths.pki} yet`, 'start the network once (npm start) or run: npm run sandbox -- pki init');
      const action = o.check ? 'check' : o.uninstall ? 'uninstall' : 'install';
      const steps = manageTrust({ rootPemPath: pki.rootCertPath, installId: pki.installId, action, system: o.system });
      if (steps.length === 0) print('no trust store found to manage on this system');
      for (const s of steps) print(`${s.status.padEnd(16)} ${s.store}${s.detail ? `\n${' '.repeat(17)}${s.detail}` : ''}`);
      if (action === 'install') {
        const topology = existsSync(topologyPath) ? loadTopology(topologyPath) : undefined;
        const front = topology?.participants.find(hasFrontchannel);
        print(`\nRestart your browser, then open a sandbox page${front ? ` such as https://${front.hostname}:${front.frontchannelPort}` : ''}: no warning.`);
        print(`Other tools: curl --cacert ${pki.rootCertPath} ...   Node: NODE_EXTRA_CA_CERTS=${pki.rootCertPath}`);
      }
      if (steps.some((s) => s.status === 'failed')) process.exitCode = 1;
    });
}
