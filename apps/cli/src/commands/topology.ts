/** `sandbox topology [file]`: check a topology file and summarise it. */
import type { Command } from 'commander';
import { gegevensdienstOf, loadTopology } from '@medmij-sandbox/network';
import type { Cli } from '../context.js';

export function registerTopologyCommands(program: Command, { globals, print }: Cli): void {
  program
    .command('topology')
    .description('check a topology file and summarise it')
    .argument('[file]', 'topology file (default: topology.yaml)')
    .action((file?: string) => {
      const path = file ?? globals().topologyPath;
      const topology = loadTopology(path);
      print(
        `${path}: valid (afsprakenstelsel ${topology.afsprakenstelsel}, seed '${topology.seed}', ${topology.participants.length} participants, ${topology.gegevensdiensten.length} gegevensdiensten)`,
      );
      for (const g of topology.gegevensdiensten) {
        print(`  gegevensdienst ${g.id.padEnd(3)} ${g.key.padEnd(16)} ${g.weergavenaam} (${g.systeemrolcode}${g.sandboxChoice ? ', a sandbox choice' : ''})`);
      }
      for (const p of topology.participants) {
        const extra =
          p.role === 'dvza'
            ? ` ${p.zorgaanbiedernaam} offers ${p.gegevensdiensten.map((id) => `${id} (${gegevensdienstOf(topology, id)?.key ?? '?'})`).join(', ')}`
            : '';
        print(`  ${p.role.padEnd(11)} ${p.id.padEnd(14)} ${p.hostname}${extra}`);
      }
    });
}
