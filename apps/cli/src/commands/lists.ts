/**
 * `sandbox lists ...`: look at the lists the running stelselnode publishes, and change the network
 * through its control API — over real HTTPS, with the control token from the sandbox folder.
 */
import type { Command } from 'commander';
import { SandboxError } from '@medmij-sandbox/network';
import { LIST_KINDS, listFileName, parseList, validateList, type ListKind } from '@medmij-sandbox/lists';
import { FAULTS, type ControlAction, type ControlBodies, type Fault } from '@medmij-sandbox/stelselnode-client';
import { hop, HopError } from '@medmij-sandbox/transport';
import { stelselnodeOf, type Cli } from '../context.js';
import { formatTable } from '../table.js';

function listArg(value: string): ListKind {
  const found = LIST_KINDS.find((k) => k.toLowerCase() === value.toLowerCase() || listFileName(k).toLowerCase() === value.toLowerCase());
  if (!found) throw new SandboxError(`unknown list '${value}'`, `lists: ${LIST_KINDS.join(', ')}`);
  return found;
}

export function registerListsCommands(program: Command, { globals, print }: Cli): void {
  const lists = program.command('lists').description('the MedMij lists of the running stelselnode, and changes to them');
  // The stelselnode's control API (packages/stelselnode-client), with the token from the sandbox folder.
  const run =
    <A extends ControlAction>(action: A, body?: () => ControlBodies[A]) =>
    async () => {
      for (const line of await stelselnodeOf(globals()).control.call(action, body?.())) print(line);
    };

  lists
    .command('show [list]')
    .description('fetch the lists over HTTPS, check them against the XSDs and summarise them (or print one list)')
    .option('--xml', 'print the XML of the named list')
    .option('--strict', 'only the official schemas count (no sandbox variant with front-channel ports); exit 1 unless every list is valid')
    .action(async (name: string | undefined, o: { xml?: boolean; strict?: boolean }) => {
      const c = stelselnodeOf(globals());
      const get = async (path: string) => {
        try {
          return await hop(`${c.url}${path}`, { from: 'sandbox-cli', pki: c.pki, clock: c.clock, hosts: c.hosts, clientCertificate: false });
        } catch (e) {
          if (e instanceof HopError && e.code === 'ECONNREFUSED')
            throw new SandboxError(`the stelselnode does not answer at ${c.url}`, 'is the network running? start it with: npm start');
          throw e;
        }
      };
      const kinds = name ? [listArg(name)] : LIST_KINDS;
      const rows: string[][] = [];
      let invalid = 0;
      for (const kind of kinds) {
        const res = await get(`/${listFileName(kind)}?api=2`);
        if (res.status !== 200) {
          rows.push([kind, '-', '-', '-', `HTTP ${res.status}`]);
          invalid++;
          continue;
        }
        if (o.xml && name) return print(res.text());
        const validation = await validateList(kind, res.body, { allowSandboxVariant: !o.strict });
        if (!validation.valid) {
          rows.push([kind, '-', '-', '-', `INVALID${o.strict ? ' (official schema)' : ''}: ${validation.errors[0] ?? ''}`]);
          invalid++;
          continue;
        }
        const list = parseList(kind, res.body);
        const entries =
          list.kind === 'Zorgaanbiederslijst'
            ? `${list.zorgaanbieders.length} zorgaanbieders`
            : list.kind === 'OAuthclientlist'
              ? `${list.oauthclients.length} OAuth clients`
              : list.kind === 'Whitelist'
                ? `${list.nodes.length} nodes`
                : `${list.gegevensdiensten.length} gegevensdiensten`;
        rows.push([
          kind,
          String(list.volgnummer),
          list.tijdstempel,
          entries,
          validation.variant === 'sandbox' ? 'valid (sandbox schema: front-channel ports)' : 'valid (official schema)',
        ]);
      }
      print(`${c.url}\n`);
      print(formatTable(['list', 'Volgnummer', 'Tijdstempel', 'content', 'XSD'], rows));
      if (o.strict && invalid > 0) {
        throw new SandboxError(
          `${invalid} of ${kinds.length} list(s) not valid against the official MedMij schemas`,
          'front-channel URIs with a port are valid only in the sandbox variant: run the front channels on 443 (topology.compose.yaml does)',
        );
      }
    });

  lists.command('publish').description('republish all four lists now (each Volgnummer + 1)').action(run('publish'));
  const add = lists.command('add').description('put a participant that is not in the topology on the lists (checked against the schemas first)');
  add
    .command('pgo <hostname>')
    .description('an OAuth client: on the OAuthclientlist and the Whitelist')
    .requiredOption('--name <organisation>', 'OAuthclientOrganisatienaam, shown on consent screens (3-50 characters)')
    .action(async (hostname: string, o: { name: string }) => run('add', () => ({ role: 'pgo', hostname, name: o.name }))());
  add
    .command('node <hostname>')
    .description('a MedMij node: on the Whitelist')
    .action(async (hostname: string) => run('add', () => ({ role: 'node', hostname }))());
  add
    .command('dvza <zorgaanbiedernaam>')
    .description('a zorgaanbieder: on the Zorgaanbiederslijst (and its token host on the Whitelist)')
    .requiredOption('--authorize-url <url>', 'AuthorizationEndpointuri (front channel)')
    .requiredOption('--token-url <url>', 'TokenEndpointuri (back channel)')
    .requiredOption('--fhir-url <url>', 'ResourceEndpointuri (back channel)')
    .requiredOption('--gegevensdienst <ids>', 'comma-separated GegevensdienstIds it offers')
    .action(async (naam: string, o: { authorizeUrl: string; tokenUrl: string; fhirUrl: string; gegevensdienst: string }) =>
      run('add', () => ({
        role: 'dvza',
        zorgaanbiedernaam: naam,
        authorizeUrl: o.authorizeUrl,
        tokenUrl: o.tokenUrl,
        fhirUrl: o.fhirUrl,
        gegevensdiensten: o.gegevensdienst.split(',').map((g) => g.trim()),
      }))(),
    );
  lists
    .command('remove <participant>')
    .description('leave a DVZA, PGO or node out of the lists (id, hostname, or an added one)')
    .action(async (p: string) => run('remove', () => ({ participant: p }))());
  lists
    .command('restore <participant>')
    .description('put a removed participant back on the lists')
    .action(async (p: string) => run('restore', () => ({ participant: p }))());
  lists.command('freeze').description('stop publishing: the lists keep their Volgnummer and Tijdstempel and go stale').action(run('freeze'));
  lists.command('unfreeze').description('resume publishing').action(run('unfreeze'));
  lists
    .command('stale <age>')
    .description('publish lists that are already <age> old (e.g. 3h, 2d) and stop publishing')
    .action(async (age: string) => run('stale', () => ({ age }))());
  lists
    .command('fault <list> <fault>')
    .description(`serve a broken list: ${FAULTS.join(', ')}, or none to serve the real one again`)
    .action(async (list: string, fault: string) => run('fault', () => ({ list: listArg(list), fault: fault as Fault | 'none' }))());
  lists
    .command('rollback <list>')
    .description('serve the previous publication again (a lower Volgnummer)')
    .action(async (list: string) => run('rollback', () => ({ list: listArg(list) }))());
  lists.command('reset').description('back to the topology: everyone listed, no faults, publishing').action(run('reset'));
}
