/**
 * The reference PGO: a MedMij OAuth client with its own client certificate (back channel, outgoing) and a
 * web UI on its front channel. Lists come from the stelselnode through packages/lists.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OPERATOR_LOGIN_PATH,
  OperatorAccess,
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
import { createPgoApp, type ScenarioService } from './app.js';
import { Collector } from './collector.js';
import { OPERATOR_LOGIN_SCRIPT } from './operator-login.js';

export type { ScenarioService } from './app.js';

const PGO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const UI_SOURCE_DIR = join(PGO_DIR, 'ui');
export const UI_BUILD_DIR = join(PGO_DIR, 'dist', 'ui');
/** The API contract the UI is built against: a change there needs a new UI build too. */
const PGO_API_CONTRACT = dirname(fileURLToPath(import.meta.resolve('@medmij-sandbox/pgo-api')));

/**
 * Builds the web UI with vite when dist/ui is missing or older than any source file: `npm start` always
 * serves the UI of the code on disk, with no separate build command to remember.
 */
export async function ensureUiBuilt(log: (line: string) => void = () => {}): Promise<void> {
  const built = join(UI_BUILD_DIR, 'index.html');
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(newest(UI_SOURCE_DIR), newest(PGO_API_CONTRACT))) return;
  log('building the PGO web UI (vite) ...');
  const { build } = await import('vite');
  await build({ configFile: join(UI_SOURCE_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

export type PgoStartContext = StartContext<'pgo', SandboxPki> & {
  version?: string;
  /** Scenario runs and resets for trainers, when the sandbox's composition root provides them (`npm start`). */
  scenarios?: ScenarioService;
};

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
  await ensureUiBuilt();
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
  const app = createPgoApp({
    clock,
    scenarios: ctx.scenarios,
    accounts: Accounts.open({ clock, issuer: participant.name, file: ctx.paths.pgoSecrets(participant.id) }),
    collector,
    lists,
    bus,
    sessionIds: new SecretStream(),
    operator: new OperatorAccess(ctx.paths.operator),
    demoAccounts: participant.demoAccounts,
    uiDir: UI_BUILD_DIR,
    version: ctx.version ?? '0.1.0',
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
      // Nor is the operator's login page (its token stays in the browser, and is exchanged through /api/).
      untraced: (path) =>
        path.startsWith('/api/') ||
        path.startsWith('/assets/') ||
        path === '/' ||
        path === '/index.html' ||
        path === '/favicon.ico' ||
        path === OPERATOR_LOGIN_PATH ||
        path === OPERATOR_LOGIN_SCRIPT,
    });
  } catch (e) {
    lists.stopPolling();
    await notices?.close();
    throw e;
  }
  // The front channel last: callers take the PGO's URL from its last listener.
  return withCleanup([...(notices ? [notices] : []), listener], () => lists.stopPolling());
}
