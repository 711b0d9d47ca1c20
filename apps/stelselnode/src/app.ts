/**
 * The stelselnode: publishes the four MedMij lists over HTTPS (one-sided TLS, sandbox private-services
 * certificate) at their fixed paths, accepting `?api=<major>` as production does:
 *
 *   GET  /MedMij_Zorgaanbiederslijst.xml   /MedMij_OAuthclientlist.xml   /MedMij_Whitelist.xml
 *   GET  /MedMij_Gegevensdienstnamenlijst.xml
 *   GET  /schemas/{official|sandbox}/MedMij_<Lijst>.xsd      the schemas to validate against
 *   GET  /signed/MedMij_<Lijst>.xml                          sandbox extension: the list with an XML-DSig signature
 *   GET  /                                                   an overview page
 *   GET  /_sandbox/control/status, POST /_sandbox/control/<action>   the control API (bearer token; contract:
 *                                                                    packages/stelselnode-client)
 */
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { SandboxError, sameSecret } from '@medmij-sandbox/network';
import { LISTS_RESET_HEADER, isDerivedSchema, isListKindOf, listKindFromFileName, schemaPath } from '@medmij-sandbox/lists';
import {
  CONTROL_ACTIONS,
  CONTROL_PATH,
  FAULTS,
  type ControlAction,
  type ControlAnswer,
  type Fault,
  type ListsNotice,
  type NoticeReport,
} from '@medmij-sandbox/stelselnode-client';
import { securityHeaders } from '@medmij-sandbox/transport';
import { say, type Said } from '@medmij-sandbox/rules';
import type { ListPublisher } from './publisher.js';
import { noticeBetween, servedSnapshot } from './notifier.js';

export interface StelselnodeAppOptions {
  publisher: ListPublisher;
  /** Signs the sandbox-only signed copies of the lists (the stelselnode's own key and certificate chain). */
  sign: (xml: string) => string;
  /** Bearer token the control API requires (the CLI reads it from .sandbox/stelselnode/control-token). */
  controlToken: string;
  /** Whether the Zorgaanbiederslijst needs the sandbox schema variant (front channels not on 443). */
  sandboxVariant: boolean;
  /** Tells the consumers of a change (notifier.ts); without it, they find out at their next poll. */
  notify?: (notice: ListsNotice) => Promise<NoticeReport[]>;
}

