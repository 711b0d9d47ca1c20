/**
 * The reference PGO: a MedMij OAuth client with its own client certificate (back channel, outgoing) and a
 * web UI on its front channel. Lists come from the stelselnode through packages/lists.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SecretStream,
  SeededRandom,
  backchannelUrl,
  frontchannelUrl,
  gegevensdienstOf,
  hostTable,
  participantsByRole,
  type Clock,
  type PgoParticipant,
  type RandomStream,
  type StartContext,
} from '@medmij-sandbox/network';
import { LIST_POLL_MS, ListConsumer, watchEnrolments } from '@medmij-sandbox/lists';
import { pgoLists } from './pgo-lists.js';
import { startNoticeListener } from './lists-notice.js';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { listen, withCleanup, type RunningListener } from '@medmij-sandbox/transport';
import { Accounts } from './accounts.js';
import { PGO_PATHS } from '@medmij-sandbox/pgo-api';
import { createPgoApp } from './app.js';
import { Collector } from './collector.js';

/** Built by `npm run build` (turbo; `npm start` runs it first): vite's output of apps/pgo/ui. */
export const UI_BUILD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'ui');

export type PgoStartContext = StartContext<'pgo', SandboxPki>;

/**
 * For the operator's terminal when the login page shows no demo accounts (topology `pgo.demoAccounts: false`, a
 * shared machine): each account's password and its TOTP secret as an otpauth:// URI (for an authenticator app).
 */
export function demoAccountLines(o: { clock: Clock; participant: PgoParticipant; secretsFile: string }): string[] {
  const accounts = Accounts.open({ clock: o.clock, issuer: o.participant.name, file: o.secretsFile });
  return accounts.all.map((a) => `${a.username} / ${a.password}   ${a.totp.toString()}`);
}

export async function startPgo(ctx: PgoStartContext): Promise<RunningListener[]> {
  const { participant, topology, clock, bus, pki } = ctx;
  const front = frontchannelUrl(participant)!;
  const seeded = new SeededRandom(topology.seed);
  const streams = new Map<string, RandomStream>();
  // Collection, request and correlation ids are data, not secrets: seeded per start (they must not repeat
  // after a restart), so a frozen sandbox clock (scenarios) gives the same ones every run. Session ids, states
  // and TOTP secrets are secrets: from the CSPRNG (SecretStream, secureRandomBytes).
  const startedAt = clock.nowMs();
  const random = (purpose: string) => {
    let s = streams.get(purpose);
    if (!s) streams.set(purpose, (s = seeded.stream(`${purpose}:${participant.id}:${startedAt}`)));
    return s;
  };
  const stelselnode = participantsByRole(topology, 'stelselnode')[0]!;
  // The DVZAs of the topology, and enrolled ones with an address of their own (`sandbox enrol --address`).
  const hosts = hostTable(topology, { hostsFile: ctx.paths.hosts });
  const listOptions = { stelselnodeUrl: backchannelUrl(stelselnode)!, participant: participant.hostname, pki, clock, bus, hosts };
  const lists = pgoLists(
    topology.afsprakenstelsel === '2' ? new ListConsumer<'2'>({ ...listOptions, afsprakenstelsel: '2' }) : new ListConsumer<'1.5'>(listOptions),
  );
  await lists.refresh();
  // A fallback: the stelselnode tells the PGO of every change at its notice listener (lists-notice.ts).
  lists.startPolling(LIST_POLL_MS);

  // The sandbox's provider directory: display names for the Zorgaanbiedernamen on the list.
  const ownDvzas = new Map(participantsByRole(topology, 'dvza').map((d) => [d.zorgaanbiedernaam, { displayName: d.name, soort: d.soort }]));
  // Enrolled DVZAs (`sandbox enrol dvza`) are in the directory too, under the name they enrolled with.
  const enrolments = watchEnrolments(ctx.paths.enrolments);
  const directory = {
    get: (naam: string) => {
      const enrolled = ownDvzas.has(naam) ? undefined : enrolments().find((e) => e.role === 'dvza' && e.zorgaanbiedernaam === naam);
      return ownDvzas.get(naam) ?? (enrolled ? { displayName: enrolled.name } : undefined);
    },
  };
  const ownIssuers = new Set(participantsByRole(topology, 'dvza').map((d) => new URL(frontchannelUrl(d)!).origin));
  const collector = new Collector({
    hostname: participant.hostname,
    redirectUri: `${front}${PGO_PATHS.callback}`,
    lists,
    pki,
    clock,
    bus,
    hosts,
    random,
    gegevensdienstKey: (id) => gegevensdienstOf(topology, id)?.key,
    directory,
    // The sandbox's own DVZAs name themselves in every answer (RFC 9207): from them, an answer without iss is refused.
    sendsIss: (issuer) => ownIssuers.has(issuer),
    storeDir: ctx.paths.pgoCollections(participant.id),
    fetchListsPerFlow: participant.notificationPort === undefined,
  });
  // Sandbox only: the UI links each flow to the console's inspector (the trace is the console's, not the PGO's).
  const sandboxConsole = participantsByRole(topology, 'console')[0];
  const app = createPgoApp({
    clock,
    accounts: Accounts.open({ clock, issuer: participant.name, file: ctx.paths.pgoSecrets(participant.id) }),
    collector,
    lists,
    sessionIds: new SecretStream(),
    ...(sandboxConsole ? { consoleUrl: frontchannelUrl(sandboxConsole)! } : {}),
    demoAccounts: participant.demoAccounts,
    uiDir: UI_BUILD_DIR,
  });
  let listener: RunningListener;
  let notices: RunningListener | undefined;
  try {
    notices = await startNoticeListener({ participant, stelselnodeHost: stelselnode.hostname, lists, pki, clock, bus });
    listener = await listen({
      participant,
      kind: 'frontchannel',
      port: participant.frontchannelPort,
      fetch: app.fetch,
      pki,
      clock,
      bus,
      // The UI fetching itself and its own API is no MedMij hop; /oauth/callback (the redirect_uri) is.
      traceIdOf: (url) => (url.pathname === PGO_PATHS.callback ? collector.traceIdOfState(url.searchParams.get('state')) : undefined),
      untraced: (path) => path.startsWith('/api/') || path.startsWith('/assets/') || path === '/' || path === '/index.html' || path === '/favicon.ico',
    });
  } catch (e) {
    lists.stopPolling();
    await notices?.close();
    throw e;
  }
  // The front channel last: callers take the PGO's URL from its last listener.
  return withCleanup([...(notices ? [notices] : []), listener], () => lists.stopPolling());
}
