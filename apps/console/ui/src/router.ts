/** Hash routes of the console UI (the server serves one index.html). */
export type Route =
  | { name: 'inspector'; traceId?: string }
  | { name: 'trace' }
  | { name: 'scenarios'; scenario?: string; present?: boolean }
  | { name: 'notfound'; hash: string };

/**
 * Parses `#/` and `#/inspector[/<traceId>]` (the network inspector, the console's home), `#/trace` (a trace
 * from a file), `#/scenarios`,
 * `#/scenarios/<name>` (a run's result) and `#/scenarios/<name>/present` (presenter mode).
 */
export function parseRoute(hash: string): Route {
  const full = hash.replace(/^#/, '') || '/';
  const q = full.indexOf('?');
  const path = q < 0 ? full : full.slice(0, q);
  if (path === '/' || path === '') return { name: 'inspector' };
  const inspector = /^\/inspector(?:\/([^/]+))?\/?$/.exec(path);
  if (inspector) return inspector[1] ? { name: 'inspector', traceId: decodeURIComponent(inspector[1]) } : { name: 'inspector' };
  if (path === '/trace' || path === '/trace/') return { name: 'trace' };
  const scenarios = /^\/scenarios(?:\/([^/]+)(\/present)?)?\/?$/.exec(path);
  if (scenarios) {
    if (!scenarios[1]) return { name: 'scenarios' };
    const scenario = decodeURIComponent(scenarios[1]);
    return scenarios[2] ? { name: 'scenarios', scenario, present: true } : { name: 'scenarios', scenario };
  }
  return { name: 'notfound', hash };
}

/** The hash of a scenario's result page, or of its presenter mode. */
export function scenarioHash(name: string, present = false): string {
  return `#/scenarios/${encodeURIComponent(name)}${present ? '/present' : ''}`;
}
