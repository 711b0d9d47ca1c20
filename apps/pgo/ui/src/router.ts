/** Hash routes of the UI (the server serves one index.html; the OAuth flow returns to `/#/collection/<id>`). */
export type Route = { name: 'home'; reason?: string } | { name: 'collection'; id: string } | { name: 'notfound'; hash: string };

/**
 * Parses `#/`, `#/?reason=login_required` and `#/collection/<id>`. (The network inspector and the scenarios are
 * the console's, apps/console: a real PGO has neither.)
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
  return { name: 'notfound', hash };
}
