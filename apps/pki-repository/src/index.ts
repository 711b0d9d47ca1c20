import type { StartContext } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { listen, type RunningListener } from '@medmij-sandbox/transport';
import { createPkiRepositoryApp } from './app.js';

export { createPkiRepositoryApp } from './app.js';

/** Starts the PKI repository participant on its plain-HTTP port. */
export async function startPkiRepository(
  ctx: Pick<StartContext<'pki', SandboxPki>, 'participant' | 'pki' | 'clock' | 'bus'> & { port?: number },
): Promise<RunningListener[]> {
  const app = createPkiRepositoryApp({ pki: ctx.pki, clock: ctx.clock, bus: ctx.bus, hostname: ctx.participant.hostname });
  return [
    await listen({ participant: ctx.participant, kind: 'http', port: ctx.port ?? ctx.participant.port, fetch: app.fetch, bus: ctx.bus, clock: ctx.clock }),
  ];
}
