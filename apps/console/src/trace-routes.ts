/**
 * The network inspector's feeds on the console's front channel: every trace event as a live stream, and one
 * flow's events as a Mermaid diagram, a HAR file or JSON (packages/network trace-export).
 */
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { toHar, toMermaid, type TraceEvent } from '@medmij-sandbox/network';
import { CONSOLE_PATHS, type Bilingual } from '@medmij-sandbox/console-api';
import type { ConsoleAppOptions } from './app.js';

export function createTraceRoutes(
  o: ConsoleAppOptions,
  fail: (c: Context, status: 400, error: string, message: Bilingual) => Response,
  /** The operator check (viewer or trainer): the trace holds the DVZA's view, BSNs among it. */
  operatorRefusal: (c: Context) => Response | undefined,
): Hono {
  const app = new Hono();
  app.use(`${CONSOLE_PATHS.traceStream}`, async (c, next) => operatorRefusal(c) ?? next());
  app.use(`${CONSOLE_PATHS.traceExport}`, async (c, next) => operatorRefusal(c) ?? next());
  const eventsOf = (traceId: string | undefined) => o.bus.events().filter((e) => !traceId || e.traceId === traceId);

  app.get(CONSOLE_PATHS.traceStream, (c) =>
    streamSSE(c, async (stream) => {
      const { window, queue: maxQueue } = o.bus.streamLimits;
      // A new inspector gets the latest events only, not the whole history of a long-running network.
      const queue: TraceEvent[] = o.bus.events().slice(-window);
      let wake: (() => void) | undefined;
      let open = true;
      const drop = () => {
        open = false;
        unsubscribe();
        wake?.();
      };
      const unsubscribe = o.bus.subscribe((e) => {
        queue.push(e);
        // A client that does not read: the queue does not grow without bound. It is dropped (its socket too, so
        // nothing stays buffered for it); a browser's EventSource reconnects and gets the latest window.
        if (queue.length > Math.max(maxQueue, window)) {
          drop();
          stream.abort();
          (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
          return;
        }
        wake?.();
      });
      stream.onAbort(drop);
      // Older events than these are left out (beyond the window, or no longer in this process's memory): the UI says so.
      const first = queue[0];
      if (first && first.seq > 1) await stream.writeSSE({ event: 'window', data: JSON.stringify({ olderLeftOut: true, firstSeq: first.seq }) });
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

  app.get(CONSOLE_PATHS.traceExport, (c) => {
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
