/** `sandbox trust`: trust the sandbox root in the browsers (NSS) and the system store, like mkcert -install. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { SandboxError, hasFrontchannel, loadTopology } from '@medmij-sandbox/network';
import { SandboxPki } from '@medmij-sandbox/pki';
import { commandClock, sandboxCommand, type Cli } from '../context.js';
import { manageTrust, recordedInstallId, type TrustStep } from '../trust.js';

export function registerTrustCommands(program: Command, { globals, print }: Cli): void {
  program
    .command('trust')
    .description("trust this sandbox folder's root in your browsers (NSS) and system store, like mkcert -install; other folders' roots stay trusted")
    .option('--uninstall', "remove this folder's root again (other sandbox folders' roots stay)")
    .option('--check', "only report where this folder's root is trusted, and which other sandbox roots are")
    .option('--no-system', 'leave the operating system store alone (browsers only)')
    .action((o: { uninstall?: boolean; check?: boolean; system: boolean }) => {
      const { paths, topologyPath } = globals();
      const action = o.check ? 'check' : o.uninstall ? 'uninstall' : 'install';
      const pki = SandboxPki.exists(paths.pki) ? SandboxPki.open(paths.pki, { clock: commandClock(globals()) }) : undefined;
      // A folder thrown away still has its root trusted: --uninstall takes it out by the root recorded for it.
      const recorded = !pki && action === 'uninstall' ? recordedInstallId(paths.root) : undefined;
      if (!pki && !recorded) {
        throw new SandboxError(`no sandbox PKI in ${paths.pki} yet`, `start the network once (npm start) or run: ${sandboxCommand(paths.root, 'pki init')}`);
      }
      const rootPemPath = pki?.rootCertPath ?? `${paths.pki}/ca/root.pem`;
      const installId = pki?.installId ?? recorded!;
      const steps = manageTrust({ rootPemPath, installId, action, system: o.system, folder: paths.root });
      if (steps.length === 0) print('no trust store found to manage on this system');
      for (const s of steps) print(formatStep(s));
      if (action === 'check' && steps.some((s) => s.others?.length)) {
        print(`\nOther sandbox roots stay trusted beside this folder's (${paths.root}); each line above says how to remove one.`);
      }
      if (action === 'install' && pki) {
        const topology = existsSync(topologyPath) ? loadTopology(topologyPath) : undefined;
        const front = topology?.participants.find(hasFrontchannel);
        print(`\nRestart your browser, then open a sandbox page${front ? ` such as https://${front.hostname}:${front.frontchannelPort}` : ''}: no warning.`);
        print(`Other tools: curl --cacert ${pki.rootCertPath} ...   Node: NODE_EXTRA_CA_CERTS=${pki.rootCertPath}`);
      }
      if (steps.some((s) => s.status === 'failed')) process.exitCode = 1;
    });
}

const INDENT = ' '.repeat(17);

/** One store: its status, this root, and (check) the other sandbox roots it trusts with how to remove each. */
export function formatStep(s: TrustStep): string {
  const lines = [`${s.status.padEnd(16)} ${s.store}`];
  if (s.detail) lines.push(`${INDENT}${s.detail}`);
  for (const other of s.others ?? []) {
    lines.push(`${INDENT}also trusted: ${other.name}${other.folder ? `, the root of ${other.folder}` : ''}`);
    lines.push(`${INDENT}  remove: ${other.remove}`);
  }
  return lines.join('\n');
}
