/**
 * `sandbox lists ...`: look at the lists the running stelselnode publishes, and change the network
 * through its control API — over real HTTPS, with the control token from the sandbox folder.
 */
import type { Command } from 'commander';
import { SandboxError, gegevensdienstOf, loadTopology, type Afsprakenstelsel } from '@medmij-sandbox/network';
import { isDerivedSchema, LIST_KINDS, listFileName, listKindsOf, parseList, validateList, type AnyListKind, type ListKind } from '@medmij-sandbox/lists';
import { FAULTS, type ControlAction, type ControlBodies, type Fault } from '@medmij-sandbox/stelselnode-client';
import { hop, HopError } from '@medmij-sandbox/transport';
import { stelselnodeOf, type Cli } from '../context.js';
import { formatTable } from '../table.js';

function listArg(value: string): ListKind;
function listArg(value: string, kinds: readonly AnyListKind[]): AnyListKind;
function listArg(value: string, kinds: readonly AnyListKind[] = LIST_KINDS): AnyListKind {
  const found = kinds.find((k) => k.toLowerCase() === value.toLowerCase() || listFileName(k).toLowerCase() === value.toLowerCase());
  if (!found) throw new SandboxError(`unknown list '${value}'`, `lists: ${kinds.join(', ')}`);
  return found;
}

/** Any list the stelselnode may publish; it says so itself when one is not part of its afsprakenstelsel. */
const ALL_LISTS = listKindsOf('2');

/** Volgnummer, Tijdstempel and what a list holds, for the `lists show` table. */
function summarise(kind: AnyListKind, body: Buffer, afsprakenstelsel: Afsprakenstelsel): [string, string, string] {
  const list = afsprakenstelsel === '2' ? parseList(kind, body, '2') : parseList(kind as ListKind, body);
  const entries =
    list.kind === 'Zorgaanbiederslijst' || list.kind === 'Zorgaanbiederskoppellijst'
      ? `${list.zorgaanbieders.length} zorgaanbieders`
      : list.kind === 'OAuthclientlist'
        ? `${list.oauthclients.length} OAuth clients`
        : list.kind === 'Whitelist'
          ? `${list.nodes.length} nodes`
          : `${list.gegevensdiensten.length} gegevensdiensten`;
  return [String(list.volgnummer), list.tijdstempel, entries];
}

export function registerListsCommands(program: Command, { globals, print }: Cli): void {
  const lists = program.command('lists').description('the MedMij lists of the running stelselnode, and changes to them');
  // The stelselnode's control API (packages/stelselnode-client), with the token from the sandbox folder.
  const run =
    <A extends ControlAction>(action: A, body?: () => ControlBodies[A]) =>
    async () => {
      const answer = await stelselnodeOf(globals()).control.change(action, body?.());
      for (const line of answer.done) print(line);
      // Whom the stelselnode told of it, and what each decided (they fetched and checked the lists themselves).
      for (const notice of answer.notified ?? []) print(`  ${notice.line}`);
    };

  lists
    .command('show [list]')
    .description('fetch the lists over HTTPS, check them against the XSDs and summarise them (or print one list)')
    .option('--xml', 'print the XML of the named list')
    .option('--strict', 'only the strict schemas count (no sandbox variant with front-channel ports); exit 1 unless every list is valid')
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
      // The lists of the network's afsprakenstelsel: 2 adds the Zorgaanbiederskoppellijst and uses release3.
      const { afsprakenstelsel } = c;
      const published: readonly AnyListKind[] = listKindsOf(afsprakenstelsel);
      const kinds = name ? [listArg(name, published)] : published;
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
        const validation = await validateList(kind, res.body, { allowSandboxVariant: !o.strict, afsprakenstelsel });
        // No official 2.x XSD is public for the lists 2 changed: the strict schema is the sandbox's derivation.
        const strictSchema = isDerivedSchema(kind, afsprakenstelsel) ? 'derived 2.x schema' : 'official schema';
        if (!validation.valid) {
          rows.push([kind, '-', '-', '-', `INVALID${o.strict ? ` (${strictSchema})` : ''}: ${validation.errors[0] ?? ''}`]);
          invalid++;
          continue;
        }
        rows.push([
          kind,
          ...summarise(kind, res.body, afsprakenstelsel),
          validation.variant === 'sandbox' ? 'valid (sandbox schema: front-channel ports)' : `valid (${strictSchema})`,
        ]);
      }
      print(`${c.url}  (afsprakenstelsel ${afsprakenstelsel})\n`);
      print(formatTable(['list', 'Volgnummer', 'Tijdstempel', 'content', 'XSD'], rows));
      if (o.strict && invalid > 0) {
        throw new SandboxError(
          `${invalid} of ${kinds.length} list(s) not valid against the ${afsprakenstelsel === '2' ? "strict schemas (official, or the sandbox's derivation where no 2.x XSD is public)" : 'official MedMij schemas'}`,
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
    .action(async (list: string, fault: string) => run('fault', () => ({ list: listArg(list, ALL_LISTS), fault: fault as Fault | 'none' }))());
  lists
    .command('restrict <client> <gegevensdiensten>')
    .description('afsprakenstelsel 2: let a PGO (id or hostname) use only these gegevensdiensten (keys or ids, comma separated), or all')
    .action(async (client: string, which: string) => {
      const topology = loadTopology(globals().topologyPath);
      const ids =
        which === 'all'
          ? 'all'
          : which
              .split(',')
              .map((g) => g.trim())
              .filter((g) => g !== '')
              .map((g) => gegevensdienstOf(topology, g)?.id ?? g)
              .join(',');
      return run('restrict', () => ({ client, gegevensdiensten: ids }))();
    });
  lists
    .command('rollback <list>')
    .description('serve the previous publication again (a lower Volgnummer)')
    .action(async (list: string) => run('rollback', () => ({ list: listArg(list, ALL_LISTS) }))());
  lists
    .command('reset')
    .description(
      'back to the topology: everyone listed, no faults, publishing; every running consumer (in any process) forgets the lists and Volgnummers it holds at its next fetch',
    )
    .action(run('reset'));
}
