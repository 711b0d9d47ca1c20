/** Hash routes of the UI (the server serves one index.html; the OAuth flow returns to `/#/collection/<id>`). */
export type Route =
  | { name: 'home'; reason?: string }
  | { name: 'collection'; id: string }
  | { name: 'inspector'; traceId?: string }
  | { name: 'scenarios'; scenario?: string; present?: boolean }
  | { name: 'notfound'; hash: string };

/**
 * Parses `#/`, `#/?reason=login_required`, `#/collection/<id>`, `#/inspector[/<traceId>]`,
 * `#/scenarios`, `#/scenarios/<name>` (a run's result) and `#/scenarios/<name>/present` (presenter mode).
 */
export function parseRoute(hash: string): Route {
  const full = hash.replace(/^#/, '') || '/';
  const q = full.indexOf('?');
  const path = q < 0 ? full : full.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : full.slice(q + 1));
  if (path === '/' || path === '') {
    const reason = params.get('reason');
    return reason ? { name: 'home', reason } : { name: 'home' };
  }
  const collection = /^\/collection\/([^/]+)\/?$/.exec(path);
  if (collection) return { name: 'collection', id: decodeURIComponent(collection[1]!) };
  const inspector = /^\/inspector(?:\/([^/]+))?\/?$/.exec(path);
  if (inspector) return inspector[1] ? { name: 'inspector', traceId: decodeURIComponent(inspector[1]) } : { name: 'inspector' };
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
