/** `sandbox pki ...`: the sandbox PKI — CAs, participant certificates and their state on the sandbox clock, CRLs. */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { SandboxError, findParticipant, loadTopology, pkiRepositoryUrl } from '@medmij-sandbox/network';
import { CA_IDS, LEAF_KINDS, REVOCATION_REASONS, SandboxPki, hostSpecs, type LeafKind, type RevocationReason } from '@medmij-sandbox/pki';
import { commandClock, sandboxCommand, type Cli, type Globals } from '../context.js';
import { formatTable } from '../table.js';
import { parseKinds } from './options.js';

export function registerPkiCommands(program: Command, { globals, print }: Cli): void {
  const pkiCmd = program.command('pki').description('the sandbox PKI: CAs, participant certificates, CRLs');

  pkiCmd
    .command('init')
    .description('create the CA hierarchy and a certificate for every participant hostname')
    .option('--force', 'throw the existing PKI away and build a new one (browsers must then trust the new root)')
    .action(async (o: { force?: boolean }) => {
      const { paths, topologyPath } = globals();
      const topology = loadTopology(topologyPath);
      const pki = await SandboxPki.init(paths.pki, {
        repositoryUrl: pkiRepositoryUrl(topology),
        hosts: hostSpecs(topology),
        force: o.force,
        clock: commandClock(globals()),
      });
      print(`created the sandbox PKI in ${paths.pki} (install ${pki.installId})`);
      print(`root certificate: ${pki.rootCertPath}`);
      print(`${pki.certificates().filter((c) => c.host).length} participant certificates for ${pki.hosts().length} hostnames`);
      if (o.force) print(`browsers trusted the old root: run  ${sandboxCommand(paths.root, 'trust')}  again (it replaces this folder's old root)`);
    });

  pkiCmd
    .command('status')
    .description('list the CAs, every current certificate with its state on the sandbox clock, and the CRLs')
    .option('--json', 'print JSON')
    .option('--all', 'include superseded certificates')
    .action((o: { json?: boolean; all?: boolean }) => {
      const { paths } = globals();
      // Judged on the network's sandbox clock (clock.json), as every participant judges them.
      const pki = SandboxPki.open(paths.pki, { clock: commandClock(globals()) });
      const records = pki.certificates().filter((c) => o.all || c.status === 'current');
      const rows = records.map((c) => ({ ...c, state: pki.stateOf(c) }));
      if (o.json) return print(JSON.stringify({ dir: paths.pki, installId: pki.installId, repositoryUrl: pki.repositoryUrl, certificates: rows }, null, 2));
      print(`sandbox PKI ${paths.pki}  (install ${pki.installId}, repository ${pki.repositoryUrl})\n`);
      const table = rows.map((c) => [
        c.host ?? CA_IDS.find((ca) => ca === c.ca)!,
        c.kind,
        c.serial,
        c.state === 'revoked' ? `revoked (${c.revoked!.reason})` : c.status === 'superseded' ? `${c.state}, superseded` : c.state,
        c.notAfter.slice(0, 10),
        c.kind === 'root' ? '-' : c.kind === 'intermediate' ? 'root' : c.ca,
      ]);
      print(formatTable(['host / CA', 'kind', 'serial', 'state', 'valid until', 'issued by'], table));
      print(`\nCRLs: ${CA_IDS.map((ca) => `${pki.repositoryUrl}/crl/${ca}.crl`).join('  ')}`);
    });

  const certOption = () =>
    new Option('--cert <kinds>', `only these certificates, comma-separated: ${LEAF_KINDS.join(', ')} (default: all of the host)`).argParser(parseKinds);

  pkiCmd
    .command('revoke <host>')
    .description('revoke the current certificates of a participant (hostname or id); the CRLs are rewritten at once')
    .addOption(certOption())
    .addOption(new Option('--reason <reason>', 'CRL reason code').choices([...REVOCATION_REASONS]).default('keyCompromise'))
    .action(async (host: string, o: { cert?: LeafKind[]; reason: RevocationReason }) => {
      const { pki, hostname } = openPkiFor(globals(), host);
      const revoked = await pki.revoke(hostname, { kinds: o.cert, reason: o.reason });
      for (const r of revoked) print(`revoked ${r.kind} certificate of ${hostname} (serial ${r.serial}, reason ${o.reason})`);
      print(`CRLs rewritten; running participants refuse it from the next TLS handshake. Undo with: npm run sandbox -- pki reissue ${host}`);
    });

  pkiCmd
    .command('reissue <host>')
    .description('give a participant fresh certificates (new key and serial): the way back from revoke or expire')
    .addOption(certOption())
    .action(async (host: string, o: { cert?: LeafKind[] }) => {
      const { pki, hostname } = openPkiFor(globals(), host);
      for (const r of await pki.reissue(hostname, { kinds: o.cert }))
        print(`issued a new ${r.kind} certificate for ${hostname} (serial ${r.serial}, valid until ${r.notAfter})`);
    });

  pkiCmd
    .command('expire <host>')
    .description("replace a participant's certificates by ones whose validity has already ended")
    .addOption(certOption())
    .action(async (host: string, o: { cert?: LeafKind[] }) => {
      const { pki, hostname } = openPkiFor(globals(), host);
      for (const r of await pki.expire(hostname, { kinds: o.cert }))
        print(`issued an expired ${r.kind} certificate for ${hostname} (serial ${r.serial}, ended ${r.notAfter})`);
      print(`Undo with: npm run sandbox -- pki reissue ${host}`);
    });
}

/** The PKI and the hostname a command names by hostname or participant id. */
function openPkiFor(g: Globals, hostOrId: string): { pki: SandboxPki; hostname: string } {
  const pki = SandboxPki.open(g.paths.pki, { clock: commandClock(g) });
  let hostname = hostOrId;
  if (existsSync(g.topologyPath)) {
    const participant = findParticipant(loadTopology(g.topologyPath), hostOrId);
    if (participant) hostname = participant.hostname;
  }
  if (!pki.hosts().includes(hostname)) {
    throw new SandboxError(`'${hostOrId}' is not a participant of the sandbox PKI`, `known hostnames: ${pki.hosts().join(', ')}`);
  }
  return { pki, hostname };
}
