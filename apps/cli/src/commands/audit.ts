/** `sandbox audit [dvza]`: the DVZAs' audit logs (../audit.ts). */
import type { Command } from 'commander';
import { loadTopology } from '@medmij-sandbox/network';
import { auditEntries, formatAudit } from '../audit.js';
import type { Cli } from '../context.js';

export function registerAuditCommands(program: Command, { globals, print }: Cli): void {
  program
    .command('audit')
    .description("the DVZAs' audit logs: every authorization, token and FHIR request with client, patient, gegevensdienst and outcome")
    .argument('[dvza]', 'one DVZA (id or hostname); default: all')
    .option('--bsn <bsn>', "only this patient's entries")
    .option('--json', 'one JSON entry per line')
    .action((dvza: string | undefined, o: { bsn?: string; json?: boolean }) => {
      const { paths, topologyPath } = globals();
      const entries = auditEntries(loadTopology(topologyPath), paths, { dvza, bsn: o.bsn });
      print(o.json ? entries.map((e) => JSON.stringify(e)).join('\n') : formatAudit(entries));
    });
}
