/**
 * The network inspector's feeds on the PGO's front channel: every trace event as a live stream, and one
 * flow's events as a Mermaid diagram, a HAR file or JSON (packages/network trace-export).
 */
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { toHar, toMermaid, type TraceEvent } from '@medmij-sandbox/network';
import { PGO_PATHS, type Bilingual } from '@medmij-sandbox/pgo-api';
import type { PgoAppOptions } from './app.js';

export function createInspectorRoutes(
  o: PgoAppOptions,
  fail: (c: Context, status: 400, error: string, message: Bilingual) => Response,
  /** The operator check (viewer or trainer): the trace holds the DVZA's view, BSNs among it. */
  operatorRefusal: (c: Context) => Response | undefined,
): Hono {
  const app = new Hono();
  app.use(`${PGO_PATHS.traceStream}`, async (c, next) => operatorRefusal(c) ?? next());
  app.use(`${PGO_PATHS.traceExport}`, async (c, next) => operatorRefusal(c) ?? next());
  const eventsOf = (traceId: string | undefined) => o.bus.events().filter((e) => !traceId || e.traceId === traceId);

  app.get(PGO_PATHS.traceStream, (c) =>
    streamSSE(c, async (stream) => {
      const queue: TraceEvent[] = [...o.bus.events()];
      let wake: (() => void) | undefined;
      const unsubscribe = o.bus.subscribe((e) => {
        queue.push(e);
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      while (open) {
        while (queue.length) {
          const e = queue.shift()!;
          await stream.writeSSE({ event: 'trace', id: String(e.seq), data: JSON.stringify(e) });
        }
        if (!open) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    }),
  );

  app.get(PGO_PATHS.traceExport, (c) => {
    const traceId = c.req.query('traceId') || undefined;
    const events = eventsOf(traceId);
    const name = `medmij-sandbox-${traceId ?? 'all'}`;
    switch (c.req.query('format') ?? 'json') {
      case 'mermaid':
        return c.body(toMermaid(events, traceId ? `X-Correlation-ID ${traceId}` : 'MedMij Sandbox'), 200, {
          'content-type': 'text/plain; charset=utf-8',
          'content-disposition': `attachment; filename="${name}.mmd"`,
        });
      case 'har':
        return c.body(JSON.stringify(toHar(events, o.version), null, 2), 200, {
          'content-type': 'application/json',
          'content-disposition': `attachment; filename="${name}.har"`,
        });
      case 'json':
        return c.body(JSON.stringify(events, null, 2), 200, {
          'content-type': 'application/json',
          'content-disposition': `attachment; filename="${name}.json"`,
        });
      default:
        return fail(c, 400, 'invalid_request', { nl: 'Formaat: mermaid, har of json.', en: 'Format: mermaid, har or json.' });
    }
  });
  return app;
}
