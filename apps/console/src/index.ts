/**
 * The sandbox console: the operator's tool beside the network, not a MedMij role. It reads the network's trace
 * (the bus every participant reports to), serves the network inspector, the scenario catalogue with runs, resets
 * and presenter mode, behind the operator credential (packages/network operator.ts). Its own front channel
 * (one-sided TLS, a browser-facing certificate of the sandbox PKI); it calls no participant itself.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OperatorAccess, SecretStream, frontchannelUrl, participantsByRole, type StartContext } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import type { ScenarioService } from '@medmij-sandbox/console-api';
import { createConsoleApp } from './app.js';

export { createConsoleApp, type ConsoleAppOptions } from './app.js';

/** Built by `npm run build` (turbo; `npm start` runs it first): vite's output of apps/console/ui. */
export const CONSOLE_UI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'ui');

export type ConsoleStartContext = StartContext<'console', SandboxPki> & {
  version?: string;
  /** Scenario runs and resets for trainers, when the sandbox's composition root provides them. */
  scenarios?: ScenarioService;
};

export async function startConsole(ctx: ConsoleStartContext): Promise<RunningListener[]> {
  const { participant, topology, clock, bus, pki } = ctx;
  const app = createConsoleApp({
    bus,
    ...(ctx.scenarios ? { scenarios: ctx.scenarios } : {}),
    operator: new OperatorAccess(ctx.paths.operator),
    sessionIds: new SecretStream(),
    pgos: participantsByRole(topology, 'pgo').map((p) => ({ name: p.name, url: frontchannelUrl(p)! })),
    uiDir: CONSOLE_UI_DIR,
    version: ctx.version ?? '0.1.0',
  });
  const listener = await listen({
    participant,
    kind: 'frontchannel',
    port: participant.frontchannelPort,
    fetch: app.fetch,
    pki,
    clock,
    bus,
    // The console is no MedMij hop: reading the trace must not write to it (an open inspector would fill it).
    untraced: () => true,
  });
  return [listener];
}
