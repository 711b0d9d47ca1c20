/** `sandbox enrol pgo|dvza|list|remove`: bring your own participant into the sandbox network (../enrol.ts). */
import type { Command } from 'commander';
import { LEAF_KINDS } from '@medmij-sandbox/pki';
import type { Cli } from '../context.js';
import { enrolDvza, enrolPgo, listEnrolments, withdraw, type EnrolResult } from '../enrol.js';
import { formatTable } from '../table.js';

export function registerEnrolCommands(program: Command, { globals, print }: Cli): void {
  const enrolCmd = program
    .command('enrol')
    .description('bring your own PGO or DVZA into the sandbox network: certificates, a place on the lists, what to configure');
  const printEnrolment = (r: EnrolResult, json?: boolean) => {
    if (json) return print(JSON.stringify({ enrolment: r.enrolment, hostname: r.hostname, certificates: r.certificates, published: r.published }, null, 2));
    print(r.config);
    print('');
    for (const line of r.published) print(`stelselnode: ${line}`);
  };
  enrolCmd
    .command('pgo <hostname>')
    .description('enrol your PGO: client_id = hostname, on the OAuthclientlist and the Whitelist')
    .option('--name <name>', 'organisation name on the OAuthclientlist (what the consent page shows)')
    .option('--web-url <url>', 'where its web app runs, e.g. https://teampgo.localhost:8760 (lets scenarios drive it)')
    .option('--address <ipv4>', 'where the sandbox reaches it (needed for names outside *.localhost, e.g. a container)')
    .option('--csr <file>', 'sign your own certificate signing request (PEM) instead of issuing a key')
    .option('--csr-kind <kind>', `which certificate the CSR is for: ${LEAF_KINDS.join(', ')} (default: client)`)
    .option('--json', 'print the result as JSON')
    .action(async (hostname: string, o: { name?: string; webUrl?: string; address?: string; csr?: string; csrKind?: string; json?: boolean }) =>
      printEnrolment(await enrolPgo(globals(), hostname, o), o.json),
    );
  enrolCmd
    .command('dvza <zorgaanbiedernaam>')
    .description('enrol your DVZA: on the Zorgaanbiederslijst with its endpoints, on the Whitelist, known to the TVS')
    .option('--name <name>', 'display name of the care provider')
    .option('--authorize-url <url>', 'authorization endpoint (front channel)')
    .option('--token-url <url>', 'token endpoint (back channel, mutual TLS)')
    .option('--fhir-url <url>', 'FHIR resource endpoint (back channel, mutual TLS)')
    .option('--gegevensdienst <id>', 'a gegevensdienst it offers (repeat, or comma separated)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--patients-of <dvza>', 'the topology DVZA whose synthetic patients it holds (default: the first DVZA)')
    .option('--address <ipv4>', 'where the sandbox reaches it (needed for names outside *.localhost, e.g. a container)')
    .option('--csr <file>', 'sign your own certificate signing request (PEM) instead of issuing a key')
    .option('--csr-kind <kind>', `which certificate the CSR is for: ${LEAF_KINDS.join(', ')} (default: server)`)
    .option('--json', 'print the result as JSON')
    .action(async (naam: string, o: Parameters<typeof enrolDvza>[2] & { json?: boolean }) => printEnrolment(await enrolDvza(globals(), naam, o), o.json));
  enrolCmd
    .command('list')
    .description('the enrolled participants')
    .action(() => {
      const all = listEnrolments(globals());
      if (all.length === 0) return print('nothing enrolled (npm run sandbox -- enrol pgo <hostname> | enrol dvza <zorgaanbiedernaam> ...)');
      print(
        formatTable(
          ['role', 'participant', 'name', 'hostname', 'endpoints'],
          all.map((e) => [
            e.role,
            e.role === 'pgo' ? e.hostname : e.zorgaanbiedernaam,
            e.name,
            e.role === 'pgo' ? e.hostname : new URL(e.tokenUrl).hostname,
            e.role === 'dvza' ? `${e.authorizeUrl} ${e.tokenUrl} ${e.fhirUrl} (${e.gegevensdiensten.join(',')})` : '-',
          ]),
        ),
      );
    });
  enrolCmd
    .command('remove <participant>')
    .description('take an enrolled participant off the lists and revoke its certificates')
    .action(async (key: string) => {
      for (const line of await withdraw(globals(), key)) print(line);
    });
}
