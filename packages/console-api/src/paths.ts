/**
 * Where the console serves what is not JSON: the trace's stream and exports. (The login link's page is
 * packages/network's OPERATOR_LOGIN_PATH: `npm start` prints the links.)
 */
export const CONSOLE_PATHS = {
  /** text/event-stream of every trace event (the inspector). */
  traceStream: '/api/trace/stream',
  /** ?traceId=<id>&format=mermaid|har|json */
  traceExport: '/api/trace/export',
} as const;

/** The console's page of one flow in the inspector (the PGO links here beside each collection). */
export function inspectorPage(consoleUrl: string, traceId?: string): string {
  return `${consoleUrl}/#/inspector${traceId ? `/${encodeURIComponent(traceId)}` : ''}`;
}