export function createStelselnodeApp({ publisher, sign, controlToken, sandboxVariant, notify }: StelselnodeAppOptions): Hono {
  const app = new Hono();
  // First, so every answer has them; no-store also keeps the control API's answers out of caches.
  app.use(securityHeaders());
  // Who fetched lists here since the start (as their User-Agent names them), so `reset` can say where consumers forget.
  const consumers = new Set<string>();

  app.get('/', (c) => c.html(indexPage(publisher, sandboxVariant)));

  const afsprakenstelsel = publisher.afsprakenstelsel;
  const kinds = publisher.kinds;
  // In afsprakenstelsel 2 'official' serves the strict schemas of that version: the sandbox's derivations where no
  // official 2.x XSD is public (each says so in its header), the official release2/release1 ones for the rest.
  app.get('/schemas/:variant{official|sandbox}/:file', (c) => {
    const kind = /^MedMij_([A-Za-z]+)\.xsd$/.exec(c.req.param('file'))?.[1];
    if (!kind || !isListKindOf(kind, afsprakenstelsel)) return c.json({ error: 'not_found', message: `no schema ${c.req.param('file')}` }, 404);
    return c.body(readFileSync(schemaPath(kind, c.req.param('variant') as 'official' | 'sandbox', afsprakenstelsel), 'utf8'), 200, {
      'content-type': 'application/xml; charset=utf-8',
    });
  });

  // ---- control API -----------------------------------------------------------------------------
  app.use(`${CONTROL_PATH}/*`, async (c, next) => {
    // The Bearer scheme only (RFC 6750): a bare token in the header is not accepted.
    const given = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, controlToken)) {
      return c.json(
        { error: 'unauthorized', message: 'the control API needs the token from .sandbox/stelselnode/control-token (the sandbox CLI sends it)' },
        401,
      );
    }
    await next();
  });
  app.get(`${CONTROL_PATH}/status`, (c) => c.json(publisher.status()));
  app.post(`${CONTROL_PATH}/:action`, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, string | undefined>;
    try {
      const before = servedSnapshot(publisher);
      const done = await control(publisher, c.req.param('action'), body, [...consumers].sort());
      // Answered only once every consumer that could be told has decided: the caller's next step sees the new lists.
      const notice = noticeBetween(before, servedSnapshot(publisher));
      const notified = notice && notify ? await notify(notice) : undefined;
      return c.json({
        done: done.map((d) => say(d)),
        said: done.map((d) => ({ ruleId: d.reason.id, params: d.params })),
        status: publisher.status(),
        ...(notified ? { notified } : {}),
      } satisfies ControlAnswer);
    } catch (e) {
      if (e instanceof SandboxError) return c.json({ error: 'invalid_request', message: e.message, hint: e.hint }, 400);
      throw e;
    }
  });

  // ---- the lists -------------------------------------------------------------------------------
  app.use('*', async (c, next) => {
    await next();
    if (!/^\/(signed\/)?MedMij_[A-Za-z]+\.xml$/.test(c.req.path)) return;
    // Every answer to a list request, a 503 too: the consumer forgets what it holds when this number changed.
    c.res.headers.set(LISTS_RESET_HEADER, String(publisher.resetEpoch()));
    // Participants name themselves by hostname; the CLI and the scenario runner (`sandbox-cli`, `scenario`) are no consumers.
    const consumer = /^medmij-sandbox\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/.exec(c.req.header('user-agent') ?? '')?.[1];
    if (consumer && consumers.size < 256) consumers.add(consumer);
  });
  app.get('/:file{MedMij_[A-Za-z]+\\.xml}', (c) => serveList(c, publisher));
  // Sandbox extension: the same lists with an enveloped XML-DSig signature (not schema-valid, hence apart).
  app.get('/signed/:file{MedMij_[A-Za-z]+\\.xml}', (c) => serveList(c, publisher, sign));

  app.notFound((c) =>
    c.json({ error: 'not_found', message: `nothing at ${c.req.path}: the lists are at ${kinds.map((k) => `/MedMij_${k}.xml`).join(', ')}` }, 404),
  );
  return app;
}

function serveList(c: Context, publisher: ListPublisher, sign?: (xml: string) => string): Response {
  const kind = listKindFromFileName(c.req.param('file') ?? '', publisher.afsprakenstelsel);
  if (!kind) return c.json({ error: 'not_found', message: `no list ${c.req.param('file')}; the lists are ${publisher.kinds.join(', ')}` }, 404);
  const served = publisher.serve(kind);
  if (served.status === 503) return c.json({ error: 'temporarily_unavailable', message: served.message }, 503);
  let xml = served.xml;
  if (sign) {
    xml = sign(xml);
    // The bad-signature fault changes the list after signing, as an attacker in the middle would.
    if (publisher.faultOf(kind) === 'bad-signature')
      xml = xml.replace(/<Volgnummer>(\d+)<\/Volgnummer>/, (_m, n: string) => `<Volgnummer>${Number(n) + 100}</Volgnummer>`);
  }
  return c.body(xml, 200, { 'content-type': 'application/xml; charset=utf-8' });
}

