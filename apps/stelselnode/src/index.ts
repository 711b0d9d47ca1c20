import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secureRandomBytes, type Clock, type Participant, type Topology, type TraceBus } from '@medmij-sandbox/network';
import { needsSandboxVariant, readEnrolments, signList } from '@medmij-sandbox/lists';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { createStelselnodeApp } from './app.js';
import { ListPublisher } from './publisher.js';

export { createStelselnodeApp } from './app.js';
export { ListPublisher, FAULTS, listProblemWith, formatTijdstempel, type Fault } from './publisher.js';

/** Where the stelselnode keeps its state and control token, under the sandbox folder. */
export function stelselnodePaths(sandboxDir: string) {
  const dir = join(sandboxDir, 'stelselnode');
  return { dir, state: join(dir, 'state.json'), controlToken: join(dir, 'control-token') };
}

/** The control token, created once: only who can read the sandbox folder can change the network. */
export function controlToken(sandboxDir: string): string {
  const { dir, controlToken: path } = stelselnodePaths(sandboxDir);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, secureRandomBytes(24).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
}

/** Starts the stelselnode on its back-channel port (one-sided TLS: the lists are public). */
export async function startStelselnode(ctx: {
  participant: Extract<Participant, { role: 'stelselnode' }>;
  topology: Topology;
  sandboxDir: string;
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
}): Promise<RunningListener[]> {
  const { participant, bus } = ctx;
  const report = (what: string) =>
    bus.emit({
      reportedBy: participant.hostname,
      from: participant.hostname,
      to: participant.hostname,
      kind: 'decision',
      outcome: 'ok',
      reason: `lists: ${what}`,
      rule: 'SPEC §3.2 each republication raises the Volgnummer by 1',
    });
  const publisher = new ListPublisher(ctx.topology, ctx.clock, stelselnodePaths(ctx.sandboxDir).state, report, undefined, () => readEnrolments(ctx.sandboxDir));
  const sign = (xml: string) => {
    const own = ctx.pki.refresh().material(participant.hostname, 'server');
    return signList(xml, own.keyPem, own.chainPem);
  };
  const app = createStelselnodeApp({ publisher, sign, controlToken: controlToken(ctx.sandboxDir), sandboxVariant: needsSandboxVariant(ctx.topology) });
  return [
    await listen({
      participant,
      kind: 'backchannel',
      clientCertificate: 'none',
      port: participant.backchannelPort,
      fetch: app.fetch,
      bus,
      clock: ctx.clock,
      pki: ctx.pki,
    }),
  ];
}