async function control(publisher: ListPublisher, action: string, body: Record<string, string | undefined>, consumers: string[]): Promise<Said[]> {
  const need = (field: string) => {
    const value = body[field];
    if (!value) throw new SandboxError(`${action}: missing '${field}'`);
    return value;
  };
  const kind = () => {
    const value = need('list');
    const found = publisher.kinds.find((k) => k.toLowerCase() === value.toLowerCase());
    if (!found) throw new SandboxError(`unknown list '${value}'`, `lists: ${publisher.kinds.join(', ')}`);
    return found;
  };
  // One handler per action of the contract: a new action there does not compile until the stelselnode serves it.
  const handlers: Record<ControlAction, () => Said[] | Promise<Said[]>> = {
    publish: () => publisher.publishNow(),
    add: () => {
      const role = need('role');
      if (role === 'pgo') return publisher.add({ role, hostname: need('hostname'), name: need('name') });
      if (role === 'node') return publisher.add({ role, hostname: need('hostname') });
      if (role === 'dvza') {
        return publisher.add({
          role,
          zorgaanbiedernaam: need('zorgaanbiedernaam'),
          authorizeUrl: need('authorizeUrl'),
          tokenUrl: need('tokenUrl'),
          fhirUrl: need('fhirUrl'),
          gegevensdiensten: need('gegevensdiensten')
            .split(',')
            .map((g) => g.trim()),
        });
      }
      throw new SandboxError(`cannot add a '${role}'`, 'add a pgo, a dvza or a node');
    },
    enrolments: () => publisher.enrolmentsChanged(),
    remove: () => publisher.remove(need('participant')),
    restore: () => publisher.restore(need('participant')),
    freeze: () => publisher.freeze(),
    unfreeze: () => publisher.unfreeze(),
    stale: () => publisher.stale(need('age')),
    fault: () => {
      const list = kind();
      const fault = need('fault');
      if (fault !== 'none' && !FAULTS.includes(fault as Fault)) throw new SandboxError(`unknown fault '${fault}'`, `faults: ${FAULTS.join(', ')}, none`);
      return publisher.fault(list, fault as Fault | 'none');
    },
    rollback: () => publisher.rollback(kind()),
    restrict: () => {
      const ids = need('gegevensdiensten');
      return publisher.restrict(need('client'), ids === 'all' ? 'all' : ids.split(',').map((g) => g.trim()));
    },
    reset: () => {
      const which = body.consumers ?? 'forget';
      if (which !== 'forget' && which !== 'keep') throw new SandboxError(`reset: consumers must be forget or keep, not '${which}'`);
      return publisher.reset({ forgetConsumers: which === 'forget', consumers });
    },
  };
  if (!Object.hasOwn(handlers, action)) throw new SandboxError(`unknown control action '${action}'`, `actions: ${CONTROL_ACTIONS.join(', ')}`);
  return handlers[action as ControlAction]();
}

function indexPage(publisher: ListPublisher, sandboxVariant: boolean): string {
  const status = publisher.status();
  const rows = status.lists
    .map(
      (l) =>
        `<tr><td><a href="/MedMij_${l.kind}.xml">MedMij_${l.kind}.xml</a></td><td>${l.volgnummer}</td><td>${l.tijdstempel}</td><td>${
          l.kind === 'Zorgaanbiederslijst' && sandboxVariant
            ? '<a href="/schemas/sandbox/MedMij_Zorgaanbiederslijst.xsd">sandbox variant</a> (poort in front-channel-URI)'
            : isDerivedSchema(l.kind, publisher.afsprakenstelsel)
              ? `<a href="/schemas/official/MedMij_${l.kind}.xsd">afgeleid door de sandbox</a> (geen officieel 2.x-schema openbaar)`
              : `<a href="/schemas/official/MedMij_${l.kind}.xsd">officieel</a>`
        }</td><td>${[l.fault ?? '', l.rolledBack ? 'teruggedraaid' : ''].filter(Boolean).join(', ') || '-'}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Stelselnode (sandbox)</title></head>
<body>
<h1>MedMij Stelselnode — sandbox, NIET VOOR PRODUCTIE</h1>
<p>Afsprakenstelsel ${publisher.afsprakenstelsel}</p>
<p>Publicatie: ${status.frozen ? '<strong>gestopt (lijsten verouderen)</strong>' : 'actief'}${status.removed.length ? ` · weggelaten: ${status.removed.join(', ')}` : ''}</p>
<table>
<thead><tr><th scope="col">Lijst</th><th scope="col">Volgnummer</th><th scope="col">Tijdstempel</th><th scope="col">Schema</th><th scope="col">Storing</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${sandboxVariant ? "<p>De Zorgaanbiederslijst wijkt af van het officiële schema op één punt: de front-channel-URI's hebben een poort, omdat de sandbox op één machine draait. Het sandbox-schema staat alleen die poort toe. Met docker-compose (poort 443) voldoen alle lijsten aan de officiële schema's.</p>" : ''}
</body></html>`;
}
